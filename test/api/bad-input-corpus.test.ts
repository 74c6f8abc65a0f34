import {
  getNamedType,
  GraphQLArgument,
  GraphQLField,
  GraphQLInputType,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
} from 'graphql';
import { SignJWT } from 'jose';
import request from 'supertest';
import { withCheckCharacter } from '../../src/domain/uscc';
import { ErrorCode } from '../../src/graphql/errors';
import { hubSchema } from '../../src/graphql/schema';
import { startTestHub, TEST_SECRET, TestHub } from '../support/hub';

/**
 * A corpus of hostile and malformed requests, generated from tables and from the schema itself.
 * Each must be answered with a typed error (a code of the hub's closed set or one of Apollo's
 * request-error codes) or a 4xx, never a 5xx or an INTERNAL_SERVER_ERROR, and never with a stack
 * or SQL text in the body. Afterwards the hub still answers and the database holds what it held.
 */

interface Reply {
  status: number;
  text: string;
}

interface Case {
  name: string;
  /** True when the request is malformed and must be refused; false when a plain answer is acceptable too (injection strings as data). */
  mustFail: boolean;
  send(): Promise<Reply>;
}

const ALLOWED_CODES = new Set<string>([
  ...Object.values(ErrorCode).filter((c) => c !== ErrorCode.INTERNAL_SERVER_ERROR),
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE',
]);
const LEAK = /at .*\.ts:|SELECT|INSERT/;

let t: TestHub;
let schema: GraphQLSchema;
let zone: string; // every reading role, so that resolvers get past the role gate and reach SQL
let steward: string; // Wujiang's data steward, for the mutations
let validUscc: string;
let before: Record<string, string>;

/** Row count and a digest of the content of every table: what no hostile request may change. */
async function tableDigests(): Promise<Record<string, string>> {
  // The audit log grows with every read by design; everything else must stay as it was.
  const tables: Array<{ name: string }> = await t.db.ds.query(`SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('audit_event', 'migrations')
    AND table_name NOT LIKE 'audit\\_event\\_%' ORDER BY 1`); // the audit log's monthly partitions grow too
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    const [r] = await t.db.ds.query(`SELECT count(*)::int AS n, md5(coalesce(string_agg(md5(x::text), '' ORDER BY md5(x::text)), '')) AS digest FROM "${name}" x`);
    out[name] = `${r.n} rows, ${r.digest}`;
  }
  return out;
}

beforeAll(async () => {
  // Hundreds of requests from one client: the rate limiter would answer most of them instead of the code under test.
  t = await startTestHub('demo', { HUB_RATE_LIMIT_PER_MINUTE: '0' });
  schema = await hubSchema();
  zone = await t.token('ZONE', ['DOSSIER_READER', 'ENFORCEMENT', 'COMPLAINT_HANDLER', 'AUDITOR', 'CREDIT_FEED', 'CATALOG_READER']);
  steward = await t.token('WUJIANG', ['DATA_STEWARD', 'DOSSIER_READER']);
  validUscc = (await t.db.ds.query('SELECT uscc FROM enterprise ORDER BY uscc LIMIT 1'))[0].uscc;
  before = await tableDigests();
});
afterAll(() => t.close());

// ---------------------------------------------------------------------------------------------
// Sending and judging

