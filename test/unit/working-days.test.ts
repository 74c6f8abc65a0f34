import { execFileSync } from 'node:child_process';
import { addDays, addMonths, addYears, chinaDayOf, daysBetween, todayInChina } from '../../src/domain/calendar/days';
import {
  addWorkingDays, calendarCoverage, CalendarCoverageError, dayInfo, isWorkingDay, nextWorkingDayFrom, workingDaysBetween,
} from '../../src/domain/calendar/working-days';

/**
 * The official calendar (chinese-days 1.5.7's published data). Holiday facts used below, from the
 * State Council's arrangements: National Day 2025 is 10-01..10-08 with 09-28 (Sun) and 10-11 (Sat)
 * worked; National Day 2026 is 10-01..10-07 with 09-20 (Sun) and 10-10 (Sat) worked; Spring
 * Festival 2026 is 02-15..02-23 with 02-14 (Sat) and 02-28 (Sat) worked; Spring Festival 2025 is
 * 01-28..02-04 with 01-26 (Sun) and 02-08 (Sat) worked.
 */
describe('the official calendar', () => {
  test('covers 2004 to 2026, from the package it names', () => {
    expect(calendarCoverage()).toEqual({ firstYear: 2004, lastYear: 2026, firstDay: '2004-01-01', lastDay: '2026-12-31', source: 'chinese-days 1.5.7 (dist/chinese-days.json)' });
  });

  test('knows holidays, weekends and adjusted working days (调休)', () => {
    expect(dayInfo('2026-10-01')).toEqual({ day: '2026-10-01', kind: 'HOLIDAY', working: false, holiday: '国庆节' });
    expect(dayInfo('2026-10-10')).toEqual({ day: '2026-10-10', kind: 'ADJUSTED_WORKDAY', working: true, holiday: '国庆节' });
    expect(dayInfo('2026-02-14')).toEqual({ day: '2026-02-14', kind: 'ADJUSTED_WORKDAY', working: true, holiday: '春节' });
    expect(dayInfo('2026-02-21')).toMatchObject({ kind: 'HOLIDAY', working: false, holiday: '春节' }); // a Saturday inside the holiday
    expect(dayInfo('2026-10-17')).toEqual({ day: '2026-10-17', kind: 'WEEKEND', working: false, holiday: null });
    expect(dayInfo('2026-10-08')).toEqual({ day: '2026-10-08', kind: 'WORKDAY', working: true, holiday: null });
    expect(isWorkingDay('2025-09-28')).toBe(true); // Sunday worked for National Day 2025
    expect(isWorkingDay('2025-10-08')).toBe(false); // the eighth day of the 2025 holiday
  });

  test('National Day 2026: five working days from 09-30 end on 10-13, the adjusted Saturday counted', () => {
    // Start day not counted; 10-01..10-07 holiday; 10-08 (1), 10-09 (2), 10-10 Sat worked (3), 10-11 Sun rest, 10-12 (4), 10-13 (5).
    expect(addWorkingDays('2026-09-30', 5)).toBe('2026-10-13');
    expect(workingDaysBetween('2026-09-30', '2026-10-13')).toBe(5);
    // Counting back seven working days from 10-12: 10-10 (1), 10-09 (2), 10-08 (3), 09-30 (4), 09-29 (5),
    // 09-28 (6), then 09-25..09-27 is the Mid-autumn holiday (中秋), so 09-24 (7).
    expect(addWorkingDays('2026-10-12', -7)).toBe('2026-09-24');
    expect(dayInfo('2026-09-25')).toMatchObject({ kind: 'HOLIDAY', holiday: '中秋' });
  });

  test('National Day 2025: the day after 09-30 that is worked is 10-09; from a Friday the next is the adjusted Sunday', () => {
    expect(addWorkingDays('2025-09-30', 1)).toBe('2025-10-09');
    expect(addWorkingDays('2025-09-26', 1)).toBe('2025-09-28');
    // 10-09 Thu (1), 10-10 Fri (2), 10-11 Sat worked (3).
    expect(addWorkingDays('2025-10-08', 3)).toBe('2025-10-11');
  });

  test('Spring Festival 2026 with both adjusted Saturdays; Spring Festival 2025 likewise', () => {
    expect(addWorkingDays('2026-02-13', 1)).toBe('2026-02-14');
    expect(addWorkingDays('2026-02-14', 1)).toBe('2026-02-24');
    // 02-14 (1), 02-24..02-27 (2-5), 02-28 Sat worked (6).
    expect(workingDaysBetween('2026-02-13', '2026-02-28')).toBe(6);
    // Six as above, 03-01 a Sunday, then 03-02 (7), 03-03 (8), 03-04 (9), 03-05 (10).
    expect(addWorkingDays('2026-02-13', 10)).toBe('2026-03-05');
    expect(addWorkingDays('2025-01-24', 1)).toBe('2025-01-26');
    expect(addWorkingDays('2025-01-27', 1)).toBe('2025-02-05');
    expect(nextWorkingDayFrom('2025-02-01')).toBe('2025-02-05');
    expect(nextWorkingDayFrom('2025-02-08')).toBe('2025-02-08');
  });

  test('a day outside the covered years is refused, never guessed', () => {
    expect(() => isWorkingDay('2027-01-04')).toThrow(CalendarCoverageError);
    expect(() => dayInfo('2003-12-31')).toThrow(/2003-12-31 is outside the official calendar the hub knows \(2004-01-01 to 2026-12-31/);
    // The count walks into 2027 on its fourth step.
    let thrown: unknown;
    try {
      addWorkingDays('2026-12-28', 5);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(CalendarCoverageError);
    expect((thrown as CalendarCoverageError).day).toBe('2027-01-01');
    expect(addWorkingDays('2026-12-28', 3)).toBe('2026-12-31');
  });

  test('agrees with chinese-days\' own functions on every day it covers, run in China\'s time zone', () => {
    // The package's functions mix UTC parsing with local formatting, so they are only trusted at UTC+8.
    const script = `
      const cd = require('chinese-days');
      const out = [];
      for (let t = Date.UTC(2004, 0, 1); t <= Date.UTC(2026, 11, 31); t += 864e5) {
        const day = new Date(t).toISOString().slice(0, 10);
        if (!cd.isWorkday(day)) out.push(day);
      }
      process.stdout.write(JSON.stringify(out));`;
    const restDays: string[] = JSON.parse(execFileSync(process.execPath, ['-e', script], { env: { ...process.env, TZ: 'Asia/Shanghai' }, encoding: 'utf8' }));
    const ours: string[] = [];
    for (let d = '2004-01-01'; d <= '2026-12-31'; d = addDays(d, 1)) if (!isWorkingDay(d)) ours.push(d);
    expect(ours.length).toBeGreaterThan(23 * 104);
    expect(ours).toEqual(restDays);
  });
});

describe('calendar-day arithmetic', () => {
  test('months and years end on the same day, or the month\'s last day (民法典 art. 202)', () => {
    expect(addYears('2024-02-29', 2)).toBe('2026-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2026-12-15', 2)).toBe('2027-02-15');
  });

  test('days between and days added are exact across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(daysBetween('2026-06-01', '2026-09-29')).toBe(120);
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
  });

  test('an instant\'s day is its day in China (UTC+8), whatever the host\'s zone', () => {
    expect(chinaDayOf(new Date('2026-03-01T16:30:00Z'))).toBe('2026-03-02');
    expect(chinaDayOf(new Date('2026-03-01T15:59:59Z'))).toBe('2026-03-01');
    expect(todayInChina(new Date('2026-12-31T17:00:00Z'))).toBe('2027-01-01');
  });
});
