import http from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from '../../src/config';
import { encodeCursor } from '../../src/graphql/pagination';
import { createLogger } from '../../src/logger';
import { backfillCreditChanges, CREDIT_EXPIRY_LOCK, expireListings, startCreditExpiryJob } from '../../src/modules/feed';
import { CreditRecordKind } from '../../src/modules/credit';
import { bulkEvaluations, writeCredit } from '../support/credit-changes';
import { Made, newCreditRecord, newEnterprise } from '../support/factories';
import { startTestHub, TestHub } from '../support/hub';

/** The credit feed: GraphQL pages, the NDJSON stream, the policy, and removals by expiry. */
let t: TestHub;
let platform: string;
let zone: string;
let wj: Made;
let qp: Made;
let js: Made;

const FEED = `query($after: String, $first: Int) { creditFeed(after: $after, first: $first) {
  endCursor hasMore
  entries { cursor op kind uscc enterpriseName legalRepresentative { name idNumber } jurisdiction provinceCode recordNo withdrawnAt withdrawalReason at
    listing { reason legalBasis decisionNo authority authorityUscc listedAt validUntil removedOn removalReason }
    evaluation { scheme level levelName year issuer issuerUscc } } } }`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Entry = any;

async function pullAll(token: string, first: number, after: string | null = null): Promise<{ entries: Entry[]; endCursor: string; pages: number }> {
  const entries: Entry[] = [];
  let pages = 0;
  for (;;) {
    const r = await t.gql(FEED, { after, first }, { token });
    expect(r.body.errors).toBeUndefined();
    const page = r.body.data.creditFeed;
    entries.push(...page.entries);
    after = page.endCursor;
    pages++;
    if (!page.hasMore) return { entries, endCursor: page.endCursor, pages };
    if (pages > 1000) throw new Error('runaway feed');
  }
}

function ndjson(token: string | null, after?: string) {
  const req = request(t.hub.app).get('/feeds/credit.ndjson').query(after ? { after } : {});
  return token ? req.set('authorization', `Bearer ${token}`) : req;
}

function lines(text: string): Entry[] {
  expect(text.endsWith('\n')).toBe(true);
  return text.trimEnd().split('\n').map((l) => JSON.parse(l));
}

const asEnterprise = (e: Made) => ({ id: e.id, uscc: e.uscc, name: e.name, ownerJurisdiction: e.ownerJurisdiction });

beforeAll(async () => {
  t = await startTestHub('empty');
  platform = await t.token('CREDIT_YRD', ['CREDIT_FEED']);
  zone = await t.token('ZONE', ['DOSSIER_READER']);
  wj = await newEnterprise(t.db.ds, { jurisdiction: 'WUJIANG' as never });
  qp = await newEnterprise(t.db.ds, { jurisdiction: 'QINGPU' as never });
  js = await newEnterprise(t.db.ds, { jurisdiction: 'JIASHAN' as never });
});
afterAll(() => t.close());

