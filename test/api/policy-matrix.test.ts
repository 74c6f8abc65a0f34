import path from 'node:path';
import { loadCatalogFiles } from '../../src/modules/catalog/catalog-files';
import { District, DISTRICTS, districtsCoveredBy, Jurisdiction } from '../../src/domain/jurisdictions';
import { dossierPerDistrict } from '../support/factories';
import { startTestHub, TestHub } from '../support/hub';

/**
 * The sharing policy as a table, through HTTP: every principal kind × roles × purpose against
 * records of every type owned by each district, checking the rows returned, totals and masks.
 * The expected outcome is the policy stated in words below, with the sharing terms taken from
 * the catalog files (so the test follows the catalog the bureaus agreed) and the grants read from
 * the database: the framework grants the migration made of the standing arrangements (issue 12).
 * Test tokens carry `org: <JURISDICTION>-EEB`, so the district bureaus and Shanghai's hold them.
 */
const { catalog } = loadCatalogFiles(path.resolve(__dirname, '../../catalog'));
if (!catalog) throw new Error('the catalog must be valid for this test');
const sharing = new Map(catalog.resources.filter((r) => r.recordType).map((r) => [r.recordType!, r.sharing]));
const openToPublic = new Map(catalog.resources.filter((r) => r.recordType).map((r) => [r.recordType!, r.openToPublic.open]));
const purposeRoles = new Map(catalog.purposes.map((p) => [p.code, p.roles as string[]]));
const codeOf = new Map(catalog.resources.filter((r) => r.recordType).map((r) => [r.recordType!, r.code]));
let grants: Array<{ org: string; code: string; purpose: string; districts: string[] }> = [];

const LISTS: Array<[string, string, string]> = [
  ['enterprises', 'ENTERPRISE', 'ownerJurisdiction legalRepresentative { idNumber }'],
  ['eiaApprovals', 'EIA_APPROVAL', 'ownerJurisdiction'],
  ['permits', 'PERMIT', 'ownerJurisdiction'],
  ['inspections', 'INSPECTION', 'ownerJurisdiction findings'],
  ['penalties', 'PENALTY', 'ownerJurisdiction publicityUntil'],
  ['complaints', 'COMPLAINT', 'ownerJurisdiction complainant { name phone idNumber }'],
  ['creditRecords', 'CREDIT_RECORD', 'ownerJurisdiction'],
];
const QUERY = `{ ${LISTS.map(([f, , sel]) => `${f}(first: 500) { totalCount edges { node { ${sel} } } }`).join(' ')} }`;

interface Who { jurisdiction: Jurisdiction | null; roles: string[] }

/** The policy in words: who reads records of `type` owned by `owner`. */
function mayRead(who: Who, purpose: string | null, type: string, owner: District): boolean {
  if (!who.jurisdiction) return openToPublic.get(type as never) === true; // rule 5: what the catalog opens to the public (penalties while publicised: checked on the rows)
  if (who.jurisdiction === 'CREDIT_YRD') return type === 'CREDIT_RECORD' && who.roles.includes('CREDIT_FEED'); // rule 4
  if (!who.roles.includes('DOSSIER_READER')) return false;
  if (districtsCoveredBy(who.jurisdiction).includes(owner)) return true; // rule 1
  const s = sharing.get(type as never)!; // rule 2
  if (s.type === 'UNCONDITIONAL') return true;
  if (s.type === 'NOT_SHARED') return false;
  // Conditional: an active grant to the caller's agency covering the owner, used with a role of its purpose;
  // without one, only a declared EMERGENCY the resource lists, with that purpose's role.
  const org = `${who.jurisdiction}-EEB`;
  const granted = grants.some((g) => g.org === org && g.code === codeOf.get(type as never) && g.districts.includes(owner)
    && (purposeRoles.get(g.purpose) ?? []).some((r) => who.roles.includes(r)));
  const emergency = purpose === 'EMERGENCY' && s.conditions!.purposes.includes('EMERGENCY') && (purposeRoles.get('EMERGENCY') ?? []).some((r) => who.roles.includes(r));
  return granted || emergency;
}

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub('empty');
  await dossierPerDistrict(t.db.ds, [...DISTRICTS]);
  grants = await t.db.ds.query(`SELECT applicant_org AS org, resource_code AS code, purpose, granted_districts AS districts FROM sharing_application WHERE status = 'ACTIVE'`);
});
afterAll(() => t.close());

const PRINCIPALS: Array<Jurisdiction | null> = [...Object.values(Jurisdiction), null];
const ROLE_SETS = [['DOSSIER_READER'], ['DOSSIER_READER', 'ENFORCEMENT'], ['DOSSIER_READER', 'COMPLAINT_HANDLER'], ['CREDIT_FEED'], []];
const PURPOSES = [null, 'ENFORCEMENT', 'RESEARCH', 'CREDIT_ASSESSMENT', 'EMERGENCY'];

const cases: Array<[string, Who, string | null]> = [];
for (const j of PRINCIPALS) for (const roles of j ? ROLE_SETS : [[]]) for (const purpose of PURPOSES) {
  cases.push([`${j ?? 'public'} [${roles.join(',')}] purpose=${purpose ?? '-'}`, { jurisdiction: j, roles }, purpose]);
}

test('the matrix covers every principal kind, role set and purpose', () => {
  expect(cases).toHaveLength(8 * 5 * 5 + 5);
  expect(grants.length).toBeGreaterThan(0);
  expect([...sharing.values()].map((s) => s.type).sort()).toEqual(expect.arrayContaining(['CONDITIONAL', 'UNCONDITIONAL']));
});

