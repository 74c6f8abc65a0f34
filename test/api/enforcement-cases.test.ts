import { createHash } from 'node:crypto';
import { Jurisdiction } from '../../src/domain/jurisdictions';
import { withCheckCharacter } from '../../src/domain/uscc';
import { Made, newEnterprise } from '../support/factories';
import { startTestHub, TestHub } from '../support/hub';

/*
 * Joint enforcement through HTTP (issue 14): one case walked from a lead in Qingpu to its closure
 * in Wujiang (transfer, evidence recognised across the border, the discretion ruler, the decision
 * linked to its penalty record), the deadlines it showed, the overdue list, who reads what under a
 * transfer (audited), and every bad input of the issue refused with its field and rule, leaving
 * nothing written. On a clone of the empty template, so counts are exact.
 */

let t: TestHub;
let qp: string; // Qingpu enforcement officer
let wj: string; // Wujiang enforcement officer
let js: string; // Jiashan enforcement officer
let zone: string; // ZONE, enforcement supervision
let wjSteward: string; // Wujiang data steward without the ENFORCEMENT role
let firm: Made; // the party, registered in Wujiang

const CONTENT = Buffer.from('现场检查笔录：2026-08-30 14:20 厂界东侧排气筒无组织排放，烟气黑度目测林格曼3级。');
const SHA = createHash('sha256').update(CONTENT).digest('hex');
const AUTHORITY = withCheckCharacter('11320509MB1234567');

const CASE_FIELDS = `caseNo ownerJurisdiction state leadReceivedOn filedOn decidedOn closedOn decisionKind penaltyDecisionNo discretionTableVersion discretionWorking fineAmount transferredFrom
  nextDueOn nextDueTimer transitions { from to on by } deadlines { timer startsOn dueOn status metOn extensionDays rulesVersion }`;
const OPEN = `mutation($i: OpenCaseInput!) { openEnforcementCase(input: $i) { ${CASE_FIELDS} } }`;
const MOVE = `mutation($c: String!, $i: MoveCaseInput!) { moveEnforcementCase(caseNo: $c, input: $i) { ${CASE_FIELDS} penalty { decisionNo fineAmount decisionDate legalBasis ownerJurisdiction } } }`;
const TRANSFER = `mutation($c: String!, $i: TransferCaseInput!) { transferEnforcementCase(caseNo: $c, input: $i) { transferNo caseNo ownerJurisdiction receiver status sentOn } }`;
const RECEIVE = `mutation($n: String!, $on: String!) { receiveCaseTransfer(transferNo: $n, on: $on) { transferNo status receivedOn } }`;
const DECIDE_TRANSFER = `mutation($n: String!, $i: DecideTransferInput!) { decideCaseTransfer(transferNo: $n, input: $i) { transferNo status decidedOn decisionReason receivedCaseNo } }`;
const EVIDENCE = `mutation($c: String!, $i: EvidenceInput!) { addEvidenceItem(caseNo: $c, input: $i) { evidenceNo caseNo ownerJurisdiction sha256 collectedBy { name certificateNo } custodyChain { action holder hashRechecked } } }`;
const REVIEW = `mutation($e: String!, $i: RecognitionInput!) { reviewEvidenceItem(evidenceNo: $e, input: $i) { recognitionNo evidenceNo forCaseNo ownerJurisdiction result sha256Reviewed } }`;
const EXTEND = `mutation($c: String!, $i: CaseExtensionInput!) { recordCaseExtension(caseNo: $c, input: $i) { caseNo extensions { timer days } deadlines { timer dueOn extensionDays } } }`;
const CASE = `query($c: String!) { enforcementCase(caseNo: $c) { caseNo ownerJurisdiction state evidence { totalCount edges { node { evidenceNo sha256 } } } transfers { totalCount } } }`;

const officers = [{ name: '张伟', certificateNo: 'SH-310118-0012' }, { name: '李娜', certificateNo: 'SH-310118-0047' }];
const evidence = (evidenceNo: string, o: Record<string, unknown> = {}) => ({
  evidenceNo, type: 'ON_SITE_RECORD', name: '现场检查笔录', maker: '张伟', madeAt: '2026-08-30T14:20:00+08:00', place: '金泽镇界河东岸（31.0392N, 120.9012E）',
  method: '现场检查并制作笔录，全程执法记录仪录像', proves: '排气筒无组织排放，黑度超标', collectedBy: officers, signatureStatus: 'SIGNED', sha256: SHA,
  contentUri: 'qpeeb-evidence://2026/QP-2026-017/EV-1.pdf', ...o,
});

async function ok(query: string, variables: Record<string, unknown>, token: string) {
  const r = await t.gql(query, variables, { token });
  expect(r.body.errors).toBeUndefined();
  return r.body.data;
}

/** What a write leaves behind: rows of every enforcement table, penalties and change-log entries. */
async function footprint() {
  const [row] = await t.db.ds.query(`SELECT (SELECT count(*) FROM enforcement_case)::int AS cases, (SELECT count(*) FROM case_transfer)::int AS transfers,
    (SELECT count(*) FROM evidence_item)::int AS evidence, (SELECT count(*) FROM evidence_recognition)::int AS recognitions, (SELECT count(*) FROM evidence_log)::int AS log,
    (SELECT count(*) FROM penalty)::int AS penalties, (SELECT count(*) FROM change_log)::int AS changes,
    (SELECT string_agg(case_no || ':' || state || ':' || source_as_of::text, ',' ORDER BY case_no) FROM enforcement_case) AS states`);
  return row;
}

