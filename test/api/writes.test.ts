import { Jurisdiction } from '../../src/domain/jurisdictions';
import { WRITE_SPECS } from '../../src/modules/dossier/write-specs';
import { withCheckCharacter } from '../../src/domain/uscc';
import { newEnterprise, newPenalty } from '../support/factories';
import { startTestHub, TestHub } from '../support/hub';

/*
 * Writes through HTTP: upserts by natural key (idempotent, versioned by asOf), rule 6, every
 * problem of an input at once, withdrawals, the change log, and batches. Each test writes its own
 * records on a clone of the empty template, so counts are exact.
 */

let t: TestHub;
let wujiang: string; // data steward (and reader) of Wujiang
let qingpu: string;
let jiangsu: string;
let zone: string;
let reader: string; // Wujiang reader without DATA_STEWARD

beforeAll(async () => {
  t = await startTestHub('empty', { HUB_RATE_LIMIT_PER_MINUTE: '0' });
  wujiang = await t.token('WUJIANG', ['DATA_STEWARD', 'DOSSIER_READER']);
  qingpu = await t.token('QINGPU', ['DATA_STEWARD', 'DOSSIER_READER']);
  jiangsu = await t.token('JIANGSU', ['DATA_STEWARD', 'DOSSIER_READER']);
  zone = await t.token('ZONE', ['DATA_STEWARD', 'DOSSIER_READER', 'ADMIN']);
  reader = await t.token('WUJIANG', ['DOSSIER_READER', 'ENFORCEMENT']);
});
afterAll(() => t.close());

const DIVISION = { WUJIANG: '320509', QINGPU: '310118', JIASHAN: '330421', SUZHOU_CITY: '320500' };
let n = 0;
const usccIn = (division: string) => withCheckCharacter(`91${division}MA${String(++n).padStart(7, '0')}`);
const AUTHORITY = withCheckCharacter('11320509MB1234567');
const AS_OF = '2026-06-01T10:00:00+08:00';
const LATER = '2026-06-02T10:00:00+08:00';
const EARLIER = '2026-05-31T10:00:00+08:00';
const src = (o: Record<string, unknown> = {}) => ({ sourceSystem: 'WJ-EEB-TEST', sourceRecordId: `R${++n}`, asOf: AS_OF, ...o });

type Input = Record<string, unknown>;
const enterpriseInput = (uscc: string, o: Input = {}): Input => ({
  uscc, name: `测试企业${uscc.slice(-6)}有限公司`, industryCode: 'C1713', industryName: '棉印染精加工', address: '测试路1号', registrationStatus: 'ACTIVE',
  establishedOn: '2010-05-01', legalRepName: '王小明', legalRepIdNumber: '320584198001011234', ...src(), ...o,
});
const penaltyInput = (uscc: string, decisionNo: string, o: Input = {}): Input => ({
  decisionNo, uscc, violationType: '超标排放水污染物', facts: '外排废水化学需氧量超标。', legalBasis: '《中华人民共和国水污染防治法》第八十三条',
  categories: ['FINE'], content: '罚款人民币二十万元', fineAmount: '200000', decisionDate: '2026-03-01', authorityName: '苏州市吴江生态环境局',
  authorityUscc: AUTHORITY, publicityUntil: '2027-03-01', status: 'DECIDED', ...src(), ...o,
});
const eiaInput = (uscc: string, approvalNo: string, o: Input = {}): Input => ({
  approvalNo, uscc, projectName: '技改项目', documentType: 'REPORT_FORM', decision: 'APPROVED', decisionDate: '2025-06-01', approvingAuthority: '苏州市吴江生态环境局', ...src(), ...o,
});
const permitInput = (uscc: string, permitNo: string, o: Input = {}): Input => ({
  permitNo, uscc, managementClass: 'KEY', issuedOn: '2024-01-01', validFrom: '2024-01-01', validTo: '2028-12-31', status: 'VALID',
  permittedPollutants: ['w01018', 'w21003'], issuingAuthority: '苏州市吴江生态环境局', ...src(), ...o,
});
const STEPS = ['CHECK_IN', 'SHOW_CREDENTIALS', 'VERIFY_INFORMATION', 'ON_SITE_CHECK', 'RECORD', 'PRINT_AND_SIGN', 'ARCHIVE', 'COMPLETE'];
const inspectionInput = (uscc: string, inspectionNo: string, o: Input = {}): Input => ({
  inspectionNo, uscc, inspectedOn: '2026-04-01', type: 'RANDOM', leadAgency: '吴江区生态环境综合行政执法局', jointJurisdictions: [],
  steps: STEPS.map((step, i) => ({ step, at: `2026-04-01T09:${String(10 + i * 5).padStart(2, '0')}:00+08:00` })),
  outcome: 'RECTIFICATION_ORDERED', status: 'COMPLETED', findings: '雨水排口有异常排水，已责令整改。', ...src(), ...o,
});
const complaintInput = (uscc: string, ticketNo: string, o: Input = {}): Input => ({
  ticketNo, uscc, receivedAt: '2026-05-01T08:00:00+08:00', channel: 'HOTLINE_12369', element: 'AIR', content: '夜间有刺鼻气味。',
  handlingJurisdiction: 'WUJIANG', status: 'REPLIED', reply: '已核查处理。', complainantName: '李四', complainantPhone: '13812345678',
  complainantIdNumber: '310101199001011234', ...src(), ...o,
});
const evaluationInput = (uscc: string, recordNo: string, o: Input = {}): Input => ({
  recordNo, uscc, kind: 'EVALUATION', effectiveOn: '2026-02-01', issuer: '苏州市生态环境局', scheme: 'JIANGSU_5', level: 'GREEN', evaluationYear: 2025, ...src(), ...o,
});
const listingInput = (uscc: string, recordNo: string, o: Input = {}): Input => ({
  recordNo, uscc, kind: 'LISTING', effectiveOn: '2026-03-01', issuer: '苏州市生态环境局', listingReason: '偷排含重金属废水，情节严重',
  listingLegalBasis: '《长三角区域生态环境领域实施信用联合奖惩合作备忘录》', validUntil: '2029-03-01', ...src(), ...o,
});

