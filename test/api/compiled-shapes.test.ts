import request from 'supertest';
import { startTestHub, TestHub } from '../support/hub';
import { Compiler } from '../../src/read/compile';

/**
 * A lookup's statement is compiled once per shape (src/read/engine.ts, "Compiled once per
 * shape"): a later lookup of the same shape runs it with its own keys and request id. These tests
 * check that the reused statement answers and audits exactly what a fresh one would, and that any
 * input of the compilation other than the keys (the caller, the purpose, a variable beyond the
 * key, the catalog's terms) compiles a statement of its own: hub `t` has compiled other shapes
 * first, hub `fresh` (a clone of the same data) has not, and both must answer alike.
 */
let t: TestHub;
let fresh: TestHub;
beforeAll(async () => {
  t = await startTestHub('demo');
  fresh = await startTestHub('demo');
});
afterAll(async () => {
  await fresh.close();
  await t.close();
});

const DOSSIER = `query D($u: USCC!, $n: Int) { enterprise(uscc: $u) {
  uscc name ownerJurisdiction legalRepresentative { name idNumber } creditStatus { level blacklisted }
  penalties(first: $n) { totalCount edges { node { decisionNo fineAmount } } }
  complaints(first: 5) { totalCount edges { node { ticketNo complainant { name phone idNumber } } } } } }`;

async function firms(owner: string, n: number): Promise<string[]> {
  const rows: Array<{ uscc: string }> = await t.db.ds.query(
    `SELECT e.uscc FROM enterprise e WHERE e.owner_jurisdiction = $1 AND e.withdrawn_at IS NULL
       AND EXISTS (SELECT 1 FROM complaint c WHERE c.enterprise_id = e.id) ORDER BY e.uscc LIMIT $2`, [owner, n]);
  expect(rows).toHaveLength(n);
  return rows.map((r) => r.uscc);
}

function countCompiles() {
  return jest.spyOn(Compiler.prototype, 'finish');
}

afterEach(() => jest.restoreAllMocks());

test('a second lookup of a shape reuses its statement, with its own keys and request id in the answer and the audit', async () => {
  const [a, b] = await firms('WUJIANG', 2);
  const token = await t.token('WUJIANG', ['DOSSIER_READER'], { sub: 'shape-reuse' });
  const compiles = countCompiles();
  const first = await t.gql(DOSSIER, { u: a, n: 3 }, { token, headers: { 'x-request-id': 'shape-reuse-1' } });
  const second = await t.gql(DOSSIER, { u: b, n: 3 }, { token, headers: { 'x-request-id': 'shape-reuse-2' } });
  expect(first.body.errors).toBeUndefined();
  expect(second.body.errors).toBeUndefined();
  expect([first.body.data.enterprise.uscc, second.body.data.enterprise.uscc]).toEqual([a, b]);
  expect(compiles).toHaveBeenCalledTimes(1);
  expect([first.statements, second.statements]).toEqual([1, 1]);

  // The same read on a hub that compiles it for the first time: the same answer.
  const other = await fresh.gql(DOSSIER, { u: b, n: 3 }, { token: await fresh.token('WUJIANG', ['DOSSIER_READER'], { sub: 'shape-reuse' }) });
  expect(second.body).toEqual(other.body);

  // Each request's audit rows carry its own id and its own firm.
  const rows: Array<{ request_id: string; record_keys: string[] }> = await t.db.ds.query(
    `SELECT request_id, record_keys FROM audit_event WHERE request_id IN ('shape-reuse-1', 'shape-reuse-2') AND resource_type = 'ENTERPRISE' ORDER BY request_id`);
  expect(rows).toEqual([{ request_id: 'shape-reuse-1', record_keys: [a] }, { request_id: 'shape-reuse-2', record_keys: [b] }]);
  const complaints: Array<{ request_id: string; n: number }> = await t.db.ds.query(
    `SELECT request_id, sum(record_count)::int AS n FROM audit_event WHERE request_id IN ('shape-reuse-1', 'shape-reuse-2') AND resource_type = 'COMPLAINT' GROUP BY 1 ORDER BY 1`);
  expect(complaints.map((c) => c.n)).toEqual([first.body.data.enterprise.complaints.edges.length, second.body.data.enterprise.complaints.edges.length]);
});