describe('creditFeed: content and order', () => {
  let listingNo: string;
  let all: Entry[];

  beforeAll(async () => {
    listingNo = await writeCredit(t.db.ds, { enterprise: asEnterprise(wj), kind: 'LISTING', op: 'LISTED', effectiveOn: '2026-02-10', validUntil: '2029-02-10' });
    await writeCredit(t.db.ds, { enterprise: asEnterprise(qp), kind: 'EVALUATION', op: 'EVALUATED', scheme: 'SHANGHAI_2024', level: 'D', year: 2025 });
    await writeCredit(t.db.ds, { enterprise: asEnterprise(wj), kind: 'LISTING', op: 'UPDATED', recordNo: listingNo, effectiveOn: '2026-02-10', validUntil: '2027-02-10' });
    await writeCredit(t.db.ds, { enterprise: asEnterprise(js), kind: 'EVALUATION', op: 'EVALUATED', scheme: 'ZHEJIANG_2025', level: 'GREEN', year: 2025 });
    await writeCredit(t.db.ds, { enterprise: asEnterprise(wj), kind: 'LISTING', op: 'REMOVED', recordNo: listingNo, effectiveOn: '2026-02-10', validUntil: '2027-02-10', removedOn: '2026-06-01' });
    all = (await pullAll(platform, 100)).entries;
  });

  test('every change once, in commit order, with what the writer recorded', () => {
    expect(all.map((e) => [e.op, e.jurisdiction])).toEqual([
      ['LISTED', 'WUJIANG'], ['EVALUATED', 'QINGPU'], ['UPDATED', 'WUJIANG'], ['EVALUATED', 'JIASHAN'], ['REMOVED', 'WUJIANG'],
    ]);
    expect(all[0]).toMatchObject({
      uscc: wj.uscc, enterpriseName: wj.name, recordNo: listingNo, evaluation: null,
      listing: { reason: '篡改、伪造自动监测数据', legalBasis: '《企业环境信用评价办法(试行)》', decisionNo: listingNo, listedAt: '2026-02-10', validUntil: '2029-02-10', removedOn: null },
    });
    expect(all[1]).toMatchObject({ uscc: qp.uscc, listing: null, evaluation: { scheme: 'SHANGHAI_2024', level: 'D', year: 2025, issuer: '测试生态环境局' } });
    expect(all[2].listing.validUntil).toBe('2027-02-10');
    expect(all[4].listing).toMatchObject({ decisionNo: listingNo, removedOn: '2026-06-01' });
    for (const e of all) expect(new Date(e.at).getTime()).not.toBeNaN();
    expect(new Set(all.map((e) => e.cursor)).size).toBe(all.length);
  });

  test('small pages walk the same entries; endCursor and hasMore say where to resume', async () => {
    const paged = await pullAll(platform, 2);
    expect(paged.pages).toBe(3);
    expect(paged.entries).toEqual(all);
    expect(paged.endCursor).toBe(all[4].cursor);

    const first = await t.gql(FEED, { first: 2 }, { token: platform });
    expect(first.body.data.creditFeed).toMatchObject({ hasMore: true, endCursor: all[1].cursor });
    expect(first.body.data.creditFeed.entries).toEqual(all.slice(0, 2));

    // At the end: an empty page keeps the cursor, so the caller can store endCursor unconditionally.
    const end = await t.gql(FEED, { after: paged.endCursor }, { token: platform });
    expect(end.body.data.creditFeed).toEqual({ entries: [], endCursor: paged.endCursor, hasMore: false });

    // A change committed later is the next pull's one entry.
    const late = await writeCredit(t.db.ds, { enterprise: asEnterprise(js), kind: 'LISTING', op: 'LISTED' });
    const next = await t.gql(FEED, { after: paged.endCursor }, { token: platform });
    expect(next.body.data.creditFeed.entries.map((e: Entry) => [e.op, e.recordNo])).toEqual([['LISTED', late]]);
    expect(next.body.data.creditFeed.hasMore).toBe(false);
    all = (await pullAll(platform, 100)).entries;
  });

  test('first: 100 by default, at most 1,000; first 0 says whether there is more', async () => {
    await bulkEvaluations(t.db.ds, asEnterprise(qp), 1050, 'DEF');
    const def = await t.gql(FEED, {}, { token: platform });
    expect(def.body.data.creditFeed.entries).toHaveLength(100);
    expect(def.body.data.creditFeed.hasMore).toBe(true);
    const max = await t.gql(FEED, { first: 1000 }, { token: platform });
    expect(max.body.data.creditFeed.entries).toHaveLength(1000);
    const zero = await t.gql(FEED, { first: 0 }, { token: platform });
    expect(zero.body.data.creditFeed).toMatchObject({ entries: [], hasMore: true });
    const over = await t.gql(FEED, { first: 1001 }, { token: platform });
    expect(over.body.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'first' } });
    expect(over.body.errors[0].message).toMatch(/^first: must be between 0 and 1000/);
  });

  test.each([
    ['garbage', 'not-a-cursor!'],
    ['base64 of something else', Buffer.from('hello').toString('base64url')],
    ['another list\'s cursor', encodeCursor('AUDIT', ['2026-01-01T00:00:00.000Z', '1'])],
    ['a feed cursor with a non-numeric seq', encodeCursor('CREDIT_FEED', ['1; DROP TABLE change_log'])],
  ])('a malformed or foreign cursor (%s) is BAD_USER_INPUT naming after', async (_label, after) => {
    const r = await t.gql(FEED, { after }, { token: platform });
    expect(r.body.data).toBeNull();
    expect(r.body.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'after' } });
    expect(r.body.errors[0].message).toMatch(/^after: /);
  });

  test('pulls are audited as reads of credit records, by owner district', async () => {
    const token = await t.token('CREDIT_YRD', ['CREDIT_FEED'], { sub: 'audit-probe' });
    await t.gql(FEED, { first: 5 }, { token });
    const rows: Array<{ owner_jurisdiction: string; record_count: number; resource_type: string }> = await t.db.ds.query(
      `SELECT owner_jurisdiction, record_count, resource_type FROM audit_event WHERE sub = 'audit-probe' ORDER BY owner_jurisdiction`);
    expect(rows.map((r) => [r.resource_type, r.owner_jurisdiction, Number(r.record_count)])).toEqual([
      ['CREDIT_RECORD', 'JIASHAN', 1], ['CREDIT_RECORD', 'QINGPU', 1], ['CREDIT_RECORD', 'WUJIANG', 3],
    ]);
  });

  describe('the NDJSON stream', () => {
    test('carries the same entries as the paged feed and ends with the cursor line', async () => {
      await bulkEvaluations(t.db.ds, asEnterprise(js), 1000, 'NDJ');
      const paged = await pullAll(platform, 1000);
      const r = await ndjson(platform);
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toMatch(/^application\/x-ndjson/);
      // PostgreSQL reads through a server-side cursor; PGlite (one connection) in chunks by seq.
      expect(r.headers['x-feed-read']).toBe('chunks');
      const got = lines(r.text);
      const last = got.pop();
      expect(last).toEqual({ endCursor: paged.endCursor, hasMore: false });
      expect(got).toHaveLength(paged.entries.length);
      expect(got.length).toBeGreaterThan(2000); // crosses two chunk (FETCH) boundaries
      expect(got).toEqual(paged.entries);
    });

    test('resumes after a cursor, and an up-to-date cursor gives just the cursor line', async () => {
      const paged = await pullAll(platform, 1000);
      const from = paged.entries[paged.entries.length - 3].cursor;
      const r = await ndjson(platform, from);
      const got = lines(r.text);
      expect(got).toEqual([...paged.entries.slice(-2), { endCursor: paged.endCursor, hasMore: false }]);
      const none = await ndjson(zone, paged.endCursor);
      expect(lines(none.text)).toEqual([{ endCursor: paged.endCursor, hasMore: false }]);
    });

    test('requires a bearer token and the same policy', async () => {
      const anon = await ndjson(null);
      expect(anon.status).toBe(401);
      expect(anon.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      const bad = await request(t.hub.app).get('/feeds/credit.ndjson').set('authorization', 'Bearer nope');
      expect(bad.status).toBe(401);
      const district = await ndjson(await t.token('WUJIANG', ['DOSSIER_READER', 'CREDIT_FEED']));
      expect(district.status).toBe(403);
      expect(district.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'feed.platformAndZoneOnly' });
      const cursor = await ndjson(platform, 'zzz');
      expect(cursor.status).toBe(400);
      expect(cursor.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    });

    test('a client that leaves mid-stream does not hurt the hub', async () => {
      const server = http.createServer(t.hub.app);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const port = (server.address() as AddressInfo).port;
        await new Promise<void>((resolve, reject) => {
          const req = http.get({ host: '127.0.0.1', port, path: '/feeds/credit.ndjson', headers: { authorization: `Bearer ${platform}` } }, (res) => {
            res.once('data', () => {
              req.destroy();
              resolve();
            });
          });
          req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve() : reject(err)));
        });
        // Every stream after it still completes (a pinned connection would show as a hang here).
        for (let i = 0; i < 3; i++) {
          const r = await ndjson(platform);
          expect(lines(r.text).pop()).toMatchObject({ hasMore: false });
        }
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });
  });
});