interface TypeInfo {
  single: string;
  batch: string;
  withdraw: string;
  keyArg: string;
  input: string;
  table: string;
  keyCol: string;
  recordType: string;
  list: string;
}
const T: Record<string, TypeInfo> = {
  enterprise: { single: 'upsertEnterprise', batch: 'upsertEnterprises', withdraw: 'withdrawEnterprise', keyArg: 'uscc', input: 'EnterpriseInput', table: 'enterprise', keyCol: 'uscc', recordType: 'ENTERPRISE', list: 'enterprises' },
  eia: { single: 'upsertEiaApproval', batch: 'upsertEiaApprovals', withdraw: 'withdrawEiaApproval', keyArg: 'approvalNo', input: 'EiaApprovalInput', table: 'eia_approval', keyCol: 'approval_no', recordType: 'EIA_APPROVAL', list: 'eiaApprovals' },
  permit: { single: 'upsertPermit', batch: 'upsertPermits', withdraw: 'withdrawPermit', keyArg: 'permitNo', input: 'PermitInput', table: 'permit', keyCol: 'permit_no', recordType: 'PERMIT', list: 'permits' },
  inspection: { single: 'upsertInspection', batch: 'upsertInspections', withdraw: 'withdrawInspection', keyArg: 'inspectionNo', input: 'InspectionInput', table: 'inspection', keyCol: 'inspection_no', recordType: 'INSPECTION', list: 'inspections' },
  penalty: { single: 'upsertPenalty', batch: 'upsertPenalties', withdraw: 'withdrawPenalty', keyArg: 'decisionNo', input: 'PenaltyInput', table: 'penalty', keyCol: 'decision_no', recordType: 'PENALTY', list: 'penalties' },
  complaint: { single: 'upsertComplaint', batch: 'upsertComplaints', withdraw: 'withdrawComplaint', keyArg: 'ticketNo', input: 'ComplaintInput', table: 'complaint', keyCol: 'ticket_no', recordType: 'COMPLAINT', list: 'complaints' },
  credit: { single: 'upsertCreditRecord', batch: 'upsertCreditRecords', withdraw: 'withdrawCreditRecord', keyArg: 'recordNo', input: 'CreditRecordInput', table: 'credit_record', keyCol: 'record_no', recordType: 'CREDIT_RECORD', list: 'creditRecords' },
};

const RECORD = 'record { ownerJurisdiction sourceAsOf withdrawnAt withdrawalReason }';

function upsert(type: string, input: Input, token?: string, select = RECORD) {
  const x = T[type];
  return t.gql(`mutation($i: ${x.input}!) { ${x.single}(input: $i) { status key ${select} } }`, { i: input }, { token });
}
function upsertMany(type: string, records: Input[], token?: string) {
  const x = T[type];
  return t.gql(`mutation($r: [${x.input}JSON]!) { ${x.batch}(records: $r) { inserted updated unchanged rejected
    results { index key status code ownerJurisdiction problems { field message } } } }`, { r: records }, { token });
}
function withdraw(type: string, key: string, reason: string, token?: string) {
  const x = T[type];
  const keyType = type === 'enterprise' ? 'USCC' : 'String';
  return t.gql(`mutation($k: ${keyType}!, $r: String!) { ${x.withdraw}(${x.keyArg}: $k, reason: $r) { status key ${RECORD} } }`, { k: key, r: reason }, { token });
}
/** The single result of a mutation, failing the test with the errors if there are any. */
function ok(res: { body: { errors?: unknown; data?: Record<string, unknown> } }) {
  expect(res.body.errors).toBeUndefined();
  return Object.values(res.body.data!)[0] as Record<string, any>;
}
function errorOf(res: { body: { errors?: Array<{ message: string; extensions: Record<string, any> }> } }) {
  expect(res.body.errors).toHaveLength(1);
  return res.body.errors![0];
}
async function changes(type: string, key: string): Promise<Array<{ op: string; owner_jurisdiction: string; uscc: string; actor: string; payload: Record<string, any> }>> {
  return t.db.ds.query('SELECT op, owner_jurisdiction, uscc, actor, payload FROM change_log WHERE record_type = $1 AND record_key = $2 ORDER BY seq', [T[type].recordType, key]);
}
async function rowCount(type: string, key: string): Promise<number> {
  const [{ n: c }] = await t.db.ds.query(`SELECT count(*)::int AS n FROM ${T[type].table} WHERE ${T[type].keyCol} = $1`, [key]);
  return c;
}
async function totals(): Promise<{ rows: number; changes: number }> {
  const tables = Object.values(T).map((x) => `(SELECT count(*) FROM ${x.table})`).join(' + ');
  const [r] = await t.db.ds.query(`SELECT (${tables})::int AS rows, (SELECT count(*) FROM change_log)::int AS changes`);
  return r;
}
/** A Wujiang enterprise written through the API. */
async function wujiangEnterprise(o: Input = {}): Promise<string> {
  const uscc = usccIn(DIVISION.WUJIANG);
  expect(ok(await upsert('enterprise', enterpriseInput(uscc, o), wujiang)).status).toBe('INSERTED');
  return uscc;
}

