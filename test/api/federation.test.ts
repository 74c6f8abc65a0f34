import { AddressInfo } from 'node:net';
import { ApolloGateway, IntrospectAndCompose, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { alertsOf, JiangsuSubgraph, startJiangsuSubgraph } from '../fixtures/jiangsu-subgraph';
import { startTestHub, TestHub } from '../support/hub';

/**
 * One supergraph: the hub and a provincial subgraph composed by a real Apollo Gateway, all three
 * on HTTP. The gateway forwards the caller's token and purpose to the hub, so the hub's policy
 * decides what the supergraph returns exactly as it does for a direct call.
 */
interface GatewayContext {
  authorization?: string;
  purpose?: string;
}

let t: TestHub;
let jiangsu: JiangsuSubgraph;
let gatewayServer: ApolloServer<GatewayContext>;
let gatewayUrl: string;
let wujiang: string; // DOSSIER_READER of Wujiang
let qingpu: string; // DOSSIER_READER of Qingpu

beforeAll(async () => {
  t = await startTestHub('demo');
  await new Promise<void>((resolve) => t.hub.httpServer.listen(0, '127.0.0.1', resolve));
  const hubUrl = `http://127.0.0.1:${(t.hub.httpServer.address() as AddressInfo).port}/graphql`;
  jiangsu = await startJiangsuSubgraph();

  const gateway = new ApolloGateway({
    supergraphSdl: new IntrospectAndCompose({ subgraphs: [{ name: 'hub', url: hubUrl }, { name: 'jiangsu', url: jiangsu.url }] }),
    buildService: ({ name, url }) => new RemoteGraphQLDataSource<GatewayContext>({
      url,
      willSendRequest({ request, context }) {
        // The hub's bearer token goes to the hub only; a province authenticates its own callers.
        if (name !== 'hub') return;
        if (context.authorization) request.http?.headers.set('authorization', context.authorization);
        if (context.purpose) request.http?.headers.set('x-purpose', context.purpose);
      },
    }),
    logger: { debug() {}, info() {}, warn() {}, error() {} },
  });
  gatewayServer = new ApolloServer<GatewayContext>({ gateway });
  ({ url: gatewayUrl } = await startStandaloneServer(gatewayServer, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => ({
      authorization: typeof req.headers.authorization === 'string' ? req.headers.authorization : undefined,
      purpose: typeof req.headers['x-purpose'] === 'string' ? req.headers['x-purpose'] : undefined,
    }),
  }));

  // Agencies without sharing grants (the district bureaus hold framework grants on the conditional resources, issue 12).
  wujiang = await t.token('WUJIANG', ['DOSSIER_READER'], { org: 'WUJIANG-JET' });
  qingpu = await t.token('QINGPU', ['DOSSIER_READER'], { org: 'QINGPU-JET' });
});

afterAll(async () => {
  await gatewayServer?.stop();
  await jiangsu?.stop();
  await t?.close();
});

/** A query through the gateway, over HTTP. */
async function viaGateway(query: string, variables: Record<string, unknown> = {}, opts: { token?: string; purpose?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.purpose) headers['x-purpose'] = opts.purpose;
  const res = await fetch(gatewayUrl, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- asserted field by field
  return { status: res.status, body: (await res.json()) as any };
}

async function oneOf(district: string): Promise<string> {
  const [row] = await t.db.ds.query('SELECT uscc FROM enterprise WHERE owner_jurisdiction = $1 ORDER BY uscc LIMIT 1', [district]);
  return row.uscc;
}

const LIST = `query { enterprises(first: 500) { totalCount edges { node {
  uscc name jurisdiction onlineAlerts { id parameter kind value limit raisedAt } } } } }`;

describe('the supergraph composes the hub with the Jiangsu subgraph', () => {
  test('one query crosses both: the hub\'s enterprise list with Jiangsu\'s online alerts on each', async () => {
    jiangsu.requestedUsccs.length = 0;
    const r = await viaGateway(LIST, {}, { token: wujiang });
    expect(r.body.errors).toBeUndefined();
    const direct = await t.gql(`{ enterprises(first: 500) { totalCount edges { node { uscc name jurisdiction } } } }`, {}, { token: wujiang });
    const nodes = r.body.data.enterprises.edges.map((e: any) => e.node);
    // The hub answered as it answers this principal directly …
    expect(nodes.map((n: any) => ({ uscc: n.uscc, name: n.name, jurisdiction: n.jurisdiction })))
      .toEqual(direct.body.data.enterprises.edges.map((e: any) => e.node));
    expect(r.body.data.enterprises.totalCount).toBe(direct.body.data.enterprises.totalCount);
    // … and Jiangsu added its alarms: some for every Wujiang (Jiangsu) enterprise, none elsewhere.
    for (const n of nodes) expect(n.onlineAlerts).toEqual(alertsOf(n.uscc).map(({ id, parameter, kind, value, limit, raisedAt }) => ({ id, parameter, kind, value, limit, raisedAt })));
    expect(nodes.filter((n: any) => n.jurisdiction === 'WUJIANG').every((n: any) => n.onlineAlerts.length > 0)).toBe(true);
    expect(nodes.filter((n: any) => n.jurisdiction !== 'WUJIANG').every((n: any) => n.onlineAlerts.length === 0)).toBe(true);
    // Jiangsu was asked about exactly the enterprises the hub returned, in one batch.
    expect([...jiangsu.requestedUsccs].sort()).toEqual(nodes.map((n: any) => n.uscc).sort());
  });

  test('the hub\'s token and purpose reach the hub, and only the hub', async () => {
    jiangsu.requestHeaders.length = 0;
    const r = await viaGateway(`{ me { sub jurisdiction roles purpose } onlineMonitoringPlatform }`, {}, { token: wujiang, purpose: 'ENFORCEMENT' });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.me).toEqual({ sub: 'test-wujiang', jurisdiction: 'WUJIANG', roles: ['DOSSIER_READER'], purpose: 'ENFORCEMENT' });
    expect(r.body.data.onlineMonitoringPlatform).toContain('江苏');
    expect(jiangsu.requestHeaders.length).toBeGreaterThan(0);
    for (const h of jiangsu.requestHeaders) {
      expect(h.authorization).toBeUndefined();
      expect(h['x-purpose']).toBeUndefined();
    }
  });
});

