import fs from 'node:fs';
import path from 'node:path';
import { runCatalogCheck } from '../../src/cli/catalog-check';
import { CatalogProblem, formatProblem, loadCatalogFiles } from '../../src/modules/catalog/catalog-files';
import { RecordType } from '../../src/auth/policy';
import { DOSSIER_RECORD_TYPES } from '../../src/modules/catalog/catalog.schema';
import { CATALOG_DIR, copyCatalog, editCatalogFile, removeCatalogCopies } from '../support/catalog-copy';

const CATALOG = CATALOG_DIR;

/** The root fields the hub's schema is meant to have; the catalog's entry points must be among them. */
const ROOT_FIELDS = new Set([
  'catalogResources', 'enterprises', 'eiaApprovals', 'permits', 'inspections', 'penalties', 'complaints',
  'creditRecords', 'monitoringStations', 'monitoringStation', 'waterQuality', 'airQuality', 'alerts',
  'enforcementCases', 'caseTransfers', 'evidenceItems', 'evidenceRecognitions', 'positiveList', 'riskSources', 'emergencyResources', 'complianceReminders',
]);

afterAll(() => {
  removeCatalogCopies();
});

/** 1-based line of the first line of `rel` (in the real catalog) that matches. */
function lineOf(rel: string, pattern: RegExp): number {
  const index = fs.readFileSync(path.join(CATALOG, rel), 'utf8').split('\n').findIndex((l) => pattern.test(l));
  if (index < 0) throw new Error(`${rel} has no line matching ${pattern}`);
  return index + 1;
}

function problem(file: string, line: number, fragment: string): object {
  return expect.objectContaining({ file, line, message: expect.stringContaining(fragment) });
}

function load(dir: string, knownEntryPoints?: ReadonlySet<string>): { problems: CatalogProblem[]; loaded: boolean } {
  const { catalog, problems } = loadCatalogFiles(dir, { knownEntryPoints });
  return { problems, loaded: catalog !== undefined };
}

