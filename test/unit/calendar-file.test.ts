import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import chineseDays from 'chinese-days/dist/chinese-days.json';
import { runCalendarCheck } from '../../src/cli/calendar-check';
import { CalendarFileError, loadCalendarFile, parseCalendarFile, readCalendarFile } from '../../src/domain/calendar/calendar-file';
import {
  addWorkingDays, calendarCoverage, CalendarCoverageError, calendarFromFile, calendarRunway, dayInfo, extendCalendar, packageCalendar, useCalendar,
} from '../../src/domain/calendar/working-days';

/**
 * The official-calendar file (HUB_CALENDAR_FILE) that extends the chinese-days package's years.
 * FIXTURE is TEST DATA: a fictitious 2027 invented for these tests (the real 2027 arrangement is not
 * known to the project); its days say nothing about the real holidays.
 */
const FIXTURE = path.join(__dirname, '../fixtures/calendar/fictitious-2027.yaml');

/** A valid year object, fictitious, for the error cases to break one field at a time. */
function testYear(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    year: 2027, complete: true, source: { notice: 'TEST-ONLY fictitious notice', date: '2026-11-30' },
    holidays: [{ name: '春节', days: ['2027-02-10..2027-02-16'] }, { name: '国庆节', days: ['2027-10-01..2027-10-07'] }],
    adjustedWorkdays: [{ name: '春节', days: ['2027-02-20'] }],
    ...over,
  };
}

const refused = (doc: unknown): CalendarFileError => {
  try {
    extendCalendar(packageCalendar(), readCalendarFile('test.yaml', doc));
  } catch (e) {
    if (e instanceof CalendarFileError) return e;
    throw e;
  }
  throw new Error('expected a CalendarFileError');
};

/** The package's own 2026 arrangement written as a calendar-file year (to test agreement). */
function package2026(): { holidays: Array<{ name: string; days: string[] }>; adjustedWorkdays: Array<{ name: string; days: string[] }> } {
  const data = chineseDays as { holidays: Record<string, string>; workdays: Record<string, string> };
  const pick = (m: Record<string, string>) => Object.entries(m).filter(([d]) => d.startsWith('2026-') && d < '2026-12-01').map(([d, l]) => ({ name: l.split(',')[1], days: [d] }));
  return { holidays: pick(data.holidays), adjustedWorkdays: pick(data.workdays) };
}

afterEach(() => useCalendar(packageCalendar()));

