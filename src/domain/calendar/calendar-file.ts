import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { parseDay } from '../calendar';
import { addDays, weekday } from './days';

/**
 * The official-calendar file (HUB_CALENDAR_FILE): the years the `chinese-days` package does not
 * publish yet, each copied by an operator from the State Council General Office's yearly notice on
 * public holidays (国务院办公厅关于 YYYY 年部分节假日安排的通知) and reviewed before use.
 *
 *   version: 1
 *   years:
 *     - year: 2027
 *       complete: true            # only a year declared complete counts as covered
 *       source:
 *         notice: 国办发明电〔…〕…号  # the notice's number
 *         date: 2026-11-…          # the day it was issued
 *         title: …                 # optional
 *         url: …                   # optional
 *       holidays:                  # every day off, weekends inside a holiday included
 *         - { name: 春节, days: [2027-02-…..2027-02-…] }
 *       adjustedWorkdays:          # every weekend day worked (调休)
 *         - { name: 春节, days: [2027-02-…] }
 *
 * A day is written `YYYY-MM-DD`, or a run of days `YYYY-MM-DD..YYYY-MM-DD`. A year's days lie in
 * that year, or in the December before it (a New Year holiday that starts on 12-30 or 12-31). This
 * module only reads and checks the file; working-days.ts merges it with the package.
 */

export const CALENDAR_FILE_VERSION = 1;

/** Holidays a complete year must name: the two the package's own completeness check relies on too. */
export const REQUIRED_HOLIDAYS: readonly string[] = ['春节', '国庆节'];

export interface CalendarNotice {
  notice: string;
  date: string;
  title: string | null;
  url: string | null;
}

export interface CalendarFileYear {
  year: number;
  complete: boolean;
  source: CalendarNotice;
  /** Every day off of the year's arrangement, with the holiday it belongs to. */
  holidays: Array<{ day: string; name: string }>;
  /** Every weekend day worked (调休), with the holiday it makes up for. */
  adjustedWorkdays: Array<{ day: string; name: string }>;
}

export interface CalendarFile {
  /** Where it was read from (a path, or a label for a file given as text). */
  origin: string;
  years: CalendarFileYear[];
}

/** A problem with the file: names the file and the field (`years[0].source.notice`), so an operator can fix it. */
export class CalendarFileError extends Error {
  readonly origin: string;
  readonly field: string;

