import { DISTRICTS } from '../../src/domain/jurisdictions';
import { addDays } from '../../src/domain/calendar/days';
import { sharingDueOn } from '../../src/modules/sharing';
import { dossierPerDistrict } from '../support/factories';
import { startTestHub, TestHub } from '../support/hub';

/**
 * Sharing applications end to end (issue 12), through HTTP: an application walked from
 * submission to revocation with the reads it allowed and their audit rows, the dispute path
 * through ZONE, overdue supervision, emergency reads listed for the owner, and every bad input a
 * typed error that changes nothing. The applicant is an agency with no framework grant
 * (`WUJIANG-JET`, a joint enforcement team), so only its own application opens anything.
 */
const INSPECTIONS = '211014/0001';
const APPLICANT_ORG = 'WUJIANG-JET';
const GRANTED_ITEMS = ['inspectionNo', 'uscc', 'inspectedOn', 'type', 'leadAgency', 'outcome'];

let t: TestHub;
let data: Awaited<ReturnType<typeof dossierPerDistrict>>;
let reader: string;
let qingpuSteward: string;
let jiashanSteward: string;
let zoneSteward: string;
// The hub's clock is fixed on a working Monday, so deadlines and grant periods fall where the
// official calendar (chinese-days, through 2026) is known, whatever day the suite runs.
const NOW = new Date('2026-11-02T02:00:00Z');
const today = '2026-11-02';
const events: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  t = await startTestHub('empty', {}, { clock: () => NOW });
  data = await dossierPerDistrict(t.db.ds, [...DISTRICTS]);
  reader = await t.token('WUJIANG', ['DOSSIER_READER', 'ENFORCEMENT'], { org: APPLICANT_ORG, sub: 'officer-wang' });
  qingpuSteward = await t.token('QINGPU', ['DATA_STEWARD'], { sub: 'steward-qingpu' });
  jiashanSteward = await t.token('JIASHAN', ['DATA_STEWARD'], { sub: 'steward-jiashan' });
  zoneSteward = await t.token('ZONE', ['DATA_STEWARD'], { sub: 'steward-zone' });
  t.hub.events.subscribe('eco_hub_sharing', (p) => events.push(p));
  await t.hub.events.ready();
});
afterAll(() => t.close());

const APP_FIELDS = 'id status providerJurisdiction dueAt requestedItems grantedItems grantedDistricts validFrom validTo decisionReason history { from to by note }';

function application(over: Record<string, unknown> = {}) {
  return {
    resourceCode: INSPECTIONS, items: GRANTED_ITEMS, districts: ['QINGPU'], purpose: 'ENFORCEMENT',
    scenario: '跨界联合执法：核查青浦区企业的检查记录 joint inspection of a Qingpu firm', legalBasis: '《环境保护法》第二十四条',
    contact: '王警官 0512-63000000', commitment: '仅用于本机关执法职责，不超范围、不超期限使用，不向第三方提供。',
    validFrom: today, validTo: addDays(today, 60), ...over,
  };
}

async function apply(over: Record<string, unknown> = {}, token = reader) {
  return t.gql(`mutation($i: ApplyForSharingInput!) { applyForSharing(input: $i) { ${APP_FIELDS} } }`, { i: application(over) }, { token });
}

async function counts() {
  const [{ a, tr }] = await t.db.ds.query('SELECT (SELECT count(*)::int FROM sharing_application) AS a, (SELECT count(*)::int FROM sharing_transition) AS tr');
  return { a, tr };
}

const INSPECTION_BY_KEY = `query($k: String!) { inspection(inspectionNo: $k) { inspectionNo ownerJurisdiction findings leadAgency } }`;
const INSPECTION_LIST = `{ inspections(first: 500) { totalCount edges { node { inspectionNo ownerJurisdiction findings } } } }`;

