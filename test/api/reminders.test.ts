import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { SYSTEM_PRINCIPAL } from '../../src/auth/principal';
import { CreditScheme } from '../../src/domain/codes';
import { Jurisdiction } from '../../src/domain/jurisdictions';
import { RecordWriter } from '../../src/modules/dossier/record-writer';
import { POSITIVE_LIST_ENTRY } from '../../src/modules/enforcement/positive-list.record';
import { createLogger } from '../../src/logger';
import {
  bundledReminderRulesJson, loadReminderRules, parseReminderRules, ReminderRulesError, REMINDERS_CHANNEL, ReminderService, startReminderJob,
} from '../../src/modules/reminders';
import { newEnterprise, newPermit } from '../support/factories';
import { startTestHub, testConfig, TestHub } from '../support/hub';

/**
 * Compliance reminders (issue 17, item 3): generated from the demo dossier on a fixed day, filed
 * once per rule, subject and due date, delivered on eco_hub_reminders, read under the policy and
 * the catalog's terms, marked read and acknowledged by the addressee only; execution-report
 * deadlines taken from the permit; rules files that are refused; the history is append-only.
 */

// The hub's clock: the day after the demo data's reference date, 10:00 in China.
const NOW = new Date('2026-11-02T02:00:00Z');
let t: TestHub;
beforeAll(async () => {
  t = await startTestHub('demo', {}, { clock: () => NOW });
});
afterAll(() => t.close());

const LIST = `query($f: ReminderFilter, $first: Int, $after: String) { complianceReminders(filter: $f, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { node { id kind ruleId subjectType subjectKey uscc enterpriseName ownerJurisdiction catalogResourceCode dueOn message details status
    createdAt deliveredAt readAt acknowledgedAt acknowledgedBy acknowledgementNote history { event at actor channel note } } } } }`;

async function listAs(jurisdiction: Jurisdiction | null, roles: string[], filter: Record<string, unknown> = {}, purpose?: string, first = 500) {
  const token = jurisdiction ? await t.token(jurisdiction, roles) : undefined;
  const res = await t.gql(LIST, { f: filter, first }, { token, purpose });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.complianceReminders as { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: Array<{ node: Record<string, any> }> };
}

const ACK = `mutation($id: ID!, $note: String) { acknowledgeComplianceReminder(id: $id, note: $note) { id status acknowledgedBy acknowledgementNote readAt history { event actor note } } }`;
const READ = `mutation($id: ID!) { markComplianceReminderRead(id: $id) { id readAt readBy history { event actor } } }`;

async function counts(): Promise<Record<string, number>> {
  const rows: Array<{ kind: string; n: number }> = await t.db.ds.query('SELECT kind, count(*)::int AS n FROM compliance_reminder GROUP BY kind ORDER BY kind');
  return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
}

async function historyCount(): Promise<number> {
  return (await t.db.ds.query('SELECT count(*)::int AS n FROM compliance_reminder_log'))[0].n;
}