  constructor(origin: string, field: string, problem: string) {
    super(`${origin}: ${field}: ${problem}`);
    this.name = 'CalendarFileError';
    this.origin = origin;
    this.field = field;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Longest run a single entry may name: a holiday is at most a couple of weeks, so a longer run is a typo. */
const MAX_RUN_DAYS = 20;

function expandDays(origin: string, field: string, value: unknown): string[] {
  if (typeof value !== 'string') throw new CalendarFileError(origin, field, `expected a day YYYY-MM-DD or a run YYYY-MM-DD..YYYY-MM-DD, got ${JSON.stringify(value)}`);
  const [from, to, ...rest] = value.split('..');
  if (rest.length > 0 || parseDay(from.trim()) === null || (to !== undefined && parseDay(to.trim()) === null)) {
    throw new CalendarFileError(origin, field, `not a day or a run of days: ${JSON.stringify(value)}`);
  }
  const first = from.trim();
  const last = (to ?? from).trim();
  if (last < first) throw new CalendarFileError(origin, field, `the run ends before it starts: ${value}`);
  const out: string[] = [];
  for (let d = first; d <= last; d = addDays(d, 1)) {
    out.push(d);
    if (out.length > MAX_RUN_DAYS) throw new CalendarFileError(origin, field, `a run of more than ${MAX_RUN_DAYS} days: ${value}`);
  }
  return out;
}

function entries(origin: string, field: string, value: unknown, year: number): Array<{ day: string; name: string }> {
  if (!Array.isArray(value)) throw new CalendarFileError(origin, field, 'expected a list of { name, days }');
  const out: Array<{ day: string; name: string }> = [];
  value.forEach((entry, i) => {
    const at = `${field}[${i}]`;
    if (!isObject(entry)) throw new CalendarFileError(origin, at, 'expected { name, days }');
    const unknown = Object.keys(entry).filter((k) => k !== 'name' && k !== 'days');
    if (unknown.length) throw new CalendarFileError(origin, `${at}.${unknown[0]}`, 'unknown field');
    const name = typeof entry.name === 'string' ? entry.name.trim() : '';
    if (name === '') throw new CalendarFileError(origin, `${at}.name`, 'the holiday\'s name is required (元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节)');
    if (!Array.isArray(entry.days) || entry.days.length === 0) throw new CalendarFileError(origin, `${at}.days`, 'a non-empty list of days is required');
    entry.days.forEach((d: unknown, j: number) => {
      for (const day of expandDays(origin, `${at}.days[${j}]`, d)) {
        // A year's arrangement lies in the year, or starts in the December before it (New Year).
        if (!(day.startsWith(`${year}-`) || day.startsWith(`${year - 1}-12-`))) {
          throw new CalendarFileError(origin, `${at}.days[${j}]`, `${day} is not in ${year} (nor in the December before it)`);
        }
        out.push({ day, name });
      }
    });
  });
  return out;
}

function optionalString(origin: string, field: string, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.trim() === '') throw new CalendarFileError(origin, field, 'expected a non-empty text or nothing');
  return value.trim();
}

function readYear(origin: string, field: string, value: unknown): CalendarFileYear {
  if (!isObject(value)) throw new CalendarFileError(origin, field, 'expected { year, complete, source, holidays, adjustedWorkdays }');
  const known = ['year', 'complete', 'source', 'holidays', 'adjustedWorkdays'];
  const unknown = Object.keys(value).filter((k) => !known.includes(k));
  if (unknown.length) throw new CalendarFileError(origin, `${field}.${unknown[0]}`, 'unknown field');
  const year = value.year;
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 2000 || year > 2099) throw new CalendarFileError(origin, `${field}.year`, `expected a year 2000–2099, got ${JSON.stringify(year)}`);
  if (typeof value.complete !== 'boolean') throw new CalendarFileError(origin, `${field}.complete`, 'required: true once every holiday and adjusted working day of the notice is entered and reviewed, false while it is a draft');
  const src = value.source;
  if (!isObject(src)) throw new CalendarFileError(origin, `${field}.source`, 'required: { notice, date } of the State Council General Office notice');
  const srcUnknown = Object.keys(src).filter((k) => !['notice', 'date', 'title', 'url'].includes(k));
  if (srcUnknown.length) throw new CalendarFileError(origin, `${field}.source.${srcUnknown[0]}`, 'unknown field');
  if (typeof src.notice !== 'string' || src.notice.trim() === '') throw new CalendarFileError(origin, `${field}.source.notice`, 'required: the notice\'s number');
  if (typeof src.date !== 'string' || parseDay(src.date) === null) throw new CalendarFileError(origin, `${field}.source.date`, `required: the day the notice was issued, YYYY-MM-DD (got ${JSON.stringify(src.date)})`);
  const source: CalendarNotice = { notice: src.notice.trim(), date: src.date, title: optionalString(origin, `${field}.source.title`, src.title), url: optionalString(origin, `${field}.source.url`, src.url) };
  const holidays = entries(origin, `${field}.holidays`, value.holidays, year);
  const adjustedWorkdays = entries(origin, `${field}.adjustedWorkdays`, value.adjustedWorkdays ?? [], year);
  // One day, one meaning.
  const seen = new Map<string, string>();
  const check = (list: Array<{ day: string }>, what: string, key: string) => {
    for (const { day } of list) {
      const before = seen.get(day);
      if (before !== undefined) throw new CalendarFileError(origin, `${field}.${key}`, `${day} is listed twice (${before}, ${what})`);
      seen.set(day, what);
    }
  };
  check(holidays, 'holiday', 'holidays');
  check(adjustedWorkdays, 'adjusted working day', 'adjustedWorkdays');
  // 调休 turns a weekend day into a working day; a weekday needs no adjustment.
  const weekdayWorked = adjustedWorkdays.find((d) => weekday(d.day) !== 0 && weekday(d.day) !== 6);
  if (weekdayWorked) throw new CalendarFileError(origin, `${field}.adjustedWorkdays`, `${weekdayWorked.day} is a weekday: an adjusted working day is a Saturday or Sunday worked`);
  if (value.complete) {
    if (holidays.length === 0) throw new CalendarFileError(origin, `${field}.holidays`, `a complete year lists its holidays`);
    const names = new Set(holidays.map((h) => h.name));
    const missing = REQUIRED_HOLIDAYS.filter((n) => !names.has(n));
    if (missing.length) throw new CalendarFileError(origin, `${field}.holidays`, `a complete year names ${missing.join(', ')}`);
  }
  return { year, complete: value.complete, source, holidays, adjustedWorkdays };
}

/** Checks a parsed file: every problem is a `CalendarFileError` naming the field. */
export function readCalendarFile(origin: string, doc: unknown): CalendarFile {
  if (!isObject(doc)) throw new CalendarFileError(origin, '(file)', 'expected { version, years }');
  const unknown = Object.keys(doc).filter((k) => k !== 'version' && k !== 'years');
  if (unknown.length) throw new CalendarFileError(origin, unknown[0], 'unknown field');
  if (doc.version !== CALENDAR_FILE_VERSION) throw new CalendarFileError(origin, 'version', `expected ${CALENDAR_FILE_VERSION}, got ${JSON.stringify(doc.version)}`);
  if (!Array.isArray(doc.years)) throw new CalendarFileError(origin, 'years', 'expected a list (empty while no year is added)');
  const years = doc.years.map((y, i) => readYear(origin, `years[${i}]`, y));
  const seen = new Set<number>();
  years.forEach((y, i) => {
    if (seen.has(y.year)) throw new CalendarFileError(origin, `years[${i}].year`, `${y.year} appears twice`);
    seen.add(y.year);
  });
  return { origin, years: years.sort((a, b) => a.year - b.year) };
}

/** Reads and checks a YAML file; a missing file, bad YAML or a bad field is a `CalendarFileError`. */
export function loadCalendarFile(file: string): CalendarFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CalendarFileError(file, '(file)', `cannot be read: ${(err as Error).message}`);
  }
  return parseCalendarFile(file, text);
}

/** Parses YAML text (named `origin` in errors) and checks it. */
export function parseCalendarFile(origin: string, text: string): CalendarFile {
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (err) {
    throw new CalendarFileError(origin, '(file)', `not valid YAML: ${(err as Error).message}`);
  }
  return readCalendarFile(origin, doc);
}