/** A refusal: BAD_USER_INPUT (or the code given) naming the field and the rule, and nothing written. */
async function refused(query: string, variables: Record<string, unknown>, token: string, field: string, rule: string, code = 'BAD_USER_INPUT') {
  const before = await footprint();
  const r = await t.gql(query, variables, { token });
  expect(r.body.errors).toHaveLength(1);
  expect(r.body.errors[0].extensions).toMatchObject({ code, ...(field ? { field } : {}), ...(rule ? { rule } : {}) });
  expect(await footprint()).toEqual(before);
  return r.body.errors[0];
}

beforeAll(async () => {
  t = await startTestHub('empty');
  qp = await t.token(Jurisdiction.QINGPU, ['ENFORCEMENT', 'DOSSIER_READER'], { sub: 'qp-officer-zhang' });
  wj = await t.token(Jurisdiction.WUJIANG, ['ENFORCEMENT', 'DOSSIER_READER'], { sub: 'wj-officer-chen' });
  js = await t.token(Jurisdiction.JIASHAN, ['ENFORCEMENT', 'DOSSIER_READER'], { sub: 'js-officer-wang' });
  zone = await t.token(Jurisdiction.ZONE, ['ENFORCEMENT', 'DOSSIER_READER'], { sub: 'zone-supervisor' });
  wjSteward = await t.token(Jurisdiction.WUJIANG, ['DATA_STEWARD', 'DOSSIER_READER'], { sub: 'wj-steward' });
  firm = await newEnterprise(t.db.ds, { jurisdiction: Jurisdiction.WUJIANG, name: '吴江界河印染有限公司' });
});
afterAll(() => t.close());