describe('generation on the demo dossier', () => {
  test('a pass on the hub clock\'s day files reminders by kind, delivers each on eco_hub_reminders, and a second pass files nothing', async () => {
    const heard: Array<Record<string, unknown>> = [];
    const stop = t.hub.events.subscribe(REMINDERS_CHANNEL, (p) => heard.push(p));
    await t.hub.events.ready();
    // Permits are read and filed a chunk at a time: seven here, so the demo's permits take many chunks.
    const chunk = t.hub.services.reminders.permitChunk;
    t.hub.services.reminders.permitChunk = 7;
    const first = await t.hub.services.reminders.generate();
    t.hub.services.reminders.permitChunk = chunk;
    expect(first.day).toBe('2026-11-02');
    // The day's first pass reads every valid or lapsed permit of an active firm.
    const [{ n: readable }] = await t.db.ds.query(
      `SELECT count(*)::int AS n FROM permit p JOIN enterprise e ON e.id = p.enterprise_id
       WHERE p.withdrawn_at IS NULL AND e.withdrawn_at IS NULL AND e.registration_status = 'ACTIVE' AND p.status IN ('VALID', 'EXPIRED')`);
    expect({ permitScope: first.permitScope, permitsRead: first.permitsRead }).toEqual({ permitScope: 'ALL', permitsRead: readable });
    const byKind = await counts();
    process.stdout.write(`\nCompliance reminders on the demo data (day ${first.day}): ${JSON.stringify(byKind)}\n`);
    expect(first.created).toBe(Object.values(byKind).reduce((a, b) => a + b, 0));
    expect(first.byKind).toEqual(byKind);
    // The demo's permits: some expire within 90 days, some lapsed, some execution reports are late (Q3 was due on 2026-10-15).
    expect(byKind.PERMIT_RENEWAL_DUE).toBeGreaterThan(0);
    expect(byKind.EXECUTION_REPORT_OVERDUE).toBeGreaterThan(0);
    // No hazardous-waste reminder in November: they start 30 days before 31 March.
    expect(byKind.HAZARDOUS_WASTE_PLAN).toBeUndefined();

    // Delivered: every reminder published and marked, its history CREATED then DELIVERED on the channel.
    expect(first.delivered).toBe(first.created);
    expect((await t.db.ds.query('SELECT count(*)::int AS n FROM compliance_reminder WHERE delivered_at IS NULL'))[0].n).toBe(0);
    const hist: Array<{ events: string[]; channel: string | null }> = await t.db.ds.query(
      `SELECT array_agg(event::text ORDER BY id) AS events, max(channel) AS channel FROM compliance_reminder_log GROUP BY reminder_id`);
    expect(hist.length).toBe(first.created);
    expect(hist.every((h) => h.events.join() === 'CREATED,DELIVERED' && h.channel === REMINDERS_CHANNEL)).toBe(true);
    for (let i = 0; i < 100 && heard.length < first.delivered; i++) await new Promise((r) => setTimeout(r, 20));
    stop();
    expect(heard.length).toBe(first.delivered);
    expect(heard[0]).toEqual(expect.objectContaining({ change: 'DELIVERED', catalogResourceCode: '211013/0003' }));

    // The same day again with nothing changed (the next interval, a restart): no permit is read again, nothing is filed or delivered.
    expect((await t.db.ds.query('SELECT count(*)::int AS n FROM permit'))[0].n).toBeGreaterThan(7 * 10);
    const before = await historyCount();
    const again = await t.hub.services.reminders.generate();
    expect({ permitScope: again.permitScope, permitsRead: again.permitsRead, created: again.created, delivered: again.delivered }).toEqual({ permitScope: 'CHANGED', permitsRead: 0, created: 0, delivered: 0 });
    // Idempotent: without the pass's mark, the same day in one chunk reads every permit again, finds the same and files and delivers nothing.
    await t.db.ds.query('DELETE FROM reminder_pass_mark');
    const full = await t.hub.services.reminders.generate();
    expect({ permitScope: full.permitScope, permitsRead: full.permitsRead, created: full.created, delivered: full.delivered, candidates: full.candidates })
      .toEqual({ permitScope: 'ALL', permitsRead: readable, created: 0, delivered: 0, candidates: first.candidates });
    expect(await counts()).toEqual(byKind);
    expect(await historyCount()).toBe(before);
  });

  test('the renewal reminder is the tightest stage reached; an expired permit is reminded when the firm holds no later one', async () => {
    const rows: Array<{ rule_id: string; days_left: number; n: number }> = await t.db.ds.query(
      `SELECT rule_id, (details->>'daysLeft')::int AS days_left, count(*)::int AS n FROM compliance_reminder WHERE kind = 'PERMIT_RENEWAL_DUE' GROUP BY 1, 2`);
    for (const r of rows) {
      if (r.rule_id === 'permit-renewal-60') expect(r.days_left).toBeLessThanOrEqual(60);
      else expect(r.days_left).toBeGreaterThan(60);
    }
    // One reminder per permit: never both stages for one permit on one day.
    const [{ n }] = await t.db.ds.query(`SELECT count(*)::int AS n FROM (SELECT subject_key FROM compliance_reminder WHERE kind = 'PERMIT_RENEWAL_DUE' GROUP BY 1 HAVING count(*) > 1) x`);
    expect(n).toBe(0);
    const expired: Array<{ renewed: boolean }> = await t.db.ds.query(
      `SELECT EXISTS (SELECT 1 FROM permit q WHERE q.enterprise_id = p.enterprise_id AND q.status = 'VALID' AND q.valid_to > p.valid_to) AS renewed
       FROM compliance_reminder r JOIN permit p ON p.permit_no = r.subject_key WHERE r.kind = 'PERMIT_EXPIRED'`);
    expect(expired.every((e) => !e.renewed)).toBe(true);
  });

  test('outlets silent for longer than the window are reminded; the hazardous-waste date is a window before 31 March', async () => {
    const later = await t.hub.services.reminders.generate(new Date('2026-11-05T02:00:00Z'));
    expect(later.byKind.SELF_MONITORING_MISSING ?? 0).toBeGreaterThan(0);
    const outlets: Array<{ code: string }> = await t.db.ds.query(
      `SELECT s.code FROM monitoring_station s WHERE s.kind = 'POLLUTION_SOURCE' AND s.enterprise_id IS NOT NULL
         AND EXISTS (SELECT 1 FROM observation o WHERE o.station_id = s.id) ORDER BY s.code`);
    const reminded: Array<{ subject_key: string; due_on: string }> = await t.db.ds.query(
      `SELECT subject_key, due_on::text AS due_on FROM compliance_reminder WHERE kind = 'SELF_MONITORING_MISSING' ORDER BY subject_key`);
    expect(reminded.map((r) => r.subject_key)).toEqual(outlets.map((o) => o.code));
    // Due on the day the 48 hours ran out after the last observation; a pass a day later files nothing new for them.
    expect((await t.hub.services.reminders.generate(new Date('2026-11-06T02:00:00Z'))).byKind.SELF_MONITORING_MISSING).toBeUndefined();

    const march = await t.hub.services.reminders.generate(new Date('2027-03-10T02:00:00Z'));
    expect(march.byKind.HAZARDOUS_WASTE_PLAN).toBeGreaterThan(0);
    expect(march.byKind.HAZARDOUS_WASTE_DECLARATION).toBe(march.byKind.HAZARDOUS_WASTE_PLAN);
    const due: Array<{ due_on: string }> = await t.db.ds.query(`SELECT DISTINCT due_on::text AS due_on FROM compliance_reminder WHERE kind LIKE 'HAZARDOUS_WASTE_%'`);
    expect(due).toEqual([{ due_on: '2027-03-31' }]);
  });
});

