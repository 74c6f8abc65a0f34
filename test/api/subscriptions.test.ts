import { SignJWT } from 'jose';
import { Jurisdiction } from '../../src/domain/jurisdictions';
import { withCheckCharacter } from '../../src/domain/uscc';
import { Made, newComplaint, newEnterprise, newPenalty } from '../support/factories';
import { startTestHub, TestHub, TEST_SECRET } from '../support/hub';
import { closed, eventually, initOutcome, listen, subscribe } from '../support/live';

/**
 * Live notifications (issue 12 item 4): `recordChanged` over graphql-ws on the hub's own HTTP
 * server. Every write here goes through the one writer (the API's mutations or the factories,
 * which write as the system through the same RecordWriter), whose change-log append also tells
 * the event bus.
 */

const CHANGES = `subscription Changes($f: RecordChangedFilter) {
  recordChanged(filter: $f) {
    seq recordType key op ownerJurisdiction uscc
    record {
      __typename
      ... on Penalty { decisionNo fineAmount withdrawalReason }
      ... on Complaint { ticketNo complainant { name phone idNumber } }
      ... on Enterprise { uscc name }
    }
  }
}`;

const KEYS_ONLY = 'subscription Keys($f: RecordChangedFilter) { recordChanged(filter: $f) { recordType key op ownerJurisdiction } }';

let t: TestHub;
let url: string;
let wujiangFirm: Made;
let qingpuFirm: Made;
const open: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  t = await startTestHub('empty', { HUB_WS_MAX_CONNECTIONS_PER_PRINCIPAL: '2', HUB_WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: '2' });
  url = await listen(t.hub.httpServer);
  await t.hub.events.ready();
  wujiangFirm = await newEnterprise(t.db.ds, { jurisdiction: Jurisdiction.WUJIANG });
  qingpuFirm = await newEnterprise(t.db.ds, { jurisdiction: Jurisdiction.QINGPU });
});

afterEach(async () => {
  for (const l of open.splice(0)) await l.close();
  await eventually(() => t.hub.subscriptions.listening() === 0, 'every subscription of the test ended');
});

afterAll(async () => {
  await t.close();
});

/** Subscribes, and for a subscription the server accepts, waits until it listens on the bus (so a write after this is heard). */
async function sub(token: string | null, query = CHANGES, variables: Record<string, unknown> = {}, extra: Record<string, unknown> = {}, expectListening = true) {
  const before = t.hub.subscriptions.listening();
  const live = await subscribe(url, token, query, variables, extra);
  open.push(live);
  if (expectListening) {
    await eventually(() => t.hub.subscriptions.listening() > before, 'the subscription listening');
    await t.hub.events.ready();
  }
  return live;
}

async function auditRows(sub: string, key: string): Promise<Array<{ resource_type: string; owner_jurisdiction: string; masked: boolean; operation_name: string; record_keys: string[] }>> {
  return t.db.ds.query('SELECT resource_type, owner_jurisdiction, masked, operation_name, record_keys FROM audit_event WHERE sub = $1 AND $2 = ANY(record_keys) ORDER BY id', [sub, key]);
}