describe('one application, from submission to revocation', () => {
  test('walk: refused → apply → approve in part → reads allowed and audited with the grant → revoke → refused again', async () => {
    const qingpuNo = data.QINGPU.inspection.inspectionNo;
    // Before: a conditional record of another district, no grant, no X-Purpose.
    const before = await t.gql(INSPECTION_BY_KEY, { k: qingpuNo }, { token: reader });
    expect(before.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'sharing.conditional', applyFor: INSPECTIONS, ownerJurisdiction: 'QINGPU' });
    expect(before.body.errors[0].extensions.hint).toContain(`apply for resource ${INSPECTIONS}`);
    // The X-Purpose ENFORCEMENT alone no longer opens it.
    const purposeOnly = await t.gql(INSPECTION_BY_KEY, { k: qingpuNo }, { token: reader, purpose: 'ENFORCEMENT' });
    expect(purposeOnly.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'sharing.conditional' });
    const access = await t.gql('{ myAccess { recordType ownerJurisdiction canRead rule applyFor grantId maskedFields } }', {}, { token: reader });
    expect(access.body.data.myAccess.find((l: any) => l.recordType === 'INSPECTION' && l.ownerJurisdiction === 'QINGPU'))
      .toEqual({ recordType: 'INSPECTION', ownerJurisdiction: 'QINGPU', canRead: false, rule: 'sharing.conditional', applyFor: INSPECTIONS, grantId: null, maskedFields: [] });

    // Submission.
    const submitted = await apply();
    expect(submitted.body.errors).toBeUndefined();
    const app = submitted.body.data.applyForSharing;
    expect(app).toMatchObject({ status: 'SUBMITTED', providerJurisdiction: 'QINGPU', requestedItems: GRANTED_ITEMS, grantedItems: null, dueAt: sharingDueOn(NOW, 'QINGPU') });
    expect(app.history).toEqual([{ from: null, to: 'SUBMITTED', by: 'officer-wang', note: null }]);
    // The provider's district sees it addressed to it; the applicant sees it as its own.
    const toMe = await t.gql(`{ sharingApplications(filter: { scope: TO_MY_DISTRICT, status: SUBMITTED }) { totalCount edges { node { id } } } }`, {}, { token: qingpuSteward });
    expect(toMe.body.data.sharingApplications.edges.map((e: any) => e.node.id)).toContain(app.id);
    const mine = await t.gql(`{ sharingApplications(filter: { scope: MINE, resourceCode: "${INSPECTIONS}" }) { totalCount edges { node { id } } } }`, {}, { token: reader });
    expect(mine.body.data.sharingApplications).toEqual({ totalCount: 1, edges: [{ node: { id: app.id } }] });

    // Approval in part: a shorter period than applied for.
    const validTo = addDays(today, 30);
    const approved = await t.gql(`mutation($id: ID!, $i: ApproveSharingInput) { approveSharingApplication(id: $id, input: $i) { ${APP_FIELDS} } }`,
      { id: app.id, i: { validTo, note: 'thirty days are enough for this case' } }, { token: qingpuSteward });
    expect(approved.body.errors).toBeUndefined();
    expect(approved.body.data.approveSharingApplication).toMatchObject({ status: 'ACTIVE', grantedItems: GRANTED_ITEMS, grantedDistricts: ['QINGPU'], validFrom: today, validTo });
    expect(approved.body.data.approveSharingApplication.history.map((h: any) => [h.from, h.to, h.by])).toEqual([
      [null, 'SUBMITTED', 'officer-wang'], ['SUBMITTED', 'UNDER_REVIEW', 'steward-qingpu'], ['UNDER_REVIEW', 'APPROVED', 'steward-qingpu'], ['APPROVED', 'ACTIVE', 'system:activation'],
    ]);

    // Reads allowed: without X-Purpose, Qingpu's inspections, the granted items only (findings withheld although the reader holds ENFORCEMENT).
    const one = await t.gql(INSPECTION_BY_KEY, { k: qingpuNo }, { token: reader });
    expect(one.body.errors).toBeUndefined();
    expect(one.body.data.inspection).toEqual({ inspectionNo: qingpuNo, ownerJurisdiction: 'QINGPU', findings: null, leadAgency: expect.any(String) });
    expect(one.body.extensions.policy.masked).toContainEqual({ field: 'Inspection.findings', rule: 'sharing.grant.items' });
    const list = await t.gql(INSPECTION_LIST, {}, { token: reader });
    const owners = list.body.data.inspections.edges.map((e: any) => e.node.ownerJurisdiction).sort();
    expect(owners).toEqual(['QINGPU', 'WUJIANG']); // not Jiashan: not granted
    const own = list.body.data.inspections.edges.find((e: any) => e.node.ownerJurisdiction === 'WUJIANG').node;
    expect(own.findings).not.toBeNull(); // its own district's records in full
    const after = await t.gql('{ myAccess { recordType ownerJurisdiction canRead rule grantId maskedFields } }', {}, { token: reader });
    expect(after.body.data.myAccess.find((l: any) => l.recordType === 'INSPECTION' && l.ownerJurisdiction === 'QINGPU'))
      .toMatchObject({ canRead: true, rule: 'sharing.grant', grantId: app.id, maskedFields: expect.arrayContaining(['findings', 'steps', 'jointJurisdictions']) });

    // The audit rows of those reads carry the grant; the reader's own district's do not.
    const audit = await t.db.ds.query(`SELECT owner_jurisdiction AS o, grant_id AS g, masked, record_keys AS k FROM audit_event WHERE org = $1 AND resource_type = 'INSPECTION' AND NOT denied ORDER BY id`, [APPLICANT_ORG]);
    const qingpuRows = audit.filter((r: any) => r.o === 'QINGPU');
    expect(qingpuRows).toHaveLength(2);
    for (const r of qingpuRows) expect(r).toMatchObject({ g: app.id, masked: true, k: [qingpuNo] });
    expect(audit.filter((r: any) => r.o === 'WUJIANG').map((r: any) => r.g)).toEqual([null]);
    // The owner's auditor asks which reads went through the grant.
    const owner = await t.gql(`query($g: ID) { auditEvents(filter: { grantId: $g }) { totalCount edges { node { org resourceType ownerJurisdiction grantId recordKeys } } } }`,
      { g: app.id }, { token: await t.token('QINGPU', ['AUDITOR']) });
    expect(owner.body.data.auditEvents.totalCount).toBe(2);
    for (const e of owner.body.data.auditEvents.edges) expect(e.node).toEqual({ org: APPLICANT_ORG, resourceType: 'INSPECTION', ownerJurisdiction: 'QINGPU', grantId: app.id, recordKeys: [qingpuNo] });

    // Revocation, with reasons, by the provider.
    const revoked = await t.gql(`mutation($id: ID!) { revokeSharingApplication(id: $id, reason: "used beyond the stated case") { status decisionReason history { to by } } }`, { id: app.id }, { token: qingpuSteward });
    expect(revoked.body.data.revokeSharingApplication).toMatchObject({ status: 'REVOKED', decisionReason: 'used beyond the stated case' });
    expect(revoked.body.data.revokeSharingApplication.history.at(-1)).toEqual({ to: 'REVOKED', by: 'steward-qingpu' });

    // Reads refused again.
    const refused = await t.gql(INSPECTION_BY_KEY, { k: qingpuNo }, { token: reader });
    expect(refused.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'sharing.conditional', applyFor: INSPECTIONS });
    const listAfter = await t.gql(INSPECTION_LIST, {}, { token: reader });
    expect(listAfter.body.data.inspections.edges.map((e: any) => e.node.ownerJurisdiction)).toEqual(['WUJIANG']);

    // Every change was told on the channel, small: id, status and the districts.
    await new Promise((r) => setTimeout(r, 200));
    const told = events.filter((e) => e.id === app.id);
    expect(told.map((e) => e.status)).toEqual(['SUBMITTED', 'UNDER_REVIEW', 'APPROVED', 'ACTIVE', 'REVOKED']);
    expect(told[0]).toMatchObject({ providerJurisdiction: 'QINGPU', requesterJurisdiction: 'WUJIANG', districts: ['QINGPU'] });
  });
});