describe('creditFeed: who may pull it', () => {
  test.each([
    ['the credit platform with CREDIT_FEED', 'CREDIT_YRD', ['CREDIT_FEED'], null],
    ['ZONE with DOSSIER_READER', 'ZONE', ['DOSSIER_READER'], null],
    ['ZONE with CREDIT_FEED', 'ZONE', ['CREDIT_FEED'], null],
    ['the credit platform without CREDIT_FEED', 'CREDIT_YRD', ['CATALOG_READER'], 'role.required'],
    ['ZONE without a reading role', 'ZONE', ['CATALOG_READER'], 'role.required'],
    ['a district reader', 'WUJIANG', ['DOSSIER_READER'], 'feed.platformAndZoneOnly'],
    ['a district with CREDIT_FEED', 'QINGPU', ['CREDIT_FEED', 'ADMIN'], 'feed.platformAndZoneOnly'],
    ['a province reader', 'JIANGSU', ['DOSSIER_READER'], 'feed.platformAndZoneOnly'],
  ])('%s', async (_label, jurisdiction, roles, rule) => {
    const r = await t.gql(FEED, { first: 1 }, { token: await t.token(jurisdiction, roles) });
    if (rule === null) {
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data.creditFeed.entries.length).toBeGreaterThanOrEqual(0);
    } else {
      expect(r.body.data).toBeNull();
      expect(r.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', rule });
    }
  });

  test('the public is FORBIDDEN', async () => {
    const r = await t.gql(FEED, { first: 1 });
    expect(r.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'feed.public' });
  });
});

