import path from 'node:path';
import { districtsCoveredBy, DISTRICTS, Jurisdiction } from '../../src/domain/jurisdictions';
import { loadCatalogFiles } from '../../src/modules/catalog/catalog-files';
import type { CatalogResourceEntry, ServedData } from '../../src/modules/catalog/catalog.schema';
import { startTestHub, TestHub } from '../support/hub';

/**
 * The catalog's contract, checked resource by resource (issue 11): for every SERVED resource of the
 * catalog files and every class of principal, what the API answers agrees with the resource's
 * terms — which owner districts' rows come back, how many, and whether the example query runs.
 * The expectation is worked out here from the files (sharing type, conditions, purposes and their
 * roles, open to public) and the grants in the database (the framework grants the migration made
 * of the standing arrangements, issue 12), independently of src/auth/policy.ts; the rows are
 * counted in the database. The test grows by itself as the catalog grows.
 */
const { catalog } = loadCatalogFiles(path.resolve(__dirname, '../../catalog'));
if (!catalog) throw new Error('the catalog has problems: run npm run catalog:check');
const SERVED = catalog.resources.filter((r) => r.status === 'SERVED');
const purposeRoles = new Map(catalog.purposes.map((p) => [p.code, p.roles as string[]]));

interface PrincipalClass {
  name: string;
  jurisdiction: Jurisdiction | null;
  roles: string[];
  /** The purpose to declare: the resource's first listed purpose for the class that uses one. */
  purpose?: (r: CatalogResourceEntry) => string | undefined;
}

const ENFORCEMENT_RECORD_TYPES: readonly string[] = ['ENFORCEMENT_CASE', 'CASE_TRANSFER', 'EVIDENCE_ITEM', 'EVIDENCE_RECOGNITION'];

const CLASSES: PrincipalClass[] = [
  { name: 'district (Wujiang), no purpose', jurisdiction: Jurisdiction.WUJIANG, roles: ['DOSSIER_READER', 'CATALOG_READER'] },
  {
    name: 'district (Wujiang), with the condition\'s purpose and role', jurisdiction: Jurisdiction.WUJIANG, roles: ['DOSSIER_READER', 'CATALOG_READER', 'ENFORCEMENT', 'CREDIT_FEED'],
    purpose: (r) => r.sharing.conditions?.purposes?.[0],
  },
  { name: 'province (Zhejiang)', jurisdiction: Jurisdiction.ZHEJIANG, roles: ['DOSSIER_READER'] },
  { name: 'ZONE', jurisdiction: Jurisdiction.ZONE, roles: ['DOSSIER_READER'] },
  { name: 'Credit Yangtze Delta', jurisdiction: Jurisdiction.CREDIT_YRD, roles: ['CREDIT_FEED'] },
  { name: 'public', jurisdiction: null, roles: [] },
];

/** Active grants, as the database holds them (test tokens carry `org: <JURISDICTION>-EEB`). */
let grants: Array<{ org: string; code: string; purpose: string; districts: string[] }> = [];

/** The owner districts a class reads of a resource, from the files and the grants: rule 1, the sharing type, rule 4, rule 5. */
function expectedDistricts(c: PrincipalClass, r: CatalogResourceEntry): string[] {
  return DISTRICTS.filter((owner) => {
    if (!c.jurisdiction) return r.openToPublic.open;
    if (c.jurisdiction === Jurisdiction.CREDIT_YRD) return r.recordType === 'CREDIT_RECORD' && c.roles.includes('CREDIT_FEED');
    // Joint-enforcement records (cases, transfers, evidence) are read with the ENFORCEMENT role, dossier records with DOSSIER_READER.
    const readRole = r.recordType && ENFORCEMENT_RECORD_TYPES.includes(r.recordType) ? 'ENFORCEMENT' : 'DOSSIER_READER';
    if (r.recordType && !c.roles.includes(readRole)) return false;
    if (districtsCoveredBy(c.jurisdiction).includes(owner)) return true;
    if (r.sharing.type === 'UNCONDITIONAL') return true;
    if (r.sharing.type === 'NOT_SHARED') return false;
    // Conditional: a grant to the class's agency covering the owner, with a role of its purpose; or a declared EMERGENCY the resource lists.
    const hasRoleOf = (purpose: string) => (purposeRoles.get(purpose) ?? []).some((role) => c.roles.includes(role));
    const granted = grants.some((g) => g.org === `${c.jurisdiction}-EEB` && g.code === r.code && g.districts.includes(owner) && hasRoleOf(g.purpose));
    const purpose = c.purpose?.(r);
    return granted || (purpose === 'EMERGENCY' && r.sharing.conditions!.purposes!.includes(purpose) && hasRoleOf(purpose));
  });
}

