import request from 'supertest';
import { startTestHub, TestHub } from '../support/hub';

/** Reads of enterprise dossiers through HTTP, on a clone of the seeded template. */
let t: TestHub;
let wujiang: string; // DOSSIER_READER of Wujiang
let zone: string;
let jiangsu: string;
let counts: Record<string, number>;

beforeAll(async () => {
  t = await startTestHub('demo');
  // A Wujiang agency without sharing grants: the bureau (WUJIANG-EEB) holds framework grants on the conditional resources (issue 12).
  wujiang = await t.token('WUJIANG', ['DOSSIER_READER'], { org: 'WUJIANG-JET' });
  zone = await t.token('ZONE', ['DOSSIER_READER']);
  jiangsu = await t.token('JIANGSU', ['DOSSIER_READER']);
  const rows: Array<{ j: string; n: number }> = await t.db.ds.query('SELECT owner_jurisdiction AS j, count(*)::int AS n FROM enterprise GROUP BY 1');
  counts = Object.fromEntries(rows.map((r) => [r.j, r.n]));
});
afterAll(() => t.close());

const LIST = `query($filter: EnterpriseFilter, $first: Int, $after: String) {
  enterprises(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { uscc name jurisdiction } }
  } }`;

describe('enterprise list and rule 1 scoping', () => {
  test('the demo data covers all three districts', () => {
    expect(Object.keys(counts).sort()).toEqual(['JIASHAN', 'QINGPU', 'WUJIANG']);
    for (const n of Object.values(counts)) expect(n).toBeGreaterThan(10);
  });

  test('enterprises are shared unconditionally: a district reader lists all three districts, totalCount included', async () => {
    const total = counts.WUJIANG + counts.QINGPU + counts.JIASHAN;
    const r = await t.gql(LIST, { first: 500 }, { token: wujiang });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.enterprises.totalCount).toBe(total);
    const own = await t.gql(LIST, { first: 500, filter: { jurisdiction: 'WUJIANG' } }, { token: wujiang });
    expect(own.body.data.enterprises.totalCount).toBe(counts.WUJIANG);
    for (const e of own.body.data.enterprises.edges) expect(e.node.uscc.slice(2, 8)).toBe('320509');
  });

  test('complaints are conditional: own district only without a purpose; province reads the district below, ZONE all', async () => {
    const q = `{ complaints(first: 500) { totalCount edges { node { ownerJurisdiction } } } }`;
    const n: Record<string, number> = Object.fromEntries((await t.db.ds.query('SELECT owner_jurisdiction AS j, count(*)::int AS n FROM complaint GROUP BY 1')).map((r: any) => [r.j, r.n]));
    const own = await t.gql(q, {}, { token: wujiang });
    expect(own.body.data.complaints.totalCount).toBe(n.WUJIANG);
    expect(new Set(own.body.data.complaints.edges.map((e: any) => e.node.ownerJurisdiction))).toEqual(new Set(['WUJIANG']));
    expect((await t.gql(q, {}, { token: jiangsu })).body.data.complaints.totalCount).toBe(n.WUJIANG);
    expect((await t.gql(q, {}, { token: zone })).body.data.complaints.totalCount).toBe(n.WUJIANG + n.QINGPU + n.JIASHAN);
  });

  test('the public, a reader without DOSSIER_READER and the credit platform see no dossier rows', async () => {
    const pub = await t.gql(LIST, {});
    expect(pub.body.data.enterprises).toMatchObject({ totalCount: 0, edges: [] });
    const noRole = await t.gql(LIST, {}, { token: await t.token('WUJIANG', ['CATALOG_READER']) });
    expect(noRole.body.errors).toBeUndefined();
    expect(noRole.body.data.enterprises.totalCount).toBe(0);
    const credit = await t.gql(LIST, {}, { token: await t.token('CREDIT_YRD', ['CREDIT_FEED']) });
    expect(credit.body.data.enterprises.totalCount).toBe(0);
  });

  test('a ZONE filter by jurisdiction narrows to that district (a province filter to its districts)', async () => {
    const r = await t.gql(LIST, { first: 500, filter: { jurisdiction: 'QINGPU' } }, { token: zone });
    expect(r.body.data.enterprises.totalCount).toBe(counts.QINGPU);
    const s = await t.gql(LIST, { first: 500, filter: { jurisdiction: 'ZHEJIANG' } }, { token: zone });
    expect(s.body.data.enterprises.totalCount).toBe(counts.JIASHAN);
  });

  test('keyset pages walk the whole list once, in USCC order', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const r: any = await t.gql(LIST, { first: 37, after }, { token: zone });
      expect(r.body.errors).toBeUndefined();
      const c = r.body.data.enterprises;
      seen.push(...c.edges.map((e: any) => e.node.uscc));
      after = c.pageInfo.hasNextPage ? c.pageInfo.endCursor : null;
      pages++;
    } while (after && pages < 50);
    const total = counts.WUJIANG + counts.QINGPU + counts.JIASHAN;
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect([...seen].sort()).toEqual(seen);
  });

  test('nameContains matches literally (a % is not a wildcard) and industryCode by prefix', async () => {
    const [{ name, industry_code }] = await t.db.ds.query(`SELECT name, industry_code FROM enterprise WHERE owner_jurisdiction = 'WUJIANG' ORDER BY uscc LIMIT 1`);
    const part = [...name].slice(2, 6).join('');
    const r = await t.gql(LIST, { first: 500, filter: { jurisdiction: 'WUJIANG', nameContains: part } }, { token: wujiang });
    expect(r.body.data.enterprises.edges.map((e: any) => e.node.name)).toContain(name);
    for (const e of r.body.data.enterprises.edges) expect(e.node.name).toContain(part);
    const pct = await t.gql(LIST, { filter: { jurisdiction: 'WUJIANG', nameContains: '%' } }, { token: wujiang });
    expect(pct.body.data.enterprises.totalCount).toBe(0);
    const ind = await t.gql(LIST, { first: 500, filter: { jurisdiction: 'WUJIANG', industryCode: industry_code.slice(0, 3) } }, { token: wujiang });
    const [{ n }] = await t.db.ds.query(`SELECT count(*)::int n FROM enterprise WHERE owner_jurisdiction = 'WUJIANG' AND industry_code LIKE $1`, [industry_code.slice(0, 3) + '%']);
    expect(ind.body.data.enterprises.totalCount).toBe(n);
  });

  test('penalizedSince and creditLevel filter through the records the caller may see', async () => {
    const [{ n }] = await t.db.ds.query(`SELECT count(DISTINCT e.id)::int n FROM enterprise e JOIN penalty p ON p.enterprise_id = e.id WHERE e.owner_jurisdiction = 'WUJIANG' AND p.decision_date >= '2024-01-01'`);
    const r = await t.gql(LIST, { filter: { jurisdiction: 'WUJIANG', penalizedSince: '2024-01-01' } }, { token: wujiang });
    expect(r.body.data.enterprises.totalCount).toBe(n);
    expect(n).toBeGreaterThan(0);
    const [{ level }] = await t.db.ds.query(`SELECT level FROM credit_record WHERE owner_jurisdiction = 'WUJIANG' AND kind = 'EVALUATION' GROUP BY level ORDER BY count(*) DESC LIMIT 1`);
    const [{ m }] = await t.db.ds.query(`SELECT count(*)::int m FROM enterprise e WHERE e.owner_jurisdiction = 'WUJIANG' AND
      (SELECT c.level FROM credit_record c WHERE c.enterprise_id = e.id AND c.kind = 'EVALUATION' ORDER BY c.effective_on DESC LIMIT 1) = $1`, [level]);
    // Credit records are conditional: without a grant only Wujiang's evaluations are visible, so only Wujiang enterprises match.
    const byLevel = await t.gql(LIST, { filter: { creditLevel: level } }, { token: wujiang });
    expect(byLevel.body.data.enterprises.totalCount).toBe(m);
  });
});

