import { readFileSync } from 'node:fs';
import path from 'node:path';
import { getIntrospectionQuery, GraphQLSchema, Kind, OperationDefinitionNode, parse, specifiedRules, validate } from 'graphql';
import request from 'supertest';
import { createHub, Hub } from '../../src/server';
import { createLogger } from '../../src/logger';
import { hubSchema } from '../../src/graphql/schema';
import { limitRules, operationCost } from '../../src/graphql/limits';
import { playgroundExamples } from '../../src/playground/examples';
import { startTestHub, testConfig, TestHub } from '../support/hub';

/**
 * The request limits (src/graphql/limits.ts): each one refuses what is over it with
 * QUERY_TOO_COMPLEX naming the limit, the maximum and the excess, and lets the hub's own
 * examples and GraphiQL's introspection through.
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

/** Another hub on the same database, with other settings. */
async function hubWith(overrides: Record<string, string>): Promise<Hub> {
  const config = testConfig(overrides);
  const hub = await createHub(config, t.db.ds, createLogger(config));
  extra.push(hub);
  return hub;
}

function costOf(query: string, variables: Record<string, unknown> = {}): number {
  const doc = parse(query);
  const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = new Map(doc.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [(d as { name: { value: string } }).name.value, d as never]));
  return operationCost(schema, op, fragments, variables);
}

const FAN_OUT = `query($n: Int) { enterprises(first: $n) { edges { node { uscc penalties(first: $n) { edges { node { decisionNo } } } } } } }`;

describe('cost', () => {
  test('a connection multiplies its edges by first (default 20); pageInfo and totalCount count once', () => {
    expect(costOf('{ enterprises { totalCount pageInfo { hasNextPage } edges { node { uscc creditStatus { level } } } } }')).toBe(1 + 1 + 1 + 20 * 3);
    expect(costOf('{ enterprises(first: 5) { edges { node { uscc } } } }')).toBe(1 + 5 * 2);
    // first from a variable
    expect(costOf(FAN_OUT, { n: 500 })).toBe(1 + 500 * (1 + 1 + (1 + 500 * 2)));
    expect(costOf(FAN_OUT, { n: 5 })).toBe(1 + 5 * (1 + 1 + (1 + 5 * 2)));
    // a list without first is as long as its longest list argument
    const reps = [{ __typename: 'Enterprise', uscc: 'x' }, { __typename: 'Enterprise', uscc: 'y' }];
    expect(costOf('query($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise { uscc creditStatus { level } } } }', { r: reps })).toBe(1 + 2 * 1);
  });

  test('fields selected twice through fragments are counted once, as they execute once', () => {
    const plain = costOf('{ enterprises(first: 10) { edges { node { uscc creditStatus { level } } } } }');
    const split = costOf(`{ enterprises(first: 10) { ...A ...B } }
      fragment A on EnterpriseConnection { edges { node { uscc creditStatus { level } } } }
      fragment B on EnterpriseConnection { edges { node { creditStatus { level } } } }`);
    expect(split).toBe(plain);
  });

  test("the README's and the playground's example queries fit every default limit", async () => {
    const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
    const queries = [...blocks, ...playgroundExamples('91320509MA1MN00001').map((e) => e.query)];
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    const { limits } = t.config;
    for (const q of queries) {
      const doc = parse(q);
      expect({ q, errors: validate(schema, doc, [...specifiedRules, ...limitRules(limits)]).map((e) => e.message) }).toEqual({ q, errors: [] });
      for (const op of doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)) {
        const fragments = new Map(doc.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [(d as { name: { value: string } }).name.value, d as never]));
        expect({ q, cost: operationCost(schema, op, fragments, {}) <= limits.maxCost }).toEqual({ q, cost: true });
      }
    }
  });

  test('a 500 × 500 nested fan-out is refused before any resolver runs, with the cost and the excess', async () => {
    const r = await t.gql(FAN_OUT, { n: 500 }, { token: zone });
    expect(r.status).toBe(400);
    expect(r.body.data).toBeUndefined();
    const e = r.body.errors[0];
    expect(e.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'cost', max: 25000, actual: 501501 });
    expect(e.message).toBe('estimated query cost is 501501, over the limit of 25000 by 476501');
    expect(r.statements).toBe(0);
  });

  test('the same query with small pages runs, and says what it cost', async () => {
    const r = await t.gql(FAN_OUT, { n: 5 }, { token: zone });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.enterprises.edges).toHaveLength(5);
    expect(r.headers['x-query-cost']).toBe(String(1 + 5 * 13));
  });

  test('a page size over 500 is refused by the field, naming it, not by the cost', async () => {
    const r = await t.gql('{ enterprises(first: 501) { edges { node { uscc } } } }', {}, { token: zone });
    expect(r.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  test('the budget is a setting', async () => {
    const tight = await hubWith({ HUB_MAX_COST: '50' });
    const r = await request(tight.app).post('/graphql').set('authorization', `Bearer ${zone}`)
      .send({ query: '{ enterprises(first: 30) { edges { node { uscc } } } }' });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'cost', max: 50, actual: 61 });
  });
});

