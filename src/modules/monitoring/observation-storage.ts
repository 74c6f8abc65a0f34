import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from '../../logger';

/**
 * Storage of the observation table at scale: monthly partitions made ahead of the data, rows that
 * landed in the default partition moved into their month, and retention of raw data by dropping
 * whole monthly partitions (never by deleting rows). The hourly and daily aggregates live in
 * their own tables (migration ObservationPartitions1796800000000) and are never dropped.
 *
 * A month is a month of China Standard Time (UTC+8 all year), the clock of the zone's loggers and
 * of every assessment, so a local month's minute data is one partition.
 */
export interface ObservationStorageSettings {
  /** Seconds between runs of the storage job; it also runs once at start (HUB_OBSERVATION_STORAGE_INTERVAL_SECONDS, 0 = off). */
  intervalSeconds: number;
  /** Monthly partitions kept ready beyond the current month (HUB_OBSERVATION_MONTHS_AHEAD). */
  monthsAhead: number;
  /** Raw months kept before the current one; older monthly partitions are dropped. Null keeps raw data for ever (HUB_OBSERVATION_RETENTION_MONTHS unset). */
  retentionMonths: number | null;
}

/** A calendar month of China Standard Time. */
export interface Month {
  year: number;
  month: number; // 1..12
}

const PARTITION = /^observation_p(\d{4})(\d{2})$/;
/** Advisory lock of the storage job: one instance changes partitions at a time. */
export const OBSERVATION_STORAGE_LOCK = 1796801;

export function monthOf(at: Date): Month {
  const local = new Date(at.getTime() + 8 * 3600_000);
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1 };
}

export function addMonths(m: Month, n: number): Month {
  const i = m.year * 12 + (m.month - 1) + n;
  return { year: Math.floor(i / 12), month: (i % 12) + 1 };
}

function compare(a: Month, b: Month): number {
  return a.year * 12 + a.month - (b.year * 12 + b.month);
}

/** 00:00 China Standard Time on the 1st of the month, as an instant. */
export function monthStart(m: Month): Date {
  return new Date(`${m.year}-${String(m.month).padStart(2, '0')}-01T00:00:00+08:00`);
}

export function partitionName(m: Month): string {
  return `observation_p${m.year}${String(m.month).padStart(2, '0')}`;
}

function monthOfPartition(name: string): Month | null {
  const r = PARTITION.exec(name);
  return r ? { year: Number(r[1]), month: Number(r[2]) } : null;
}

