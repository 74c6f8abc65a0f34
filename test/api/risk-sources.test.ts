import { haversineKm, UPSTREAM_REACHES } from '../../src/modules/emergency';
import { startTestHub, TestHub } from '../support/hub';

/*
 * Risk sources and emergency resources through HTTP (issue 17 item 4), on a clone of the demo
 * template (which seeds a few dozen of each): who reads what under the catalog's terms
 * (211010/0002 conditional, 211010/0003 unconditional), experts' personal data masked outside the
 * owner, the two spatial queries against distances worked out here from the stored coordinates,
 * the upserts, and bad input refused with its field, leaving nothing written.
 */

let t: TestHub;
let qpSteward: string;
let wjSteward: string;
let wjReader: string; // Wujiang dossier reader, no ENFORCEMENT role: its framework grant on risk sources needs ENFORCEMENT
let wjOfficer: string; // Wujiang reader with ENFORCEMENT: reads the other districts' risk sources through the framework grant
let qpReader: string;
let zone: string;

beforeAll(async () => {
  t = await startTestHub('demo');
  qpSteward = await t.token('QINGPU', ['DATA_STEWARD', 'DOSSIER_READER']);
  wjSteward = await t.token('WUJIANG', ['DATA_STEWARD', 'DOSSIER_READER']);
  wjReader = await t.token('WUJIANG', ['DOSSIER_READER']);
  wjOfficer = await t.token('WUJIANG', ['DOSSIER_READER', 'ENFORCEMENT']);
  qpReader = await t.token('QINGPU', ['DOSSIER_READER']);
  zone = await t.token('ZONE', ['DOSSIER_READER']);
});
afterAll(() => t.close());

async function ok(query: string, variables: Record<string, unknown>, token: string, purpose?: string) {
  const r = await t.gql(query, variables, { token, purpose });
  expect(r.body.errors).toBeUndefined();
  return r.body.data;
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const [{ n }] = await t.db.ds.query(`SELECT count(*)::int AS n FROM ${sql}`, params);
  return n;
}

const LIST = `query($f: RiskSourceFilter) { riskSources(first: 200, filter: $f) { totalCount edges { node { sourceNo ownerJurisdiction riskLevel receivingWater enterprise { uscc } } } } }`;
const RESOURCES = `query($f: EmergencyResourceFilter) { emergencyResources(first: 200, filter: $f) { totalCount edges { node { resourceNo kind ownerJurisdiction name contactPhone idNumber equipmentType quantity unit } } } }`;

describe('the demo data', () => {
  test('a few dozen risk sources and emergency resources across the three districts', async () => {
    const rows: Array<{ t: string; o: string; n: number }> = await t.db.ds.query(
      `SELECT 'rs' AS t, owner_jurisdiction AS o, count(*)::int AS n FROM risk_source GROUP BY 2 UNION ALL SELECT 'er', owner_jurisdiction, count(*)::int FROM emergency_resource GROUP BY 2 ORDER BY 1, 2`);
    expect(rows.map((r) => `${r.t}:${r.o}`)).toEqual(['er:JIASHAN', 'er:QINGPU', 'er:WUJIANG', 'rs:JIASHAN', 'rs:QINGPU', 'rs:WUJIANG']);
    const total = rows.reduce((a, r) => a + r.n, 0);
    expect(total).toBeGreaterThanOrEqual(36);
    // Every seeded row came through the writer: one change-log entry each.
    expect(await count(`change_log WHERE record_type IN ('RISK_SOURCE', 'EMERGENCY_RESOURCE')`)).toBe(total);
  });
});