describe('the calendar file extends the package year by year', () => {
  test('without a file the hub knows the package alone, and a day in 2027 is refused naming the year', () => {
    expect(calendarFromFile(undefined, loadCalendarFile).coverage).toEqual(packageCalendar().coverage);
    expect(calendarCoverage().lastDay).toBe('2026-12-31');
    let thrown: unknown;
    try {
      addWorkingDays('2026-12-28', 10);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(CalendarCoverageError);
    expect((thrown as CalendarCoverageError).year).toBe(2027);
    expect((thrown as Error).message).toMatch(/holiday arrangement for 2027 is not loaded yet/);
  });

  test('the fictitious test year covers 2027: holidays, adjusted working days and counts across the year end', () => {
    const calendar = calendarFromFile(FIXTURE, loadCalendarFile);
    expect(calendar.coverage).toMatchObject({ firstYear: 2004, lastYear: 2027, lastDay: '2027-12-31' });
    expect(calendar.coverage.source).toContain('TEST-ONLY');
    expect(calendar.fileYears).toEqual([{ year: 2027, notice: 'TEST-ONLY 测试通知〔0000〕0号 (fictitious)', date: '2026-11-30' }]);
    useCalendar(calendar);
    expect(dayInfo('2027-01-01')).toEqual({ day: '2027-01-01', kind: 'HOLIDAY', working: false, holiday: '元旦' });
    expect(dayInfo('2027-02-20')).toEqual({ day: '2027-02-20', kind: 'ADJUSTED_WORKDAY', working: true, holiday: '春节' });
    expect(dayInfo('2027-03-06')).toMatchObject({ kind: 'WEEKEND' });
    // 12-29, 12-30, 12-31, then the test holiday 01-01..01-03, then Monday 01-04 and Tuesday 01-05.
    expect(addWorkingDays('2026-12-28', 5)).toBe('2027-01-05');
    // The package's own days are untouched.
    expect(dayInfo('2026-10-10')).toMatchObject({ kind: 'ADJUSTED_WORKDAY', holiday: '国庆节' });
    expect(() => dayInfo('2028-01-03')).toThrow(CalendarCoverageError);
  });

  test('a draft year (complete: false) is checked but not used', () => {
    const calendar = extendCalendar(packageCalendar(), readCalendarFile('t', { version: 1, years: [testYear({ complete: false })] }));
    expect(calendar.coverage.lastDay).toBe('2026-12-31');
    expect(calendar.fileYears).toEqual([]);
    expect(extendCalendar(packageCalendar(), readCalendarFile('t', { version: 1, years: [] })).coverage.lastDay).toBe('2026-12-31');
  });

  test('a New Year holiday starting in December adds the day to the year before, which the package leaves ordinary', () => {
    const calendar = extendCalendar(packageCalendar(), readCalendarFile('t', { version: 1, years: [testYear({ holidays: [...(testYear().holidays as unknown[]), { name: '元旦', days: ['2026-12-31..2027-01-01'] }] })] }));
    useCalendar(calendar);
    expect(dayInfo('2026-12-31')).toMatchObject({ kind: 'HOLIDAY', holiday: '元旦' });
  });
});

describe('a file with a problem stops the start, naming the field', () => {
  const cases: Array<[string, unknown, string, RegExp]> = [
    ['wrong version', { version: 2, years: [] }, 'version', /expected 1/],
    ['no years list', { version: 1 }, 'years', /expected a list/],
    ['unknown top-level field', { version: 1, years: [], override: true }, 'override', /unknown field/],
    ['completeness not declared', { version: 1, years: [testYear({ complete: undefined })] }, 'years[0].complete', /required/],
    ['no notice number', { version: 1, years: [testYear({ source: { date: '2026-11-30' } })] }, 'years[0].source.notice', /notice's number/],
    ['no notice date', { version: 1, years: [testYear({ source: { notice: 'X' } })] }, 'years[0].source.date', /day the notice was issued/],
    ['an impossible day', { version: 1, years: [testYear({ holidays: [{ name: '春节', days: ['2027-02-30'] }] })] }, 'years[0].holidays[0].days[0]', /not a day/],
    ['a run ending before it starts', { version: 1, years: [testYear({ holidays: [{ name: '春节', days: ['2027-02-16..2027-02-10'] }] })] }, 'years[0].holidays[0].days[0]', /ends before it starts/],
    ['a day of another year', { version: 1, years: [testYear({ adjustedWorkdays: [{ name: '春节', days: ['2028-01-08'] }] })] }, 'years[0].adjustedWorkdays[0].days[0]', /not in 2027/],
    ['a weekday as adjusted working day', { version: 1, years: [testYear({ adjustedWorkdays: [{ name: '春节', days: ['2027-02-17'] }] })] }, 'years[0].adjustedWorkdays', /is a weekday/],
    ['one day twice', { version: 1, years: [testYear({ adjustedWorkdays: [{ name: '春节', days: ['2027-10-02'] }] })] }, 'years[0].adjustedWorkdays', /listed twice/],
    ['a complete year without National Day', { version: 1, years: [testYear({ holidays: [{ name: '春节', days: ['2027-02-10'] }] })] }, 'years[0].holidays', /names 国庆节/],
    ['a holiday without a name', { version: 1, years: [testYear({ holidays: [{ days: ['2027-02-10'] }] })] }, 'years[0].holidays[0].name', /name is required/],
    ['the same year twice', { version: 1, years: [testYear(), testYear()] }, 'years[1].year', /appears twice/],
    ['a gap after the package', { version: 1, years: [testYear({ year: 2028, holidays: [{ name: '春节', days: ['2028-01-26'] }, { name: '国庆节', days: ['2028-10-02'] }], adjustedWorkdays: [] })] }, 'years[0].year', /2028 cannot be covered while 2027 is not/],
  ];
  test.each(cases)('%s', (_what, doc, field, problem) => {
    const err = refused(doc);
    expect(err.field).toBe(field);
    expect(err.message).toMatch(problem);
    expect(err.message.startsWith(`test.yaml: ${field}: `)).toBe(true);
  });

  test('a file that cannot be read or parsed is refused too', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'calendar-'));
    expect(() => loadCalendarFile(path.join(dir, 'missing.yaml'))).toThrow(CalendarFileError);
    writeFileSync(path.join(dir, 'bad.yaml'), 'version: 1\nyears: [ {year: 2027\n');
    expect(() => loadCalendarFile(path.join(dir, 'bad.yaml'))).toThrow(/bad.yaml: \(file\): not valid YAML/);
    expect(() => parseCalendarFile('t', 'just text')).toThrow(/expected \{ version, years \}/);
  });
});

