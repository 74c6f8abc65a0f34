import { addDays } from '../../src/domain/calendar/days';
import { startTestHub, TestHub } from '../support/hub';

/**
 * Monitoring reads opened by a sharing grant name the grant in their audit rows (issue 12): a
 * station read under its registry's grant, and a water-class assessment read under the
 * assessment's grant, each listed by `auditEvents(filter: { grantId })` for the owner's auditor.
 * The shipped catalog shares station registries and assessments unconditionally, so this test
 * makes two of them conditional in its own database (the catalog terms are data) to have grants
 * to read through.
 */
const SECTIONS = '211002/0004'; // surface-water sections (STATIONS of SURFACE_WATER)
const WATER_CLASS = '211002/0003'; // surface-water class (the WATER_CLASS assessment)
const NOW = new Date('2026-11-02T02:00:00Z'); // a working Monday inside the official calendar
const today = '2026-11-02';
const ORG = 'WUJIANG-JET';

let t: TestHub;
let reader: string;
let steward: string;
let auditor: string;

const STATION = `query($c: String!) { monitoringStation(code: $c) { code ownerJurisdiction } }`;
const ASSESS = `query($c: String!) { waterQuality(stationCode: $c, from: "2026-06-01", to: "2026-06-30", period: MONTH) { periodStart waterClass } }`;
const AUDIT = `query($g: ID) { auditEvents(filter: { grantId: $g }) { totalCount edges { node { org resourceType ownerJurisdiction grantId recordKeys recordCount } } } }`;

async function grant(code: string): Promise<string> {
  const [{ items }] = await t.db.ds.query('SELECT data_items AS items FROM catalog_resource WHERE code = $1', [code]);
  const applied = await t.gql(`mutation($i: ApplyForSharingInput!) { applyForSharing(input: $i) { id status } }`, {
    i: {
      resourceCode: code, items: items.map((d: { field: string }) => d.field), districts: ['QINGPU'], purpose: 'ENFORCEMENT',
      scenario: 'cross-border pollution case on a Qingpu section', legalBasis: '《水污染防治法》', contact: '王 0512-63000000',
      commitment: 'own duties only, within scope and period', validFrom: today, validTo: addDays(today, 30),
    },
  }, { token: reader });
  expect(applied.body.errors).toBeUndefined();
  const id = applied.body.data.applyForSharing.id;
  const approved = await t.gql(`mutation($id: ID!) { approveSharingApplication(id: $id) { status } }`, { id }, { token: steward });
  expect(approved.body.data.approveSharingApplication.status).toBe('ACTIVE');
  return id;
}

beforeAll(async () => {
  t = await startTestHub('empty', {}, { clock: () => NOW });
  await t.db.ds.query(
    `UPDATE catalog_resource SET sharing_type = 'CONDITIONAL', open_to_public = false, sharing_conditions = '{"purposes": ["ENFORCEMENT"], "legalBasis": "test terms"}'::jsonb WHERE code = ANY($1)`,
    [[SECTIONS, WATER_CLASS]],
  );
  await t.hub.services.catalog.refresh();
  await t.db.ds.query(
    `INSERT INTO monitoring_station (code, name, kind, owner_jurisdiction, waterbody, target_class, catalog_resource_code, source_system, source_record_id, source_as_of)
     VALUES ('G-Q-01', 'G-Q-01', 'SURFACE_WATER', 'QINGPU', 'RIVER', 'III', '211002/0001', 'TEST', 'G-Q-01', now()),
            ('G-W-01', 'G-W-01', 'SURFACE_WATER', 'WUJIANG', 'RIVER', 'III', '211002/0001', 'TEST', 'G-W-01', now())`,
  );
  reader = await t.token('WUJIANG', ['DOSSIER_READER', 'ENFORCEMENT'], { org: ORG, sub: 'officer-wang' });
  steward = await t.token('QINGPU', ['DATA_STEWARD'], { sub: 'steward-qingpu' });
  auditor = await t.token('QINGPU', ['AUDITOR']);
});
afterAll(() => t.close());

test('before a grant the conditional registry refuses Qingpu\'s section, naming the resource to apply for', async () => {
  const r = await t.gql(STATION, { c: 'G-Q-01' }, { token: reader });
  expect(r.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'sharing.conditional', applyFor: SECTIONS });
});

