import path from 'node:path';
import request from 'supertest';
import { buildPacket } from '../../src/domain/standards/hj212';
import { Jurisdiction } from '../../src/domain/jurisdictions';
import { loadCatalogFiles } from '../../src/modules/catalog/catalog-files';
import { registerDevice } from '../../src/modules/ingest';
import { createLogger } from '../../src/logger';
import { AlertService, bundledWarningRules, startAlertJob, bundledWarningRulesJson, evaluateStoredData, parseWarningRules, WarningRulesError } from '../../src/modules/warning';
import { startTestHub, TestHub } from '../support/hub';

/**
 * Early warning (issue 17, items 1, 2, 7, 8): the demo data's alerts, an antimony warning walked
 * from an HJ 212 packet to the districts it reaches, the lifecycle and who may act on it, the
 * pollution-source verification, escalation, the metrics, and rules files that are refused.
 */
let t: TestHub;
const MN = 'ECOHUBTESTSBWWJ030000001';
const PW = 'sb0001';
beforeAll(async () => {
  t = await startTestHub('demo');
  await registerDevice(t.db.ds, 'W-WJ-03', MN, PW);
});
afterAll(() => t.close());

const LIST = `query($f: AlertFilter) { alerts(filter: $f, first: 100) { totalCount edges { node {
  id kind level status stationCode ownerJurisdiction reaches catalogResourceCode parameter period raisedAt dueAt escalatedAt
  values { parameter periodStart value unit threshold waterClass flags } } } } }`;

async function alertsAs(jurisdiction: Jurisdiction | null, roles: string[], filter: Record<string, unknown> = {}, purpose?: string) {
  const token = jurisdiction ? await t.token(jurisdiction, roles) : undefined;
  const res = await t.gql(LIST, { f: filter }, { token, purpose });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.alerts as { totalCount: number; edges: Array<{ node: Record<string, any> }> };
}

