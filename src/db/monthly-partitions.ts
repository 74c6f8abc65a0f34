import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from '../logger';
import { startPeriodicJob, type PeriodicJob } from './periodic-job';

/**
 * Tables partitioned by month of China Standard Time (UTC+8 all year, the zone's clock), each with
 * a DEFAULT partition that takes any row no month covers: the observations and the audit log.
 * Months are made ahead of the data and dropped whole for retention, never emptied row by row.
 */
export interface MonthlyTable {
  /** The partitioned table; its months are `<table>_pYYYYMM`, its default `<table>_default`. */
  table: string;
  /** The timestamptz partition column. */
  column: string;
  /** Advisory lock held while partitions change: one instance at a time. */
  lock: number;
  /**
   * Whether rows that landed in the default partition are moved into the month made for them. An
   * append-only table (the audit log refuses DELETE) cannot: a month whose rows sit in the default
   * partition is then left to it, and reported.
   */
  moveFromDefault: boolean;
}

/** A calendar month of China Standard Time. */
export interface Month {
  year: number;
  month: number; // 1..12
}

export function monthOf(at: Date): Month {
  const local = new Date(at.getTime() + 8 * 3600_000);
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1 };
}

export function addMonths(m: Month, n: number): Month {
  const i = m.year * 12 + (m.month - 1) + n;
  return { year: Math.floor(i / 12), month: (i % 12) + 1 };
}

export function compareMonths(a: Month, b: Month): number {
  return a.year * 12 + a.month - (b.year * 12 + b.month);
}

/** 00:00 China Standard Time on the 1st of the month, as an instant. */
export function monthStart(m: Month): Date {
  return new Date(`${m.year}-${String(m.month).padStart(2, '0')}-01T00:00:00+08:00`);
}

export function partitionName(t: MonthlyTable, m: Month): string {
  return `${t.table}_p${m.year}${String(m.month).padStart(2, '0')}`;
}

/** The monthly partitions of a table, oldest first (its default partition is not one). */
export async function monthlyPartitions(ds: DataSource | EntityManager, t: MonthlyTable): Promise<Array<{ name: string; month: Month }>> {
  const rows: Array<{ name: string }> = await ds.query(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass ORDER BY c.relname`, [t.table]);
  const pattern = new RegExp(`^${t.table}_p(\\d{4})(\\d{2})$`);
  return rows.flatMap((r) => {
    const x = pattern.exec(r.name);
    return x ? [{ name: r.name, month: { year: Number(x[1]), month: Number(x[2]) } }] : [];
  });
}

export interface EnsureResult {
  created: string[];
  /** Rows moved from the default partition into the months just made. */
  moved: number;
  /** Months not made because the default partition holds their rows and may not give them up. */
  leftInDefault: string[];
}

/**
 * Makes every missing month in `wanted`: built beside the table, filled with that month's rows from
 * the default partition (when the table allows it), then attached — `ATTACH PARTITION` takes a
 * lighter lock than `CREATE TABLE … PARTITION OF`, so writers go on meanwhile. Writes to a
 * partition itself fire none of the parent's statement triggers.
 */
export async function ensureMonthlyPartitions(m: EntityManager, t: MonthlyTable, wanted: Month[]): Promise<EnsureResult> {
  await m.query('SELECT pg_advisory_xact_lock($1)', [t.lock]);
  const have = new Set((await monthlyPartitions(m, t)).map((p) => p.name));
  const out: EnsureResult = { created: [], moved: 0, leftInDefault: [] };
  const seen = new Set<string>();
  for (const month of [...wanted].sort(compareMonths)) {
    const name = partitionName(t, month);
    if (have.has(name) || seen.has(name)) continue;
    seen.add(name);
    const from = monthStart(month).toISOString();
    const to = monthStart(addMonths(month, 1)).toISOString();
    if (!t.moveFromDefault) {
      const [{ held }]: Array<{ held: boolean }> = await m.query(
        `SELECT EXISTS (SELECT 1 FROM "${t.table}_default" WHERE "${t.column}" >= $1::timestamptz AND "${t.column}" < $2::timestamptz) AS held`, [from, to]);
      if (held) {
        out.leftInDefault.push(name);
        continue;
      }
    }
    await m.query(`CREATE TABLE "${name}" (LIKE "${t.table}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
    if (t.moveFromDefault) {
      const [{ n }]: Array<{ n: number }> = await m.query(
        `WITH moved AS (DELETE FROM "${t.table}_default" WHERE "${t.column}" >= $1::timestamptz AND "${t.column}" < $2::timestamptz RETURNING *),
           ins AS (INSERT INTO "${name}" SELECT * FROM moved RETURNING 1)
         SELECT count(*)::int AS n FROM ins`,
        [from, to],
      );
      out.moved += n;
    }
    // Bounds are instants computed above, never input.
    await m.query(`ALTER TABLE "${t.table}" ATTACH PARTITION "${name}" FOR VALUES FROM ('${from}') TO ('${to}')`);
    out.created.push(name);
  }
  return out;
}

/** Drops (DROP TABLE, never DELETE) each monthly partition that ends on or before the start of `cutoff`. */
export async function dropMonthlyPartitionsBefore(m: EntityManager, t: MonthlyTable, cutoff: Month): Promise<string[]> {
  await m.query('SELECT pg_advisory_xact_lock($1)', [t.lock]);
  const dropped: string[] = [];
  for (const p of await monthlyPartitions(m, t)) {
    if (compareMonths(addMonths(p.month, 1), cutoff) > 0) continue;
    await m.query(`DROP TABLE "${p.name}"`);
    dropped.push(p.name);
  }
  return dropped;
}

/** The months from `first` to `last`, both included. */
export function monthsBetween(first: Month, last: Month): Month[] {
  const out: Month[] = [];
  for (let x = first; compareMonths(x, last) <= 0; x = addMonths(x, 1)) out.push(x);
  return out;
}

/** SQL making one month's partition inside a migration (plain `PARTITION OF`: the table is new and empty of writers). */
export function createMonthSql(t: MonthlyTable, month: Month): string {
  return `CREATE TABLE "${partitionName(t, month)}" PARTITION OF "${t.table}" FOR VALUES FROM ('${monthStart(month).toISOString()}') TO ('${monthStart(addMonths(month, 1)).toISOString()}')`;
}

export type PartitionJob<T> = PeriodicJob<T>;

/**
 * Runs `run` (partitions made ahead, retention applied) at start and every `intervalSeconds`
 * (0 = never); a failed run is logged and tried again next time — meanwhile rows go to the
 * default partitions, never lost.
 */
export function startPartitionJob<T extends object>(intervalSeconds: number, run: () => Promise<T>, log: Logger, changed: (r: T) => boolean): PartitionJob<T> {
  return startPeriodicJob(run, {
    name: 'partition job', intervalSeconds, log,
    onFailure: 'rows meanwhile go to the default partitions',
    report: (r) => (changed(r) ? 'monthly partitions made or dropped' : null),
  });
}