describe('execution-report deadlines come from the permit', () => {
  test('the permit\'s schedule sets the due date; changing it files the reminder of the new deadline', async () => {
    const e = await newEnterprise(t.db.ds, { jurisdiction: Jurisdiction.WUJIANG });
    const permit = await newPermit(t.db.ds, e, {
      validTo: '2026-12-20',
      executionReports: [{ frequency: 'QUARTERLY', dueDaysAfterPeriodEnd: 20, reportedThrough: '2026-06-30' }, { frequency: 'ANNUAL', dueDaysAfterPeriodEnd: 31, reportedThrough: '2025-12-31' }],
    });
    // Another day than the passes before: every permit is read.
    expect((await t.hub.services.reminders.generate()).permitScope).toBe('ALL');
    const mine = async () => (await t.db.ds.query(
      `SELECT kind, rule_id, subject_key, due_on::text AS due_on FROM compliance_reminder WHERE uscc = $1 ORDER BY kind, due_on`, [e.uscc])) as Array<Record<string, string>>;
    expect(await mine()).toEqual([
      // Q3 ended 2026-09-30; the permit gives 20 days: due 2026-10-20, passed, reported only through Q2.
      { kind: 'EXECUTION_REPORT_OVERDUE', rule_id: 'execution-report-overdue', subject_key: `${permit.permitNo}:QUARTERLY`, due_on: '2026-10-20' },
      // 48 days before expiry: the 60-day stage only.
      { kind: 'PERMIT_RENEWAL_DUE', rule_id: 'permit-renewal-60', subject_key: permit.permitNo, due_on: '2026-12-20' },
    ]);
    // The issuer sends the permit again: renewed to 2028, 10 days for quarterly reports. The Q3 report is late
    // against the new deadline too: a reminder of that due date is filed beside the first.
    await newPermit(t.db.ds, e, {
      permitNo: permit.permitNo, validTo: '2028-12-31', asOf: '2026-06-02T00:00:00Z',
      executionReports: [{ frequency: 'QUARTERLY', dueDaysAfterPeriodEnd: 10, reportedThrough: '2026-06-30' }],
    });
    // The same day: only the changed firm's permits are read again (its one permit).
    const again = await t.hub.services.reminders.generate();
    expect({ permitScope: again.permitScope, permitsRead: again.permitsRead }).toEqual({ permitScope: 'CHANGED', permitsRead: 1 });
    expect((await mine()).filter((r) => r.kind === 'EXECUTION_REPORT_OVERDUE').map((r) => r.due_on)).toEqual(['2026-10-10', '2026-10-20']);
    // Other rules on the same day: every permit is read again, and what is already filed stays filed once.
    const bundled = bundledReminderRulesJson() as { version: string };
    const other = new ReminderService(t.db.ds, parseReminderRules({ ...bundled, version: `${bundled.version}-b` }), undefined, undefined, () => NOW);
    const underOther = await other.generate();
    expect({ permitScope: underOther.permitScope, created: underOther.created }).toEqual({ permitScope: 'ALL', created: 0 });
    expect((await other.generate()).permitScope).toBe('CHANGED');
    // Ahead: on 2027-01-02 the Q4 report (due 2027-01-10 under the new schedule) is due within the rule's 15 days.
    await t.hub.services.reminders.generate(new Date('2027-01-02T02:00:00Z'));
    expect((await mine()).filter((r) => r.kind === 'EXECUTION_REPORT_DUE')).toEqual([
      { kind: 'EXECUTION_REPORT_DUE', rule_id: 'execution-report-due', subject_key: `${permit.permitNo}:QUARTERLY`, due_on: '2027-01-10' },
    ]);
  });

  test('a permit schedule that lists a frequency twice, or a deadline out of range, is refused by the writer', async () => {
    const e = await newEnterprise(t.db.ds, { jurisdiction: Jurisdiction.QINGPU });
    await expect(newPermit(t.db.ds, e, { executionReports: [{ frequency: 'ANNUAL', dueDaysAfterPeriodEnd: 31 }, { frequency: 'ANNUAL', dueDaysAfterPeriodEnd: 20 }] }))
      .rejects.toThrow(/executionReports\.1\.frequency/);
    await expect(newPermit(t.db.ds, e, { executionReports: [{ frequency: 'ANNUAL', dueDaysAfterPeriodEnd: -5 }] })).rejects.toThrow(/dueDaysAfterPeriodEnd/);
    expect((await t.db.ds.query('SELECT count(*)::int AS n FROM permit WHERE enterprise_id = $1', [e.id]))[0].n).toBe(0);
  });
});