describe('recordChanged: a subscriber hears the writes it may read', () => {
  test('a penalty written through the API reaches a subscriber of the district, re-read under its principal and audited once', async () => {
    const reader = await t.token('WUJIANG', ['DOSSIER_READER'], { sub: 'live-reader-1' });
    const live = await sub(reader, CHANGES, { f: { recordType: 'PENALTY' } });
    const steward = await t.token('WUJIANG', ['DATA_STEWARD']);
    const decisionNo = '吴环罚〔2026〕9001号';
    const w = await t.gql(`mutation($i: PenaltyInput!) { upsertPenalty(input: $i) { status key } }`, {
      i: {
        decisionNo, uscc: wujiangFirm.uscc, violationType: '超标排放水污染物', facts: '外排废水化学需氧量超标。', legalBasis: '《中华人民共和国水污染防治法》第八十三条',
        categories: ['FINE'], content: '罚款人民币二十万元', fineAmount: '200000', decisionDate: '2026-03-01', authorityName: '苏州市吴江生态环境局',
        authorityUscc: withCheckCharacter('11320509MB1234567'), publicityUntil: '2027-03-01', status: 'DECIDED',
        sourceSystem: 'TEST', sourceRecordId: 'live-1', asOf: '2026-06-01T00:00:00Z',
      },
    }, { token: steward });
    expect(w.body.errors).toBeUndefined();
    const [event] = await live.until(1);
    expect(event.errors).toBeUndefined();
    expect(event.data.recordChanged).toMatchObject({
      recordType: 'PENALTY', key: decisionNo, op: 'INSERTED', ownerJurisdiction: 'WUJIANG', uscc: wujiangFirm.uscc,
      record: { __typename: 'Penalty', decisionNo, fineAmount: '200000.00' },
    });
    const metrics = (await t.hub.ops.metrics.registry.metrics()).split('\n');
    expect(metrics).toContain('hub_ws_subscriptions 1');
    expect(metrics).toContain('hub_ws_events_total{outcome="sent"} 1');
    // One read, one audit row: the read engine's, with the key it released.
    const rows = await auditRows('live-reader-1', decisionNo);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ resource_type: 'PENALTY', owner_jurisdiction: 'WUJIANG', operation_name: 'Changes' });
  });

  test('an event without its record is audited from its keys', async () => {
    const reader = await t.token('WUJIANG', ['DOSSIER_READER'], { sub: 'live-reader-2' });
    const live = await sub(reader, KEYS_ONLY, { f: { uscc: wujiangFirm.uscc } });
    const p = await newPenalty(t.db.ds, wujiangFirm);
    const [event] = await live.until(1);
    expect(event.data.recordChanged).toEqual({ recordType: 'PENALTY', key: p.decisionNo, op: 'INSERTED', ownerJurisdiction: 'WUJIANG' });
    const rows = await auditRows('live-reader-2', p.decisionNo);
    expect(rows).toEqual([expect.objectContaining({ resource_type: 'PENALTY', owner_jurisdiction: 'WUJIANG', operation_name: 'Keys' })]);
  });

  test('a subscriber of another district with no right does not hear a conditional record, and hears the next one it may read', async () => {
    // Complaints are conditional (ENFORCEMENT purpose); a Qingpu reader without it may not read Wujiang's.
    const qingpu = await t.token('QINGPU', ['DOSSIER_READER'], { sub: 'live-qingpu-1' });
    const live = await sub(qingpu);
    const hidden = await newComplaint(t.db.ds, wujiangFirm);
    const heard = await newPenalty(t.db.ds, wujiangFirm); // unconditional: Qingpu may read it
    const events = await live.until(1);
    // Events come in commit order: the penalty arriving first proves the complaint was never sent.
    expect(events[0].data.recordChanged).toMatchObject({ recordType: 'PENALTY', key: heard.decisionNo });
    expect(JSON.stringify(live.events)).not.toContain(hidden.ticketNo);
    expect(await auditRows('live-qingpu-1', hidden.ticketNo)).toHaveLength(0);
  });

  test('a credit-platform principal hears no dossier record but credit records (its only reading)', async () => {
    const platform = await t.token('CREDIT_YRD', ['CREDIT_FEED'], { sub: 'live-credit' });
    const live = await sub(platform, KEYS_ONLY);
    const p = await newPenalty(t.db.ds, qingpuFirm);
    const e = await newEnterprise(t.db.ds, { jurisdiction: Jurisdiction.JIASHAN });
    // Neither is readable for the platform; a reader who may read them hears both meanwhile.
    const zone = await t.token('ZONE', ['DOSSIER_READER']);
    const witness = await sub(zone, KEYS_ONLY, { f: { jurisdiction: 'ZONE' } });
    const other = await newPenalty(t.db.ds, e);
    // The witness may also hear the enterprise or the first penalty, whose notices can reach the bus
    // after it subscribed; what matters is that the later penalty arrives, after both in commit order.
    await eventually(() => witness.events.some((ev) => ev.data?.recordChanged.key === other.decisionNo), 'the witness hearing the last penalty');
    expect(live.events).toHaveLength(0);
    void p;
  });

  test('filters: record type, jurisdiction (a province stands for its district) and enterprise', async () => {
    const zone = await t.token('ZONE', ['DOSSIER_READER']);
    const jiangsu = await sub(zone, KEYS_ONLY, { f: { jurisdiction: 'JIANGSU', recordType: 'PENALTY' } });
    const all = await sub(zone, KEYS_ONLY, { f: { uscc: qingpuFirm.uscc } });
    const q = await newPenalty(t.db.ds, qingpuFirm);
    const w = await newPenalty(t.db.ds, wujiangFirm);
    await jiangsu.until(1);
    await all.until(1);
    expect(jiangsu.events.map((e) => e.data.recordChanged.key)).toEqual([w.decisionNo]);
    expect(all.events.map((e) => e.data.recordChanged.key)).toEqual([q.decisionNo]);
  });
});

