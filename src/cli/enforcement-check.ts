import { formatDataProblem } from '../domain/enforcement/data-files';
import { checkEnforcementFiles, EnforcementFileKind } from '../domain/enforcement/registry';

/*
 * npm run enforcement:check [-- --minor-violations <file>] [-- --discretion <file>] [-- --deadlines <file>]
 *
 * Validates the enforcement data the hub serves (src/domain/enforcement/data) and any further
 * files given — an official minor-violation list or discretion table before it is added — and
 * prints each problem as `file:line: what is wrong`, then a summary. Exit status 0 when clean,
 * 1 when a problem was found, 2 on bad arguments.
 */

const FLAGS: Record<string, EnforcementFileKind> = { '--minor-violations': 'minor-violations', '--discretion': 'discretion', '--deadlines': 'deadlines' };
const USAGE = 'usage: enforcement-check [--minor-violations <file>] [--discretion <file>] [--deadlines <file>] (each may repeat)';

/** Reads the repeated `--kind <file>` / `--kind=<file>` arguments. */
export function parseEnforcementCheckArgs(argv: readonly string[]): { files: Array<{ kind: EnforcementFileKind; path: string }>; help?: boolean; error?: string } {
  const files: Array<{ kind: EnforcementFileKind; path: string }> = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { files, help: true };
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const kind = FLAGS[flag];
    const value = inline ?? argv[i + 1];
    if (!kind || value === undefined || value === '') return { files, error: `unknown or incomplete argument: ${arg}` };
    if (inline === undefined) i++;
    files.push({ kind, path: value });
  }
  return { files };
}

/** Runs the check and returns the exit status, so a test can run it without a process. */
export function runEnforcementCheck(files: ReadonlyArray<{ kind: EnforcementFileKind; path: string }>, write: (line: string) => void = (l) => process.stdout.write(`${l}\n`), dir?: string): number {
  const { data, problems } = checkEnforcementFiles(files, dir);
  for (const p of problems) write(formatDataProblem(p));
  const summary = data
    ? `${data.discretionTables.length} discretion table versions (${data.discretionTables.reduce((n, s) => n + s.entries.length, 0)} entries), `
      + `${data.minorViolationLists.length} minor-violation lists (${data.minorViolationLists.reduce((n, l) => n + l.items.length, 0)} items), `
      + `${data.deadlineRules.reduce((n, r) => n + r.timers.length, 0)} deadline timers`
    : 'enforcement data not loaded';
  write(`${summary}; ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}`);
  return problems.length === 0 ? 0 : 1;
}

if (require.main === module) {
  const args = parseEnforcementCheckArgs(process.argv.slice(2));
  if (args.error || args.help) {
    (args.error ? process.stderr : process.stdout).write(`${args.error ? `${args.error}\n` : ''}${USAGE}\n`);
    process.exitCode = args.error ? 2 : 0;
  } else {
    process.exitCode = runEnforcementCheck(args.files);
  }
}
