import 'reflect-metadata';
import { Jurisdiction } from '../../src/domain/jurisdictions';
import { verifyWebhookSignature } from '../../src/modules/webhook';
import { newEnterprise, newPermit } from '../support/factories';
import { startTestHub, TestHub } from '../support/hub';
import { eventually, Live, listen, subscribe } from '../support/live';
import { Receiver, startReceiver } from '../support/receiver';

/**
 * Delivery of compliance reminders (issue 17 item 5): the `complianceReminderRaised` subscription
 * and the `COMPLIANCE_REMINDER` webhook topic. Each reminder is re-read under the subscriber's (or
 * the registering account's) rights through the reminders' read policy and audited as a read; a
 * district that may not read a reminder hears nothing of it, and a webhook event it may not read is
 * dropped unsent. The receiver is a real HTTP server on 127.0.0.1 (HUB_WEBHOOK_ALLOW_PRIVATE).
 */
const NOW = new Date('2026-11-02T02:00:00Z');
let t: TestHub;
let rx: Receiver;
let url: string;
const open: Live[] = [];

beforeAll(async () => {
  t = await startTestHub('demo', {
    HUB_WEBHOOK_ALLOW_PRIVATE: 'true', HUB_WEBHOOK_BACKOFF_BASE_SECONDS: '0', HUB_WEBHOOK_MAX_ATTEMPTS: '3', HUB_WEBHOOK_BATCH_SIZE: '1000', HUB_WEBHOOK_TIMEOUT_SECONDS: '2',
  }, { clock: () => NOW });
  rx = await startReceiver();
  url = await listen(t.hub.httpServer);
  await t.hub.events.ready();
});
afterAll(async () => {
  for (const l of open.splice(0)) await l.close();
  await rx.close();
  await t.close();
});

const REGISTER = `mutation($i: RegisterWebhookInput!) { registerWebhook(input: $i) { secret webhook { id topics status alertFilter { kinds } } } }`;
const RAISED = `subscription ReminderWatch($f: ComplianceReminderRaisedFilter) {
  complianceReminderRaised(filter: $f) { id kind subjectKey ownerJurisdiction dueOn status deliveredAt history { event channel } } }`;