function post(body: unknown, opts: { token?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  let req = request(t.hub.app).post('/graphql').set('content-type', 'application/json');
  if (opts.token) req = req.set('authorization', `Bearer ${opts.token}`);
  for (const [k, v] of Object.entries(opts.headers ?? {})) req = req.set(k, v);
  return req.send(typeof body === 'string' ? body : JSON.stringify(body)).then((r) => ({ status: r.status, text: r.text }));
}

const gql = (query: string, variables?: Record<string, unknown>, token: string | undefined = zone) => post({ query, variables }, { token });
const tokenFor = (kind: 'query' | 'mutation') => (kind === 'query' ? zone : steward);

/** What is wrong with the answer to one case, or null when it is acceptable. */
function judge(c: Case, r: Reply): string | null {
  if (r.status >= 500) return `HTTP ${r.status}: ${r.text.slice(0, 300)}`;
  if (LEAK.test(r.text)) return `body leaks a stack or SQL: ${r.text.match(LEAK)![0]} in ${r.text.slice(0, 300)}`;
  let body: { data?: unknown; errors?: Array<{ message?: string; extensions?: { code?: string } }> } | undefined;
  try {
    body = JSON.parse(r.text);
  } catch {
    body = undefined;
  }
  const errors = body?.errors ?? [];
  for (const e of errors) {
    const code = e.extensions?.code;
    if (!code || !ALLOWED_CODES.has(code)) return `HTTP ${r.status}, error without an allowed code (${code ?? 'none'}): ${e.message?.slice(0, 200)}`;
  }
  if (r.status >= 400) return null;
  if (!body) return `HTTP ${r.status} with a body that is not JSON: ${r.text.slice(0, 200)}`;
  if (c.mustFail && errors.length === 0) return `accepted: HTTP ${r.status}, ${r.text.slice(0, 200)}`;
  return null;
}

async function runAll(cases: Case[]): Promise<string[]> {
  const problems: string[] = [];
  for (const c of cases) {
    let reply: Reply;
    try {
      reply = await c.send();
    } catch (err) {
      problems.push(`${c.name}: request failed: ${String(err)}`);
      continue;
    }
    const problem = judge(c, reply);
    if (problem) problems.push(`${c.name}: ${problem}`);
  }
  return problems;
}

const total = { cases: 0 };
async function expectAllRefused(cases: Case[]): Promise<void> {
  total.cases += cases.length;
  expect(await runAll(cases)).toEqual([]);
}

// ---------------------------------------------------------------------------------------------
// Walking the schema

type RootKind = 'query' | 'mutation';

/** The root fields of queries or mutations, federation's own (`_entities`, `_service`) aside. */
const rootFields = (kind: RootKind): Array<GraphQLField<unknown, unknown>> =>
  Object.values((kind === 'query' ? schema.getQueryType() : schema.getMutationType())?.getFields() ?? {}).filter((f) => !f.name.startsWith('_'));
const queryFields = () => rootFields('query');

/** A well-formed USCC of no enterprise in the hub: mutations that name it find nothing to change. */
const ABSENT_USCC = '91350100M000100Y43';
const sampleUscc = (kind: RootKind) => (kind === 'query' ? validUscc : ABSENT_USCC);

/**
 * A well-formed value of an input type, for the arguments not under test. USCCs name an enterprise
 * of the hub in queries, and one that is not in the hub in mutations (so no write can touch data).
 */
function sampleValue(type: GraphQLInputType, uscc = validUscc): unknown {
  if (isNonNullType(type)) return sampleValue(type.ofType, uscc);
  if (isListType(type)) return [sampleValue(type.ofType, uscc)];
  if (isEnumType(type)) return type.getValues()[0].name;
  if (isInputObjectType(type)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(type.getFields())) if (isNonNullType(f.type) && f.defaultValue === undefined) out[f.name] = sampleValue(f.type, uscc);
    return out;
  }
  if (isScalarType(type)) {
    const samples: Record<string, unknown> = {
      String: 'x', ID: '1', Int: 1, Float: 1.5, Boolean: true, Date: '2026-01-01', DateTime: '2026-01-01T00:00:00Z', USCC: uscc, Decimal: '1.0',
    };
    return type.name in samples ? samples[type.name] : 'x';
  }
  throw new Error(`no sample for ${String(type)}`);
}

/** A selection that makes the field's resolver run and, for connections, its SQL. */
function selectionFor(type: GraphQLNamedType): string {
  if (!(type instanceof GraphQLObjectType)) return isScalarType(type) || isEnumType(type) ? '' : '{ __typename }';
  const fields = type.getFields();
  if (fields.totalCount && fields.edges) return '{ totalCount edges { cursor } }';
  return '{ __typename }';
}

/**
 * One operation calling `field` with every required argument filled in validly and `values`
 * overriding some, all passed as variables of their declared types.
 */
