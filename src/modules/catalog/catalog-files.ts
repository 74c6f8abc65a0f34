import fs from 'node:fs';
import path from 'node:path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { GraphQLError, GraphQLSchema, Kind, parse as parseGraphql, validate as validateGraphql } from 'graphql';
import { Document, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { RecordType } from '../../auth/policy';
import { jurisdictionInfo } from '../../domain/jurisdictions';
import { checkUscc } from '../../domain/uscc';
import {
  BusinessLineEntry, CatalogResourceEntry, CODE_TABLES, CodeTableFile, CodeTableName, DimensionEntry, DOSSIER_RECORD_TYPES, DossierRecordType, ElementEntry,
  FormatClassEntry, LICENCE_SCOPES, LicenceEntry, ProviderEntry, PurposeEntry, RESOURCE_SCHEMA, TABLE_SCHEMAS, TableHeader, UpdateCycleEntry,
  AssessmentCode, ServedData,
} from './catalog.schema';

/**
 * One thing wrong in the catalog files, where a reviewer will look for it. `line` is 1-based;
 * 0 means the problem belongs to no single line (a missing file, a record type no file declares).
 */
export interface CatalogProblem {
  file: string;
  line: number;
  message: string;
}

/** The catalog as validated, typed content: what the loader writes to the database. */
export interface Catalog {
  /** catalog.yaml's version: a load never replaces a newer catalog in the database. */
  version: number;
  /** Version, source and effective date of each code table. */
  tables: Record<CodeTableName, TableHeader>;
  dimensions: {
    functions: DimensionEntry[];
    businessLines: BusinessLineEntry[];
    elements: ElementEntry[];
    updateCycles: UpdateCycleEntry[];
    formats: FormatClassEntry[];
  };
  purposes: PurposeEntry[];
  providers: ProviderEntry[];
  /** One licence for shared data and one for open data (DCAT-AP dct:license). */
  licences: LicenceEntry[];
  /** Every resource, ordered by code. */
  resources: CatalogResourceEntry[];
}

export interface LoadCatalogOptions {
  /**
   * Root field names of the built GraphQL schema. When given, every resource's `entryPoint` must
   * be one of them; when absent, entry points are checked only for form.
   */
  knownEntryPoints?: ReadonlySet<string>;
  /**
   * The built GraphQL schema. When given, each `exampleQuery` is validated against it (the README
   * and the playground show them, so they must run), and its Query root fields stand for
   * `knownEntryPoints` when those are not given.
   */
  schema?: GraphQLSchema;
}

/** Names of the Query root fields of a schema: the entry points a resource may name. */
export function rootFieldNames(schema: GraphQLSchema): ReadonlySet<string> {
  return new Set(Object.keys(schema.getQueryType()?.getFields() ?? {}));
}

/**
 * The catalog/ directory of the repository, found by walking up from this file, so the same code
 * finds it from src/ (ts-node, Jest) and from dist/src/ (the compiled hub).
 */
export function defaultCatalogDir(from: string = __dirname): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'catalog');
    if (fs.existsSync(path.join(candidate, 'dimensions')) && fs.existsSync(path.join(dir, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`no catalog/ directory found above ${from}`);
  }
}

/** The root field that serves each dossier record type: the policy finds a record type's sharing type through it. */
export const RECORD_TYPE_ENTRY_POINTS: Readonly<Record<DossierRecordType, string>> = {
  [RecordType.ENTERPRISE]: 'enterprises',
  [RecordType.EIA_APPROVAL]: 'eiaApprovals',
  [RecordType.PERMIT]: 'permits',
  [RecordType.INSPECTION]: 'inspections',
  [RecordType.PENALTY]: 'penalties',
  [RecordType.COMPLAINT]: 'complaints',
  [RecordType.CREDIT_RECORD]: 'creditRecords',
  [RecordType.ENFORCEMENT_CASE]: 'enforcementCases',
  [RecordType.CASE_TRANSFER]: 'caseTransfers',
  [RecordType.EVIDENCE_ITEM]: 'evidenceItems',
  [RecordType.EVIDENCE_RECOGNITION]: 'evidenceRecognitions',
  [RecordType.POSITIVE_LIST_ENTRY]: 'positiveList',
  [RecordType.RISK_SOURCE]: 'riskSources',
  [RecordType.EMERGENCY_RESOURCE]: 'emergencyResources',
};