describe('who reads risk sources (211010/0002, conditional)', () => {
  test('ZONE reads every district\'s', async () => {
    const data = await ok(LIST, {}, zone);
    expect(data.riskSources.totalCount).toBe(await count('risk_source'));
  });

  test('a district reader without the grant\'s role reads its own only; the lookup of another\'s is FORBIDDEN and says what to do', async () => {
    const data = await ok(LIST, {}, wjReader);
    expect(data.riskSources.totalCount).toBe(await count(`risk_source WHERE owner_jurisdiction = 'WUJIANG'`));
    expect(new Set(data.riskSources.edges.map((e: any) => e.node.ownerJurisdiction))).toEqual(new Set(['WUJIANG']));
    const r = await t.gql('{ riskSource(sourceNo: "RS-QP-001") { sourceNo } }', {}, { token: wjReader });
    expect(r.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'sharing.grant.role', applyFor: '211010/0002' });
  });

  test('with ENFORCEMENT the framework grant opens the other districts; a declared EMERGENCY does too', async () => {
    expect((await ok(LIST, {}, wjOfficer)).riskSources.totalCount).toBe(await count('risk_source'));
    const emergencyOnly = await t.token('WUJIANG', ['DOSSIER_READER', 'ENFORCEMENT'], { org: 'WUJIANG-RESCUE' });
    expect((await ok(LIST, {}, emergencyOnly)).riskSources.totalCount).toBe(await count(`risk_source WHERE owner_jurisdiction = 'WUJIANG'`));
    expect((await ok(LIST, {}, emergencyOnly, 'EMERGENCY')).riskSources.totalCount).toBe(await count('risk_source'));
  });

  test('filters: risk level (codes as data), enterprise, receiving water, substance', async () => {
    const major = await ok(LIST, { f: { riskLevel: 'MAJOR' } }, zone);
    expect(major.riskSources.totalCount).toBe(await count(`risk_source WHERE risk_level = 'MAJOR'`));
    const taipu = await ok(LIST, { f: { receivingWater: '太浦河', jurisdiction: 'WUJIANG' } }, zone);
    expect(taipu.riskSources.totalCount).toBe(await count(`risk_source WHERE receiving_water = '太浦河' AND owner_jurisdiction = 'WUJIANG'`));
    expect(taipu.riskSources.totalCount).toBeGreaterThan(0);
    const sb = await ok(LIST, { f: { substance: '1309-64-4' } }, zone);
    expect(sb.riskSources.totalCount).toBe(await count(`risk_source WHERE risk_substances @> '[{"casNo":"1309-64-4"}]'`));
    expect(sb.riskSources.totalCount).toBeGreaterThan(0);
    const [{ uscc }] = await t.db.ds.query(`SELECT e.uscc FROM risk_source r JOIN enterprise e ON e.id = r.enterprise_id ORDER BY r.source_no LIMIT 1`);
    const mine = await ok(LIST, { f: { uscc } }, zone);
    expect(mine.riskSources.edges.every((e: any) => e.node.enterprise.uscc === uscc)).toBe(true);
    const bad = await t.gql(LIST, { f: { riskLevel: 'EXTREME' } }, { token: zone });
    expect(bad.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.riskLevel' });
  });
});

