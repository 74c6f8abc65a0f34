import chineseDays from 'chinese-days/dist/chinese-days.json';
import chineseDaysPackage from 'chinese-days/package.json';
import { parseDay } from '../calendar';
import { addDays, weekday } from './days';

/**
 * Working days of the official Chinese calendar: Monday to Friday, less the public holidays, plus
 * the weekend days the State Council's yearly arrangement turns into working days (调休). Deadlines
 * the law counts in working days (处罚法 art. 85's short periods, the sharing applications' 10
 * working days) are computed here and nowhere else.
 *
 * The holidays come from the `chinese-days` package (pinned), read from the JSON file it publishes
 * (`dist/chinese-days.json`, keyed by `YYYY-MM-DD`) rather than through its functions: those parse
 * a day as UTC and format it in local time, so on a host west of Greenwich they shift the 调休
 * days by one (2026-10-10 reads as a rest day in America/New_York). A day outside the years the
 * package covers is refused with `CalendarCoverageError`: the arrangement of a year not yet
 * published cannot be guessed.
 */

interface ChineseDaysFile {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
  inLieuDays: Record<string, string>;
}

const DATA = chineseDays as ChineseDaysFile;

/** The package and version the holiday data comes from (package.json pins the version). */
export const CALENDAR_SOURCE = `chinese-days ${chineseDaysPackage.version} (dist/chinese-days.json)`;

/** What a day is in the official calendar. */
export type DayKind = 'WORKDAY' | 'WEEKEND' | 'HOLIDAY' | 'ADJUSTED_WORKDAY';

export interface DayInfo {
  day: string;
  kind: DayKind;
  working: boolean;
  /** The holiday a HOLIDAY or ADJUSTED_WORKDAY belongs to, in Chinese (国庆节, 春节…); null otherwise. */
  holiday: string | null;
}

export interface CalendarCoverage {
  firstYear: number;
  lastYear: number;
  firstDay: string;
  lastDay: string;
  source: string;
}

/**
 * The years the data covers. A year counts only when the package lists both its Spring Festival
 * and its National Day holidays, so a year whose arrangement is partly entered (or a New Year's
 * day that spills over) never passes for a known one; the covered years must be consecutive.
 */
function coverage(): CalendarCoverage {
  const named = new Map<number, Set<string>>();
  for (const [day, label] of Object.entries(DATA.holidays)) {
    const year = +day.slice(0, 4);
    const zh = label.split(',')[1] ?? '';
    named.set(year, (named.get(year) ?? new Set()).add(zh));
  }
  const years = [...named].filter(([, names]) => names.has('春节') && names.has('国庆节')).map(([y]) => y).sort((a, b) => a - b);
  if (years.length === 0) throw new Error(`${CALENDAR_SOURCE}: no complete year of holidays`);
  const [firstYear, lastYear] = [years[0], years[years.length - 1]];
  if (lastYear - firstYear + 1 !== years.length) throw new Error(`${CALENDAR_SOURCE}: covered years are not consecutive (${years.join(', ')})`);
  return { firstYear, lastYear, firstDay: `${firstYear}-01-01`, lastDay: `${lastYear}-12-31`, source: CALENDAR_SOURCE };
}

export const CALENDAR_COVERAGE: Readonly<CalendarCoverage> = Object.freeze(coverage());

/** A day the holiday data does not cover: the caller names its own field and answers bad input. */
export class CalendarCoverageError extends Error {
  readonly day: string;
  readonly coverage: CalendarCoverage;

  constructor(day: string) {
    super(`${day} is outside the official calendar the hub knows (${CALENDAR_COVERAGE.firstDay} to ${CALENDAR_COVERAGE.lastDay}, ${CALENDAR_SOURCE}); working days cannot be counted there`);
    this.name = 'CalendarCoverageError';
    this.day = day;
    this.coverage = CALENDAR_COVERAGE;
  }
}

/** Whether the holiday data covers `day`. */
export function isCoveredDay(day: string): boolean {
  return day >= CALENDAR_COVERAGE.firstDay && day <= CALENDAR_COVERAGE.lastDay;
}

function covered(day: string): string {
  if (parseDay(day) === null) throw new RangeError(`not a calendar day: ${JSON.stringify(day)}`);
  if (!isCoveredDay(day)) throw new CalendarCoverageError(day);
  return day;
}

const chineseName = (label: string): string => label.split(',')[1] ?? label;

/** The kind of `day` in the official calendar. */
export function dayInfo(day: string): DayInfo {
  covered(day);
  const adjusted = DATA.workdays[day];
  if (adjusted !== undefined) return { day, kind: 'ADJUSTED_WORKDAY', working: true, holiday: chineseName(adjusted) };
  const holiday = DATA.holidays[day];
  if (holiday !== undefined) return { day, kind: 'HOLIDAY', working: false, holiday: chineseName(holiday) };
  const wd = weekday(day);
  return wd === 0 || wd === 6 ? { day, kind: 'WEEKEND', working: false, holiday: null } : { day, kind: 'WORKDAY', working: true, holiday: null };
}

/** Whether `day` is a working day (an adjusted working day is one; a public holiday is not). */
export function isWorkingDay(day: string): boolean {
  return dayInfo(day).working;
}

/**
 * The day on which a period of `n` working days starting from `day` ends. The start day itself is
 * not counted, as Chinese procedure counts periods: served on 2026-09-30, five working days run
 * 10-08, 10-09, 10-10 (adjusted), 10-12 and 10-13. A negative `n` counts back (the latest day that
 * is `|n|` working days before `day`); `n = 0` is `day` itself.
 */
export function addWorkingDays(day: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`working days must be a whole number, got ${n}`);
  covered(day);
  const step = n < 0 ? -1 : 1;
  let current = day;
  for (let left = Math.abs(n); left > 0; ) {
    current = covered(addDays(current, step));
    if (isWorkingDay(current)) left--;
  }
  return current;
}

/** `day` if it is a working day, else the first working day after it (a period ending on a rest day). */
export function nextWorkingDayFrom(day: string): string {
  let current = covered(day);
  while (!isWorkingDay(current)) current = covered(addDays(current, 1));
  return current;
}

/** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
export function workingDaysBetween(from: string, to: string): number {
  covered(from);
  covered(to);
  let count = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d)) count++;
  return count;
}