/** `file:line: message`, the form editors and CI logs link to the source. */
export function formatProblem(p: CatalogProblem): string {
  return `${p.file}:${p.line}: ${p.message}`;
}

type Path = ReadonlyArray<string | number>;

/** A parsed YAML file that can say on which line a value sits. */
class SourceFile {
  constructor(readonly rel: string, readonly doc: Document.Parsed, private readonly lines: LineCounter) {}

  /** The line of the key (or sequence item) at `p`, or of the nearest ancestor that exists. */
  /**
   * The line on which the text of the scalar at `p` starts: the line after the key for a block
   * scalar (`|-`), the key's line otherwise. Lines inside the text are counted from there.
   */
  textLineOf(p: Path): number {
    const keyLine = this.lineOf(p);
    let node: unknown = this.doc.contents;
    for (const seg of p) {
      if (!isMap(node)) return keyLine;
      node = node.items.find((it) => isScalar(it.key) && String(it.key.value) === String(seg))?.value;
    }
    if (!isScalar(node)) return keyLine;
    const start = this.lineAt(node) ?? keyLine;
    return node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED' ? start + 1 : start;
  }

  lineOf(p: Path): number {
    let node: unknown = this.doc.contents;
    let line = this.lineAt(node) ?? 1;
    for (const seg of p) {
      if (isMap(node)) {
        const pair = node.items.find((it) => isScalar(it.key) && String(it.key.value) === String(seg));
        if (!pair) return line;
        line = this.lineAt(pair.key) ?? line;
        node = pair.value;
      } else if (isSeq(node)) {
        const item = node.items[Number(seg)];
        if (item === undefined) return line;
        line = this.lineAt(item) ?? line;
        node = item;
      } else {
        return line;
      }
    }
    return line;
  }

  where(p: Path): string {
    return `${this.rel}:${this.lineOf(p)}`;
  }

  private lineAt(node: unknown): number | undefined {
    const range = (node as { range?: unknown } | null)?.range;
    return Array.isArray(range) && typeof range[0] === 'number' ? this.lines.linePos(range[0]).line : undefined;
  }
}