describe('the hub\'s policy applies through the gateway', () => {
  const ONE = `query($uscc: USCC!) { enterprise(uscc: $uscc) { uscc name creditStatus { level levelName blacklisted }
    onlineAlerts { id kind } } }`;

  test('enterprise(uscc:) with creditStatus (hub) and onlineAlerts (Jiangsu); credit records open only with the declared purpose', async () => {
    const [{ uscc }] = await t.db.ds.query(`SELECT e.uscc FROM enterprise e WHERE e.owner_jurisdiction = 'WUJIANG'
      AND EXISTS (SELECT 1 FROM credit_record c WHERE c.enterprise_id = e.id AND c.kind = 'EVALUATION') ORDER BY e.uscc LIMIT 1`);
    // The owner district reads the credit status in full.
    const own = await viaGateway(ONE, { uscc }, { token: wujiang });
    expect(own.body.errors).toBeUndefined();
    const ownDirect = await t.gql(ONE.replace(/onlineAlerts \{ id kind \}/, ''), { uscc }, { token: wujiang });
    expect(own.body.data.enterprise.creditStatus).toEqual(ownDirect.body.data.enterprise.creditStatus);
    expect(own.body.data.enterprise.creditStatus.level).toEqual(expect.any(String));
    expect(own.body.data.enterprise.onlineAlerts.map((a: any) => a.id)).toEqual(alertsOf(uscc).map((a) => a.id));
    // Another district: credit records are CONDITIONAL, so without a grant the status is withheld (null), never a false "clean" …
    const other = await viaGateway(ONE, { uscc }, { token: qingpu });
    expect(other.body.errors).toBeUndefined();
    expect(other.body.data.enterprise).toMatchObject({ uscc, creditStatus: null });
    expect(other.body.data.enterprise.onlineAlerts.length).toBeGreaterThan(0);
    // … and the caller's agency, sent to the gateway in the token, reaches the hub's policy: the Qingpu bureau's framework grant opens it.
    const withPurpose = await viaGateway(ONE, { uscc }, { token: await t.token('QINGPU', ['DOSSIER_READER']) });
    expect(withPurpose.body.errors).toBeUndefined();
    expect(withPurpose.body.data.enterprise.creditStatus).toEqual(ownDirect.body.data.enterprise.creditStatus);
  });

  test('a Wujiang reader sees only Wujiang complaints (conditional) through the gateway, each enterprise with its alerts', async () => {
    const q = `{ complaints(first: 500) { totalCount edges { node { ownerJurisdiction enterprise { uscc onlineAlerts { id } } } } } }`;
    const r = await viaGateway(q, {}, { token: wujiang });
    expect(r.body.errors).toBeUndefined();
    const nodes = r.body.data.complaints.edges.map((e: any) => e.node);
    const [{ n }] = await t.db.ds.query(`SELECT count(*)::int AS n FROM complaint WHERE owner_jurisdiction = 'WUJIANG'`);
    expect(n).toBeGreaterThan(0);
    expect(r.body.data.complaints.totalCount).toBe(n);
    expect(new Set(nodes.map((c: any) => c.ownerJurisdiction))).toEqual(new Set(['WUJIANG']));
    for (const c of nodes) expect(c.enterprise.onlineAlerts.map((a: any) => a.id)).toEqual(alertsOf(c.enterprise.uscc).map((a) => a.id));
  });

  test('another district\'s inspection by key is FORBIDDEN through the gateway, with the hub\'s code and rule', async () => {
    const [row] = await t.db.ds.query(`SELECT inspection_no AS k FROM inspection WHERE owner_jurisdiction = 'JIASHAN' LIMIT 1`);
    const r = await viaGateway(`query($k: String!) { inspection(inspectionNo: $k) { inspectionNo } }`, { k: row.k }, { token: wujiang });
    expect(r.body.data.inspection).toBeNull();
    expect(r.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'sharing.conditional', ownerJurisdiction: 'JIASHAN', applyFor: '211014/0001' });
    // The X-Purpose sent to the gateway reaches the hub's policy: EMERGENCY (with its role) opens it.
    const enforcer = await t.token('WUJIANG', ['DOSSIER_READER', 'ENFORCEMENT'], { org: 'WUJIANG-JET' });
    const emergency = await viaGateway(`query($k: String!) { inspection(inspectionNo: $k) { inspectionNo } }`, { k: row.k }, { token: enforcer, purpose: 'EMERGENCY' });
    expect(emergency.body.data.inspection).toEqual({ inspectionNo: row.k });
  });

  test('no token: the enterprise list is empty, an enterprise by key is FORBIDDEN, and Jiangsu is asked about nothing', async () => {
    jiangsu.requestedUsccs.length = 0;
    const list = await viaGateway(LIST);
    expect(list.body.errors).toBeUndefined();
    expect(list.body.data.enterprises).toEqual({ totalCount: 0, edges: [] });
    const one = await viaGateway(ONE, { uscc: await oneOf('WUJIANG') });
    expect(one.body.data.enterprise).toBeNull();
    expect(one.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'public.notOpen' });
    expect(jiangsu.requestedUsccs).toEqual([]);
  });
});