describe('the record in the event', () => {
  test('an enterprise comes as Enterprise; a withdrawal is heard with op WITHDRAWN, the record as a lookup by key shows it', async () => {
    const zone = await t.token('ZONE', ['DOSSIER_READER'], { sub: 'live-zone-records' });
    const live = await sub(zone, CHANGES, { f: { jurisdiction: 'JIASHAN' } });
    const e = await newEnterprise(t.db.ds, { jurisdiction: Jurisdiction.JIASHAN });
    const p = await newPenalty(t.db.ds, e);
    const steward = await t.token('JIASHAN', ['DATA_STEWARD']);
    const w = await t.gql('mutation($k: String!) { withdrawPenalty(decisionNo: $k, reason: "撤销重发") { status } }', { k: p.decisionNo }, { token: steward });
    expect(w.body.data.withdrawPenalty.status).toBe('WITHDRAWN');
    const events = (await live.until(3)).map((x) => x.data.recordChanged);
    expect(events[0]).toMatchObject({ recordType: 'ENTERPRISE', key: e.uscc, op: 'INSERTED', record: { __typename: 'Enterprise', uscc: e.uscc, name: e.name } });
    expect(events[1]).toMatchObject({ recordType: 'PENALTY', key: p.decisionNo, op: 'INSERTED', record: { __typename: 'Penalty', decisionNo: p.decisionNo } });
    expect(events[2]).toMatchObject({ recordType: 'PENALTY', key: p.decisionNo, op: 'WITHDRAWN', record: { decisionNo: p.decisionNo, withdrawalReason: '撤销重发' } });
    // Each event is its own audited read.
    expect((await auditRows('live-zone-records', p.decisionNo)).length).toBe(2);
  });
});

