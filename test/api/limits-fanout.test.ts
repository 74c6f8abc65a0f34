import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  getArgumentValues,
  getIntrospectionQuery,
  getNamedType,
  getNullableType,
  GraphQLField,
  GraphQLNamedType,
  GraphQLSchema,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  OperationDefinitionNode,
  parse,
  SelectionSetNode,
  specifiedRules,
  TypeInfo,
  validate,
  ValidationContext,
  visit,
  visitInParallel,
} from 'graphql';
import request from 'supertest';
import { DEFAULT_PAGE_SIZE } from '../../src/graphql/pagination';
import { FIELD_COSTS, limitRules, limitVisits, measureDocument, operationCost } from '../../src/graphql/limits';
import { hubSchema } from '../../src/graphql/schema';
import { createLogger } from '../../src/logger';
import { playgroundExamples } from '../../src/playground/examples';
import { createHub, Hub } from '../../src/server';
import { startTestHub, testConfig, TestHub } from '../support/hub';

/**
 * Issue 10, finding 1: a 1 KB document of fragments that each spread the next one twice used to
 * make the limit checks walk 2^levels nodes (20 levels 9.7 s, 22 levels 44 s, the process deaf
 * meanwhile). Here every check is held to work linear in the document, counted in visited nodes
 * (never timed), and the whole request path refuses the document with QUERY_TOO_COMPLEX.
 */
let t: TestHub;
let zone: string;
let schema: GraphQLSchema;
const extra: Hub[] = [];

beforeAll(async () => {
  t = await startTestHub('demo');
  zone = await t.token('ZONE', ['DOSSIER_READER']);
  schema = await hubSchema();
});
afterAll(async () => {
  for (const h of extra) await h.stop();
  await t.close();
});

async function hubWith(overrides: Record<string, string>): Promise<Hub> {
  const config = testConfig(overrides);
  const hub = await createHub(config, t.db.ds, createLogger(config));
  extra.push(hub);
  return hub;
}

type Shape = 'spread' | 'field' | 'alias';

/**
 * `levels` fragments, each spreading the next one twice: side by side (`spread`), under two
 * selections of the same field (`field`), or under two aliases (`alias`). Written out, the
 * document would hold about 2^levels selections; as sent it is 1 to 4 KB.
 */
function fanOut(levels: number, shape: Shape = 'spread'): string {
  const twice = (next: string): string => {
    if (shape === 'spread') return `...${next} ...${next}`;
    const inner = `enterprise { penalties(first: 1) { edges { node { ...${next} } } } }`;
    return shape === 'field' ? `${inner} ${inner}` : `a: ${inner} b: ${inner}`;
  };
  const frags = Array.from({ length: levels }, (_, i) => `fragment F${i} on Penalty { decisionNo ${twice(`F${i + 1}`)} }`);
  return `query FanOut { penalties(first: 1) { edges { node { ...F0 } } } }\n${frags.join('\n')}\nfragment F${levels} on Penalty { decisionNo }`;
}