describe('emergency resources (211010/0003, unconditional): experts\' personal data masked outside the owner', () => {
  test('another district reads every resource, the experts of others masked, its own in full; teams and equipment in full', async () => {
    const r = await t.gql(RESOURCES, {}, { token: wjReader });
    expect(r.body.errors).toBeUndefined();
    const nodes = r.body.data.emergencyResources.edges.map((e: any) => e.node);
    expect(r.body.data.emergencyResources.totalCount).toBe(await count('emergency_resource'));
    const stored: Array<{ resource_no: string; name: string; contact_phone: string | null; id_number: string | null }> = await t.db.ds.query(
      'SELECT resource_no, name, contact_phone, id_number FROM emergency_resource');
    const byNo = new Map(stored.map((s) => [s.resource_no, s]));
    const experts = nodes.filter((n: any) => n.kind === 'EXPERT');
    expect(experts.length).toBeGreaterThanOrEqual(6);
    for (const n of experts) {
      const s = byNo.get(n.resourceNo)!;
      if (n.ownerJurisdiction === 'WUJIANG') {
        expect([n.name, n.contactPhone, n.idNumber]).toEqual([s.name, s.contact_phone, s.id_number]);
      } else {
        expect(n.name).toBe([...s.name][0] + '*'.repeat([...s.name].length - 1));
        expect(n.contactPhone).toBe(s.contact_phone!.slice(0, 3) + '*'.repeat(s.contact_phone!.length - 7) + s.contact_phone!.slice(-4));
        expect(n.idNumber).toBe(s.id_number!.slice(0, 4) + '*'.repeat(s.id_number!.length - 8) + s.id_number!.slice(-4));
      }
    }
    for (const n of nodes.filter((x: any) => x.kind !== 'EXPERT')) {
      const s = byNo.get(n.resourceNo)!;
      expect([n.name, n.contactPhone]).toEqual([s.name, s.contact_phone]);
    }
    expect(r.body.extensions.policy.masked).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'EmergencyResource.name', rule: 'mask.expert.outsideOwner' })]));
    // The audit row of the read says something was masked.
    const [audit] = await t.db.ds.query(`SELECT bool_or(masked) AS m FROM audit_event WHERE resource_type = 'EMERGENCY_RESOURCE' AND jurisdiction = 'WUJIANG' AND owner_jurisdiction = 'QINGPU'`);
    expect(audit.m).toBe(true);
  });

  test('ZONE sees every expert in full; filters by kind, equipment type and capability', async () => {
    const data = await ok(RESOURCES, { f: { kind: 'EXPERT' } }, zone);
    const stored: Array<{ resource_no: string; name: string }> = await t.db.ds.query(`SELECT resource_no, name FROM emergency_resource WHERE kind = 'EXPERT'`);
    expect(data.emergencyResources.totalCount).toBe(stored.length);
    for (const n of data.emergencyResources.edges.map((e: any) => e.node)) expect(n.name).toBe(stored.find((s) => s.resource_no === n.resourceNo)!.name);
    const booms = await ok(RESOURCES, { f: { equipmentType: 'OIL_BOOM' } }, zone);
    expect(booms.emergencyResources.totalCount).toBe(await count(`emergency_resource WHERE equipment_type = 'OIL_BOOM'`));
    const vocs = await ok(RESOURCES, { f: { capability: 'VOCs' } }, zone);
    expect(vocs.emergencyResources.totalCount).toBe(await count(`emergency_resource WHERE 'VOCs' = ANY(capabilities)`));
    expect(vocs.emergencyResources.totalCount).toBeGreaterThan(0);
  });

  test('myAccess lists the two resources and the masked expert fields', async () => {
    const data = await ok('{ myAccess { recordType ownerJurisdiction canRead rule maskedFields } }', {}, wjReader);
    const line = (type: string, owner: string) => data.myAccess.find((l: any) => l.recordType === type && l.ownerJurisdiction === owner);
    expect(line('EMERGENCY_RESOURCE', 'QINGPU')).toMatchObject({ canRead: true, rule: 'sharing.unconditional', maskedFields: ['name', 'contactPhone', 'idNumber'] });
    expect(line('EMERGENCY_RESOURCE', 'WUJIANG')).toMatchObject({ canRead: true, rule: 'owner', maskedFields: [] });
    expect(line('RISK_SOURCE', 'QINGPU')).toMatchObject({ canRead: false, rule: 'sharing.grant.role' });
  });
});

const UPSTREAM = `query($s: String!, $km: Float!, $first: Int) { riskSourcesUpstream(stationCode: $s, withinKm: $km, first: $first) { distanceKm riskSource { sourceNo ownerJurisdiction receivingWater latitude longitude } } }`;
const NEAREST = `query($lat: Float!, $lon: Float!, $k: EmergencyResourceKind, $e: String, $first: Int) {
  nearestEmergencyResources(lat: $lat, lon: $lon, kind: $k, equipmentType: $e, first: $first) { distanceKm resource { resourceNo kind equipmentType ownerJurisdiction name } } }`;