describe('masks apply in the event as in a read', () => {
  test('a reader who does not handle the complaint gets the complainant masked, a handler of the district in full', async () => {
    const plain = await sub(await t.token('WUJIANG', ['DOSSIER_READER'], { sub: 'live-plain' }), CHANGES, { f: { recordType: 'COMPLAINT' } });
    const handler = await sub(await t.token('WUJIANG', ['DOSSIER_READER', 'COMPLAINT_HANDLER'], { sub: 'live-handler' }), CHANGES, { f: { recordType: 'COMPLAINT' } });
    // Another district, with the purpose the resource asks for (sent in connection_init like X-Purpose).
    const enforcer = await sub(await t.token('QINGPU', ['DOSSIER_READER', 'ENFORCEMENT'], { sub: 'live-enforcer' }), CHANGES, { f: { recordType: 'COMPLAINT' } }, { purpose: 'ENFORCEMENT' });
    const c = await newComplaint(t.db.ds, wujiangFirm);
    const [p] = await plain.until(1);
    const [h] = await handler.until(1);
    const [x] = await enforcer.until(1);
    for (const masked of [p, x]) {
      const who = masked.data.recordChanged.record.complainant;
      expect(who.name).toMatch(/^.\*+$/u);
      expect(who.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
      expect(JSON.stringify(masked)).not.toContain(c.complainantPhone);
      expect(masked.extensions?.policy?.masked).toContainEqual({ field: 'Complaint.complainant', rule: 'mask.complainant.notHandler' });
    }
    expect(h.data.recordChanged.record.complainant).toEqual({ name: c.complainantName, phone: c.complainantPhone, idNumber: c.complainantIdNumber });
    const [row] = await auditRows('live-plain', c.ticketNo);
    expect(row).toMatchObject({ resource_type: 'COMPLAINT', masked: true });
  });
});

describe('the connection: token, expiry, limits', () => {
  test('no token closes with 4401, a bad token with 4403 and the reason; a good one is acknowledged', async () => {
    const none = await initOutcome(url, null);
    expect(none).toMatchObject({ code: 4401, acknowledged: false });
    const empty = await initOutcome(url, { authorization: '' });
    expect(empty.code).toBe(4401);
    const forged = await t.token('WUJIANG', ['DOSSIER_READER'], { secret: 'another-secret-another-secret-0123456789' });
    const bad = await initOutcome(url, { authorization: `Bearer ${forged}` });
    expect(bad).toMatchObject({ code: 4403, acknowledged: false });
    expect(bad.reason).toContain('token signature is not valid');
    const garbage = await initOutcome(url, { authorization: 'Bearer not.a.token' });
    expect(garbage.code).toBe(4403);
    const good = await initOutcome(url, { authorization: `Bearer ${await t.token('WUJIANG', ['DOSSIER_READER'])}` });
    expect(good.acknowledged).toBe(true);
  });

  test('an expired token is refused, and a connection is closed when its token expires', async () => {
    const now = Math.floor(Date.now() / 1000);
    const sign = (iat: number, exp: number) => new SignJWT({ org: 'WUJIANG-EEB', jurisdiction: 'WUJIANG', roles: ['DOSSIER_READER'] })
      .setProtectedHeader({ alg: 'HS256' }).setSubject('live-expiry').setIssuedAt(iat).setExpirationTime(exp).sign(new TextEncoder().encode(TEST_SECRET));
    const stale = await initOutcome(url, { authorization: `Bearer ${await sign(now - 120, now - 60)}` });
    expect(stale.code).toBe(4403);
    expect(stale.reason).toContain('token has expired');
    const short = await initOutcome(url, { authorization: `Bearer ${await sign(now, now + 2)}` }, { stayOpen: true });
    expect(short.acknowledged).toBe(true);
    const end = await closed(short.socket);
    expect(end).toEqual({ code: 4403, reason: 'Forbidden: token expired' });
    await eventually(() => !t.hub.subscriptions.connections().has('WUJIANG-EEB|live-expiry'), 'the expired connection released');
  });

  test('a principal holds at most the configured number of connections; closing one frees its place', async () => {
    const token = await t.token('JIASHAN', ['DOSSIER_READER'], { sub: 'live-limit' });
    const a = await initOutcome(url, { authorization: `Bearer ${token}` }, { stayOpen: true });
    const b = await initOutcome(url, { authorization: `Bearer ${token}` }, { stayOpen: true });
    expect([a.acknowledged, b.acknowledged]).toEqual([true, true]);
    const c = await initOutcome(url, { authorization: `Bearer ${token}` });
    expect(c.code).toBe(4403);
    expect(c.reason).toMatch(/already holds 2 connections/);
    // Another principal of the same district is not affected.
    const other = await initOutcome(url, { authorization: `Bearer ${await t.token('JIASHAN', ['DOSSIER_READER'], { sub: 'live-limit-other' })}` });
    expect(other.acknowledged).toBe(true);
    const gone = closed(a.socket);
    a.socket.close(1000);
    await gone;
    await eventually(() => t.hub.subscriptions.connections().get('JIASHAN-EEB|live-limit') === 1, 'the closed connection released');
    const d = await initOutcome(url, { authorization: `Bearer ${token}` }, { stayOpen: true });
    expect(d.acknowledged).toBe(true);
    expect(t.hub.subscriptions.connections().get('JIASHAN-EEB|live-limit')).toBe(2);
    b.socket.close(1000);
    d.socket.close(1000);
  });

  test('a connection runs at most the configured number of subscriptions', async () => {
    const token = await t.token('WUJIANG', ['DOSSIER_READER'], { sub: 'live-many' });
    const live = await sub(token, KEYS_ONLY);
    const results: Array<{ errors?: unknown }> = [];
    const second = new Promise<void>((resolve) => {
      live.client.subscribe({ query: KEYS_ONLY }, { next: () => undefined, error: (e) => { results.push({ errors: e }); resolve(); }, complete: () => resolve() });
      setTimeout(resolve, 300).unref(); // accepted: it stays open
    });
    await second;
    const third = await new Promise<unknown>((resolve) => {
      live.client.subscribe({ query: KEYS_ONLY }, { next: () => undefined, error: resolve, complete: () => resolve('completed') });
    });
    expect(results).toHaveLength(0);
    expect(JSON.stringify(third)).toContain('RATE_LIMITED');
  });
});

describe('documents: the same limits as /graphql', () => {
  const errorsOf = async (query: string, variables: Record<string, unknown> = {}) => {
    const live = await subscribe(url, await t.token('WUJIANG', ['DOSSIER_READER'], { sub: 'live-documents' }), query, variables);
    // A document the server refuses ends with an `error` message; a subscribe field that throws answers one result with errors.
    const { errors } = await live.ended;
    await live.close();
    return (errors ?? live.events[0]?.errors) as Array<{ message: string; extensions?: Record<string, unknown> }>;
  };

  test('a subscription nested past the depth limit is QUERY_TOO_COMPLEX', async () => {
    let inner = 'uscc';
    for (let i = 0; i < 8; i++) inner = `enterprise { penalties(first: 1) { edges { node { ${inner} } } } }`;
    const errors = await errorsOf(`subscription Deep { recordChanged { record { ... on Penalty { ${inner} } } } }`);
    expect(errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'depth' });
  });

  test('too many aliases, an unknown field and a bad filter are refused with their codes', async () => {
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: key`).join(' ');
    expect((await errorsOf(`subscription { recordChanged { ${aliases} } }`))[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'aliases' });
    expect((await errorsOf('subscription { recordChanged { nope } }'))[0].message).toMatch(/Cannot query field "nope"/);
    const bad = await errorsOf(KEYS_ONLY, { f: { recordType: 'MONITORING' } });
    expect(bad[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(bad[0].message).toContain('filter.recordType');
    const badUscc = await errorsOf(KEYS_ONLY, { f: { uscc: '91320509MA1MN00000' } });
    expect(badUscc[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  test('queries and mutations are not served on the socket', async () => {
    const errors = await errorsOf('query { jurisdictions { code } }');
    expect(errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(errors[0].message).toContain('POST /graphql');
  });

  test('over HTTP a subscription is not served', async () => {
    const r = await t.gql(KEYS_ONLY, {}, { token: await t.token('WUJIANG', ['DOSSIER_READER']) });
    expect(r.body.data ?? null).toBeNull();
    expect(r.body.errors?.length).toBeGreaterThan(0);
  });
});
