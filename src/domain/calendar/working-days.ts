import chineseDays from 'chinese-days/dist/chinese-days.json';
import chineseDaysPackage from 'chinese-days/package.json';
import { parseDay } from '../calendar';
import { CalendarFileError, type CalendarFile } from './calendar-file';
import { addDays, daysBetween, weekday } from './days';

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
 * published cannot be guessed. Years the package does not publish yet come from the reviewed
 * calendar file (HUB_CALENDAR_FILE, calendar-file.ts), merged by `extendCalendar` and installed at
 * start with `useCalendar`.
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

interface Listed {
  kind: 'HOLIDAY' | 'ADJUSTED_WORKDAY';
  holiday: string;
}

/** The official calendar in force: the package's years, extended by the reviewed calendar file's. */
export interface OfficialCalendar {
  readonly coverage: Readonly<CalendarCoverage>;
  /** The years the calendar file adds (beyond the package), with the notice each was copied from. */
  readonly fileYears: ReadonlyArray<{ year: number; notice: string; date: string }>;
  readonly days: ReadonlyMap<string, Listed>;
}

const chineseName = (label: string): string => label.split(',')[1] ?? label;

/**
 * The years the package covers. A year counts only when the package lists both its Spring Festival
 * and its National Day holidays, so a year whose arrangement is partly entered (or a New Year's
 * day that spills over) never passes for a known one; the covered years must be consecutive.
 */
function packageYears(): { firstYear: number; lastYear: number } {
  const named = new Map<number, Set<string>>();
  for (const [day, label] of Object.entries(DATA.holidays)) {
    const year = +day.slice(0, 4);
    named.set(year, (named.get(year) ?? new Set()).add(chineseName(label)));
  }
  const years = [...named].filter(([, names]) => names.has('春节') && names.has('国庆节')).map(([y]) => y).sort((a, b) => a - b);
  if (years.length === 0) throw new Error(`${CALENDAR_SOURCE}: no complete year of holidays`);
  const [firstYear, lastYear] = [years[0], years[years.length - 1]];
  if (lastYear - firstYear + 1 !== years.length) throw new Error(`${CALENDAR_SOURCE}: covered years are not consecutive (${years.join(', ')})`);
  return { firstYear, lastYear };
}

const PACKAGE_YEARS = packageYears();

/** The package's listed days (holidays and adjusted working days), as the hub reads them. */
function packageDays(): Map<string, Listed> {
  const days = new Map<string, Listed>();
  for (const [day, label] of Object.entries(DATA.holidays)) days.set(day, { kind: 'HOLIDAY', holiday: chineseName(label) });
  // An adjusted working day wins over a holiday label on the same day, as dayInfo always read it.
  for (const [day, label] of Object.entries(DATA.workdays)) days.set(day, { kind: 'ADJUSTED_WORKDAY', holiday: chineseName(label) });
  return days;
}

/** The package's calendar alone (no calendar file): what the hub knows when HUB_CALENDAR_FILE is unset. */
export function packageCalendar(): OfficialCalendar {
  const { firstYear, lastYear } = PACKAGE_YEARS;
  return {
    coverage: Object.freeze({ firstYear, lastYear, firstDay: `${firstYear}-01-01`, lastDay: `${lastYear}-12-31`, source: CALENDAR_SOURCE }),
    fileYears: [],
    days: packageDays(),
  };
}

const kindWord = (l: Listed | undefined): string => (l === undefined ? 'an ordinary day' : l.kind === 'HOLIDAY' ? `a holiday (${l.holiday})` : `an adjusted working day (${l.holiday})`);

/**
 * The package's calendar extended by a checked calendar file. Only years declared `complete` count;
 * drafts are ignored. Fails (`CalendarFileError`, naming the field) when:
 * - a complete year of the file is one the package covers too and the two disagree on any day of
 *   that year (the package is not overridden: two sources that disagree need a person to decide,
 *   see docs/sharing.md "Calendar");
 * - a day the file lists is one the package lists with another meaning;
 * - the covered years would not be consecutive (a year beyond the package needs every year between).
 * December days are compared only when the next year is covered by both: before that, a New Year
 * holiday of the next year's notice may add days the package's year does not list.
 */
