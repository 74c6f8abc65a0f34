import request from 'supertest';
import { buildPacket } from '../../src/domain/standards/hj212';
import { buildContext, parsePurpose } from '../../src/graphql/context';
import { feedCursor } from '../../src/modules/feed';
import { registerDevice } from '../../src/modules/ingest';
import { verifyWebhookSignature, WebhookDelivery } from '../../src/modules/webhook';
import { writeCredit } from '../support/credit-changes';
import { startTestHub, TestHub } from '../support/hub';
import { eventually, Live, listen, subscribe } from '../support/live';
import { Receiver, startReceiver } from '../support/receiver';

/**
 * Delivery of events to partners (issue 17 item 5, issue 15 item 6): the `alertRaised` subscription
 * and the webhooks hear the same alert, each only where the policy lets its principal read it;
 * signed posts, retries with backoff, failure after the last attempt, leases between two workers;
 * the credit feed pushed in batches from the acknowledged cursor; registrations that are refused.
 * The receiver is a real HTTP server on 127.0.0.1 (HUB_WEBHOOK_ALLOW_PRIVATE, tests only).
 */
let t: TestHub;
let rx: Receiver;
let url: string;
const MN = 'ECOHUBTESTHOOKWJ03000001';
const PW = 'hk0001';
const open: Live[] = [];

beforeAll(async () => {
  t = await startTestHub('demo', {
    HUB_WEBHOOK_ALLOW_PRIVATE: 'true', HUB_WEBHOOK_BACKOFF_BASE_SECONDS: '0', HUB_WEBHOOK_MAX_ATTEMPTS: '3', HUB_WEBHOOK_BATCH_SIZE: '5', HUB_WEBHOOK_TIMEOUT_SECONDS: '1',
  });
  await registerDevice(t.db.ds, 'W-WJ-03', MN, PW);
  rx = await startReceiver();
  url = await listen(t.hub.httpServer);
  await t.hub.events.ready();
});
afterEach(async () => {
  for (const l of open.splice(0)) await l.close();
});
afterAll(async () => {
  await rx.close();
  await t.close();
});

const REGISTER = `mutation($i: RegisterWebhookInput!) { registerWebhook(input: $i) { secret webhook {
  id url topics status agency registeredBy jurisdiction alertFilter { kinds levels stationCode } feedCursor pendingEvents lastError } } }`;
const DELIVERIES = `query($id: ID!, $after: String) { webhookDeliveries(webhookId: $id, first: 50, after: $after) { totalCount
  edges { node { eventId topic change subject attempt statusCode error outcome durationMs } } pageInfo { hasNextPage endCursor } } }`;
const LIST = '{ webhooks { id url topics status agency feedCursor pendingEvents lastError } }';

interface Hook { id: string; secret: string }
async function register(token: string | undefined, input: Record<string, unknown>, purpose?: string): Promise<Hook> {
  const res = await t.gql(REGISTER, { i: input }, { token, purpose });
  expect(res.body.errors).toBeUndefined();
  const r = res.body.data.registerWebhook;
  return { id: r.webhook.id, secret: r.secret };
}