describe('the real catalog', () => {
  const { catalog, problems } = loadCatalogFiles(CATALOG, { knownEntryPoints: ROOT_FIELDS });

  it('has no problems, entry points included', () => {
    expect(problems.map(formatProblem)).toEqual([]);
    expect(catalog).toBeDefined();
  });

  it('describes at least 40 resources with unique codes', () => {
    const codes = catalog!.resources.map((r) => r.code);
    expect(codes.length).toBeGreaterThanOrEqual(40);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('has exactly one resource per dossier record type, with the sharing type the policy enforces', () => {
    const byType = new Map(DOSSIER_RECORD_TYPES.map((rt) => [rt, catalog!.resources.filter((r) => r.recordType === rt)]));
    for (const [rt, list] of byType) expect([rt, list.length]).toEqual([rt, 1]);
    const sharing = (rt: (typeof DOSSIER_RECORD_TYPES)[number]) => {
      const r = byType.get(rt)![0];
      return { type: r.sharing.type, purposes: r.sharing.conditions?.purposes ?? [], open: r.openToPublic.open };
    };
    expect(sharing(RecordType.ENTERPRISE)).toEqual({ type: 'UNCONDITIONAL', purposes: [], open: false });
    expect(sharing(RecordType.EIA_APPROVAL)).toMatchObject({ type: 'UNCONDITIONAL' });
    expect(sharing(RecordType.PERMIT)).toMatchObject({ type: 'UNCONDITIONAL' });
    expect(sharing(RecordType.PENALTY)).toEqual({ type: 'UNCONDITIONAL', purposes: [], open: true });
    expect(sharing(RecordType.INSPECTION)).toEqual({ type: 'CONDITIONAL', purposes: ['ENFORCEMENT', 'EMERGENCY'], open: false });
    expect(sharing(RecordType.COMPLAINT)).toEqual({ type: 'CONDITIONAL', purposes: ['ENFORCEMENT'], open: false });
    expect(sharing(RecordType.CREDIT_RECORD)).toEqual({ type: 'CONDITIONAL', purposes: ['CREDIT_ASSESSMENT', 'PERMITTING'], open: false });
  });

  it('carries the code tables with their headers and the purpose roles', () => {
    expect(catalog!.tables['update-cycles']).toEqual(expect.objectContaining({ version: expect.any(String), effectiveFrom: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }));
    expect(catalog!.dimensions.updateCycles.map((c) => c.code)).toEqual(
      ['REALTIME', 'DAILY', 'WEEKLY', 'MONTHLY', 'QUARTERLY', 'HALF_YEARLY', 'YEARLY', 'IRREGULAR'],
    );
    const roles = Object.fromEntries(catalog!.purposes.map((p) => [p.code, p.roles]));
    expect(roles).toEqual({
      ENFORCEMENT: ['ENFORCEMENT'],
      EMERGENCY: ['ENFORCEMENT'],
      CREDIT_ASSESSMENT: ['DOSSIER_READER', 'CREDIT_FEED'],
      PERMITTING: ['DOSSIER_READER'],
      RESEARCH: ['DOSSIER_READER'],
    });
  });

  it('names files relative to the catalog directory when it lies outside the working directory', () => {
    const broken = copyCatalog();
    expect(path.relative(process.cwd(), broken).startsWith('..')).toBe(true);
    editCatalogFile(broken, 'resources/air-quality-hourly.yaml', (t) => t.replace('updateCycle: REALTIME', 'updateCycle: HOURLY'));
    expect(load(broken).problems.map((p) => p.file)).toEqual(['resources/air-quality-hourly.yaml']);
  });
});

describe('a broken catalog', () => {
  it('reports a duplicate resource code at both places', () => {
    const dir = copyCatalog();
    editCatalogFile(dir, 'resources/permit-execution-reports.yaml', (t) => t.replace('code: 211013/0002', 'code: 211013/0001'));
    const { problems, loaded } = load(dir);
    expect(loaded).toBe(false);
    expect(problems).toContainEqual(problem('resources/permit-execution-reports.yaml', 1, 'duplicate resource code 211013/0001: also at resources/discharge-permits.yaml:1'));
    expect(problems).toContainEqual(problem('resources/discharge-permits.yaml', 1, 'duplicate resource code 211013/0001: also at resources/permit-execution-reports.yaml:1'));
  });

  it('reports an unknown dimension code', () => {
    const dir = copyCatalog();
    const file = 'resources/noise-regional-traffic.yaml';
    editCatalogFile(dir, file, (t) => t.replace('elements: [ NOISE ]', 'elements: [ VIBRATION ]').replace('function: ASSESSMENT', 'function: SURVEYING'));
    const { problems } = load(dir);
    expect(problems).toContainEqual(problem(file, lineOf(file, /^elements:/), 'unknown element "VIBRATION" (not in dimensions/elements.yaml)'));
    expect(problems).toContainEqual(problem(file, lineOf(file, /^function:/), 'unknown function "SURVEYING"'));
    expect(problems).toHaveLength(2);
  });

  it('reports a CONDITIONAL resource without conditions', () => {
    const dir = copyCatalog();
    const file = 'resources/complaints-and-petitions.yaml';
    editCatalogFile(dir, file, (t) => t.split('\n').filter((l) => !/^ {2}conditions:|^ {4}(purposes|legalBasis):/.test(l)).join('\n'));
    const { problems } = load(dir);
    expect(problems).toEqual([problem(file, lineOf(file, /^ {2}type: CONDITIONAL/), 'sharing type CONDITIONAL needs conditions')]);
  });

  it('reports conditions without a purpose or a legal basis', () => {
    const dir = copyCatalog();
    const file = 'resources/environmental-credit-records.yaml';
    editCatalogFile(dir, file, (t) => t.replace(/^ {4}purposes: .*$/m, '    purposes: []').replace(/^ {4}legalBasis: .*$/m, "    legalBasis: ''"));
    const { problems } = load(dir);
    const line = lineOf(file, /^ {2}conditions:/);
    expect(problems).toContainEqual(problem(file, line, 'conditions must list at least one purpose'));
    expect(problems).toContainEqual(problem(file, line, 'conditions must give the legalBasis'));
  });

  it('reports a NOT_SHARED resource without a basis', () => {
    const dir = copyCatalog();
    const file = 'resources/radioactive-source-register.yaml';
    editCatalogFile(dir, file, (t) => t.split('\n').filter((l) => !/^ {2}basis:/.test(l)).join('\n'));
    const { problems } = load(dir);
    expect(problems).toEqual([problem(file, lineOf(file, /^ {2}type: NOT_SHARED/), 'sharing type NOT_SHARED needs a basis')]);
  });

  it('reports a provider USCC with a wrong check character, with the reason', () => {
    const dir = copyCatalog();
    const file = 'dimensions/providers.yaml';
    editCatalogFile(dir, file, (t) => t.replace('uscc: 11310118002501378X', 'uscc: 11310118002501378Y'));
    const { problems } = load(dir);
    expect(problems).toEqual([
      problem(file, lineOf(file, /uscc: 11310118002501378X/), 'provider QINGPU-EEB: USCC 11310118002501378Y is invalid: check character should be X, got Y'),
    ]);
  });

  it('reports an unknown related resource code', () => {
    const dir = copyCatalog();
    const file = 'resources/air-quality-hourly.yaml';
    editCatalogFile(dir, file, (t) => t.replace('211001/0005 ]', '211001/0099 ]'));
    const { problems } = load(dir);
    expect(problems).toEqual([problem(file, lineOf(file, /^related:/), 'unknown related resource code 211001/0099')]);
  });

  it('reports a missing required field at the top of the file', () => {
    const dir = copyCatalog();
    const file = 'resources/discharge-permits.yaml';
    editCatalogFile(dir, file, (t) => t.split('\n').filter((l) => !l.startsWith('abstract:')).join('\n'));
    const { problems } = load(dir);
    expect(problems).toEqual([problem(file, 1, 'missing required field "abstract"')]);
  });

  it('reports a value outside its enumeration, and an unknown field', () => {
    const dir = copyCatalog();
    const file = 'resources/administrative-penalties.yaml';
    editCatalogFile(dir, file, (t) => t.replace('  type: UNCONDITIONAL', '  type: SOMETIMES').replace('jurisdictions: [ QINGPU,', 'jurisdictions: [ KUNSHAN,').replace('recordType:', 'recordKind:'));
    const { problems } = load(dir);
    expect(problems).toContainEqual(problem(file, lineOf(file, /^ {2}type: UNCONDITIONAL/), 'sharing.type: "SOMETIMES" is not one of UNCONDITIONAL, CONDITIONAL, NOT_SHARED'));
    expect(problems).toContainEqual(problem(file, lineOf(file, /^jurisdictions:/), 'jurisdictions[0]: "KUNSHAN" is not one of QINGPU, WUJIANG, JIASHAN'));
    expect(problems).toContainEqual(problem(file, lineOf(file, /^recordType:/), 'unknown field "recordKind"'));
  });

  it('reports a YAML syntax error at its line and skips checks that need every file', () => {
    const dir = copyCatalog();
    const file = 'resources/eia-approvals.yaml';
    editCatalogFile(dir, file, (t) => t.replace(/^name: .*$/m, 'name: 环评审批: 建设项目'));
    const { problems, loaded } = load(dir);
    expect(loaded).toBe(false);
    // only the syntax error: not "unknown related code" or "no EIA_APPROVAL resource" for the unreadable file
    expect(problems).toEqual([problem(file, lineOf(file, /^name:/), 'YAML syntax error')]);
  });

  it('reports a duplicate key as a YAML error', () => {
    const dir = copyCatalog();
    const file = 'resources/surface-water-class.yaml';
    editCatalogFile(dir, file, (t) => t.replace(/^updateCycle: MONTHLY$/m, 'updateCycle: MONTHLY\nupdateCycle: DAILY'));
    const { problems } = load(dir);
    expect(problems).toEqual([problem(file, lineOf(file, /^updateCycle:/) + 1, 'Map keys must be unique')]);
  });

  it('reports an entry point the GraphQL schema lacks, only when the root fields are given', () => {
    const dir = copyCatalog();
    const file = 'resources/eia-approvals.yaml';
    editCatalogFile(dir, file, (t) => t.replace(/eiaApprovals/g, 'eiaDecisions'));
    const withoutSchema = load(dir).problems;
    expect(withoutSchema).toEqual([problem(file, lineOf(file, /^entryPoint:/), 'recordType EIA_APPROVAL is served by eiaApprovals, not eiaDecisions')]);
    const { problems } = load(dir, ROOT_FIELDS);
    expect(problems).toEqual([...withoutSchema, problem(file, lineOf(file, /^entryPoint:/), 'entryPoint "eiaDecisions" is not a root field of the GraphQL schema')]);
  });

  it('entry points are honest: a PLANNED resource claims none, a SERVED one is bound to data that its entry point serves', () => {
    const dir = copyCatalog();
    const planned = 'resources/noise-functional-zone-automatic.yaml';
    editCatalogFile(dir, planned, (t) => t.replace('status: PLANNED', 'status: PLANNED\nentryPoint: monitoringStations'));
    const unbound = 'resources/groundwater-quality.yaml';
    editCatalogFile(dir, unbound, (t) => t.replace('status: PLANNED', 'status: SERVED\nentryPoint: monitoringStations\nexampleQuery: "{ monitoringStations { totalCount } }"'));
    const mismatched = 'resources/surface-water-class.yaml';
    editCatalogFile(dir, mismatched, (t) => t.replace('entryPoint: waterQuality', 'entryPoint: airQuality').replace('    waterQuality(stationCode', '    airQuality(stationCode'));
    const twice = 'resources/air-quality-hourly.yaml';
    editCatalogFile(dir, twice, (t) => t.replace('  - { data: OBSERVATIONS }', '  - { data: OBSERVATIONS }\n  - { data: STATIONS, stationKinds: [ AIR ] }'));
    const { problems } = load(dir);
    expect(problems).toContainEqual(problem(planned, lineOf(planned, /^status:/) + 1, 'a PLANNED resource is not served by the hub yet, so it has no entryPoint; set status: SERVED once it is'));
    expect(problems).toContainEqual(problem(unbound, lineOf(unbound, /^status:/), 'a SERVED resource says which data it governs: recordType (a dossier record type) or serves (monitoring data)'));
    expect(problems).toContainEqual(problem(mismatched, lineOf(mismatched, /^entryPoint:/), 'the data this resource serves is answered by waterQuality, not airQuality'));
    expect(problems).toContainEqual(expect.objectContaining({ file: twice, message: expect.stringMatching(/^duplicate binding of the station records of kind AIR: also at resources\/air-monitoring-stations.yaml:/) }));
  });

  it('reports an example query that does not use the entry point', () => {
    const dir = copyCatalog();
    const file = 'resources/air-quality-index-daily.yaml';
    editCatalogFile(dir, file, (t) => t.replace('  airQuality(stationCode', '  monitoringStations(stationCode'));
    const { problems } = load(dir);
    expect(problems).toEqual([problem(file, lineOf(file, /^exampleQuery:/), 'exampleQuery does not query the entry point airQuality (it queries monitoringStations)')]);
  });

  it('reports a record type that no resource, or two resources, declare', () => {
    const dir = copyCatalog();
    editCatalogFile(dir, 'resources/complaints-and-petitions.yaml', (t) => t.replace('recordType: COMPLAINT', 'recordType: INSPECTION').replace(/complaints\(/g, 'inspections(').replace('entryPoint: complaints', 'entryPoint: inspections'));
    const { problems } = load(dir);
    expect(problems).toContainEqual(problem('resources', 0, 'no resource has recordType COMPLAINT'));
    expect(problems).toContainEqual(problem('resources/enforcement-inspections.yaml', lineOf('resources/enforcement-inspections.yaml', /^recordType:/), 'duplicate recordType INSPECTION: also at resources/complaints-and-petitions.yaml:'));
  });

  it('reports a classification code that does not match the business line', () => {
    const dir = copyCatalog();
    const file = 'resources/groundwater-quality.yaml';
    editCatalogFile(dir, file, (t) => t.replace('businessLine: SOIL_GROUNDWATER', 'businessLine: SURFACE_WATER'));
    const { problems } = load(dir);
    expect(problems).toEqual([problem(file, 1, 'code 211007/0002: classification code 211007 does not match business line SURFACE_WATER (211002)')]);
  });
});

describe('catalog-check CLI', () => {
  it('prints file:line problems and a summary, and fails on any problem', () => {
    const dir = copyCatalog();
    editCatalogFile(dir, 'resources/air-quality-hourly.yaml', (t) => t.replace('updateCycle: REALTIME', 'updateCycle: HOURLY'));
    const lines: string[] = [];
    expect(runCatalogCheck({ dir, write: (l) => lines.push(l) })).toBe(1);
    expect(lines[0]).toBe(`resources/air-quality-hourly.yaml:${lineOf('resources/air-quality-hourly.yaml', /^updateCycle:/)}: unknown update cycle "HOURLY" (not in dimensions/update-cycles.yaml)`);
    expect(lines[lines.length - 1]).toMatch(/: \d+ resources, 1 problem;/);
  });

  it('passes the real catalog', () => {
    const lines: string[] = [];
    expect(runCatalogCheck({ dir: CATALOG, knownEntryPoints: ROOT_FIELDS, write: (l) => lines.push(l) })).toBe(0);
    expect(lines).toEqual([expect.stringMatching(/: \d+ resources \(\d+ unconditional, \d+ conditional, \d+ not shared\), 0 problems$/)]);
  });
});