function fragmentsOf(doc: DocumentNode): Map<string, FragmentDefinitionNode> {
  return new Map(doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
}

function operations(doc: DocumentNode): OperationDefinitionNode[] {
  return doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
}

const DEFAULTS = { maxDepth: 12, maxAliases: 30, maxRootFields: 20, maxSelections: 2000, maxDirectives: 50 };

/** Nodes the hub's own limit code visits while validating a document, and the errors it gives. */
function limitWork(doc: DocumentNode, limits = DEFAULTS): { nodes: number; errors: string[] } {
  const before = limitVisits.nodes;
  const errors = validate(schema, doc, limitRules(limits)).map((e) => e.message);
  return { nodes: limitVisits.nodes - before, errors };
}

/** Calls graphql-js's validation context answers about fragments: every rule that follows a spread asks it. */
function fragmentLookups<T>(run: () => T): { calls: number; result: T } {
  const proto = ValidationContext.prototype;
  const spies = [jest.spyOn(proto, 'getFragment'), jest.spyOn(proto, 'getFragmentSpreads'), jest.spyOn(proto, 'getRecursivelyReferencedFragments')];
  try {
    const result = run();
    return { calls: spies.reduce((n, s) => n + s.mock.calls.length, 0), result };
  } finally {
    for (const s of spies) s.mockRestore();
  }
}

describe('a 30-level fragment fan-out', () => {
  test.each<Shape>(['spread', 'field', 'alias'])("the hub's limit checks visit nodes linear in the document (%s shape) and refuse its expansion", (shape) => {
    const work = [10, 20, 30].map((n) => limitWork(parse(fanOut(n, shape))));
    // Ten more levels, the same number more visits: linear, where the old walk doubled per level.
    expect(work[2].nodes - work[1].nodes).toBe(work[1].nodes - work[0].nodes);
    expect(work[2].nodes).toBeLessThan(500);
    expect(work[2].errors.some((m) => m.startsWith('the number of field selections with fragments expanded is '))).toBe(true);
  });

  test('the refusal names the expanded count: 2^31 + 2 selections from a 1.5 KB document', () => {
    const src = fanOut(30);
    expect(src.length).toBeLessThan(2000);
    const [m] = measureDocument(schema, parse(src));
    // penalties > edges > node, then decisionNo and two spreads per level: 3 + (2^31 - 1).
    expect(m.selections).toBe(3 + 2 ** 31 - 1);
    expect(m.depth).toBe(4);
  });

  test("graphql-armor's depth, alias and directive counts keep one count per fragment: calls linear in the levels", () => {
    const calls = (levels: number): Record<string, number> => {
      const doc = parse(fanOut(levels, 'alias').replace(/decisionNo/g, 'decisionNo @include(if: true)'));
      const out: Record<string, number> = {};
      for (const [kind, method] of [['maxDepth', 'countDepth'], ['maxAliases', 'countAliases'], ['maxDirectives', 'countDirectives']] as const) {
        const off = { enabled: false };
        const config = { blockFieldSuggestion: off, maxTokens: off, costLimit: off, maxAliases: off, maxDirectives: off, maxDepth: off, [kind]: { n: Infinity, propagateOnRejection: false } };
        const [rule] = new ApolloArmor(config).protect().validationRules;
        const visitor = rule(new ValidationContext(schema, doc, new TypeInfo(schema), () => undefined)) as unknown as Record<string, (...a: unknown[]) => unknown>;
        const original = visitor[method].bind(visitor);
        let n = 0;
        visitor[method] = (...a: unknown[]) => {
          n++;
          return original(...a);
        };
        visit(doc, visitInParallel([visitor as never]));
        out[kind] = n;
      }
      return out;
    };
    const [c10, c20, c30] = [10, 20, 30].map(calls);
    for (const kind of ['maxDepth', 'maxAliases', 'maxDirectives']) {
      expect({ kind, step: c30[kind] - c20[kind] }).toEqual({ kind, step: c20[kind] - c10[kind] });
      expect(c30[kind]).toBeLessThan(1000);
    }
  });

  test("graphql-js's own rules (OverlappingFieldsCanBeMerged among them) stay polynomial: fragment lookups in the hundreds, not 2^30", () => {
    for (const shape of ['spread', 'field', 'alias'] as const) {
      const lookups = [10, 20, 30].map((n) => fragmentLookups(() => validate(schema, parse(fanOut(n, shape)), specifiedRules)));
      for (const l of lookups) expect(l.result).toEqual([]); // a valid document: only the limits refuse it
      expect({ shape, calls: lookups[2].calls < 3000 }).toEqual({ shape, calls: true });
      // At most quadratic in the number of fragments (three times the levels, at most nine times the lookups).
      expect({ shape, ratio: lookups[2].calls <= 9 * lookups[0].calls }).toEqual({ shape, ratio: true });
    }
  });

  test('the cost estimate costs each fragment once: a fan-out within the other limits is estimated in linear work', () => {
    const doc = parse(fanOut(30, 'alias'));
    const before = limitVisits.nodes;
    const cost = operationCost(schema, operations(doc)[0], fragmentsOf(doc), {});
    const visited = limitVisits.nodes - before;
    expect(cost).toBeGreaterThan(2 ** 30);
    expect(Number.isFinite(cost)).toBe(true);
    expect(visited).toBeLessThan(2000);
  });

  test('POST /graphql: 400 QUERY_TOO_COMPLEX on the selections limit, bounded work, nothing run; then the hub serves as before', async () => {
    const before = limitVisits.nodes;
    const { calls, result } = fragmentLookups(() => t.gql(fanOut(30), {}, { token: zone }));
    const r = await result;
    const visited = limitVisits.nodes - before;
    expect(r.status).toBe(400);
    expect(r.body.data).toBeUndefined();
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors[0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'selections', max: 2000, actual: 2 ** 31 + 2 });
    expect(r.body.errors[0].message).toBe(`the number of field selections with fragments expanded is ${2 ** 31 + 2} (operation FanOut), over the limit of 2000 by ${2 ** 31 + 2 - 2000}`);
    expect(r.statements).toBe(0);
    expect(visited).toBeLessThan(500);
    expect(calls).toBeLessThan(3000);
    // The other shapes too.
    for (const shape of ['field', 'alias'] as const) {
      const s = await t.gql(fanOut(30, shape), {}, { token: zone });
      expect(s.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'selections' });
    }
    // The hub is not stuck: health and an ordinary query answer.
    expect((await request(t.hub.app).get('/healthz')).body).toEqual({ status: 'ok' });
    const ok = await t.gql('{ penalties(first: 2) { edges { node { decisionNo } } } }', {}, { token: zone });
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data.penalties.edges).toHaveLength(2);
  });

  test('a small fan-out under the selections limit runs, and executes each fragment once', async () => {
    const r = await t.gql(fanOut(5), {}, { token: zone });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.penalties.edges[0].node.decisionNo).toEqual(expect.any(String));
  });
});