interface Loaded<T> {
  src: SourceFile;
  data: T;
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*\.yaml$/;
const CJK = /[\u3400-\u9fff]/;
const LATIN = /[A-Za-z]/;

/**
 * Reads every YAML file of the catalog directory, validates each against its JSON Schema and then
 * the catalog as a whole (codes unique, references resolve, sharing rules complete, USCCs valid).
 * The catalog is returned only when there is no problem, so nothing half-checked reaches the database.
 */
export function loadCatalogFiles(dir: string, opts: LoadCatalogOptions = {}): { catalog?: Catalog; problems: CatalogProblem[] } {
  const root = path.resolve(dir);
  const problems: CatalogProblem[] = [];
  const seen = new Set<string>();
  const report = (file: string, line: number, message: string): void => {
    const key = `${file}\u0000${line}\u0000${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push({ file, line, message });
  };
  const display = (abs: string): string => displayPath(root, abs);

  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    report(dir, 0, 'catalog directory not found');
    return { problems };
  }

  const { tableValidators, resourceValidator } = compiledSchemas();

  // 1. Find the files and say where each belongs.
  const tableFiles = new Map<CodeTableName, string>();
  const resourceFiles: string[] = [];
  for (const abs of listYamlFiles(root)) {
    const relToRoot = path.relative(root, abs).split(path.sep);
    const base = relToRoot[relToRoot.length - 1];
    if (base.endsWith('.yml')) {
      report(display(abs), 1, 'catalog files use the .yaml extension');
    } else if (relToRoot.length === 2 && relToRoot[0] === 'dimensions' && isCodeTable(base.slice(0, -5))) {
      tableFiles.set(base.slice(0, -5) as CodeTableName, abs);
    } else if (relToRoot.length === 2 && relToRoot[0] === 'resources') {
      resourceFiles.push(abs);
    } else if (relToRoot.length === 1 && base === 'catalog.yaml') {
      // read below
    } else {
      report(display(abs), 1, `unexpected YAML file: code tables are dimensions/{${CODE_TABLES.join(',')}}.yaml, resources are resources/<slug>.yaml`);
    }
  }
  for (const table of CODE_TABLES) {
    if (!tableFiles.has(table)) report(display(path.join(root, 'dimensions', `${table}.yaml`)), 0, `code table ${table} is missing`);
  }

  // 2. Parse and validate each file on its own.
  const parse = (abs: string): Loaded<unknown> | undefined => parseYaml(abs, display(abs), report);
  const versionFile = path.join(root, 'catalog.yaml');
  let version = 0;
  if (!fs.existsSync(versionFile)) {
    report(display(versionFile), 0, 'catalog.yaml is missing: it gives the catalog\'s version (a whole number raised with every change)');
  } else {
    const v = parse(versionFile);
    const raw = v && isRecord(v.data) ? v.data.version : undefined;
    if (v && (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1)) report(v.src.rel, v.src.lineOf(['version']), `version must be a whole number from 1, got ${JSON.stringify(raw)}`);
    else if (typeof raw === 'number') version = raw;
  }
  const schemaCheck = (loaded: Loaded<unknown>, validate: ValidateFunction): boolean => {
    if (validate(loaded.data)) return true;
    for (const e of validate.errors ?? []) {
      const { at, message } = describeSchemaError(e);
      report(loaded.src.rel, loaded.src.lineOf(at), message);
    }
    return false;
  };

  const tables = new Map<CodeTableName, Loaded<CodeTableFile<DimensionEntry>>>();
  for (const [table, abs] of tableFiles) {
    const loaded = parse(abs);
    if (loaded && schemaCheck(loaded, tableValidators.get(table)!)) tables.set(table, loaded as Loaded<CodeTableFile<DimensionEntry>>);
  }

  const parsedResources: Loaded<unknown>[] = [];
  const resources: Loaded<CatalogResourceEntry>[] = [];
  for (const abs of resourceFiles) {
    const loaded = parse(abs);
    if (!loaded) continue;
    parsedResources.push(loaded);
    if (schemaCheck(loaded, resourceValidator)) resources.push(loaded as Loaded<CatalogResourceEntry>);
  }

  // 3. Check the code tables against themselves.
  for (const [table, { src, data }] of tables) {
    checkHeader(src, data, report);
    reportDuplicates(data.entries.map((e, i) => ({ key: e.code, src, at: ['entries', i, 'code'] })), `${table} code`, report);
  }
  const formats = tables.get('formats') as Loaded<CodeTableFile<FormatClassEntry>> | undefined;
  formats?.data.entries.forEach((cls, i) => {
    reportDuplicates(cls.types.map((t, j) => ({ key: t.code, src: formats.src, at: ['entries', i, 'types', j, 'code'] })), `format type code in ${cls.code}`, report);
  });
  const lines = tables.get('business-lines') as Loaded<CodeTableFile<BusinessLineEntry>> | undefined;
  if (lines) {
    reportDuplicates(lines.data.entries.map((e, i) => ({ key: e.classificationCode, src: lines.src, at: ['entries', i, 'classificationCode'] })), 'classification code', report);
  }
  const cycles = tables.get('update-cycles') as Loaded<CodeTableFile<UpdateCycleEntry>> | undefined;
  cycles?.data.entries.forEach((c, i) => {
    if (!c.euFrequencyUri.endsWith(`/${c.euFrequency}`)) {
      report(cycles.src.rel, cycles.src.lineOf(['entries', i, 'euFrequencyUri']), `euFrequencyUri must end with /${c.euFrequency}, the entry's euFrequency`);
    }
  });
  const providers = tables.get('providers') as Loaded<CodeTableFile<ProviderEntry>> | undefined;
  if (providers) checkProviders(providers, report);
  const licences = tables.get('licences') as Loaded<CodeTableFile<LicenceEntry>> | undefined;
  if (licences) {
    // The export picks a distribution's licence by this field, so each scope needs exactly one.
    reportDuplicates(licences.data.entries.map((e, i) => ({ key: e.appliesTo, src: licences.src, at: ['entries', i, 'appliesTo'] })), 'licence appliesTo', report);
    for (const scope of LICENCE_SCOPES) {
      if (!licences.data.entries.some((e) => e.appliesTo === scope)) report(licences.src.rel, licences.src.lineOf(['entries']), `no licence has appliesTo ${scope}; one is needed`);
    }
  }

  // 4. Check every resource against the tables and the other resources.
  const codeSet = (table: CodeTableName): Set<string> | undefined => {
    const t = tables.get(table);
    return t && new Set(t.data.entries.map((e) => e.code));
  };
  const refs: Refs = {
    functions: codeSet('functions'),
    businessLines: lines && new Map(lines.data.entries.map((e) => [e.code, e])),
    elements: codeSet('elements'),
    updateCycles: codeSet('update-cycles'),
    formats: formats && new Map(formats.data.entries.map((e) => [e.code, e])),
    purposes: codeSet('purposes'),
    providers: codeSet('providers'),
  };

  const rawCode = (r: Loaded<unknown>): unknown => (isRecord(r.data) ? r.data.code : undefined);
  const rawRecordType = (r: Loaded<unknown>): unknown => (isRecord(r.data) ? r.data.recordType : undefined);
  reportDuplicates(
    parsedResources.filter((r) => typeof rawCode(r) === 'string').map((r) => ({ key: rawCode(r) as string, src: r.src, at: ['code'] })),
    'resource code',
    report,
  );
  // A file that did not parse hides its code and record type: checks that need every resource
  // would then report things missing that are merely unreadable, so they wait for a clean parse.
  const allParsed = parsedResources.length === resourceFiles.length;
  const resourceCodes = allParsed ? new Set(parsedResources.map(rawCode).filter((c): c is string => typeof c === 'string')) : undefined;
  const knownEntryPoints = opts.knownEntryPoints ?? (opts.schema && rootFieldNames(opts.schema));
  for (const r of resources) checkResource(r, refs, resourceCodes, knownEntryPoints, opts.schema, report);

  // Each dossier record type has exactly one resource: the policy reads its sharing type from it.
  const resourcesDir = display(path.join(root, 'resources'));
  for (const rt of allParsed ? DOSSIER_RECORD_TYPES : []) {
    const declaring = parsedResources.filter((r) => rawRecordType(r) === rt);
    if (declaring.length === 0) report(resourcesDir, 0, `no resource has recordType ${rt}; each dossier record type needs exactly one`);
  }
  reportDuplicates(
    parsedResources.filter((r) => typeof rawRecordType(r) === 'string').map((r) => ({ key: rawRecordType(r) as string, src: r.src, at: ['recordType'] })),
    'recordType',
    report,
  );

  // Each station kind's records, and each assessment of a kind of station, are governed by one resource.
  const bindingKeys = resources.flatMap((r) => (r.data.serves ?? []).flatMap((b, i) => {
    if (b.data === 'STATIONS') return b.stationKinds.map((k) => ({ key: `the station records of kind ${k}`, src: r.src, at: ['serves', i] as Path }));
    if (b.data === 'ASSESSMENT') return b.stationKinds.map((k) => ({ key: `${b.assessment} of ${k} stations${b.drinkingWaterSource === undefined ? '' : b.drinkingWaterSource ? ' (drinking-water sources)' : ' (not drinking-water sources)'}`, src: r.src, at: ['serves', i] as Path }));
    return [];
  }));
  reportDuplicates(bindingKeys, 'binding of', report);

  problems.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
  if (problems.length > 0) return { problems };

  const entries = <T extends DimensionEntry>(t: CodeTableName): T[] => (tables.get(t)!.data.entries as T[]);
  const catalog: Catalog = {
    version,
    tables: Object.fromEntries(CODE_TABLES.map((t) => {
      const { version, source, effectiveFrom } = tables.get(t)!.data;
      return [t, { version, source, effectiveFrom }];
    })) as Record<CodeTableName, TableHeader>,
    dimensions: {
      functions: entries('functions'),
      businessLines: entries<BusinessLineEntry>('business-lines'),
      elements: entries<ElementEntry>('elements'),
      updateCycles: entries<UpdateCycleEntry>('update-cycles'),
      formats: entries<FormatClassEntry>('formats'),
    },
    purposes: entries<PurposeEntry>('purposes'),
    providers: entries<ProviderEntry>('providers'),
    licences: entries<LicenceEntry>('licences'),
    resources: resources.map((r) => r.data).sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)),
  };
  return { catalog, problems };
}

