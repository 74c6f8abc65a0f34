import type { DataSource, EntityManager } from 'typeorm';
import {
  addMonths, dropMonthlyPartitionsBefore, ensureMonthlyPartitions, Month, MonthlyTable, monthlyPartitions, monthOf, monthsBetween, monthStart,
} from '../../db/monthly-partitions';

export { addMonths, monthOf };
export type { Month };

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

/** The observation table's months; rows in its default partition move into the month made for them. */
export const OBSERVATION_TABLE: MonthlyTable = { table: 'observation', column: 'observed_at', lock: 1796801, moveFromDefault: true };

/** The monthly partitions of `observation`, oldest first (the default partition is not one). */
export function observationPartitions(ds: DataSource | EntityManager): Promise<Array<{ name: string; month: Month }>> {
  return monthlyPartitions(ds, OBSERVATION_TABLE);
}

/** The instant before which raw months were dropped (their aggregates are final); null when none was. */
export async function rawObservationsFrom(ds: DataSource | EntityManager): Promise<Date | null> {
  const [row]: Array<{ raw_from: Date | string | null }> = await ds.query(`SELECT CASE WHEN raw_from = '-infinity' THEN NULL ELSE raw_from END AS raw_from FROM observation_storage`);
  return row?.raw_from ? new Date(row.raw_from) : null;
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
    await m.query('SELECT pg_advisory_xact_lock($1)', [OBSERVATION_TABLE.lock]);
    const stray: Array<{ y: number; m: number }> = await m.query(
      `SELECT DISTINCT extract(year FROM d.observed_at AT TIME ZONE 'Asia/Shanghai')::int AS y, extract(month FROM d.observed_at AT TIME ZONE 'Asia/Shanghai')::int AS m
       FROM observation_default d, observation_storage s WHERE d.observed_at >= s.raw_from`,
    );
    const r = await ensureMonthlyPartitions(m, OBSERVATION_TABLE, [...monthsBetween(first, last), ...stray.map((x) => ({ year: x.y, month: x.m }))]);
    return { created: r.created, moved: r.moved };
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
    const dropped = await dropMonthlyPartitionsBefore(m, OBSERVATION_TABLE, cutoff);
    await m.query(`UPDATE observation_storage SET raw_from = greatest(raw_from, $1::timestamptz)`, [monthStart(cutoff).toISOString()]);
    return dropped;
  });
}
