import { CalendarFileError, loadCalendarFile } from '../domain/calendar/calendar-file';
import { calendarRunway, extendCalendar, packageCalendar } from '../domain/calendar/working-days';
import { todayInChina } from '../domain/calendar/days';

/*
 * npm run calendar:check [-- <calendar file>] [-- --today YYYY-MM-DD]
 *
 * Checks an official-calendar file (the one HUB_CALENDAR_FILE will name) exactly as the hub does at
 * start — schema, complete years, agreement with the chinese-days package, consecutive years — and
 * prints what the hub would cover, each year's notice and counts, and how many days remain. Run it
 * on the file before pointing HUB_CALENDAR_FILE at it. Without a file: the package alone.
 * Exit status 0 when the file is accepted, 1 when it is refused, 2 on bad arguments.
 */

const USAGE = 'usage: calendar-check [<calendar file>] [--today YYYY-MM-DD]';

export function parseCalendarCheckArgs(argv: readonly string[]): { file?: string; today?: string; help?: boolean; error?: string } {
  const out: { file?: string; today?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { help: true };
    if (arg === '--today') {
      const v = argv[++i];
      if (!v || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return { error: `--today needs a day YYYY-MM-DD` };
      out.today = v;
    } else if (arg.startsWith('-') || out.file !== undefined) {
      return { error: `unexpected argument: ${arg}` };
    } else {
      out.file = arg;
    }
  }
  return out;
}

/** Runs the check and returns the exit status, so a test can run it without a process. */
export function runCalendarCheck(file: string | undefined, today: string, write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): number {
  const base = packageCalendar();
  write(`package: ${base.coverage.source}, ${base.coverage.firstDay} to ${base.coverage.lastDay}`);
  let calendar = base;
  if (file !== undefined) {
    try {
      const parsed = loadCalendarFile(file);
      calendar = extendCalendar(base, parsed);
      for (const y of parsed.years) {
        const state = !y.complete ? 'DRAFT (not used: set complete: true once reviewed)'
          : y.year <= base.coverage.lastYear ? 'complete, agrees with the package' : 'complete, added';
        write(`${y.year}: ${state}; ${y.source.notice} of ${y.source.date}; ${y.holidays.length} holiday days, ${y.adjustedWorkdays.length} adjusted working days`);
      }
      if (parsed.years.length === 0) write(`${file}: no years yet`);
    } catch (err) {
      if (!(err instanceof CalendarFileError)) throw err;
      write(`REFUSED ${err.message}`);
      write('the hub will not start with this file');
      return 1;
    }
  }
  const runway = calendarRunway(today, calendar);
  write(`covered: ${calendar.coverage.firstDay} to ${calendar.coverage.lastDay}`);
  write(`${runway.ending ? 'WARNING ' : ''}${runway.daysLeft} days from ${today} to ${runway.lastDay}${runway.ending ? `: add ${runway.nextYear} once the State Council General Office publishes its holiday notice` : ''}`);
  return 0;
}

if (require.main === module) {
  const args = parseCalendarCheckArgs(process.argv.slice(2));
  if (args.error || args.help) {
    (args.error ? process.stderr : process.stdout).write(`${args.error ? `${args.error}\n` : ''}${USAGE}\n`);
    process.exitCode = args.error ? 2 : 0;
  } else {
    process.exitCode = runCalendarCheck(args.file, args.today ?? todayInChina());
  }
}