function lastHourDataTime(): string {
  const d = new Date(Date.now() + 8 * 3_600_000 - 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}0000`;
}
const packet = (value: string) => {
  const dt = lastHourDataTime();
  return buildPacket({ qn: `${dt}000`, st: '21', cn: '2061', pw: PW, mn: MN, flag: 4, cp: `DataTime=${dt};w20141-Avg=${value},w20141-Flag=N` });
};
async function ingest(value: string): Promise<void> {
  const res = await request(t.hub.app).post('/ingest/hj212').set('content-type', 'text/plain').send(packet(value));
  expect(res.status).toBe(200);
}
const at = (path: string) => rx.received.filter((r) => r.path === path);
const outbox = async (webhookId: string): Promise<Array<{ state: string; topic: string; change: string }>> =>
  t.db.ds.query('SELECT state, topic, change FROM webhook_outbox WHERE webhook_id = $1 ORDER BY id', [webhookId]);

async function sub(token: string, query: string, variables: Record<string, unknown> = {}): Promise<Live> {
  const before = t.hub.subscriptions.listening();
  const live = await subscribe(url, token, query, variables);
  open.push(live);
  await eventually(() => t.hub.subscriptions.listening() > before, 'the subscription listening');
  await t.hub.events.ready();
  return live;
}

const ALERT_RAISED = 'subscription AlertWatch($f: AlertRaisedFilter) { alertRaised(filter: $f) { id kind level status stationCode ownerJurisdiction reaches values { parameter value } } }';

describe('an antimony alert on the Taipu River reaches subscribers and webhooks the policy addresses, and no one else', () => {
  let wj: Hook, qp: Hook, js: Hook, wjSources: Hook;
  let wjToken: string;
  let alertId: string;

  test('registration: the secret is shown once; each agency lists its own webhooks', async () => {
    wjToken = await t.token('WUJIANG', ['CATALOG_READER', 'ENFORCEMENT'], { org: 'WUJIANG-EEB', sub: 'wj-duty' });
    wj = await register(wjToken, { url: `${rx.url}/wj`, topics: ['ALERT_RAISED', 'ALERT_CHANGED'], description: 'Wujiang duty desk' });
    qp = await register(await t.token('QINGPU', ['CATALOG_READER'], { org: 'QINGPU-EEB' }), { url: `${rx.url}/qp`, topics: ['ALERT_RAISED'] });
    js = await register(await t.token('JIASHAN', ['CATALOG_READER', 'ENFORCEMENT'], { org: 'JIASHAN-EEB' }), { url: `${rx.url}/js`, topics: ['ALERT_RAISED'] }, 'EMERGENCY');
    wjSources = await register(wjToken, { url: `${rx.url}/wj-sources`, topics: ['ALERT_RAISED'], alertFilter: { kinds: ['SOURCE_EXCEEDANCE'] } });
    expect(wj.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(new Set([wj.secret, qp.secret, js.secret, wjSources.secret]).size).toBe(4);
    const mine = await t.gql(LIST, {}, { token: wjToken });
    expect(mine.body.data.webhooks.map((w: { id: string }) => w.id)).toEqual([wj.id, wjSources.id]);
    expect(mine.body.data.webhooks[0]).toMatchObject({ url: `${rx.url}/wj`, topics: ['ALERT_RAISED', 'ALERT_CHANGED'], status: 'ACTIVE', agency: 'WUJIANG-EEB', feedCursor: null, pendingEvents: 0 });
    // The secret is stored to sign with, and never read back through the API.
    const secretField = await t.gql(`{ webhooks { id secret } }`, {}, { token: wjToken });
    expect(secretField.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  test('alertRaised: the owner and the district downstream hear the alert; a district not addressed and a non-matching filter hear nothing', async () => {
    const jsToken = await t.token('JIASHAN', ['CATALOG_READER', 'ENFORCEMENT'], { org: 'JIASHAN-EEB', sub: 'js-live' });
    const owner = await sub(wjToken, ALERT_RAISED);
    const downstream = await sub(await t.token('QINGPU', ['CATALOG_READER'], { sub: 'qp-live' }), ALERT_RAISED, { f: { kinds: ['WATCHED_THRESHOLD'], stationCode: 'W-WJ-03' } });
    const otherKind = await sub(await t.token('QINGPU', ['CATALOG_READER'], { sub: 'qp-live-2' }), ALERT_RAISED, { f: { kinds: ['SECTION_CLASS'] } });
    const notAddressed = await sub(jsToken, ALERT_RAISED);
    const zone = await sub(await t.token('ZONE', ['CATALOG_READER'], { sub: 'zone-live' }), ALERT_RAISED, { f: { levels: ['ORANGE'] } });

    await ingest('0.0082');
    const [a] = await t.db.ds.query(`SELECT id FROM alert WHERE station_code = 'W-WJ-03' AND kind = 'WATCHED_THRESHOLD' AND parameter = 'w20141' AND status = 'OPEN'`);
    alertId = a.id;
    const [heard] = await owner.until(1);
    expect(heard.data.alertRaised).toMatchObject({ id: alertId, kind: 'WATCHED_THRESHOLD', level: 'ORANGE', status: 'OPEN', stationCode: 'W-WJ-03', ownerJurisdiction: 'WUJIANG', reaches: ['QINGPU'] });
    expect(heard.data.alertRaised.values[0]).toEqual({ parameter: 'w20141', value: '0.0082' });
    expect((await downstream.until(1))[0].data.alertRaised.id).toBe(alertId);
    expect((await zone.until(1))[0].data.alertRaised.id).toBe(alertId);
    // Every subscription decided the same notice; the ones that heard it are past it.
    expect(notAddressed.events).toHaveLength(0);
    expect(otherKind.events).toHaveLength(0);
    // Audited as reads, with the alert's id, for those that heard it only.
    const audited = async (sub: string) => t.db.ds.query(
      `SELECT resource_type, owner_jurisdiction, record_count, operation_name FROM audit_event WHERE sub = $1 AND $2 = ANY(record_keys)`, [sub, alertId]);
    expect(await audited('wj-duty')).toEqual([{ resource_type: 'ALERT', owner_jurisdiction: 'WUJIANG', record_count: 1, operation_name: 'AlertWatch' }]);
    expect(await audited('qp-live')).toHaveLength(1);
    expect(await audited('js-live')).toHaveLength(0);
    expect(await audited('qp-live-2')).toHaveLength(0);
  });

  test('webhooks: the trigger queued the event for every matching registration; the owner and downstream get it signed, Jiashan never', async () => {
    expect(await outbox(wj.id)).toEqual([{ state: 'PENDING', topic: 'ALERT_RAISED', change: 'RAISED' }]);
    expect(await outbox(qp.id)).toHaveLength(1);
    expect(await outbox(js.id)).toHaveLength(1); // queued: the policy decides at delivery
    expect(await outbox(wjSources.id)).toHaveLength(0); // its kinds filter keeps it out of the queue

    const run = await t.hub.webhookDelivery.runOnce();
    expect(run).toEqual({ delivered: 2, retrying: 0, failed: 0, withheld: 1 });
    expect(at('/js')).toHaveLength(0);
    expect(await outbox(js.id)).toHaveLength(0); // dropped unsent, and not in its log either
    const jsLog = await t.gql(DELIVERIES, { id: js.id }, { token: await t.token('JIASHAN', ['CATALOG_READER'], { org: 'JIASHAN-EEB' }) });
    expect(jsLog.body.data.webhookDeliveries.totalCount).toBe(0);

    for (const [path, hook] of [['/wj', wj], ['/qp', qp]] as const) {
      const [got] = at(path);
      expect(got).toBeDefined();
      const body = JSON.parse(got.body);
      expect(body).toMatchObject({ topic: 'ALERT_RAISED', change: 'RAISED', webhookId: hook.id, alert: { id: alertId, level: 'ORANGE', stationCode: 'W-WJ-03' } });
      expect(got.headers['x-hub-event-id']).toBe(body.id);
      expect(got.headers['x-hub-topic']).toBe('ALERT_RAISED');
      expect(got.headers['x-hub-delivery-attempt']).toBe('1');
      expect(got.headers['content-type']).toMatch(/^application\/json/);
      const ts = String(got.headers['x-hub-timestamp']);
      expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(600);
      expect(verifyWebhookSignature(hook.secret, ts, got.body, String(got.headers['x-hub-signature-256']))).toBe(true);
      expect(verifyWebhookSignature(hook.secret, ts, got.body.replace('ORANGE', 'RED'), String(got.headers['x-hub-signature-256']))).toBe(false);
    }
    expect(await outbox(wj.id)).toEqual([{ state: 'DELIVERED', topic: 'ALERT_RAISED', change: 'RAISED' }]);
    // Audited as the owner's read, under the webhook's name.
    const audit = await t.db.ds.query(`SELECT org, resource_type, record_count FROM audit_event WHERE operation_name = $1 AND $2 = ANY(record_keys)`, [`webhook:${wj.id}`, alertId]);
    expect(audit).toEqual([{ org: 'WUJIANG-EEB', resource_type: 'ALERT', record_count: 1 }]);
    expect(await t.db.ds.query(`SELECT 1 FROM audit_event WHERE operation_name = $1`, [`webhook:${js.id}`])).toHaveLength(0);
    const log = await t.gql(DELIVERIES, { id: wj.id }, { token: wjToken });
    expect(log.body.data.webhookDeliveries.edges.map((e: { node: unknown }) => e.node)).toEqual([
      expect.objectContaining({ topic: 'ALERT_RAISED', change: 'RAISED', subject: alertId, attempt: 1, statusCode: 200, error: null, outcome: 'DELIVERED' }),
    ]);
    // Nothing more is due.
    expect(await t.hub.webhookDelivery.runOnce()).toEqual({ delivered: 0, retrying: 0, failed: 0, withheld: 0 });
  });

  test('a higher level is ALERT_CHANGED: failed twice, delivered on the third attempt with the same event id', async () => {
    const before = rx.received.length;
    let failures = 0;
    rx.answer = (_n, path) => (path === '/wj' && failures++ < 2 ? 500 : 200);
    await ingest('0.0125');
    expect(await outbox(qp.id)).toHaveLength(1); // ALERT_RAISED only: no new row for an update
    expect((await outbox(wj.id)).map((o) => o.change)).toEqual(['RAISED', 'UPDATED']);
    expect(await t.hub.webhookDelivery.runOnce()).toMatchObject({ delivered: 0, retrying: 1 });
    expect(await t.hub.webhookDelivery.runOnce()).toMatchObject({ delivered: 0, retrying: 1 });
    expect(await t.hub.webhookDelivery.runOnce()).toMatchObject({ delivered: 1, retrying: 0 });
    const tries = rx.received.slice(before);
    expect(tries.map((r) => [r.path, r.status, r.headers['x-hub-delivery-attempt']])).toEqual([['/wj', 500, '1'], ['/wj', 500, '2'], ['/wj', 200, '3']]);
    expect(new Set(tries.map((r) => r.headers['x-hub-event-id'])).size).toBe(1);
    expect(JSON.parse(tries[2].body)).toMatchObject({ topic: 'ALERT_CHANGED', change: 'UPDATED', alert: { id: alertId, level: 'RED' } });
    const log = await t.gql(DELIVERIES, { id: wj.id }, { token: wjToken });
    expect(log.body.data.webhookDeliveries.edges.slice(0, 3).map((e: { node: Record<string, unknown> }) => [e.node.attempt, e.node.statusCode, e.node.outcome, e.node.error])).toEqual([
      [3, 200, 'DELIVERED', null], [2, 500, 'RETRYING', 'HTTP 500'], [1, 500, 'RETRYING', 'HTTP 500'],
    ]);
    const metrics = (await request(t.hub.app).get('/metrics')).text;
    expect(metrics).toMatch(/hub_webhook_deliveries_total\{topic="ALERT_CHANGED",outcome="retrying"\} 2/);
    expect(metrics).toMatch(/hub_webhook_deliveries_total\{topic="ALERT_CHANGED",outcome="delivered"\} 1/);
    expect(metrics).toMatch(/hub_webhook_delivery_failures_total\{topic="ALERT_CHANGED",reason="status"\} 2/);
    rx.answer = () => 200;
  });

  test('a receiver that does not answer, then fails: FAILED after the last attempt, never tried again', async () => {
    const before = rx.received.length;
    let n = 0;
    rx.answer = (_i, path) => (path === '/wj' ? (n++ === 0 ? 0 : 503) : 200);
    const ack = await t.gql('mutation($id: ID!) { acknowledgeAlert(id: $id, note: "crew sent") { status } }', { id: alertId }, { token: wjToken });
    expect(ack.body.data.acknowledgeAlert.status).toBe('ACKNOWLEDGED');
    const pending = await t.gql(LIST, {}, { token: wjToken });
    expect(pending.body.data.webhooks[0].pendingEvents).toBe(1);
    expect(await t.hub.webhookDelivery.runOnce()).toMatchObject({ retrying: 1 });
    expect(await t.hub.webhookDelivery.runOnce()).toMatchObject({ retrying: 1 });
    expect(await t.hub.webhookDelivery.runOnce()).toMatchObject({ failed: 1 });
    expect(await t.hub.webhookDelivery.runOnce()).toEqual({ delivered: 0, retrying: 0, failed: 0, withheld: 0 });
    expect(rx.received.slice(before).map((r) => r.status)).toEqual([0, 503, 503]);
    expect((await outbox(wj.id)).at(-1)).toEqual({ state: 'FAILED', topic: 'ALERT_CHANGED', change: 'ACKNOWLEDGED' });
    const log = await t.gql(DELIVERIES, { id: wj.id }, { token: wjToken });
    const nodes = log.body.data.webhookDeliveries.edges.slice(0, 3).map((e: { node: Record<string, unknown> }) => e.node);
    expect(nodes.map((x: Record<string, unknown>) => [x.change, x.attempt, x.statusCode, x.outcome])).toEqual([
      ['ACKNOWLEDGED', 3, 503, 'FAILED'], ['ACKNOWLEDGED', 2, 503, 'RETRYING'], ['ACKNOWLEDGED', 1, null, 'RETRYING'],
    ]);
    expect(nodes[2].error).toBe('no answer within 1 s');
    const listed = await t.gql(LIST, {}, { token: wjToken });
    expect(listed.body.data.webhooks[0]).toMatchObject({ pendingEvents: 0, lastError: 'HTTP 503' });
    const metrics = (await request(t.hub.app).get('/metrics')).text;
    expect(metrics).toMatch(/hub_webhook_delivery_failures_total\{topic="ALERT_CHANGED",reason="timeout"\} 1/);
    expect(metrics).toMatch(/hub_webhook_deliveries_total\{topic="ALERT_CHANGED",outcome="failed"\} 1/);
    rx.answer = () => 200;
  });

  test('two workers on one queue: every event is posted once', async () => {
    const zoneToken = await t.token('ZONE', ['CATALOG_READER'], { org: 'ZONE-OFFICE' });
    const zone = await register(zoneToken, { url: `${rx.url}/zone`, topics: ['ALERT_CHANGED'] });
    // Twelve alerts change at once (any writer of the alert table queues through the trigger).
    await t.db.ds.query(`UPDATE alert SET updated_at = now() WHERE id IN (SELECT id FROM alert ORDER BY raised_at, id LIMIT 12)`);
    expect(await outbox(zone.id)).toHaveLength(12);
    const metrics = (await request(t.hub.app).get('/metrics')).text;
    // Wujiang's webhook hears ALERT_CHANGED too, for the alerts of its own district it may read.
    const [{ n }] = await t.db.ds.query(`SELECT count(*)::int AS n FROM webhook_outbox WHERE state = 'PENDING' AND topic = 'ALERT_CHANGED'`);
    expect(n).toBeGreaterThanOrEqual(12);
    expect(metrics).toContain(`hub_webhook_outbox_pending{topic="ALERT_CHANGED"} ${n}`);
    const services = t.hub.services;
    const second = new WebhookDelivery({
      ds: t.db.ds, alerts: services.alerts, reminders: services.reminders, audit: services.audit, settings: t.config.webhooks,
      contextFor: (p, purpose) => buildContext(services, p, parsePurpose(purpose ?? undefined), { statements: 0 }),
    });
    for (let i = 0; i < 5; i++) await Promise.all([t.hub.webhookDelivery.runOnce(), second.runOnce()]);
    const posted = at('/zone');
    expect(posted).toHaveLength(12);
    expect(new Set(posted.map((r) => r.headers['x-hub-event-id'])).size).toBe(12);
    expect((await outbox(zone.id)).every((o) => o.state === 'DELIVERED')).toBe(true);
  });

  test('finished outbox rows and old log lines are pruned; pending ones and recent lines stay', async () => {
    const count = async (sql: string) => (await t.db.ds.query(sql))[0].n as number;
    await t.db.ds.query(`UPDATE webhook_outbox SET finished_at = now() - interval '8 days' WHERE webhook_id = $1 AND state = 'DELIVERED'`, [qp.id]);
    await t.db.ds.query(`UPDATE webhook_delivery SET attempted_at = now() - interval '31 days' WHERE webhook_id = $1`, [qp.id]);
    const outboxBefore = await count('SELECT count(*)::int AS n FROM webhook_outbox');
    const logBefore = await count('SELECT count(*)::int AS n FROM webhook_delivery');
    const pruned = await t.hub.webhookDelivery.prune();
    expect(pruned).toEqual({ outbox: 1, log: 1 });
    expect(await count('SELECT count(*)::int AS n FROM webhook_outbox')).toBe(outboxBefore - 1);
    expect(await count('SELECT count(*)::int AS n FROM webhook_delivery')).toBe(logBefore - 1);
    expect(await outbox(qp.id)).toEqual([]);
  });

  test('disabled: nothing is queued; enabled again: later changes are', async () => {
    const rows = async () => (await t.db.ds.query(`SELECT count(*)::int AS n FROM webhook_outbox WHERE webhook_id = $1`, [wj.id]))[0].n as number;
    const toggle = async (enabled: boolean) => (await t.gql('mutation($id: ID!, $on: Boolean!) { setWebhookEnabled(id: $id, enabled: $on) { status } }', { id: wj.id, on: enabled }, { token: wjToken })).body.data.setWebhookEnabled.status;
    expect(await toggle(false)).toBe('DISABLED');
    const before = await rows();
    await t.db.ds.query(`UPDATE alert SET updated_at = now() WHERE id = $1`, [alertId]);
    expect(await rows()).toBe(before);
    expect(await toggle(true)).toBe('ACTIVE');
    await t.db.ds.query(`UPDATE alert SET updated_at = now() WHERE id = $1`, [alertId]);
    expect(await rows()).toBe(before + 1);
  });
});

describe('registrations that are refused change nothing', () => {
  const count = async () => (await t.db.ds.query('SELECT count(*)::int AS n FROM webhook'))[0].n as number;
  const refused = async (token: string | undefined, input: Record<string, unknown>) => {
    const before = await count();
    const res = await t.gql(REGISTER, { i: input }, { token });
    expect(res.body.data ?? null).toBeNull();
    expect(await count()).toBe(before);
    return res.body.errors[0] as { message: string; extensions: Record<string, unknown> };
  };

  test('unknown topic, no topic, CREDIT_FEED with other topics, filters of the other kind, a bad feed filter', async () => {
    const token = await t.token('WUJIANG', ['CATALOG_READER'], { org: 'WUJIANG-EEB' });
    expect((await refused(token, { url: `${rx.url}/x`, topics: ['ALERT_SHOUTED'] })).extensions.code).toBe('BAD_USER_INPUT');
    expect((await refused(token, { url: `${rx.url}/x`, topics: [] })).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.topics' });
    const zone = await t.token('ZONE', ['CATALOG_READER', 'AUDITOR', 'CREDIT_FEED'], { org: 'ZONE-OFFICE' });
    expect((await refused(zone, { url: `${rx.url}/x`, topics: ['CREDIT_FEED', 'ALERT_RAISED'] })).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.topics' });
    expect((await refused(token, { url: `${rx.url}/x`, topics: ['ALERT_RAISED'], feedAfter: feedCursor('1') })).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.feedAfter' });
    const platform = await t.token('CREDIT_YRD', ['CREDIT_FEED'], { org: 'CREDIT-YRD' });
    expect((await refused(platform, { url: `${rx.url}/x`, topics: ['CREDIT_FEED'], feedFilter: { provinces: ['999999'] } })).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.feedFilter.provinces.0' });
    expect((await refused(platform, { url: `${rx.url}/x`, topics: ['CREDIT_FEED'], feedAfter: 'not-a-cursor' })).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.feedAfter' });
    expect((await refused(token, { url: 'not a url', topics: ['ALERT_RAISED'] })).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.url' });
  });

  test('who may not: the public, the credit platform for alerts, a district for the credit feed', async () => {
    expect((await refused(undefined, { url: `${rx.url}/x`, topics: ['ALERT_RAISED'] })).extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'webhook.public' });
    const platform = await t.token('CREDIT_YRD', ['CREDIT_FEED'], { org: 'CREDIT-YRD' });
    expect((await refused(platform, { url: `${rx.url}/x`, topics: ['ALERT_RAISED'] })).extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'webhook.alertsNotReadable' });
    const district = await t.token('WUJIANG', ['CATALOG_READER', 'CREDIT_FEED'], { org: 'WUJIANG-EEB' });
    expect((await refused(district, { url: `${rx.url}/x`, topics: ['CREDIT_FEED'] })).extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'feed.platformAndZoneOnly' });
  });

  test('another agency may not delete, disable or read the log of your webhook; an unknown id is NOT_FOUND', async () => {
    const mine = await t.token('JIASHAN', ['CATALOG_READER'], { org: 'JIASHAN-EEB' });
    const hook = await register(mine, { url: `${rx.url}/js2`, topics: ['ALERT_RAISED'] });
    const other = await t.token('JIASHAN', ['CATALOG_READER', 'ADMIN'], { org: 'JIASHAN-WATER-BUREAU' });
    const del = await t.gql('mutation($id: ID!) { deleteWebhook(id: $id) }', { id: hook.id }, { token: other });
    expect(del.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'webhook.ownAgencyOnly' });
    const dis = await t.gql('mutation($id: ID!) { setWebhookEnabled(id: $id, enabled: false) { status } }', { id: hook.id }, { token: other });
    expect(dis.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'webhook.ownAgencyOnly' });
    const log = await t.gql(DELIVERIES, { id: hook.id }, { token: other });
    expect(log.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'webhookId' });
    expect((await t.gql(LIST, {}, { token: other })).body.data.webhooks).toEqual([]);
    expect(await t.db.ds.query(`SELECT status FROM webhook WHERE id = $1`, [hook.id])).toEqual([{ status: 'ACTIVE' }]);
    const unknown = await t.gql('mutation($id: ID!) { deleteWebhook(id: $id) }', { id: '00000000-0000-4000-8000-000000000000' }, { token: mine });
    expect(unknown.body.errors[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    const bad = await t.gql('mutation($id: ID!) { deleteWebhook(id: $id) }', { id: 'x' }, { token: mine });
    expect(bad.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const gone = await t.gql('mutation($id: ID!) { deleteWebhook(id: $id) }', { id: hook.id }, { token: mine });
    expect(gone.body.data.deleteWebhook).toBe(hook.id);
    expect(await t.db.ds.query(`SELECT 1 FROM webhook WHERE id = $1`, [hook.id])).toHaveLength(0);
  });
});

describe('the credit feed pushed to the credit platform', () => {
  const FEED = `query($after: String, $f: CreditFeedFilterInput) { creditFeed(after: $after, first: 1000, filter: $f) { endCursor hasMore entries { cursor op jurisdiction recordNo } } }`;
  let platform: string;
  let hook: Hook;
  let start: string;
  const filter = { jurisdictions: ['WUJIANG', 'JIASHAN'] };
  let enterprises: Array<{ id: string; uscc: string; name: string; ownerJurisdiction: string }>;
  const write = async (i: number) => {
    const e = enterprises[i % enterprises.length];
    await writeCredit(t.db.ds, { enterprise: e, kind: i % 2 ? 'LISTING' : 'EVALUATION', op: i % 2 ? 'LISTED' : 'EVALUATED' });
  };

  beforeAll(async () => {
    platform = await t.token('CREDIT_YRD', ['CREDIT_FEED'], { org: 'CREDIT-YRD', sub: 'xy-push' });
    enterprises = await t.db.ds.query(
      `SELECT DISTINCT ON (owner_jurisdiction) id, uscc, name, owner_jurisdiction AS "ownerJurisdiction" FROM enterprise ORDER BY owner_jurisdiction, uscc`);
    expect(enterprises.map((e) => e.ownerJurisdiction)).toEqual(['JIASHAN', 'QINGPU', 'WUJIANG']);
    const [{ seq }] = await t.db.ds.query(`SELECT coalesce(max(seq), 0)::text AS seq FROM change_log WHERE record_type = 'CREDIT_RECORD'`);
    start = feedCursor(seq);
  });

  const acknowledged = () => at('/feed').filter((r) => r.status >= 200 && r.status < 300);
  async function pullAll(): Promise<string[]> {
    const out: string[] = [];
    let after = start;
    for (;;) {
      const res = await t.gql(FEED, { after, f: filter }, { token: platform });
      const page = res.body.data.creditFeed;
      out.push(...page.entries.map((e: { cursor: string }) => e.cursor));
      after = page.endCursor;
      if (!page.hasMore) return out;
    }
  }
  async function drain(): Promise<void> {
    for (let i = 0; i < 30; i++) {
      const r = await t.hub.webhookDelivery.runOnce();
      if (r.delivered + r.retrying + r.failed === 0) return;
    }
  }

  test('every entry, in order, once acknowledged, through failed requests and writes between passes', async () => {
    hook = await register(platform, { url: `${rx.url}/feed`, topics: ['CREDIT_FEED'], feedFilter: filter, feedAfter: start, description: '信用长三角 push' });
    // The 2nd and 3rd requests fail (a 500, then no answer), the 6th fails once more.
    rx.answer = (_n, path) => {
      if (path !== '/feed') return 200;
      const k = at('/feed').length;
      return k === 1 ? 500 : k === 2 ? 0 : k === 5 ? 502 : 200;
    };
    for (let i = 0; i < 7; i++) await write(i);
    await t.hub.webhookDelivery.runOnce();
    for (let i = 7; i < 16; i++) await write(i);
    await drain();
    for (let i = 16; i < 19; i++) await write(i);
    await drain();

    const expected = await pullAll();
    expect(expected.length).toBe(13); // 19 writes, 6 of them Qingpu's
    const got: string[] = acknowledged().flatMap((r) => JSON.parse(r.body).entries.map((e: { cursor: string }) => e.cursor));
    expect(got).toEqual(expected); // in seq order, no gap, no duplicate
    for (const r of acknowledged()) {
      const body = JSON.parse(r.body);
      expect(body.entries.length).toBeLessThanOrEqual(5);
      expect(body.count).toBe(body.entries.length);
      expect(body.endCursor).toBe(body.entries.at(-1).cursor);
      expect(body.entries.every((e: { jurisdiction: string }) => e.jurisdiction !== 'QINGPU')).toBe(true);
      expect(verifyWebhookSignature(hook.secret, String(r.headers['x-hub-timestamp']), r.body, String(r.headers['x-hub-signature-256']))).toBe(true);
    }
    // Each acknowledged batch starts where the previous one ended.
    const batches = acknowledged().map((r) => JSON.parse(r.body));
    batches.forEach((b, i) => expect(b.after).toBe(i === 0 ? start : batches[i - 1].endCursor));
    // A failed batch is sent again as it was: same event id, same entries.
    const all = at('/feed');
    for (let i = 0; i < all.length - 1; i++) {
      if (all[i].status >= 200 && all[i].status < 300) continue;
      expect(all[i + 1].headers['x-hub-event-id']).toBe(all[i].headers['x-hub-event-id']);
      expect(JSON.parse(all[i + 1].body).entries).toEqual(JSON.parse(all[i].body).entries);
    }
    expect(all.length).toBe(acknowledged().length + 3);
    const listed = await t.gql(LIST, {}, { token: platform });
    expect(listed.body.data.webhooks).toEqual([expect.objectContaining({ id: hook.id, status: 'ACTIVE', feedCursor: expected.at(-1), lastError: null })]);
    // Audited as the platform's reads of credit records: one row per owner district per attempt.
    const [{ n }] = await t.db.ds.query(`SELECT coalesce(sum(record_count), 0)::int AS n FROM audit_event WHERE operation_name = $1 AND resource_type = 'CREDIT_RECORD'`, [`webhook:${hook.id}`]);
    expect(n).toBe(all.reduce((s, r) => s + JSON.parse(r.body).entries.length, 0));
  });

  test('out of attempts the webhook is FAILED and stops; enabled again, it resumes with the same batch', async () => {
    rx.answer = (_n, path) => (path === '/feed' ? 500 : 200);
    const before = at('/feed').length;
    for (const i of [0, 2, 3]) await write(i); // Jiashan, Wujiang, Jiashan
    await drain();
    expect(at('/feed').length - before).toBe(3);
    const failed = await t.gql(LIST, {}, { token: platform });
    expect(failed.body.data.webhooks[0]).toMatchObject({ status: 'FAILED', lastError: 'HTTP 500' });
    await drain();
    expect(at('/feed').length - before).toBe(3);

    rx.answer = () => 200;
    const on = await t.gql('mutation($id: ID!) { setWebhookEnabled(id: $id, enabled: true) { status } }', { id: hook.id }, { token: platform });
    expect(on.body.data.setWebhookEnabled.status).toBe('ACTIVE');
    await drain();
    const tries = at('/feed').slice(before);
    expect(tries).toHaveLength(4);
    expect(new Set(tries.map((r) => r.headers['x-hub-event-id'])).size).toBe(1);
    expect(tries.map((r) => r.headers['x-hub-delivery-attempt'])).toEqual(['1', '2', '3', '1']);
    const expected = await pullAll();
    const got: string[] = acknowledged().flatMap((r) => JSON.parse(r.body).entries.map((e: { cursor: string }) => e.cursor));
    expect(got).toEqual(expected);
    expect(got.length).toBe(16);
    const metrics = (await request(t.hub.app).get('/metrics')).text;
    expect(metrics).toMatch(/hub_webhook_deliveries_total\{topic="CREDIT_FEED",outcome="failed"\} 1/);
    expect(metrics).toMatch(/hub_webhook_feed_pending_entries 0/);
  });
});