test.each([
  ['another district', { j: 'ZONE', roles: ['DOSSIER_READER', 'ENFORCEMENT'], sub: 'shape-x' }, { j: 'QINGPU', roles: ['DOSSIER_READER'], sub: 'shape-x' }, {}, {}],
  ['other roles', { j: 'WUJIANG', roles: ['DOSSIER_READER', 'ENFORCEMENT'], sub: 'shape-y' }, { j: 'WUJIANG', roles: ['DOSSIER_READER'], sub: 'shape-y' }, {}, {}],
  ['another purpose', { j: 'WUJIANG', roles: ['DOSSIER_READER', 'ENFORCEMENT'], sub: 'shape-z' }, { j: 'WUJIANG', roles: ['DOSSIER_READER', 'ENFORCEMENT'], sub: 'shape-z' }, { purpose: 'ENFORCEMENT' }, {}],
  ['a variable beyond the key', { j: 'QINGPU', roles: ['DOSSIER_READER'], sub: 'shape-v' }, { j: 'QINGPU', roles: ['DOSSIER_READER'], sub: 'shape-v' }, { n: 1 }, { n: 4 }],
])('%s compiles a statement of its own, and answers as a hub that never saw the first', async (_name, x, y, xOpts, yOpts) => {
  const [firm] = await firms('JIASHAN', 1);
  const read = async (h: TestHub, who: typeof x, o: { purpose?: string; n?: number }) => h.gql(DOSSIER, { u: firm, n: o.n ?? 2 }, {
    token: await h.token(who.j, who.roles, { sub: who.sub }), purpose: o.purpose,
  });
  const compiles = countCompiles();
  await read(t, x, xOpts);
  const after = compiles.mock.calls.length;
  expect(after).toBeGreaterThan(0);
  const got = await read(t, y, yOpts);
  expect(compiles.mock.calls.length).toBeGreaterThan(after);
  expect(got.body).toEqual((await read(fresh, y, yOpts)).body);
});

test('the catalog\'s terms read again (a reload, another instance\'s change) are in force at the next lookup', async () => {
  const [firm] = await firms('QINGPU', 1);
  const token = await t.token('WUJIANG', ['DOSSIER_READER'], { sub: 'shape-terms' });
  const compiles = countCompiles();
  await t.gql(DOSSIER, { u: firm, n: 2 }, { token });
  await t.gql(DOSSIER, { u: firm, n: 2 }, { token });
  expect(compiles).toHaveBeenCalledTimes(1);
  await t.hub.services.catalog.refresh();
  await t.gql(DOSSIER, { u: firm, n: 2 }, { token });
  expect(compiles).toHaveBeenCalledTimes(2);
});

test('two operations of one document sharing a fragment each audit under their own name', async () => {
  const [firm] = await firms('WUJIANG', 1);
  const token = await t.token('WUJIANG', ['DOSSIER_READER'], { sub: 'shape-operations' });
  const doc = `query A($u: USCC!) { ...F } query B($u: USCC!) { ...F } fragment F on Query { enterprise(uscc: $u) { uscc name } }`;
  for (const operationName of ['A', 'B']) {
    const res = await request(t.hub.app).post('/graphql').set('content-type', 'application/json').set('authorization', `Bearer ${token}`)
      .set('x-request-id', `shape-operation-${operationName}`).send({ query: doc, variables: { u: firm }, operationName });
    expect(res.body).toEqual({ data: { enterprise: { uscc: firm, name: expect.any(String) } } });
  }
  const rows: Array<{ request_id: string; operation_name: string }> = await t.db.ds.query(
    `SELECT DISTINCT request_id, operation_name FROM audit_event WHERE request_id LIKE 'shape-operation-%' ORDER BY request_id`);
  expect(rows).toEqual([{ request_id: 'shape-operation-A', operation_name: 'A' }, { request_id: 'shape-operation-B', operation_name: 'B' }]);
});

test('a lookup whose document carries long variables beyond its keys is compiled per request, and answers alike', async () => {
  const [a, b] = await firms('QINGPU', 2);
  const token = await t.token('QINGPU', ['DOSSIER_READER'], { sub: 'shape-long' });
  // $pad is a key of the second field, so for the first it is a variable beyond its keys, and too long to be part of a kept fingerprint.
  const q = `query($u: USCC!, $pad: String!) { enterprise(uscc: $u) { uscc name penalties(first: 2) { totalCount } } complaint(ticketNo: $pad) { ticketNo } }`;
  const pad = 'X'.repeat(3000);
  // Lookups compiled, by the record type they look up.
  const lookups = jest.spyOn(Compiler.prototype, 'rootKeys');
  const enterprises = () => lookups.mock.calls.filter(([model]) => model.typeName === 'Enterprise').length;
  await t.gql(q, { u: a, pad }, { token });
  expect(enterprises()).toBe(1);
  const second = await t.gql(q, { u: b, pad }, { token });
  expect(enterprises()).toBe(2);
  expect(second.body.data.enterprise.uscc).toBe(b);
  const other = await fresh.gql(q, { u: b, pad }, { token: await fresh.token('QINGPU', ['DOSSIER_READER'], { sub: 'shape-long' }) });
  expect(second.body.data.enterprise).toEqual(other.body.data.enterprise);
});