describe('one case from a lead in Qingpu to its closure in Wujiang', () => {
  test('lead, filing, evidence, transfer, recognition, decision with its penalty, service, closure', async () => {
    // Qingpu receives the lead and files the case.
    let c = (await ok(OPEN, { i: { caseNo: 'QP-2026-017', uscc: firm.uscc, partyName: '吴江界河印染有限公司', summary: '界河东岸排气筒无组织排放，黑烟飘入青浦金泽镇。', leadReceivedOn: '2026-09-01', violationEndedOn: '2026-08-30', violationCode: 'AIR_LAW_99' } }, qp)).openEnforcementCase;
    expect(c).toMatchObject({ caseNo: 'QP-2026-017', ownerJurisdiction: 'QINGPU', state: 'LEAD', nextDueTimer: 'FILING_DECISION', nextDueOn: '2026-09-16' });
    expect(c.deadlines.find((d: any) => d.timer === 'FILING_DECISION')).toMatchObject({ startsOn: '2026-09-01', dueOn: '2026-09-16', status: 'OPEN', rulesVersion: 'CASE-PROCEDURE-2023' });
    expect(c.deadlines.find((d: any) => d.timer === 'LIMITATION')).toMatchObject({ startsOn: '2026-08-30', dueOn: '2028-08-30', status: 'OPEN' });
    await ok(MOVE, { c: 'QP-2026-017', i: { to: 'PRELIM_REVIEW', on: '2026-09-02' } }, qp);
    c = (await ok(MOVE, { c: 'QP-2026-017', i: { to: 'FILED', on: '2026-09-07', note: '符合立案条件' } }, qp)).moveEnforcementCase;
    expect(c.deadlines.find((d: any) => d.timer === 'FILING_DECISION')).toMatchObject({ status: 'MET', metOn: '2026-09-07' });
    expect(c).toMatchObject({ state: 'FILED', filedOn: '2026-09-07', nextDueTimer: 'DECISION', nextDueOn: '2026-12-07' });
    await ok(MOVE, { c: 'QP-2026-017', i: { to: 'INVESTIGATING', on: '2026-09-08' } }, qp);
    const ev = (await ok(EVIDENCE, { c: 'QP-2026-017', i: evidence('EV-QP-2026-017-1') }, qp)).addEvidenceItem;
    expect(ev).toMatchObject({ ownerJurisdiction: 'QINGPU', sha256: SHA, collectedBy: officers, custodyChain: [{ action: 'COLLECTED', holder: 'QINGPU', hashRechecked: 'NOT_CHECKED' }] });

    // Before the transfer, Wujiang does not read Qingpu's case.
    const hidden = await t.gql(CASE, { c: 'QP-2026-017' }, { token: wj });
    expect(hidden.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', ownerJurisdiction: 'QINGPU' });

    // The party sits in Wujiang: Qingpu transfers the case there.
    const tr = (await ok(TRANSFER, { c: 'QP-2026-017', i: { transferNo: 'YS-QP-2026-003', receiver: 'WUJIANG', receiverAgency: '苏州市吴江生态环境局', reasons: '违法行为人及排放源位于吴江区，依法由吴江管辖。', attachments: ['TRANSFER_LETTER', 'CASE_FILE', 'EVIDENCE_LIST'], on: '2026-09-10' } }, qp)).transferEnforcementCase;
    expect(tr).toMatchObject({ ownerJurisdiction: 'QINGPU', receiver: 'WUJIANG', status: 'SENT' });

    // Under the transfer Wujiang reads the case and its evidence, audited; Jiashan still does not.
    const auditBefore = (await t.db.ds.query(`SELECT count(*)::int AS n FROM audit_event WHERE jurisdiction = 'WUJIANG' AND owner_jurisdiction = 'QINGPU' AND resource_type IN ('ENFORCEMENT_CASE', 'EVIDENCE_ITEM')`))[0].n;
    const seen = (await ok(CASE, { c: 'QP-2026-017' }, wj)).enforcementCase;
    expect(seen).toMatchObject({ caseNo: 'QP-2026-017', ownerJurisdiction: 'QINGPU', state: 'TRANSFERRED_OUT', evidence: { totalCount: 1, edges: [{ node: { evidenceNo: 'EV-QP-2026-017-1', sha256: SHA } }] }, transfers: { totalCount: 1 } });
    const audited: Array<{ resource_type: string; record_keys: string[] }> = await t.db.ds.query(
      `SELECT resource_type, record_keys FROM audit_event WHERE jurisdiction = 'WUJIANG' AND owner_jurisdiction = 'QINGPU' AND resource_type IN ('ENFORCEMENT_CASE', 'EVIDENCE_ITEM') ORDER BY id`);
    expect(audited.length - auditBefore).toBe(2);
    expect(audited.slice(-2).map((a) => [a.resource_type, a.record_keys]).sort()).toEqual([['ENFORCEMENT_CASE', ['QP-2026-017']], ['EVIDENCE_ITEM', ['EV-QP-2026-017-1']]]);
    expect((await t.gql(CASE, { c: 'QP-2026-017' }, { token: js })).body.errors[0].extensions.code).toBe('FORBIDDEN');
    const listed = await ok(`{ caseTransfers { totalCount edges { node { transferNo case { caseNo } } } } }`, {}, wj);
    expect(listed.caseTransfers).toEqual({ totalCount: 1, edges: [{ node: { transferNo: 'YS-QP-2026-003', case: { caseNo: 'QP-2026-017' } } }] });

    // Wujiang signs for it and accepts it, opening its own case.
    expect((await ok(RECEIVE, { n: 'YS-QP-2026-003', on: '2026-09-11' }, wj)).receiveCaseTransfer).toMatchObject({ status: 'RECEIVED', receivedOn: '2026-09-11' });
    expect((await ok(DECIDE_TRANSFER, { n: 'YS-QP-2026-003', i: { accept: true, on: '2026-09-12', caseNo: 'WJ-2026-088' } }, wj)).decideCaseTransfer)
      .toMatchObject({ status: 'ACCEPTED', receivedCaseNo: 'WJ-2026-088' });

    // Wujiang checks the content against the hash and reviews the evidence for its case.
    const check = (await ok(`mutation($e: String!, $b: String!) { verifyEvidenceContent(evidenceNo: $e, contentBase64: $b) { matches storedSha256 computedSha256 } }`,
      { e: 'EV-QP-2026-017-1', b: CONTENT.toString('base64') }, wj)).verifyEvidenceContent;
    expect(check).toEqual({ matches: true, storedSha256: SHA, computedSha256: SHA });
    const rec = (await ok(REVIEW, { e: 'EV-QP-2026-017-1', i: { recognitionNo: 'RZ-WJ-2026-031', forCaseNo: 'WJ-2026-088', reviewer: '陈强（法制审核）', reviewedOn: '2026-09-13', result: 'ACCEPTED', reasons: '收集程序合法，两名执法人员持证，笔录经当事人签字，哈希值复核一致。' } }, wj)).reviewEvidenceItem;
    expect(rec).toMatchObject({ ownerJurisdiction: 'WUJIANG', result: 'ACCEPTED', sha256Reviewed: SHA });
    // Qingpu reads the review of its evidence.
    expect((await ok(`{ evidenceRecognitions { totalCount edges { node { recognitionNo result } } } }`, {}, qp)).evidenceRecognitions.totalCount).toBe(1);

    // Meanwhile Wujiang's rules put the firm on the positive list.
    const PL = `mutation($n: String!, $to: PositiveListStatus!, $on: String!) { movePositiveListEntry(entryNo: $n, to: $to, on: $on) { entryNo status includedOn validUntil } }`;
    expect((await ok(`mutation($i: ProposePositiveListInput!) { proposePositiveListEntry(input: $i) { entryNo status lastPenaltyOn rulesVersion ownerJurisdiction } }`, { i: {
      entryNo: 'ZMQD-WJ-2026-014', uscc: firm.uscc, basis: '信用良好、在线监控联网达标', creditScheme: 'JIANGSU_5', creditLevel: 'GREEN', onlineMonitoring: 'CONNECTED',
      complianceRate: '99.2', category: 'TEXTILE_DYEING', on: '2026-09-01',
    } }, wj)).proposePositiveListEntry).toEqual({ entryNo: 'ZMQD-WJ-2026-014', status: 'PROPOSED', lastPenaltyOn: null, rulesVersion: 'POSITIVE-LIST-EXAMPLE-1', ownerJurisdiction: 'WUJIANG' });
    await ok(PL, { n: 'ZMQD-WJ-2026-014', to: 'PUBLICISED', on: '2026-09-02' }, wj);
    expect((await ok(PL, { n: 'ZMQD-WJ-2026-014', to: 'ACTIVE', on: '2026-09-10' }, wj)).movePositiveListEntry).toEqual({ entryNo: 'ZMQD-WJ-2026-014', status: 'ACTIVE', includedOn: '2026-09-10', validUntil: '2029-09-09' });

    // Wujiang's case to its decision.
    for (const [to, on] of [['PRELIM_REVIEW', '2026-09-12'], ['FILED', '2026-09-14'], ['INVESTIGATING', '2026-09-15'], ['CASE_REVIEW', '2026-10-20'], ['NOTICE_SENT', '2026-10-22']]) {
      await ok(MOVE, { c: 'WJ-2026-088', i: { to, on } }, wj);
    }
    c = (await ok(MOVE, { c: 'WJ-2026-088', i: { to: 'DECIDED', on: '2026-11-02', note: '经法制审核和集体讨论', decision: {
      kind: 'PENALTY',
      discretion: { factors: [{ factor: 'IMPACT', level: 'MEDIUM' }, { factor: 'DURATION', level: 'MONTHS_3_TO_6' }, { factor: 'HISTORY', level: 'FIRST' }] },
      penalty: { decisionNo: '苏州环行罚字〔2026〕吴江第088号', authorityName: '苏州市生态环境局', authorityUscc: AUTHORITY, content: '罚款人民币壹拾玖万玖仟元', publicityUntil: '2027-11-02' },
    } } }, wj)).moveEnforcementCase;
    expect(c).toMatchObject({
      state: 'DECIDED', decisionKind: 'PENALTY', fineAmount: '199000.00', discretionTableVersion: 'YRD-ILLUSTRATIVE-1', transferredFrom: 'YS-QP-2026-003',
      penaltyDecisionNo: '苏州环行罚字〔2026〕吴江第088号',
      penalty: { decisionNo: '苏州环行罚字〔2026〕吴江第088号', fineAmount: '199000.00', decisionDate: '2026-11-02', ownerJurisdiction: 'WUJIANG' },
    });
    expect(c.discretionWorking.join('\n')).toMatch(/199000/);
    // The decision deadline: 90 days from filing on 2026-09-14 end on Sunday 2026-12-13, so on Monday 2026-12-14; met on 2026-11-02.
    expect(c.deadlines.find((d: any) => d.timer === 'DECISION')).toMatchObject({ startsOn: '2026-09-14', dueOn: '2026-12-14', status: 'MET', metOn: '2026-11-02' });
    expect(c.nextDueTimer).toBe('DECISION_SERVICE');
    // The penalty removed the firm from the positive list at once, with the decision as its reason, through the change log.
    const entry = (await ok(`{ positiveListEntry(entryNo: "ZMQD-WJ-2026-014") { status removedOn removalTrigger removalReason } }`, {}, wj)).positiveListEntry;
    expect(entry).toMatchObject({ status: 'REMOVED', removedOn: '2026-11-02', removalTrigger: '苏州环行罚字〔2026〕吴江第088号' });
    expect(entry.removalReason).toMatch(/苏州环行罚字〔2026〕吴江第088号/);
    expect(await t.db.ds.query(`SELECT op, actor, payload->>'decisionNo' AS d FROM change_log WHERE record_type = 'POSITIVE_LIST_ENTRY' AND op = 'REMOVED'`))
      .toEqual([{ op: 'REMOVED', actor: 'wj-officer-chen', d: '苏州环行罚字〔2026〕吴江第088号' }]);

    c = (await ok(MOVE, { c: 'WJ-2026-088', i: { to: 'SERVED', on: '2026-11-04' } }, wj)).moveEnforcementCase;
    expect(c.deadlines.find((d: any) => d.timer === 'PAYMENT')).toMatchObject({ startsOn: '2026-11-04', status: 'OPEN' });
    c = (await ok(MOVE, { c: 'WJ-2026-088', i: { to: 'CLOSED', on: '2026-11-18', note: '罚款已缴清' } }, wj)).moveEnforcementCase;
    expect(c).toMatchObject({ state: 'CLOSED', closedOn: '2026-11-18', nextDueOn: null });
    expect(c.transitions.map((x: any) => x.to)).toEqual(['LEAD', 'PRELIM_REVIEW', 'FILED', 'INVESTIGATING', 'CASE_REVIEW', 'NOTICE_SENT', 'DECIDED', 'SERVED', 'CLOSED']);
    expect(c.transitions.every((x: any) => x.by === 'wj-officer-chen')).toBe(true);

    // Every step is in the change log; the penalty's entry names the officer.
    const log: Array<{ record_type: string; op: string; n: number }> = await t.db.ds.query(
      `SELECT record_type, op, count(*)::int AS n FROM change_log WHERE record_type IN ('ENFORCEMENT_CASE', 'CASE_TRANSFER', 'EVIDENCE_ITEM', 'EVIDENCE_RECOGNITION', 'PENALTY') AND actor <> 'system' GROUP BY 1, 2 ORDER BY 1, 2`);
    expect(log).toEqual([
      { record_type: 'CASE_TRANSFER', op: 'INSERTED', n: 1 }, { record_type: 'CASE_TRANSFER', op: 'UPDATED', n: 2 },
      { record_type: 'ENFORCEMENT_CASE', op: 'INSERTED', n: 2 }, { record_type: 'ENFORCEMENT_CASE', op: 'UPDATED', n: 12 },
      { record_type: 'EVIDENCE_ITEM', op: 'INSERTED', n: 1 }, { record_type: 'EVIDENCE_RECOGNITION', op: 'INSERTED', n: 1 },
      { record_type: 'PENALTY', op: 'INSERTED', n: 1 },
    ]);
    const entries = (await ok(`query($e: String!) { evidenceLog(evidenceNo: $e) { action actor actorJurisdiction } }`, { e: 'EV-QP-2026-017-1' }, qp)).evidenceLog;
    expect(entries).toEqual([
      { action: 'COLLECTED', actor: 'qp-officer-zhang', actorJurisdiction: 'QINGPU' },
      { action: 'VERIFIED', actor: 'wj-officer-chen', actorJurisdiction: 'WUJIANG' },
      { action: 'RECOGNISED', actor: 'wj-officer-chen', actorJurisdiction: 'WUJIANG' },
    ]);
  });

  test('the penalty is public like any publicised penalty, and the case stays with its owner side', async () => {
    const pub = await t.gql(`{ penalties { totalCount edges { node { decisionNo fineAmount } } } }`);
    expect(pub.body.data.penalties.edges.map((e: any) => e.node.decisionNo)).toContain('苏州环行罚字〔2026〕吴江第088号');
    expect((await t.gql(CASE, { c: 'WJ-2026-088' })).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await t.gql(CASE, { c: 'WJ-2026-088' }, { token: wjSteward })).body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredRoles: ['ENFORCEMENT', 'ADMIN'] });
    expect((await ok(CASE, { c: 'WJ-2026-088' }, zone)).enforcementCase.ownerJurisdiction).toBe('WUJIANG');
  });
});

