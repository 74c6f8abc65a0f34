import 'reflect-metadata';
import { CreditRecordKind, REPAIR_RULES } from '../../src/modules/credit';
import { earliestRepairDay } from '../../src/modules/credit/credit-repair.rules';
import { zoneToday } from '../../src/modules/feed/credit-expiry.job';
import { Made, newCreditRecord, newEnterprise, newPenalty } from '../support/factories';
import { startTestHub, TestHub } from '../support/hub';

/**
 * Credit repair (信用修复, issue 15): the regulator applies on the firm's behalf, the owner
 * district's steward decides; approval ends the publicity (a listing REMOVED with REPAIRED on the
 * feed, a penalty gone from the public view). Every refusal is typed and changes nothing.
 */
let t: TestHub;
let wj: Made;
let js: Made;
let enforcer: string;
let steward: string;
let jsSteward: string;
let jsSteward2: string;
let reader: string;
let platform: string;

const APPLY = `mutation($u: USCC!, $n: String!, $e: String!) { applyForCreditRepair(uscc: $u, recordNo: $n, evidence: $e) {
  id recordNo recordKind uscc ownerJurisdiction evidence status appliedBy decidedBy repairedOn } }`;
const APPROVE = `mutation($id: ID!, $r: String) { approveCreditRepair(applicationId: $id, reason: $r) { id status decidedBy decisionReason repairedOn } }`;
const REJECT = `mutation($id: ID!, $r: String!) { rejectCreditRepair(applicationId: $id, reason: $r) { id status decidedBy decisionReason repairedOn } }`;
const FEED = `query($after: String, $f: CreditFeedFilterInput) { creditFeed(after: $after, first: 1000, filter: $f) { endCursor
  entries { op recordNo listing { removedOn removalReason } } } }`;
const PUBLIC_PENALTY = `query($n: String!) { penalties(first: 100) { edges { node { decisionNo } } } penalty(decisionNo: $n) { decisionNo } }`;

/** Everything a refusal must leave as it was. */
async function footprint() {
  const [r] = await t.db.ds.query(`SELECT (SELECT count(*) FROM credit_repair)::int AS apps, (SELECT count(*) FROM change_log)::int AS changes,
    (SELECT count(*) FROM credit_record WHERE removed_on IS NOT NULL)::int AS removed, (SELECT string_agg(publicity_until::text, ',' ORDER BY decision_no) FROM penalty) AS publicity`);
  return r;
}

/** Records dated up to today need a source version of today (the factories' default asOf is earlier). */
const now = () => ({ asOf: new Date().toISOString() });