export function extendCalendar(base: OfficialCalendar, file: CalendarFile): OfficialCalendar {
  const days = new Map(base.days);
  const complete = file.years.filter((y) => y.complete);
  const fileListed = new Map<string, Listed & { field: string }>();
  for (const y of complete) {
    const i = file.years.indexOf(y);
    for (const h of y.holidays) fileListed.set(h.day, { kind: 'HOLIDAY', holiday: h.name, field: `years[${i}].holidays` });
    for (const w of y.adjustedWorkdays) fileListed.set(w.day, { kind: 'ADJUSTED_WORKDAY', holiday: w.name, field: `years[${i}].adjustedWorkdays` });
  }
  const { firstYear, lastYear } = base.coverage;
  const inBase = (year: number) => year >= firstYear && year <= lastYear;
  const fileYearSet = new Set(complete.map((y) => y.year));
  // Any day both list: the same meaning.
  for (const [day, mine] of fileListed) {
    const theirs = base.days.get(day);
    if (theirs !== undefined && theirs.kind !== mine.kind) {
      throw new CalendarFileError(file.origin, mine.field, `${day} is ${kindWord(mine)} here but ${kindWord(theirs)} in ${base.coverage.source}; the hub does not start on two calendars that disagree`);
    }
  }
  // A year both cover: the same listed days, all of them.
  for (const y of complete.filter((c) => inBase(c.year))) {
    const i = file.years.indexOf(y);
    const compareDecember = fileYearSet.has(y.year + 1) && inBase(y.year + 1);
    for (let d = `${y.year}-01-01`; d <= `${y.year}-12-31`; d = addDays(d, 1)) {
      if (!compareDecember && d >= `${y.year}-12-01`) break;
      const mine = fileListed.get(d);
      const theirs = base.days.get(d);
      if ((mine === undefined) !== (theirs === undefined)) {
        throw new CalendarFileError(file.origin, `years[${i}]`, `${d} is ${kindWord(mine)} here but ${kindWord(theirs)} in ${base.coverage.source}; the hub does not start on two calendars that disagree`);
      }
    }
  }
  // Years beyond the package: consecutive from the package's last year.
  let last = lastYear;
  const added: Array<{ year: number; notice: string; date: string }> = [];
  for (const y of complete.filter((c) => c.year > lastYear)) {
    if (y.year !== last + 1) {
      throw new CalendarFileError(file.origin, `years[${file.years.indexOf(y)}].year`, `${y.year} cannot be covered while ${last + 1} is not (covered years must be consecutive; ${base.coverage.source} ends with ${lastYear})`);
    }
    last = y.year;
    added.push({ year: y.year, notice: y.source.notice, date: y.source.date });
  }
  for (const [day, l] of fileListed) days.set(day, { kind: l.kind, holiday: l.holiday });
  const source = added.length === 0 ? base.coverage.source
    : `${base.coverage.source} + ${file.origin} (${added.map((a) => `${a.year}: ${a.notice} of ${a.date}`).join('; ')})`;
  return {
    coverage: Object.freeze({ firstYear, lastYear: last, firstDay: `${firstYear}-01-01`, lastDay: `${last}-12-31`, source }),
    fileYears: [...base.fileYears, ...added],
    days,
  };
}

/** The calendar of this process: the package's until `useCalendar` installs an extended one at start. */
let active: OfficialCalendar = packageCalendar();

/** Installs the calendar every working-day count of this process uses (createHub does, from HUB_CALENDAR_FILE). */
export function useCalendar(calendar: OfficialCalendar): void {
  active = calendar;
}

/** The calendar in force. */
export function officialCalendar(): OfficialCalendar {
  return active;
}

/** The years the calendar in force covers. */
export function calendarCoverage(): Readonly<CalendarCoverage> {
  return active.coverage;
}

/** A day the calendar does not cover: the caller names its own field and answers bad input. */
export class CalendarCoverageError extends Error {
  readonly day: string;
  /** The year whose official arrangement is missing. */
  readonly year: number;
  readonly coverage: CalendarCoverage;

  constructor(day: string) {
    const coverage = active.coverage;
    const year = +day.slice(0, 4);
    const missing = year > coverage.lastYear
      ? `the State Council's holiday arrangement for ${year} is not loaded yet (the hub's calendar runs to ${coverage.lastDay}; an operator adds ${year} to the calendar file once the notice is published)`
      : `the hub's calendar starts on ${coverage.firstDay}`;
    super(`${day} is outside the official calendar the hub knows (${coverage.firstDay} to ${coverage.lastDay}, ${coverage.source}): ${missing}; working days cannot be counted there`);
    this.name = 'CalendarCoverageError';
    this.day = day;
    this.year = year;
    this.coverage = coverage;
  }
}

/** Whether the calendar in force covers `day`. */
export function isCoveredDay(day: string): boolean {
  return day >= active.coverage.firstDay && day <= active.coverage.lastDay;
}

function covered(day: string): string {
  if (parseDay(day) === null) throw new RangeError(`not a calendar day: ${JSON.stringify(day)}`);
  if (!isCoveredDay(day)) throw new CalendarCoverageError(day);
  return day;
}

/** The kind of `day` in the official calendar. */
export function dayInfo(day: string): DayInfo {
  covered(day);
  const listed = active.days.get(day);
  if (listed !== undefined) return { day, kind: listed.kind, working: listed.kind === 'ADJUSTED_WORKDAY', holiday: listed.holiday };
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

/** How early the hub warns that its calendar is about to end: an application's answer deadline lies up to ~3 weeks ahead. */
export const CALENDAR_WARNING_DAYS = 30;

export interface CalendarRunway {
  lastDay: string;
  /** Calendar days from `today` to the calendar's last day (0 on it, negative after it). */
  daysLeft: number;
  /** True within CALENDAR_WARNING_DAYS of the last day (or past it): the next year's notice needs loading. */
  ending: boolean;
  /** The year an operator should add next. */
  nextYear: number;
}

/** How long the calendar in force (or `calendar`) lasts from `today` (the China day of the hub's clock). */
export function calendarRunway(today: string, calendar: OfficialCalendar = active): CalendarRunway {
  const { lastDay, lastYear } = calendar.coverage;
  const daysLeft = daysBetween(today, lastDay);
  return { lastDay, daysLeft, ending: daysLeft <= CALENDAR_WARNING_DAYS, nextYear: lastYear + 1 };
}

/** The calendar HUB_CALENDAR_FILE asks for: the package's, extended by the file when one is named. Throws `CalendarFileError`. */
export function calendarFromFile(file: string | undefined, load: (file: string) => CalendarFile): OfficialCalendar {
  return file ? extendCalendar(packageCalendar(), load(file)) : packageCalendar();
}