/** Risk sources upstream of a station within km, nearest first, worked out here from the stored rows and the reaches file. */
async function expectedUpstream(station: string, km: number, owners: readonly string[]): Promise<Array<{ sourceNo: string; d: number }>> {
  const [s] = await t.db.ds.query('SELECT latitude::float8 AS lat, longitude::float8 AS lon FROM monitoring_station WHERE code = $1', [station]);
  const rows: Array<{ source_no: string; owner_jurisdiction: string; receiving_water: string | null; lat: number; lon: number }> = await t.db.ds.query(
    'SELECT source_no, owner_jurisdiction, receiving_water, latitude::float8 AS lat, longitude::float8 AS lon FROM risk_source WHERE withdrawn_at IS NULL');
  const reaches = UPSTREAM_REACHES.get(station)!;
  return rows
    .filter((r) => owners.includes(r.owner_jurisdiction) && reaches.some((x) => x.district === r.owner_jurisdiction && r.receiving_water !== null && x.waters.includes(r.receiving_water)))
    .map((r) => ({ sourceNo: r.source_no, d: haversineKm(s.lat, s.lon, r.lat, r.lon) }))
    .filter((r) => r.d <= km)
    .sort((a, b) => a.d - b.d || (a.sourceNo < b.sourceNo ? -1 : 1));
}

