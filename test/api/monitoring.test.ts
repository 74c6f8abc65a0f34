import { withCheckCharacter } from '../../src/domain/uscc';
import { seedMonitoringData } from '../../src/seed/monitoring';
import { GqlResponse, startTestHub, TestHub } from '../support/hub';

/**
 * Monitoring through HTTP: the public calculators, the assessments over stored data on a small
 * fixture whose expected values are worked by hand below, station scoping, and statement counts.
 * The empty template gets the demo stations (three days of series) plus the fixture stations T-*.
 */
let t: TestHub;
let catalogReader: string; // WUJIANG, no dossier role: monitoring is shared with every agency of the zone
let zoneReader: string;
let demo: { stations: number; observations: number };
const USCC = withCheckCharacter('91320509MA1X2Y3L4');

function firstError(r: GqlResponse): { message: string; extensions?: Record<string, any> } {
  expect(r.body.errors).toBeDefined();
  return r.body.errors![0];
}

/** Observations of the fixture, as [station code, parameter, local CST time, interval, value, flag]. */
type Obs = [string, string, string, string, string, string];

const UNITS: Record<string, string> = { a21005: 'mg/m³', w01001: '无量纲' };

/** The catalog resource each fixture station's observations are shared under, by kind (as the demo data files them). */
const RESOURCE_OF_KIND: Record<string, string> = { AIR: '211001/0001', SURFACE_WATER: '211002/0001', POLLUTION_SOURCE: '211004/0001' };

async function insertStation(code: string, kind: string, owner: string, extra: { waterbody?: string; target?: string; enterpriseId?: string } = {}): Promise<void> {
  await t.db.ds.query(
    `INSERT INTO monitoring_station (code, name, kind, owner_jurisdiction, waterbody, target_class, enterprise_id, catalog_resource_code, source_system, source_record_id, source_as_of)
     VALUES ($1, $1, $2, $3, $4, $5, $6, $7, 'TEST', $1, now())`,
    [code, kind, owner, extra.waterbody ?? null, extra.target ?? null, extra.enterpriseId ?? null, RESOURCE_OF_KIND[kind]],
  );
}

async function insertObservations(rows: Obs[]): Promise<void> {
  await t.db.ds.query(
    `INSERT INTO observation (station_id, parameter, observed_at, interval, value, unit, flag)
     SELECT s.id, u.parameter, u.at, u.interval, u.value, u.unit, u.flag
     FROM unnest($1::varchar[], $2::varchar[], $3::timestamptz[], $4::varchar[], $5::numeric[], $6::varchar[], $7::char[])
       AS u(code, parameter, at, interval, value, unit, flag)
     JOIN monitoring_station s ON s.code = u.code`,
    [
      rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => `${r[2]}+08:00`), rows.map((r) => r[3]), rows.map((r) => r[4]),
      rows.map((r) => UNITS[r[1]] ?? (r[1].startsWith('a') ? 'µg/m³' : 'mg/L')), rows.map((r) => r[5]),
    ],
  );
}

const hh = (h: number) => String(h).padStart(2, '0');

/**
 * T-W-RIVER (river, III), samples every 4 hours:
 *   06-01  NH3-N 0.8 N, 1.2 N, 9.9 D   DO 6.5 N, 5.5 N, 0.1 M   TP 0.1 N, 0.3 N
 *          → NH3-N 1.0 (III), DO 6.0 (II), TP 0.2 (III): III 良好; valid 6/8; 2 sampling times
 *   06-02  NH3-N 1.6, 1.8  DO 4.0, 4.0  TP 0.25, 0.35 (all N)
 *          → NH3-N 1.7 (V), DO 4.0 (IV), TP 0.3 (IV): V 中度污染; main NH3-N 0.70, TP 0.50, DO (no ratio)
 *   06-03  NH3-N 0.5 C, DO 7 M → no valid data: no class, validShare 0
 *   month  NH3-N 1.35 (IV), DO 5.0 (III), TP 0.25 (IV) → IV 轻度污染; main NH3-N 0.35, TP 0.25; valid 12/16
 * T-W-LAKE (lake/reservoir): TP 0.08 → IV against the lake column (it would be II on a river).
 */
