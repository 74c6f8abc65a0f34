import request from 'supertest';
import { withCheckCharacter } from '../../src/domain/uscc';
import { zoneToday } from '../../src/modules/feed/credit-expiry.job';
import { Made, newEnterprise } from '../support/factories';
import { startTestHub, TestHub } from '../support/hub';

/**
 * Issue 15, the platform's side: entries complete enough to file a listing under, ops that tell
 * a withdrawal from a removal, filters, and the snapshot of what is in force with its feed cursor
 * (GraphQL and NDJSON), written through the write mutations as a district would.
 */
let t: TestHub;
let platform: string;
let zone: string;
let stewards: Record<string, string>;
const e: Record<string, Made> = {};
const AUTHORITY = withCheckCharacter('11320509MB1234567');
let n = 0;
let clock = Date.parse('2026-06-01T02:00:00Z');
const src = () => ({ sourceSystem: 'TEST', sourceRecordId: `R${++n}`, asOf: new Date((clock += 60_000)).toISOString() });

const ENTRY = `cursor op kind uscc enterpriseName legalRepresentative { name idNumber } jurisdiction provinceCode recordNo withdrawnAt withdrawalReason at
  listing { reason legalBasis decisionNo authority authorityUscc listedAt validUntil removedOn removalReason }
  evaluation { scheme level levelName year issuer issuerUscc }`;
const FEED = `query($after: String, $first: Int, $f: CreditFeedFilterInput) { creditFeed(after: $after, first: $first, filter: $f) { endCursor hasMore entries { ${ENTRY} } } }`;
const SNAP = `query($asOf: String, $f: CreditFeedFilterInput, $first: Int, $after: String) {
  creditListingsInForce(asOf: $asOf, filter: $f, first: $first, after: $after) { feedCursor asOf edges { cursor node { ${ENTRY} } } pageInfo { hasNextPage endCursor } } }`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Entry = any;

async function upsert(d: string, input: Record<string, unknown>) {
  const r = await t.gql(`mutation($i: CreditRecordInput!) { upsertCreditRecord(input: $i) { status } }`, { i: input }, { token: stewards[d] });
  expect(r.body.errors).toBeUndefined();
}

const listing = (d: string, no: string, o: Record<string, unknown> = {}) => ({
  recordNo: no, uscc: e[d].uscc, kind: 'LISTING', effectiveOn: '2026-03-01', issuer: '苏州市生态环境局', issuerUscc: AUTHORITY,
  listingReason: '篡改自动监测数据', listingLegalBasis: '《企业环境信用评价办法(试行)》第十二条', validUntil: '2029-02-28', ...src(), ...o,
});

async function feedAll(token: string, f?: Record<string, unknown>, after: string | null = null): Promise<Entry[]> {
  const out: Entry[] = [];
  for (;;) {
    const r = await t.gql(FEED, { after, first: 3, f }, { token });
    expect(r.body.errors).toBeUndefined();
    out.push(...r.body.data.creditFeed.entries);
    after = r.body.data.creditFeed.endCursor;
    if (!r.body.data.creditFeed.hasMore) return out;
  }
}

async function snapshotAll(token: string, vars: Record<string, unknown> = {}, first = 2) {
  const nodes: Entry[] = [];
  let after: string | null = null;
  let feedCursor: string | null = null;
  for (;;) {
    const r = await t.gql(SNAP, { ...vars, first, after }, { token });
    expect(r.body.errors).toBeUndefined();
    const s = r.body.data.creditListingsInForce;
    feedCursor ??= s.feedCursor;
    expect(s.feedCursor).toBe(feedCursor);
    nodes.push(...s.edges.map((x: Entry) => x.node));
    if (!s.pageInfo.hasNextPage) return { nodes, feedCursor: feedCursor!, asOf: s.asOf };
    after = s.pageInfo.endCursor;
  }
}

function ndjson(path: string, token: string, query: Record<string, string> = {}) {
  return request(t.hub.app).get(path).query(query).set('authorization', `Bearer ${token}`);
}

