import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config';
import { Jurisdiction } from '../../src/domain/jurisdictions';
import { expirePositiveList, POSITIVE_LIST_EXPIRY_ACTOR, POSITIVE_LIST_EXPIRY_LOCK, startPositiveListExpiryJob } from '../../src/modules/enforcement/positive-list-expiry.job';
import { createLogger } from '../../src/logger';
import { Made, newEnterprise, newInspection } from '../support/factories';
import { startTestHub, TestHub, testConfig } from '../support/hub';

/*
 * The rest of issue 14, through HTTP on a clone of the empty template (counts are exact):
 * inspections PLANNED | TRIGGERED and ONSITE | OFFSITE with the flag for an untriggered on-site
 * visit of a listed firm; removal from the positive list by an incident (a confirmed
 * pollution-source alert); a NO_PENALTY_MINOR decision that the minor-violation rules must allow;
 * and the expiry of entries past validUntil by the scheduled job, on a fixed clock.
 */

let t: TestHub;
let wj: string; // Wujiang enforcement officer
let qp: string; // Qingpu enforcement officer
let zone: string; // ZONE supervision
let steward: string; // Wujiang data steward (sends inspections)

const PROPOSE = `mutation($i: ProposePositiveListInput!) { proposePositiveListEntry(input: $i) { entryNo status } }`;
const MOVE_ENTRY = `mutation($n: String!, $to: PositiveListStatus!, $on: String!) { movePositiveListEntry(entryNo: $n, to: $to, on: $on) { entryNo status includedOn validUntil } }`;
const ENTRY = `query($n: String!) { positiveListEntry(entryNo: $n) { entryNo status removedOn removalCause removalTrigger removalReason validUntil } }`;

async function ok(query: string, variables: Record<string, unknown>, token: string) {
  const r = await t.gql(query, variables, { token });
  expect(r.body.errors).toBeUndefined();
  return r.body.data;
}

/** A firm of Wujiang with an ACTIVE positive-list entry from `activeOn`. */
async function listedFirm(entryNo: string, activeOn: string): Promise<Made> {
  const firm = await newEnterprise(t.db.ds, { jurisdiction: Jurisdiction.WUJIANG });
  await ok(PROPOSE, { i: { entryNo, uscc: firm.uscc, basis: '连续两年无处罚，在线监控稳定达标', creditScheme: 'JIANGSU_5', creditLevel: 'GREEN', onlineMonitoring: 'CONNECTED', complianceRate: '99.2', category: 'TEXTILE_DYEING', on: '2026-08-01' } }, wj);
  await ok(MOVE_ENTRY, { n: entryNo, to: 'PUBLICISED', on: '2026-08-05' }, wj);
  await ok(MOVE_ENTRY, { n: entryNo, to: 'ACTIVE', on: activeOn }, wj);
  return firm;
}

async function counts() {
  const [row] = await t.db.ds.query(`SELECT (SELECT count(*) FROM inspection)::int AS inspections, (SELECT count(*) FROM enforcement_case)::int AS cases,
    (SELECT count(*) FROM penalty)::int AS penalties, (SELECT count(*) FROM change_log)::int AS changes,
    (SELECT string_agg(entry_no || ':' || status, ',' ORDER BY entry_no) FROM positive_list_entry) AS entries,
    (SELECT string_agg(case_no || ':' || state || ':' || source_as_of::text, ',' ORDER BY case_no) FROM enforcement_case) AS states`);
  return row;
}

/** A refusal naming the field and the rule, and nothing written. */
async function refused(query: string, variables: Record<string, unknown>, token: string, field: string, rule?: string) {
  const before = await counts();
  const r = await t.gql(query, variables, { token });
  expect(r.body.errors).toHaveLength(1);
  const ext = r.body.errors[0].extensions;
  expect(ext).toMatchObject({ code: 'BAD_USER_INPUT', ...(rule ? { rule } : {}) });
  // The writer reports every problem of a record (`problems`), the services the one they refuse on (`field`).
  expect(ext.field ? [ext.field] : ext.problems.map((p: { field: string }) => p.field)).toContain(field);
  expect(await counts()).toEqual(before);
  return r.body.errors[0];
}