function operationFor(field: GraphQLField<unknown, unknown>, values: Record<string, unknown>, inline?: string, kind: RootKind = 'query'): { query: string; variables: Record<string, unknown> } {
  const args: GraphQLArgument[] = field.args.filter((a) => a.name in values || (isNonNullType(a.type) && a.defaultValue === undefined));
  const variables: Record<string, unknown> = {};
  for (const a of args) variables[a.name] = a.name in values ? values[a.name] : sampleValue(a.type, sampleUscc(kind));
  const decl = args.length ? `(${args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ')})` : '';
  const passed = [...args.map((a) => `${a.name}: $${a.name}`), ...(inline ? [inline] : [])];
  const call = passed.length ? `(${passed.join(', ')})` : '';
  return { query: `${kind}${decl} { ${field.name}${call} ${selectionFor(getNamedType(field.type))} }`, variables };
}

/** A single (not list) value whose named type is one of `names`. */
const isScalarOf = (type: GraphQLInputType, names: string[]) => names.includes(getNamedType(type).name) && !isListType(isNonNullType(type) ? type.ofType : type);

interface Slot {
  field: GraphQLField<unknown, unknown>;
  kind: RootKind;
  label: string;
  put(value: unknown): Record<string, unknown>;
}

/**
 * Every place of the schema a value goes that `wanted` picks (by name and type): a direct argument
 * of a root field, or a field of an input-object argument.
 */
function argumentSlots(kind: RootKind, wanted: (name: string, type: GraphQLInputType) => boolean): Slot[] {
  const slots: Slot[] = [];
  for (const field of rootFields(kind)) {
    for (const arg of field.args) {
      if (wanted(arg.name, arg.type)) {
        slots.push({ field, kind, label: `${field.name}(${arg.name})`, put: (value) => ({ [arg.name]: value }) });
        continue;
      }
      const named = getNamedType(arg.type);
      if (!isInputObjectType(named) || isListType(isNonNullType(arg.type) ? arg.type.ofType : arg.type)) continue;
      for (const f of Object.values(named.getFields())) {
        if (!wanted(f.name, f.type)) continue;
        slots.push({
          field,
          kind,
          label: `${field.name}(${arg.name}.${f.name})`,
          put: (value) => ({ [arg.name]: { ...(sampleValue(named, sampleUscc(kind)) as Record<string, unknown>), [f.name]: value } }),
        });
      }
    }
  }
  return slots;
}

// USCC-typed arguments, and the `uscc` text field by which write inputs name their enterprise.
const isUsccSlot = (name: string, type: GraphQLInputType) => isScalarOf(type, ['USCC']) || (name === 'uscc' && isScalarOf(type, ['String']));
const isTextSlot = (_name: string, type: GraphQLInputType) => isScalarOf(type, ['String', 'ID']);

// ---------------------------------------------------------------------------------------------
// The tables

/** Malformed USCCs: wrong length, an illegal character in each of the 18 positions, lower case, wrong check character, wrong JSON types. */
function badUsccs(): Array<[string, unknown]> {
  const lettered = withCheckCharacter('91320509MA1P4Q7R2'); // has letters, so lower-casing changes it
  const wrongCheck = validUscc.slice(0, 17) + (validUscc[17] === '0' ? '1' : '0');
  const out: Array<[string, unknown]> = [
    ['empty', ''], ['1 character', '9'], ['17 characters', validUscc.slice(0, 17)], ['19 characters', validUscc + '0'], ['36 characters', validUscc + validUscc],
    ['lower case', lettered.toLowerCase()], ['wrong check character', wrongCheck], ['leading space', ' ' + validUscc.slice(1)],
    ['trailing newline', validUscc.slice(0, 17) + '\n'], ['full-width digits', '９' + validUscc.slice(1)], ['number', 91320509], ['list', [validUscc]], ['object', { uscc: validUscc }],
  ];
  for (let i = 0; i < 18; i++) out.push([`illegal character at position ${i + 1}`, validUscc.slice(0, i) + 'I' + validUscc.slice(i + 1)]);
  return out;
}