async function sub(token: string, variables: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Promise<Live> {
  const before = t.hub.subscriptions.listening();
  const live = await subscribe(url, token, RAISED, variables, extra);
  open.push(live);
  await eventually(() => t.hub.subscriptions.listening() > before, 'the subscription listening');
  await t.hub.events.ready();
  return live;
}

async function idsOf(owner: string): Promise<string[]> {
  const rows: Array<{ id: string }> = await t.db.ds.query('SELECT id FROM compliance_reminder WHERE owner_jurisdiction = $1 ORDER BY id', [owner]);
  return rows.map((r) => r.id);
}

describe('compliance reminders reach the subscribers and webhooks that may read them, and no one else', () => {
  let wjHook: { id: string; secret: string };
  let qpHook: { id: string; secret: string };
  let wjLive: Live;
  let qpLive: Live;
  let sentinel: string;

  test('registration: COMPLIANCE_REMINDER for a district; refused to the credit platform and with an alert filter', async () => {
    const wjToken = await t.token(Jurisdiction.WUJIANG, ['CATALOG_READER', 'ENFORCEMENT'], { org: 'WUJIANG-EEB', sub: 'wj-hook' });
    const qpToken = await t.token(Jurisdiction.QINGPU, ['CATALOG_READER', 'ENFORCEMENT'], { org: 'QINGPU-EEB', sub: 'qp-hook' });
    const reg = async (token: string, path: string) => {
      const res = await t.gql(REGISTER, { i: { url: `${rx.url}${path}`, topics: ['COMPLIANCE_REMINDER'] } }, { token });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.registerWebhook.webhook).toMatchObject({ topics: ['COMPLIANCE_REMINDER'], status: 'ACTIVE', alertFilter: null });
      return { id: res.body.data.registerWebhook.webhook.id, secret: res.body.data.registerWebhook.secret };
    };
    wjHook = await reg(wjToken, '/wj');
    qpHook = await reg(qpToken, '/qp');

    const count = async () => (await t.db.ds.query('SELECT count(*)::int AS n FROM webhook'))[0].n;
    const before = await count();
    const platform = await t.token('CREDIT_YRD', ['CREDIT_FEED'], { org: 'CREDIT-YRD' });
    const p = await t.gql(REGISTER, { i: { url: `${rx.url}/x`, topics: ['COMPLIANCE_REMINDER'] } }, { token: platform });
    expect(p.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'webhook.remindersNotReadable' });
    const f = await t.gql(REGISTER, { i: { url: `${rx.url}/x`, topics: ['COMPLIANCE_REMINDER'], alertFilter: { kinds: ['SOURCE_EXCEEDANCE'] } } }, { token: wjToken });
    expect(f.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.alertFilter' });
    expect(await count()).toBe(before);
  });

  test('a subscription with a filter naming no district is refused', async () => {
    const live = await subscribe(url, await t.token(Jurisdiction.WUJIANG, ['CATALOG_READER']), RAISED, { f: { jurisdiction: 'SHANGHAI' } });
    open.push(live);
    await live.ended;
    expect(live.events).toHaveLength(1);
    expect(live.events[0].data ?? null).toBeNull();
    expect(live.events[0].errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.jurisdiction' });
  });

  test('a pass files and delivers; Wujiang hears its reminders, Qingpu (no grant) hears only its own, Qingpu in an emergency Wujiang\'s too', async () => {
    wjLive = await sub(await t.token(Jurisdiction.WUJIANG, ['CATALOG_READER', 'ENFORCEMENT'], { sub: 'wj-live' }));
    qpLive = await sub(await t.token(Jurisdiction.QINGPU, ['CATALOG_READER', 'ENFORCEMENT'], { sub: 'qp-live' }));
    // The catalog's terms let another district's enforcement read reminders in a declared emergency.
    const qpEmergency = await sub(await t.token(Jurisdiction.QINGPU, ['CATALOG_READER', 'ENFORCEMENT'], { sub: 'qp-emergency' }), { f: { jurisdiction: 'WUJIANG' } }, { purpose: 'EMERGENCY' });
    const first = await t.hub.services.reminders.generate();
    expect(first.created).toBeGreaterThan(0);
    // Then one more reminder, addressed to Qingpu and delivered last: a permit of a Qingpu firm expiring within 60 days.
    const firm = await newEnterprise(t.db.ds, { jurisdiction: Jurisdiction.QINGPU });
    const permit = await newPermit(t.db.ds, firm, { validTo: '2026-12-15' });
    const second = await t.hub.services.reminders.generate();
    expect(second.byKind).toEqual({ PERMIT_RENEWAL_DUE: 1 });
    [{ id: sentinel }] = await t.db.ds.query('SELECT id FROM compliance_reminder WHERE subject_key = $1', [permit.permitNo]);

    const wj = await idsOf('WUJIANG');
    const qp = await idsOf('QINGPU');
    expect(wj.length).toBeGreaterThan(0);
    expect(qp).toContain(sentinel);

    const wjHeard = (await wjLive.until(wj.length)).map((e) => e.data.complianceReminderRaised);
    expect(wjHeard.map((r) => r.id).sort()).toEqual(wj);
    expect(wjHeard.every((r) => r.ownerJurisdiction === 'WUJIANG' && r.deliveredAt && r.history.some((h: { event: string }) => h.event === 'DELIVERED'))).toBe(true);

    // Qingpu decided every notice in order; its last is the sentinel, so every Wujiang notice before it was dropped.
    const qpHeard = (await qpLive.until(qp.length)).map((e) => e.data.complianceReminderRaised);
    expect(qpHeard[qpHeard.length - 1].id).toBe(sentinel);
    expect(qpHeard.map((r) => r.id).sort()).toEqual(qp);
    expect(qpHeard.some((r) => r.ownerJurisdiction !== 'QINGPU')).toBe(false);
    const emergencyHeard = (await qpEmergency.until(wj.length)).map((e) => e.data.complianceReminderRaised);
    expect(emergencyHeard.map((r) => r.id).sort()).toEqual(wj);

    // Audited as reads, with the reminders' ids, for those that heard them only.
    const audited = async (subj: string) => (await t.db.ds.query(
      `SELECT coalesce(sum(record_count), 0)::int AS n, array_agg(DISTINCT owner_jurisdiction) AS owners FROM audit_event
       WHERE sub = $1 AND resource_type = 'COMPLIANCE_REMINDER' AND operation_name = 'ReminderWatch'`, [subj]))[0];
    expect(await audited('wj-live')).toEqual({ n: wj.length, owners: ['WUJIANG'] });
    expect(await audited('qp-live')).toEqual({ n: qp.length, owners: ['QINGPU'] });
    expect(await audited('qp-emergency')).toEqual({ n: wj.length, owners: ['WUJIANG'] });
  });

  test('webhooks: the trigger queued every filed reminder for both; each gets its own, signed; the others are dropped unsent', async () => {
    const wj = await idsOf('WUJIANG');
    const qp = await idsOf('QINGPU');
    const total = (await t.db.ds.query('SELECT count(*)::int AS n FROM compliance_reminder'))[0].n;
    const queued = async (hook: string) => (await t.db.ds.query(
      `SELECT count(*)::int AS n FROM webhook_outbox WHERE webhook_id = $1 AND topic = 'COMPLIANCE_REMINDER' AND change = 'CREATED'`, [hook]))[0].n;
    expect(await queued(wjHook.id)).toBe(total);
    expect(await queued(qpHook.id)).toBe(total);

    const run = await t.hub.webhookDelivery.runOnce();
    expect(run).toEqual({ delivered: wj.length + qp.length, retrying: 0, failed: 0, withheld: 2 * total - wj.length - qp.length });
    for (const [path, hook, ids, owner] of [['/wj', wjHook, wj, 'WUJIANG'], ['/qp', qpHook, qp, 'QINGPU']] as const) {
      const got = rx.received.filter((r) => r.path === path);
      expect(got).toHaveLength(ids.length);
      const bodies = got.map((g) => JSON.parse(g.body));
      expect(bodies.map((b) => b.reminder.id).sort()).toEqual(ids);
      for (const [i, g] of got.entries()) {
        expect(bodies[i]).toMatchObject({ topic: 'COMPLIANCE_REMINDER', change: 'CREATED', webhookId: hook.id, reminder: { ownerJurisdiction: owner } });
        expect(g.headers['x-hub-topic']).toBe('COMPLIANCE_REMINDER');
        expect(g.headers['x-hub-event-id']).toBe(bodies[i].id);
        const ts = String(g.headers['x-hub-timestamp']);
        expect(verifyWebhookSignature(hook.secret, ts, g.body, String(g.headers['x-hub-signature-256']))).toBe(true);
        expect(verifyWebhookSignature(hook.secret, ts, g.body.replace(owner, 'JIASHAN'), String(g.headers['x-hub-signature-256']))).toBe(false);
      }
    }
    // What Qingpu may not read left no trace: not posted, not in the outbox, not in its log, not audited.
    expect(rx.received.filter((r) => r.path === '/qp' && JSON.parse(r.body).reminder.ownerJurisdiction !== 'QINGPU')).toHaveLength(0);
    expect((await t.db.ds.query(`SELECT count(*)::int AS n FROM webhook_outbox WHERE webhook_id = $1`, [qpHook.id]))[0].n).toBe(qp.length);
    expect((await t.db.ds.query(`SELECT count(*)::int AS n FROM webhook_delivery WHERE webhook_id = $1`, [qpHook.id]))[0].n).toBe(qp.length);
    const auditedKeys = async (hook: string) => (await t.db.ds.query(
      `SELECT coalesce(sum(record_count), 0)::int AS n FROM audit_event WHERE operation_name = $1 AND resource_type = 'COMPLIANCE_REMINDER'`, [`webhook:${hook}`]))[0].n;
    expect(await auditedKeys(qpHook.id)).toBe(qp.length);
    expect(await auditedKeys(wjHook.id)).toBe(wj.length);

    // Each reminder's history records the webhook that delivered it.
    const hist: Array<{ actor: string; channel: string }> = await t.db.ds.query(
      `SELECT actor, channel FROM compliance_reminder_log WHERE reminder_id = $1 AND event = 'DELIVERED' ORDER BY id`, [sentinel]);
    expect(hist).toEqual([{ actor: 'system', channel: 'eco_hub_reminders' }, { actor: `webhook:${qpHook.id}`, channel: 'webhook' }]);
    expect(await t.hub.webhookDelivery.runOnce()).toEqual({ delivered: 0, retrying: 0, failed: 0, withheld: 0 });
  });

  test('a pass that files nothing queues nothing', async () => {
    const before = (await t.db.ds.query('SELECT count(*)::int AS n FROM webhook_outbox'))[0].n;
    expect((await t.hub.services.reminders.generate()).created).toBe(0);
    expect((await t.db.ds.query('SELECT count(*)::int AS n FROM webhook_outbox'))[0].n).toBe(before);
  });
});
