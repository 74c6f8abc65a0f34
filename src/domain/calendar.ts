/**
 * The calendar days the hub accepts, in what it stores and in what it is asked to filter by:
 * PostgreSQL would take a wider range (and refuse year 0 with an error of its own), but no record
 * of the hub is dated outside it. 2099-12-31 is the 双公示 "long-term".
 */
export const EARLIEST_DAY = '1900-01-01';
export const LATEST_DAY = '2099-12-31';

/** A calendar day `YYYY-MM-DD` that exists (no 2026-02-30, no year 0000), or null. */
export function parseDay(s: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  // Date.UTC reads years 0-99 as 1900-1999: those fail the comparison too.
  if (d.getUTCFullYear() !== +m[1] || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) return null;
  return s;
}

/** Whether a `YYYY-MM-DD` day lies within EARLIEST_DAY..LATEST_DAY. */
export function isHubDay(day: string): boolean {
  return day >= EARLIEST_DAY && day <= LATEST_DAY;
}