/** A DataTime an hour before now, in China Standard Time (the loggers' clock). */
function lastHourDataTime(): string {
  const d = new Date(Date.now() + 8 * 3_600_000 - 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}0000`;
}

function antimonyPacket(value: string, dataTime = lastHourDataTime(), mn = MN): string {
  return buildPacket({ qn: `${dataTime}000`, st: '21', cn: '2061', pw: PW, mn, flag: 4, cp: `DataTime=${dataTime};w20141-Avg=${value},w20141-Flag=N` });
}

describe('the alerts the rules raise on the demo data', () => {
  test('counts by kind and level; a second evaluation of the same data raises nothing', async () => {
    const rows: Array<{ kind: string; level: string; n: number }> = await t.db.ds.query(
      'SELECT kind, level, count(*)::int AS n FROM alert GROUP BY kind, level ORDER BY kind, level');
    process.stdout.write(`\nAlerts raised on the demo data (60 days): ${JSON.stringify(rows)}\n`);
    const byKind = (k: string) => rows.filter((r) => r.kind === k).reduce((n, r) => n + r.n, 0);
    // The lakes' TP keeps them worse than their class III target; the dyeing outlet's COD upset of 2026-10-14.
    expect(byKind('SECTION_CLASS')).toBeGreaterThan(0);
    expect(byKind('SOURCE_EXCEEDANCE')).toBeGreaterThan(0);
    const upset = await t.db.ds.query(
      `SELECT level, first_period_start FROM alert WHERE kind = 'SOURCE_EXCEEDANCE' AND station_code = 'P-WJ-01' AND parameter = 'w01018'`);
    expect(upset.length).toBe(1);
    expect(new Date(upset[0].first_period_start).toISOString()).toBe('2026-10-14T02:00:00.000Z'); // 10:00 China Standard Time
    const again = await evaluateStoredData(t.db.ds);
    expect(again.raised).toBe(0);
    expect(again.changed).toBe(0);
    const [{ n }] = await t.db.ds.query('SELECT count(*)::int AS n FROM alert');
    expect(n).toBe(rows.reduce((s, r) => s + r.n, 0));
  });

  test('every alert is filed under a served catalog resource that serves alerts', async () => {
    const { catalog } = loadCatalogFiles(path.resolve(__dirname, '../../catalog'));
    const serving = new Set(catalog!.resources.filter((r) => r.status === 'SERVED' && (r.serves ?? []).some((b) => b.data === 'ALERTS')).map((r) => r.code));
    const rules = bundledWarningRules();
    for (const code of [...rules.sections.map((g) => g.catalogResource), rules.otherSections.catalogResource, rules.sources.catalogResource]) expect(serving).toContain(code);
    const used: Array<{ code: string }> = await t.db.ds.query('SELECT DISTINCT catalog_resource_code AS code FROM alert');
    for (const u of used) expect(serving).toContain(u.code);
  });
});

describe('an antimony warning on the Taipu River, from an HJ 212 packet to the districts downstream', () => {
  let alertId: string;
  const published: Array<Record<string, unknown>> = [];

  test('the packet is stored and raises an ORANGE alert at once, published on eco_hub_alerts', async () => {
    const off = t.hub.events.subscribe('eco_hub_alerts', (p) => published.push(p));
    await t.hub.events.ready();
    const res = await request(t.hub.app).post('/ingest/hj212').set('content-type', 'text/plain').set('accept', 'application/json').send(antimonyPacket('0.0082'));
    expect(res.status).toBe(200);
    expect(res.body.stored).toBe(1);
    expect(res.body.results[0].unknownParameters).toEqual([]);
    const [a] = await t.db.ds.query(`SELECT * FROM alert WHERE station_code = 'W-WJ-03' AND kind = 'WATCHED_THRESHOLD' AND parameter = 'w20141'`);
    expect(a).toMatchObject({ level: 'ORANGE', status: 'OPEN', owner_jurisdiction: 'WUJIANG', audience: ['QINGPU'], catalog_resource_code: '211003/0002' });
    alertId = a.id;
    for (let i = 0; i < 50 && !published.some((p) => p.id === alertId); i++) await new Promise((r) => setTimeout(r, 20));
    off();
    expect(published.find((p) => p.id === alertId)).toMatchObject({ change: 'RAISED', kind: 'WATCHED_THRESHOLD', level: 'ORANGE', stationCode: 'W-WJ-03', ownerJurisdiction: 'WUJIANG' });
    // Small payloads: keys, never the values.
    expect(JSON.stringify(published[0]).length).toBeLessThan(400);
  });

  test('the same packet again changes nothing; a higher value raises the level of the same episode', async () => {
    const post = (body: string) => request(t.hub.app).post('/ingest/hj212').set('content-type', 'text/plain').send(body);
    await post(antimonyPacket('0.0082'));
    expect(await t.db.ds.query(`SELECT count(*)::int AS n FROM alert WHERE station_code = 'W-WJ-03' AND parameter = 'w20141' AND kind = 'WATCHED_THRESHOLD'`)).toEqual([{ n: 1 }]);
    await post(antimonyPacket('0.0125'));
    const rows = await t.db.ds.query(`SELECT id, level FROM alert WHERE station_code = 'W-WJ-03' AND parameter = 'w20141' AND kind = 'WATCHED_THRESHOLD'`);
    expect(rows).toEqual([{ id: alertId, level: 'RED' }]);
  });

  test('readable by the owner, the district downstream and ZONE; not by another district, its province, the credit platform or the public', async () => {
    const mine = (list: { edges: Array<{ node: Record<string, any> }> }) => list.edges.filter((e) => e.node.id === alertId);
    const qingpu = mine(await alertsAs(Jurisdiction.QINGPU, ['CATALOG_READER'], { stationCode: 'W-WJ-03' }));
    expect(qingpu).toHaveLength(1);
    expect(qingpu[0].node).toMatchObject({ kind: 'WATCHED_THRESHOLD', level: 'RED', status: 'OPEN', reaches: ['QINGPU'], parameter: 'w20141', period: 'HOUR', dueAt: null });
    expect(qingpu[0].node.values[0]).toMatchObject({ parameter: 'w20141', value: '0.0125', unit: 'mg/L', threshold: '0.01' });
    expect(mine(await alertsAs(Jurisdiction.ZONE, ['CATALOG_READER']))).toHaveLength(1);
    expect(mine(await alertsAs(Jurisdiction.WUJIANG, ['CATALOG_READER']))).toHaveLength(1);
    expect(mine(await alertsAs(Jurisdiction.SHANGHAI, ['CATALOG_READER']))).toHaveLength(1); // Qingpu's province
    expect(mine(await alertsAs(Jurisdiction.JIANGSU, ['CATALOG_READER']))).toHaveLength(1); // Wujiang's province
    const jiashan = await alertsAs(Jurisdiction.JIASHAN, ['CATALOG_READER', 'ENFORCEMENT'], { stationCode: 'W-WJ-03' }, 'EMERGENCY');
    expect(jiashan.totalCount).toBe(0);
    expect((await alertsAs(Jurisdiction.ZHEJIANG, ['CATALOG_READER'], { stationCode: 'W-WJ-03' })).totalCount).toBe(0);
    expect((await alertsAs(Jurisdiction.CREDIT_YRD, ['CREDIT_FEED'])).totalCount).toBe(0);
    expect((await alertsAs(null, [])).totalCount).toBe(0);
  });

  test('a district downstream reads but may not act; another district may not even see it; nothing changes', async () => {
    const ack = `mutation($id: ID!) { acknowledgeAlert(id: $id, note: "seen") { id status } }`;
    const qp = await t.gql(ack, { id: alertId }, { token: await t.token(Jurisdiction.QINGPU, ['ENFORCEMENT']) });
    expect(qp.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'alert.ownerOnly' });
    const js = await t.gql(ack, { id: alertId }, { token: await t.token(Jurisdiction.JIASHAN, ['ENFORCEMENT']) });
    expect(js.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'alert.notAddressed' });
    const reader = await t.gql(ack, { id: alertId }, { token: await t.token(Jurisdiction.WUJIANG, ['CATALOG_READER']) });
    expect(reader.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'role.required' });
    const unknown = await t.gql(ack, { id: '00000000-0000-4000-8000-000000000000' }, { token: await t.token(Jurisdiction.WUJIANG, ['ENFORCEMENT']) });
    expect(unknown.body.errors[0].extensions.code).toBe('NOT_FOUND');
    const bad = await t.gql(ack, { id: 'not-a-uuid' }, { token: await t.token(Jurisdiction.WUJIANG, ['ENFORCEMENT']) });
    expect(bad.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(await t.db.ds.query('SELECT status, acknowledged_at FROM alert WHERE id = $1', [alertId])).toEqual([{ status: 'OPEN', acknowledged_at: null }]);
  });

  test('the owner acknowledges, then resolves; wrong transitions are CONFLICT; each change is published', async () => {
    const published: Array<Record<string, unknown>> = [];
    const off = t.hub.events.subscribe('eco_hub_alerts', (p) => published.push(p));
    const token = await t.token(Jurisdiction.WUJIANG, ['ENFORCEMENT']);
    const early = await t.gql(`mutation($id: ID!) { resolveAlert(id: $id, input: { note: "x" }) { status } }`, { id: alertId }, { token });
    expect(early.body.errors[0].extensions).toMatchObject({ code: 'CONFLICT', rule: 'alert.transition' });
    const ack = await t.gql(`mutation($id: ID!) { acknowledgeAlert(id: $id, note: "sampling crew sent") { status acknowledgedBy acknowledgedAt } }`, { id: alertId }, { token });
    expect(ack.body.data.acknowledgeAlert).toMatchObject({ status: 'ACKNOWLEDGED', acknowledgedBy: 'test-wujiang (WUJIANG)' });
    const twice = await t.gql(`mutation($id: ID!) { acknowledgeAlert(id: $id) { status } }`, { id: alertId }, { token });
    expect(twice.body.errors[0].extensions.code).toBe('CONFLICT');
    const done = await t.gql(`mutation($id: ID!) { resolveAlert(id: $id, input: { result: CONFIRMED, note: "upstream discharge stopped" }) { status verificationResult resolvedBy } }`, { id: alertId }, { token });
    expect(done.body.data.resolveAlert).toEqual({ status: 'RESOLVED', verificationResult: 'CONFIRMED', resolvedBy: 'test-wujiang (WUJIANG)' });
    for (let i = 0; i < 50 && published.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    off();
    expect(published.filter((p) => p.id === alertId).map((p) => p.change)).toEqual(['ACKNOWLEDGED', 'RESOLVED']);
    // The resolved hour is not raised again by the same packet.
    await request(t.hub.app).post('/ingest/hj212').set('content-type', 'text/plain').send(antimonyPacket('0.0125'));
    expect(await t.db.ds.query(`SELECT status FROM alert WHERE station_code = 'W-WJ-03' AND parameter = 'w20141' AND kind = 'WATCHED_THRESHOLD'`)).toEqual([{ status: 'RESOLVED' }]);
  });
});

describe('a batch upload', () => {
  test('three hourly packets in one body, each below the thresholds but rising: one RISING_TREND alert reaching both districts downstream', async () => {
    const mn = 'ECOHUBTESTSBWWJ010000001';
    await registerDevice(t.db.ds, 'W-WJ-01', mn, PW);
    const hour = (back: number) => {
      const d = new Date(Date.now() + 8 * 3_600_000 - back * 3_600_000);
      const p = (n: number) => String(n).padStart(2, '0');
      return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}0000`;
    };
    const body = [antimonyPacket('0.0011', hour(3), mn), antimonyPacket('0.0019', hour(2), mn), antimonyPacket('0.0031', hour(1), mn)].join('');
    const res = await request(t.hub.app).post('/ingest/hj212').set('content-type', 'text/plain').set('accept', 'application/json').send(body);
    expect(res.body).toMatchObject({ packets: 3, stored: 3, observations: 3 });
    const rows = await t.db.ds.query(`SELECT kind, level, audience, "values" FROM alert WHERE station_code = 'W-WJ-01' AND parameter = 'w20141'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'RISING_TREND', level: 'BLUE', audience: ['QINGPU', 'JIASHAN'] });
    expect(rows[0].values.map((v: { value: string }) => v.value)).toEqual(['0.0011', '0.0019', '0.0031']);
    const jiashan = await alertsAs(Jurisdiction.JIASHAN, ['CATALOG_READER'], { stationCode: 'W-WJ-01', kinds: ['RISING_TREND'] });
    expect(jiashan.totalCount).toBe(1);
  });
});

describe('pollution-source alerts: deadline, escalation, verification', () => {
  test('the dyeing outlet\'s exceedance carries Jiangsu\'s key-unit deadline; escalated when overdue; closed only with a verification result', async () => {
    const [a] = await t.db.ds.query(`SELECT id, level, raised_at, due_at FROM alert WHERE station_code = 'P-WJ-01' AND kind = 'SOURCE_EXCEEDANCE' AND parameter = 'w01018'`);
    expect(new Date(a.due_at).getTime() - new Date(a.raised_at).getTime()).toBe(4 * 3_600_000);
    const service = new AlertService(t.db.ds, bundledWarningRules());
    await service.escalateOverdue(new Date(new Date(a.due_at).getTime() - 1000)); // others raised earlier may be due already
    expect(await t.db.ds.query('SELECT escalated_at FROM alert WHERE id = $1', [a.id])).toEqual([{ escalated_at: null }]);
    // Four hours pass without a verification.
    await t.db.ds.query(`UPDATE alert SET due_at = now() - interval '1 minute' WHERE id = $1`, [a.id]);
    expect(await service.escalateOverdue()).toBeGreaterThan(0);
    const [after] = await t.db.ds.query('SELECT level, escalated_at FROM alert WHERE id = $1', [a.id]);
    const order = ['BLUE', 'YELLOW', 'ORANGE', 'RED'];
    expect(order.indexOf(after.level)).toBe(Math.min(order.indexOf(a.level) + 1, 3));
    expect(after.escalated_at).not.toBeNull();
    await service.escalateOverdue(new Date(Date.now() + 3_600_000)); // escalated once only
    expect(await t.db.ds.query('SELECT level FROM alert WHERE id = $1', [a.id])).toEqual([{ level: after.level }]);
    expect((await request(t.hub.app).get('/metrics')).text).toMatch(/hub_alerts_overdue\{kind="SOURCE_EXCEEDANCE"\} [1-9]/);

    // Conditional data: Wujiang's enforcement reads it; another district is not addressed.
    const token = await t.token(Jurisdiction.WUJIANG, ['ENFORCEMENT']);
    const overdue = await alertsAs(Jurisdiction.WUJIANG, ['ENFORCEMENT'], { kinds: ['SOURCE_EXCEEDANCE'], overdue: true });
    expect(overdue.edges.map((e) => e.node.id)).toContain(a.id);
    expect((await alertsAs(Jurisdiction.QINGPU, ['ENFORCEMENT'], { stationCode: 'P-WJ-01' }, 'ENFORCEMENT')).totalCount).toBe(0);
    await t.gql(`mutation($id: ID!) { acknowledgeAlert(id: $id) { status } }`, { id: a.id }, { token });
    const noResult = await t.gql(`mutation($id: ID!) { resolveAlert(id: $id, input: { note: "checked" }) { status } }`, { id: a.id }, { token });
    expect(noResult.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.result', rule: 'alert.verificationRequired' });
    expect(await t.db.ds.query('SELECT status FROM alert WHERE id = $1', [a.id])).toEqual([{ status: 'ACKNOWLEDGED' }]);
    const ok = await t.gql(`mutation($id: ID!) { resolveAlert(id: $id, input: { result: INSTRUMENT_FAULT, note: "COD analyser drifted" }) { status verificationResult } }`, { id: a.id }, { token });
    expect(ok.body.data.resolveAlert).toEqual({ status: 'RESOLVED', verificationResult: 'INSTRUMENT_FAULT' });
  });
});

describe('the scheduled pass', () => {
  test('runs the rules over the lookback window and escalation; reports its last success; a second pass raises nothing', async () => {
    const successes: Date[] = [];
    const job = startAlertJob(t.hub.services.alerts, { intervalSeconds: 0, lookbackHours: 48, log: createLogger(t.config), onSuccess: (at) => successes.push(at) });
    expect(job.lastSuccess()).toBeNull();
    const first = await job.runNow();
    expect(first.stations).toBe(30);
    const second = await job.runNow();
    expect(second.raised).toBe(0);
    expect(successes).toHaveLength(2);
    expect(job.lastSuccess()).toEqual(successes[1]);
    await job.stop();
  });
});

describe('metrics', () => {
  test('HJ 212 packets by outcome and reason under their own route; alerts raised; lag; overdue', async () => {
    await request(t.hub.app).post('/ingest/hj212').set('content-type', 'text/plain').send(antimonyPacket('0.001').replace(/[0-9A-F]{4}\r\n$/, '0000\r\n'));
    const text = (await request(t.hub.app).get('/metrics')).text;
    expect(text).toMatch(/hub_hj212_packets_total\{transport="http",outcome="stored",reason="none"\} [1-9]/);
    expect(text).toMatch(/hub_hj212_packets_total\{transport="http",outcome="rejected",reason="crc_error"\} 1/);
    expect(text).toMatch(/hub_http_requests_total\{method="POST",route="\/ingest\/hj212",status="200"\}/);
    expect(text).toMatch(/hub_alerts_raised_total\{kind="WATCHED_THRESHOLD",level="ORANGE"\} 1/);
    expect(text).toMatch(/hub_alert_evaluation_lag_seconds \d/);
    expect(text).toMatch(/# TYPE hub_alerts_overdue gauge/);
  });
});

describe('warning rules that are wrong are refused as a whole, with typed errors', () => {
  const problemsOf = (edit: (raw: any) => void) => {
    const raw = bundledWarningRulesJson() as any;
    edit(raw);
    try {
      parseWarningRules(raw);
    } catch (err) {
      expect(err).toBeInstanceOf(WarningRulesError);
      expect((err as WarningRulesError).extensions.code).toBe('BAD_USER_INPUT');
      return (err as WarningRulesError).problems;
    }
    throw new Error('the rules were accepted');
  };

  test.each([
    ['a negative threshold', (r: any) => { r.sections[0].watch[0].thresholds[0].above = '-0.004'; }, 'sections[0].watch[0].thresholds[0].above', 'notDecimal'],
    ['an absurdly large threshold', (r: any) => { r.sections[0].watch[0].thresholds[3].above = '99999999'; }, 'sections[0].watch[0].thresholds[3].above', 'outOfRange'],
    ['thresholds that fall as the level rises', (r: any) => { r.sections[0].watch[0].thresholds[2].above = '0.003'; }, 'sections[0].watch[0].thresholds[2].above', 'outOfRange'],
    ['an unknown level', (r: any) => { r.sections[0].watch[0].thresholds[0].level = 'PURPLE'; }, 'sections[0].watch[0].thresholds[0].level', 'unknownLevel'],
    ['a target class that does not exist', (r: any) => { r.sections[0].targetClass = 'VI'; }, 'sections[0].targetClass', 'unknownTargetClass'],
    ['a province without verification deadlines', (r: any) => { delete r.sources.verificationHours.ZHEJIANG; }, 'sources.verificationHours.ZHEJIANG', 'required'],
    ['a limit whose min is above its max', (r: any) => { r.sources.outlets[0].limits[2].hourly = { min: '9', max: '6' }; }, 'sources.outlets[0].limits[2].hourly', 'outOfRange'],
    ['a station in two groups', (r: any) => { r.sections[1].stations.push('W-WJ-01'); }, 'sections[1].stations[1]', 'duplicateStation'],
    ['a district that does not exist downstream', (r: any) => { r.sections[0].downstream.push('SUZHOU'); }, 'sections[0].downstream[2]', 'unknownDistrict'],
  ])('%s', (_name, edit, field, rule) => {
    expect(problemsOf(edit)).toContainEqual(expect.objectContaining({ field, rule }));
  });

  test('several problems are reported together; the bundled rules pass', () => {
    const problems = problemsOf((r) => {
      r.sections[0].targetClass = 'VI';
      r.sources.dataGap.minHours = 0;
    });
    expect(problems.map((p) => p.rule).sort()).toEqual(['outOfRange', 'unknownTargetClass']);
    expect(() => bundledWarningRules()).not.toThrow();
  });
});