describe('positive-list entries at risk', () => {
  test('an active entry lapsing within 60 days, and a listed firm with an unresolved outlet alert', async () => {
    const [firm] = await t.db.ds.query(
      `SELECT e.uscc, e.owner_jurisdiction AS owner, a.due_at, a.raised_at FROM alert a JOIN monitoring_station s ON s.id = a.station_id JOIN enterprise e ON e.id = s.enterprise_id
       WHERE a.status <> 'RESOLVED' ORDER BY a.raised_at LIMIT 1`);
    expect(firm).toBeDefined();
    const entry = (entryNo: string, uscc: string, validUntil: string) => ({ input: {
      entryNo, uscc, basis: 'test', creditScheme: CreditScheme.JIANGSU_5, creditLevel: 'GREEN', onlineMonitoring: 'CONNECTED', complianceRate: '99.00', category: 'C1713',
      rulesVersion: 'TEST', proposedOn: '2023-01-01', includedOn: '2023-12-20', validUntil, status: 'ACTIVE', sourceSystem: 'TEST', sourceRecordId: entryNo, asOf: '2026-06-01T00:00:00Z',
    } });
    const other = await newEnterprise(t.db.ds, { jurisdiction: Jurisdiction.JIASHAN });
    await new RecordWriter(t.db.ds).load(SYSTEM_PRINCIPAL, POSITIVE_LIST_ENTRY.write, [entry('PL-TEST-1', firm.uscc, '2029-01-01'), entry('PL-TEST-2', other.uscc, '2026-12-19')]);
    const r = await t.hub.services.reminders.generate();
    expect(r.byKind).toEqual({ POSITIVE_LIST_EXPIRING: 1, POSITIVE_LIST_AT_RISK: expect.any(Number) });
    const rows = await t.db.ds.query(`SELECT kind, subject_key, owner_jurisdiction AS owner, due_on::text AS due_on FROM compliance_reminder WHERE subject_type = 'POSITIVE_LIST_ENTRY' ORDER BY kind, due_on`);
    expect(rows[0]).toEqual({ kind: 'POSITIVE_LIST_AT_RISK', subject_key: 'PL-TEST-1', owner: firm.owner, due_on: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    expect(rows.filter((x: { kind: string }) => x.kind === 'POSITIVE_LIST_EXPIRING')).toEqual([{ kind: 'POSITIVE_LIST_EXPIRING', subject_key: 'PL-TEST-2', owner: 'JIASHAN', due_on: '2026-12-19' }]);
  });
});

describe('who reads a reminder', () => {
  test('the addressed district, its province and ZONE; another district only with the catalog\'s conditions; the public none', async () => {
    const all: Array<{ owner: string; n: number }> = await t.db.ds.query('SELECT owner_jurisdiction AS owner, count(*)::int AS n FROM compliance_reminder GROUP BY 1 ORDER BY 1');
    const n = (d: string) => all.find((x) => x.owner === d)?.n ?? 0;
    expect(n('WUJIANG')).toBeGreaterThan(0);
    expect(n('JIASHAN')).toBeGreaterThan(0);
    const total = all.reduce((a, x) => a + x.n, 0);
    const wj = await listAs(Jurisdiction.WUJIANG, ['DOSSIER_READER']);
    expect(wj.totalCount).toBe(n('WUJIANG'));
    expect(new Set(wj.edges.map((e) => e.node.ownerJurisdiction))).toEqual(new Set(['WUJIANG']));
    expect((await listAs(Jurisdiction.JIANGSU, ['DOSSIER_READER'])).totalCount).toBe(n('WUJIANG'));
    expect((await listAs(Jurisdiction.ZHEJIANG, ['DOSSIER_READER'])).totalCount).toBe(n('JIASHAN'));
    expect((await listAs(Jurisdiction.ZONE, ['DOSSIER_READER'], {}, undefined, 1)).totalCount).toBe(total);
    // Conditional resource: Qingpu reads Wujiang's reminders only by a declared emergency (with its role), never by default.
    expect((await listAs(Jurisdiction.QINGPU, ['ENFORCEMENT'], { jurisdiction: 'WUJIANG' })).totalCount).toBe(0);
    expect((await listAs(Jurisdiction.QINGPU, ['ENFORCEMENT'], { jurisdiction: 'WUJIANG' }, 'ENFORCEMENT')).totalCount).toBe(0);
    expect((await listAs(Jurisdiction.QINGPU, ['ENFORCEMENT'], { jurisdiction: 'WUJIANG' }, 'EMERGENCY')).totalCount).toBe(n('WUJIANG'));
    expect((await listAs(Jurisdiction.QINGPU, ['DOSSIER_READER'], { jurisdiction: 'WUJIANG' }, 'EMERGENCY')).totalCount).toBe(0);
    expect((await t.gql(LIST, { f: {} })).body.data.complianceReminders.totalCount).toBe(0);
  });

  test('filters and keyset pages: most urgent first, pages do not overlap', async () => {
    const overdue = await listAs(Jurisdiction.ZONE, ['DOSSIER_READER'], { kinds: ['EXECUTION_REPORT_OVERDUE'], dueTo: '2026-10-31' });
    expect(overdue.totalCount).toBe((await t.db.ds.query(`SELECT count(*)::int AS n FROM compliance_reminder WHERE kind = 'EXECUTION_REPORT_OVERDUE' AND due_on <= '2026-10-31'`))[0].n);
    const token = await t.token(Jurisdiction.ZONE, ['DOSSIER_READER']);
    const p1 = (await t.gql(LIST, { f: {}, first: 5 }, { token })).body.data.complianceReminders;
    const p2 = (await t.gql(LIST, { f: {}, first: 5, after: p1.pageInfo.endCursor }, { token })).body.data.complianceReminders;
    const ids = [...p1.edges, ...p2.edges].map((e: { node: { id: string } }) => e.node.id);
    expect(new Set(ids).size).toBe(10);
    const dues = [...p1.edges, ...p2.edges].map((e: { node: { dueOn: string } }) => e.node.dueOn);
    expect([...dues].sort()).toEqual(dues);
    const bad = await t.gql(LIST, { f: { jurisdiction: 'NOWHERE' } }, { token });
    expect(bad.body.errors[0].extensions).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'filter.jurisdiction' }));
    const badDay = await t.gql(LIST, { f: { dueFrom: '2026-02-30' } }, { token });
    expect(badDay.body.errors[0].extensions).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'filter.dueFrom' }));
    const badUscc = await t.gql(LIST, { f: { uscc: '91320509MA1MN0000X' } }, { token });
    expect(badUscc.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('read and acknowledge: the addressee only, once', () => {
  async function aWujiangReminder(): Promise<string> {
    const [r] = await t.db.ds.query(`SELECT id FROM compliance_reminder WHERE owner_jurisdiction = 'WUJIANG' AND status = 'OPEN' AND read_at IS NULL ORDER BY due_on, id LIMIT 1`);
    return r.id;
  }
  const snapshot = async (id: string) => ({
    row: (await t.db.ds.query('SELECT status, read_at, acknowledged_at, acknowledgement_note FROM compliance_reminder WHERE id = $1', [id]))[0],
    log: (await t.db.ds.query('SELECT count(*)::int AS n FROM compliance_reminder_log WHERE reminder_id = $1', [id]))[0].n,
  });

  test('marking read records READ once; acknowledging records ACKNOWLEDGED with the note; a second acknowledgement is CONFLICT and changes nothing', async () => {
    const id = await aWujiangReminder();
    const token = await t.token(Jurisdiction.WUJIANG, ['ENFORCEMENT'], { sub: 'officer-wj' });
    const read = await t.gql(READ, { id }, { token });
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data.markComplianceReminderRead.history.map((h: { event: string }) => h.event)).toEqual(['CREATED', 'DELIVERED', 'READ']);
    expect(read.body.data.markComplianceReminderRead.readBy).toBe('officer-wj (WUJIANG)');
    const again = await t.gql(READ, { id }, { token });
    expect(again.body.data.markComplianceReminderRead.history).toHaveLength(3);

    const ack = await t.gql(ACK, { id, note: 'firm phoned' }, { token });
    expect(ack.body.errors).toBeUndefined();
    expect(ack.body.data.acknowledgeComplianceReminder).toEqual(expect.objectContaining({ status: 'ACKNOWLEDGED', acknowledgedBy: 'officer-wj (WUJIANG)', acknowledgementNote: 'firm phoned' }));
    expect(ack.body.data.acknowledgeComplianceReminder.history.map((h: { event: string }) => h.event)).toEqual(['CREATED', 'DELIVERED', 'READ', 'ACKNOWLEDGED']);
    const before = await snapshot(id);
    const twice = await t.gql(ACK, { id, note: 'again' }, { token });
    expect(twice.body.errors[0].extensions).toEqual(expect.objectContaining({ code: 'CONFLICT', rule: 'reminder.transition', field: 'id' }));
    expect(await snapshot(id)).toEqual(before);
    // The listing shows it acknowledged.
    const listed = await listAs(Jurisdiction.WUJIANG, ['DOSSIER_READER'], { statuses: ['ACKNOWLEDGED'] });
    expect(listed.edges.map((e) => e.node.id)).toContain(id);
  });

  test('acknowledging unread marks it read first', async () => {
    const id = await aWujiangReminder();
    const token = await t.token(Jurisdiction.WUJIANG, ['DATA_STEWARD']);
    const ack = await t.gql(ACK, { id }, { token });
    expect(ack.body.data.acknowledgeComplianceReminder.history.map((h: { event: string }) => h.event)).toEqual(['CREATED', 'DELIVERED', 'READ', 'ACKNOWLEDGED']);
  });

  test('another district, the province, a reader without the role, an unknown or malformed id: refused, nothing changed', async () => {
    const id = await aWujiangReminder();
    const before = await snapshot(id);
    const as = async (j: Jurisdiction, roles: string[], q = ACK, vars: Record<string, unknown> = { id }, purpose?: string) =>
      (await t.gql(q, vars, { token: await t.token(j, roles), purpose })).body.errors?.[0]?.extensions;
    // Qingpu may not even read it; in a declared emergency it reads it but does not answer for Wujiang.
    expect(await as(Jurisdiction.QINGPU, ['ENFORCEMENT'])).toEqual(expect.objectContaining({ code: 'FORBIDDEN', rule: 'reminder.notReadable', ownerJurisdiction: 'WUJIANG' }));
    expect(await as(Jurisdiction.QINGPU, ['ENFORCEMENT'], ACK, { id }, 'EMERGENCY')).toEqual(expect.objectContaining({ code: 'FORBIDDEN', rule: 'reminder.addresseeOnly' }));
    expect(await as(Jurisdiction.QINGPU, ['ENFORCEMENT'], READ)).toEqual(expect.objectContaining({ code: 'FORBIDDEN', rule: 'reminder.notReadable' }));
    // Jiangsu and ZONE read it but do not answer for Wujiang.
    expect(await as(Jurisdiction.JIANGSU, ['ENFORCEMENT'])).toEqual(expect.objectContaining({ code: 'FORBIDDEN', rule: 'reminder.addresseeOnly' }));
    expect(await as(Jurisdiction.ZONE, ['ADMIN'], READ)).toEqual(expect.objectContaining({ code: 'FORBIDDEN', rule: 'reminder.addresseeOnly' }));
    // Wujiang without an acting role.
    expect(await as(Jurisdiction.WUJIANG, ['DOSSIER_READER'])).toEqual(expect.objectContaining({ code: 'FORBIDDEN', rule: 'role.required' }));
    expect(await as(Jurisdiction.WUJIANG, ['ENFORCEMENT'], ACK, { id: '00000000-0000-4000-8000-000000000000' })).toEqual(expect.objectContaining({ code: 'NOT_FOUND', field: 'id' }));
    expect(await as(Jurisdiction.WUJIANG, ['ENFORCEMENT'], ACK, { id: 'nope' })).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'id' }));
    expect(await as(Jurisdiction.WUJIANG, ['ENFORCEMENT'], ACK, { id, note: 'x'.repeat(2001) })).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'note' }));
    expect(await snapshot(id)).toEqual(before);
  });

  test('the history is append-only: the database refuses to change or delete a step', async () => {
    await expect(t.db.ds.query(`UPDATE compliance_reminder_log SET actor = 'someone else'`)).rejects.toThrow(/append-only/);
    await expect(t.db.ds.query('DELETE FROM compliance_reminder_log')).rejects.toThrow(/append-only/);
    expect(await historyCount()).toBeGreaterThan(0);
  });
});