describe('one enterprise by USCC', () => {
  const ONE = `query($uscc: USCC!) { enterprise(uscc: $uscc) {
    uscc name legalRepresentative { name idNumber }
    penalties(first: 5) { totalCount edges { node { decisionNo fineAmount categories decisionDate enterprise { uscc } } } }
    permits { totalCount } eiaApprovals { totalCount } inspections { totalCount edges { node { findings steps { step at } } } }
    complaints { totalCount edges { node { complainant { name phone idNumber } } } } creditRecords { totalCount }
    creditStatus { scheme level levelName evaluationYear blacklisted listing { decisionNo } }
  } }`;

  test('the owner district reads the full dossier; counts match the database', async () => {
    const [e] = await t.db.ds.query(`SELECT e.id, e.uscc, e.legal_rep_id_number FROM enterprise e WHERE e.owner_jurisdiction = 'WUJIANG'
      AND EXISTS (SELECT 1 FROM penalty p WHERE p.enterprise_id = e.id) ORDER BY e.uscc LIMIT 1`);
    const r = await t.gql(ONE, { uscc: e.uscc }, { token: wujiang });
    expect(r.body.errors).toBeUndefined();
    const d = r.body.data.enterprise;
    expect(d.uscc).toBe(e.uscc);
    expect(d.legalRepresentative.idNumber).toBe(e.legal_rep_id_number);
    for (const [field, table] of [['penalties', 'penalty'], ['permits', 'permit'], ['eiaApprovals', 'eia_approval'], ['inspections', 'inspection'], ['complaints', 'complaint'], ['creditRecords', 'credit_record']]) {
      const [{ n }] = await t.db.ds.query(`SELECT count(*)::int n FROM ${table} WHERE enterprise_id = $1`, [e.id]);
      expect({ field, n: d[field].totalCount }).toEqual({ field, n });
    }
    const p = d.penalties.edges[0].node;
    expect(p.enterprise.uscc).toBe(e.uscc);
    expect(p.fineAmount).toMatch(/^\d+\.\d{2}$/);
    const dates = d.penalties.edges.map((x: any) => x.node.decisionDate);
    expect([...dates].sort().reverse()).toEqual(dates);
  });

  test('another district\'s enterprise: visible, ID number masked, conditional records hidden', async () => {
    const [e] = await t.db.ds.query(`SELECT e.uscc, e.legal_rep_id_number FROM enterprise e WHERE e.owner_jurisdiction = 'QINGPU'
      AND EXISTS (SELECT 1 FROM complaint c WHERE c.enterprise_id = e.id) ORDER BY e.uscc LIMIT 1`);
    const r = await t.gql(ONE, { uscc: e.uscc }, { token: wujiang });
    expect(r.body.errors).toBeUndefined();
    const d = r.body.data.enterprise;
    expect(d.legalRepresentative.idNumber).toBe(e.legal_rep_id_number.slice(0, 4) + '*'.repeat(10) + e.legal_rep_id_number.slice(-4));
    expect(d.complaints.totalCount).toBe(0);
    // Qingpu's credit records are not Wujiang's to read: the status is withheld and said so, never a false "not blacklisted".
    expect(d.creditStatus).toBeNull();
    expect(r.body.extensions.policy.withheld).toEqual([{ field: 'Enterprise.creditStatus', ownerJurisdictions: ['QINGPU'], rule: 'sharing.conditional', allowedPurposes: [], applyFor: '211016/0001' }]);
    expect(r.body.extensions.policy.masked).toContainEqual({ field: 'Enterprise.legalRepresentative.idNumber', rule: 'mask.legalRepresentative.outsideOwner' });
  });

  test('a valid USCC that is not in the hub is null, not an error', async () => {
    const r = await t.gql(ONE, { uscc: '91350100M000100Y43' }, { token: wujiang });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.enterprise).toBeNull();
  });

  test('masks: complainant details and findings are hidden from a plain dossier reader, and listed in extensions.policy', async () => {
    const [row] = await t.db.ds.query(`SELECT e.uscc, c.complainant_name, c.complainant_phone FROM complaint c JOIN enterprise e ON e.id = c.enterprise_id
      WHERE c.owner_jurisdiction = 'WUJIANG' AND c.complainant_phone IS NOT NULL ORDER BY c.ticket_no LIMIT 1`);
    const r = await t.gql(ONE, { uscc: row.uscc }, { token: wujiang });
    const complainants = r.body.data.enterprise.complaints.edges.map((x: any) => x.node.complainant);
    expect(complainants.length).toBeGreaterThan(0);
    for (const c of complainants) {
      if (c.phone) expect(c.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
      if (c.name) expect(c.name).toMatch(/^.\*+$/u);
      if (c.idNumber) expect(c.idNumber).toMatch(/^.{4}\*+.{4}$/);
    }
    expect(JSON.stringify(r.body)).not.toContain(row.complainant_phone);
    expect(r.body.extensions.policy.masked).toContainEqual({ field: 'Complaint.complainant', rule: 'mask.complainant.notHandler' });
    const handler = await t.token('WUJIANG', ['DOSSIER_READER', 'COMPLAINT_HANDLER']);
    const h = await t.gql(ONE, { uscc: row.uscc }, { token: handler });
    expect(JSON.stringify(h.body.data)).toContain(row.complainant_phone);
  });

  test('inspection findings need the ENFORCEMENT role', async () => {
    const [row] = await t.db.ds.query(`SELECT e.uscc, i.findings FROM inspection i JOIN enterprise e ON e.id = i.enterprise_id
      WHERE i.owner_jurisdiction = 'WUJIANG' AND i.findings IS NOT NULL ORDER BY i.inspection_no LIMIT 1`);
    const plain = await t.gql(ONE, { uscc: row.uscc }, { token: wujiang });
    expect(plain.body.data.enterprise.inspections.edges.every((x: any) => x.node.findings === null)).toBe(true);
    const enf = await t.gql(ONE, { uscc: row.uscc }, { token: await t.token('WUJIANG', ['DOSSIER_READER', 'ENFORCEMENT']) });
    expect(enf.body.data.enterprise.inspections.edges.map((x: any) => x.node.findings)).toContain(row.findings);
  });

  test('creditStatus shows the latest evaluation with its level name', async () => {
    const [row] = await t.db.ds.query(`SELECT e.uscc, c.level, c.evaluation_year FROM credit_record c JOIN enterprise e ON e.id = c.enterprise_id
      WHERE c.owner_jurisdiction = 'WUJIANG' AND c.kind = 'EVALUATION' ORDER BY c.enterprise_id, c.effective_on DESC LIMIT 1`);
    const r = await t.gql(ONE, { uscc: row.uscc }, { token: wujiang });
    expect(r.body.data.enterprise.creditStatus).toMatchObject({ scheme: 'JIANGSU_5', level: row.level, evaluationYear: row.evaluation_year });
    expect(r.body.data.enterprise.creditStatus.levelName).toMatch(/色$/);
  });
});

