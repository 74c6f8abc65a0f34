import fs from 'node:fs';
import path from 'node:path';
import caseProcedure from './data/deadlines/case-procedure.json';
import yrdIllustrative1 from './data/discretion/yrd-illustrative-1.json';
import yrdIllustrative2 from './data/discretion/yrd-illustrative-2.json';
import examplePatterns from './data/minor-violations/example-patterns.json';
import { DataProblem, DataSource, dottedPath, formatDataProblem, objectSource, readDataFile, Reporter } from './data-files';
import { DeadlineRules, validateDeadlineFile } from './deadlines';
import { DiscretionTableSet, validateDiscretionFile } from './discretion';
import { MinorViolationList, validateMinorViolationFile } from './minor-violations';

/**
 * The enforcement data the hub serves, bundled with the code: each file is imported here (so the
 * build ships it) and validated when this module loads. To add a version or the official
 * minor-violation list: put the file under data/, add one line below, run `npm run enforcement:check`.
 */

export type EnforcementFileKind = 'discretion' | 'minor-violations' | 'deadlines';

interface Bundled {
  kind: EnforcementFileKind;
  /** Path under data/. */
  file: string;
  content: unknown;
}

export const BUNDLED_FILES: readonly Bundled[] = [
  { kind: 'discretion', file: 'discretion/yrd-illustrative-1.json', content: yrdIllustrative1 },
  { kind: 'discretion', file: 'discretion/yrd-illustrative-2.json', content: yrdIllustrative2 },
  { kind: 'minor-violations', file: 'minor-violations/example-patterns.json', content: examplePatterns },
  { kind: 'deadlines', file: 'deadlines/case-procedure.json', content: caseProcedure },
];

/** The directory holding the data files, beside this module (src/ or dist/ alike). */
export const ENFORCEMENT_DATA_DIR = path.join(__dirname, 'data');

export interface EnforcementData {
  discretionTables: DiscretionTableSet[];
  minorViolationLists: MinorViolationList[];
  deadlineRules: DeadlineRules[];
}

/**
 * Validates a set of sources (each with its kind) alone and together: versions and list ids are
 * unique, and there is one deadline rule set. Returns the data only when there is no problem.
 */
export function validateEnforcementSources(sources: ReadonlyArray<{ kind: EnforcementFileKind; source: DataSource }>): { data?: EnforcementData; problems: DataProblem[] } {
  const problems: DataProblem[] = [];
  const data: EnforcementData = { discretionTables: [], minorViolationLists: [], deadlineRules: [] };
  const where = new Map<object, DataSource>();
  for (const { kind, source } of sources) {
    const report: Reporter = (at, message) => problems.push({ file: source.file, line: source.lineOf(at), message: source.lineOf(at) === 0 && at.length > 0 ? `${dottedPath(at)}: ${message}` : message });
    if (kind === 'discretion') {
      const set = validateDiscretionFile(source, report);
      if (set) {
        data.discretionTables.push(set);
        where.set(set, source);
      }
    } else if (kind === 'minor-violations') {
      const list = validateMinorViolationFile(source, report);
      if (list) {
        data.minorViolationLists.push(list);
        where.set(list, source);
      }
    } else {
      const rules = validateDeadlineFile(source, report);
      if (rules) data.deadlineRules.push(rules);
    }
  }
  const duplicates = <T extends object>(items: T[], key: (t: T) => string, field: string, what: string): void => {
    for (const item of items) {
      const others = items.filter((o) => o !== item && key(o) === key(item));
      if (others.length === 0) continue;
      const src = where.get(item)!;
      problems.push({ file: src.file, line: src.lineOf([field]), message: `${what} ${key(item)} is also in ${others.map((o) => where.get(o)!.file).join(', ')}` });
    }
  };
  duplicates(data.discretionTables, (s) => s.version, 'version', 'discretion table version');
  duplicates(data.minorViolationLists, (l) => l.listId, 'listId', 'minor-violation list');
  if (problems.length === 0 && data.deadlineRules.length !== 1) problems.push({ file: 'deadlines/', line: 0, message: `exactly one deadline rule set is served, found ${data.deadlineRules.length}` });
  problems.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
  return problems.length > 0 ? { problems } : { data, problems };
}

/**
 * Checks the bundled files from their text (so problems carry line numbers), that every JSON file
 * under data/ is bundled, and any extra files given (an official list before it is added).
 */
export function checkEnforcementFiles(extra: ReadonlyArray<{ kind: EnforcementFileKind; path: string }> = [], dir: string = ENFORCEMENT_DATA_DIR): { data?: EnforcementData; problems: DataProblem[] } {
  const problems: DataProblem[] = [];
  const sources: Array<{ kind: EnforcementFileKind; source: DataSource }> = [];
  const shown = (abs: string): string => path.relative(process.cwd(), abs) || abs;
  for (const b of BUNDLED_FILES) {
    const abs = path.join(dir, b.file);
    const r = readDataFile(abs, shown(abs));
    problems.push(...r.problems);
    if (r.source) sources.push({ kind: b.kind, source: r.source });
  }
  for (const kind of ['discretion', 'minor-violations', 'deadlines'] as const) {
    const sub = path.join(dir, kind);
    if (!fs.existsSync(sub)) continue;
    for (const name of fs.readdirSync(sub).sort()) {
      if (!BUNDLED_FILES.some((b) => b.file === `${kind}/${name}`)) {
        problems.push({ file: shown(path.join(sub, name)), line: 0, message: 'not bundled: import it in src/domain/enforcement/registry.ts (BUNDLED_FILES), or the hub will not serve it' });
      }
    }
  }
  for (const x of extra) {
    const r = readDataFile(path.resolve(x.path), x.path);
    problems.push(...r.problems);
    if (r.source) sources.push({ kind: x.kind, source: r.source });
  }
  const checked = validateEnforcementSources(sources);
  problems.push(...checked.problems);
  return problems.length > 0 ? { problems } : checked;
}

function loadBundled(): EnforcementData {
  const { data, problems } = validateEnforcementSources(BUNDLED_FILES.map((b) => ({ kind: b.kind, source: objectSource(`src/domain/enforcement/data/${b.file}`, b.content) })));
  if (!data) throw new Error(`the enforcement data files have problems (npm run enforcement:check shows their lines):\n${problems.map(formatDataProblem).join('\n')}`);
  return data;
}

let loaded: EnforcementData | undefined;

/** The validated bundled data, loaded once per process. */
export function enforcementData(): EnforcementData {
  return (loaded ??= loadBundled());
}