beforeAll(async () => {
  t = await startTestHub('empty');
  platform = await t.token('CREDIT_YRD', ['CREDIT_FEED']);
  zone = await t.token('ZONE', ['DOSSIER_READER']);
  stewards = {};
  for (const d of ['WUJIANG', 'QINGPU', 'JIASHAN']) {
    stewards[d] = await t.token(d, ['DATA_STEWARD']);
    e[d] = await newEnterprise(t.db.ds, { jurisdiction: d as never });
  }
  await upsert('WUJIANG', listing('WUJIANG', 'WJ-L1'));
  await upsert('WUJIANG', listing('WUJIANG', 'WJ-L2'));
  await upsert('QINGPU', listing('QINGPU', 'QP-L1'));
  await upsert('JIASHAN', {
    recordNo: 'JS-E1', uscc: e.JIASHAN.uscc, kind: 'EVALUATION', effectiveOn: '2026-02-01', issuer: '嘉兴市生态环境局', scheme: 'ZHEJIANG_2025', level: 'RED', evaluationYear: 2025, ...src(),
  });
  // WJ-L1 removed by decision; WJ-L2 withdrawn as entered in error.
  await upsert('WUJIANG', listing('WUJIANG', 'WJ-L1', { removedOn: '2026-05-20' }));
  const w = await t.gql(`mutation { withdrawCreditRecord(recordNo: "WJ-L2", reason: "录入错误，该企业未被认定") { status } }`, {}, { token: stewards.WUJIANG });
  expect(w.body.data.withdrawCreditRecord.status).toBe('WITHDRAWN');
});
afterAll(() => t.close());

test('entries are complete: enterprise, legal representative (ID masked for the platform), province, authority and its USCC', async () => {
  const all = await feedAll(platform);
  expect(all.map((x) => [x.op, x.recordNo])).toEqual([
    ['LISTED', 'WJ-L1'], ['LISTED', 'WJ-L2'], ['LISTED', 'QP-L1'], ['EVALUATED', 'JS-E1'], ['REMOVED', 'WJ-L1'], ['WITHDRAWN', 'WJ-L2'],
  ]);
  const [first] = all;
  expect(first).toMatchObject({
    kind: 'LISTING', uscc: e.WUJIANG.uscc, enterpriseName: e.WUJIANG.name, jurisdiction: 'WUJIANG', provinceCode: '320000',
    legalRepresentative: { name: '王小明', idNumber: '3205**********1234' }, withdrawnAt: null, withdrawalReason: null, evaluation: null,
    listing: {
      reason: '篡改自动监测数据', legalBasis: '《企业环境信用评价办法(试行)》第十二条', decisionNo: 'WJ-L1', authority: '苏州市生态环境局', authorityUscc: AUTHORITY,
      listedAt: '2026-03-01', validUntil: '2029-02-28', removedOn: null, removalReason: null,
    },
  });
  expect(all[3]).toMatchObject({ kind: 'EVALUATION', provinceCode: '330000', listing: null, evaluation: { scheme: 'ZHEJIANG_2025', level: 'RED', levelName: '红牌', year: 2025, issuer: '嘉兴市生态环境局' } });
  expect(all[2].provinceCode).toBe('310000');
  // Removed (served its term, or by decision) and withdrawn (never stood) are told apart.
  expect(all[4].listing).toMatchObject({ removedOn: '2026-05-20', removalReason: 'REMOVAL_DECISION' });
  expect(all[5]).toMatchObject({ op: 'WITHDRAWN', withdrawalReason: '录入错误，该企业未被认定', listing: { removedOn: null, removalReason: null } });
  expect(Date.parse(all[5].withdrawnAt)).toBeGreaterThan(0);
  // ZONE covers every district: the ID number in full.
  const zoneView = await feedAll(zone);
  expect(zoneView[0].legalRepresentative.idNumber).toBe('320584198001011234');
});

test('filters: province, jurisdiction, op, kind and since narrow the feed; the cursor still walks the whole feed', async () => {
  const ids = (xs: Entry[]) => xs.map((x) => `${x.op}:${x.recordNo}`);
  expect(ids(await feedAll(platform, { provinces: ['320000'] }))).toEqual(['LISTED:WJ-L1', 'LISTED:WJ-L2', 'REMOVED:WJ-L1', 'WITHDRAWN:WJ-L2']);
  expect(ids(await feedAll(platform, { provinces: ['SHANGHAI', 'ZHEJIANG'] }))).toEqual(['LISTED:QP-L1', 'EVALUATED:JS-E1']);
  expect(ids(await feedAll(platform, { jurisdictions: ['JIASHAN', 'QINGPU'], provinces: ['330000'] }))).toEqual(['EVALUATED:JS-E1']);
  expect(ids(await feedAll(platform, { ops: ['REMOVED', 'WITHDRAWN'] }))).toEqual(['REMOVED:WJ-L1', 'WITHDRAWN:WJ-L2']);
  expect(ids(await feedAll(platform, { kinds: ['EVALUATION'] }))).toEqual(['EVALUATED:JS-E1']);
  const all = await feedAll(platform);
  expect(ids(await feedAll(platform, { since: all[4].at }))).toEqual(['REMOVED:WJ-L1', 'WITHDRAWN:WJ-L2']);
  // NDJSON takes the same filter in its query string.
  const r = await ndjson('/feeds/credit.ndjson', platform, { province: '320000', op: 'LISTED' });
  const lines = r.text.trimEnd().split('\n').map((l) => JSON.parse(l));
  expect(lines.slice(0, -1).map((x) => x.recordNo)).toEqual(['WJ-L1', 'WJ-L2']);
  expect(lines[lines.length - 1]).toEqual({ endCursor: all[1].cursor, hasMore: false });
});

