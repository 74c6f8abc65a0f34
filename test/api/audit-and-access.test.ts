import path from 'node:path';
import { DISTRICTS, Jurisdiction } from '../../src/domain/jurisdictions';
import { loadCatalogFiles } from '../../src/modules/catalog/catalog-files';
import { dossierPerDistrict } from '../support/factories';
import { startTestHub, TestHub } from '../support/hub';

/** The audit log (rule 8), the policy's explanations, and isolation between principals. */
let t: TestHub;
let data: Awaited<ReturnType<typeof dossierPerDistrict>>;
beforeAll(async () => {
  t = await startTestHub('empty');
  data = await dossierPerDistrict(t.db.ds, [...DISTRICTS]);
});
afterAll(() => t.close());

async function eventsOf(requestId: string) {
  return t.db.ds.query(`SELECT resource_type, owner_jurisdiction, record_count, masked, denied, sub, jurisdiction, purpose, operation_name
    FROM audit_event WHERE request_id = $1 ORDER BY resource_type, owner_jurisdiction`, [requestId]);
}

describe('audit log', () => {
  test('a list read writes one event per record type and owner district, with exact counts', async () => {
    const token = await t.token('WUJIANG', ['DOSSIER_READER'], { sub: 'auditee-1' });
    const r = await t.gql('query ReadPenalties { penalties(first: 100) { totalCount edges { node { decisionNo } } } complaints { totalCount edges { node { complainant { name } } } } }', {}, { token, purpose: 'RESEARCH', headers: { 'x-request-id': 'req-audit-1' } });
    expect(r.body.errors).toBeUndefined();
    expect(r.headers['x-request-id']).toBe('req-audit-1');
    expect(await eventsOf('req-audit-1')).toEqual([
      { resource_type: 'COMPLAINT', owner_jurisdiction: 'WUJIANG', record_count: 1, masked: true, denied: false, sub: 'auditee-1', jurisdiction: 'WUJIANG', purpose: 'RESEARCH', operation_name: 'ReadPenalties' },
      ...['JIASHAN', 'QINGPU', 'WUJIANG'].map((o) => ({ resource_type: 'PENALTY', owner_jurisdiction: o, record_count: 2, masked: false, denied: false, sub: 'auditee-1', jurisdiction: 'WUJIANG', purpose: 'RESEARCH', operation_name: 'ReadPenalties' })),
    ]);
  });

  test('a count alone releases no record, so it writes no record event; a masked field counts as masked only when it was asked for', async () => {
    const token = await t.token('WUJIANG', ['DOSSIER_READER']);
    await t.gql('{ penalties { totalCount } }', {}, { token, headers: { 'x-request-id': 'req-audit-count' } });
    expect(await eventsOf('req-audit-count')).toEqual([]);
    await t.gql('{ complaints { edges { node { ticketNo } } } }', {}, { token, headers: { 'x-request-id': 'req-audit-unmasked' } });
    expect(await eventsOf('req-audit-unmasked')).toMatchObject([{ resource_type: 'COMPLAINT', owner_jurisdiction: 'WUJIANG', record_count: 1, masked: false }]);
  });

  test('HUB_AUDIT_COMMIT=deferred: the read statement still writes its audit rows itself, and the setting ends with it', async () => {
    const d = await startTestHub('empty', { HUB_AUDIT_COMMIT: 'deferred' });
    try {
      const made = await dossierPerDistrict(d.db.ds, [Jurisdiction.WUJIANG]);
      const token = await d.token('WUJIANG', ['DOSSIER_READER'], { sub: 'deferred-1' });
      const r = await d.gql('query Deferred { penalties(first: 10) { edges { node { decisionNo } } } }', {}, { token, headers: { 'x-request-id': 'req-deferred-1' } });
      expect(r.body.errors).toBeUndefined();
      expect(r.statements).toBe(1);
      expect(await d.db.ds.query(`SELECT resource_type, owner_jurisdiction, record_count, record_keys FROM audit_event WHERE request_id = 'req-deferred-1'`))
        .toEqual([{ resource_type: 'PENALTY', owner_jurisdiction: 'WUJIANG', record_count: 2, record_keys: expect.arrayContaining([made.WUJIANG.penalty.decisionNo]) }]);
      // Transaction-local: the pooled connection (the only one on the embedded database) is back to durable commits.
      expect(await d.db.ds.query('SHOW synchronous_commit')).toEqual([{ synchronous_commit: 'on' }]);
    } finally {
      await d.close();
    }
  });

  test('a denied lookup is on the record too', async () => {
    const token = await t.token('WUJIANG', ['DOSSIER_READER']);
    const r = await t.gql('query($k: String!) { complaint(ticketNo: $k) { ticketNo } }', { k: data.QINGPU.complaint.ticketNo }, { token, headers: { 'x-request-id': 'req-audit-2' } });
    expect(r.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(await eventsOf('req-audit-2')).toMatchObject([{ resource_type: 'COMPLAINT', owner_jurisdiction: 'QINGPU', record_count: 0, denied: true }]);
  });

  test('reads without dossier data (me, catalog, monitoring) write nothing', async () => {
    const token = await t.token('WUJIANG', ['DOSSIER_READER']);
    await t.gql('{ me { sub } catalogResources(first: 3) { totalCount } monitoringStations { totalCount } }', {}, { token, headers: { 'x-request-id': 'req-audit-3' } });
    expect(await eventsOf('req-audit-3')).toEqual([]);
  });

  test('by key: the owner\'s auditor finds who read one complaint, and who read one enterprise\'s dossier, with org and purpose', async () => {
    const ticket = data.QINGPU.complaint.ticketNo;
    const uscc = data.QINGPU.enterprise.uscc;
    // A Qingpu handler reads the complaint; a Wujiang reader asks for it and is refused; a Jiashan reader reads the enterprise and its penalties.
    await t.gql('query($k: String!) { complaint(ticketNo: $k) { ticketNo } }', { k: ticket }, { token: await t.token('QINGPU', ['DOSSIER_READER', 'COMPLAINT_HANDLER'], { sub: 'qp-handler' }), headers: { 'x-request-id': 'req-key-1' } });
    await t.gql('query($k: String!) { complaint(ticketNo: $k) { ticketNo } }', { k: ticket }, { token: await t.token('WUJIANG', ['DOSSIER_READER'], { sub: 'wj-curious' }), headers: { 'x-request-id': 'req-key-2' } });
    await t.gql('query($u: USCC!) { enterprise(uscc: $u) { name penalties { edges { node { decisionNo } } } } }', { u: uscc },
      { token: await t.token('JIASHAN', ['DOSSIER_READER'], { sub: 'js-reader', org: 'JIASHAN-EEB' }), purpose: 'PERMITTING', headers: { 'x-request-id': 'req-key-3' } });
    const q = `query($f: AuditFilter) { auditEvents(filter: $f, first: 100) { totalCount edges { node { requestId sub org purpose resourceType recordKeys recordCount denied } } } }`;
    const auditor = await t.token('QINGPU', ['AUDITOR']);
    const byTicket = await t.gql(q, { f: { recordType: 'COMPLAINT', key: ticket } }, { token: auditor });
    expect(byTicket.body.errors).toBeUndefined();
    const readers = byTicket.body.data.auditEvents.edges.map((e: any) => e.node).filter((n: any) => ['req-key-1', 'req-key-2'].includes(n.requestId));
    expect(readers.map((n: any) => [n.sub, n.recordCount, n.denied, n.recordKeys])).toEqual([['wj-curious', 0, true, [ticket]], ['qp-handler', 1, false, [ticket]]]);
    const byFirm = await t.gql(q, { f: { uscc } }, { token: auditor });
    const dossier = byFirm.body.data.auditEvents.edges.map((e: any) => e.node).filter((n: any) => n.requestId === 'req-key-3');
    expect(dossier.map((n: any) => [n.resourceType, n.org, n.purpose]).sort()).toEqual([['ENTERPRISE', 'JIASHAN-EEB', 'PERMITTING'], ['PENALTY', 'JIASHAN-EEB', 'PERMITTING']]);
    expect(dossier.find((n: any) => n.resourceType === 'ENTERPRISE').recordKeys).toEqual([uscc]);
    expect(dossier.find((n: any) => n.resourceType === 'PENALTY').recordKeys).toContain(data.QINGPU.penalty.decisionNo);
    // Another district's auditor does not see Qingpu's events; an unknown enterprise finds nothing; a bad key is refused.
    const other = await t.gql(q, { f: { key: ticket } }, { token: await t.token('WUJIANG', ['AUDITOR']) });
    expect(other.body.data.auditEvents.totalCount).toBe(0);
    const none = await t.gql(q, { f: { uscc: '91350100M000100Y43' } }, { token: auditor });
    expect(none.body.data.auditEvents.totalCount).toBe(0);
    const bad = await t.gql(q, { f: { key: '' } }, { token: auditor });
    expect(bad.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.key' });
  });

  test('each owner district\'s auditors see who read its data; provinces their district; ZONE all', async () => {
    const q = `query($f: AuditFilter) { auditEvents(filter: $f, first: 500) { totalCount edges { node { ownerJurisdiction resourceType recordCount sub } } } }`;
    for (const [who, expected] of [['QINGPU', ['QINGPU']], ['SHANGHAI', ['QINGPU']], ['JIASHAN', ['JIASHAN']], ['ZONE', ['JIASHAN', 'QINGPU', 'WUJIANG']]] as const) {
      const r = await t.gql(q, {}, { token: await t.token(who, ['AUDITOR']) });
      expect(r.body.errors).toBeUndefined();
      const owners = [...new Set(r.body.data.auditEvents.edges.map((e: any) => e.node.ownerJurisdiction))].sort();
      expect({ who, owners }).toEqual({ who, owners: expected });
      expect(r.body.data.auditEvents.totalCount).toBe(r.body.data.auditEvents.edges.length);
    }
    const filtered = await t.gql(q, { f: { ownerJurisdiction: 'QINGPU', readerJurisdiction: 'WUJIANG' } }, { token: await t.token('ZONE', ['AUDITOR']) });
    expect(filtered.body.data.auditEvents.edges.length).toBeGreaterThan(0);
    expect(filtered.body.data.auditEvents.edges.every((e: any) => e.node.ownerJurisdiction === 'QINGPU')).toBe(true);
    const noAuditor = await t.gql(q, {}, { token: await t.token('ZONE', ['DOSSIER_READER']) });
    expect(noAuditor.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'audit.auditorOnly' });
  });

  test('the log is append-only: UPDATE, DELETE and TRUNCATE are refused by the database', async () => {
    await expect(t.db.ds.query(`UPDATE audit_event SET record_count = 0`)).rejects.toThrow(/append-only/);
    await expect(t.db.ds.query(`DELETE FROM audit_event`)).rejects.toThrow(/append-only/);
    await expect(t.db.ds.query(`TRUNCATE audit_event`)).rejects.toThrow(/append-only/);
    const [{ n }] = await t.db.ds.query(`SELECT count(*)::int n FROM audit_event`);
    expect(n).toBeGreaterThan(0);
  });

  test('if the audit write fails, the read fails: no unaudited data leaves the hub', async () => {
    await t.db.ds.query(`CREATE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit store unavailable'; END $$`);
    await t.db.ds.query(`CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION test_refuse_audit()`);
    try {
      const token = await t.token('WUJIANG', ['DOSSIER_READER']);
      const r = await t.gql('{ penalties { edges { node { decisionNo facts } } } }', {}, { token });
      expect(r.status).toBe(503);
      expect(r.body.data).toBeNull();
      expect(r.body.errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
      expect(JSON.stringify(r.body)).not.toContain(data.WUJIANG.penalty.decisionNo);
    } finally {
      await t.db.ds.query(`DROP TRIGGER test_refuse_audit ON audit_event`);
      await t.db.ds.query(`DROP FUNCTION test_refuse_audit()`);
    }
  });
});

describe('explaining the rules', () => {
  const { catalog } = loadCatalogFiles(path.resolve(__dirname, '../../catalog'));

  test('sharingRules lists each record type with the catalog\'s terms', async () => {
    const r = await t.gql('{ sharingRules { recordType catalogCode sharingType purposes legalBasis } }');
    const expected = catalog!.resources.filter((x) => x.recordType).map((x) => ({
      recordType: x.recordType, catalogCode: x.code, sharingType: x.sharing.type, purposes: x.sharing.conditions?.purposes ?? [],
    }));
    expect(r.body.data.sharingRules.map(({ legalBasis: _l, ...rest }: any) => rest)).toEqual(expect.arrayContaining(expected));
    // Seven dossier types, four joint-enforcement types, the positive list (issue 14), risk sources and emergency resources (issue 17).
    expect(r.body.data.sharingRules).toHaveLength(14);
  });

  test('myAccess says what the caller reads and what would give it more', async () => {
    // An agency without sharing grants (the Wujiang bureau itself holds framework grants, issue 12).
    const r = await t.gql('{ myAccess { recordType catalogCode ownerJurisdiction canRead rule applyFor purposesThatWouldAllow { purpose roles } rolesNeeded maskedFields } }', {}, { token: await t.token('WUJIANG', ['DOSSIER_READER'], { org: 'WUJIANG-JET' }) });
    const line = (type: string, owner: string) => r.body.data.myAccess.find((l: any) => l.recordType === type && l.ownerJurisdiction === owner);
    // Seven dossier types, four joint-enforcement types, the positive list, risk sources and emergency resources, per district.
    expect(r.body.data.myAccess.filter((l: any) => l.recordType !== 'MONITORING')).toHaveLength(42);
    expect(line('INSPECTION', 'QINGPU')).toMatchObject({ canRead: false, rule: 'sharing.conditional', applyFor: '211014/0001', purposesThatWouldAllow: [{ purpose: 'EMERGENCY', roles: ['ENFORCEMENT'] }] });
    expect(line('INSPECTION', 'WUJIANG')).toMatchObject({ canRead: true, rule: 'owner', maskedFields: ['findings'] });
    expect(line('COMPLAINT', 'WUJIANG')).toMatchObject({ canRead: true, maskedFields: ['complainant'] });
    expect(line('ENTERPRISE', 'JIASHAN')).toMatchObject({ canRead: true, rule: 'sharing.unconditional', maskedFields: ['legalRepresentative.idNumber'] });
    const pub = await t.gql('{ myAccess { recordType ownerJurisdiction canRead rule } }');
    // The public reads what the catalog opens to it: EIA approvals and permits, and penalties while publicised.
    expect(pub.body.data.myAccess.filter((l: any) => l.canRead && l.recordType !== 'MONITORING').map((l: any) => `${l.recordType} ${l.rule}`)).toEqual([
      ...Array(3).fill('EIA_APPROVAL public.open'), ...Array(3).fill('PERMIT public.open'), ...Array(3).fill('PENALTY public.publicised'),
    ]);
    // Monitoring lines: a catalog reader reads the unconditional resources everywhere, the wastewater data (conditional) in its own district only.
    const monitoringLine = (code: string, owner: string) => r.body.data.myAccess.find((l: any) => l.catalogCode === code && l.ownerJurisdiction === owner);
    expect(monitoringLine('211002/0001', 'QINGPU')).toMatchObject({ recordType: 'MONITORING', canRead: true, rule: 'sharing.unconditional' });
    expect(monitoringLine('211004/0001', 'QINGPU')).toMatchObject({ canRead: false, rule: 'sharing.conditional', applyFor: '211004/0001', purposesThatWouldAllow: [{ purpose: 'EMERGENCY', roles: ['ENFORCEMENT'] }] });
    expect(monitoringLine('211004/0001', 'WUJIANG')).toMatchObject({ canRead: true, rule: 'owner' });
    const noRole = await t.gql('{ myAccess { recordType canRead rolesNeeded } }', {}, { token: await t.token('WUJIANG', ['CATALOG_READER']) });
    const enforcementTypes = ['ENFORCEMENT_CASE', 'CASE_TRANSFER', 'EVIDENCE_ITEM', 'EVIDENCE_RECOGNITION'];
    const lines = noRole.body.data.myAccess.filter((l: any) => l.recordType !== 'MONITORING');
    expect(lines.filter((l: any) => !enforcementTypes.includes(l.recordType)).every((l: any) => !l.canRead && l.rolesNeeded.includes('DOSSIER_READER'))).toBe(true);
    // Case files, transfers and evidence need the ENFORCEMENT role instead.
    expect(lines.filter((l: any) => enforcementTypes.includes(l.recordType)).every((l: any) => !l.canRead && l.rolesNeeded.includes('ENFORCEMENT'))).toBe(true);
  });

  test('creditStatus by USCC serves the credit platform, which reads nothing else', async () => {
    const platform = await t.token('CREDIT_YRD', ['CREDIT_FEED']);
    const r = await t.gql('query($u: USCC!) { creditStatus(uscc: $u) { scheme level blacklisted } enterprise(uscc: $u) { name } }', { u: data.WUJIANG.enterprise.uscc }, { token: platform });
    expect(r.body.data.creditStatus).toEqual({ scheme: 'JIANGSU_5', level: 'GREEN', blacklisted: false });
    expect(r.body.data.enterprise).toBeNull();
    expect(r.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'creditPlatform.creditOnly' });
    const denied = await t.gql('query($u: USCC!) { creditStatus(uscc: $u) { level } }', { u: data.WUJIANG.enterprise.uscc }, { token: await t.token('QINGPU', ['DOSSIER_READER'], { org: 'QINGPU-JET' }) });
    expect(denied.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'sharing.conditional', applyFor: '211016/0001' });
    // The Qingpu bureau reads it through its framework grant for credit assessment, without X-Purpose.
    const bureau = await t.gql('query($u: USCC!) { creditStatus(uscc: $u) { level } }', { u: data.WUJIANG.enterprise.uscc }, { token: await t.token('QINGPU', ['DOSSIER_READER']) });
    expect(bureau.body.data.creditStatus).toEqual({ level: 'GREEN' });
  });
});