describe('a year both the package and the file cover must agree', () => {
  test('the package\'s own 2026 (January to November) written as a file year is accepted, and changes nothing', () => {
    const doc = { version: 1, years: [{ year: 2026, complete: true, source: { notice: 'TEST-ONLY: the package\'s own 2026, rewritten', date: '2025-11-04' }, ...package2026() }] };
    const calendar = extendCalendar(packageCalendar(), readCalendarFile('t', doc));
    expect(calendar.coverage.lastDay).toBe('2026-12-31');
    expect(calendar.fileYears).toEqual([]);
  });

  test('a day the package lists that the file leaves out, or the reverse, or another meaning: refused', () => {
    const leaveOut = package2026();
    leaveOut.adjustedWorkdays = leaveOut.adjustedWorkdays.filter((d) => d.days[0] !== '2026-10-10');
    const src = { notice: 'X', date: '2025-11-04' };
    expect(refused({ version: 1, years: [{ year: 2026, complete: true, source: src, ...leaveOut }] }).message)
      .toMatch(/2026-10-10 is an ordinary day here but an adjusted working day \(国庆节\) in chinese-days 1\.5\.7/);
    const extra = package2026();
    extra.holidays.push({ name: '国庆节', days: ['2026-10-08'] });
    expect(refused({ version: 1, years: [{ year: 2026, complete: true, source: src, ...extra }] }).field).toBe('years[0]');
    const swapped = package2026();
    swapped.adjustedWorkdays.push({ name: '国庆节', days: ['2026-10-03'] });
    swapped.holidays = swapped.holidays.filter((d) => d.days[0] !== '2026-10-03');
    const err = refused({ version: 1, years: [{ year: 2026, complete: true, source: src, ...swapped }] });
    expect(err.field).toBe('years[0].adjustedWorkdays');
    expect(err.message).toMatch(/2026-10-03 is an adjusted working day \(国庆节\) here but a holiday \(国庆节\) in chinese-days/);
  });
});

describe('how long the calendar lasts, and the check command', () => {
  test('within 30 days of its last day the calendar is ending and names the year to add', () => {
    expect(calendarRunway('2026-12-06')).toEqual({ lastDay: '2026-12-31', daysLeft: 25, ending: true, nextYear: 2027 });
    expect(calendarRunway('2026-11-30')).toMatchObject({ daysLeft: 31, ending: false });
    expect(calendarRunway('2026-12-06', calendarFromFile(FIXTURE, loadCalendarFile))).toEqual({ lastDay: '2027-12-31', daysLeft: 390, ending: false, nextYear: 2028 });
  });

  test('npm run calendar:check accepts the test file and refuses a broken one, naming the field', () => {
    const lines: string[] = [];
    expect(runCalendarCheck(FIXTURE, '2026-12-06', (l) => lines.push(l))).toBe(0);
    expect(lines).toContain('covered: 2004-01-01 to 2027-12-31');
    expect(lines.some((l) => l.startsWith('2027: complete, added; TEST-ONLY'))).toBe(true);
    const dir = mkdtempSync(path.join(tmpdir(), 'calendar-'));
    const broken = path.join(dir, 'broken.yaml');
    writeFileSync(broken, 'version: 1\nyears:\n  - year: 2027\n    complete: true\n    holidays: []\n');
    const out: string[] = [];
    expect(runCalendarCheck(broken, '2026-12-06', (l) => out.push(l))).toBe(1);
    expect(out.find((l) => l.startsWith('REFUSED'))).toMatch(/broken\.yaml: years\[0\]\.source: required/);
    const none: string[] = [];
    expect(runCalendarCheck(undefined, '2026-12-06', (l) => none.push(l))).toBe(0);
    expect(none).toContain('WARNING 25 days from 2026-12-06 to 2026-12-31: add 2027 once the State Council General Office publishes its holiday notice');
    // The shipped file holds no year yet.
    expect(runCalendarCheck(path.join(__dirname, '../../src/domain/calendar/official-calendar.yaml'), '2026-12-06', () => undefined)).toBe(0);
  });
});