// ---------------------------------------------------------------------------------------------
// The limit functions as they were before issue 10 (git 46dbe61, src/graphql/limits.ts), walking a
// fragment again at every spread: the reference for "the same numbers as before" on ordinary
// documents. Depth and aliases are now counted by graphql-armor, root fields and the cost by the
// hub with memoisation.

type Fragments = ReadonlyMap<string, FragmentDefinitionNode>;
const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

const reference = {
  depth(set: SelectionSetNode | undefined, fragments: Fragments, visiting: Set<string> = new Set()): number {
    if (!set) return 0;
    let max = 0;
    for (const s of set.selections) {
      let d = 0;
      if (s.kind === Kind.FIELD) d = INTROSPECTION_ROOTS.has(s.name.value) ? 0 : 1 + reference.depth(s.selectionSet, fragments, visiting);
      else if (s.kind === Kind.INLINE_FRAGMENT) d = reference.depth(s.selectionSet, fragments, visiting);
      else {
        const f = fragments.get(s.name.value);
        if (f && !visiting.has(s.name.value)) {
          visiting.add(s.name.value);
          d = reference.depth(f.selectionSet, fragments, visiting);
          visiting.delete(s.name.value);
        }
      }
      if (d > max) max = d;
    }
    return max;
  },
  aliases(set: SelectionSetNode | undefined, fragments: Fragments): number {
    if (!set) return 0;
    let n = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) n += (s.alias ? 1 : 0) + reference.aliases(s.selectionSet, fragments);
      else if (s.kind === Kind.INLINE_FRAGMENT) n += reference.aliases(s.selectionSet, fragments);
      else n += reference.aliases(fragments.get(s.name.value)?.selectionSet, fragments);
    }
    return n;
  },
  rootFields(set: SelectionSetNode, fragments: Fragments): number {
    const keys = new Set<string>();
    const walk = (s: SelectionSetNode, visiting: Set<string>): void => {
      for (const sel of s.selections) {
        if (sel.kind === Kind.FIELD) {
          if (sel.name.value !== '__typename') keys.add(sel.alias?.value ?? sel.name.value);
        } else if (sel.kind === Kind.INLINE_FRAGMENT) walk(sel.selectionSet, visiting);
        else {
          const f = fragments.get(sel.name.value);
          if (f && !visiting.has(f.name.value)) walk(f.selectionSet, new Set([...visiting, f.name.value]));
        }
      }
    };
    walk(set, new Set());
    return keys.size;
  },
  cost(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: Fragments, variables: Record<string, unknown>): number {
    interface Selected { parent: GraphQLNamedType; field: GraphQLField<unknown, unknown>; nodes: FieldNode[] }
    const collect = (parent: GraphQLNamedType, set: SelectionSetNode | undefined, out: Map<string, Selected> = new Map(), visiting: Set<string> = new Set()): Map<string, Selected> => {
      if (!set) return out;
      for (const s of set.selections) {
        if (s.kind === Kind.FIELD) {
          if (s.name.value.startsWith('__') || (!isObjectType(parent) && !isInterfaceType(parent))) continue;
          const field = parent.getFields()[s.name.value];
          if (!field) continue;
          const key = `${parent.name}.${s.alias?.value ?? s.name.value}`;
          const seen = out.get(key);
          if (seen) seen.nodes.push(s);
          else out.set(key, { parent, field, nodes: [s] });
        } else {
          let inner: SelectionSetNode;
          let typeName: string | undefined;
          let p = visiting;
          if (s.kind === Kind.INLINE_FRAGMENT) {
            inner = s.selectionSet;
            typeName = s.typeCondition?.name.value;
          } else {
            const f = fragments.get(s.name.value);
            if (!f || visiting.has(f.name.value)) continue;
            inner = f.selectionSet;
            typeName = f.typeCondition.name.value;
            p = new Set([...visiting, f.name.value]);
          }
          const on = typeName ? schema.getType(typeName) : parent;
          if (on) collect(on, inner, out, p);
        }
      }
      return out;
    };
    const merged = (nodes: FieldNode[]): SelectionSetNode | undefined => {
      const sets = nodes.map((n) => n.selectionSet).filter((s): s is SelectionSetNode => !!s);
      return sets.length <= 1 ? sets[0] : { kind: Kind.SELECTION_SET, selections: sets.flatMap((s) => s.selections) };
    };
    const costOf = (parent: GraphQLNamedType, set: SelectionSetNode | undefined, mult: number | null): number => {
      let total = 0;
      for (const { parent: on, field, nodes } of collect(parent, set).values()) {
        const named = getNamedType(field.type);
        const isList = isListType(getNullableType(field.type));
        const own = FIELD_COSTS[`${on.name}.${field.name}`] ?? (isCompositeType(named) || field.name === 'totalCount' ? 1 : 0);
        let args: Record<string, unknown> = {};
        try {
          args = getArgumentValues(field, nodes[0], variables);
        } catch {
          args = {};
        }
        let cost: number;
        if (field.args.some((a) => a.name === 'first')) {
          const first = Math.max(typeof args.first === 'number' ? args.first : DEFAULT_PAGE_SIZE, 0);
          cost = isList ? own + first * costOf(named, merged(nodes), null) : own + costOf(named, merged(nodes), first);
        } else {
          const sized = isList ? Math.max(1, ...Object.values(args).map((v) => (Array.isArray(v) ? v.length : 1))) : 1;
          cost = own + sized * costOf(named, merged(nodes), null);
        }
        total += isList && mult !== null ? cost * mult : cost;
      }
      return total;
    };
    const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
    return root ? costOf(root, operation.selectionSet, null) : 0;
  },
};

