import fs from 'node:fs';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { parseDay } from '../calendar';

/**
 * Reading the enforcement data files (discretion tables, minor-violation lists, deadline rules)
 * with problems reported where a reviewer looks for them, `file:line: message`, as the catalog
 * check does. The files are JSON (so the build ships the bundled ones); an official list may also
 * arrive as YAML, which the same parser reads.
 */

/** One thing wrong in a data file; `line` is 1-based, 0 when no line can be named. */
export interface DataProblem {
  file: string;
  line: number;
  message: string;
}

export type DataPath = ReadonlyArray<string | number>;

/** Reports a problem at a path of the file being checked. */
export type Reporter = (at: DataPath, message: string) => void;

/** `file:line: message`. */
export function formatDataProblem(p: DataProblem): string {
  return `${p.file}:${p.line}: ${p.message}`;
}

/** A data file as text: its parsed content and the line of any path in it. */
export interface DataSource {
  file: string;
  data: unknown;
  lineOf(path: DataPath): number;
}

/**
 * Parses JSON or YAML text, keeping line positions. Syntax errors and duplicate keys are problems;
 * the content is returned only when there are none.
 */
export function parseDataText(text: string, file: string): { source?: DataSource; problems: DataProblem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const issues = [...doc.errors, ...doc.warnings];
  const problems = issues.map((e) => ({
    file,
    line: e.linePos?.[0]?.line ?? lines.linePos(e.pos[0]).line,
    message: `syntax error: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
  }));
  if (problems.length > 0) return { problems };
  const lineAt = (node: unknown): number | undefined => {
    const range = (node as { range?: unknown } | null)?.range;
    return Array.isArray(range) && typeof range[0] === 'number' ? lines.linePos(range[0]).line : undefined;
  };
  const lineOf = (p: DataPath): number => {
    let node: unknown = doc.contents;
    let line = lineAt(node) ?? 1;
    for (const seg of p) {
      if (isMap(node)) {
        const pair = node.items.find((it) => isScalar(it.key) && String(it.key.value) === String(seg));
        if (!pair) return line;
        line = lineAt(pair.key) ?? line;
        node = pair.value;
      } else if (isSeq(node)) {
        const item = node.items[Number(seg)];
        if (item === undefined) return line;
        line = lineAt(item) ?? line;
        node = item;
      } else {
        return line;
      }
    }
    return line;
  };
  return { source: { file, data: doc.toJS({ maxAliasCount: 100 }), lineOf }, problems: [] };
}

/** Reads and parses a file; a missing or unreadable file is a problem, not an exception. */
export function readDataFile(abs: string, shown: string = abs): { source?: DataSource; problems: DataProblem[] } {
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (err) {
    return { problems: [{ file: shown, line: 0, message: `cannot read the file: ${(err as Error).message}` }] };
  }
  return parseDataText(text, shown);
}

/** A source for content that was imported rather than read (the bundled files): no line numbers. */
export function objectSource(file: string, data: unknown): DataSource {
  return { file, data, lineOf: () => 0 };
}

let ajv: Ajv | undefined;
const compiled = new Map<object, ValidateFunction>();

/** Checks content against a JSON Schema, reporting each violation at its path. */
export function schemaCheck(data: unknown, schema: object, report: Reporter): boolean {
  ajv ??= new Ajv({ allErrors: true, strict: true, verbose: true });
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(data)) return true;
  for (const e of validate.errors ?? []) {
    const { at, message } = describeSchemaError(e);
    report(at, message);
  }
  return false;
}

function describeSchemaError(e: ErrorObject): { at: string[]; message: string } {
  const segs = e.instancePath === '' ? [] : e.instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const field = dottedPath(segs);
  const prefix = field ? `${field}: ` : '';
  switch (e.keyword) {
    case 'required':
      return { at: segs, message: `${prefix}missing required field "${e.params.missingProperty}"` };
    case 'additionalProperties':
      return { at: [...segs, String(e.params.additionalProperty)], message: `unknown field "${dottedPath([...segs, String(e.params.additionalProperty)])}"` };
    case 'enum':
      return { at: segs, message: `${prefix}must be one of ${(e.params.allowedValues as unknown[]).join(', ')}` };
    case 'pattern':
      return { at: segs, message: `${prefix}must be ${(e.parentSchema as { description?: string } | undefined)?.description ?? `matching ${e.params.pattern}`}` };
    default:
      return { at: segs, message: `${prefix}${e.message ?? e.keyword}` };
  }
}

/** `items[2].conditions[0].within` for a path. */
export function dottedPath(p: DataPath): string {
  return p.reduce<string>((acc, s) => (typeof s === 'number' || /^\d+$/.test(s) ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), '');
}

/** Schema fragments shared by the enforcement files. */
export const DECIMAL_TEXT = { type: 'string', pattern: '^-?\\d+(\\.\\d+)?$', description: 'a decimal number written as a string, like "6" or "0.05"' } as const;
export const DAY_TEXT = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'a day written YYYY-MM-DD' } as const;
export const CODE_TEXT = { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$', description: 'an upper-case code like AIR_LAW_99' } as const;
export const TEXT = { type: 'string', minLength: 1 } as const;

/** Reports a `YYYY-MM-DD` that is not a real day. */
export function checkDay(value: string | undefined, at: DataPath, report: Reporter): void {
  if (value !== undefined && parseDay(value) === null) report(at, `${dottedPath(at)}: ${value} is not a calendar day`);
}

/** Reports every key that occurs more than once, at each occurrence. */
export function reportDuplicates(items: Array<{ key: string; at: DataPath }>, what: string, report: Reporter): void {
  const seen = new Map<string, DataPath[]>();
  for (const it of items) seen.set(it.key, [...(seen.get(it.key) ?? []), it.at]);
  for (const [key, paths] of seen) if (paths.length > 1) for (const at of paths) report(at, `duplicate ${what} ${key}`);
}