describe('the dispute path and supervision', () => {
  test('reject with reasons → negotiate → coordination → ZONE approves part of the districts', async () => {
    const r = await apply({ districts: ['QINGPU', 'JIASHAN'] });
    const app = r.body.data.applyForSharing;
    expect(app.providerJurisdiction).toBe('ZONE');
    const rej = await t.gql(`mutation($id: ID!) { rejectSharingApplication(id: $id, reason: "the case is closed") { status decisionReason } }`, { id: app.id }, { token: zoneSteward });
    expect(rej.body.data.rejectSharingApplication).toEqual({ status: 'REJECTED', decisionReason: 'the case is closed' });
    const neg = await t.gql(`mutation($id: ID!) { negotiateSharingApplication(id: $id, note: "a new complaint reopened it") { status } }`, { id: app.id }, { token: reader });
    expect(neg.body.data.negotiateSharingApplication.status).toBe('NEGOTIATION');
    const esc = await t.gql(`mutation($id: ID!) { escalateSharingApplication(id: $id, note: "no agreement") { status } }`, { id: app.id }, { token: reader });
    expect(esc.body.data.escalateSharingApplication.status).toBe('COORDINATION');
    // Only ZONE coordinates.
    const notZone = await t.gql(`mutation($id: ID!) { coordinateSharingApplication(id: $id, approve: true, reason: "x") { status } }`, { id: app.id }, { token: qingpuSteward });
    expect(notZone.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'sharing.coordinatorOnly' });
    const co = await t.gql(`mutation($id: ID!) { coordinateSharingApplication(id: $id, approve: true, reason: "needed for the joint case", input: { districts: [JIASHAN] }) { status grantedDistricts history { to } } }`,
      { id: app.id }, { token: zoneSteward });
    expect(co.body.data.coordinateSharingApplication).toMatchObject({ status: 'ACTIVE', grantedDistricts: ['JIASHAN'] });
    expect(co.body.data.coordinateSharingApplication.history.map((h: any) => h.to)).toEqual(['SUBMITTED', 'UNDER_REVIEW', 'REJECTED', 'NEGOTIATION', 'COORDINATION', 'APPROVED', 'ACTIVE']);
    const list = await t.gql(INSPECTION_LIST, {}, { token: reader });
    expect(list.body.data.inspections.edges.map((e: any) => e.node.ownerJurisdiction).sort()).toEqual(['JIASHAN', 'WUJIANG']);
    // Suspended: reads stop; resumed: they run again.
    await t.gql(`mutation($id: ID!) { suspendSharingApplication(id: $id, reason: "security incident at the requester") { status } }`, { id: app.id }, { token: zoneSteward });
    expect((await t.gql(INSPECTION_LIST, {}, { token: reader })).body.data.inspections.edges.map((e: any) => e.node.ownerJurisdiction)).toEqual(['WUJIANG']);
    await t.gql(`mutation($id: ID!) { resumeSharingApplication(id: $id) { status } }`, { id: app.id }, { token: zoneSteward });
    expect((await t.gql(INSPECTION_LIST, {}, { token: reader })).body.data.inspections.edges.map((e: any) => e.node.ownerJurisdiction).sort()).toEqual(['JIASHAN', 'WUJIANG']);
    await t.gql(`mutation($id: ID!) { revokeSharingApplication(id: $id, reason: "case closed") { status } }`, { id: app.id }, { token: zoneSteward });
  });

  test('overdue applications are listed for ZONE only', async () => {
    const r = await apply();
    const id = r.body.data.applyForSharing.id;
    // Time passing: the due day moved into the past (the deadline's own computation is tested in unit/sharing-due.test.ts).
    await t.db.ds.query(`UPDATE sharing_application SET due_on = $2 WHERE id = $1`, [id, addDays(today, -1)]);
    const zone = await t.gql('{ overdueSharingApplications { id overdue status } }', {}, { token: zoneSteward });
    expect(zone.body.data.overdueSharingApplications).toContainEqual({ id, overdue: true, status: 'SUBMITTED' });
    const district = await t.gql('{ overdueSharingApplications { id } }', {}, { token: qingpuSteward });
    expect(district.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'sharing.zoneOnly' });
    await t.gql(`mutation($id: ID!) { rejectSharingApplication(id: $id, reason: "late but no") { status } }`, { id }, { token: qingpuSteward });
  });

  test('X-Purpose EMERGENCY still reads without a grant, and the owner sees the read listed', async () => {
    const r = await t.gql(INSPECTION_BY_KEY, { k: data.JIASHAN.inspection.inspectionNo }, { token: reader, purpose: 'EMERGENCY' });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.inspection.ownerJurisdiction).toBe('JIASHAN');
    const auditor = await t.token('JIASHAN', ['AUDITOR']);
    const reads = await t.gql('{ emergencyReads(first: 50) { totalCount edges { node { org ownerJurisdiction resourceType recordKeys } } } }', {}, { token: auditor });
    expect(reads.body.data.emergencyReads.edges.map((e: any) => e.node)).toContainEqual({ org: APPLICANT_ORG, ownerJurisdiction: 'JIASHAN', resourceType: 'INSPECTION', recordKeys: [data.JIASHAN.inspection.inspectionNo] });
    // Another district's auditor does not see Jiashan's.
    const other = await t.gql('{ emergencyReads(first: 50) { edges { node { ownerJurisdiction } } } }', {}, { token: await t.token('QINGPU', ['AUDITOR']) });
    expect(other.body.data.emergencyReads.edges.map((e: any) => e.node.ownerJurisdiction)).not.toContain('JIASHAN');
  });
});