/** Ordinary documents: the README's and the playground's examples and those of the limit tests, fragments in several arrangements. */
function corpus(): Array<{ query: string; variables?: Record<string, unknown> }> {
  const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => ({ query: m[1] }));
  const examples = playgroundExamples('91320509MA1MN00001').map((e) => ({ query: e.query, variables: e.variables }));
  const fanOut = 'query($n: Int) { enterprises(first: $n) { edges { node { uscc penalties(first: $n) { edges { node { decisionNo } } } } } } }';
  const deep = '{ enterprises(first: 1) { edges { node { penalties(first: 1) { edges { node { enterprise { penalties(first: 1) { edges { node { enterprise { creditStatus { level } } } } } } } } } } } } }';
  const reps = [{ __typename: 'Enterprise', uscc: 'x' }, { __typename: 'Enterprise', uscc: 'y' }];
  return [
    ...blocks,
    ...examples,
    { query: fanOut, variables: { n: 500 } },
    { query: fanOut, variables: { n: 5 } },
    { query: deep },
    { query: '{ enterprises { totalCount pageInfo { hasNextPage } edges { node { uscc creditStatus { level } } } } }' },
    { query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise { uscc creditStatus { level } } } }', variables: { r: reps } },
    {
      query: `{ enterprises(first: 10) { ...A ...B } }
        fragment A on EnterpriseConnection { edges { node { uscc creditStatus { level } } } }
        fragment B on EnterpriseConnection { edges { node { creditStatus { level } } } }`,
    },
    {
      query: `{ a: enterprises(first: 3) { ...E } b: enterprises(first: 7) { ...E totalCount } }
        fragment E on EnterpriseConnection { edges { node { ...N penalties(first: 4) { edges { node { ...P } } } } } }
        fragment N on Enterprise { uscc name creditStatus { level } }
        fragment P on Penalty { decisionNo enterprise { ...N } }`,
    },
    { query: `{ enterprises { edges { node { ...P } } } } fragment P on Enterprise { penalties { edges { node { enterprise { penalties { edges { node { enterprise { penalties { edges { node { decisionNo } } } } } } } } } } } }` },
    { query: `{ a: catalogResource(code: "x") { ...F } b: catalogResource(code: "y") { ...F } } fragment F on CatalogResource { ${Array.from({ length: 16 }, (_, i) => `n${i}: name`).join(' ')} }` },
    { query: `{ ${Array.from({ length: 21 }, (_, i) => `a${i}: me { sub }`).join(' ')} }` },
    { query: '{ me { ... on Principal { sub } ...M } } fragment M on Principal { kind sub }' },
  ];
}