type Report = (file: string, line: number, message: string) => void;

let validators: { tableValidators: Map<CodeTableName, ValidateFunction>; resourceValidator: ValidateFunction } | undefined;

/** The schemas compiled once per process: compiling is the slow part of a check. */
function compiledSchemas(): NonNullable<typeof validators> {
  if (!validators) {
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
    validators = {
      tableValidators: new Map(CODE_TABLES.map((t) => [t, ajv.compile(TABLE_SCHEMAS[t])])),
      resourceValidator: ajv.compile(RESOURCE_SCHEMA),
    };
  }
  return validators;
}

interface Refs {
  functions?: Set<string>;
  businessLines?: Map<string, BusinessLineEntry>;
  elements?: Set<string>;
  updateCycles?: Set<string>;
  formats?: Map<string, FormatClassEntry>;
  purposes?: Set<string>;
  providers?: Set<string>;
}

function isCodeTable(name: string): name is CodeTableName {
  return (CODE_TABLES as readonly string[]).includes(name);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Relative to the working directory when the catalog is inside it, else relative to the catalog directory. */
function displayPath(root: string, abs: string): string {
  const fromCwd = path.relative(process.cwd(), abs);
  const rel = fromCwd.startsWith('..') || path.isAbsolute(fromCwd) ? path.relative(root, abs) : fromCwd;
  return (rel || '.').split(path.sep).join('/');
}

function listYamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const abs = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listYamlFiles(abs));
    else if (/\.ya?ml$/.test(entry.name)) out.push(abs);
  }
  return out;
}