describe('bad input: a typed error naming the field or rule, nothing changed', () => {
  const cases: Array<[string, Record<string, unknown>, string, string]> = [
    ['an unconditional resource', { resourceCode: '211014/0002', items: ['decisionNo'] }, 'BAD_USER_INPUT', 'input.resourceCode'],
    ['a resource not shared', { resourceCode: '211008/0001', items: ['x'] }, 'BAD_USER_INPUT', 'input.resourceCode'],
    ['a resource the catalog lacks', { resourceCode: '999999/0001' }, 'BAD_USER_INPUT', 'input.resourceCode'],
    ['an item the resource does not have', { items: ['inspectionNo', 'salary'] }, 'BAD_USER_INPUT', 'input.items'],
    ['a period in the past', { validFrom: addDays(today, -3), validTo: addDays(today, 10) }, 'BAD_USER_INPUT', 'input.validFrom'],
    ['a period longer than the configured maximum', { validTo: addDays(today, 400) }, 'BAD_USER_INPUT', 'input.validTo'],
    ['a period ending before it starts', { validFrom: addDays(today, 5), validTo: addDays(today, 2) }, 'BAD_USER_INPUT', 'input.validTo'],
    ['a purpose the resource does not list', { purpose: 'RESEARCH' }, 'BAD_USER_INPUT', 'input.purpose'],
    ['data of the applicant\'s own district', { districts: ['WUJIANG'] }, 'BAD_USER_INPUT', 'input.districts'],
    ['a blank commitment', { commitment: '   ' }, 'BAD_USER_INPUT', 'input.commitment'],
  ];
  test.each(cases)('applying for %s', async (_name, over, code, field) => {
    const before = await counts();
    const r = await apply(over);
    expect(r.body.data).toBeNull();
    expect(r.body.errors[0].extensions).toMatchObject({ code, field });
    expect(await counts()).toEqual(before);
  });

  test('deciding: own application, another district\'s, wrong state, no reason, unknown id; the public cannot apply', async () => {
    const app = (await apply()).body.data.applyForSharing;
    const before = await counts();
    const own = await t.token('QINGPU', ['DATA_STEWARD'], { org: APPLICANT_ORG });
    const tries: Array<[string, string, Record<string, unknown>, string, Record<string, unknown>]> = [
      ['own application', `mutation($id: ID!) { approveSharingApplication(id: $id) { status } }`, { id: app.id }, own, { code: 'FORBIDDEN', rule: 'sharing.ownApplication' }],
      ['another district', `mutation($id: ID!) { approveSharingApplication(id: $id) { status } }`, { id: app.id }, jiashanSteward, { code: 'FORBIDDEN', rule: 'sharing.otherProvider' }],
      ['without the steward role', `mutation($id: ID!) { approveSharingApplication(id: $id) { status } }`, { id: app.id }, await t.token('QINGPU', ['DOSSIER_READER']), { code: 'FORBIDDEN', rule: 'role.required' }],
      ['revoking what is not granted', `mutation($id: ID!) { revokeSharingApplication(id: $id, reason: "x") { status } }`, { id: app.id }, qingpuSteward, { code: 'CONFLICT', rule: 'sharing.transition', field: 'status' }],
      ['negotiating what is not rejected', `mutation($id: ID!) { negotiateSharingApplication(id: $id, note: "x") { status } }`, { id: app.id }, reader, { code: 'CONFLICT', rule: 'sharing.transition' }],
      ['rejecting without a reason', `mutation($id: ID!) { rejectSharingApplication(id: $id, reason: " ") { status } }`, { id: app.id }, qingpuSteward, { code: 'BAD_USER_INPUT', field: 'reason' }],
      ['granting items not applied for', `mutation($id: ID!) { approveSharingApplication(id: $id, input: { items: ["findings"] }) { status } }`, { id: app.id }, qingpuSteward, { code: 'BAD_USER_INPUT', field: 'input.items' }],
      ['extending the period', `mutation($id: ID!, $to: Date) { approveSharingApplication(id: $id, input: { validTo: $to }) { status } }`, { id: app.id, to: addDays(today, 90) }, qingpuSteward, { code: 'BAD_USER_INPUT', field: 'input.validTo' }],
      ['an id that is no id', `mutation { approveSharingApplication(id: "nope") { status } }`, {}, qingpuSteward, { code: 'BAD_USER_INPUT', field: 'id' }],
      ['an unknown id', `mutation { approveSharingApplication(id: "00000000-0000-4000-8000-000000000000") { status } }`, {}, qingpuSteward, { code: 'NOT_FOUND', field: 'id' }],
    ];
    for (const [name, q, vars, token, ext] of tries) {
      const r = await t.gql(q, vars, { token });
      expect({ name, ext: r.body.errors?.[0]?.extensions }).toEqual({ name, ext: expect.objectContaining(ext) });
      expect({ name, counts: await counts() }).toEqual({ name, counts: before });
    }
    const pub = await t.gql(`mutation($i: ApplyForSharingInput!) { applyForSharing(input: $i) { id } }`, { i: application() });
    expect(pub.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'sharing.apply.agencyOnly' });
    expect(await counts()).toEqual(before);
    const status = await t.gql(`query($id: ID!) { sharingApplication(id: $id) { status history { to } } }`, { id: app.id }, { token: reader });
    expect(status.body.data.sharingApplication).toEqual({ status: 'SUBMITTED', history: [{ to: 'SUBMITTED' }] });
    // A district that is no party does not see it.
    const stranger = await t.gql(`query($id: ID!) { sharingApplication(id: $id) { id } }`, { id: app.id }, { token: await t.token('JIASHAN', ['DOSSIER_READER']) });
    expect(stranger.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'sharing.notParty' });
  });
});