const monthsAgo = (m: number, extraDays = 0) => {
  const d = new Date(`${zoneToday()}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - m);
  d.setUTCDate(d.getUTCDate() - extraDays);
  return d.toISOString().slice(0, 10);
};

beforeAll(async () => {
  t = await startTestHub('empty');
  wj = await newEnterprise(t.db.ds, { jurisdiction: 'WUJIANG' as never });
  js = await newEnterprise(t.db.ds, { jurisdiction: 'JIASHAN' as never });
  enforcer = await t.token('WUJIANG', ['ENFORCEMENT'], { sub: 'wj-officer' });
  steward = await t.token('WUJIANG', ['DATA_STEWARD'], { sub: 'wj-steward' });
  jsSteward = await t.token('JIASHAN', ['DATA_STEWARD', 'ENFORCEMENT'], { sub: 'js-steward' });
  jsSteward2 = await t.token('JIASHAN', ['DATA_STEWARD'], { sub: 'js-steward-2' });
  reader = await t.token('WUJIANG', ['DOSSIER_READER']);
  platform = await t.token('CREDIT_YRD', ['CREDIT_FEED']);
});
afterAll(() => t.close());

test('the repair rules are configuration with their source, and the earliest day is computed from them', () => {
  expect(REPAIR_RULES.source).toMatch(/信用修复管理办法/);
  expect(REPAIR_RULES.status).toMatch(/not verified/);
  expect(REPAIR_RULES.kinds.EVALUATION.repairable).toBe(false);
  expect(earliestRepairDay('2026-01-31', 1)).toBe('2026-02-28');
  expect(earliestRepairDay('2025-03-01', 12)).toBe('2026-03-01');
});

test('a listing repaired end to end: applied by the regulator, approved by the steward, REMOVED with REPAIRED on the feed', async () => {
  const listedOn = monthsAgo(REPAIR_RULES.kinds.LISTING.minimumMonths!, 1);
  const listing = await newCreditRecord(t.db.ds, wj, { kind: CreditRecordKind.LISTING, effectiveOn: listedOn, validUntil: '2029-12-31', ...now() });
  const start = (await t.gql(FEED, {}, { token: platform })).body.data.creditFeed.endCursor;

  const applied = await t.gql(APPLY, { u: wj.uscc, n: listing.recordNo, e: '已完成整改并通过现场核查，提交整改报告及第三方监测报告。' }, { token: enforcer });
  expect(applied.body.errors).toBeUndefined();
  const app = applied.body.data.applyForCreditRepair;
  expect(app).toMatchObject({ recordNo: listing.recordNo, recordKind: 'LISTING', uscc: wj.uscc, ownerJurisdiction: 'WUJIANG', status: 'PENDING', appliedBy: 'wj-officer', decidedBy: null });

  // Still listed while pending; a second application for the same record is a conflict.
  const status = await t.gql(`query($u: USCC!) { creditStatus(uscc: $u) { blacklisted } }`, { u: wj.uscc }, { token: platform });
  expect(status.body.data.creditStatus.blacklisted).toBe(true);
  const again = await t.gql(APPLY, { u: wj.uscc, n: listing.recordNo, e: '再次申请' }, { token: steward });
  expect(again.body.errors[0].extensions.code).toBe('CONFLICT');

  const approved = await t.gql(APPROVE, { id: app.id, r: '整改到位' }, { token: steward });
  expect(approved.body.errors).toBeUndefined();
  expect(approved.body.data.approveCreditRepair).toMatchObject({ status: 'APPROVED', decidedBy: 'wj-steward', decisionReason: '整改到位', repairedOn: zoneToday() });

  const feed = (await t.gql(FEED, { after: start }, { token: platform })).body.data.creditFeed.entries;
  expect(feed).toEqual([{ op: 'REMOVED', recordNo: listing.recordNo, listing: { removedOn: zoneToday(), removalReason: 'REPAIRED' } }]);
  const after = await t.gql(`query($u: USCC!) { creditStatus(uscc: $u) { blacklisted } }`, { u: wj.uscc }, { token: platform });
  expect(after.body.data.creditStatus.blacklisted).toBe(false);
  const [row] = await t.db.ds.query('SELECT removed_on, removal_reason FROM credit_record WHERE record_no = $1', [listing.recordNo]);
  expect(row).toEqual({ removed_on: zoneToday(), removal_reason: 'REPAIRED' });
  const [log] = await t.db.ds.query(`SELECT actor, payload FROM change_log WHERE record_key = $1 ORDER BY seq DESC LIMIT 1`, [listing.recordNo]);
  expect(log.actor).toBe('wj-steward');
  expect(log.payload.repair).toEqual({ applicationId: app.id, status: 'APPROVED' });
  // The snapshot no longer holds it.
  const snap = await t.gql(`{ creditListingsInForce(first: 1000) { edges { node { recordNo } } } }`, {}, { token: platform });
  expect(snap.body.data.creditListingsInForce.edges.map((e: { node: { recordNo: string } }) => e.node.recordNo)).not.toContain(listing.recordNo);
  // Decided once.
  const twice = await t.gql(REJECT, { id: app.id, r: '迟到的驳回' }, { token: steward });
  expect(twice.body.errors[0].extensions.code).toBe('CONFLICT');
});

test('a penalty repaired: the public penalty view stops showing it', async () => {
  const penalty = await newPenalty(t.db.ds, wj, { decisionDate: monthsAgo(REPAIR_RULES.kinds.PENALTY.minimumMonths!, 2), ...now() });
  const before = await t.gql(PUBLIC_PENALTY, { n: penalty.decisionNo });
  expect(before.body.errors).toBeUndefined();
  expect(before.body.data.penalties.edges.map((e: { node: { decisionNo: string } }) => e.node.decisionNo)).toContain(penalty.decisionNo);

  const app = (await t.gql(APPLY, { u: wj.uscc, n: penalty.decisionNo, e: '罚款已缴清，整改完成。' }, { token: enforcer })).body.data.applyForCreditRepair;
  expect(app.recordKind).toBe('PENALTY');
  const ok = await t.gql(APPROVE, { id: app.id }, { token: steward });
  expect(ok.body.data.approveCreditRepair.status).toBe('APPROVED');

  const after = await t.gql(PUBLIC_PENALTY, { n: penalty.decisionNo });
  expect(after.body.data.penalties.edges.map((e: { node: { decisionNo: string } }) => e.node.decisionNo)).not.toContain(penalty.decisionNo);
  expect(after.body.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
  // The district still reads it in full, with its publicity ended.
  const own = await t.gql(`query($n: String!) { penalty(decisionNo: $n) { decisionNo publicityUntil } }`, { n: penalty.decisionNo }, { token: reader });
  expect(own.body.data.penalty.publicityUntil < zoneToday()).toBe(true);
});

test('a rejection keeps the listing, with the steward\'s reasons', async () => {
  const listing = await newCreditRecord(t.db.ds, wj, { kind: CreditRecordKind.LISTING, effectiveOn: monthsAgo(24), ...now() });
  const app = (await t.gql(APPLY, { u: wj.uscc, n: listing.recordNo, e: '申请修复' }, { token: enforcer })).body.data.applyForCreditRepair;
  const r = await t.gql(REJECT, { id: app.id, r: '整改材料不全' }, { token: steward });
  expect(r.body.data.rejectCreditRepair).toMatchObject({ status: 'REJECTED', decisionReason: '整改材料不全', repairedOn: null });
  const [row] = await t.db.ds.query('SELECT removed_on FROM credit_record WHERE record_no = $1', [listing.recordNo]);
  expect(row.removed_on).toBeNull();
  const list = await t.gql(`{ creditRepairApplications(status: REJECTED) { recordNo decisionReason } }`, {}, { token: steward });
  expect(list.body.data.creditRepairApplications).toEqual([{ recordNo: listing.recordNo, decisionReason: '整改材料不全' }]);
});

describe('bad input: typed errors, nothing changed', () => {
  let young: Made;
  let evaluation: Made;
  let old: Made;
  let pending: string;

  beforeAll(async () => {
    young = await newCreditRecord(t.db.ds, wj, { kind: CreditRecordKind.LISTING, effectiveOn: monthsAgo(REPAIR_RULES.kinds.LISTING.minimumMonths!, -1), ...now() });
    evaluation = await newCreditRecord(t.db.ds, wj, { effectiveOn: monthsAgo(30), evaluationYear: Number(monthsAgo(30).slice(0, 4)), ...now() });
    old = await newCreditRecord(t.db.ds, js, { kind: CreditRecordKind.LISTING, effectiveOn: monthsAgo(30), validUntil: '2029-12-31', ...now() });
    pending = (await t.gql(APPLY, { u: js.uscc, n: old.recordNo, e: '整改完成' }, { token: jsSteward })).body.data.applyForCreditRepair.id;
  });

  const cases: Array<[string, () => [string, Record<string, unknown>, string], string, string | null]> = [
    ['before the minimum period', () => [APPLY, { u: wj.uscc, n: young.recordNo, e: '整改完成' }, enforcer], 'BAD_USER_INPUT', 'recordNo'],
    ['a kind the rules exclude (an evaluation)', () => [APPLY, { u: wj.uscc, n: evaluation.recordNo, e: '整改完成' }, enforcer], 'BAD_USER_INPUT', 'recordNo'],
    ['another district\'s record, by a steward', () => [APPLY, { u: js.uscc, n: old.recordNo, e: '整改完成' }, steward], 'FORBIDDEN', null],
    ['a reader without a regulator\'s role', () => [APPLY, { u: wj.uscc, n: young.recordNo, e: '整改完成' }, reader], 'FORBIDDEN', null],
    ['the credit platform', () => [APPLY, { u: wj.uscc, n: young.recordNo, e: '整改完成' }, platform], 'FORBIDDEN', null],
    ['empty evidence', () => [APPLY, { u: wj.uscc, n: young.recordNo, e: '   ' }, enforcer], 'BAD_USER_INPUT', 'evidence'],
    ['a record of another enterprise', () => [APPLY, { u: wj.uscc, n: old.recordNo, e: '整改完成' }, enforcer], 'NOT_FOUND', 'recordNo'],
    ['an unknown record', () => [APPLY, { u: wj.uscc, n: 'NO-SUCH-RECORD', e: '整改完成' }, enforcer], 'NOT_FOUND', 'recordNo'],
    ['approval by another district\'s steward', () => [APPROVE, { id: pending }, steward], 'FORBIDDEN', null],
    ['approval by the applicant', () => [APPROVE, { id: pending }, jsSteward], 'FORBIDDEN', null],
    ['approval by an enforcement officer', () => [APPROVE, { id: pending }, enforcer], 'FORBIDDEN', null],
    ['rejection without reasons', () => [REJECT, { id: pending, r: ' ' }, jsSteward2], 'BAD_USER_INPUT', 'reason'],
    ['an application id that is not one', () => [APPROVE, { id: 'x' }, steward], 'BAD_USER_INPUT', 'applicationId'],
    ['an unknown application', () => [APPROVE, { id: '00000000-0000-4000-8000-000000000000' }, steward], 'NOT_FOUND', 'applicationId'],
  ];

  test.each(cases)('%s', async (_name, build, code, field) => {
    const before = await footprint();
    const [q, vars, token] = build();
    const r = await t.gql(q, vars, { token });
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors[0].extensions.code).toBe(code);
    if (field) expect(r.body.errors[0].extensions.field).toBe(field);
    if (code === 'FORBIDDEN') expect(r.body.errors[0].extensions.rule).toMatch(/^repair\./);
    expect(await footprint()).toEqual(before);
  });

  test('the other steward of the owner district may decide it', async () => {
    const r = await t.gql(REJECT, { id: pending, r: '材料不全' }, { token: jsSteward2 });
    expect(r.body.data.rejectCreditRepair).toMatchObject({ status: 'REJECTED', decidedBy: 'js-steward-2' });
  });

  test('before the minimum period, the error says the earliest day', async () => {
    const r = await t.gql(APPLY, { u: wj.uscc, n: young.recordNo, e: '整改完成' }, { token: enforcer });
    expect(r.body.errors[0].extensions.earliest).toBe(earliestRepairDay(young.effectiveOn, REPAIR_RULES.kinds.LISTING.minimumMonths!));
  });
});