describe('no leaks between principals in one process', () => {
  test('two principals, the same query, interleaved: each gets only its own view', async () => {
    const q = `{ inspections(first: 100) { edges { node { ownerJurisdiction findings } } } complaints(first: 100) { edges { node { complainant { phone } } } } }`;
    const a = await t.token('WUJIANG', ['DOSSIER_READER', 'COMPLAINT_HANDLER']);
    const b = await t.token('QINGPU', ['DOSSIER_READER', 'ENFORCEMENT']);
    const runs = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0
      ? t.gql(q, {}, { token: a }).then((r) => ({ who: 'a', r }))
      : t.gql(q, {}, { token: b, purpose: 'ENFORCEMENT' }).then((r) => ({ who: 'b', r })))));
    for (const { who, r } of runs) {
      const insp = r.body.data.inspections.edges.map((e: any) => e.node);
      const phones = r.body.data.complaints.edges.map((e: any) => e.node.complainant.phone);
      if (who === 'a') {
        expect(insp.map((n: any) => n.ownerJurisdiction)).toEqual(['WUJIANG']);
        expect(insp[0].findings).toBeNull();
        expect(phones).toEqual(['13812345678']);
      } else {
        expect(insp.map((n: any) => n.ownerJurisdiction).sort()).toEqual(['JIASHAN', 'QINGPU', 'WUJIANG']);
        expect(insp.every((n: any) => n.findings !== null)).toBe(true);
        expect(phones.sort()).toEqual(['138****5678', '138****5678', '138****5678']);
      }
    }
  });
});