describe('root lists of records', () => {
  test('penalties in Wujiang since a date: only Wujiang, only that range, newest first, counted', async () => {
    const q = `query($f: PenaltyFilter) { penalties(filter: $f, first: 500) { totalCount edges { node { decisionNo decisionDate ownerJurisdiction status } } } }`;
    const r = await t.gql(q, { f: { jurisdiction: 'WUJIANG', from: '2024-01-01' } }, { token: zone });
    expect(r.body.errors).toBeUndefined();
    const [{ n }] = await t.db.ds.query(`SELECT count(*)::int n FROM penalty WHERE owner_jurisdiction = 'WUJIANG' AND decision_date >= '2024-01-01'`);
    expect(r.body.data.penalties.totalCount).toBe(n);
    const nodes = r.body.data.penalties.edges.map((e: any) => e.node);
    expect(nodes.every((p: any) => p.ownerJurisdiction === 'WUJIANG' && p.decisionDate >= '2024-01-01')).toBe(true);
    const keys = nodes.map((p: any) => `${p.decisionDate}|${p.decisionNo}`);
    expect([...keys].sort().reverse()).toEqual(keys);
  });

  test('lookups by natural key for each record type: unconditional types cross borders, conditional ones are FORBIDDEN', async () => {
    for (const [field, arg, table, col, shared] of [
      ['eiaApproval', 'approvalNo', 'eia_approval', 'approval_no', true], ['permit', 'permitNo', 'permit', 'permit_no', true],
      ['inspection', 'inspectionNo', 'inspection', 'inspection_no', false], ['penalty', 'decisionNo', 'penalty', 'decision_no', true],
      ['complaint', 'ticketNo', 'complaint', 'ticket_no', false], ['creditRecord', 'recordNo', 'credit_record', 'record_no', false],
    ] as const) {
      const q = `query($k: String!) { ${field}(${arg}: $k) { ownerJurisdiction } }`;
      const [row] = await t.db.ds.query(`SELECT ${col} AS k FROM ${table} WHERE owner_jurisdiction = 'WUJIANG' LIMIT 1`);
      const ok = await t.gql(q, { k: row.k }, { token: wujiang });
      expect({ field, data: ok.body.data[field] }).toEqual({ field, data: { ownerJurisdiction: 'WUJIANG' } });
      const [other] = await t.db.ds.query(`SELECT ${col} AS k FROM ${table} WHERE owner_jurisdiction = 'JIASHAN' LIMIT 1`);
      const cross = await t.gql(q, { k: other.k }, { token: wujiang });
      if (shared) expect({ field, data: cross.body.data[field] }).toEqual({ field, data: { ownerJurisdiction: 'JIASHAN' } });
      else expect({ field, ext: cross.body.errors?.[0].extensions }).toMatchObject({ field, ext: { code: 'FORBIDDEN', rule: 'sharing.conditional', ownerJurisdiction: 'JIASHAN' } });
      const none = await t.gql(q, { k: 'NO-SUCH-KEY' }, { token: wujiang });
      expect({ field, data: none.body.data[field], errors: none.body.errors }).toEqual({ field, data: null, errors: undefined });
    }
  });

  test('status and date filters are applied; a reversed range is BAD_USER_INPUT', async () => {
    const r = await t.gql(`{ permits(filter: { status: VALID }, first: 500) { totalCount edges { node { status } } } }`, {}, { token: zone });
    const [{ n }] = await t.db.ds.query(`SELECT count(*)::int n FROM permit WHERE status = 'VALID'`);
    expect(r.body.data.permits.totalCount).toBe(n);
    const bad = await t.gql(`{ penalties(filter: { from: "2025-01-01", to: "2024-01-01" }) { totalCount } }`, {}, { token: zone });
    expect(bad.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.to' });
  });
});

describe('no N+1: statements per request do not grow with the page size', () => {
  const NESTED = `query($n: Int) { enterprises(first: $n) { edges { node { uscc
    penalties { edges { node { decisionNo } } } permits { edges { node { permitNo } } } inspections { edges { node { inspectionNo } } }
    eiaApprovals { totalCount } complaints { totalCount } creditRecords { totalCount } creditStatus { level } } } } }`;

  test('100 enterprises with six nested lists cost the same statements as 2', async () => {
    const small = await t.gql(NESTED, { n: 2 }, { token: zone });
    const large = await t.gql(NESTED, { n: 100 }, { token: zone });
    expect(small.body.errors).toBeUndefined();
    expect(large.body.errors).toBeUndefined();
    expect(large.body.data.enterprises.edges).toHaveLength(100);
    // One statement: the list, the six nested lists, credit status and the audit insert (a data-modifying CTE).
    expect(small.statements).toBe(1);
    expect(large.statements).toBe(small.statements);
  });

  test('records pointing back to their enterprise are batched too', async () => {
    const r = await t.gql(`{ penalties(first: 200) { edges { node { decisionNo enterprise { uscc name } } } } }`, {}, { token: zone });
    expect(r.body.data.penalties.edges.length).toBeGreaterThan(50);
    // The list, the enterprises and the audit insert, in one statement.
    expect(r.statements).toBe(1);
  });
});

describe('bad input gets a typed error naming the argument', () => {
  const ONE = `query($uscc: USCC!) { enterprise(uscc: $uscc) { uscc } }`;
  test.each([
    ['too short', '9132050912345678', 'must be 18 characters'],
    ['lower case', '91320509mA1XXXXX0X', 'upper case'],
    ['letter I', '9132050912345678I0', 'not allowed'],
    ['letter in division code', '91A20509123456780X', 'division code'],
    ['wrong check character', '91350100M000100Y4Z', 'check character should be 3, got Z'],
  ])('USCC %s', async (_name, uscc, message) => {
    const r = await t.gql(ONE, { uscc }, { token: wujiang });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(r.body.errors[0].message).toContain('$uscc');
    expect(r.body.errors[0].message).toContain(message);
  });

  test('a USCC written inline in the query is BAD_USER_INPUT too, with the reason', async () => {
    const r = await t.gql(`{ enterprise(uscc: "91350100M000100Y4Z") { uscc } }`, {}, { token: wujiang });
    expect(r.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(r.body.errors[0].message).toMatch(/USCC.*check character should be 3, got Z/);
  });

  test.each([[501], [-1]])('first: %i', async (first) => {
    const r = await t.gql(LIST, { first }, { token: wujiang });
    expect(r.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    expect(r.body.errors[0].message).toContain('between 0 and 500');
  });

  test('a nested first above 500 names its path', async () => {
    const r = await t.gql(`{ enterprises(first: 1) { edges { node { penalties(first: 900) { totalCount } } } } }`, {}, { token: zone });
    expect(r.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(r.body.errors[0].extensions.field).toBe('enterprises.edges.node.penalties.first');
  });

  test('malformed and foreign cursors', async () => {
    const bad = await t.gql(LIST, { after: 'not a cursor!' }, { token: wujiang });
    expect(bad.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const p = await t.gql(`{ penalties(first: 1) { pageInfo { endCursor } } }`, {}, { token: zone });
    const foreign = await t.gql(LIST, { after: p.body.data.penalties.pageInfo.endCursor }, { token: wujiang });
    expect(foreign.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(foreign.body.errors[0].message).toContain('another list');
  });

  test('unknown enum value', async () => {
    const r = await t.gql(LIST, { filter: { jurisdiction: 'SUZHOU' } }, { token: wujiang });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(r.body.errors[0].message).toContain('SUZHOU');
  });

  test('malformed JSON body is a 400 with a code', async () => {
    const r = await request(t.hub.app).post('/graphql').set('content-type', 'application/json').send('{"query": ');
    expect(r.status).toBe(400);
    expect(r.body.errors[0]).toMatchObject({ message: 'request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } });
  });

  test('tokens: another secret, expired, alg none, garbage — UNAUTHENTICATED, never public', async () => {
    const other = await t.token('WUJIANG', ['DOSSIER_READER'], { secret: 'another-secret-another-secret-another-secret' });
    const expired = await t.token('WUJIANG', ['DOSSIER_READER'], { expiresIn: Math.floor(Date.now() / 1000) - 60 });
    const payload = Buffer.from(JSON.stringify({ sub: 'x', org: 'X', jurisdiction: 'ZONE', roles: ['ADMIN'], exp: 9999999999 })).toString('base64url');
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
    const badRole = await t.token('WUJIANG', ['SUPERUSER']);
    for (const [token, message] of [[other, 'signature'], [expired, 'expired'], [none, 'algorithm'], ['abc.def', 'malformed'], [badRole, 'roles']]) {
      const r = await t.gql('{ me { sub } }', {}, { token });
      expect({ message, status: r.status, code: r.body.errors?.[0].extensions.code }).toEqual({ message, status: 401, code: 'UNAUTHENTICATED' });
      expect(r.body.errors[0].message).toContain(message);
    }
  });
});

describe('who am I, and health', () => {
  test('me reflects the token and the recognised purpose', async () => {
    const r = await t.gql('{ me { kind sub org jurisdiction roles purpose } }', {}, { token: wujiang, purpose: 'enforcement' });
    expect(r.body.data.me).toEqual({ kind: 'user', sub: 'test-wujiang', org: 'WUJIANG-JET', jurisdiction: 'WUJIANG', roles: ['DOSSIER_READER'], purpose: 'ENFORCEMENT' });
    const pub = await t.gql('{ me { kind jurisdiction roles purpose } }', {}, { purpose: 'GOSSIP' });
    expect(pub.body.data.me).toEqual({ kind: 'public', jurisdiction: null, roles: [], purpose: null });
  });

  test('healthz and readyz', async () => {
    expect((await request(t.hub.app).get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await request(t.hub.app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', database: 'ok', migrations: 'applied' });
  });
});