beforeAll(async () => {
  t = await startTestHub('empty');
  wj = await t.token(Jurisdiction.WUJIANG, ['ENFORCEMENT', 'DOSSIER_READER'], { sub: 'wj-officer-chen' });
  qp = await t.token(Jurisdiction.QINGPU, ['ENFORCEMENT', 'DOSSIER_READER'], { sub: 'qp-officer-zhang' });
  zone = await t.token(Jurisdiction.ZONE, ['ENFORCEMENT', 'DOSSIER_READER'], { sub: 'zone-supervisor' });
  steward = await t.token(Jurisdiction.WUJIANG, ['DATA_STEWARD', 'DOSSIER_READER'], { sub: 'wj-steward' });
});
afterAll(() => t.close());

describe('inspections: planned or triggered, on-site or off-site, and the flag for an untriggered visit of a listed firm', () => {
  let listed: Made;
  const FIELDS = 'inspectionNo inspectedOn origin trigger triggerReference site untriggeredOnsiteOfListedFirm';
  const UPSERT = `mutation($i: InspectionInput!) { upsertInspection(input: $i) { status record { ${FIELDS} } } }`;
  const input = (o: Record<string, unknown>) => ({
    inspectionNo: 'JC-WJ-X', uscc: listed.uscc, inspectedOn: '2026-10-01', type: 'ROUTINE', leadAgency: '吴江区生态环境综合行政执法局', jointJurisdictions: [], steps: [],
    outcome: 'COMPLIANT', status: 'COMPLETED', sourceSystem: 'WJ-MOBILE', sourceRecordId: String(o.inspectionNo ?? 'JC-WJ-X'), asOf: '2026-10-20T10:00:00+08:00', ...o,
  });

  beforeAll(async () => {
    listed = await listedFirm('ZMQD-WJ-2026-101', '2026-09-10');
  });

  test('an ONSITE, PLANNED visit while the entry is ACTIVE is flagged; a triggered one, an off-site one and one before the listing are not', async () => {
    const flagged = (await ok(UPSERT, { i: input({ inspectionNo: 'JC-WJ-101', origin: 'PLANNED', site: 'ONSITE' }) }, steward)).upsertInspection.record;
    expect(flagged).toEqual({ inspectionNo: 'JC-WJ-101', inspectedOn: '2026-10-01', origin: 'PLANNED', trigger: null, triggerReference: null, site: 'ONSITE', untriggeredOnsiteOfListedFirm: true });
    const triggered = (await ok(UPSERT, { i: input({ inspectionNo: 'JC-WJ-102', type: 'COMPLAINT', origin: 'TRIGGERED', trigger: 'COMPLAINT', triggerReference: 'XF20261002017' }) }, steward)).upsertInspection.record;
    expect(triggered).toMatchObject({ origin: 'TRIGGERED', trigger: 'COMPLAINT', triggerReference: 'XF20261002017', site: 'ONSITE', untriggeredOnsiteOfListedFirm: false });
    const offsite = (await ok(UPSERT, { i: input({ inspectionNo: 'JC-WJ-103', site: 'OFFSITE' }) }, steward)).upsertInspection.record;
    expect(offsite).toMatchObject({ origin: 'PLANNED', site: 'OFFSITE', untriggeredOnsiteOfListedFirm: false });
    const before = (await ok(UPSERT, { i: input({ inspectionNo: 'JC-WJ-104', inspectedOn: '2026-09-09' }) }, steward)).upsertInspection.record;
    expect(before).toMatchObject({ origin: 'PLANNED', site: 'ONSITE', untriggeredOnsiteOfListedFirm: false });
    // A firm not on the list: a planned visit is just a visit.
    const plain = await newEnterprise(t.db.ds, { jurisdiction: Jurisdiction.WUJIANG });
    const visit = await newInspection(t.db.ds, plain, { inspectionNo: 'JC-WJ-105', inspectedOn: '2026-10-01', asOf: '2026-10-20T02:00:00Z' });
    expect(visit).toMatchObject({ origin: 'PLANNED', site: 'ONSITE' }); // the defaults of a source that sends neither
    expect((await ok(`{ inspection(inspectionNo: "JC-WJ-105") { untriggeredOnsiteOfListedFirm } }`, {}, wj)).inspection).toEqual({ untriggeredOnsiteOfListedFirm: false });
  });

  test('flaggedInspections lists the flagged visit for the owner district and for ZONE (and for who else the inspections\' terms let read it)', async () => {
    const LIST = `{ flaggedInspections { totalCount edges { node { inspectionNo ownerJurisdiction untriggeredOnsiteOfListedFirm } } } }`;
    const expected = { totalCount: 1, edges: [{ node: { inspectionNo: 'JC-WJ-101', ownerJurisdiction: 'WUJIANG', untriggeredOnsiteOfListedFirm: true } }] };
    expect((await ok(LIST, {}, wj)).flaggedInspections).toEqual(expected);
    expect((await t.gql(LIST, {}, { token: zone, purpose: 'ENFORCEMENT' })).body.data.flaggedInspections).toEqual(expected);
    // Without a token: the list is not public.
    const anonymous = await t.gql(LIST, {});
    expect(anonymous.body.data?.flaggedInspections?.totalCount ?? 0).toBe(0);
    // Filters narrow it like the inspections list.
    expect((await ok(`{ flaggedInspections(filter: { from: "2026-10-02" }) { totalCount } }`, {}, wj)).flaggedInspections.totalCount).toBe(0);
  });

  test('bad input: a trigger on a planned visit, a triggered one without trigger or reference, steps on an off-site one; nothing written', async () => {
    await refused(UPSERT, { i: input({ inspectionNo: 'JC-WJ-110', origin: 'TRIGGERED', triggerReference: 'YJ-1' }) }, steward, 'input.trigger');
    await refused(UPSERT, { i: input({ inspectionNo: 'JC-WJ-111', origin: 'TRIGGERED', trigger: 'ALERT' }) }, steward, 'input.triggerReference');
    await refused(UPSERT, { i: input({ inspectionNo: 'JC-WJ-112', origin: 'PLANNED', trigger: 'LEAD' }) }, steward, 'input.trigger');
    await refused(UPSERT, { i: input({ inspectionNo: 'JC-WJ-113', site: 'OFFSITE', status: 'IN_PROGRESS', steps: [{ step: 'CHECK_IN', at: '2026-10-01T09:00:00+08:00' }] }) }, steward, 'input.steps');
    const unknown = await t.gql(UPSERT, { i: input({ inspectionNo: 'JC-WJ-114', trigger: 'RUMOUR' }) }, { token: steward });
    expect(unknown.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(await t.db.ds.query(`SELECT count(*)::int AS n FROM inspection WHERE inspection_no LIKE 'JC-WJ-11%'`)).toEqual([{ n: 0 }]);
  });
});

describe('incident removal: a confirmed pollution-source alert at a listed firm removes it at once', () => {
  let firm: Made;
  let stationId: string;
  let episode = 0;

  /** An acknowledged alert at the firm's outlet, as the warning rules would have raised it. */
  async function acknowledgedAlert(kind: string, parameter: string): Promise<string> {
    const [{ id }] = await t.db.ds.query(
      `INSERT INTO alert (kind, level, level_rank, status, station_id, station_code, owner_jurisdiction, catalog_resource_code, parameter, period, episode_key,
         first_period_start, last_period_start, "values", message, rules_version, acknowledged_at, acknowledged_by)
       VALUES ($1, 'ORANGE', 2, 'ACKNOWLEDGED', $2, 'P-WJ-901', 'WUJIANG', '211003/0002', $3, 'HOUR', $4, now() - interval '2 hours', now() - interval '1 hour',
         '[]'::jsonb, 'test alert', 'TEST', now(), 'wj-officer-chen (WUJIANG)') RETURNING id`, [kind, stationId, parameter, `${kind}|P-WJ-901|${parameter}|${++episode}`]);
    return id;
  }
  const RESOLVE = `mutation($id: ID!, $r: VerificationResult!) { resolveAlert(id: $id, input: { result: $r, note: "现场核查" }) { status verificationResult } }`;

  beforeAll(async () => {
    firm = await listedFirm('ZMQD-WJ-2026-201', '2026-09-10');
    [{ id: stationId }] = await t.db.ds.query(
      `INSERT INTO monitoring_station (code, name, kind, owner_jurisdiction, enterprise_id, catalog_resource_code, source_system, source_record_id, source_as_of)
       VALUES ('P-WJ-901', '废水总排口', 'POLLUTION_SOURCE', 'WUJIANG', $1, '211004/0001', 'TEST', 'P-WJ-901', now()) RETURNING id`, [firm.enterpriseId]);
  });

  test('a false alarm, an instrument fault and a confirmed data gap are no incidents; a confirmed exceedance removes the entry with cause INCIDENT, through the change log', async () => {
    const changes = async () => (await t.db.ds.query(`SELECT count(*)::int AS n FROM change_log WHERE record_type = 'POSITIVE_LIST_ENTRY'`))[0].n;
    const before = await changes();
    expect((await ok(RESOLVE, { id: await acknowledgedAlert('SOURCE_EXCEEDANCE', 'w01018'), r: 'FALSE_ALARM' }, wj)).resolveAlert.status).toBe('RESOLVED');
    await ok(RESOLVE, { id: await acknowledgedAlert('SOURCE_EXCEEDANCE', 'w21003'), r: 'INSTRUMENT_FAULT' }, wj);
    await ok(RESOLVE, { id: await acknowledgedAlert('SOURCE_DATA_GAP', 'w00000'), r: 'CONFIRMED' }, wj);
    expect((await ok(ENTRY, { n: 'ZMQD-WJ-2026-201' }, wj)).positiveListEntry.status).toBe('ACTIVE');
    expect(await changes()).toBe(before);

    const incident = await acknowledgedAlert('SOURCE_EXCEEDANCE', 'w01018');
    expect((await ok(RESOLVE, { id: incident, r: 'CONFIRMED' }, wj)).resolveAlert).toEqual({ status: 'RESOLVED', verificationResult: 'CONFIRMED' });
    const entry = (await ok(ENTRY, { n: 'ZMQD-WJ-2026-201' }, wj)).positiveListEntry;
    const [{ today }] = await t.db.ds.query(`SELECT to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS today`);
    expect(entry).toMatchObject({ status: 'REMOVED', removalCause: 'INCIDENT', removalTrigger: incident, removedOn: today });
    expect(entry.removalReason).toContain(`alert ${incident}`);
    const log = await t.db.ds.query(`SELECT op, actor, payload->>'trigger' AS trigger, payload->>'alertId' AS alert FROM change_log WHERE record_type = 'POSITIVE_LIST_ENTRY' AND record_key = 'ZMQD-WJ-2026-201' ORDER BY seq DESC LIMIT 1`);
    expect(log).toEqual([{ op: 'REMOVED', actor: 'wj-officer-chen', trigger: 'INCIDENT', alert: incident }]);
    expect(await changes()).toBe(before + 1);
  });
});

describe('a NO_PENALTY_MINOR decision must be allowed by a minor-violation rule', () => {
  let firm: Made;
  const MOVE = `mutation($c: String!, $i: MoveCaseInput!) { moveEnforcementCase(caseNo: $c, input: $i) { caseNo state decisionKind minorRuleId firstOffence educationNote discretionWorking penaltyDecisionNo fineAmount } }`;
  const facts = (o: Record<string, unknown> = {}) => ({
    conduct: 'HW_LABEL_MISSING', discoveredAt: '2026-10-08T10:00:00+08:00', correctedAt: '2026-10-08T16:30:00+08:00', harm: 'MINOR', ...o,
  });
  const decision = (o: Record<string, unknown> = {}) => ({ to: 'DECIDED', on: '2026-10-25', decision: { kind: 'NO_PENALTY_MINOR', educationNote: '现场讲解危险废物识别标志设置要求，企业当日整改', minorFacts: facts(), ...o } });

  async function caseUnderReview(caseNo: string, uscc: string, endedOn = '2026-10-08'): Promise<void> {
    const day = (n: number) => new Date(Date.parse(`${endedOn}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
    await ok(`mutation($i: OpenCaseInput!) { openEnforcementCase(input: $i) { caseNo } }`, { i: {
      caseNo, uscc, partyName: '吴江测试企业', summary: '危废仓库未设置识别标志', leadReceivedOn: day(1), violationCode: 'SOLID_WASTE_LAW_112_HW', violationEndedOn: endedOn,
    } }, wj);
    for (const [to, on] of [['PRELIM_REVIEW', day(2)], ['FILED', day(3)], ['INVESTIGATING', day(4)], ['CASE_REVIEW', day(5)]]) {
      await ok(MOVE, { c: caseNo, i: { to, on } }, wj);
    }
  }

  beforeAll(async () => {
    firm = await newEnterprise(t.db.ds, { jurisdiction: Jurisdiction.WUJIANG });
  });

  test('refused, naming the rule, when no rule applies (corrected the next day), when facts are missing, or without the facts; nothing written', async () => {
    await caseUnderReview('WJ-2026-MINOR-1', firm.uscc);
    const err = await refused(MOVE, { c: 'WJ-2026-MINOR-1', i: decision({ minorFacts: facts({ correctedAt: '2026-10-09T09:00:00+08:00' }) }) }, wj, 'input.decision.kind', 'MINOR_VIOLATION_RULE_NOT_MET');
    expect(err.extensions.outcome).toBe('NOT_APPLICABLE');
    expect(err.message).toContain('EXAMPLE-PATTERNS-1 item 1');
    const unknown = await refused(MOVE, { c: 'WJ-2026-MINOR-1', i: decision({ minorFacts: facts({ harm: null }) }) }, wj, 'input.decision.kind', 'MINOR_VIOLATION_RULE_NOT_MET');
    expect(unknown.extensions.outcome).toBe('UNDETERMINED');
    await refused(MOVE, { c: 'WJ-2026-MINOR-1', i: decision({ minorFacts: undefined }) }, wj, 'input.decision.minorFacts', 'REQUIRED');
    await refused(MOVE, { c: 'WJ-2026-MINOR-1', i: decision({ minorFacts: facts({ conduct: 'NOT_A_CONDUCT' }) }) }, wj, 'input.decision.minorFacts.conduct', 'UNKNOWN_CONDUCT');
    await refused(MOVE, { c: 'WJ-2026-MINOR-1', i: decision({ educationNote: ' ' }) }, wj, 'input.decision.educationNote', 'REQUIRED');
  });

  test('allowed by the first-offence rule: the rule id, the education and "first offence used" are stored, no penalty and no penalty change follow', async () => {
    const penaltyChanges = async () => (await t.db.ds.query(`SELECT count(*)::int AS n FROM change_log WHERE record_type = 'PENALTY'`))[0].n;
    const before = { penalties: (await counts()).penalties, changes: await penaltyChanges() };
    const decided = (await ok(MOVE, { c: 'WJ-2026-MINOR-1', i: decision() }, wj)).moveEnforcementCase;
    expect(decided).toMatchObject({
      state: 'DECIDED', decisionKind: 'NO_PENALTY_MINOR', minorRuleId: 'EXAMPLE-PATTERNS-1/1', firstOffence: 'USED',
      educationNote: '现场讲解危险废物识别标志设置要求，企业当日整改', penaltyDecisionNo: null, fineAmount: null,
    });
    expect(decided.discretionWorking[0]).toContain('EXAMPLE-PATTERNS-1 item 1 applies');
    expect(decided.discretionWorking).toContain('first offence used');
    expect(decided.discretionWorking.filter((l: string) => l.includes(': MET ('))).toHaveLength(4);
    expect({ penalties: (await counts()).penalties, changes: await penaltyChanges() }).toEqual(before);
  });

  test('the same violation again within the look-back: the first offence was used, so the rule no longer applies', async () => {
    await caseUnderReview('WJ-2026-MINOR-2', firm.uscc, '2026-10-15');
    const err = await refused(MOVE, { c: 'WJ-2026-MINOR-2', i: decision({ minorFacts: facts({ discoveredAt: '2026-10-15T10:00:00+08:00', correctedAt: '2026-10-15T12:00:00+08:00' }) }) },
      wj, 'input.decision.kind', 'MINOR_VIOLATION_RULE_NOT_MET');
    expect(err.message).toContain('SOLID_WASTE_LAW_112_HW on 2026-10-08 (first offence used)');
  });
});

describe('positive-list expiry: the scheduled job sets entries past validUntil EXPIRED, on the hub\'s clock', () => {
  test('nothing expires on the last valid day; the next day the entry is EXPIRED with an EXPIRED change; a second run finds nothing', async () => {
    await listedFirm('ZMQD-WJ-2026-301', '2026-11-02'); // valid until 2029-11-01
    const job = (day: string) => startPositiveListExpiryJob(t.db.ds, { intervalSeconds: 0, log: createLogger(testConfig()), clock: () => new Date(`${day}T12:00:00+08:00`) });
    const standing = await t.db.ds.query(`SELECT entry_no, valid_until::text FROM positive_list_entry WHERE status = 'ACTIVE' ORDER BY entry_no`);
    expect(standing).toEqual([{ entry_no: 'ZMQD-WJ-2026-101', valid_until: '2029-09-09' }, { entry_no: 'ZMQD-WJ-2026-301', valid_until: '2029-11-01' }]);

    expect(await job('2029-09-09').runNow()).toEqual({ ran: true, expired: 0, batches: 1 });
    expect(await job('2029-09-10').runNow()).toEqual({ ran: true, expired: 1, batches: 1 });
    expect((await ok(ENTRY, { n: 'ZMQD-WJ-2026-101' }, wj)).positiveListEntry).toMatchObject({ status: 'EXPIRED', removalCause: 'EXPIRED', removedOn: '2029-09-10', removalTrigger: null });
    expect((await ok(ENTRY, { n: 'ZMQD-WJ-2026-301' }, wj)).positiveListEntry.status).toBe('ACTIVE');
    expect(await job('2029-11-02').runNow()).toEqual({ ran: true, expired: 1, batches: 1 });
    expect(await job('2030-01-01').runNow()).toEqual({ ran: true, expired: 0, batches: 1 });
    const log = await t.db.ds.query(`SELECT record_key, op, actor FROM change_log WHERE record_type = 'POSITIVE_LIST_ENTRY' AND op = 'EXPIRED' ORDER BY seq`);
    expect(log).toEqual([
      { record_key: 'ZMQD-WJ-2026-101', op: 'EXPIRED', actor: POSITIVE_LIST_EXPIRY_ACTOR },
      { record_key: 'ZMQD-WJ-2026-301', op: 'EXPIRED', actor: POSITIVE_LIST_EXPIRY_ACTOR },
    ]);
    // The visit made while the entry was active stays flagged after it expired.
    expect((await ok(`{ inspection(inspectionNo: "JC-WJ-101") { untriggeredOnsiteOfListedFirm } }`, {}, wj)).inspection).toEqual({ untriggeredOnsiteOfListedFirm: true });
    // An expired entry is not moved by hand.
    await refused(MOVE_ENTRY, { n: 'ZMQD-WJ-2026-101', to: 'REMOVED', on: '2026-12-01' }, wj, 'to', 'STATE_TRANSITION');
  });

  test('the interval is a HUB_* setting, one hour by default, 0 turns the job off', () => {
    expect(loadConfig({ HUB_JWT_SECRET: 'x'.repeat(32) }).positiveListExpiryIntervalSeconds).toBe(3600);
    expect(loadConfig({ HUB_JWT_SECRET: 'x'.repeat(32), HUB_POSITIVE_LIST_EXPIRY_INTERVAL_SECONDS: '0' }).positiveListExpiryIntervalSeconds).toBe(0);
    expect(() => loadConfig({ HUB_JWT_SECRET: 'x'.repeat(32), HUB_POSITIVE_LIST_EXPIRY_INTERVAL_SECONDS: 'hourly' })).toThrow();
  });

  // PGlite has one connection: a held lock can only be shown on PostgreSQL.
  (process.env.DATABASE_URL ? test : test.skip)('a run does nothing while another instance holds the job lock; two instances at once expire each entry once', async () => {
    await listedFirm('ZMQD-WJ-2026-302', '2026-11-03'); // valid until 2029-11-02
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = t.db.ds.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [POSITIVE_LIST_EXPIRY_LOCK]);
      locked();
      await gate;
    });
    await isLocked;
    try {
      expect(await expirePositiveList(t.db.ds, { today: '2029-11-03' })).toEqual({ ran: false, expired: 0, batches: 0 });
    } finally {
      release();
      await holder;
    }
    const other = new DataSource({ ...t.db.ds.options, poolSize: 2 } as never);
    await other.initialize();
    try {
      const runs = await Promise.all([expirePositiveList(t.db.ds, { today: '2029-11-03' }), expirePositiveList(other, { today: '2029-11-03' })]);
      expect(runs.reduce((n, r) => n + r.expired, 0)).toBe(1);
    } finally {
      await other.destroy();
    }
    expect(await t.db.ds.query(`SELECT count(*)::int AS n FROM change_log WHERE record_key = 'ZMQD-WJ-2026-302' AND op = 'EXPIRED'`)).toEqual([{ n: 1 }]);
  });
});
