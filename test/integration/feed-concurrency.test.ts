import { DataSource, EntityManager } from 'typeorm';
import { SYSTEM_PRINCIPAL } from '../../src/auth/principal';
import { Db } from '../../src/db/datasource';
import { appendChanges } from '../../src/modules/changes/change-log';
import { CREDIT } from '../../src/modules/credit';
import { RecordWriter, WriteStatus } from '../../src/modules/dossier/record-writer';
import { CreditFeedService, decodeFeedCursor } from '../../src/modules/feed';
import { zoneToday } from '../../src/modules/feed/credit-expiry.job';
import { writeCreditIn } from '../support/credit-changes';
import { Made, newEnterprise } from '../support/factories';
import { cloneDatabase } from '../support/templates';

/**
 * The feed is loss-free under concurrency: writers commit credit changes while a reader pulls
 * small pages, and the reader sees every committed change exactly once, in seq order, and nothing
 * that rolled back. On PostgreSQL the writers are real concurrent transactions on their own
 * connections, some holding the change-log lock a while before they commit; on PGlite (one
 * connection) the same writers and reader interleave transaction by transaction.
 */
const onPostgres = !!process.env.DATABASE_URL;
let db: Db;
let writers: DataSource;
let enterprises: Array<{ id: string; uscc: string; name: string; ownerJurisdiction: string }>;
let feed: CreditFeedService;

beforeAll(async () => {
  db = await cloneDatabase('empty');
  // PostgreSQL: a pool of its own for the writers, so they are as concurrent as real requests.
  writers = onPostgres ? new DataSource({ ...db.ds.options, poolSize: 12 } as never) : db.ds;
  if (onPostgres) await writers.initialize();
  const es: Made[] = [];
  for (const j of ['WUJIANG', 'QINGPU', 'JIASHAN'] as const) es.push(await newEnterprise(db.ds, { jurisdiction: j as never }));
  enterprises = es.map((e) => ({ id: e.id, uscc: e.uscc, name: e.name, ownerJurisdiction: e.ownerJurisdiction }));
  feed = new CreditFeedService(db.ds);
});

afterAll(async () => {
  if (onPostgres) await writers.destroy();
  await db.close();
});

const seqOf = (cursor: string) => Number(decodeFeedCursor(cursor));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Rollback extends Error {}