function waterFixture(): Obs[] {
  const r = 'T-W-RIVER';
  return [
    [r, 'w21003', '2026-06-01T00:00', 'FOUR_HOURS', '0.8', 'N'], [r, 'w21003', '2026-06-01T04:00', 'FOUR_HOURS', '1.2', 'N'], [r, 'w21003', '2026-06-01T08:00', 'FOUR_HOURS', '9.9', 'D'],
    [r, 'w01009', '2026-06-01T00:00', 'FOUR_HOURS', '6.5', 'N'], [r, 'w01009', '2026-06-01T04:00', 'FOUR_HOURS', '5.5', 'N'], [r, 'w01009', '2026-06-01T08:00', 'FOUR_HOURS', '0.1', 'M'],
    [r, 'w21011', '2026-06-01T00:00', 'FOUR_HOURS', '0.1', 'N'], [r, 'w21011', '2026-06-01T04:00', 'FOUR_HOURS', '0.3', 'N'],
    [r, 'w21003', '2026-06-02T00:00', 'FOUR_HOURS', '1.6', 'N'], [r, 'w21003', '2026-06-02T04:00', 'FOUR_HOURS', '1.8', 'N'],
    [r, 'w01009', '2026-06-02T00:00', 'FOUR_HOURS', '4.0', 'N'], [r, 'w01009', '2026-06-02T04:00', 'FOUR_HOURS', '4.0', 'N'],
    [r, 'w21011', '2026-06-02T00:00', 'FOUR_HOURS', '0.25', 'N'], [r, 'w21011', '2026-06-02T04:00', 'FOUR_HOURS', '0.35', 'N'],
    [r, 'w21003', '2026-06-03T00:00', 'FOUR_HOURS', '0.5', 'C'], [r, 'w01009', '2026-06-03T00:00', 'FOUR_HOURS', '7', 'M'],
    ['T-W-LAKE', 'w21011', '2026-06-01T00:00', 'DAY', '0.08', 'N'],
  ];
}

/**
 * T-A-01, hourly, HJ 633-2026 (June 2026): SO2 10, NO2 20, CO 0.5, PM10 50 every hour.
 *   06-01  PM2.5 35; O3 180 from 10:00 to 17:00, else 60
 *          → IAQI PM2.5 50, O3 1-h 75, O3 8-h 100 + 20/55·50 = 118.2 → 119: AQI 119 轻度污染, primary o3_8h
 *   06-02  PM2.5 60, but 10:00-13:00 flagged M with 500 (excluded) → 60 → IAQI 100: AQI 100 良, primary pm25; valid 140/144
 *   06-03  PM2.5 60 with 00:00-04:00 flagged D → 19 valid hours < 20, no PM2.5 mean → AQI 50 (PM10) 优, no primary
 * T-A-02, HJ 633-2012 (January 2026): PM2.5 30 from 00:00 to 11:00 and 90 from 12:00 to 23:00 on 01-10. The real-time
 *   report judges PM2.5 by its 24-h moving mean, which needs 20 valid hours: 19:00 → (12·30 + 8·90)/20 = 54 → 74;
 *   23:00 → 60 → 50 + 25/40·50 = 81.25 → 82; before 19:00 there is no value at all.
 */
function airFixture(): Obs[] {
  const rows: Obs[] = [];
  for (const day of [1, 2, 3]) {
    for (let h = 0; h < 24; h++) {
      const at = `2026-06-0${day}T${hh(h)}:00`;
      const a = (p: string, v: string, flag = 'N') => rows.push(['T-A-01', p, at, 'HOUR', v, flag]);
      a('a21026', '10');
      a('a21004', '20');
      a('a21005', '0.5');
      a('a34002', '50');
      a('a05024', day === 1 && h >= 10 && h <= 17 ? '180' : '60');
      if (day === 1) a('a34004', '35');
      else if (day === 2 && h >= 10 && h <= 13) a('a34004', '500', 'M');
      else if (day === 3 && h <= 4) a('a34004', '0', 'D');
      else a('a34004', '60');
    }
  }
  for (let h = 0; h < 24; h++) rows.push(['T-A-02', 'a34004', `2026-01-10T${hh(h)}:00`, 'HOUR', h < 12 ? '30' : '90', 'N']);
  return rows;
}

beforeAll(async () => {
  t = await startTestHub('empty');
  catalogReader = await t.token('WUJIANG', ['CATALOG_READER']);
  zoneReader = await t.token('ZONE', ['DOSSIER_READER']);
  demo = await seedMonitoringData(t.db.ds, { seed: 11, days: 3 });
  const [e] = await t.db.ds.query(
    `INSERT INTO enterprise (owner_jurisdiction, source_system, source_record_id, source_as_of, uscc, name, industry_code, address, registration_status)
     VALUES ('WUJIANG', 'TEST', 'E1', now(), $1, '吴江测试印染有限公司', 'C1713', '吴江区盛泽镇', 'ACTIVE') RETURNING id`,
    [USCC],
  );
  await insertStation('T-W-RIVER', 'SURFACE_WATER', 'WUJIANG', { waterbody: 'RIVER', target: 'III' });
  await insertStation('T-W-LAKE', 'SURFACE_WATER', 'QINGPU', { waterbody: 'LAKE_RESERVOIR', target: 'III' });
  await insertStation('T-A-01', 'AIR', 'JIASHAN');
  await insertStation('T-A-02', 'AIR', 'QINGPU');
  await insertStation('T-P-01', 'POLLUTION_SOURCE', 'WUJIANG', { enterpriseId: e.id });
  await insertObservations([...waterFixture(), ...airFixture()]);
});
afterAll(() => t.close());