describe('removals by expiry', () => {
  let due: string;
  let dueToo: string;
  let future: string;
  let removed: string;

  beforeAll(async () => {
    due = await writeCredit(t.db.ds, { enterprise: asEnterprise(wj), kind: 'LISTING', op: 'LISTED', effectiveOn: '2022-05-01', validUntil: '2025-04-30' });
    dueToo = await writeCredit(t.db.ds, { enterprise: asEnterprise(js), kind: 'LISTING', op: 'LISTED', effectiveOn: '2023-01-01', validUntil: '2025-12-31' });
    future = await writeCredit(t.db.ds, { enterprise: asEnterprise(qp), kind: 'LISTING', op: 'LISTED', effectiveOn: '2026-01-01', validUntil: '2099-12-31' });
    removed = await writeCredit(t.db.ds, { enterprise: asEnterprise(qp), kind: 'LISTING', op: 'REMOVED', effectiveOn: '2021-01-01', validUntil: '2024-01-01', removedOn: '2023-06-01' });
  });

  async function removalsOf(nos: string[]): Promise<Entry[]> {
    const { entries } = await pullAll(platform, 1000);
    return entries.filter((e) => e.op === 'REMOVED' && nos.includes(e.recordNo));
  }

  test('a listing past its validity is removed the day after, once, with a REMOVED entry', async () => {
    const before = (await pullAll(platform, 1000)).endCursor;
    const run = await expireListings(t.db.ds, { today: '2026-06-01', batchSize: 1 });
    expect(run).toEqual({ ran: true, expired: 2, batches: 3 });
    const rows: Array<{ record_no: string; removed_on: string | null }> = await t.db.ds.query(
      'SELECT record_no, removed_on FROM credit_record WHERE record_no = ANY($1) ORDER BY record_no', [[due, dueToo, future, removed]]);
    expect(Object.fromEntries(rows.map((r) => [r.record_no, r.removed_on]))).toEqual({ [due]: '2025-05-01', [dueToo]: '2026-01-01', [future]: null, [removed]: '2023-06-01' });

    const next = await t.gql(FEED, { after: before }, { token: platform });
    const entries = next.body.data.creditFeed.entries;
    expect(entries.map((e: Entry) => [e.op, e.recordNo])).toEqual([['REMOVED', due], ['REMOVED', dueToo]]);
    expect(entries[0]).toMatchObject({
      uscc: wj.uscc, enterpriseName: wj.name, jurisdiction: 'WUJIANG',
      listing: { decisionNo: due, listedAt: '2022-05-01', validUntil: '2025-04-30', removedOn: '2025-05-01', reason: '篡改、伪造自动监测数据' },
    });

    // The second run finds nothing: removed_on is set.
    expect(await expireListings(t.db.ds, { today: '2026-06-01' })).toEqual({ ran: true, expired: 0, batches: 1 });
    expect(await removalsOf([due, dueToo])).toHaveLength(2);
  });

  // PGlite has one connection: a second transaction cannot be open while the job's runs, so a
  // held lock can only be shown on PostgreSQL.
  (process.env.DATABASE_URL ? test : test.skip)('a run does nothing while another instance holds the job lock', async () => {
    const late = await writeCredit(t.db.ds, { enterprise: asEnterprise(wj), kind: 'LISTING', op: 'LISTED', effectiveOn: '2020-01-01', validUntil: '2021-01-01' });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = t.db.ds.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [CREDIT_EXPIRY_LOCK]);
      locked();
      await gate;
    });
    await isLocked;
    try {
      expect(await expireListings(t.db.ds, { today: '2026-06-01' })).toEqual({ ran: false, expired: 0, batches: 0 });
      expect(await removalsOf([late])).toHaveLength(0);
    } finally {
      release();
      await holder;
    }
    expect((await expireListings(t.db.ds, { today: '2026-06-01' })).expired).toBe(1);
    expect(await removalsOf([late])).toHaveLength(1);
  });

  test('concurrent runs on two instances emit each expiry exactly once', async () => {
    const nos: string[] = [];
    for (let i = 0; i < 12; i++) {
      nos.push(await writeCredit(t.db.ds, { enterprise: asEnterprise(i % 2 ? qp : js), kind: 'LISTING', op: 'LISTED', effectiveOn: '2021-01-01', validUntil: `2024-01-${String(i + 1).padStart(2, '0')}` }));
    }
    const other = process.env.DATABASE_URL ? new DataSource({ ...t.db.ds.options, poolSize: 2 } as never) : null;
    await other?.initialize();
    try {
      const runs = await Promise.all([0, 1, 2, 3].map((i) => expireListings(i % 2 && other ? other : t.db.ds, { today: '2026-06-01', batchSize: 3 })));
      expect(runs.reduce((s, r) => s + r.expired, 0)).toBe(12);
    } finally {
      await other?.destroy();
    }
    const removals = await removalsOf(nos);
    expect(removals.map((e) => e.recordNo).sort()).toEqual([...nos].sort());
  });

  test('the timer runs at start and stops cleanly; interval 0 is off', async () => {
    const log = createLogger({ logLevel: 'silent' });
    const off = startCreditExpiryJob(t.db.ds, { intervalSeconds: 0, log });
    const soon = await writeCredit(t.db.ds, { enterprise: asEnterprise(js), kind: 'LISTING', op: 'LISTED', effectiveOn: '2020-01-01', validUntil: '2020-12-31' });
    await new Promise((r) => setTimeout(r, 50));
    expect(await removalsOf([soon])).toHaveLength(0);
    await off.stop();

    const job = startCreditExpiryJob(t.db.ds, { intervalSeconds: 3600, log });
    try {
      for (let i = 0; i < 100 && (await removalsOf([soon])).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(await removalsOf([soon])).toHaveLength(1);
      expect((await job.runNow()).expired).toBe(0);
    } finally {
      await job.stop();
    }
  });

  test('HUB_EXPIRY_INTERVAL_SECONDS is validated; 300 by default', () => {
    expect(loadConfig({ HUB_JWT_SECRET: 'x'.repeat(32) }).expiryIntervalSeconds).toBe(300);
    expect(loadConfig({ HUB_JWT_SECRET: 'x'.repeat(32), HUB_EXPIRY_INTERVAL_SECONDS: '0' }).expiryIntervalSeconds).toBe(0);
    for (const bad of ['-1', 'soon', '999999999']) {
      expect(() => loadConfig({ HUB_JWT_SECRET: 'x'.repeat(32), HUB_EXPIRY_INTERVAL_SECONDS: bad })).toThrow(ConfigError);
    }
  });
});

