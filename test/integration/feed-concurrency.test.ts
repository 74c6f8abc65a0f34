import { DataSource, EntityManager } from 'typeorm';
import { SYSTEM_PRINCIPAL } from '../../src/auth/principal';
import { Db } from '../../src/db/datasource';
import { appendChanges } from '../../src/modules/changes/change-log';
import { CreditFeedService, decodeFeedCursor } from '../../src/modules/feed';
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