let t: TestHub;
let remindersGenerated = false;
const tokens = new Map<string, string | undefined>();
beforeAll(async () => {
  t = await startTestHub('demo');
  grants = await t.db.ds.query(`SELECT applicant_org AS org, resource_code AS code, purpose, granted_districts AS districts FROM sharing_application WHERE status = 'ACTIVE'`);
  for (const c of CLASSES) tokens.set(c.name, c.jurisdiction ? await t.token(c.jurisdiction, c.roles) : undefined);
});
afterAll(() => t.close());

const results: Array<{ resource: string; cls: string; checks: number; ok: boolean }> = [];
afterAll(() => {
  const byClass = new Map<string, { pass: number; all: number }>();
  for (const r of results) {
    const s = byClass.get(r.cls) ?? { pass: 0, all: 0 };
    s.all++;
    if (r.ok) s.pass++;
    byClass.set(r.cls, s);
  }
  process.stdout.write(`\nCatalog conformance: ${SERVED.length} served resources × ${CLASSES.length} principal classes\n`
    + [...byClass].map(([cls, s]) => `  ${cls}: ${s.pass}/${s.all} resources agree with their terms`).join('\n') + '\n');
});

async function ask(c: PrincipalClass, r: CatalogResourceEntry, query: string, variables: Record<string, unknown> = {}) {
  const purpose = c.purpose?.(r);
  return t.gql(query, variables, { token: tokens.get(c.name), ...(purpose ? { purpose } : {}) });
}

/** Rows per owner the class should get of a dossier record type, counted in the database. */
async function recordRows(r: CatalogResourceEntry, districts: string[], publicView: boolean): Promise<number> {
  const table = { ENTERPRISE: 'enterprise', EIA_APPROVAL: 'eia_approval', PERMIT: 'permit', INSPECTION: 'inspection', PENALTY: 'penalty', COMPLAINT: 'complaint', CREDIT_RECORD: 'credit_record',
    ENFORCEMENT_CASE: 'enforcement_case', CASE_TRANSFER: 'case_transfer', EVIDENCE_ITEM: 'evidence_item', EVIDENCE_RECOGNITION: 'evidence_recognition',
    POSITIVE_LIST_ENTRY: 'positive_list_entry', RISK_SOURCE: 'risk_source', EMERGENCY_RESOURCE: 'emergency_resource' }[r.recordType!]!;
  const publicised = publicView && r.recordType === 'PENALTY' ? ' AND publicity_until >= current_date' : '';
  const [{ n }] = await t.db.ds.query(`SELECT count(*)::int AS n FROM ${table} WHERE withdrawn_at IS NULL AND owner_jurisdiction = ANY($1)${publicised}`, [districts]);
  return n;
}

const cases = SERVED.flatMap((r) => CLASSES.map((c) => [r.code, c.name, r, c] as const));