function parseYaml(abs: string, rel: string, report: Report): Loaded<unknown> | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(fs.readFileSync(abs, 'utf8'), { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const issues = [...doc.errors, ...doc.warnings];
  for (const e of issues) {
    const line = e.linePos?.[0]?.line ?? lines.linePos(e.pos[0]).line;
    const what = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    report(rel, line, `YAML ${e.name === 'YAMLWarning' ? 'warning' : 'syntax error'}: ${what}`);
  }
  if (issues.length > 0) return undefined;
  return { src: new SourceFile(rel, doc, lines), data: doc.toJS({ maxAliasCount: 100 }) };
}

function pointerSegments(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `sharing.conditions.purposes[0]` for a JSON pointer's segments. */
function dotted(segs: readonly string[]): string {
  return segs.reduce((acc, s) => (/^\d+$/.test(s) ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), '');
}

const ARTICLE: Record<string, string> = { string: 'a string', number: 'a number', integer: 'an integer', boolean: 'true or false', array: 'a list', object: 'a mapping', null: 'empty' };

/** Turns an ajv error into a sentence naming the field, and the path whose line to report. */
function describeSchemaError(e: ErrorObject): { at: string[]; message: string } {
  const segs = pointerSegments(e.instancePath);
  const field = dotted(segs);
  const prefix = field ? `${field}: ` : '';
  const shown = JSON.stringify(e.data);
  switch (e.keyword) {
    case 'required':
      return { at: segs, message: `${prefix}missing required field "${e.params.missingProperty}"` };
    case 'additionalProperties': {
      const extra = String(e.params.additionalProperty);
      return { at: [...segs, extra], message: `unknown field "${dotted([...segs, extra])}"` };
    }
    case 'enum':
      return { at: segs, message: `${prefix}${shown} is not one of ${(e.params.allowedValues as unknown[]).join(', ')}` };
    case 'type':
      return { at: segs, message: `${prefix}must be ${String(e.params.type).split(',').map((t) => ARTICLE[t] ?? t).join(' or ')}, got ${shown}` };
    case 'pattern': {
      const description = e.parentSchema?.description;
      return { at: segs, message: `${prefix}${shown} is not ${description ?? `matching ${e.params.pattern}`}` };
    }
    case 'uniqueItems':
      return { at: [...segs, String(e.params.i)], message: `${prefix}${JSON.stringify((e.data as unknown[])[e.params.i])} is listed twice` };
    default:
      return { at: segs, message: `${prefix}${e.message ?? e.keyword}` };
  }
}

function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function reportDuplicates(items: Array<{ key: string; src: SourceFile; at: Path }>, what: string, report: Report): void {
  const groups = new Map<string, typeof items>();
  for (const it of items) groups.set(it.key, [...(groups.get(it.key) ?? []), it]);
  for (const [key, group] of groups) {
    if (group.length < 2) continue;
    for (const it of group) {
      const others = group.filter((o) => o !== it).map((o) => o.src.where(o.at));
      report(it.src.rel, it.src.lineOf(it.at), `duplicate ${what} ${key}: also at ${others.join(', ')}`);
    }
  }
}

function checkHeader(src: SourceFile, header: TableHeader, report: Report): void {
  if (!isCalendarDate(header.effectiveFrom)) report(src.rel, src.lineOf(['effectiveFrom']), `effectiveFrom: ${header.effectiveFrom} is not a calendar date`);
}

/** Provider USCCs must be valid and carry the division code of the provider's jurisdiction. */
function checkProviders({ src, data }: Loaded<CodeTableFile<ProviderEntry>>, report: Report): void {
  const codes = new Set(data.entries.map((p) => p.code));
  data.entries.forEach((p, i) => {
    const check = checkUscc(p.uscc);
    if (!check.valid) {
      report(src.rel, src.lineOf(['entries', i, 'uscc']), `provider ${p.code}: USCC ${p.uscc} is invalid: ${check.reason}`);
    } else {
      const { level, divisionCode } = jurisdictionInfo(p.jurisdiction);
      // A district agency registers under its district's code, a provincial one anywhere in its
      // province; ZONE has no division code of its own.
      const expected = level === 'DISTRICT' ? divisionCode : level === 'PROVINCE' ? divisionCode!.slice(0, 2) : null;
      if (expected !== null && !check.divisionCode!.startsWith(expected)) {
        report(src.rel, src.lineOf(['entries', i, 'uscc']), `provider ${p.code}: USCC division code ${check.divisionCode} does not belong to ${p.jurisdiction} (${divisionCode})`);
      }
    }
    if (p.parent !== undefined && (!codes.has(p.parent) || p.parent === p.code)) {
      report(src.rel, src.lineOf(['entries', i, 'parent']), `provider ${p.code}: parent ${p.parent} is not another provider in this table`);
    }
  });
  reportDuplicates(data.entries.map((p, i) => ({ key: p.uscc, src, at: ['entries', i, 'uscc'] })), 'provider USCC', report);
}

function checkResource(
  { src, data: r }: Loaded<CatalogResourceEntry>,
  refs: Refs,
  resourceCodes: ReadonlySet<string> | undefined,
  knownEntryPoints: ReadonlySet<string> | undefined,
  schema: GraphQLSchema | undefined,
  report: Report,
): void {
  const at = (p: Path, message: string): void => report(src.rel, src.lineOf(p), message);
  const ref = (set: { has(k: string): boolean } | undefined, code: string, p: Path, what: string, table: string): void => {
    if (set && !set.has(code)) at(p, `unknown ${what} "${code}" (not in dimensions/${table}.yaml)`);
  };

  const base = path.basename(src.rel);
  if (!SLUG.test(base)) at([], `file name ${base} must be a lower-case slug like surface-water-auto.yaml`);

  // The code's classification part is the business line's: the two can never drift apart.
  const bl = refs.businessLines?.get(r.businessLine);
  const classification = r.code.split('/')[0];
  if (bl && classification !== bl.classificationCode) {
    at(['code'], `code ${r.code}: classification code ${classification} does not match business line ${bl.code} (${bl.classificationCode})`);
  }

  ref(refs.providers, r.provider, ['provider'], 'provider', 'providers');
  r.contributors?.forEach((c, i) => ref(refs.providers, c, ['contributors', i], 'provider', 'providers'));
  ref(refs.functions, r.function, ['function'], 'function', 'functions');
  ref(refs.businessLines, r.businessLine, ['businessLine'], 'business line', 'business-lines');
  r.elements.forEach((e, i) => ref(refs.elements, e, ['elements', i], 'element', 'elements'));
  ref(refs.updateCycles, r.updateCycle, ['updateCycle'], 'update cycle', 'update-cycles');

  const format = refs.formats?.get(r.format.class);
  ref(refs.formats, r.format.class, ['format', 'class'], 'format class', 'formats');
  if (format) {
    if (!format.types.some((t) => t.code === r.format.type)) at(['format', 'type'], `unknown format type "${r.format.type}" for format class ${format.code} (not in dimensions/formats.yaml)`);
    if (!format.methodTypes.includes(r.sharing.method.type)) {
      at(['sharing', 'method', 'type'], `a ${format.code} resource is shared by ${format.methodTypes.join(' or ')}, not ${r.sharing.method.type}`);
    }
    if (format.requiresDataItems && !r.dataItems) at(['format', 'class'], `a ${format.code} resource must list its data items (dataItems)`);
  }
  if (r.dataItems) {
    reportDuplicates(r.dataItems.map((d, i) => ({ key: d.name, src, at: ['dataItems', i, 'name'] })), 'data item', report);
    reportDuplicates(r.dataItems.flatMap((d, i) => (d.field ? [{ key: d.field, src, at: ['dataItems', i, 'field'] }] : [])), 'data item field', report);
  }

  checkSharing(src, r, refs, report);

  if (!isCalendarDate(r.publishedAt)) at(['publishedAt'], `publishedAt: ${r.publishedAt} is not a calendar date`);
  if (!r.keywords.some((k) => CJK.test(k)) || !r.keywords.some((k) => LATIN.test(k))) {
    at(['keywords'], 'keywords must include Chinese and English words');
  }
  r.related?.forEach((code, i) => {
    if (code === r.code) at(['related', i], `related lists the resource itself (${code})`);
    else if (resourceCodes && !resourceCodes.has(code)) at(['related', i], `unknown related resource code ${code}`);
  });

  checkStatus(src, r, knownEntryPoints, schema, report);
}

/** Root fields that serve each kind of monitoring binding. */
const SERVED_ENTRY_POINTS: Readonly<Record<ServedData['data'] | AssessmentCode, readonly string[]>> = {
  STATIONS: ['monitoringStations', 'monitoringStation'],
  OBSERVATIONS: ['monitoringStations', 'monitoringStation'],
  ALERTS: ['alerts'],
  REMINDERS: ['complianceReminders'],
  ASSESSMENT: [],
  WATER_CLASS: ['waterQuality'],
  AQI: ['airQuality'],
};

/**
 * Entry points are honest: a SERVED resource is bound to data the hub holds (a dossier record type,
 * or monitoring data through `serves`) and names a root field that serves that data, with an
 * example query that asks it; a PLANNED resource claims neither.
 */
function checkStatus(src: SourceFile, r: CatalogResourceEntry, knownEntryPoints: ReadonlySet<string> | undefined, schema: GraphQLSchema | undefined, report: Report): void {
  const at = (p: Path, message: string): void => report(src.rel, src.lineOf(p), message);
  if (r.status === 'PLANNED') {
    for (const key of ['entryPoint', 'exampleQuery', 'serves', 'recordType'] as const) {
      if (r[key] !== undefined) at([key], `a PLANNED resource is not served by the hub yet, so it has no ${key}; set status: SERVED once it is`);
    }
    return;
  }
  if (r.recordType === undefined && !r.serves) at(['status'], 'a SERVED resource says which data it governs: recordType (a dossier record type) or serves (monitoring data)');
  if (r.recordType !== undefined && r.serves) at(['serves'], 'a resource governs either a dossier record type (recordType) or monitoring data (serves), not both');
  if (!r.entryPoint || !r.exampleQuery) {
    at(['status'], 'a SERVED resource names its entryPoint and an exampleQuery that asks it');
    return;
  }
  const entryPoint = r.entryPoint;
  if (r.recordType !== undefined && RECORD_TYPE_ENTRY_POINTS[r.recordType] !== entryPoint) {
    at(['entryPoint'], `recordType ${r.recordType} is served by ${RECORD_TYPE_ENTRY_POINTS[r.recordType]}, not ${entryPoint}`);
  }
  if (r.serves) {
    const fits = r.serves.flatMap((b) => (b.data === 'ASSESSMENT' ? SERVED_ENTRY_POINTS[b.assessment] : SERVED_ENTRY_POINTS[b.data]));
    if (!fits.includes(entryPoint)) at(['entryPoint'], `the data this resource serves is answered by ${[...new Set(fits)].join(' or ')}, not ${entryPoint}`);
  }
  if (knownEntryPoints && !knownEntryPoints.has(entryPoint)) {
    at(['entryPoint'], `entryPoint "${entryPoint}" is not a root field of the GraphQL schema`);
  }
  checkExampleQuery(src, r, entryPoint, r.exampleQuery, schema, report);
}

function checkSharing(src: SourceFile, r: CatalogResourceEntry, refs: Refs, report: Report): void {
  const at = (p: Path, message: string): void => report(src.rel, src.lineOf(p), message);
  const { type, conditions, basis, method } = r.sharing;
  if (type === 'CONDITIONAL') {
    if (!conditions) {
      at(['sharing', 'type'], 'sharing type CONDITIONAL needs conditions: the purposes it serves and the legal basis');
    } else {
      if (!conditions.purposes || conditions.purposes.length === 0) at(['sharing', 'conditions'], 'conditions must list at least one purpose');
      if (!conditions.legalBasis?.trim()) at(['sharing', 'conditions'], 'conditions must give the legalBasis');
    }
  } else if (conditions) {
    at(['sharing', 'conditions'], `conditions apply only to CONDITIONAL resources, this one is ${type}`);
  }
  conditions?.purposes?.forEach((p, i) => {
    if (refs.purposes && !refs.purposes.has(p)) at(['sharing', 'conditions', 'purposes', i], `unknown purpose "${p}" (not in dimensions/purposes.yaml)`);
  });
  if (type === 'NOT_SHARED') {
    if (!basis?.trim()) at(['sharing', 'type'], 'sharing type NOT_SHARED needs a basis: the law or rule that rules sharing out');
    if (r.openToPublic.open) at(['openToPublic', 'open'], 'a resource that is not shared cannot be open to the public');
  } else if (basis !== undefined) {
    at(['sharing', 'basis'], `basis is given only for NOT_SHARED resources, this one is ${type}`);
  }
  if (method.class === 'OFFLINE' && method.type === 'INTERFACE') at(['sharing', 'method'], 'an OFFLINE method shares a DATABASE copy or a FILE, not an INTERFACE');
}

/**
 * The example must be a GraphQL document whose first operation selects the resource's entry point
 * and, when the schema is given, one that the schema accepts (reported at the query's own line).
 */
function checkExampleQuery(src: SourceFile, r: CatalogResourceEntry, entryPoint: string, exampleQuery: string, schema: GraphQLSchema | undefined, report: Report): void {
  void r;
  const line = src.lineOf(['exampleQuery']);
  let document;
  let operation;
  try {
    document = parseGraphql(exampleQuery);
    operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  } catch (e) {
    report(src.rel, line, `exampleQuery is not valid GraphQL: ${e instanceof GraphQLError ? e.message : String(e)}`);
    return;
  }
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) {
    report(src.rel, line, 'exampleQuery has no operation');
    return;
  }
  const roots = operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));
  if (!roots.includes(entryPoint)) report(src.rel, line, `exampleQuery does not query the entry point ${entryPoint} (it queries ${roots.join(', ') || 'nothing'})`);
  if (!schema) return;
  const textLine = src.textLineOf(['exampleQuery']);
  for (const e of validateGraphql(schema, document)) {
    const at = e.locations?.[0] ? textLine + e.locations[0].line - 1 : line;
    report(src.rel, at, `exampleQuery is not valid against the GraphQL schema: ${e.message}`);
  }
}
