import { randomUUID } from 'node:crypto';
import { District } from '../../src/domain/jurisdictions';
import { newCreditRecord, newEnterprise } from '../support/factories';
import { startTestHub, TestHub } from '../support/hub';
import { Receiver, startReceiver } from '../support/receiver';

/**
 * Receiver URLs on a hub with the default settings (NODE_ENV=test, HUB_WEBHOOK_ALLOW_PRIVATE unset):
 * plain http and private, loopback, link-local, metadata and reserved addresses are refused at
 * registration with BAD_USER_INPUT on `input.url`, nothing stored; and at delivery time a host that
 * now resolves to a forbidden address (DNS rebinding) is not connected to.
 */
let t: TestHub;
let rx: Receiver;
let platform: string;
beforeAll(async () => {
  t = await startTestHub('empty');
  rx = await startReceiver();
  platform = await t.token('CREDIT_YRD', ['CREDIT_FEED'], { org: 'CREDIT-YRD' });
});
afterAll(async () => {
  await rx.close();
  await t.close();
});

const REGISTER = 'mutation($i: RegisterWebhookInput!) { registerWebhook(input: $i) { secret webhook { id url } } }';
const count = async () => (await t.db.ds.query('SELECT count(*)::int AS n FROM webhook'))[0].n as number;

test('the defaults fail closed: not https, or a private address, is BAD_USER_INPUT on input.url and stores nothing', async () => {
  expect(t.config.webhooks).toMatchObject({ allowHttp: false, allowPrivate: false });
  const cases: Array<[string, string]> = [
    ['http://93.184.215.14/hook', 'webhook.https'],
    ['ftp://93.184.215.14/hook', 'webhook.https'],
    ['https://127.0.0.1/hook', 'webhook.privateAddress'],
    [`https://127.0.0.1:${rx.port}/hook`, 'webhook.privateAddress'],
    ['https://10.1.2.3/hook', 'webhook.privateAddress'],
    ['https://172.20.0.1/hook', 'webhook.privateAddress'],
    ['https://192.168.1.10/hook', 'webhook.privateAddress'],
    ['https://169.254.169.254/latest/meta-data', 'webhook.privateAddress'],
    ['https://100.100.100.200/latest/meta-data', 'webhook.privateAddress'],
    ['https://0.0.0.0/hook', 'webhook.privateAddress'],
    ['https://[::1]/hook', 'webhook.privateAddress'],
    ['https://[::ffff:127.0.0.1]/hook', 'webhook.privateAddress'],
    ['https://[fd00:ec2::254]/hook', 'webhook.privateAddress'],
    ['https://[fe80::1]/hook', 'webhook.privateAddress'],
    ['https://2130706433/hook', 'webhook.privateAddress'], // 127.0.0.1 written as one number
    ['https://localhost/hook', 'webhook.privateAddress'], // a name that resolves to loopback
    ['https://user:pw@93.184.215.14/hook', 'webhook.url'],
    ['not a url', 'webhook.url'],
  ];
  for (const [url, rule] of cases) {
    const res = await t.gql(REGISTER, { i: { url, topics: ['CREDIT_FEED'] } }, { token: platform });
    expect({ url, data: res.body.data, extensions: res.body.errors?.[0]?.extensions }).toEqual({ url, data: null, extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'input.url', rule }) });
  }
  expect(await count()).toBe(0);
});

test('an https URL on a public address is accepted', async () => {
  const res = await t.gql(REGISTER, { i: { url: 'https://93.184.215.14/hooks/eco-hub#frag', topics: ['CREDIT_FEED'] } }, { token: platform });
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.registerWebhook.webhook.url).toBe('https://93.184.215.14/hooks/eco-hub');
  await t.db.ds.query('DELETE FROM webhook');
});

test('at delivery time a host that resolves to a forbidden address is refused before connecting, and logged', async () => {
  // As if `localhost` had resolved to a public address when registered (DNS rebinding), and a literal loopback URL stored before a rule change.
  const e = await newEnterprise(t.db.ds, { jurisdiction: 'WUJIANG' as District });
  await newCreditRecord(t.db.ds, e);
  const ids: string[] = [];
  for (const url of [`https://localhost:${rx.port}/rebound`, `https://127.0.0.1:${rx.port}/literal`]) {
    const id = randomUUID();
    ids.push(id);
    await t.db.ds.query(
      `INSERT INTO webhook (id, owner_org, owner_sub, owner_jurisdiction, owner_roles, url, topics, secret, feed_filter)
       VALUES ($1, 'CREDIT-YRD', 'xy', 'CREDIT_YRD', '{CREDIT_FEED}', $2, '{CREDIT_FEED}', 'whsec_test', $3::jsonb)`,
      [id, url, JSON.stringify({ districts: null, ops: null, kinds: null, since: null })]);
  }
  const run = await t.hub.webhookDelivery.runOnce();
  expect(run).toMatchObject({ delivered: 0, retrying: 2 });
  expect(rx.received).toHaveLength(0);
  const log = await t.db.ds.query('SELECT webhook_id, status_code, error, outcome FROM webhook_delivery ORDER BY webhook_id');
  expect(log).toHaveLength(2);
  for (const row of log) {
    expect(row).toMatchObject({ status_code: null, outcome: 'RETRYING' });
    expect(row.error).toMatch(/forbidden address/);
  }
  const [{ cursor }] = await t.db.ds.query('SELECT max(feed_cursor)::text AS cursor FROM webhook');
  expect(cursor).toBe('0'); // nothing acknowledged
});