describe.each(cases)('%s', (_name, who, purpose) => {
  test('rows, totals and masks', async () => {
    const token = who.jurisdiction ? await t.token(who.jurisdiction, who.roles) : undefined;
    const r = await t.gql(QUERY, {}, { token, purpose: purpose ?? undefined });
    expect(r.body.errors).toBeUndefined();
    for (const [field, type] of LISTS) {
      const conn = r.body.data[field];
      const nodes = conn.edges.map((e: any) => e.node);
      const owners = [...new Set(nodes.map((n: any) => n.ownerJurisdiction))].sort();
      const expected = DISTRICTS.filter((d) => mayRead(who, purpose, type, d)).sort();
      expect({ field, owners }).toEqual({ field, owners: expected });
      expect({ field, total: conn.totalCount }).toEqual({ field, total: nodes.length });
      if (field === 'penalties') {
        // Each district has a publicised penalty and one whose publicity ended; the public sees only the first.
        expect(nodes.length).toBe(expected.length * (who.jurisdiction ? 2 : 1));
      }
      for (const n of nodes) {
        if (field === 'enterprises') {
          const full = districtsCoveredBy(who.jurisdiction as Jurisdiction).includes(n.ownerJurisdiction);
          expect(n.legalRepresentative.idNumber).toBe(full ? '320584198001011234' : '3205**********1234');
        }
        if (field === 'inspections') expect(n.findings).toBe(who.roles.includes('ENFORCEMENT') ? '雨水排口有异常排水，已责令整改。' : null);
        if (field === 'complaints') {
          const full = who.roles.includes('COMPLAINT_HANDLER') && who.jurisdiction === n.ownerJurisdiction;
          expect(n.complainant).toEqual(full
            ? { name: '李四', phone: '13812345678', idNumber: '310101199001011234' }
            : { name: '李*', phone: '138****5678', idNumber: '3101**********1234' });
        }
      }
    }
  });
});

describe('asking by key', () => {
  test('a conditional record of another district: FORBIDDEN naming the resource to apply for; open with EMERGENCY, or through a grant', async () => {
    const [row] = await t.db.ds.query(`SELECT inspection_no FROM inspection WHERE owner_jurisdiction = 'QINGPU' LIMIT 1`);
    const q = `query($k: String!) { inspection(inspectionNo: $k) { inspectionNo findings } }`;
    // An agency without a grant (not party to the standing arrangements).
    const token = await t.token('WUJIANG', ['DOSSIER_READER', 'ENFORCEMENT'], { org: 'WUJIANG-JET' });
    const denied = await t.gql(q, { k: row.inspection_no }, { token, purpose: 'ENFORCEMENT' });
    expect(denied.body.errors[0].extensions).toMatchObject({
      code: 'FORBIDDEN', rule: 'sharing.conditional', recordType: 'INSPECTION', ownerJurisdiction: 'QINGPU',
      allowedPurposes: ['EMERGENCY'], applyFor: codeOf.get('INSPECTION' as never),
    });
    const emergency = await t.gql(q, { k: row.inspection_no }, { token, purpose: 'EMERGENCY' });
    expect(emergency.body.data.inspection).toEqual({ inspectionNo: row.inspection_no, findings: '雨水排口有异常排水，已责令整改。' });
    // The Wujiang bureau reads it through its framework grant, with no X-Purpose.
    const bureau = await t.gql(q, { k: row.inspection_no }, { token: await t.token('WUJIANG', ['DOSSIER_READER', 'ENFORCEMENT']) });
    expect(bureau.body.data.inspection).toEqual({ inspectionNo: row.inspection_no, findings: '雨水排口有异常排水，已责令整改。' });
  });

  test('a grant held without the role its purpose needs says which roles, and names the grant', async () => {
    const [row] = await t.db.ds.query(`SELECT ticket_no FROM complaint WHERE owner_jurisdiction = 'JIASHAN' LIMIT 1`);
    const [g] = await t.db.ds.query(`SELECT id FROM sharing_application WHERE applicant_org = 'QINGPU-EEB' AND resource_code = $1 AND status = 'ACTIVE'`, [codeOf.get('COMPLAINT' as never)]);
    const r = await t.gql(`query($k: String!) { complaint(ticketNo: $k) { ticketNo } }`, { k: row.ticket_no }, { token: await t.token('QINGPU', ['DOSSIER_READER']), purpose: 'ENFORCEMENT' });
    expect(r.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'sharing.grant.role', requiredRoles: ['ENFORCEMENT'], grantId: g.id });
  });

  test('the public: a publicised penalty yes, an enterprise no', async () => {
    const [p] = await t.db.ds.query(`SELECT decision_no FROM penalty WHERE publicity_until > current_date LIMIT 1`);
    const ok = await t.gql(`query($k: String!) { penalty(decisionNo: $k) { decisionNo enterprise { uscc } } }`, { k: p.decision_no });
    expect(ok.body.data.penalty).toEqual({ decisionNo: p.decision_no, enterprise: null });
    const [e] = await t.db.ds.query(`SELECT uscc FROM enterprise LIMIT 1`);
    const no = await t.gql(`query($u: USCC!) { enterprise(uscc: $u) { uscc } }`, { u: e.uscc });
    expect(no.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'public.notOpen' });
  });
});