test('the snapshot holds what is in force, stamped with the feed cursor it is consistent with', async () => {
  const all = await feedAll(platform);
  const s = await snapshotAll(platform);
  expect(s.asOf).toBe(zoneToday());
  expect(s.feedCursor).toBe(all[all.length - 1].cursor);
  expect(s.nodes.map((x) => x.recordNo)).toEqual(['JS-E1', 'QP-L1']);
  expect(s.nodes[1]).toEqual(all[2]); // the record's latest entry, as the feed sent it

  // A change after the snapshot: the feed from its cursor carries exactly that change.
  await upsert('JIASHAN', listing('JIASHAN', 'JS-L1', { issuer: '嘉兴市生态环境局' }));
  const next = await feedAll(platform, undefined, s.feedCursor);
  expect(next.map((x) => x.recordNo)).toEqual(['JS-L1']);
  const again = await snapshotAll(platform);
  expect(again.nodes.map((x) => x.recordNo)).toEqual(['JS-E1', 'JS-L1', 'QP-L1']);
  expect(again.feedCursor).toBe(next[0].cursor);

  // Filtered, and on a past day: on 2026-04-01 WJ-L1 was still listed (removed 2026-05-20); WJ-L2 never stood.
  const jiangsu = await snapshotAll(platform, { f: { provinces: ['JIANGSU'] }, asOf: '2026-04-01' });
  expect(jiangsu.nodes.map((x) => x.recordNo)).toEqual(['WJ-L1']);
  const early = await snapshotAll(platform, { asOf: '2026-02-15', f: { kinds: ['LISTING'] } });
  expect(early.nodes).toEqual([]);
});

test('the NDJSON twin gives the same entries, with the feed cursor in a header and the last line', async () => {
  const s = await snapshotAll(platform, { f: { provinces: ['310000', '330000'] } });
  const r = await ndjson('/feeds/credit-in-force.ndjson', platform, { province: '310000,330000' });
  expect(r.status).toBe(200);
  expect(r.headers['x-feed-cursor']).toBe(s.feedCursor);
  const lines = r.text.trimEnd().split('\n').map((l) => JSON.parse(l));
  expect(lines.slice(0, -1)).toEqual(s.nodes);
  expect(lines[lines.length - 1]).toEqual({ feedCursor: s.feedCursor, asOf: zoneToday(), count: s.nodes.length });
});

describe('bad input: typed errors', () => {
  const tomorrow = new Date(Date.parse(`${zoneToday()}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  test.each([
    ['a snapshot asOf in the future', SNAP, { asOf: tomorrow }, 'asOf'],
    ['a snapshot asOf that is not a day', SNAP, { asOf: '2026-02-30' }, 'asOf'],
    ['an unknown province on the snapshot', SNAP, { f: { provinces: ['440000'] } }, 'filter.provinces.0'],
    ['an unknown province on the feed', FEED, { f: { provinces: ['GUANGDONG'] } }, 'filter.provinces.0'],
    ['an unknown jurisdiction', FEED, { f: { jurisdictions: ['SUZHOU'] } }, 'filter.jurisdictions.0'],
    ['an unknown op', FEED, { f: { ops: ['DELETED'] } }, 'filter.ops.0'],
    ['an unknown kind', FEED, { f: { kinds: ['PENALTY'] } }, 'filter.kinds.0'],
    ['a feed cursor as a snapshot cursor', SNAP, { after: 'WyJDUkVESVRfRkVFRCIsIjEiXQ' }, 'after'],
  ])('%s', async (_name, q, vars, field) => {
    const r = await t.gql(q, vars, { token: platform });
    expect(r.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(r.body.data).toBeNull();
  });

  test.each([
    ['/feeds/credit-in-force.ndjson', { asOf: '2999-01-01' }, 'asOf'],
    ['/feeds/credit-in-force.ndjson', { province: '440000' }, 'filter.provinces.0'],
    ['/feeds/credit.ndjson', { province: 'X' }, 'filter.provinces.0'],
    ['/feeds/credit.ndjson', { op: 'LISTED,NOPE' }, 'filter.ops.1'],
  ])('NDJSON %s %j: 400', async (path, query, field) => {
    const r = await ndjson(path, platform, query as Record<string, string>);
    expect(r.status).toBe(400);
    expect(r.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  test('the snapshot has the feed\'s policy', async () => {
    const district = await t.token('WUJIANG', ['DOSSIER_READER']);
    const r = await t.gql(SNAP, {}, { token: district });
    expect(r.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'feed.platformAndZoneOnly' });
    expect((await request(t.hub.app).get('/feeds/credit-in-force.ndjson')).status).toBe(401);
  });
});