const INJECTIONS: Array<[string, string]> = [
  ['quote or', `' OR 1=1 --`],
  ['drop table', `"; DROP TABLE enterprise; --`],
  ['like wildcards', '%_\\'],
  ['NUL byte', 'a\u0000b'],
  ['only NUL', '\u0000'],
  ['very long', 'x'.repeat(100_000)],
  ['right-to-left override', '\u202Egnp.exe企业\u202C שלום'],
  ['emoji', '🏭💧👨‍👩‍👧 河'],
  ['stacked statement', `1'; select pg_sleep(5); --`],
  ['lone surrogate', 'a\uD800b'],
];

/** The corpus grows with the schema (every argument slot of every field): the two largest tests get more time than the default. */
const CORPUS_TIMEOUT_MS = 240_000;

describe('bad-input corpus', () => {
  test('invalid USCCs in every USCC argument, of queries and mutations, are refused', async () => {
    const cases: Case[] = [];
    const slots = [...argumentSlots('query', isUsccSlot), ...argumentSlots('mutation', isUsccSlot)];
    expect(slots.length).toBeGreaterThanOrEqual(4);
    for (const slot of slots) {
      for (const [what, value] of badUsccs()) {
        const op = operationFor(slot.field, slot.put(value), undefined, slot.kind);
        cases.push({ name: `${slot.label} ${what}`, mustFail: true, send: () => gql(op.query, op.variables, tokenFor(slot.kind)) });
      }
    }
    // Written into the document instead of a variable: validation catches it.
    for (const field of ['enterprise', 'creditStatus']) {
      for (const [what, value] of badUsccs().filter(([, v]) => typeof v === 'string')) {
        cases.push({ name: `${field} inline ${what}`, mustFail: true, send: () => gql(`{ ${field}(uscc: ${JSON.stringify(value)}) { __typename } }`) });
      }
    }
    await expectAllRefused(cases);
  }, CORPUS_TIMEOUT_MS);

  test('huge, negative and non-integer page sizes on every list', async () => {
    const cases: Case[] = [];
    const lists = queryFields().filter((f) => f.args.some((a) => a.name === 'first'));
    expect(lists.length).toBeGreaterThanOrEqual(8);
    for (const field of lists) {
      for (const [what, first] of [['1e9', 1e9], ['-1', -1], ['2^31', 2147483648], ['-2^31-1', -2147483649], ['1.5', 1.5], ['string', '10']] as const) {
        const op = operationFor(field, { first });
        cases.push({ name: `${field.name}(first: ${what})`, mustFail: true, send: () => gql(op.query, op.variables) });
      }
      for (const literal of ['1e9', '-1', '2147483648', '99999999999999999999']) {
        const op = operationFor(field, {}, `first: ${literal}`);
        cases.push({ name: `${field.name}(first: ${literal}) inline`, mustFail: true, send: () => gql(op.query, op.variables) });
      }
      // A list without cursors (the nearest-first spatial queries take `first` only) has no cursor to forge.
      if (!field.args.some((a) => a.name === 'after')) continue;
      const op = operationFor(field, { after: 'bm90IGEgY3Vyc29y' });
      cases.push({ name: `${field.name}(after: forged cursor)`, mustFail: true, send: () => gql(op.query, op.variables) });
    }
    cases.push({ name: 'nested penalties(first: 1e9)', mustFail: true, send: () => gql(`{ enterprises(first: 1) { edges { node { penalties(first: 1000000000) { totalCount } } } } }`) });
    await expectAllRefused(cases);
  });

  test('deep nesting, alias and fragment bombs, circular fragments, batches and floods', async () => {
    const deep = (n: number) => `{ enterprises(first: 1) { edges { node { ${'penalties(first: 1) { edges { node { enterprise { '.repeat(n)}uscc${' } } } }'.repeat(n)} } } } }`;
    const aliases = (n: number, inner: string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${inner}`).join(' ')} }`;
    const ten = (f: (i: number) => string) => Array.from({ length: 10 }, (_, i) => f(i)).join(' ');
    // Each level spreads the one below under ten aliases: 10^4 leaves from a document of 40 fields.
    const fragmentBomb = [
      `fragment E0 on Enterprise { ${ten((i) => `a${i}: uscc`)} }`,
      `fragment P1 on Penalty { ${ten((i) => `b${i}: enterprise { ...E0 }`)} }`,
      `fragment E2 on Enterprise { ${ten((i) => `c${i}: penalties(first: 50) { edges { node { ...P1 } } }`)} }`,
      `{ ${ten((i) => `d${i}: enterprises(first: 50) { edges { node { ...E2 } } }`)} }`,
    ].join('\n');
    const cases: Case[] = [
      { name: 'depth 30', mustFail: true, send: () => gql(deep(30)) },
      { name: 'depth 300', mustFail: true, send: () => gql(deep(300)) },
      { name: '2000 aliases of a list', mustFail: true, send: () => gql(aliases(2000, 'enterprises(first: 500) { totalCount }')) },
      { name: '5000 aliases of me', mustFail: true, send: () => gql(aliases(5000, 'me { sub }')) },
      // Small enough to pass the document-size limit, so the alias, cost and root-field limits must catch them.
      { name: '200 aliases of a 500-row list', mustFail: true, send: () => gql(aliases(200, 'enterprises(first: 500) { totalCount }')) },
      { name: '500 aliases of me', mustFail: true, send: () => gql(aliases(500, 'me { sub }')) },
      { name: '25 root lists of 500 with nested lists', mustFail: true, send: () => gql(`{ ${Array.from({ length: 25 }, (_, i) => `l${i}: enterprises(first: 500) { edges { node { penalties(first: 500) { edges { node { decisionNo } } } } } }`).join(' ')} }`) },
      { name: '3000 duplicate fields', mustFail: true, send: () => gql(`{ me { ${'sub '.repeat(3000)}} }`) },
      { name: 'fragment bomb (aliases multiplied through spreads)', mustFail: true, send: () => gql(fragmentBomb) },
      { name: 'circular fragments', mustFail: true, send: () => gql('fragment A on Query { me { sub } ...B } fragment B on Query { jurisdictions { code } ...A } { ...A }') },
      { name: 'self-spreading fragment', mustFail: true, send: () => gql('fragment A on Query { ...A } { ...A }') },
      { name: 'unknown fragment', mustFail: true, send: () => gql('{ ...Nowhere }') },
      { name: '10000 duplicate fields', mustFail: true, send: () => gql(`{ me { ${'sub '.repeat(10000)}} ${'jurisdictions { code } '.repeat(2000)}}`) },
      { name: '1000 directives on one field', mustFail: true, send: () => gql(`{ me ${'@include(if: true) '.repeat(1000)}{ sub } }`) },
      { name: '300 root fields', mustFail: true, send: () => gql(`{ ${Array.from({ length: 300 }, (_, i) => `r${i}: jurisdictions { code }`).join(' ')} }`) },
      { name: 'deeply nested list variable', mustFail: true, send: () => post(`{"query":"query($v: [WaterValueInput!]!) { assessWater(input: { waterbody: RIVER, values: $v }) { waterClass } }","variables":{"v":${'['.repeat(50000)}${']'.repeat(50000)}}}`, { token: zone }) },
      { name: 'deeply nested object variable', mustFail: true, send: () => post(`{"query":"query($f: EnterpriseFilter) { enterprises(filter: $f) { totalCount } }","variables":{"f":${'{"a":'.repeat(20000)}1${'}'.repeat(20000)}}}`, { token: zone }) },
      { name: 'batch of 100 operations', mustFail: true, send: () => post(Array.from({ length: 100 }, () => ({ query: '{ me { sub } }' })), { token: zone }) },
      { name: 'batch of 100 heavy operations', mustFail: true, send: () => post(Array.from({ length: 100 }, () => ({ query: '{ enterprises(first: 500) { edges { node { uscc } } } }' })), { token: zone }) },
      { name: 'empty batch', mustFail: true, send: () => post([], { token: zone }) },
      { name: 'two anonymous operations', mustFail: true, send: () => gql('{ me { sub } } { jurisdictions { code } }') },
      { name: 'operation name that is not there', mustFail: true, send: () => post({ query: 'query A { me { sub } }', operationName: 'B' }, { token: zone }) },
      { name: '900 kB of comments', mustFail: true, send: () => gql(`${'# padding\n'.repeat(90_000)}{ me { sub } }`) },
      { name: 'unterminated string', mustFail: true, send: () => gql('{ penalty(decisionNo: "abc) { decisionNo } }') },
      { name: 'introspection of a type that is not there', mustFail: false, send: () => gql('{ __type(name: "Nope") { name } }') },
      { name: 'subscription operation', mustFail: true, send: () => gql('subscription { me { sub } }') },
      { name: 'mutation operation', mustFail: true, send: () => gql('mutation { __typename nothing }') },
      { name: 'variables of the wrong JSON type', mustFail: true, send: () => post({ query: 'query($u: USCC!) { enterprise(uscc: $u) { uscc } }', variables: 'uscc' }, { token: zone }) },
      { name: 'query of the wrong JSON type', mustFail: true, send: () => post({ query: 42 }, { token: zone }) },
      { name: 'operationName of the wrong JSON type', mustFail: true, send: () => post({ query: '{ me { sub } }', operationName: 7 }, { token: zone }) },
      { name: 'no query', mustFail: true, send: () => post({ variables: {} }, { token: zone }) },
      { name: 'body is a JSON string', mustFail: true, send: () => post('"{ me { sub } }"', { token: zone }) },
      { name: 'body is JSON null', mustFail: true, send: () => post('null', { token: zone }) },
      { name: 'unknown persisted query', mustFail: true, send: () => post({ extensions: { persistedQuery: { version: 1, sha256Hash: 'ab'.repeat(32) } } }, { token: zone }) },
      { name: '__proto__ in variables', mustFail: false, send: () => post('{"query":"query($f: EnterpriseFilter) { enterprises(filter: $f) { totalCount } }","variables":{"f":{"__proto__":{"jurisdiction":"ZONE"},"constructor":{"prototype":{"x":1}}}}}', { token: zone }) },
    ];
    await expectAllRefused(cases);
  });

  test('injection strings in every String and ID argument of the schema', async () => {
    const cases: Case[] = [];
    const slots = [...argumentSlots('query', isTextSlot), ...argumentSlots('mutation', isTextSlot)];
    expect(slots.length).toBeGreaterThanOrEqual(20);
    for (const slot of slots) {
      for (const [what, value] of INJECTIONS) {
        const op = operationFor(slot.field, slot.put(value), undefined, slot.kind);
        cases.push({ name: `${slot.label} ${what}`, mustFail: false, send: () => gql(op.query, op.variables, tokenFor(slot.kind)) });
      }
    }
    // The same through federation's entity lookup, which takes free-form representations.
    for (const [what, value] of INJECTIONS) {
      cases.push({
        name: `_entities ${what}`,
        mustFail: false,
        send: () => gql('query($r: [_Any!]!) { _entities(representations: $r) { __typename } }', {
          r: [{ __typename: 'Enterprise', uscc: value }, { __typename: 'MonitoringStation', code: value }, { __typename: 'CatalogResource', code: value }],
        }),
      });
    }
    cases.push({ name: '_entities unknown typename', mustFail: true, send: () => gql('query($r: [_Any!]!) { _entities(representations: $r) { __typename } }', { r: [{ __typename: 'enterprise; DROP TABLE enterprise' }] }) });
    cases.push({ name: 'X-Purpose injection', mustFail: false, send: () => post({ query: '{ me { purpose } }' }, { token: zone, headers: { 'x-purpose': `ENFORCEMENT' OR 1=1 --` } }) });
    cases.push({ name: 'X-Request-Id injection', mustFail: false, send: () => post({ query: '{ me { sub } }' }, { token: zone, headers: { 'x-request-id': `'); DROP TABLE audit_event; --` } }) });
    await expectAllRefused(cases);
  }, CORPUS_TIMEOUT_MS);

  test('oversized bodies, wrong content types and methods', async () => {
    const app = () => request(t.hub.app);
    const asReply = (r: request.Response): Reply => ({ status: r.status, text: r.text });
    const big = JSON.stringify({ query: `{ me { sub } } # ${'x'.repeat(2 * 1024 * 1024)}` });
    const cases: Case[] = [
      { name: '2 MB JSON body', mustFail: true, send: () => post(big, { token: zone }) },
      { name: '2 MB variables', mustFail: true, send: () => post({ query: 'query($s: String!) { validateUscc(code: $s) { valid } }', variables: { s: 'A'.repeat(2 * 1024 * 1024) } }, { token: zone }) },
      { name: 'text/plain', mustFail: true, send: () => app().post('/graphql').set('content-type', 'text/plain').send('{"query":"{ me { sub } }"}').then(asReply) },
      { name: 'form-urlencoded', mustFail: true, send: () => app().post('/graphql').set('content-type', 'application/x-www-form-urlencoded').send('query=%7B%20me%20%7B%20sub%20%7D%20%7D').then(asReply) },
      { name: 'multipart', mustFail: true, send: () => app().post('/graphql').field('query', '{ me { sub } }').then(asReply) },
      { name: 'no content type', mustFail: true, send: () => app().post('/graphql').set('content-type', '').send(Buffer.from('{"query":"{ me { sub } }"}')).then(asReply) },
      { name: 'application/graphql', mustFail: true, send: () => app().post('/graphql').set('content-type', 'application/graphql').send('{ me { sub } }').then(asReply) },
      { name: 'JSON declared as UTF-16', mustFail: true, send: () => app().post('/graphql').set('content-type', 'application/json; charset=utf-16').send(Buffer.from('{"query":"{ me { sub } }"}', 'utf16le')).then(asReply) },
      { name: 'gzip that is not gzip', mustFail: true, send: () => app().post('/graphql').set('content-type', 'application/json').set('content-encoding', 'gzip').send('{"query":"{ me { sub } }"}').then(asReply) },
      { name: 'truncated JSON', mustFail: true, send: () => post('{"query": "{ me { sub } }"', { token: zone }) },
      { name: 'empty JSON body', mustFail: true, send: () => post('', { token: zone }) },
      { name: 'invalid UTF-8', mustFail: true, send: () => app().post('/graphql').set('content-type', 'application/json').send(Buffer.from([0x7b, 0x22, 0x71, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])).then(asReply) },
      { name: 'GET with a mutation', mustFail: true, send: () => app().get('/graphql').query({ query: 'mutation { __typename }' }).set('apollo-require-preflight', 'true').then(asReply) },
      { name: 'GET with a mutation, no preflight header', mustFail: true, send: () => app().get('/graphql').query({ query: 'mutation { __typename }' }).then(asReply) },
      { name: 'GET without a query', mustFail: true, send: () => app().get('/graphql').set('apollo-require-preflight', 'true').set('accept', 'application/json').then(asReply) },
      { name: 'GET with broken variables', mustFail: true, send: () => app().get('/graphql').query({ query: '{ me { sub } }', variables: '{nope' }).set('apollo-require-preflight', 'true').then(asReply) },
      { name: 'PUT', mustFail: true, send: () => app().put('/graphql').set('content-type', 'application/json').send({ query: '{ me { sub } }' }).then(asReply) },
      { name: 'DELETE', mustFail: true, send: () => app().delete('/graphql').then(asReply) },
      { name: 'PATCH', mustFail: true, send: () => app().patch('/graphql').set('content-type', 'application/json').send({ query: '{ me { sub } }' }).then(asReply) },
    ];
    await expectAllRefused(cases);
  });

  test('forged, expired, alg-none and ill-typed tokens, malformed Authorization headers: UNAUTHENTICATED', async () => {
    const sign = (payload: Record<string, unknown>, secret = TEST_SECRET, exp: number | string = '1h') =>
      new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt().setExpirationTime(exp).sign(new TextEncoder().encode(secret));
    const good = { sub: 'x', org: 'WUJIANG-EEB', jurisdiction: 'WUJIANG', roles: ['DOSSIER_READER'] };
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const valid = await sign(good);
    const [header, payload, signature] = valid.split('.');
    const tokens: Array<[string, string]> = [
      ['other secret', await sign(good, 'another-secret-another-secret-another-secret')],
      ['expired', await sign(good, TEST_SECRET, Math.floor(Date.now() / 1000) - 3600)],
      ['alg none', `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...good, roles: ['ADMIN'], exp: 9999999999 })}.`],
      ['alg none, signature kept', `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.${signature}`],
      ['header says RS256', `${b64({ alg: 'RS256', typ: 'JWT' })}.${payload}.${signature}`],
      ['payload swapped under a valid signature', `${header}.${b64({ ...good, jurisdiction: 'ZONE', exp: 9999999999 })}.${signature}`],
      ['roles is a string', await sign({ ...good, roles: 'ADMIN' })],
      ['roles are numbers', await sign({ ...good, roles: [1, 2] })],
      ['unknown role', await sign({ ...good, roles: ['SUPERUSER'] })],
      ['jurisdiction is a number', await sign({ ...good, jurisdiction: 320509 })],
      ['unknown jurisdiction', await sign({ ...good, jurisdiction: 'SUZHOU' })],
      ['sub is an object', await sign({ ...good, sub: { id: 1 } })],
      ['org missing', await sign({ sub: 'x', jurisdiction: 'WUJIANG', roles: [] })],
      ['exp is a string', `${header}.${b64({ ...good, exp: 'never' })}.${signature}`],
      ['not yet valid', await new SignJWT(good).setProtectedHeader({ alg: 'HS256' }).setNotBefore(Math.floor(Date.now() / 1000) + 3600).setExpirationTime('2h').sign(new TextEncoder().encode(TEST_SECRET))],
      ['two parts', 'abc.def'],
      ['garbage segments', 'a.b.c'],
      ['payload not JSON', `${header}.${Buffer.from('not json').toString('base64url')}.${signature}`],
      ['10 kB token', 'A'.repeat(10_000) + '.B.C'],
    ];
    const headers: Array<[string, string]> = [
      ['scheme only', 'Bearer'],
      ['scheme and spaces', 'Bearer    '],
      ['Basic', 'Basic dXNlcjpwYXNz'],
      ['Token scheme', `Token ${valid}`],
      ['two tokens', `Bearer ${valid}, Bearer ${valid}`],
      ['token with a quote', `Bearer ${valid}'`],
      ['SQL in the header', `Bearer ' OR 1=1 --`],
      ['token then garbage', `Bearer ${valid} extra`],
    ];
    const cases: Case[] = [
      ...tokens.map(([what, token]): Case => ({ name: `token ${what}`, mustFail: true, send: () => gql('{ me { sub roles } }', undefined, token) })),
      ...headers.map(([what, value]): Case => ({ name: `header ${what}`, mustFail: true, send: () => post({ query: '{ me { sub } }' }, { headers: { authorization: value } }) })),
    ];
    const problems = await runAll(cases);
    total.cases += cases.length;
    // Refused, and refused as UNAUTHENTICATED: a bad token never falls back to the public principal.
    for (const c of cases) {
      const r = await c.send();
      const code = (() => {
        try {
          return JSON.parse(r.text).errors?.[0]?.extensions?.code;
        } catch {
          return undefined;
        }
      })();
      if (r.status !== 401 || code !== 'UNAUTHENTICATED') problems.push(`${c.name}: expected 401 UNAUTHENTICATED, got ${r.status} ${code}`);
    }
    expect(problems).toEqual([]);
  });

  test('the corpus is large, the hub still answers and the database is unchanged', async () => {
    expect(total.cases).toBeGreaterThanOrEqual(200);
    const r = await gql('{ enterprises(first: 3) { totalCount edges { node { uscc } } } }');
    expect(r.status).toBe(200);
    const body = JSON.parse(r.text);
    expect(body.errors).toBeUndefined();
    expect(body.data.enterprises.edges).toHaveLength(3);
    expect((await request(t.hub.app).get('/readyz')).status).toBe(200);
    expect(await tableDigests()).toEqual(before);
  });
});