describe('depth', () => {
  // enterprises > edges > node > penalties > edges > node > enterprise > penalties > edges > node > enterprise > uscc = 12
  const AT_LIMIT = '{ enterprises(first: 1) { edges { node { penalties(first: 1) { edges { node { enterprise { penalties(first: 1) { edges { node { enterprise { uscc } } } } } } } } } } } }';
  const OVER = AT_LIMIT.replace('enterprise { uscc }', 'enterprise { creditStatus { level } }');

  test('12 levels pass, 13 are refused naming the depth and the excess', async () => {
    const ok = await t.gql(AT_LIMIT, {}, { token: zone });
    expect(ok.body.errors).toBeUndefined();
    const r = await t.gql(`query Deep ${OVER}`, {}, { token: zone });
    expect(r.status).toBe(400);
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors[0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'depth', max: 12, actual: 13 });
    expect(r.body.errors[0].message).toBe('query depth is 13 (operation Deep), over the limit of 12 by 1');
    expect(r.statements).toBe(0);
  });

  test('fragments count where they are spread', async () => {
    const r = await t.gql(`{ enterprises { edges { node { ...P } } } }
      fragment P on Enterprise { penalties { edges { node { enterprise { penalties { edges { node { enterprise { penalties { edges { node { decisionNo } } } } } } } } } } } }`, {}, { token: zone });
    expect(r.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'depth', actual: 15 });
  });

  test("GraphiQL's introspection query passes, even under a depth limit of 3", async () => {
    const r = await t.gql(getIntrospectionQuery());
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.__schema.queryType.name).toBe('Query');
    const shallow = await hubWith({ HUB_MAX_DEPTH: '3' });
    const s = await request(shallow.app).post('/graphql').send({ query: getIntrospectionQuery() });
    expect(s.body.errors).toBeUndefined();
    expect(s.body.data.__schema.types.length).toBeGreaterThan(50);
    const deep = await request(shallow.app).post('/graphql').send({ query: '{ catalogResources { edges { node { code } } } }' });
    expect(deep.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'depth', max: 3, actual: 4 });
  });
});