describe('framework grants carry the standing arrangements over', () => {
  test('a district bureau keeps its ENFORCEMENT reads of other districts\' inspections without X-Purpose, through a framework grant', async () => {
    const token = await t.token('QINGPU', ['DOSSIER_READER', 'ENFORCEMENT']); // org QINGPU-EEB
    const r = await t.gql(INSPECTION_BY_KEY, { k: data.WUJIANG.inspection.inspectionNo }, { token });
    expect(r.body.errors).toBeUndefined();
    const [grant] = await t.db.ds.query(`SELECT id FROM sharing_application WHERE kind = 'FRAMEWORK' AND applicant_org = 'QINGPU-EEB' AND resource_code = $1`, [INSPECTIONS]);
    const [audit] = await t.db.ds.query(`SELECT grant_id FROM audit_event WHERE org = 'QINGPU-EEB' AND resource_type = 'INSPECTION' AND owner_jurisdiction = 'WUJIANG' ORDER BY id DESC LIMIT 1`);
    expect(audit.grant_id).toBe(grant.id);
    // Without the purpose's role the grant is not usable, and the refusal names it.
    const noRole = await t.gql(INSPECTION_BY_KEY, { k: data.WUJIANG.inspection.inspectionNo }, { token: await t.token('QINGPU', ['DOSSIER_READER']) });
    expect(noRole.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'sharing.grant.role', grantId: grant.id, requiredRoles: ['ENFORCEMENT'] });
    const frameworks = await t.gql(`{ sharingApplications(filter: { kind: FRAMEWORK, scope: MINE }, first: 100) { totalCount } }`, {}, { token });
    expect(frameworks.body.data.sharingApplications.totalCount).toBeGreaterThan(0);
  });
});