describe('overdue cases', () => {
  test('a lead left past its filing deadline is listed for its district and ZONE, not for others', async () => {
    await ok(OPEN, { i: { caseNo: 'QP-2026-031', uscc: firm.uscc, partyName: '吴江界河印染有限公司', summary: '群众举报夜间偷排。', leadReceivedOn: '2026-11-02' } }, qp);
    const q = `{ enforcementCases(filter: { overdue: true }) { totalCount edges { node { caseNo nextDueTimer nextDueOn } } } }`;
    expect((await ok(q, {}, qp)).enforcementCases).toEqual({ totalCount: 1, edges: [{ node: { caseNo: 'QP-2026-031', nextDueTimer: 'FILING_DECISION', nextDueOn: '2026-11-17' } }] });
    expect((await ok(q, {}, zone)).enforcementCases.totalCount).toBe(1);
    expect((await ok(q, {}, wj)).enforcementCases.totalCount).toBe(0);
    expect((await ok(`{ enforcementCases(filter: { overdue: false }) { totalCount } }`, {}, zone)).enforcementCases.totalCount).toBe(2);
  });
});

describe('bad input and wrong principals: a typed error naming the field and rule, nothing written', () => {
  beforeAll(async () => {
    await ok(OPEN, { i: { caseNo: 'QP-2026-050', uscc: firm.uscc, partyName: '吴江界河印染有限公司', summary: '超标排放。', leadReceivedOn: '2026-07-25', violationCode: 'AIR_LAW_99' } }, qp);
    for (const [to, on] of [['PRELIM_REVIEW', '2026-07-28'], ['FILED', '2026-08-01'], ['INVESTIGATING', '2026-08-02']]) await ok(MOVE, { c: 'QP-2026-050', i: { to, on } }, qp);
    await ok(EVIDENCE, { c: 'QP-2026-050', i: evidence('EV-QP-2026-050-1') }, qp);
    for (const [to, on] of [['CASE_REVIEW', '2026-10-01'], ['NOTICE_SENT', '2026-10-10']]) await ok(MOVE, { c: 'QP-2026-050', i: { to, on } }, qp);
  });

  const decision = (o: Record<string, unknown> = {}, factors: unknown[] = [{ factor: 'IMPACT', level: 'MEDIUM' }, { factor: 'DURATION', level: 'MONTHS_3_TO_6' }, { factor: 'HISTORY', level: 'FIRST' }]) => ({
    kind: 'PENALTY', discretion: { factors }, penalty: { decisionNo: '沪青环罚〔2026〕050号', authorityName: '上海市青浦区生态环境局', authorityUscc: AUTHORITY, content: '罚款' }, ...o,
  });

  test('a transfer to one\'s own district', async () => {
    await refused(TRANSFER, { c: 'QP-2026-031', i: { transferNo: 'YS-X-1', receiver: 'QINGPU', receiverAgency: '青浦', reasons: '—', on: '2026-11-03' } }, qp, 'input.receiver', 'TRANSFER_TO_OWN_DISTRICT');
  });

  test('a second transfer: of a transferred case, and of a case opened on a transfer', async () => {
    await refused(TRANSFER, { c: 'QP-2026-017', i: { transferNo: 'YS-X-2', receiver: 'JIASHAN', receiverAgency: '嘉善', reasons: '—', on: '2026-11-03' } }, qp, 'caseNo', 'NO_SECOND_TRANSFER');
    await ok(OPEN, { i: { caseNo: 'QP-2026-060', uscc: firm.uscc, partyName: '吴江界河印染有限公司', summary: '转办线索。', leadReceivedOn: '2026-11-20' } }, qp);
    await ok(TRANSFER, { c: 'QP-2026-060', i: { transferNo: 'YS-QP-2026-009', receiver: 'WUJIANG', receiverAgency: '吴江', reasons: '属地管辖', on: '2026-11-21' } }, qp);
    await ok(RECEIVE, { n: 'YS-QP-2026-009', on: '2026-11-22' }, wj);
    await ok(DECIDE_TRANSFER, { n: 'YS-QP-2026-009', i: { accept: true, on: '2026-11-23', caseNo: 'WJ-2026-120' } }, wj);
    await refused(TRANSFER, { c: 'WJ-2026-120', i: { transferNo: 'YS-X-3', receiver: 'JIASHAN', receiverAgency: '嘉善', reasons: '—', on: '2026-11-24' } }, wj, 'caseNo', 'NO_SECOND_TRANSFER');
  });

  test('a transfer to the police without its mandatory attachments', async () => {
    await refused(TRANSFER, { c: 'QP-2026-050', i: { transferNo: 'YS-X-4', receiver: 'POLICE', receiverAgency: '青浦公安分局', reasons: '涉嫌污染环境罪', attachments: ['TRANSFER_DOCUMENT'], on: '2026-10-11' } }, qp, 'input.attachments', 'POLICE_ATTACHMENTS_REQUIRED');
  });

  test('a refusal without reasons, and a refusal with them sends the case back', async () => {
    await ok(OPEN, { i: { caseNo: 'QP-2026-070', uscc: firm.uscc, partyName: '吴江界河印染有限公司', summary: '线索。', leadReceivedOn: '2026-11-25' } }, qp);
    await ok(MOVE, { c: 'QP-2026-070', i: { to: 'PRELIM_REVIEW', on: '2026-11-25' } }, qp);
    await ok(TRANSFER, { c: 'QP-2026-070', i: { transferNo: 'YS-QP-2026-011', receiver: 'JIASHAN', receiverAgency: '嘉善', reasons: '疑似嘉善企业', on: '2026-11-26' } }, qp);
    await refused(RECEIVE, { n: 'YS-QP-2026-011', on: '2026-11-27' }, wj, '', 'enforcement.ownDistrictOnly', 'FORBIDDEN');
    await ok(RECEIVE, { n: 'YS-QP-2026-011', on: '2026-11-27' }, js);
    await refused(DECIDE_TRANSFER, { n: 'YS-QP-2026-011', i: { accept: false, on: '2026-11-28' } }, js, 'input.reason', 'REQUIRED');
    expect((await ok(DECIDE_TRANSFER, { n: 'YS-QP-2026-011', i: { accept: false, on: '2026-11-28', reason: '当事人不在嘉善辖区' } }, js)).decideCaseTransfer).toMatchObject({ status: 'REFUSED' });
    expect((await ok(CASE, { c: 'QP-2026-070' }, qp)).enforcementCase.state).toBe('PRELIM_REVIEW');
    // Refused, the transfer no longer opens the case to Jiashan.
    expect((await t.gql(CASE, { c: 'QP-2026-070' }, { token: js })).body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  test('a recognition review by the collecting district, and by a district the case was not transferred to', async () => {
    await refused(REVIEW, { e: 'EV-QP-2026-017-1', i: { recognitionNo: 'RZ-X-1', forCaseNo: 'QP-2026-031', reviewer: '—', reviewedOn: '2026-11-03', result: 'ACCEPTED', reasons: '—' } }, qp, 'evidenceNo', 'RECOGNITION_BY_COLLECTING_DISTRICT');
    await ok(OPEN, { i: { caseNo: 'JS-2026-005', uscc: firm.uscc, partyName: '吴江界河印染有限公司', summary: '—', leadReceivedOn: '2026-11-03' } }, js);
    await refused(REVIEW, { e: 'EV-QP-2026-017-1', i: { recognitionNo: 'RZ-X-2', forCaseNo: 'JS-2026-005', reviewer: '—', reviewedOn: '2026-11-03', result: 'ACCEPTED', reasons: '—' } }, js, '', 'transfer.required', 'FORBIDDEN');
  });

  test('evidence with one officer, and a hash that is not 64 hex characters', async () => {
    await refused(EVIDENCE, { c: 'QP-2026-050', i: evidence('EV-X-1', { collectedBy: [officers[0]] }) }, qp, 'input.collectedBy', 'TWO_OFFICERS_REQUIRED');
    await refused(EVIDENCE, { c: 'QP-2026-050', i: evidence('EV-X-2', { collectedBy: [officers[0], { ...officers[1], certificateNo: officers[0].certificateNo }] }) }, qp, 'input.collectedBy', 'TWO_OFFICERS_REQUIRED');
    await refused(EVIDENCE, { c: 'QP-2026-050', i: evidence('EV-X-3', { sha256: SHA.slice(1) }) }, qp, 'input.sha256', 'SHA256_FORMAT');
    await refused(EVIDENCE, { c: 'QP-2026-050', i: evidence('EV-X-4', { sha256: `${SHA.slice(0, 63)}g` }) }, qp, 'input.sha256', 'SHA256_FORMAT');
  });

  test('a decision after the deadline without a recorded extension; with one it passes the deadline', async () => {
    // Filed 2026-08-01: 90 days end on 2026-10-30.
    const e = await refused(MOVE, { c: 'QP-2026-050', i: { to: 'DECIDED', on: '2026-11-05', decision: decision() } }, qp, 'input.on', 'DECISION_AFTER_DEADLINE');
    expect(e.message).toMatch(/2026-10-30/);
    const x = (await ok(EXTEND, { c: 'QP-2026-050', i: { timer: 'DECISION', approval: 'HEAD', days: 30, approvedOn: '2026-10-28', reason: '案情复杂，需补充检测' } }, qp)).recordCaseExtension;
    expect(x.deadlines.find((d: any) => d.timer === 'DECISION')).toMatchObject({ dueOn: '2026-11-30', extensionDays: 30 });
    // The deadline rules allow one extension per approval (head, then collective discussion), 30 days each.
    await refused(EXTEND, { c: 'QP-2026-050', i: { timer: 'DECISION', approval: 'HEAD', days: 30, approvedOn: '2026-10-29', reason: '再次延长' } }, qp, 'input.approval', 'DUPLICATE_EXTENSION');
    await refused(EXTEND, { c: 'QP-2026-050', i: { timer: 'DECISION', approval: 'COLLECTIVE', days: 31, approvedOn: '2026-10-29', reason: '集体讨论延长' } }, qp, 'input.days', '');
  });

  test('a discretion factor not in the table version, and a fine outside the legal range', async () => {
    await refused(MOVE, { c: 'QP-2026-050', i: { to: 'DECIDED', on: '2026-11-05', decision: decision({}, [{ factor: 'STAGE', level: 'STARTED' }]) } }, qp, 'input.decision.discretion.factors[0].factor', 'FACTOR_NOT_IN_TABLE');
    await refused(MOVE, { c: 'QP-2026-050', i: { to: 'DECIDED', on: '2026-11-05', decision: decision({ fineAmount: '1000000.01' }) } }, qp, 'input.decision.fineAmount', 'FINE_OUTSIDE_LEGAL_RANGE');
    await refused(MOVE, { c: 'QP-2026-050', i: { to: 'DECIDED', on: '2026-11-05', decision: decision({ fineAmount: '99999.99' }) } }, qp, 'input.decision.fineAmount', 'FINE_OUTSIDE_LEGAL_RANGE');
    // A fine inside the range, other than the ruler's, is kept with the working saying so.
    const c = (await ok(MOVE, { c: 'QP-2026-050', i: { to: 'DECIDED', on: '2026-11-05', decision: decision({ fineAmount: '250000' }) } }, qp)).moveEnforcementCase;
    expect(c).toMatchObject({ fineAmount: '250000.00', penalty: { fineAmount: '250000.00', ownerJurisdiction: 'WUJIANG' } });
    expect(c.discretionWorking.at(-1)).toMatch(/250000\.00.*199000\.00/);
  });

  test('a wrong state transition, another district\'s officer, a steward without the role', async () => {
    await refused(MOVE, { c: 'QP-2026-031', i: { to: 'DECIDED', on: '2026-11-05' } }, qp, 'input.to', 'STATE_TRANSITION');
    await refused(MOVE, { c: 'QP-2026-031', i: { to: 'PRELIM_REVIEW', on: '2026-11-01' } }, qp, 'input.on', 'DATE_ORDER');
    await refused(MOVE, { c: 'QP-2026-031', i: { to: 'PRELIM_REVIEW', on: '2026-11-05' } }, wj, '', 'enforcement.ownDistrictOnly', 'FORBIDDEN');
    await refused(OPEN, { i: { caseNo: 'WJ-X', uscc: firm.uscc, partyName: '—', summary: '—', leadReceivedOn: '2026-11-05' } }, wjSteward, '', 'enforcement.ownDistrictOnly', 'FORBIDDEN');
    await refused(OPEN, { i: { caseNo: 'QP-2026-031', uscc: firm.uscc, partyName: '—', summary: '—', leadReceivedOn: '2026-11-05' } }, qp, 'input.caseNo', 'KEY_USED', 'CONFLICT');
    await refused(MOVE, { c: 'QP-2026-031', i: { to: 'PRELIM_REVIEW', on: '2026-11-05', decision: { kind: 'PENALTY' } } }, qp, 'input.decision', 'DECISION_ONLY_WHEN_DECIDING');
  });

  test('a penalty without evidence of the case\'s own or accepted by review', async () => {
    await ok(MOVE, { c: 'WJ-2026-120', i: { to: 'PRELIM_REVIEW', on: '2026-11-24' } }, wj);
    for (const [to, on] of [['FILED', '2026-11-25'], ['INVESTIGATING', '2026-11-25'], ['CASE_REVIEW', '2026-11-26'], ['NOTICE_SENT', '2026-11-27']]) await ok(MOVE, { c: 'WJ-2026-120', i: { to, on } }, wj);
    await refused(MOVE, { c: 'WJ-2026-120', i: { to: 'DECIDED', on: '2026-11-30', violationCode: 'AIR_LAW_99', decision: decision() } }, wj, 'input.decision.kind', 'EVIDENCE_REQUIRED');
  });
});

describe('the positive list', () => {
  const PROPOSE = `mutation($i: ProposePositiveListInput!) { proposePositiveListEntry(input: $i) { entryNo status } }`;
  const input = (o: Record<string, unknown>) => ({ entryNo: 'ZMQD-X', uscc: firm.uscc, basis: '—', creditScheme: 'JIANGSU_5', creditLevel: 'GREEN', onlineMonitoring: 'CONNECTED', complianceRate: '99', category: 'TEXTILE_DYEING', on: '2026-11-20', ...o });

  test('the eligibility rules refuse, naming the rule: a recent penalty, a credit level, monitoring, compliance, a category', async () => {
    await refused(PROPOSE, { i: input({}) }, wj, 'input.uscc', 'NOT_ELIGIBLE_RECENT_PENALTY');
    const other = await newEnterprise(t.db.ds, { jurisdiction: Jurisdiction.WUJIANG });
    await refused(PROPOSE, { i: input({ uscc: other.uscc, creditLevel: 'BLUE' }) }, wj, 'input.creditLevel', 'NOT_ELIGIBLE_CREDIT_LEVEL');
    await refused(PROPOSE, { i: input({ uscc: other.uscc, onlineMonitoring: 'NOT_CONNECTED' }) }, wj, 'input.onlineMonitoring', 'NOT_ELIGIBLE_MONITORING');
    await refused(PROPOSE, { i: input({ uscc: other.uscc, complianceRate: '94.99' }) }, wj, 'input.complianceRate', 'NOT_ELIGIBLE_COMPLIANCE');
    await refused(PROPOSE, { i: input({ uscc: other.uscc, category: 'HAZARDOUS_WASTE_DISPOSAL' }) }, wj, 'input.category', 'NOT_ELIGIBLE_CATEGORY');
    await refused(PROPOSE, { i: input({ uscc: other.uscc }) }, qp, '', 'enforcement.ownDistrictOnly', 'FORBIDDEN');
  });

  test('a penalty sent by a district\'s own system (upsertPenalty) removes a listed firm just the same', async () => {
    const other = await newEnterprise(t.db.ds, { jurisdiction: Jurisdiction.WUJIANG });
    await ok(PROPOSE, { i: input({ entryNo: 'ZMQD-WJ-2026-020', uscc: other.uscc }) }, wj);
    const steward = await t.token(Jurisdiction.WUJIANG, ['DATA_STEWARD', 'DOSSIER_READER']);
    await ok(`mutation($p: PenaltyInput!) { upsertPenalty(input: $p) { status } }`, { p: {
      decisionNo: '苏州环行罚字〔2026〕吴江第131号', uscc: other.uscc, violationType: '未按规定设置危险废物识别标志', facts: '危废仓库未设置标志。', legalBasis: '《固体废物污染环境防治法》第一百一十二条',
      categories: ['WARNING'], content: '警告', decisionDate: '2026-11-25', authorityName: '苏州市生态环境局', authorityUscc: AUTHORITY, status: 'DECIDED',
      sourceSystem: 'WJ-CASE', sourceRecordId: '131', asOf: '2026-11-25T10:00:00+08:00',
    } }, steward);
    expect((await ok(`{ positiveList(filter: { uscc: "${other.uscc}" }) { edges { node { entryNo status removalTrigger } } } }`, {}, wj)).positiveList.edges)
      .toEqual([{ node: { entryNo: 'ZMQD-WJ-2026-020', status: 'REMOVED', removalTrigger: '苏州环行罚字〔2026〕吴江第131号' } }]);
  });
});

describe('the evidence log and an item\'s hash are kept by the database', () => {
  test('UPDATE and DELETE of the log, and a change of an item\'s hash, are refused whoever asks', async () => {
    await expect(t.db.ds.query(`UPDATE evidence_log SET action = 'X'`)).rejects.toThrow(/append-only/);
    await expect(t.db.ds.query('DELETE FROM evidence_log')).rejects.toThrow(/append-only/);
    await expect(t.db.ds.query(`UPDATE evidence_item SET sha256 = repeat('0', 64) WHERE evidence_no = 'EV-QP-2026-017-1'`)).rejects.toThrow(/keeps its identity/);
    await expect(t.db.ds.query(`DELETE FROM evidence_item WHERE evidence_no = 'EV-QP-2026-017-1'`)).rejects.toThrow(/never deleted/);
  });

  test('content that does not match its hash is found and logged', async () => {
    const r = (await ok(`mutation($e: String!, $b: String!) { verifyEvidenceContent(evidenceNo: $e, contentBase64: $b) { matches computedSha256 } }`,
      { e: 'EV-QP-2026-017-1', b: Buffer.concat([CONTENT, Buffer.from(' ')]).toString('base64') }, qp)).verifyEvidenceContent;
    expect(r.matches).toBe(false);
    const [last] = await t.db.ds.query(`SELECT action, sha256 FROM evidence_log WHERE evidence_no = 'EV-QP-2026-017-1' ORDER BY seq DESC LIMIT 1`);
    expect(last).toEqual({ action: 'MISMATCH', sha256: r.computedSha256 });
    await refused(`mutation($e: String!, $i: CustodyInput!) { recordEvidenceCustody(evidenceNo: $e, input: $i) { evidenceNo } }`,
      { e: 'EV-QP-2026-017-1', i: { action: 'HANDED_OVER', holder: '吴江局证据室', at: '2026-09-12T09:00:00+08:00', sha256: r.computedSha256 } }, qp, 'input.sha256', 'HASH_MISMATCH');
  });
});