describe('rules files that are refused', () => {
  const broken = (change: (raw: any) => void) => {
    const raw = bundledReminderRulesJson() as any;
    change(raw);
    try {
      parseReminderRules(raw);
    } catch (err) {
      expect(err).toBeInstanceOf(ReminderRulesError);
      return (err as ReminderRulesError).problems;
    }
    throw new Error('the rules were accepted');
  };

  test('a rule with no deadline source, an unknown kind or source, a source the kind cannot use, negative offsets', () => {
    expect(broken((r) => delete r.rules[0].deadline)).toEqual([expect.objectContaining({ field: 'rules[0].deadline', rule: 'missingDeadlineSource' })]);
    expect(broken((r) => (r.rules[3].deadline = {}))).toEqual([expect.objectContaining({ field: 'rules[3].deadline', rule: 'missingDeadlineSource' })]);
    expect(broken((r) => (r.rules[1].kind = 'PERMIT_PARTY'))).toEqual([expect.objectContaining({ field: 'rules[1].kind', rule: 'unknownKind' })]);
    expect(broken((r) => (r.rules[1].deadline.source = 'SOMEWHERE'))).toEqual([expect.objectContaining({ field: 'rules[1].deadline.source', rule: 'unknownDeadlineSource' })]);
    expect(broken((r) => (r.rules[3].deadline.source = 'PERMIT_VALID_TO'))).toEqual([expect.objectContaining({ field: 'rules[3].deadline.source', rule: 'deadlineSourceMismatch' })]);
    expect(broken((r) => (r.rules[0].remindDaysBefore = -90))).toEqual([expect.objectContaining({ field: 'rules[0].remindDaysBefore', rule: 'negativeOffset' })]);
    expect(broken((r) => (r.rules[2].lookbackDays = -1))).toEqual([expect.objectContaining({ field: 'rules[2].lookbackDays', rule: 'negativeOffset' })]);
    expect(broken((r) => (r.rules[7].deadline.windowHours = -48))).toEqual([expect.objectContaining({ field: 'rules[7].deadline.windowHours', rule: 'negativeOffset' })]);
    expect(broken((r) => (r.rules[5].deadline.date = '02-30'))).toEqual([expect.objectContaining({ field: 'rules[5].deadline.date', rule: 'notDate' })]);
    expect(broken((r) => (r.rules[1].id = r.rules[0].id))).toEqual([expect.objectContaining({ field: 'rules[1].id', rule: 'duplicateRule' })]);
    // Every problem of a file is reported at once.
    expect(broken((r) => {
      delete r.rules[0].deadline;
      r.rules[1].remindDaysBefore = -60;
    }).map((p) => p.rule)).toEqual(['missingDeadlineSource', 'negativeOffset']);
  });

  test('HUB_REMINDER_RULES_FILE with a problem is refused when loaded (the hub does not start): the typed error names the field', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'reminder-rules-'));
    const file = path.join(dir, 'rules.json');
    const raw = bundledReminderRulesJson() as any;
    delete raw.rules[4].deadline;
    writeFileSync(file, JSON.stringify(raw));
    const configured = testConfig({ HUB_REMINDER_RULES_FILE: file }).reminderRulesFile;
    expect(configured).toBe(file);
    let caught: unknown;
    try {
      loadReminderRules(configured);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ReminderRulesError);
    expect((caught as ReminderRulesError).extensions).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'rules[4].deadline', rule: 'missingDeadlineSource' }));
  });
});

describe('the job and the metrics', () => {
  test('the periodic job runs a pass on the hub clock and reports its last success; reminders created are counted by kind', async () => {
    const job = startReminderJob(t.hub.services.reminders, { intervalSeconds: 0, log: createLogger(t.config) });
    const r = await job.runNow();
    expect(r.day).toBe('2026-11-02');
    expect(job.lastSuccess()).not.toBeNull();
    await job.stop();
    const text = (await request(t.hub.app).get('/metrics')).text;
    expect(text).toMatch(/hub_reminders_created_total\{kind="EXECUTION_REPORT_OVERDUE"\} [1-9]/);
    expect(text).toMatch(/# TYPE hub_reminder_job_last_success_timestamp_seconds gauge/);
  });
});
