import type { DataSource } from 'typeorm';
import { addMonths, dropMonthlyPartitionsBefore, ensureMonthlyPartitions, MonthlyTable, monthOf, monthsBetween } from '../../db/monthly-partitions';

/**
 * The audit log's months (migration AuditPartitions1796800000001). The log is append-only: rows in
 * its default partition cannot be moved, so a month whose rows sit there is left to it (and
 * reported), and retention drops whole months only.
 */
export const AUDIT_TABLE: MonthlyTable = { table: 'audit_event', column: 'at', lock: 1796802, moveFromDefault: false };

export interface AuditStorageRun {
  created: string[];
  leftInDefault: string[];
  dropped: string[];
}

/**
 * Makes the audit log's current month and `monthsAhead` more, and, when `retentionMonths` is set
 * (HUB_AUDIT_RETENTION_MONTHS, at least 12; unset keeps the log for ever), drops the months that
 * end on or before the 1st of the month that many months before the current one.
 */
export async function maintainAuditStorage(ds: DataSource, o: { monthsAhead: number; retentionMonths: number | null }, now = new Date()): Promise<AuditStorageRun> {
  return ds.transaction(async (m) => {
    const dropped = o.retentionMonths === null ? [] : await dropMonthlyPartitionsBefore(m, AUDIT_TABLE, addMonths(monthOf(now), -o.retentionMonths));
    const r = await ensureMonthlyPartitions(m, AUDIT_TABLE, monthsBetween(monthOf(now), addMonths(monthOf(now), o.monthsAhead)));
    return { created: r.created, leftInDefault: r.leftInDefault, dropped };
  });
}