/** The monthly partitions of `observation`, oldest first (the default partition is not one). */
export async function observationPartitions(ds: DataSource | EntityManager): Promise<Array<{ name: string; month: Month }>> {
  const rows: Array<{ name: string }> = await ds.query(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'observation'::regclass ORDER BY c.relname`,
  );
  return rows.flatMap((r) => {
    const month = monthOfPartition(r.name);
    return month ? [{ name: r.name, month }] : [];
  });
}

/** The instant before which raw months were dropped (their aggregates are final); null when none was. */
export async function rawObservationsFrom(ds: DataSource | EntityManager): Promise<Date | null> {
  const [row]: Array<{ raw_from: Date | string | null }> = await ds.query(`SELECT CASE WHEN raw_from = '-infinity' THEN NULL ELSE raw_from END AS raw_from FROM observation_storage`);
  return row?.raw_from ? new Date(row.raw_from) : null;
}

/**
 * Makes the monthly partition of `m` unless it exists: built beside the table, filled with the
 * rows of that month the default partition holds, then attached. Attaching takes a lighter lock
 * than `CREATE TABLE … PARTITION OF`, so ingest goes on meanwhile. Rows moved out of the default
 * partition keep their aggregates (the triggers sit on the parent table and do not fire).
 */
async function createMonth(m: EntityManager, month: Month): Promise<number> {
  const name = partitionName(month);
  const from = monthStart(month).toISOString();
  const to = monthStart(addMonths(month, 1)).toISOString();
  await m.query(`CREATE TABLE "${name}" (LIKE observation INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
  const [{ n }]: Array<{ n: number }> = await m.query(
    `WITH moved AS (DELETE FROM observation_default WHERE observed_at >= $1::timestamptz AND observed_at < $2::timestamptz RETURNING *),
       ins AS (INSERT INTO "${name}" SELECT * FROM moved RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
    [from, to],
  );
  // Bounds are instants the hub computed above, never input.
  await m.query(`ALTER TABLE observation ATTACH PARTITION "${name}" FOR VALUES FROM ('${from}') TO ('${to}')`);
  return n;
}

export interface PartitionRun {
  created: string[];
  /** Rows moved from the default partition into the months just made. */
  moved: number;
  dropped: string[];
  /** Start of the oldest raw month kept, when retention is set. */
  rawFrom: Date | null;
}

/**
 * One run of the storage job: drops the monthly partitions past the retention (when set), then
 * makes the partitions of the current month, the `monthsAhead` months after it, and of every month
 * found in the default partition that retention still keeps. Idempotent; one instance at a time.
 */
export async function maintainObservationStorage(ds: DataSource, settings: Pick<ObservationStorageSettings, 'monthsAhead' | 'retentionMonths'>, now = new Date()): Promise<PartitionRun> {
  const dropped = await dropExpiredObservationPartitions(ds, settings.retentionMonths, now);
  const made = await ensureObservationPartitions(ds, monthOf(now), addMonths(monthOf(now), settings.monthsAhead));
  return { created: made.created, moved: made.moved, dropped, rawFrom: await rawObservationsFrom(ds) };
}

/**
 * Makes every missing monthly partition from `first` to `last` (both included) and of each month
 * with rows in the default partition (except months retention already dropped: those rows stay in
 * the default partition, kept, not re-opened). Used by the job and by the seed before it writes history.
 */
export async function ensureObservationPartitions(ds: DataSource, first: Month, last: Month): Promise<{ created: string[]; moved: number }> {
  return ds.transaction(async (m) => {
    await m.query('SELECT pg_advisory_xact_lock($1)', [OBSERVATION_STORAGE_LOCK]);
    const have = new Set((await observationPartitions(m)).map((p) => p.name));
    const wanted = new Map<string, Month>();
    for (let x = first; compare(x, last) <= 0; x = addMonths(x, 1)) wanted.set(partitionName(x), x);
    const stray: Array<{ y: number; m: number }> = await m.query(
      `SELECT DISTINCT extract(year FROM d.observed_at AT TIME ZONE 'Asia/Shanghai')::int AS y, extract(month FROM d.observed_at AT TIME ZONE 'Asia/Shanghai')::int AS m
       FROM observation_default d, observation_storage s WHERE d.observed_at >= s.raw_from`,
    );
    for (const r of stray) wanted.set(partitionName({ year: r.y, month: r.m }), { year: r.y, month: r.m });
    const created: string[] = [];
    let moved = 0;
    for (const [name, month] of [...wanted].sort(([a], [b]) => a.localeCompare(b))) {
      if (have.has(name)) continue;
      moved += await createMonth(m, month);
      created.push(name);
    }
    return { created, moved };
  });
}

/**
 * Retention of raw data: drops each monthly partition that ends on or before the start of the
 * month `retentionMonths` before the current one — whole partitions, never single rows — and
 * records that start as `raw_from`, before which aggregates are final. Null keeps everything.
 */
export async function dropExpiredObservationPartitions(ds: DataSource, retentionMonths: number | null, now = new Date()): Promise<string[]> {
  if (retentionMonths === null) return [];
  const cutoff = addMonths(monthOf(now), -retentionMonths);
  return ds.transaction(async (m) => {
    await m.query('SELECT pg_advisory_xact_lock($1)', [OBSERVATION_STORAGE_LOCK]);
    const dropped: string[] = [];
    for (const p of await observationPartitions(m)) {
      if (compare(addMonths(p.month, 1), cutoff) > 0) continue;
      await m.query(`DROP TABLE "${p.name}"`);
      dropped.push(p.name);
    }
    await m.query(`UPDATE observation_storage SET raw_from = greatest(raw_from, $1::timestamptz)`, [monthStart(cutoff).toISOString()]);
    return dropped;
  });
}

export interface ObservationStorageJob {
  runNow(): Promise<PartitionRun>;
  stop(): Promise<void>;
}

/** Runs `maintainObservationStorage` at start and every `intervalSeconds`; a failed run is logged and retried next time. */
export function startObservationStorageJob(ds: DataSource, settings: ObservationStorageSettings, log: Logger): ObservationStorageJob {
  let current: Promise<PartitionRun> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  const runNow = async (): Promise<PartitionRun> => {
    while (current) await current.catch(() => undefined);
    const p = maintainObservationStorage(ds, settings);
    current = p;
    try {
      const r = await p;
      if (r.created.length > 0 || r.dropped.length > 0) log.info({ event: 'observation_storage', ...r }, 'observation partitions made or dropped');
      return r;
    } finally {
      current = null;
    }
  };
  const tick = () => {
    timer = null;
    runNow()
      .catch((err) => log.error({ err }, 'observation storage run failed; retrying next interval (rows meanwhile go to the default partition)'))
      .finally(() => {
        if (!stopped) {
          timer = setTimeout(tick, settings.intervalSeconds * 1000);
          timer.unref();
        }
      });
  };
  if (settings.intervalSeconds > 0) {
    timer = setTimeout(tick, 0);
    timer.unref();
  }
  return {
    runNow,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      if (current) await current.catch(() => undefined);
    },
  };
}