test('concurrent writers, one reader pulling pages of 7: every committed change once, in seq order', async () => {
  const WRITERS = onPostgres ? 8 : 4;
  const TXS = onPostgres ? 20 : 25;
  const rolledBack = new Set<string>();
  let writing = true;
  let pullsWhileWriting = 0;

  const writer = async (w: number) => {
    for (let i = 0; i < TXS; i++) {
      const entries = 1 + ((w + i) % 3);
      const keys: string[] = [];
      try {
        await writers.transaction(async (m: EntityManager) => {
          // Some transactions work a while before they reach the append, others hold the lock after it.
          if (i % 3 === 0) await m.query('SELECT pg_sleep(random() * 0.01)');
          for (let k = 0; k < entries; k++) {
            const e = enterprises[(w + i + k) % enterprises.length];
            keys.push(await writeCreditIn(m, { enterprise: e, kind: k % 2 ? 'EVALUATION' : 'LISTING', op: k % 2 ? 'EVALUATED' : 'LISTED' }));
          }
          if (i % 2 === 1) await m.query('SELECT pg_sleep(random() * 0.03)');
          if (i % 10 === 7) throw new Rollback();
        });
      } catch (err) {
        if (!(err instanceof Rollback)) throw err;
        keys.forEach((k) => rolledBack.add(k));
      }
    }
  };

  const seen: Array<{ seq: number; key: string }> = [];
  const reader = async () => {
    let after: string | null = null;
    for (;;) {
      const done = !writing;
      const page = await feed.page({ principal: SYSTEM_PRINCIPAL }, { after, first: 7 });
      for (const e of page.entries) seen.push({ seq: seqOf(e.cursor), key: e.recordNo });
      after = page.endCursor;
      if (!done && page.entries.length > 0) pullsWhileWriting++;
      // Stop only after a pull that began once every writer had finished came back complete.
      if (done && !page.hasMore) return;
      // PGlite runs in-process and its queries settle without a timer tick, so a timer here would
      // wait for the writers to finish; the next pull simply queues for the one connection.
      if (page.entries.length === 0 && onPostgres) await sleep(1);
    }
  };

  const readerDone = reader();
  await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
  writing = false;
  await readerDone;

  const committed: Array<{ seq: string; record_key: string }> = await db.ds.query(
    `SELECT seq::text AS seq, record_key FROM change_log WHERE record_type = 'CREDIT_RECORD' ORDER BY change_log.seq`);
  expect(committed.length).toBeGreaterThan(WRITERS * TXS);
  expect(pullsWhileWriting).toBeGreaterThan(5); // the reader really ran alongside the writers
  // Exactly the committed changes, each once, in strictly increasing seq.
  expect(seen.map((s) => s.seq)).toEqual(committed.map((c) => Number(c.seq)));
  expect(seen.map((s) => s.key)).toEqual(committed.map((c) => c.record_key));
  for (let i = 1; i < seen.length; i++) expect(seen[i].seq).toBeGreaterThan(seen[i - 1].seq);
  expect(rolledBack.size).toBeGreaterThan(0);
  for (const k of seen.map((s) => s.key)) expect(rolledBack.has(k)).toBe(false);
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Entry = any;

/** The platform's rule for "in force on day d", applied to the latest entry it holds of a record. */
function inForce(e: Entry, d: string): boolean {
  if (e.op === 'WITHDRAWN' || e.withdrawnAt) return false;
  if (e.kind === 'EVALUATION') return true;
  const l = e.listing;
  return (!l.listedAt || l.listedAt <= d) && (!l.validUntil || l.validUntil >= d) && (!l.removedOn || l.removedOn > d);
}

/**
 * A platform's bootstrap (issue 15): take the snapshot in small pages at cursor C while writers
 * list, update, remove, withdraw and evaluate through the one writer; then follow the feed from C
 * while they go on; when they stop, the state the platform built must equal a fresh snapshot, entry
 * for entry, and the records in force must be those the credit_record table holds in force.
 */
test('snapshot at cursor C + feed from C = a fresh snapshot, under concurrent writers', async () => {
  const writer = new RecordWriter(writers);
  const today = zoneToday();
  let clock = Date.parse('2026-06-01T00:00:00Z');
  const asOf = () => new Date((clock += 1000)).toISOString();
  const src = () => ({ sourceSystem: 'SNAP', sourceRecordId: `s${clock}`, asOf: asOf() });
  const listing = (uscc: string, no: string, o: Record<string, unknown> = {}) => ({
    recordNo: no, uscc, kind: 'LISTING', effectiveOn: '2026-03-01', issuer: '测试生态环境局', listingReason: '篡改自动监测数据',
    listingLegalBasis: '《企业环境信用评价办法(试行)》', validUntil: '2029-03-01', ...src(), ...o,
  });
  const evaluation = (uscc: string, no: string, level: string) => ({
    recordNo: no, uscc, kind: 'EVALUATION', effectiveOn: '2026-02-01', issuer: '测试生态环境局', scheme: 'JIANGSU_5', level, evaluationYear: 2025, ...src(),
  });
  const put = async (input: Record<string, unknown>) => {
    const [o] = await writer.writeBatch(SYSTEM_PRINCIPAL, CREDIT.write, [input], { pathOf: () => 'input' });
    expect(o.status).not.toBe(WriteStatus.REJECTED);
  };
  const stored = new Map<string, Record<string, unknown>>();
  const step = async (w: number, i: number) => {
    const e = enterprises[(w + i) % enterprises.length];
    const no = `SNAP-${w}-${i % 6}`;
    const prev = stored.get(no);
    const move = i % 6 < 3 ? (prev ? (i % 4) : 0) : 4;
    if (move === 4) return put(evaluation(e.uscc, `SNAPEV-${w}-${i % 3}`, ['GREEN', 'BLUE', 'RED'][i % 3]));
    if (!prev || move === 0 || prev.withdrawn || prev.removedOn) {
      const input = listing(prev ? String(prev.uscc) : e.uscc, no);
      stored.set(no, input);
      return put(input);
    }
    if (move === 1) {
      const input = { ...prev, ...src(), validUntil: `2028-0${1 + (i % 9)}-01` };
      stored.set(no, input);
      return put(input);
    }
    if (move === 2) {
      const input = { ...prev, ...src(), removedOn: '2026-05-01' };
      stored.set(no, input);
      return put(input);
    }
    stored.set(no, { ...prev, withdrawn: true });
    await writer.withdraw({ principal: SYSTEM_PRINCIPAL } as never, CREDIT.write, no, '录入错误');
  };
  // Writers' state per record is their own (record numbers carry the writer), so each runs its records in order.
  for (let w = 0; w < 3; w++) for (let i = 0; i < 6; i++) await step(w, i);

  let writing = true;
  const WRITERS = 3;
  const STEPS = onPostgres ? 60 : 40;
  const writersDone = Promise.all(Array.from({ length: WRITERS }, async (_, w) => {
    for (let i = 6; i < STEPS; i++) {
      await step(w, i);
      if (onPostgres && i % 5 === 0) await sleep(1);
    }
  })).finally(() => { writing = false; });

  // The snapshot, five records a page, writes landing between the pages.
  const reader = { principal: SYSTEM_PRINCIPAL };
  const state = new Map<string, Entry>();
  let page = await feed.listingsInForce(reader, { first: 5 });
  const C = page.feedCursor;
  let pages = 1;
  let pagesWhileWriting = 0;
  for (;;) {
    for (const edge of page.edges) state.set(edge.node.recordNo, edge.node);
    expect(page.feedCursor).toBe(C);
    if (!page.pageInfo.hasNextPage) break;
    if (writing) pagesWhileWriting++;
    page = await feed.listingsInForce(reader, { first: 5, after: page.pageInfo.endCursor });
    pages++;
  }
  expect(page.asOf).toBe(today);
  for (const e of state.values()) expect(inForce(e, today)).toBe(true);

  // Then the feed from C, as the writers go on.
  let after: string | null = C;
  let applied = 0;
  const opsSeen = new Set<string>();
  for (;;) {
    const done = !writing;
    const p = await feed.page(reader, { after, first: 7 });
    for (const e of p.entries) {
      expect(seqOf(e.cursor)).toBeGreaterThan(seqOf(C));
      state.set(e.recordNo, e);
      opsSeen.add(e.op);
      applied++;
    }
    after = p.endCursor;
    if (done && !p.hasMore) break;
    if (p.entries.length === 0 && onPostgres) await sleep(1);
  }
  await writersDone;

  const built = new Map([...state].filter(([, e]) => inForce(e, today)));
  const fresh = new Map<string, Entry>();
  let f = await feed.listingsInForce(reader, { first: 1000 });
  for (;;) {
    for (const edge of f.edges) fresh.set(edge.node.recordNo, edge.node);
    if (!f.pageInfo.hasNextPage) break;
    f = await feed.listingsInForce(reader, { first: 1000, after: f.pageInfo.endCursor });
  }
  expect(f.feedCursor).toBe(after);
  expect(applied).toBeGreaterThan(20);
  expect(pages).toBeGreaterThan(2);
  if (onPostgres) expect(pagesWhileWriting).toBeGreaterThan(0);
  expect([...built.keys()].sort()).toEqual([...fresh.keys()].sort());
  for (const [k, e] of fresh) expect(built.get(k)).toEqual(e);

  // And the records in force are those the table holds in force.
  const table: Array<{ record_no: string }> = await db.ds.query(
    `SELECT record_no FROM credit_record WHERE record_no LIKE 'SNAP%' AND withdrawn_at IS NULL
       AND (kind = 'EVALUATION' OR ((removed_on IS NULL OR removed_on > $1::date) AND (valid_until IS NULL OR valid_until >= $1::date)))`, [today]);
  expect([...fresh.keys()].filter((k) => k.startsWith('SNAP')).sort()).toEqual(table.map((r) => r.record_no).sort());
  // The feed after C carried every kind of change.
  expect(opsSeen).toEqual(new Set(['LISTED', 'UPDATED', 'REMOVED', 'WITHDRAWN', 'EVALUATED']));
});

/**
 * Why appends take the lock, shown deterministically: A takes a seq and stays open, B takes a
 * later seq and commits, the reader pages past B, then A commits behind its cursor. Only PostgreSQL
 * can hold two transactions open at once.
 */
(onPostgres ? describe : describe.skip)('the interleaving the change-log lock exists for', () => {
  const e = () => enterprises[0];
  const logEntry = (key: string) => ({
    recordType: 'CREDIT_RECORD', recordKey: key, op: 'EVALUATED', ownerJurisdiction: e().ownerJurisdiction, enterpriseId: e().id, uscc: e().uscc,
    actor: 'test', payload: { kind: 'EVALUATION', scheme: 'JIANGSU_5', level: 'RED', year: 2025 },
  });

  /** An append as appendChanges makes it, minus the advisory lock. */
  async function appendWithoutLock(m: EntityManager, key: string): Promise<void> {
    const x = logEntry(key);
    await m.query(
      `INSERT INTO change_log (record_type, record_key, op, owner_jurisdiction, enterprise_id, uscc, actor, payload) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)`,
      [x.recordType, x.recordKey, x.op, x.ownerJurisdiction, x.enterpriseId, x.uscc, x.actor, JSON.stringify(x.payload)],
    );
  }

  async function head(): Promise<string> {
    const page = await feed.page({ principal: SYSTEM_PRINCIPAL }, { first: 1000 });
    let after = page.endCursor;
    for (let more = page.hasMore; more;) {
      const p = await feed.page({ principal: SYSTEM_PRINCIPAL }, { after, first: 1000 });
      after = p.endCursor;
      more = p.hasMore;
    }
    return after;
  }

  async function interleave(append: (m: EntityManager, key: string) => Promise<void>, tag: string): Promise<string[]> {
    let after = await head();
    const seen: string[] = [];
    const pull = async () => {
      const p = await feed.page({ principal: SYSTEM_PRINCIPAL }, { after, first: 100 });
      seen.push(...p.entries.map((x) => x.recordNo));
      after = p.endCursor;
    };
    let releaseA!: () => void;
    const gateA = new Promise<void>((r) => (releaseA = r));
    let appendedA!: () => void;
    const aAppended = new Promise<void>((r) => (appendedA = r));
    const a = writers.transaction(async (m) => {
      await append(m, `${tag}-A`);
      appendedA();
      await gateA;
    });
    await aAppended;
    const b = writers.transaction((m) => append(m, `${tag}-B`));
    // B either commits (no lock) or queues behind A's lock; wait until one of the two is true.
    let settled = false;
    const bState = await Promise.race([b.then(() => 'committed'), (async () => {
      while (!settled) {
        const [{ waiting }] = await db.ds.query(`SELECT count(*)::int AS waiting FROM pg_locks
          WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
        if (waiting > 0) return 'waiting';
        await sleep(5);
      }
      return 'stopped';
    })()]);
    settled = true;
    await pull(); // the reader comes by while A is still open
    releaseA();
    await a;
    await b;
    await pull();
    await pull();
    return [bState, ...seen];
  }

  test('bypassing the lock loses a change: the reader pages past B before A commits', async () => {
    const [state, ...seen] = await interleave(appendWithoutLock, 'NOLOCK');
    expect(state).toBe('committed');
    expect(seen).toEqual(['NOLOCK-B']); // NOLOCK-A committed with a smaller seq, behind the cursor
    const [{ n }] = await db.ds.query(`SELECT count(*)::int AS n FROM change_log WHERE record_key = 'NOLOCK-A'`);
    expect(n).toBe(1);
  });

  test('with appendChanges the same interleaving loses nothing: B waits for A', async () => {
    const [state, ...seen] = await interleave((m, key) => appendChanges(m, [logEntry(key)]), 'LOCK');
    expect(state).toBe('waiting');
    expect(seen).toEqual(['LOCK-A', 'LOCK-B']);
  });
});
