import { parseDay } from '../calendar';

/**
 * Calendar-day arithmetic on `YYYY-MM-DD` strings, done in UTC so that no process time zone can
 * shift a day. Days of the zone are China Standard Time (UTC+8, no daylight saving since 1991):
 * `chinaDayOf` turns an instant into the day a Qingpu, Wujiang or Jiashan officer would write down.
 */

const MS_PER_DAY = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

function toUtc(day: string): number {
  if (parseDay(day) === null) throw new RangeError(`not a calendar day: ${JSON.stringify(day)}`);
  return Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10));
}

function fromUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The day `n` calendar days after `day` (before it when `n` is negative). */
export function addDays(day: string, n: number): string {
  return fromUtc(toUtc(day) + n * MS_PER_DAY);
}

/** Calendar days from `from` to `to`: 1 for consecutive days, negative when `to` comes first. */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtc(to) - toUtc(from)) / MS_PER_DAY);
}

/** 0 Sunday … 6 Saturday. */
export function weekday(day: string): number {
  return new Date(toUtc(day)).getUTCDay();
}

/**
 * The day `n` months after `day`: the same day of the month, or the month's last day when it has
 * no such day (2024-02-29 + 24 months = 2026-02-28). This is how Chinese law ends a period counted
 * in months or years (民法典 art. 202).
 */
export function addMonths(day: string, n: number): string {
  const y = +day.slice(0, 4);
  const m = +day.slice(5, 7) - 1 + n;
  const d = +day.slice(8, 10);
  toUtc(day); // validates the day
  const targetYear = y + Math.floor(m / 12);
  const targetMonth = ((m % 12) + 12) % 12;
  const lastOfMonth = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  return fromUtc(Date.UTC(targetYear, targetMonth, Math.min(d, lastOfMonth)));
}

/** The day `n` years after `day`, with the month-end rule of `addMonths`. */
export function addYears(day: string, n: number): string {
  return addMonths(day, 12 * n);
}

/** The China Standard Time (UTC+8) day of an instant. */
export function chinaDayOf(instant: Date): string {
  return fromUtc(instant.getTime() + CHINA_OFFSET_MS);
}

/** Today in China, the default date of the enforcement calculators. */
export function todayInChina(now: Date = new Date()): string {
  return chinaDayOf(now);
}