describe('backfill of credit records written without a change', () => {
  test('they get LISTED / EVALUATED (and REMOVED) entries once', async () => {
    const ev = await newCreditRecord(t.db.ds, wj, { effectiveOn: '2019-01-02', evaluationYear: 2018 });
    const gone = await newCreditRecord(t.db.ds, qp, { kind: CreditRecordKind.LISTING, scheme: null, level: null, evaluationYear: null, effectiveOn: '2019-01-03', listingReason: '违法排污', validUntil: '2020-01-03', removedOn: '2019-09-01' });
    // The factories write through the writer, which logs; without their entries the two stand for records loaded before the change log.
    await t.db.ds.query('DELETE FROM change_log WHERE record_key = ANY($1)', [[ev.recordNo, gone.recordNo]]);
    const { endCursor } = await pullAll(platform, 1000);
    expect(await backfillCreditChanges(t.db.ds)).toBe(3);
    expect(await backfillCreditChanges(t.db.ds)).toBe(0);
    const r = await t.gql(FEED, { after: endCursor }, { token: platform });
    expect(r.body.data.creditFeed.entries.map((e: Entry) => [e.op, e.recordNo])).toEqual([
      ['EVALUATED', ev.recordNo], ['LISTED', gone.recordNo], ['REMOVED', gone.recordNo],
    ]);
    expect(r.body.data.creditFeed.entries[2].listing).toMatchObject({ reason: '违法排污', listedAt: '2019-01-03', removedOn: '2019-09-01' });
    expect(r.body.data.creditFeed.entries[0].evaluation).toMatchObject({ scheme: 'JIANGSU_5', level: 'GREEN', year: 2018 });
  });
});