describe('the same numbers as before on ordinary documents', () => {
  test('cost: the memoised estimate equals the walk that expanded every spread', () => {
    let compared = 0;
    for (const { query, variables = {} } of corpus()) {
      const doc = parse(query);
      for (const op of operations(doc)) {
        const now = operationCost(schema, op, fragmentsOf(doc), variables);
        expect({ query, cost: now }).toEqual({ query, cost: reference.cost(schema, op, fragmentsOf(doc), variables) });
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(20);
  });

  test('depth, aliases and root fields: graphql-armor and the one-visit walk give what the old walks gave', () => {
    for (const { query } of corpus()) {
      const doc = parse(query);
      const measured = measureDocument(schema, doc);
      operations(doc).forEach((op, i) => {
        const fragments = fragmentsOf(doc);
        const was = { depth: reference.depth(op.selectionSet, fragments), aliases: reference.aliases(op.selectionSet, fragments), rootFields: reference.rootFields(op.selectionSet, fragments) };
        const { depth, aliases, rootFields } = measured[i];
        expect({ query, depth, aliases, rootFields }).toEqual({ query, ...was });
      });
    }
  });

  test("GraphiQL's introspection query: depth 0, 220 expanded selections, about 160 tokens: under every default", () => {
    const [m] = measureDocument(schema, parse(getIntrospectionQuery()));
    expect(m).toMatchObject({ depth: 0, aliases: 0, directives: 0, rootFields: 1 });
    expect(m.selections).toBeLessThan(t.config.limits.maxSelections);
    // `__type` is counted now (graphql-armor spares `__schema` only); it nests a handful of levels.
    const [typeQuery] = measureDocument(schema, parse('{ __type(name: "Enterprise") { fields { type { ofType { ofType { name } } } } } }'));
    expect(typeQuery.depth).toBe(6);
  });
});

describe('tokens, selections and directives', () => {
  test('a document over HUB_MAX_TOKENS is refused by the parser, with the count, and introspection fits the default', async () => {
    const intro = await t.gql(getIntrospectionQuery());
    expect(intro.body.errors).toBeUndefined();
    const small = await hubWith({ HUB_MAX_TOKENS: '100' });
    // { me { sub } } is 6 tokens; each further `me { sub }` 4.
    const doc = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: me { sub }`).join(' ')} }`;
    const fits = await request(small.app).post('/graphql').send({ query: doc(16) }); // 2 + 16 × 6 = 98 tokens
    expect(fits.body.errors).toBeUndefined();
    const r = await request(small.app).post('/graphql').send({ query: doc(17) }); // 104 tokens
    expect(r.status).toBe(400);
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors[0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'tokens', max: 100, actual: 104 });
    expect(r.body.errors[0].message).toBe('the number of tokens in the query document is 104, over the limit of 100 by 4');
    // A plain syntax error stays a syntax error.
    const bad = await request(small.app).post('/graphql').send({ query: '{ me { sub }' });
    expect(bad.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    // Under the default, a 32 KB document of a few thousand tokens is refused the same way.
    const big = await t.gql(`{ me { sub } ${'x '.repeat(5000)}}`);
    expect(big.body.errors[0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'tokens', max: 5000, actual: 5006 });
  });

  test('HUB_MAX_SELECTIONS is a setting; fragments count where they are spread', async () => {
    const tight = await hubWith({ HUB_MAX_SELECTIONS: '10' });
    // two `me`, and M's two fields four times: 10
    const ok = await request(tight.app).post('/graphql').send({ query: '{ me { ...M } again: me { ...M ...M ...M } } fragment M on Principal { sub kind }' });
    expect(ok.body.errors).toBeUndefined();
    const r = await request(tight.app).post('/graphql').send({ query: `query Twice { me { ...M } again: me { ...M ...M } mine: me { ...M } } fragment M on Principal { sub kind }` });
    // three `me`, and M's two fields four times
    expect(r.status).toBe(400);
    expect(r.body.errors[0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'selections', max: 10, actual: 11 });
  });

  test('50 directives pass, 51 are refused; a fragment\'s count once per spread', async () => {
    const fields = (n: number) => Array.from({ length: n }, (_, i) => `f${i}: sub @include(if: true)`).join(' ');
    const many = await hubWith({ HUB_MAX_ALIASES: '100' });
    const ok = await request(many.app).post('/graphql').send({ query: `{ me { ${fields(50)} } }` });
    expect(ok.body.errors).toBeUndefined();
    const r = await request(many.app).post('/graphql').send({ query: `{ me { ${fields(51)} } }` });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'directives', max: 50, actual: 51 });
    const spread = await request(many.app).post('/graphql').send({ query: `{ a: me { ...D } b: me { ...D } } fragment D on Principal { ${fields(26)} }` });
    expect(spread.body.errors[0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'directives', max: 50, actual: 52 });
  });
});