test('a station read and an assessment read through grants: each audit row names its grant, and auditEvents lists them by grant', async () => {
  const stationGrant = await grant(SECTIONS);
  const assessmentGrant = await grant(WATER_CLASS);

  const station = await t.gql(STATION, { c: 'G-Q-01' }, { token: reader });
  expect(station.body.errors).toBeUndefined();
  expect(station.body.data.monitoringStation).toEqual({ code: 'G-Q-01', ownerJurisdiction: 'QINGPU' });
  const list = await t.gql(`{ monitoringStations(filter: { kind: SURFACE_WATER }, first: 50) { edges { node { code ownerJurisdiction } } } }`, {}, { token: reader });
  const codes = list.body.data.monitoringStations.edges.map((e: any) => e.node.code);
  expect(codes).toEqual(expect.arrayContaining(['G-Q-01', 'G-W-01']));
  const assessed = await t.gql(ASSESS, { c: 'G-Q-01' }, { token: reader });
  expect(assessed.body.errors).toBeUndefined();
  // Its own district's section: read without any grant.
  expect((await t.gql(ASSESS, { c: 'G-W-01' }, { token: reader })).body.errors).toBeUndefined();

  const rows: Array<{ t: string; o: string; g: string | null; k: string[] }> = await t.db.ds.query(
    `SELECT resource_type AS t, owner_jurisdiction AS o, grant_id AS g, record_keys AS k FROM audit_event WHERE org = $1 AND NOT denied ORDER BY id`, [ORG]);
  // Qingpu's stations (the lookup, the list, the assessment's own station lookup) through the registry's grant.
  const qingpuStations = rows.filter((r) => r.t === 'MONITORING' && r.o === 'QINGPU');
  expect(qingpuStations.length).toBe(3);
  for (const r of qingpuStations) expect(r.g).toBe(stationGrant);
  // The assessment of Qingpu's section through the assessment's grant; Wujiang's own rows name none.
  expect(rows.filter((r) => r.t === 'WATER_CLASS')).toEqual([
    { t: 'WATER_CLASS', o: 'QINGPU', g: assessmentGrant, k: ['G-Q-01'] },
    { t: 'WATER_CLASS', o: 'WUJIANG', g: null, k: ['G-W-01'] },
  ]);
  expect(rows.filter((r) => r.o === 'WUJIANG').every((r) => r.g === null)).toBe(true);

  // The owner's auditor lists the reads each grant opened.
  const byStationGrant = await t.gql(AUDIT, { g: stationGrant }, { token: auditor });
  expect(byStationGrant.body.errors).toBeUndefined();
  expect(byStationGrant.body.data.auditEvents.totalCount).toBe(3);
  for (const e of byStationGrant.body.data.auditEvents.edges) {
    expect(e.node).toMatchObject({ org: ORG, resourceType: 'MONITORING', ownerJurisdiction: 'QINGPU', grantId: stationGrant, recordKeys: ['G-Q-01'] });
  }
  const byAssessmentGrant = await t.gql(AUDIT, { g: assessmentGrant }, { token: auditor });
  expect(byAssessmentGrant.body.data.auditEvents).toEqual({
    totalCount: 1,
    edges: [{ node: { org: ORG, resourceType: 'WATER_CLASS', ownerJurisdiction: 'QINGPU', grantId: assessmentGrant, recordKeys: ['G-Q-01'], recordCount: 1 } }],
  });
});

test('an assessment refused (no grant on the assessment for Jiashan\'s data) writes no assessment row', async () => {
  await t.db.ds.query(
    `INSERT INTO monitoring_station (code, name, kind, owner_jurisdiction, waterbody, target_class, catalog_resource_code, source_system, source_record_id, source_as_of)
     VALUES ('G-J-01', 'G-J-01', 'SURFACE_WATER', 'JIASHAN', 'RIVER', 'III', '211002/0001', 'TEST', 'G-J-01', now())`,
  );
  const [{ n: before }] = await t.db.ds.query(`SELECT count(*)::int AS n FROM audit_event WHERE org = $1 AND resource_type = 'WATER_CLASS'`, [ORG]);
  const r = await t.gql(ASSESS, { c: 'G-J-01' }, { token: reader });
  expect(r.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', applyFor: SECTIONS }); // the station itself is closed first
  const [{ n: after }] = await t.db.ds.query(`SELECT count(*)::int AS n FROM audit_event WHERE org = $1 AND resource_type = 'WATER_CLASS'`, [ORG]);
  expect(after).toBe(before);
});