describe('aliases and root fields', () => {
  const aliased = (n: number, field = 'me { sub }'): string => Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ');

  test('30 aliases pass, 31 are refused', async () => {
    const many = `catalogResource(code: "x") { code ${Array.from({ length: 30 }, (_, i) => `n${i}: name`).join(' ')} }`;
    expect((await t.gql(`{ ${many} }`)).body.errors).toBeUndefined();
    const r = await t.gql(`{ ${many.replace('{ code', '{ code n30: name')} }`);
    expect(r.status).toBe(400);
    expect(r.body.errors[0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'aliases', max: 30, actual: 31 });
    expect(r.body.errors[0].message).toBe('the number of aliased fields is 31, over the limit of 30 by 1');
  });

  test('aliases inside a fragment count once per spread', async () => {
    const frag = `fragment F on CatalogResource { ${Array.from({ length: 16 }, (_, i) => `n${i}: name`).join(' ')} }`;
    const r = await t.gql(`{ a: catalogResource(code: "x") { ...F } b: catalogResource(code: "y") { ...F } } ${frag}`);
    // 2 root aliases + 2 × 16
    expect(r.body.errors[0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'aliases', max: 30, actual: 34 });
  });

  test('20 root fields pass, 21 are refused (an alias is a root field of its own)', async () => {
    expect((await t.gql(`{ ${aliased(20)} }`)).body.errors).toBeUndefined();
    const r = await t.gql(`{ ${aliased(21)} }`);
    expect(r.status).toBe(400);
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors[0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'rootFields', max: 20, actual: 21 });
  });

  test('both are settings', async () => {
    const tight = await hubWith({ HUB_MAX_ALIASES: '1', HUB_MAX_ROOT_FIELDS: '1' });
    const r = await request(tight.app).post('/graphql').send({ query: `{ ${aliased(2)} }` });
    expect(r.body.errors.map((e: { extensions: { limit: string } }) => e.extensions.limit).sort()).toEqual(['aliases', 'rootFields']);
  });
});

describe('before parsing: batches and document size', () => {
  test('a batch is a 400 that says batching is off, and nothing runs', async () => {
    const r = await request(t.hub.app).post('/graphql').send([{ query: '{ me { sub } }' }, { query: '{ me { kind } }' }]);
    expect(r.status).toBe(400);
    expect(r.body.errors[0].extensions).toEqual({ code: 'BAD_REQUEST', limit: 'batch', max: 1, actual: 2 });
    expect(r.body.errors[0].message).toMatch(/batched requests are not accepted: send one operation per request \(this batch holds 2\)/);
  });

  test('a document over 32 KiB is a 413 naming the size, for POST and GET', async () => {
    const padded = `{ me { sub } } # ${'x'.repeat(40_000)}`;
    const bytes = Buffer.byteLength(padded);
    const r = await request(t.hub.app).post('/graphql').send({ query: padded });
    expect(r.status).toBe(413);
    expect(r.body.errors[0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'queryBytes', max: 32768, actual: bytes });
    expect(r.body.errors[0].message).toBe(`the query document size in bytes is ${bytes}, over the limit of 32768 by ${bytes - 32768}`);
    // GET carries the document in the URL (Node itself refuses URLs over 16 KB), so check it on a hub with a small limit.
    const small = await hubWith({ HUB_MAX_QUERY_BYTES: '256' });
    const g = await request(small.app).get('/graphql').query({ query: `{ me { sub } } # ${'x'.repeat(300)}` }).set('apollo-require-preflight', 'true');
    expect(g.status).toBe(413);
    expect(g.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'queryBytes', max: 256 });
    const fine = await request(small.app).get('/graphql').query({ query: '{ me { sub } }' }).set('apollo-require-preflight', 'true');
    expect(fine.body.data.me.sub).toBe('public');
    // bytes, not characters: 11,000 three-byte characters are 33,000 bytes
    const cjk = await request(t.hub.app).post('/graphql').send({ query: `{ me { sub } } # ${'水'.repeat(11_000)}` });
    expect(cjk.status).toBe(413);
  });

  test('a document just under the limit is parsed and runs', async () => {
    const q = `{ me { sub } } #`;
    const r = await request(t.hub.app).post('/graphql').send({ query: q + 'x'.repeat(32_768 - Buffer.byteLength(q)) });
    expect(r.status).toBe(200);
    expect(r.body.data.me.sub).toBe('public');
  });
});

describe('introspection switch', () => {
  test('HUB_INTROSPECTION=false refuses introspection and keeps answering queries', async () => {
    const closed = await hubWith({ HUB_INTROSPECTION: 'false' });
    const r = await request(closed.app).post('/graphql').send({ query: '{ __schema { queryType { name } } }' });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(r.body.errors[0].message).toMatch(/introspection/i);
    const q = await request(closed.app).post('/graphql').send({ query: '{ me { kind } }' });
    expect(q.body.data.me.kind).toBe('public');
  });
});