describe('upsert by natural key', () => {
  test('an enterprise: INSERTED, then UNCHANGED, UPDATED with a newer asOf, CONFLICT with an older or equal one', async () => {
    const uscc = usccIn(DIVISION.WUJIANG);
    const first = enterpriseInput(uscc);
    const a = ok(await upsert('enterprise', first, wujiang, 'record { uscc name jurisdiction ownerJurisdiction sourceAsOf withdrawnAt }'));
    expect(a).toMatchObject({ status: 'INSERTED', key: uscc, record: { uscc, jurisdiction: 'WUJIANG', withdrawnAt: null, sourceAsOf: '2026-06-01T02:00:00.000Z' } });

    const b = ok(await upsert('enterprise', first, wujiang));
    expect(b.status).toBe('UNCHANGED');
    expect((await changes('enterprise', uscc)).map((c) => c.op)).toEqual(['INSERTED']);

    const c = ok(await upsert('enterprise', { ...first, name: '改名后的企业有限公司', asOf: LATER }, wujiang, 'record { name sourceAsOf }'));
    expect(c).toMatchObject({ status: 'UPDATED', record: { name: '改名后的企业有限公司', sourceAsOf: '2026-06-02T02:00:00.000Z' } });

    const stale = errorOf(await upsert('enterprise', { ...first, name: '旧名', asOf: EARLIER }, wujiang));
    expect(stale.extensions).toMatchObject({ code: 'CONFLICT', key: uscc, problems: [{ field: 'input.asOf' }] });
    expect(stale.message).toMatch(/older than the stored version/);

    const clash = errorOf(await upsert('enterprise', { ...first, name: '同版本不同内容', asOf: LATER }, wujiang));
    expect(clash.extensions).toMatchObject({ code: 'CONFLICT', problems: [{ field: 'input.asOf' }] });
    expect(clash.message).toMatch(/content differs/);

    const [row] = await t.db.ds.query('SELECT name, source_as_of FROM enterprise WHERE uscc = $1', [uscc]);
    expect(row.name).toBe('改名后的企业有限公司');
    expect((await changes('enterprise', uscc)).map((x) => x.op)).toEqual(['INSERTED', 'UPDATED']);
  });

  test('the same version in another spelling is still UNCHANGED (normalized dates, amounts, offsets)', async () => {
    const uscc = await wujiangEnterprise();
    const p = penaltyInput(uscc, `吴环罚〔2026〕${++n}号`, { fineAmount: '200000' });
    expect(ok(await upsert('penalty', p, wujiang)).status).toBe('INSERTED');
    const respelled = { ...p, fineAmount: '200000.0', confiscationAmount: '0', asOf: '2026-06-01T02:00:00Z', facts: `  ${p.facts}  ` };
    expect(ok(await upsert('penalty', respelled, wujiang)).status).toBe('UNCHANGED');
  });

  test.each([
    ['eia', (u: string, k: string) => eiaInput(u, k), { projectName: '技改项目二期' }],
    ['permit', (u: string, k: string) => permitInput(u, k), { validTo: '2029-12-31' }],
    ['inspection', (u: string, k: string) => inspectionInput(u, k), { outcome: 'CASE_FILED' }],
    ['penalty', (u: string, k: string) => penaltyInput(u, k), { status: 'EXECUTED' }],
    ['complaint', (u: string, k: string) => complaintInput(u, k), { status: 'CLOSED', closedAt: '2026-05-10T09:00:00+08:00' }],
    ['credit', (u: string, k: string) => evaluationInput(u, k), { level: 'BLUE' }],
  ])('%s: INSERTED, UNCHANGED, UPDATED, stale CONFLICT; the owner comes from the enterprise', async (type, build, change) => {
    const uscc = await wujiangEnterprise();
    const key = `K-${type}-${++n}`;
    const input = build(uscc, key);
    expect(ok(await upsert(type, input, wujiang))).toMatchObject({ status: 'INSERTED', key, record: { ownerJurisdiction: 'WUJIANG', withdrawnAt: null } });
    expect(ok(await upsert(type, input, wujiang)).status).toBe('UNCHANGED');
    expect(ok(await upsert(type, { ...input, ...change, asOf: LATER }, wujiang)).status).toBe('UPDATED');
    expect(errorOf(await upsert(type, { ...input, asOf: EARLIER }, wujiang)).extensions.code).toBe('CONFLICT');
    expect(await rowCount(type, key)).toBe(1);
    const ops = (await changes(type, key)).map((c) => c.op);
    expect(ops).toEqual(type === 'credit' ? ['EVALUATED', 'EVALUATED'] : ['INSERTED', 'UPDATED']);
  });

  test('records written by the test factories can be upserted by key afterwards', async () => {
    const e = await newEnterprise(t.db.ds, { jurisdiction: Jurisdiction.WUJIANG });
    const p = await newPenalty(t.db.ds, e);
    const input = penaltyInput(e.uscc, p.decisionNo, { asOf: LATER });
    expect(ok(await upsert('penalty', input, wujiang)).status).toBe('UPDATED');
    expect(ok(await upsert('penalty', input, wujiang)).status).toBe('UNCHANGED');
  });
});