test.each(cases)('%s as %s', async (_code, _cls, r, c) => {
  const expected = expectedDistricts(c, r);
  let checks = 0;
  const check = (what: string, actual: unknown, want: unknown) => {
    expect({ resource: r.code, principal: c.name, what, value: actual }).toEqual({ resource: r.code, principal: c.name, what, value: want });
    checks++;
  };

  // The example query runs: data, or a policy refusal, never another error.
  const example = await ask(c, r, r.exampleQuery!);
  for (const e of example.body.errors ?? []) check('example query error code', ['FORBIDDEN', 'UNAUTHENTICATED'].includes(e.extensions?.code), true);
  if (expected.length === DISTRICTS.length) check('example query answers in full', example.body.errors, undefined);

  if (r.recordType) {
    // A dossier record type: the rows of exactly the expected owners, all of them.
    const q = `{ ${r.entryPoint}(first: 500) { totalCount edges { node { ownerJurisdiction } } } }`;
    const res = await ask(c, r, q);
    const owners = [...new Set<string>(res.body.data[r.entryPoint!].edges.map((e: { node: { ownerJurisdiction: string } }) => e.node.ownerJurisdiction))].sort();
    const want = await recordRows(r, expected, !c.jurisdiction);
    check('totalCount', res.body.data[r.entryPoint!].totalCount, want);
    const present = (await Promise.all(expected.map(async (d) => [d, await recordRows(r, [d], !c.jurisdiction)] as const))).filter(([, n]) => n > 0).map(([d]) => d);
    check('owner districts', owners, [...present].sort());
  }

  for (const b of (r.serves ?? []) as ServedData[]) {
    if (b.data === 'STATIONS') {
      const res = await ask(c, r, `query($k: StationKind) { monitoringStations(first: 500, filter: { kind: $k }) { totalCount edges { node { ownerJurisdiction } } } }`, { k: b.stationKinds[0] });
      const [{ n }] = await t.db.ds.query('SELECT count(*)::int AS n FROM monitoring_station WHERE kind = ANY($1) AND owner_jurisdiction = ANY($2)', [b.stationKinds, expected]);
      check(`${b.stationKinds.join('/')} stations`, res.body.data.monitoringStations.totalCount, n);
    } else if (b.data === 'OBSERVATIONS') {
      // Every station filed under the resource: its observations in full where readable, none where not.
      const stations: Array<{ code: string; owner: string; n: number; visible: boolean }> = await t.db.ds.query(
        `SELECT s.code, s.owner_jurisdiction AS owner, (SELECT count(*)::int FROM observation o WHERE o.station_id = s.id) AS n, true AS visible
         FROM monitoring_station s WHERE s.catalog_resource_code = $1 ORDER BY s.code`, [r.code]);
      for (const s of stations) {
        const res = await ask(c, r, `query($s: String!) { monitoringStation(code: $s) { observations(first: 1) { totalCount } } }`, { s: s.code });
        const station = res.body.data?.monitoringStation;
        // A station the class may not see at all is FORBIDDEN; one it sees shows the observations it may read.
        check(`observations of ${s.code}`, station ? station.observations.totalCount : 0, expected.includes(s.owner) && station ? s.n : 0);
      }
    } else if (b.data === 'ALERTS') {
      // Alerts filed under the resource: its terms decide whether an owner's alert may cross a border at
      // all, and an alert crosses only to the districts downstream it names (its audience), never to others.
      const mine = c.jurisdiction ? districtsCoveredBy(c.jurisdiction) : [];
      const res = await ask(c, r, `{ alerts(first: 500) { totalCount edges { node { catalogResourceCode } } } }`);
      const [{ n }] = await t.db.ds.query(
        `SELECT count(*)::int AS n FROM alert WHERE catalog_resource_code = $1 AND owner_jurisdiction = ANY($2) AND (owner_jurisdiction = ANY($3) OR audience && $3::varchar[])`,
        [r.code, expected, mine]);
      const got = (res.body.data?.alerts?.edges ?? []).filter((e: { node: { catalogResourceCode: string } }) => e.node.catalogResourceCode === r.code).length;
      check(`alerts filed under ${r.code}`, got, n);
    } else if (b.data === 'REMINDERS') {
      // Compliance reminders filed under the resource: the addressed (owner) district, its province and
      // ZONE read them; other districts as the resource's terms let the owner's data cross. The template
      // holds none (they depend on the day), so a pass of the rules on a fixed day files some first.
      if (!remindersGenerated) {
        await t.hub.services.reminders.generate(new Date('2026-11-02T02:00:00Z'));
        remindersGenerated = true;
      }
      const res = await ask(c, r, `{ complianceReminders(first: 500) { totalCount edges { node { catalogResourceCode ownerJurisdiction } } } }`);
      const [{ n }] = await t.db.ds.query('SELECT count(*)::int AS n FROM compliance_reminder WHERE catalog_resource_code = $1 AND owner_jurisdiction = ANY($2)', [r.code, expected]);
      const got = (res.body.data?.complianceReminders?.edges ?? []).filter((e: { node: { catalogResourceCode: string } }) => e.node.catalogResourceCode === r.code).length;
      check(`reminders filed under ${r.code}`, got, n);
      check(`reminders filed under ${r.code} exist`, (await t.db.ds.query('SELECT count(*)::int AS n FROM compliance_reminder WHERE catalog_resource_code = $1', [r.code]))[0].n > 0, true);
    } else {
      const field = b.assessment === 'WATER_CLASS' ? 'waterQuality' : 'airQuality';
      const stations: Array<{ code: string; owner: string }> = await t.db.ds.query(
        `SELECT DISTINCT ON (owner_jurisdiction) code, owner_jurisdiction AS owner FROM monitoring_station
         WHERE kind = ANY($1) AND ($2::boolean IS NULL OR drinking_water_source = $2) ORDER BY owner_jurisdiction, code`, [b.stationKinds, b.drinkingWaterSource ?? null]);
      for (const s of stations) {
        const res = await ask(c, r, `query($s: String!) { ${field}(stationCode: $s, from: "2026-08-01", to: "2026-08-02") { __typename } }`, { s: s.code });
        const refused = res.body.errors?.some((e: { extensions?: { code?: string } }) => e.extensions?.code === 'FORBIDDEN') ?? false;
        check(`${field} of ${s.code}`, refused, !expected.includes(s.owner));
      }
    }
  }
  results.push({ resource: r.code, cls: c.name, checks, ok: true });
  expect(checks).toBeGreaterThan(0);
});