describe('risk sources within N km upstream of a section', () => {
  test.each([['W-QP-01', 30], ['W-QP-01', 12], ['W-QP-03', 25], ['W-JS-03', 40]])('%s within %d km, as ZONE: the computed expectation, nearest first', async (station, km) => {
    const want = await expectedUpstream(station, km, ['QINGPU', 'WUJIANG', 'JIASHAN']);
    expect(want.length).toBeGreaterThan(0);
    const data = await ok(UPSTREAM, { s: station, km, first: 200 }, zone);
    expect(data.riskSourcesUpstream.map((x: any) => x.riskSource.sourceNo)).toEqual(want.map((w) => w.sourceNo));
    data.riskSourcesUpstream.forEach((x: any, i: number) => expect(x.distanceKm).toBeCloseTo(want[i].d, 6));
  });

  test('the Taipu section finds sources in Wujiang and Jiashan, and not those draining elsewhere', async () => {
    const data = await ok(UPSTREAM, { s: 'W-QP-01', km: 40, first: 200 }, zone);
    const found = data.riskSourcesUpstream.map((x: any) => x.riskSource);
    expect(new Set(found.map((f: any) => f.ownerJurisdiction))).toEqual(new Set(['QINGPU', 'WUJIANG', 'JIASHAN']));
    expect(found.every((f: any) => ['太浦河', '汾湖'].includes(f.receivingWater))).toBe(true);
    // A source draining to 拦路港 (downstream of Dianshan Lake) is near but never upstream.
    const [{ n }] = await t.db.ds.query(`SELECT count(*)::int AS n FROM risk_source WHERE receiving_water = '拦路港'`);
    expect(n).toBeGreaterThan(0);
  });

  test('a district without the grant\'s role finds its own sources only; `first` caps the list', async () => {
    const want = await expectedUpstream('W-QP-01', 40, ['WUJIANG']);
    expect(want.length).toBeGreaterThan(0);
    const data = await ok(UPSTREAM, { s: 'W-QP-01', km: 40, first: 200 }, wjReader);
    expect(data.riskSourcesUpstream.map((x: any) => x.riskSource.sourceNo)).toEqual(want.map((w) => w.sourceNo));
    const two = await ok(UPSTREAM, { s: 'W-QP-01', km: 40, first: 2 }, zone);
    expect(two.riskSourcesUpstream).toHaveLength(2);
  });

  test('bad input: radius, unknown station, not a section, a section without reaches', async () => {
    const codeOf = async (v: Record<string, unknown>) => (await t.gql(UPSTREAM, v, { token: zone })).body.errors[0].extensions;
    expect(await codeOf({ s: 'W-QP-01', km: 0 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'withinKm' });
    expect(await codeOf({ s: 'W-QP-01', km: 501 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'withinKm' });
    expect(await codeOf({ s: 'W-QP-01', km: 10, first: 0 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    expect(await codeOf({ s: 'W-XX-99', km: 10 })).toMatchObject({ code: 'NOT_FOUND', field: 'stationCode' });
    const [air] = await t.db.ds.query(`SELECT code FROM monitoring_station WHERE kind = 'AIR' ORDER BY code LIMIT 1`);
    expect(await codeOf({ s: air.code, km: 10 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'stationCode' });
    expect(await codeOf({ s: 'W-JS-01', km: 10 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'stationCode' });
  });
});

describe('nearest emergency resources', () => {
  async function expectedNearest(lat: number, lon: number, where: string, first: number) {
    const rows: Array<{ resource_no: string; lat: number; lon: number }> = await t.db.ds.query(
      `SELECT resource_no, latitude::float8 AS lat, longitude::float8 AS lon FROM emergency_resource WHERE withdrawn_at IS NULL AND ${where}`);
    return rows.map((r) => ({ no: r.resource_no, d: haversineKm(lat, lon, r.lat, r.lon) }))
      .sort((a, b) => a.d - b.d || (a.no < b.no ? -1 : 1)).slice(0, first);
  }

  test.each([
    [31.034, 120.903, 'EQUIPMENT', 'OIL_BOOM', 3, `kind = 'EQUIPMENT' AND equipment_type = 'OIL_BOOM'`],
    [30.95, 120.75, 'MATERIAL', 'POLYFERRIC_SULFATE', 2, `kind = 'MATERIAL' AND equipment_type = 'POLYFERRIC_SULFATE'`],
    [31.1, 121.0, null, null, 10, 'true'],
    // Beijing: nothing within the boxes, the scan without one still finds the nearest.
    [39.9, 116.4, 'MONITORING_TEAM', null, 3, `kind = 'MONITORING_TEAM'`],
  ])('(%d, %d) %s %s first %d: the computed expectation, nearest first', async (lat, lon, k, e, first, where) => {
    const want = await expectedNearest(lat as number, lon as number, where as string, first as number);
    const data = await ok(NEAREST, { lat, lon, k, e, first }, wjReader);
    expect(data.nearestEmergencyResources.map((x: any) => x.resource.resourceNo)).toEqual(want.map((w) => w.no));
    data.nearestEmergencyResources.forEach((x: any, i: number) => expect(x.distanceKm).toBeCloseTo(want[i].d, 6));
  });

  test('an expert found near the border is masked for the other district', async () => {
    const data = await ok(NEAREST, { lat: 31.04, lon: 120.92, k: 'EXPERT', first: 20 }, wjReader);
    const [qp] = data.nearestEmergencyResources.filter((x: any) => x.resource.ownerJurisdiction === 'QINGPU');
    expect(qp.resource.name).toMatch(/^.\*+$/u);
  });

  test('bad input: coordinates out of range, first out of range', async () => {
    const ext = async (v: Record<string, unknown>) => (await t.gql(NEAREST, v, { token: wjReader })).body.errors[0].extensions;
    expect(await ext({ lat: 91, lon: 120 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'lat' });
    expect(await ext({ lat: 31, lon: -181 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'lon' });
    expect(await ext({ lat: 31, lon: 120, first: 201 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });
});

const UPSERT_RS = `mutation($i: RiskSourceInput!) { upsertRiskSource(input: $i) { status key record { sourceNo ownerJurisdiction riskLevel latitude longitude riskSubstances { substance casNo quantity unit criticalQuantity } receptors { kind name distanceKm downstream } planFilingNo planFiledOn enterprise { uscc } } } }`;
const UPSERT_ER = `mutation($i: EmergencyResourceInput!) { upsertEmergencyResource(input: $i) { status key record { resourceNo ownerJurisdiction kind name contactPhone idNumber quantity unit latitude longitude } } }`;

describe('upserts and bad input', () => {
  let qpUscc: string;
  beforeAll(async () => {
    [{ uscc: qpUscc }] = await t.db.ds.query(`SELECT uscc FROM enterprise WHERE owner_jurisdiction = 'QINGPU' AND withdrawn_at IS NULL ORDER BY uscc LIMIT 1`);
  });
  const source = (o: Record<string, unknown> = {}) => ({
    sourceNo: 'RS-QP-900', uscc: qpUscc, name: '金泽镇化学品仓库', riskLevel: 'LARGER',
    riskSubstances: [{ substance: '硫酸', casNo: '7664-93-9', quantity: '12.5', unit: 't', criticalQuantity: '10' }],
    receptors: [{ kind: 'DRINKING_WATER_INTAKE', name: '金泽水库取水口', distanceKm: '3.2', downstream: 'YES' }],
    receivingWater: '太浦河', planFilingNo: '310118-2025-900-M', planFiledOn: '2025-06-01', latitude: '31.041200', longitude: '120.921300',
    sourceSystem: 'QP-RISK-REGISTER', sourceRecordId: 'T-900', asOf: '2026-11-20T09:00:00+08:00', ...o,
  });
  const resource = (o: Record<string, unknown> = {}) => ({
    resourceNo: 'ER-QP-900', jurisdiction: 'QINGPU', kind: 'EXPERT', name: '赵明华', capabilities: ['水污染防治'], latitude: '31.05', longitude: '120.93',
    contactPhone: '13812345678', idNumber: '310118197003041234', sourceSystem: 'QP-EMERGENCY-REGISTER', sourceRecordId: 'T-E900', asOf: '2026-11-20T09:00:00+08:00', ...o,
  });
  const footprint = async () => ({
    rs: await count('risk_source'), er: await count('emergency_resource'),
    log: await count(`change_log WHERE record_type IN ('RISK_SOURCE', 'EMERGENCY_RESOURCE')`),
  });

  test('a Qingpu steward writes a risk source and an expert; read back as stored, logged once each; the change log holds no personal data', async () => {
    const before = await footprint();
    const rs = await ok(UPSERT_RS, { i: source() }, qpSteward);
    expect(rs.upsertRiskSource).toMatchObject({ status: 'INSERTED', key: 'RS-QP-900' });
    expect(rs.upsertRiskSource.record).toMatchObject({
      ownerJurisdiction: 'QINGPU', riskLevel: 'LARGER', latitude: '31.041200', longitude: '120.921300', planFiledOn: '2025-06-01', enterprise: { uscc: qpUscc },
      riskSubstances: [{ substance: '硫酸', casNo: '7664-93-9', quantity: '12.500', unit: 't', criticalQuantity: '10.000' }],
      receptors: [{ kind: 'DRINKING_WATER_INTAKE', name: '金泽水库取水口', distanceKm: '3.20', downstream: 'YES' }],
    });
    expect((await ok(UPSERT_RS, { i: source() }, qpSteward)).upsertRiskSource.status).toBe('UNCHANGED');
    const er = await ok(UPSERT_ER, { i: resource() }, qpSteward);
    expect(er.upsertEmergencyResource).toMatchObject({ status: 'INSERTED', record: { ownerJurisdiction: 'QINGPU', name: '赵明华', idNumber: '310118197003041234' } });
    expect(await footprint()).toEqual({ rs: before.rs + 1, er: before.er + 1, log: before.log + 2 });
    const [entry] = await t.db.ds.query(`SELECT uscc, payload FROM change_log WHERE record_type = 'EMERGENCY_RESOURCE' AND record_key = 'ER-QP-900'`);
    expect(entry.uscc).toBeNull();
    expect(JSON.stringify(entry.payload)).not.toMatch(/赵明华|13812345678|310118197003041234/);
    // Wujiang reads the new expert masked.
    const seen = await ok('{ emergencyResource(resourceNo: "ER-QP-900") { name contactPhone idNumber } }', {}, wjReader);
    expect(seen.emergencyResource).toEqual({ name: '赵**', contactPhone: '138****5678', idNumber: '3101**********1234' });
  });

  test('another district\'s steward may not write them', async () => {
    const before = await footprint();
    const r = await t.gql(UPSERT_RS, { i: source({ sourceNo: 'RS-QP-901' }) }, { token: wjSteward });
    expect(r.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', ownerJurisdiction: 'QINGPU' });
    const e = await t.gql(UPSERT_ER, { i: resource({ resourceNo: 'ER-QP-901' }) }, { token: wjSteward });
    expect(e.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', ownerJurisdiction: 'QINGPU' });
    expect(await footprint()).toEqual(before);
  });

  test.each([
    ['latitude out of range', { latitude: '95' }, 'input.latitude', /between -90 and 90/],
    ['longitude out of range', { longitude: '-181.5' }, 'input.longitude', /between -180 and 180/],
    ['too many decimals', { latitude: '31.1234567' }, 'input.latitude', /at most 6 decimal places/],
    ['quantity zero', { riskSubstances: [{ substance: '硫酸', quantity: '0', unit: 't' }] }, 'input.riskSubstances.0.quantity', /greater than 0/],
    ['quantity negative', { riskSubstances: [{ substance: '硫酸', quantity: '-3', unit: 't' }] }, 'input.riskSubstances.0.quantity', /negative/],
    ['critical quantity zero', { riskSubstances: [{ substance: '硫酸', quantity: '3', unit: 't', criticalQuantity: '0' }] }, 'input.riskSubstances.0.criticalQuantity', /greater than 0/],
    ['bad CAS number', { riskSubstances: [{ substance: '硫酸', casNo: 'sulphuric', quantity: '3', unit: 't' }] }, 'input.riskSubstances.0.casNo', /CAS number/],
    ['unknown risk level', { riskLevel: 'EXTREME' }, 'input.riskLevel', /unknown risk level "EXTREME"/],
    ['filing date in the future', { planFiledOn: '2099-01-01' }, 'input.planFiledOn', /in the future/],
    ['filing number without date', { planFiledOn: null }, 'input.planFiledOn', /go together/],
    ['unknown enterprise', { uscc: '91310118MA1JL0000X' }, 'input.uscc', /./],
  ])('risk source, %s: BAD_USER_INPUT naming the field, nothing written', async (_what, o, field, message) => {
    const before = await footprint();
    const r = await t.gql(UPSERT_RS, { i: source({ sourceNo: 'RS-QP-950', ...o }) }, { token: qpSteward });
    expect(r.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const problem = r.body.errors[0].extensions.problems.find((p: any) => p.field === field);
    expect(problem?.message).toMatch(message);
    expect(await footprint()).toEqual(before);
  });

  test.each([
    ['longitude out of range', { longitude: '200' }, 'input.longitude', /between -180 and 180/],
    ['quantity negative', { kind: 'EQUIPMENT', idNumber: null, equipmentType: 'OIL_BOOM', quantity: '-1', unit: 'm' }, 'input.quantity', /negative/],
    ['quantity zero', { kind: 'EQUIPMENT', idNumber: null, equipmentType: 'OIL_BOOM', quantity: '0', unit: 'm' }, 'input.quantity', /greater than 0/],
    ['an ID number on equipment', { kind: 'EQUIPMENT', equipmentType: 'OIL_BOOM' }, 'input.idNumber', /EXPERT only/],
    ['equipment without a type', { kind: 'EQUIPMENT', idNumber: null }, 'input.equipmentType', /required/],
    ['unknown kind', { kind: 'ROBOT' }, 'input.kind', /must be one of/],
    ['a province as owner', { jurisdiction: 'SHANGHAI' }, 'input.jurisdiction', /must be one of/],
  ])('emergency resource, %s: BAD_USER_INPUT naming the field, nothing written', async (_what, o, field, message) => {
    const before = await footprint();
    const r = await t.gql(UPSERT_ER, { i: resource({ resourceNo: 'ER-QP-950', ...o }) }, { token: qpSteward });
    expect(r.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(r.body.errors[0].extensions.problems.find((p: any) => p.field === field)?.message).toMatch(message);
    expect(await footprint()).toEqual(before);
  });

  test('a batch takes the good records and rejects the bad one alone, with its index and field', async () => {
    const before = await footprint();
    const r = await ok(`mutation($r: [EmergencyResourceInputJSON]!) { upsertEmergencyResources(records: $r) { inserted rejected results { index status problems { field } } } }`, {
      r: [resource({ resourceNo: 'ER-QP-960' }), resource({ resourceNo: 'ER-QP-961', latitude: '-91' }), resource({ resourceNo: 'ER-QP-962', kind: 'MONITORING_TEAM', idNumber: null, name: '青浦区应急监测二队' })],
    }, qpSteward);
    expect(r.upsertEmergencyResources).toMatchObject({ inserted: 2, rejected: 1 });
    expect(r.upsertEmergencyResources.results[1]).toEqual({ index: 1, status: 'REJECTED', problems: [{ field: 'records.1.latitude' }] });
    expect(await footprint()).toEqual({ ...before, er: before.er + 2, log: before.log + 2 });
  });
});