describe('owner district', () => {
  test('an enterprise\'s owner is its USCC\'s district; otherwise `jurisdiction` must say, and must agree with the USCC', async () => {
    const city = usccIn(DIVISION.SUZHOU_CITY);
    const missing = errorOf(await upsert('enterprise', enterpriseInput(city), wujiang));
    expect(missing.extensions).toMatchObject({ code: 'BAD_USER_INPUT', problems: [{ field: 'input.jurisdiction' }] });
    expect(missing.extensions.problems[0].message).toMatch(/division code 320500/);
    expect(ok(await upsert('enterprise', enterpriseInput(city, { jurisdiction: 'WUJIANG' }), wujiang)).record.ownerJurisdiction).toBe('WUJIANG');

    const clash = errorOf(await upsert('enterprise', enterpriseInput(usccIn(DIVISION.WUJIANG), { jurisdiction: 'JIASHAN' }), wujiang));
    expect(clash.extensions.problems).toEqual([{ field: 'input.jurisdiction', message: expect.stringMatching(/320509 is WUJIANG's; got JIASHAN/) }]);

    // Records take the owner of their enterprise, whatever its USCC says.
    const p = ok(await upsert('penalty', penaltyInput(city, `吴环罚〔2026〕${++n}号`), wujiang));
    expect(p.record.ownerJurisdiction).toBe('WUJIANG');
  });

  test('a record naming an enterprise that is not in the hub is BAD_USER_INPUT on input.uscc', async () => {
    const ghost = usccIn(DIVISION.WUJIANG);
    const e = errorOf(await upsert('permit', permitInput(ghost, `P-${++n}`), wujiang));
    expect(e.extensions).toMatchObject({ code: 'BAD_USER_INPUT', problems: [{ field: 'input.uscc', message: expect.stringMatching(/no enterprise with USCC/) }] });
  });
});

describe('rule 6: only a DATA_STEWARD of the owner district writes', () => {
  test.each([
    ['a steward of another district', () => qingpu, /QINGPU may not write records of WUJIANG/],
    ['a province steward', () => jiangsu, /JIANGSU may not write records of WUJIANG/],
    ['a ZONE steward', () => zone, /ZONE may not write records of WUJIANG/],
    ['a reader without DATA_STEWARD', () => reader, /DATA_STEWARD/],
    ['the public', () => undefined, /DATA_STEWARD/],
  ])('%s is FORBIDDEN and nothing is written', async (_who, token, reason) => {
    const uscc = await wujiangEnterprise();
    const before = await totals();
    const e1 = errorOf(await upsert('enterprise', enterpriseInput(usccIn(DIVISION.WUJIANG)), token()));
    expect(e1.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'write.ownDistrictOnly' });
    expect(e1.extensions.reason).toMatch(reason);
    const e2 = errorOf(await upsert('penalty', penaltyInput(uscc, `吴环罚〔2026〕${++n}号`), token()));
    expect(e2.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'write.ownDistrictOnly' });
    const e3 = errorOf(await withdraw('enterprise', uscc, '登记错误', token()));
    expect(e3.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'write.ownDistrictOnly' });
    expect(await totals()).toEqual(before);
  });

  test('FORBIDDEN comes before the input\'s problems, so another district learns nothing of them', async () => {
    const uscc = await wujiangEnterprise();
    const e = errorOf(await upsert('penalty', penaltyInput(uscc, `吴环罚〔2026〕${++n}号`, { fineAmount: '-1', decisionDate: 'soon' }), qingpu));
    expect(e.extensions).toMatchObject({ code: 'FORBIDDEN', ownerJurisdiction: 'WUJIANG', recordType: 'PENALTY' });
    expect(e.extensions.problems).toBeUndefined();
  });

  test('the owner district\'s steward writes what other stewards may not', async () => {
    const uscc = usccIn(DIVISION.QINGPU);
    expect(errorOf(await upsert('enterprise', enterpriseInput(uscc), wujiang)).extensions.code).toBe('FORBIDDEN');
    expect(ok(await upsert('enterprise', enterpriseInput(uscc), qingpu)).record.ownerJurisdiction).toBe('QINGPU');
  });
});

describe('validation: every problem of an input at once, with its path', () => {
  const bad: Array<[string, (uscc: string) => Input, string[]]> = [
    ['enterprise', (uscc) => enterpriseInput(`${uscc.slice(0, 17)}${uscc[17] === 'A' ? 'B' : 'A'}`, {
      name: '  ', industryCode: 'X99', address: undefined, establishedOn: '2026-13-01', sourceSystem: 'S'.repeat(65), asOf: 'yesterday',
    }), ['input.address', 'input.asOf', 'input.establishedOn', 'input.industryCode', 'input.name', 'input.sourceSystem', 'input.uscc']],
    ['enterprise', (uscc) => enterpriseInput(uscc, { legalRepIdNumber: '3205-8419', industryName: '业'.repeat(101), asOf: '2099-01-01T00:00:00Z', registrationStatus: 'OPEN' }),
      ['input.asOf', 'input.industryName', 'input.legalRepIdNumber', 'input.registrationStatus']],
    ['enterprise', (uscc) => enterpriseInput(uscc, { establishedOn: '2026-07-01', uscc: undefined, name: null }),
      ['input.establishedOn', 'input.name', 'input.uscc']],
    ['eia', (uscc) => eiaInput(uscc, `E-${++n}`, { documentType: 'REGISTRATION_FORM', projectName: '项'.repeat(201), decisionDate: '2026/01/01' }),
      ['input.decision', 'input.decisionDate', 'input.projectName']],
    ['eia', (uscc) => eiaInput(uscc, '', { decision: 'FILED', decisionDate: '2026-07-01' }), ['input.approvalNo', 'input.decision', 'input.decisionDate']],
    ['permit', (uscc) => permitInput(uscc, `P-${++n}`, { validFrom: '2026-01-01', validTo: '2025-12-31', issuedOn: '2026-01-01', permittedPollutants: ['w01018', 'COD', 'w01018'] }),
      ['input.permittedPollutants.1', 'input.permittedPollutants.2', 'input.validTo', 'input.validTo']],
    ['permit', (uscc) => permitInput(uscc, 'P'.repeat(33), { issuedOn: '2026-06-05', sourceRecordId: '' }), ['input.issuedOn', 'input.permitNo', 'input.sourceRecordId']],
    ['inspection', (uscc) => inspectionInput(uscc, `J-${++n}`, {
      inspectedOn: '2026-04-01', asOf: '2026-03-01T00:00:00Z', jointJurisdictions: ['WUJIANG', 'QINGPU'],
      steps: [{ step: 'SHOW_CREDENTIALS', at: '2026-04-01T10:00:00+08:00' }, { step: 'CHECK_IN', at: '2026-04-01T09:00:00+08:00' }],
    }), ['input.inspectedOn', 'input.jointJurisdictions', 'input.status', 'input.steps.0.step', 'input.steps.1.at', 'input.steps.1.step']],
    ['inspection', (uscc) => inspectionInput(uscc, `J-${++n}`, { type: 'JOINT_CROSS_BORDER', jointJurisdictions: ['WUJIANG', 'JIANGSU'], status: 'IN_PROGRESS', steps: [{ step: 'CHECK_IN', at: 'noon' }] }),
      ['input.jointJurisdictions.1', 'input.steps.0.at']],
    ['penalty', (uscc) => penaltyInput(uscc, `吴环罚〔2026〕${++n}号`, {
      categories: [], fineAmount: '1.234', confiscationAmount: '-1', decisionDate: '2026-03-10', publicityUntil: '2026-03-01', authorityUscc: 'x',
    }), ['input.authorityUscc', 'input.categories', 'input.confiscationAmount', 'input.fineAmount', 'input.publicityUntil']],
    ['penalty', (uscc) => penaltyInput(uscc, `吴环罚〔2026〕${++n}号`, { categories: ['WARNING', 'WARNING'], confiscationAmount: '5000', fineAmount: '0', violationType: undefined }),
      ['input.categories.1', 'input.violationType']],
    ['penalty', (uscc) => penaltyInput(uscc, `吴环罚〔2026〕${++n}号`, { categories: ['WARNING'], confiscationAmount: '5000' }),
      ['input.categories', 'input.categories']],
    ['penalty', (uscc) => penaltyInput(uscc, `吴环罚〔2026〕${++n}号`, { categories: ['罚款', 'FINE'], status: 'DONE', fineAmount: '123456789012345' }),
      ['input.categories.0', 'input.fineAmount', 'input.status']],
    ['complaint', (uscc) => complaintInput(uscc, `X-${++n}`, { receivedAt: '2026-05-01 08:00', status: 'CLOSED', reply: null, handlingJurisdiction: 'JIANGSU', complainantPhone: 'abc' }),
      ['input.closedAt', 'input.complainantPhone', 'input.handlingJurisdiction', 'input.receivedAt', 'input.reply']],
    ['complaint', (uscc) => complaintInput(uscc, `X-${++n}`, { status: 'IN_PROGRESS', closedAt: '2026-04-30T08:00:00+08:00' }), ['input.closedAt', 'input.closedAt']],
    ['credit', (uscc) => evaluationInput(uscc, `C-${++n}`, { level: 'A', evaluationYear: 2030, listingReason: '不该有' }),
      ['input.evaluationYear', 'input.level', 'input.listingReason']],
    ['credit', (uscc) => listingInput(uscc, `C-${++n}`, { listingReason: null, listingLegalBasis: undefined, scheme: 'JIANGSU_5', validUntil: '2026-01-01' }),
      ['input.listingLegalBasis', 'input.listingReason', 'input.scheme', 'input.validUntil']],
  ];

  test.each(bad)('%s: one BAD_USER_INPUT listing every problem; nothing written', async (type, build, fields) => {
    const uscc = await wujiangEnterprise();
    const before = await totals();
    const e = errorOf(await upsert(type, build(uscc), wujiang));
    expect(e.extensions.code).toBe('BAD_USER_INPUT');
    expect(e.extensions.problems.map((p: { field: string }) => p.field).sort()).toEqual(fields);
    for (const p of e.extensions.problems) expect(e.message).toContain(`${p.field}: ${p.message}`);
    expect(await totals()).toEqual(before);
  });

  test('the problems say what is wrong', async () => {
    const uscc = await wujiangEnterprise();
    const e = errorOf(await upsert('permit', permitInput(uscc, `P-${++n}`, { validFrom: '2026-01-01', validTo: '2025-12-31', permittedPollutants: ['COD'] }), wujiang));
    expect(e.extensions.problems).toEqual([
      { field: 'input.permittedPollutants.0', message: 'must be an HJ 212-2017 pollutant code such as w01018, got "COD"' },
      { field: 'input.validTo', message: 'must not be before validFrom (2026-01-01), got 2025-12-31' },
    ]);
    expect(e.message).toMatch(/^PermitInput has 2 problems: /);
  });

  test('the enterprise reference is checked together with the fields', async () => {
    const e = errorOf(await upsert('penalty', penaltyInput(usccIn(DIVISION.WUJIANG), `吴环罚〔2026〕${++n}号`, { fineAmount: 'lots' }), wujiang));
    expect(e.extensions.problems.map((p: { field: string }) => p.field)).toEqual(['input.fineAmount', 'input.uscc']);
  });
});

describe('withdrawals', () => {
  test('a withdrawn record is kept with its reason, left out of lists, still found by key, and can come back with a newer version', async () => {
    const uscc = await wujiangEnterprise();
    const key = `吴环罚〔2026〕${++n}号`;
    const input = penaltyInput(uscc, key);
    ok(await upsert('penalty', input, wujiang));
    const w = ok(await withdraw('penalty', key, '复议撤销', wujiang));
    expect(w).toMatchObject({ status: 'WITHDRAWN', key, record: { withdrawalReason: '复议撤销' } });
    expect(Date.parse(w.record.withdrawnAt)).toBeGreaterThan(Date.now() - 60_000);

    const [row] = await t.db.ds.query('SELECT withdrawn_at, withdrawal_reason FROM penalty WHERE decision_no = $1', [key]);
    expect(row.withdrawal_reason).toBe('复议撤销');

    const list = ok(await t.gql(`query($u: USCC!) { penalties(filter: { uscc: $u }) { totalCount edges { node { decisionNo } } } }`, { u: uscc }, { token: wujiang }));
    expect(list.totalCount).toBe(0);
    const nested = ok(await t.gql(`query($u: USCC!) { enterprise(uscc: $u) { penalties { totalCount } } }`, { u: uscc }, { token: wujiang }));
    expect(nested.penalties.totalCount).toBe(0);
    const one = ok(await t.gql(`query($k: String!) { penalty(decisionNo: $k) { decisionNo withdrawnAt withdrawalReason } }`, { k: key }, { token: wujiang }));
    expect(one).toMatchObject({ decisionNo: key, withdrawalReason: '复议撤销' });

    expect(ok(await withdraw('penalty', key, '复议撤销', wujiang)).status).toBe('UNCHANGED');
    expect(errorOf(await withdraw('penalty', key, '另一个理由', wujiang)).extensions.code).toBe('CONFLICT');
    expect(errorOf(await withdraw('penalty', 'NO-SUCH-DECISION', '理由', wujiang)).extensions.code).toBe('NOT_FOUND');
    expect(errorOf(await withdraw('penalty', key, '   ', wujiang)).extensions).toMatchObject({ code: 'BAD_USER_INPUT', problems: [{ field: 'reason' }] });

    // The same version again leaves the withdrawal; a newer one from the source reinstates the record.
    expect(ok(await upsert('penalty', input, wujiang)).record.withdrawnAt).not.toBeNull();
    const back = ok(await upsert('penalty', { ...input, asOf: LATER, status: 'UNDER_REVIEW' }, wujiang));
    expect(back).toMatchObject({ status: 'UPDATED', record: { withdrawnAt: null, withdrawalReason: null } });
    expect((await changes('penalty', key)).map((c) => c.op)).toEqual(['INSERTED', 'WITHDRAWN', 'UPDATED']);
  });

  test('an enterprise is withdrawn only once none of its records stands; then it takes no records', async () => {
    const uscc = await wujiangEnterprise();
    const key = `P-${++n}`;
    ok(await upsert('permit', permitInput(uscc, key), wujiang));
    const blocked = errorOf(await withdraw('enterprise', uscc, '重复登记', wujiang));
    expect(blocked.extensions).toMatchObject({ code: 'CONFLICT', standingRecords: { permit: 1 } });
    ok(await withdraw('permit', key, '重复登记', wujiang));
    expect(ok(await withdraw('enterprise', uscc, '重复登记', wujiang)).status).toBe('WITHDRAWN');

    const list = ok(await t.gql(`{ enterprises(first: 500) { edges { node { uscc } } } }`, {}, { token: wujiang }));
    expect(list.edges.map((e: any) => e.node.uscc)).not.toContain(uscc);
    const one = ok(await t.gql(`query($u: USCC!) { enterprise(uscc: $u) { uscc withdrawalReason } }`, { u: uscc }, { token: wujiang }));
    expect(one).toEqual({ uscc, withdrawalReason: '重复登记' });
    const e = errorOf(await upsert('permit', permitInput(uscc, `P-${++n}`), wujiang));
    expect(e.extensions.problems).toEqual([{ field: 'input.uscc', message: expect.stringMatching(/was withdrawn/) }]);
  });
});

describe('change log', () => {
  test('credit records: EVALUATED, LISTED, UPDATED, REMOVED, WITHDRAWN, with the feed\'s payload fields', async () => {
    const uscc = await wujiangEnterprise();
    const ev = `XYPJ-${++n}`;
    ok(await upsert('credit', evaluationInput(uscc, ev), wujiang));
    ok(await upsert('credit', evaluationInput(uscc, ev, { level: 'YELLOW', asOf: LATER }), wujiang));
    ok(await withdraw('credit', ev, '评价结果更正', wujiang));
    // Withdrawn (entered in error) is not removed (served its term): issue 15.
    const evLog = await changes('credit', ev);
    expect(evLog.map((c) => c.op)).toEqual(['EVALUATED', 'EVALUATED', 'WITHDRAWN']);
    expect(evLog[2].payload).toMatchObject({ withdrawalReason: '评价结果更正', removalReason: null });

    const ls = `吴环失信〔2026〕${++n}号`;
    const listing = listingInput(uscc, ls);
    ok(await upsert('credit', listing, wujiang));
    ok(await upsert('credit', { ...listing, validUntil: '2028-03-01', asOf: LATER }, wujiang));
    ok(await upsert('credit', { ...listing, validUntil: '2028-03-01', removedOn: '2026-06-02', asOf: '2026-06-03T10:00:00+08:00' }, wujiang));
    const log = await changes('credit', ls);
    expect(log.map((c) => c.op)).toEqual(['LISTED', 'UPDATED', 'REMOVED']);
    const [{ name }] = await t.db.ds.query('SELECT name FROM enterprise WHERE uscc = $1', [uscc]);
    expect(log[0]).toMatchObject({ owner_jurisdiction: 'WUJIANG', uscc, actor: 'test-wujiang' });
    expect(log[0].payload).toMatchObject({
      recordNo: ls, decisionNo: ls, kind: 'LISTING', reason: listing.listingReason, legalBasis: listing.listingLegalBasis, listedAt: '2026-03-01',
      validUntil: '2029-03-01', removedOn: null, issuer: '苏州市生态环境局', enterpriseName: name, uscc, scheme: null, level: null, year: null,
      ownerJurisdiction: 'WUJIANG', withdrawnAt: null,
    });
    expect(log[2].payload).toMatchObject({ validUntil: '2028-03-01', removedOn: '2026-06-02', removalReason: 'REMOVAL_DECISION' });
    const [evaluated] = await changes('credit', ev);
    expect(evaluated.payload).toMatchObject({ scheme: 'JIANGSU_5', level: 'GREEN', levelName: '绿色', year: 2025, evaluationYear: 2025, issuer: '苏州市生态环境局' });

    // A listing that arrives already removed: it existed, and it is over.
    const gone = `吴环失信〔2026〕${++n}号`;
    ok(await upsert('credit', listingInput(uscc, gone, { removedOn: '2026-05-01' }), wujiang));
    const both = await changes('credit', gone);
    expect(both.map((c) => [c.op, c.payload.removedOn, c.payload.removalReason])).toEqual([['LISTED', null, null], ['REMOVED', '2026-05-01', 'REMOVAL_DECISION']]);
  });

  test('payloads carry public fields only: no personal data, no enforcement findings', async () => {
    const uscc = await wujiangEnterprise();
    const ticket = `X-${++n}`;
    ok(await upsert('complaint', complaintInput(uscc, ticket), wujiang));
    const inspectionNo = `J-${++n}`;
    ok(await upsert('inspection', inspectionInput(uscc, inspectionNo), wujiang));
    const [c] = await changes('complaint', ticket);
    expect(c.payload).toMatchObject({ ticketNo: ticket, content: '夜间有刺鼻气味。', handlingJurisdiction: 'WUJIANG', sourceAsOf: '2026-06-01T02:00:00.000Z' });
    for (const k of ['complainantName', 'complainantPhone', 'complainantIdNumber']) expect(c.payload).not.toHaveProperty(k);
    const [i] = await changes('inspection', inspectionNo);
    expect(i.payload.steps).toHaveLength(8);
    expect(i.payload).not.toHaveProperty('findings');
    const [e] = await changes('enterprise', uscc);
    expect(e.payload).not.toHaveProperty('legalRepName');
    expect(e.payload).not.toHaveProperty('legalRepIdNumber');
  });

  test('the record returned to the writer is masked as the policy says', async () => {
    const uscc = await wujiangEnterprise();
    const r = ok(await upsert('complaint', complaintInput(uscc, `X-${++n}`), wujiang, 'record { complainant { name phone } }'));
    expect(r.record.complainant).toEqual({ name: '李*', phone: '138****5678' });
  });
});

describe('batch writes', () => {
  test('each record succeeds or fails on its own, with its index; the good ones commit', async () => {
    const uscc = await wujiangEnterprise();
    const other = usccIn(DIVISION.QINGPU);
    ok(await upsert('enterprise', enterpriseInput(other), qingpu));
    const keys = [0, 1, 2, 3].map(() => `吴环罚〔2026〕${++n}号`);
    const records = [
      penaltyInput(uscc, keys[0]),
      penaltyInput(uscc, keys[1], { fineAmount: 'x', decisionDate: '2026-02-30' }),
      penaltyInput(other, keys[2]),
      penaltyInput(uscc, keys[3]),
    ];
    const r = ok(await upsertMany('penalty', records, wujiang));
    expect(r).toMatchObject({ inserted: 2, updated: 0, unchanged: 0, rejected: 2 });
    expect(r.results).toEqual([
      { index: 0, key: keys[0], status: 'INSERTED', code: null, ownerJurisdiction: null, problems: [] },
      {
        index: 1, key: keys[1], status: 'REJECTED', code: 'BAD_USER_INPUT', ownerJurisdiction: null,
        problems: [{ field: 'records.1.fineAmount', message: expect.any(String) }, { field: 'records.1.decisionDate', message: expect.any(String) }],
      },
      { index: 2, key: keys[2], status: 'REJECTED', code: 'FORBIDDEN', ownerJurisdiction: 'QINGPU', problems: [{ field: 'records.2', message: expect.stringMatching(/may not write records of QINGPU/) }] },
      { index: 3, key: keys[3], status: 'INSERTED', code: null, ownerJurisdiction: null, problems: [] },
    ]);
    expect(await Promise.all(keys.map((k) => rowCount('penalty', k)))).toEqual([1, 0, 0, 1]);
    expect(await Promise.all(keys.map(async (k) => (await changes('penalty', k)).length))).toEqual([1, 0, 0, 1]);

    const again = ok(await upsertMany('penalty', records, wujiang));
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 2, rejected: 2 });
  });

  test('the same key twice in one batch: the later version is decided against the earlier', async () => {
    const uscc = await wujiangEnterprise();
    const key = `P-${++n}`;
    const r = ok(await upsertMany('permit', [permitInput(uscc, key), permitInput(uscc, key, { status: 'SUSPENDED', asOf: LATER }), permitInput(uscc, key, { asOf: EARLIER })], wujiang));
    expect(r.results.map((x: any) => [x.status, x.code])).toEqual([['INSERTED', null], ['UPDATED', null], ['REJECTED', 'CONFLICT']]);
    const [row] = await t.db.ds.query('SELECT status FROM permit WHERE permit_no = $1', [key]);
    expect(row.status).toBe('SUSPENDED');
    expect((await changes('permit', key)).map((c) => c.op)).toEqual(['INSERTED', 'UPDATED']);
  });

  test('one bad record of each kind is rejected alone with its index and field; the others are inserted', async () => {
    const uscc = await wujiangEnterprise();
    const gone = await wujiangEnterprise();
    ok(await withdraw('enterprise', gone, '注销', wujiang));
    const batch = ++n;
    const key = (i: number) => `吴环罚〔2026〕M${batch}-${i}号`;
    const records: unknown[] = [
      penaltyInput(uscc, key(0)),
      penaltyInput(uscc, key(1), { facts: 12 }), // a number where a String is declared
      penaltyInput(uscc, key(2), { colour: 'red' }), // an unknown field
      null, // no record at all
      penaltyInput(uscc, key(4), { facts: '外排\u0000废水' }), // NUL: PostgreSQL cannot store it
      penaltyInput(uscc, key(5), { content: '罚款\ud800' }), // a lone surrogate: no UTF-8 for it
      penaltyInput(uscc, key(6), { facts: '超'.repeat(5001) }), // longer than the field allows
      penaltyInput(uscc, key(7), { categories: ['FINE', null] }), // a null in a list
      penaltyInput(uscc, key(0), { facts: '另一版本', asOf: AS_OF }), // the same key twice, same asOf, other content
      penaltyInput(gone, key(9)), // an enterprise that was withdrawn
      'not a record',
      penaltyInput(uscc, key(11), { fineAmount: 200000, categories: 'FINE' }), // a number for a decimal and one value for a list: accepted
    ];
    const r = ok(await upsertMany('penalty', records as Input[], wujiang));
    expect(r).toMatchObject({ inserted: 2, updated: 0, unchanged: 0, rejected: 10 });
    const rejected = r.results.filter((x: any) => x.status === 'REJECTED').map((x: any) => [x.index, x.code, x.problems.map((q: any) => q.field)]);
    expect(rejected).toEqual([
      [1, 'BAD_USER_INPUT', ['records.1.facts']],
      [2, 'BAD_USER_INPUT', ['records.2.colour']],
      [3, 'BAD_USER_INPUT', ['records.3']],
      [4, 'BAD_USER_INPUT', ['records.4.facts']],
      [5, 'BAD_USER_INPUT', ['records.5.content']],
      [6, 'BAD_USER_INPUT', ['records.6.facts']],
      [7, 'BAD_USER_INPUT', ['records.7.categories.1']],
      [8, 'CONFLICT', ['records.8.asOf']],
      [9, 'BAD_USER_INPUT', ['records.9.uscc']],
      [10, 'BAD_USER_INPUT', ['records.10']],
    ]);
    const problems = Object.fromEntries(r.results.map((x: any) => [x.index, x.problems[0]?.message]));
    expect(problems).toMatchObject({
      1: 'must be text, got a number (12)',
      2: 'is not a field of PenaltyInput',
      3: 'must be an object of PenaltyInput fields',
      4: 'must not contain the NUL character (U+0000), found at character 3',
      5: 'must be well-formed Unicode text: a lone surrogate U+D800 at character 3',
      6: 'must be at most 5000 characters, got 5001',
      9: expect.stringMatching(/was withdrawn/),
    });
    expect(await Promise.all([0, 11].map((i) => rowCount('penalty', key(i))))).toEqual([1, 1]);
    const [row] = await t.db.ds.query('SELECT fine_amount, categories FROM penalty WHERE decision_no = $1', [key(11)]);
    expect(row).toEqual({ fine_amount: '200000.00', categories: ['FINE'] });
  });

  test('records written inline in the document are read the same way', async () => {
    const uscc = await wujiangEnterprise();
    const good = penaltyInput(uscc, `吴环罚〔2026〕I${++n}号`);
    const literal = (o: Record<string, unknown>) => `{ ${Object.entries(o).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')} }`;
    const res = await t.gql(`mutation($extra: String) { upsertPenalties(records: [${literal(good)}, ${literal({ ...good, decisionNo: `${good.decisionNo}-2`, facts: 7 })}, { decisionNo: $extra }]) {
      inserted rejected results { index status problems { field } } } }`, { extra: 'K-only' }, { token: wujiang });
    const r = ok(res);
    expect(r).toMatchObject({ inserted: 1, rejected: 2 });
    expect(r.results[1].problems).toEqual([{ field: 'records.1.facts' }]);
    expect(r.results[2].problems.map((q: any) => q.field)).toContain('records.2.uscc');
  });

  test('NUL in a single upsert and in a withdrawal reason is BAD_USER_INPUT naming the field', async () => {
    const uscc = await wujiangEnterprise();
    const key = `吴环罚〔2026〕${++n}号`;
    const e = errorOf(await upsert('penalty', penaltyInput(uscc, key, { legalBasis: '第八十三条\u0000' }), wujiang));
    expect(e.extensions).toMatchObject({ code: 'BAD_USER_INPUT', problems: [{ field: 'input.legalBasis', message: expect.stringMatching(/NUL character/) }] });
    ok(await upsert('penalty', penaltyInput(uscc, key), wujiang));
    const w = errorOf(await withdraw('penalty', key, '撤销\u0000', wujiang));
    expect(w.extensions).toMatchObject({ code: 'BAD_USER_INPUT', problems: [{ field: 'reason', message: expect.stringMatching(/NUL character/) }] });
    const k = errorOf(await withdraw('penalty', `${key}\u0000`, '撤销', wujiang));
    expect(k.extensions).toMatchObject({ code: 'BAD_USER_INPUT', problems: [{ field: 'decisionNo', message: expect.stringMatching(/NUL character/) }] });
    expect((await changes('penalty', key)).map((c) => c.op)).toEqual(['INSERTED']);
  });

  test('the field checks cover what the columns hold, so no value of one record can fail its batch in the database', async () => {
    const gaps: string[] = [];
    for (const spec of Object.values(WRITE_SPECS)) {
      const cols: Array<{ column_name: string; data_type: string; len: number | null }> = await t.db.ds.query(
        'SELECT column_name, data_type, character_maximum_length AS len FROM information_schema.columns WHERE table_name = $1', [spec.table]);
      for (const f of spec.fields) {
        const c = cols.find((x) => x.column_name === f.column);
        if (!f.column) continue;
        if (!c) gaps.push(`${spec.table}.${f.column}: no such column`);
        else if (f.kind === 'text' && (c.len !== null ? !f.maxLength || f.maxLength > c.len : !f.maxLength)) gaps.push(`${spec.table}.${f.column}: maxLength ${f.maxLength} for ${c.data_type}(${c.len})`);
        else if (f.kind === 'enum' && c.len !== null) {
          const values = (f.allowed ?? Object.values(f.enum ?? {})) as string[];
          for (const v of values) if (v.length > c.len) gaps.push(`${spec.table}.${f.column}: ${v} is longer than ${c.len}`);
        }
      }
    }
    expect(gaps).toEqual([]);
  });

  test('more than 1,000 records is BAD_USER_INPUT on `records`; a caller without DATA_STEWARD is FORBIDDEN whole', async () => {
    const uscc = usccIn(DIVISION.WUJIANG);
    const many = Array.from({ length: 1001 }, () => enterpriseInput(uscc));
    const e = errorOf(await upsertMany('enterprise', many, wujiang));
    expect(e.extensions).toMatchObject({ code: 'BAD_USER_INPUT', problems: [{ field: 'records', message: 'must hold at most 1000 records, got 1001' }] });
    expect(errorOf(await upsertMany('enterprise', [enterpriseInput(uscc)], reader)).extensions.code).toBe('FORBIDDEN');
    expect(await rowCount('enterprise', uscc)).toBe(0);
  });

  test('1,000 records in one call', async () => {
    const uscc = await wujiangEnterprise();
    const records = Array.from({ length: 1000 }, (_, i) => penaltyInput(uscc, `吴环罚〔2025〕B${n}-${i}号`, { decisionDate: '2025-12-01' }));
    const r = ok(await upsertMany('penalty', records, wujiang));
    expect(r).toMatchObject({ inserted: 1000, rejected: 0 });
  });

  test.each([
    ['the record\'s own INSERT', 'penalty', 'decision_no'],
    ['its change-log append', 'change_log', 'record_key'],
  ])('a failure mid-batch in %s leaves no record and no change of the batch', async (_what, table, column) => {
    const uscc = await wujiangEnterprise();
    const keys = [0, 1, 2].map(() => `吴环罚〔2026〕${++n}号`);
    const existing = keys[0];
    ok(await upsert('penalty', penaltyInput(uscc, existing), wujiang));
    await t.db.ds.query(`CREATE OR REPLACE FUNCTION test_boom() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.${column} = '${keys[2]}' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$`);
    await t.db.ds.query(`CREATE TRIGGER test_boom BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION test_boom()`);
    try {
      const before = await totals();
      const r = await upsertMany('penalty', [
        penaltyInput(uscc, existing, { status: 'EXECUTED', asOf: LATER }),
        penaltyInput(uscc, keys[1]),
        penaltyInput(uscc, keys[2]),
      ], wujiang);
      expect(r.body.errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
      expect(await totals()).toEqual(before);
      const [row] = await t.db.ds.query('SELECT status FROM penalty WHERE decision_no = $1', [existing]);
      expect(row.status).toBe('DECIDED');
      expect(await rowCount('penalty', keys[1])).toBe(0);
    } finally {
      await t.db.ds.query(`DROP TRIGGER test_boom ON ${table}`);
      await t.db.ds.query('DROP FUNCTION test_boom()');
    }
  });
});
