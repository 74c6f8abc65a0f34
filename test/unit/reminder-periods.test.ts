import 'reflect-metadata';
import { chinaDay } from '../../src/modules/reminders';
import { periodEnds } from '../../src/modules/reminders/reminder.service';

/** The calendar behind the execution-report reminders: the last days of reporting periods, and the hub's day in China. */
describe('reporting periods', () => {
  test('monthly, quarterly and yearly period ends within a range, leap February included', () => {
    expect(periodEnds('MONTHLY', '2028-01-15', '2028-04-30')).toEqual(['2028-01-31', '2028-02-29', '2028-03-31', '2028-04-30']);
    expect(periodEnds('QUARTERLY', '2026-05-01', '2027-01-01')).toEqual(['2026-06-30', '2026-09-30', '2026-12-31']);
    expect(periodEnds('ANNUAL', '2024-06-01', '2026-12-31')).toEqual(['2024-12-31', '2025-12-31', '2026-12-31']);
    expect(periodEnds('WEEKLY', '2026-01-01', '2026-12-31')).toEqual([]);
  });

  test('the day a pass runs on is the China Standard Time day', () => {
    expect(chinaDay(new Date('2026-11-01T15:59:59Z'))).toBe('2026-11-01');
    expect(chinaDay(new Date('2026-11-01T16:00:00Z'))).toBe('2026-11-02');
  });
});