describe('standard calculators (public, no token)', () => {
  const WATER = `query($input: WaterSampleInput!) { assessWater(input: $input) {
    standard waterClass grade items { parameter waterClass evaluated value } mainPollutants { parameter waterClass exceedance } } }`;
  const AQI = `query($input: AqiInput!) { computeAqi(input: $input) { aqi level category primaryPollutants iaqi { pollutant value } standard } }`;

  test('validateUscc: a valid code names its district; a wrong check character says which it should be', async () => {
    const ok = await t.gql(`{ validateUscc(code: "${USCC}") { valid reason expectedCheckCharacter divisionCode jurisdiction } }`);
    expect(ok.body.data.validateUscc).toEqual({ valid: true, reason: null, expectedCheckCharacter: USCC[17], divisionCode: '320509', jurisdiction: 'WUJIANG' });
    const wrong = USCC.slice(0, 17) + (USCC[17] === '0' ? '1' : '0');
    const bad = await t.gql(`query($c: String!) { validateUscc(code: $c) { valid reason expectedCheckCharacter } }`, { c: wrong });
    expect(bad.body.data.validateUscc).toEqual({ valid: false, reason: `check character should be ${USCC[17]}, got ${wrong[17]}`, expectedCheckCharacter: USCC[17] });
  });

  test('assessWater accepts JSON numbers and decimal strings alike and ranks the main pollutants', async () => {
    const r = await t.gql(WATER, { input: { waterbody: 'RIVER', values: [
      { parameter: 'w21003', value: 1.7 }, { parameter: 'w21011', value: '0.30' }, { parameter: 'w01009', value: '4' },
    ] } });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.assessWater).toEqual({
      standard: 'GB 3838-2002', waterClass: 'V', grade: '中度污染',
      items: [
        { parameter: 'w21003', waterClass: 'V', evaluated: true, value: '1.7' },
        { parameter: 'w21011', waterClass: 'IV', evaluated: true, value: '0.3' },
        { parameter: 'w01009', waterClass: 'IV', evaluated: true, value: '4' },
      ],
      mainPollutants: [
        { parameter: 'w21003', waterClass: 'V', exceedance: '0.70' },
        { parameter: 'w21011', waterClass: 'IV', exceedance: '0.50' },
        { parameter: 'w01009', waterClass: 'IV', exceedance: null },
      ],
    });
    const lake = await t.gql(WATER, { input: { waterbody: 'LAKE_RESERVOIR', values: [{ parameter: 'w21011', value: '0.08' }] } });
    expect(lake.body.data.assessWater).toMatchObject({ waterClass: 'IV', grade: '轻度污染' });
    const river = await t.gql(WATER, { input: { waterbody: 'RIVER', values: [{ parameter: 'w21011', value: 0.08 }] } });
    expect(river.body.data.assessWater).toMatchObject({ waterClass: 'II', grade: '优', mainPollutants: [] });
  });

  test('assessWater: an unknown parameter is BAD_USER_INPUT naming the field', async () => {
    const r = await t.gql(WATER, { input: { waterbody: 'RIVER', values: [{ parameter: 'w21003', value: 1 }, { parameter: 'w99999', value: 1 }] } });
    expect(r.body.data).toBeNull();
    const e = firstError(r);
    expect(e.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.values[1].parameter' });
    expect(e.message).toContain('w99999');
  });

  test('assessWater: a negative value and a non-numeric string are BAD_USER_INPUT', async () => {
    const neg = await t.gql(WATER, { input: { waterbody: 'RIVER', values: [{ parameter: 'w21003', value: -0.1 }] } });
    expect(firstError(neg).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.values[0].value' });
    expect(firstError(neg).message).toMatch(/must not be negative/);
    const abc = await t.gql(WATER, { input: { waterbody: 'RIVER', values: [{ parameter: 'w21003', value: 'abc' }] } });
    expect(firstError(abc).extensions?.code).toBe('BAD_USER_INPUT');
    expect(firstError(abc).message).toContain('abc');
  });

  test('computeAqi picks the HJ 633 revision by date and accepts numbers and strings', async () => {
    const y2026 = await t.gql(AQI, { input: { report: 'DAILY', date: '2026-06-01', pm25: 75 } });
    expect(y2026.body.data.computeAqi).toEqual({
      aqi: 114, level: 3, category: '轻度污染', primaryPollutants: ['pm25'], iaqi: [{ pollutant: 'pm25', value: 114 }], standard: 'HJ 633-2026',
    });
    const y2025 = await t.gql(AQI, { input: { report: 'DAILY', date: '2025-06-01', pm25: '75', o3_8h: '100' } });
    expect(y2025.body.data.computeAqi).toMatchObject({ aqi: 100, category: '良', primaryPollutants: ['pm25'], standard: 'HJ 633-2012' });
    expect(y2025.body.data.computeAqi.iaqi).toEqual([{ pollutant: 'o3_8h', value: 50 }, { pollutant: 'pm25', value: 100 }]);
  });

  test('computeAqi: no pollutant, or a negative one, is BAD_USER_INPUT naming the field', async () => {
    const none = await t.gql(AQI, { input: { report: 'DAILY', date: '2026-06-01' } });
    expect(firstError(none).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.pollutants' });
    const neg = await t.gql(AQI, { input: { report: 'HOURLY', date: '2026-06-01', pm25: '-3' } });
    expect(firstError(neg).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.pm25' });
  });
});

describe('waterQuality over stored data', () => {
  const Q = `query($code: String!, $from: Date!, $to: Date!, $period: AssessmentPeriod) {
    waterQuality(stationCode: $code, from: $from, to: $to, period: $period) {
      periodStart waterClass grade validShare sampleCount items { parameter waterClass value } mainPollutants { parameter exceedance } } }`;

  test('DAY: period means of N-flag data only, with valid share and sampling times', async () => {
    const r = await t.gql(Q, { code: 'T-W-RIVER', from: '2026-06-01', to: '2026-06-03', period: 'DAY' }, { token: catalogReader });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.waterQuality).toEqual([
      {
        periodStart: '2026-06-01', waterClass: 'III', grade: '良好', validShare: 0.75, sampleCount: 2, mainPollutants: [],
        items: [{ parameter: 'w01009', waterClass: 'II', value: '6' }, { parameter: 'w21003', waterClass: 'III', value: '1' }, { parameter: 'w21011', waterClass: 'III', value: '0.2' }],
      },
      {
        periodStart: '2026-06-02', waterClass: 'V', grade: '中度污染', validShare: 1, sampleCount: 2,
        items: [{ parameter: 'w01009', waterClass: 'IV', value: '4' }, { parameter: 'w21003', waterClass: 'V', value: '1.7' }, { parameter: 'w21011', waterClass: 'IV', value: '0.3' }],
        mainPollutants: [{ parameter: 'w21003', exceedance: '0.70' }, { parameter: 'w21011', exceedance: '0.50' }, { parameter: 'w01009', exceedance: null }],
      },
      { periodStart: '2026-06-03', waterClass: null, grade: null, validShare: 0, sampleCount: 0, items: [], mainPollutants: [] },
    ]);
  });

  test('MONTH: one period clipped to the range; the lake point is judged on the lake column', async () => {
    const r = await t.gql(Q, { code: 'T-W-RIVER', from: '2026-06-01', to: '2026-06-30', period: 'MONTH' }, { token: catalogReader });
    expect(r.body.data.waterQuality).toEqual([{
      periodStart: '2026-06-01', waterClass: 'IV', grade: '轻度污染', validShare: 0.75, sampleCount: 4,
      items: [{ parameter: 'w01009', waterClass: 'III', value: '5' }, { parameter: 'w21003', waterClass: 'IV', value: '1.35' }, { parameter: 'w21011', waterClass: 'IV', value: '0.25' }],
      mainPollutants: [{ parameter: 'w21003', exceedance: '0.35' }, { parameter: 'w21011', exceedance: '0.25' }],
    }]);
    const clipped = await t.gql(Q, { code: 'T-W-RIVER', from: '2026-06-02', to: '2026-06-30', period: 'MONTH' }, { token: catalogReader });
    expect(clipped.body.data.waterQuality.map((p: any) => [p.periodStart, p.waterClass])).toEqual([['2026-06-02', 'V']]);
    const lake = await t.gql(Q, { code: 'T-W-LAKE', from: '2026-01-01', to: '2026-12-31', period: 'YEAR' }, { token: catalogReader });
    expect(lake.body.data.waterQuality).toEqual([{
      periodStart: '2026-01-01', waterClass: 'IV', grade: '轻度污染', validShare: 1, sampleCount: 1,
      items: [{ parameter: 'w21011', waterClass: 'IV', value: '0.08' }], mainPollutants: [{ parameter: 'w21011', exceedance: '0.60' }],
    }]);
  });

  test('an unknown station is null; an air station is BAD_USER_INPUT; the public reads the open water class, the credit platform is FORBIDDEN', async () => {
    const unknown = await t.gql(Q, { code: 'NOPE', from: '2026-06-01', to: '2026-06-03' }, { token: catalogReader });
    expect(unknown.body.errors).toBeUndefined();
    expect(unknown.body.data.waterQuality).toBeNull();
    const air = await t.gql(Q, { code: 'T-A-01', from: '2026-06-01', to: '2026-06-03' }, { token: catalogReader });
    expect(firstError(air).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'stationCode' });
    // The water class is open to the public (211002/0003); the credit platform reads no monitoring data.
    const pub = await t.gql(Q, { code: 'T-W-RIVER', from: '2026-06-01', to: '2026-06-03' });
    expect(pub.body.errors).toBeUndefined();
    expect(pub.body.data.waterQuality.map((p: any) => p.waterClass)).toEqual(['IV']);
    const platform = await t.gql(Q, { code: 'T-W-RIVER', from: '2026-06-01', to: '2026-06-03' }, { token: await t.token('CREDIT_YRD', ['CREDIT_FEED']) });
    expect(firstError(platform).extensions).toMatchObject({ code: 'FORBIDDEN', recordType: 'MONITORING', catalogCode: '211002/0004', ownerJurisdiction: 'WUJIANG', rule: 'creditPlatform.creditOnly' });
    expect(platform.body.data.waterQuality).toBeNull();
  });

  test('ranges: to before from, and more than 366 days, are BAD_USER_INPUT', async () => {
    const backwards = await t.gql(Q, { code: 'T-W-RIVER', from: '2026-06-03', to: '2026-06-01', period: 'DAY' }, { token: catalogReader });
    expect(firstError(backwards).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    const long = await t.gql(Q, { code: 'T-W-RIVER', from: '2025-01-01', to: '2026-01-02', period: 'DAY' }, { token: catalogReader });
    expect(firstError(long).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
  });
});

describe('airQuality over stored data', () => {
  const Q = `query($code: String!, $from: Date!, $to: Date!, $report: AqiReport) {
    airQuality(stationCode: $code, from: $from, to: $to, report: $report) {
      at date aqi level category primaryPollutants validShare standard concentrations { pollutant value } } }`;

  test('DAILY: 24-h means, max 1-h and max 8-h O3 in SQL from N-flag hours; under 20 valid hours there is no mean', async () => {
    const r = await t.gql(Q, { code: 'T-A-01', from: '2026-06-01', to: '2026-06-03', report: 'DAILY' }, { token: catalogReader });
    expect(r.body.errors).toBeUndefined();
    const days = r.body.data.airQuality;
    expect(days.map((d: any) => [d.date, d.at, d.aqi, d.level, d.category, d.primaryPollutants, d.validShare, d.standard])).toEqual([
      ['2026-06-01', '2026-05-31T16:00:00.000Z', 119, 3, '轻度污染', ['o3_8h'], 1, 'HJ 633-2026'],
      ['2026-06-02', '2026-06-01T16:00:00.000Z', 100, 2, '良', ['pm25'], 0.9722, 'HJ 633-2026'],
      ['2026-06-03', '2026-06-02T16:00:00.000Z', 50, 1, '优', [], 0.9653, 'HJ 633-2026'],
    ]);
    const conc = (i: number) => Object.fromEntries(days[i].concentrations.map((c: any) => [c.pollutant, c.value]));
    expect(conc(0)).toEqual({ so2: '10', no2: '20', co: '0.5', o3: '180', pm10: '50', pm25: '35', o3_8h: '180' });
    expect(conc(1)).toMatchObject({ pm25: '60', o3: '60', o3_8h: '60' });
    expect(conc(2).pm25).toBeUndefined();
  });

  test('HOURLY (2026): 1-h values, a flagged hour drops out and lowers the valid share', async () => {
    const r = await t.gql(Q, { code: 'T-A-01', from: '2026-06-02', to: '2026-06-02', report: 'HOURLY' }, { token: catalogReader });
    const hours = r.body.data.airQuality;
    expect(hours).toHaveLength(24);
    expect(hours[0]).toMatchObject({ at: '2026-06-01T16:00:00.000Z', date: '2026-06-02', aqi: 100, primaryPollutants: ['pm25'], validShare: 1 });
    // 10:00 CST: PM2.5 is flagged M, so PM10 (50) decides and nothing is primary.
    expect(hours[10]).toMatchObject({ at: '2026-06-02T02:00:00.000Z', aqi: 50, category: '优', primaryPollutants: [], validShare: 0.8333 });
    expect(hours[10].concentrations.map((c: any) => c.pollutant)).not.toContain('pm25');
  });

  test('HOURLY (2012): PM2.5 is judged by its 24-h moving mean, which needs 20 valid hours', async () => {
    const r = await t.gql(Q, { code: 'T-A-02', from: '2026-01-10', to: '2026-01-10', report: 'HOURLY' }, { token: catalogReader });
    const hours = r.body.data.airQuality;
    expect(hours).toHaveLength(24);
    expect(hours.slice(0, 19).every((h: any) => h.aqi === null)).toBe(true);
    expect(hours[19]).toMatchObject({ aqi: 74, standard: 'HJ 633-2012', concentrations: [{ pollutant: 'pm25', value: '54' }] });
    expect(hours[23]).toMatchObject({ aqi: 82, concentrations: [{ pollutant: 'pm25', value: '60' }] });
  });

  test('range limits: 366 days DAILY and 744 hours HOURLY per call', async () => {
    const year = await t.gql(Q, { code: 'T-A-01', from: '2025-06-03', to: '2026-06-03', report: 'DAILY' }, { token: catalogReader });
    expect(year.body.errors).toBeUndefined();
    const tooLong = await t.gql(Q, { code: 'T-A-01', from: '2025-06-02', to: '2026-06-03', report: 'DAILY' }, { token: catalogReader });
    expect(firstError(tooLong).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    const month = await t.gql(Q, { code: 'T-A-01', from: '2026-06-01', to: '2026-07-01', report: 'HOURLY' }, { token: catalogReader });
    expect(month.body.errors).toBeUndefined();
    expect(month.body.data.airQuality).toHaveLength(72);
    const hours = await t.gql(Q, { code: 'T-A-01', from: '2026-06-01', to: '2026-07-02', report: 'HOURLY' }, { token: catalogReader });
    expect(firstError(hours).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    expect(firstError(hours).message).toContain('744');
  });

  test('unknown station null, water section BAD_USER_INPUT, the public reads the open AQI, the credit platform is FORBIDDEN', async () => {
    const unknown = await t.gql(Q, { code: 'NOPE', from: '2026-06-01', to: '2026-06-01' }, { token: catalogReader });
    expect(unknown.body.data.airQuality).toBeNull();
    const water = await t.gql(Q, { code: 'T-W-RIVER', from: '2026-06-01', to: '2026-06-01' }, { token: catalogReader });
    expect(firstError(water).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'stationCode' });
    // The daily AQI is open to the public (211001/0002); the credit platform reads no monitoring data.
    const pub = await t.gql(Q, { code: 'T-A-01', from: '2026-06-01', to: '2026-06-01' });
    expect(pub.body.errors).toBeUndefined();
    expect(pub.body.data.airQuality).toHaveLength(1);
    const platform = await t.gql(Q, { code: 'T-A-01', from: '2026-06-01', to: '2026-06-01' }, { token: await t.token('CREDIT_YRD', ['CREDIT_FEED']) });
    expect(firstError(platform).extensions).toMatchObject({ code: 'FORBIDDEN', recordType: 'MONITORING', ownerJurisdiction: 'JIASHAN', rule: 'creditPlatform.creditOnly' });
    expect(platform.body.data.airQuality).toBeNull();
  });
});

describe('stations: scoping, lookups and nested observations', () => {
  const LIST = `query($filter: StationFilter, $first: Int, $after: String) {
    monitoringStations(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { code kind ownerJurisdiction } } } }`;
  const fixtureStations = 5;

  test('the demo stations cover the three districts and every kind', async () => {
    expect(demo.stations).toBe(30);
    expect(demo.observations).toBeGreaterThan(0);
    const rows: Array<{ kind: string; owner: string; n: number }> = await t.db.ds.query(
      `SELECT kind, owner_jurisdiction AS owner, count(*)::int AS n FROM monitoring_station WHERE code NOT LIKE 'T-%' GROUP BY 1, 2`);
    expect(new Set(rows.map((r) => r.owner))).toEqual(new Set(['QINGPU', 'WUJIANG', 'JIASHAN']));
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['AIR', 'SURFACE_WATER', 'POLLUTION_SOURCE']));
  });

  test('the public sees the stations of the registries open to it; any agency of the zone sees all three districts', async () => {
    const pub = await t.gql(LIST, { first: 500 });
    // Air stations (211001/0005) and surface-water sections (211002/0004) are open to the public; pollution-source outlets (211004/0004) are not.
    const [{ open }] = await t.db.ds.query(`SELECT count(*)::int AS open FROM monitoring_station WHERE kind IN ('AIR', 'SURFACE_WATER')`);
    expect(pub.body.data.monitoringStations.totalCount).toBe(open);
    expect(new Set(pub.body.data.monitoringStations.edges.map((e: any) => e.node.kind))).toEqual(new Set(['AIR', 'SURFACE_WATER']));
    // The station registries are shared unconditionally: a Wujiang agency without dossier roles still reads Qingpu's and Jiashan's stations.
    const all = await t.gql(LIST, { first: 500 }, { token: catalogReader });
    expect(all.body.data.monitoringStations.totalCount).toBe(demo.stations + fixtureStations);
    expect(new Set(all.body.data.monitoringStations.edges.map((e: any) => e.node.ownerJurisdiction))).toEqual(new Set(['QINGPU', 'WUJIANG', 'JIASHAN']));
  });

  test('filters: a province stands for its district; kind and waterbody narrow', async () => {
    const [{ n }] = await t.db.ds.query(`SELECT count(*)::int AS n FROM monitoring_station WHERE owner_jurisdiction = 'WUJIANG'`);
    const js = await t.gql(LIST, { first: 500, filter: { jurisdiction: 'JIANGSU' } }, { token: catalogReader });
    expect(js.body.data.monitoringStations.totalCount).toBe(n);
    const lakes = await t.gql(LIST, { first: 500, filter: { kind: 'SURFACE_WATER', waterbody: 'LAKE_RESERVOIR' } }, { token: catalogReader });
    const [{ m }] = await t.db.ds.query(`SELECT count(*)::int AS m FROM monitoring_station WHERE waterbody = 'LAKE_RESERVOIR'`);
    expect(lakes.body.data.monitoringStations.totalCount).toBe(m);
    expect(lakes.body.data.monitoringStations.edges.every((e: any) => e.node.kind === 'SURFACE_WATER')).toBe(true);
  });

  test('lookup by code: the row, null when unknown, FORBIDDEN (with the resource) where the registry is closed', async () => {
    const q = `query($code: String!) { monitoringStation(code: $code) { code kind waterbody targetClass catalogResourceCode } }`;
    const ok = await t.gql(q, { code: 'T-W-RIVER' }, { token: catalogReader });
    expect(ok.body.data.monitoringStation).toEqual({ code: 'T-W-RIVER', kind: 'SURFACE_WATER', waterbody: 'RIVER', targetClass: 'III', catalogResourceCode: '211002/0001' });
    const none = await t.gql(q, { code: 'NOPE' }, { token: catalogReader });
    expect(none.body.errors).toBeUndefined();
    expect(none.body.data.monitoringStation).toBeNull();
    expect((await t.gql(q, { code: 'T-W-RIVER' })).body.data.monitoringStation.code).toBe('T-W-RIVER');
    const pub = await t.gql(q, { code: 'T-P-01' });
    expect(firstError(pub).extensions).toMatchObject({ code: 'FORBIDDEN', recordType: 'MONITORING', catalogCode: '211004/0004', ownerJurisdiction: 'WUJIANG', rule: 'public.notOpen' });
  });

  test('an outlet\'s observations are conditional (ENFORCEMENT): another district reads them through its agency\'s grant, with the role of the grant\'s purpose', async () => {
    const [outlet] = await t.db.ds.query(`SELECT s.code, count(o.*)::int AS n FROM monitoring_station s JOIN observation o ON o.station_id = s.id
      WHERE s.catalog_resource_code = '211004/0001' AND s.owner_jurisdiction <> 'WUJIANG' GROUP BY s.code ORDER BY s.code LIMIT 1`);
    const q = `query($code: String!) { monitoringStation(code: $code) { code observations(first: 500) { totalCount edges { node { value } } } } }`;
    const plain = await t.gql(q, { code: outlet.code }, { token: catalogReader });
    expect(plain.body.data.monitoringStation.observations).toEqual({ totalCount: 0, edges: [] });
    // WUJIANG-EEB holds the framework grant for ENFORCEMENT (the standing arrangement, issue 12); a catalog reader lacks its role.
    expect(plain.body.extensions.policy.withheld).toEqual([{
      field: 'MonitoringStation.observations', catalogCode: '211004/0001', ownerJurisdictions: [expect.stringMatching(/QINGPU|JIASHAN/)],
      rule: 'sharing.grant.role', allowedPurposes: ['EMERGENCY'], requiredRoles: ['ENFORCEMENT'], applyFor: '211004/0001',
    }]);
    const purposeOnly = await t.gql(q, { code: outlet.code }, { token: await t.token('WUJIANG', ['ENFORCEMENT'], { org: 'WUJIANG-JET' }), purpose: 'ENFORCEMENT' });
    expect(purposeOnly.body.data.monitoringStation.observations.totalCount).toBe(0); // an agency without a grant: the purpose alone opens nothing
    expect(purposeOnly.body.extensions.policy.withheld[0]).toMatchObject({ rule: 'sharing.conditional', applyFor: '211004/0001' });
    const enforcer = await t.gql(q, { code: outlet.code }, { token: await t.token('WUJIANG', ['ENFORCEMENT']) });
    expect(enforcer.body.data.monitoringStation.observations.totalCount).toBe(outlet.n);
    expect(enforcer.body.extensions?.policy).toBeUndefined();
    // The observations read through the grant are audited with it.
    const [grant] = await t.db.ds.query(`SELECT id FROM sharing_application WHERE applicant_org = 'WUJIANG-EEB' AND resource_code = '211004/0001' AND status = 'ACTIVE'`);
    const [audit] = await t.db.ds.query(`SELECT grant_id FROM audit_event WHERE org = 'WUJIANG-EEB' AND resource_type = 'OBSERVATION' AND $1 = ANY(record_keys) ORDER BY id DESC LIMIT 1`, [outlet.code]);
    expect(audit.grant_id).toBe(grant.id);
  });

  test('a pollution-source outlet shows its enterprise only to a caller the dossier policy lets see it', async () => {
    const q = `{ monitoringStation(code: "T-P-01") { code enterprise { uscc } } }`;
    const zone = await t.gql(q, {}, { token: zoneReader });
    expect(zone.body.data.monitoringStation).toEqual({ code: 'T-P-01', enterprise: { uscc: USCC } });
    const plain = await t.gql(q, {}, { token: catalogReader });
    expect(plain.body.data.monitoringStation).toEqual({ code: 'T-P-01', enterprise: null });
  });

  test('observations: newest first, keyset pages walk the series once, filters apply', async () => {
    const q = `query($after: String, $parameter: String, $from: DateTime, $to: DateTime) { monitoringStation(code: "T-W-RIVER") {
      observations(first: 5, after: $after, parameter: $parameter, from: $from, to: $to) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { parameter observedAt value flag interval } } } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    for (let i = 0; i < 10; i++) {
      const r: GqlResponse = await t.gql(q, { after }, { token: catalogReader });
      expect(r.body.errors).toBeUndefined();
      const c = r.body.data.monitoringStation.observations;
      total = c.totalCount;
      seen.push(...c.edges.map((e: any) => `${e.node.observedAt}|${e.node.parameter}`));
      after = c.pageInfo.hasNextPage ? c.pageInfo.endCursor : null;
      if (!after) break;
    }
    expect(total).toBe(16);
    expect(seen).toHaveLength(16);
    expect(new Set(seen).size).toBe(16);
    expect([...seen].sort().reverse()).toEqual(seen);
    const nh3 = await t.gql(q, { parameter: 'w21003', from: '2026-06-01T16:00:00Z', to: '2026-06-02T23:59:59Z' }, { token: catalogReader });
    const c = nh3.body.data.monitoringStation.observations;
    expect(c.totalCount).toBe(3);
    expect(c.edges.map((e: any) => [e.node.observedAt, e.node.value, e.node.flag])).toEqual([
      ['2026-06-02T16:00:00.000Z', '0.5', 'C'], ['2026-06-01T20:00:00.000Z', '1.8', 'N'], ['2026-06-01T16:00:00.000Z', '1.6', 'N'],
    ]);
    const bad = await t.gql(q, { parameter: 'w21003; drop' }, { token: catalogReader });
    expect(firstError(bad).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'monitoringStation.observations.parameter' });
  });

  test('a station list with observations costs the same statements for 2 and 20 stations', async () => {
    const q = `query($first: Int) { monitoringStations(first: $first) { edges { node { code observations(first: 5) { edges { node { parameter value } } } } } } }`;
    const two = await t.gql(q, { first: 2 }, { token: catalogReader });
    const twenty = await t.gql(q, { first: 20 }, { token: catalogReader });
    expect(two.body.errors).toBeUndefined();
    expect(twenty.body.data.monitoringStations.edges).toHaveLength(20);
    // A Wujiang catalog reader reads the observations of every station but other districts' outlets (conditional).
    const readable = twenty.body.data.monitoringStations.edges.map((e: any) => e.node.code).filter((c: string) => !/^P-(QP|JS)-/.test(c));
    const withData = twenty.body.data.monitoringStations.edges.filter((e: any) => e.node.observations.edges.length > 0).map((e: any) => e.node.code);
    expect(withData.length).toBeGreaterThanOrEqual(readable.length - 2);
    for (const code of withData) expect(readable).toContain(code);
    // The station page, one batch of observations for all stations, and the audit insert.
    expect(two.statements).toBe(3);
    expect(twenty.statements).toBe(two.statements);
  });
});
