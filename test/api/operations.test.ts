import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { createDb, Db } from '../../src/db/datasource';
import { createLogger } from '../../src/logger';
import { createHub, Hub } from '../../src/server';
import { startTestHub, testConfig, TestHub } from '../support/hub';
import { cloneDatabase } from '../support/templates';

/**
 * Operations: /metrics, the request log and request ids, security headers, CORS, CSRF
 * prevention, graceful shutdown of the real process on SIGTERM, and what the hub does when its
 * database goes away and comes back.
 */
let t: TestHub;
let reader: string;
const hubs: Hub[] = [];

beforeAll(async () => {
  t = await startTestHub('demo');
  reader = await t.token('QINGPU', ['DOSSIER_READER'], { sub: 'ops-reader' });
});
afterAll(async () => {
  for (const h of hubs) await h.stop();
  await t.close();
});

async function hubWith(overrides: Record<string, string>, log = createLogger(testConfig(overrides))): Promise<Hub> {
  const hub = await createHub(testConfig(overrides), t.db.ds, log);
  hubs.push(hub);
  return hub;
}

/** A logger whose JSON lines land in `lines`. */
function capture(level = 'info'): { log: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  return { log: pino({ level }, { write: (s: string) => void lines.push(JSON.parse(s)) }), lines };
}

describe('/metrics', () => {
  test('Prometheus text with requests, latency, operations, errors, SQL, cache and pool', async () => {
    const hub = await hubWith({});
    const gql = (query: string, token?: string) => {
      const r = request(hub.app).post('/graphql');
      return (token ? r.set('authorization', `Bearer ${token}`) : r).send({ query });
    };
    await gql('query Enterprises { enterprises(first: 3) { edges { node { uscc } } } }', reader);
    await gql('query Enterprises { enterprises(first: 3) { edges { node { uscc } } } }', reader);
    await gql('query Catalog { catalogResources(first: 2) { edges { node { code } } } }');
    await gql('query Catalog { catalogResources(first: 2) { edges { node { code } } } }');
    await gql('query Broken { enterprises(first: 501) { totalCount } }', reader);
    await gql('query Invalid { noSuchField }');
    await gql('{ me { sub } }');
    await gql('query Deep { enterprises(first: 500) { edges { node { penalties(first: 500) { edges { node { decisionNo } } } } } } }', reader);

    const r = await request(hub.app).get('/metrics');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const m = r.text;
    const line = (re: RegExp) => expect(m).toMatch(re);
    line(/^hub_graphql_operations_total\{operation="Enterprises",outcome="ok"\} 2$/m);
    line(/^hub_graphql_operations_total\{operation="Catalog",outcome="ok"\} 2$/m);
    line(/^hub_graphql_operations_total\{operation="Broken",outcome="error"\} 1$/m);
    line(/^hub_graphql_operations_total\{operation="\(anonymous\)",outcome="ok"\} 1$/m);
    line(/^hub_graphql_operations_total\{operation="Deep",outcome="error"\} 1$/m);
    line(/^hub_graphql_operations_total\{operation="Invalid",outcome="error"\} 1$/m);
    line(/^hub_graphql_operation_duration_seconds_count\{operation="Enterprises",outcome="ok"\} 2$/m);
    line(/^hub_errors_total\{code="BAD_USER_INPUT"\} 1$/m);
    line(/^hub_errors_total\{code="QUERY_TOO_COMPLEX"\} 1$/m);
    line(/^hub_errors_total\{code="GRAPHQL_VALIDATION_FAILED"\} 1$/m);
    line(/^hub_http_requests_total\{method="POST",route="\/graphql",status="200"\} 6$/m);
    line(/^hub_http_requests_total\{method="POST",route="\/graphql",status="400"\} 2$/m);
    line(/^hub_http_request_duration_seconds_count\{route="\/graphql"\} 8$/m);
    line(/^hub_http_request_duration_seconds_bucket\{le="\+Inf",route="\/graphql"\} 8$/m);
    line(/^hub_sql_statements_per_request_count 8$/m);
    line(/^hub_sql_statements_per_request_sum [1-9]\d*$/m);
    line(/^hub_sql_seconds_per_request_count 8$/m);
    line(/^hub_cache_lookups_total\{area="catalog.list",outcome="miss"\} 1$/m);
    line(/^hub_cache_lookups_total\{area="catalog.list",outcome="hit"\} 1$/m);
    line(/^hub_db_pool_connections\{state="total"\} \d+$/m);
    line(/^hub_db_pool_connections\{state="idle"\} \d+$/m);
    line(/^hub_db_pool_connections\{state="waiting"\} 0$/m);
    line(/^hub_cache_store_up 1$/m);
    line(/^process_resident_memory_bytes \d+/m);
  });

  test('operation names a client makes up do not become labels beyond reason', async () => {
    const hub = await hubWith({});
    await request(hub.app).post('/graphql').send({ query: 'query A { me { sub } } query B { me { kind } }', operationName: 'A' });
    const m = (await request(hub.app).get('/metrics')).text;
    expect(m).toMatch(/operation="A",outcome="ok"/);
    expect(hub.ops.metrics.operationLabel('has spaces; drop table')).toBe('(invalid)');
    for (let i = 0; i < 250; i++) hub.ops.metrics.operationLabel(`Op${i}`);
    expect(hub.ops.metrics.operationLabel('OneTooMany')).toBe('(other)');
  });

  test('with HUB_METRICS_TOKEN, the scraper must send it', async () => {
    const hub = await hubWith({ HUB_METRICS_TOKEN: 'scrape-token-0123456789' });
    expect((await request(hub.app).get('/metrics')).status).toBe(401);
    expect((await request(hub.app).get('/metrics').set('authorization', 'Bearer wrong-token-0123456789')).status).toBe(401);
    expect((await request(hub.app).get('/metrics').set('authorization', 'Bearer scrape-token-0123456789')).status).toBe(200);
  });
});

describe('request ids and the request log', () => {
  test('every route answers with x-request-id; a plain one from the client is echoed, anything else replaced', async () => {
    for (const [method, route] of [['get', '/healthz'], ['get', '/readyz'], ['get', '/metrics'], ['get', '/catalog/dcat.jsonld'], ['post', '/graphql'], ['get', '/no-such-route']] as const) {
      const r = await request(t.hub.app)[method](route).send(method === 'post' ? { query: '{ me { sub } }' } : undefined);
      expect({ route, id: r.headers['x-request-id'] }).toEqual({ route, id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    }
    const echoed = await request(t.hub.app).get('/healthz').set('x-request-id', 'trace-abc_123');
    expect(echoed.headers['x-request-id']).toBe('trace-abc_123');
    const replaced = await request(t.hub.app).get('/healthz').set('x-request-id', 'bad id with spaces');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('one JSON line per request: method, path, status, ms, operationName, sqlStatements, sub; the audit log uses the same id', async () => {
    const { log, lines } = capture();
    const hub = await hubWith({}, log);
    const r = await request(hub.app).post('/graphql').set('authorization', `Bearer ${reader}`).set('x-request-id', 'log-line-1')
      .send({ query: 'query Mine { enterprises(first: 2) { edges { node { uscc } } } }' });
    expect(r.status).toBe(200);
    await request(hub.app).get('/healthz');
    const requests = lines.filter((l) => l.msg === 'request');
    expect(requests).toHaveLength(1); // probes are logged at debug level
    expect(requests[0]).toMatchObject({
      reqId: 'log-line-1', method: 'POST', path: '/graphql', status: 200, operationName: 'Mine',
      sqlStatements: Number(r.headers['x-sql-statements']), sub: 'ops-reader', level: 30,
    });
    expect(requests[0].ms).toEqual(expect.any(Number));
    expect(requests[0].sqlMs).toEqual(expect.any(Number));
    const audited = await t.db.ds.query('SELECT count(*)::int AS n FROM audit_event WHERE request_id = $1', ['log-line-1']);
    expect(audited[0].n).toBeGreaterThan(0);
  });

  test('refused requests are logged too, with their status', async () => {
    const { log, lines } = capture();
    const hub = await hubWith({ HUB_RATE_LIMIT_PER_MINUTE: '60', HUB_RATE_LIMIT_BURST: '1' }, log);
    await request(hub.app).post('/graphql').send({ query: '{ me { sub } }' });
    await request(hub.app).post('/graphql').send({ query: '{ me { sub } }' });
    expect(lines.filter((l) => l.msg === 'request').map((l) => [l.status, l.sub])).toEqual([[200, 'public'], [429, 'public']]);
  });
});

describe('security headers, CORS and CSRF', () => {
  test('nosniff, no referrer, no framing, a closed CSP on the API; no HSTS over plain HTTP', async () => {
    for (const r of [await request(t.hub.app).post('/graphql').send({ query: '{ me { sub } }' }), await request(t.hub.app).get('/healthz')]) {
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(r.headers['strict-transport-security']).toBeUndefined();
      expect(r.headers['x-powered-by']).toBeUndefined();
    }
  });

  test('GraphQL answers carry no ETag (never revalidated; hashing them costs), the portal\'s assets keep theirs', async () => {
    const r = await request(t.hub.app).post('/graphql').send({ query: '{ jurisdictions { code } }' });
    expect(r.status).toBe(200);
    expect(r.body.data.jurisdictions.length).toBeGreaterThan(0);
    expect(r.headers.etag).toBeUndefined();
    expect(r.headers['x-powered-by']).toBeUndefined();
    const home = await request(t.hub.app).get('/');
    expect(home.status).toBe(200);
    expect(home.headers.etag).toEqual(expect.any(String));
    // The playground's own files are revalidated by theirs.
    const js = await request(t.hub.app).get('/playground/assets/playground.js');
    expect(js.status).toBe(200);
    expect(js.headers.etag).toMatch(/^W\//);
    expect((await request(t.hub.app).get('/playground/assets/playground.js').set('if-none-match', js.headers.etag)).status).toBe(304);
  });

  test('the playground may be framed by the hub itself', async () => {
    const r = await request(t.hub.app).get('/playground');
    expect(r.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  test('HSTS when the request came over TLS through a trusted proxy, and only then', async () => {
    const behind = await hubWith({ HUB_TRUST_PROXY: 'loopback' });
    const tls = await request(behind.app).get('/healthz').set('x-forwarded-proto', 'https');
    expect(tls.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    // an untrusted hop's word is not taken
    const direct = await request(t.hub.app).get('/healthz').set('x-forwarded-proto', 'https');
    expect(direct.headers['strict-transport-security']).toBeUndefined();
  });

  test('CORS: development reflects localhost origins only; an allow-list replaces that; production allows none by default', async () => {
    const preflight = (hub: Hub, origin: string) => request(hub.app).options('/graphql').set('origin', origin).set('access-control-request-method', 'POST')
      .set('access-control-request-headers', 'content-type,authorization');
    const dev = await preflight(t.hub, 'http://localhost:5173');
    expect(dev.status).toBe(204);
    expect(dev.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(dev.headers['access-control-allow-headers']).toMatch(/authorization/);
    expect((await preflight(t.hub, 'https://evil.example')).headers['access-control-allow-origin']).toBeUndefined();
    const listed = await hubWith({ HUB_CORS_ORIGINS: 'https://data.example.gov.cn, https://portal.example.gov.cn:8443' });
    expect((await preflight(listed, 'https://portal.example.gov.cn:8443')).headers['access-control-allow-origin']).toBe('https://portal.example.gov.cn:8443');
    expect((await preflight(listed, 'http://localhost:5173')).headers['access-control-allow-origin']).toBeUndefined();
    const prod = await hubWith({ NODE_ENV: 'production' });
    expect((await preflight(prod, 'http://localhost:5173')).headers['access-control-allow-origin']).toBeUndefined();
    const simple = await request(listed.app).post('/graphql').set('origin', 'https://data.example.gov.cn').send({ query: '{ me { sub } }' });
    expect(simple.headers['access-control-allow-origin']).toBe('https://data.example.gov.cn');
    expect(simple.headers['access-control-expose-headers']).toMatch(/x-request-id/);
  });

  test('CSRF prevention: a GET query without a preflight-forcing header and a text/plain POST are refused', async () => {
    const get = await request(t.hub.app).get('/graphql').query({ query: '{ me { sub } }' });
    expect(get.status).toBe(400);
    expect(get.text).toMatch(/Cross-Site Request Forgery/);
    const withHeader = await request(t.hub.app).get('/graphql').query({ query: '{ me { sub } }' }).set('apollo-require-preflight', 'true');
    expect(withHeader.status).toBe(200);
    const plain = await request(t.hub.app).post('/graphql').set('content-type', 'text/plain').send(JSON.stringify({ query: '{ me { sub } }' }));
    expect(plain.status).toBe(400);
    expect(plain.text).toMatch(/Cross-Site Request Forgery/);
  });
});

describe('graceful shutdown', () => {
  let child: ChildProcess | undefined;
  let dataDir: string;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('SIGTERM mid-request: new connections are refused, the request in flight is answered, the process exits 0', async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'eco-hub-shutdown-'));
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HUB_DATA_DIR: dataDir, HUB_DEMO_ENTERPRISES: '0', NODE_ENV: 'development', LOG_LEVEL: 'info' };
    for (const k of ['DATABASE_URL', 'REDIS_URL', 'HJ212_PORT', 'HUB_JWT_SECRET']) delete env[k];
    child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], { cwd: path.resolve(__dirname, '../..'), env, stdio: ['ignore', 'pipe', 'pipe'] });
    const logLines: Array<Record<string, unknown>> = [];
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    // 'close' comes after the child's output is read to the end, unlike 'exit'.
    const exited = new Promise<number | null>((resolve) => child!.on('close', (code) => resolve(code)));
    const port = await new Promise<number>((resolve, reject) => {
      let buf = '';
      child!.stdout!.on('data', (d: Buffer) => {
        buf += d.toString();
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const text = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (!text.startsWith('{')) continue;
          const entry = JSON.parse(text);
          logLines.push(entry);
          if (entry.msg === 'eco-hub listening') resolve(entry.port);
        }
      });
      void exited.then((code) => reject(new Error(`the hub exited (${code}) before listening: ${stderr}`)));
    });

    // A request whose body is half sent: in flight when the signal comes.
    const body = JSON.stringify({ query: '{ me { kind } }' });
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    let response = '';
    socket.on('data', (d) => (response += d.toString()));
    const answered = new Promise<void>((resolve) => socket.on('end', () => resolve()));
    socket.write(`POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 5)}`);
    await new Promise((r) => setTimeout(r, 300));

    child.kill('SIGTERM');
    const refused = async (): Promise<boolean> => new Promise((resolve) => {
      const probe = net.connect(port, '127.0.0.1');
      probe.once('connect', () => {
        probe.destroy();
        resolve(false);
      });
      probe.once('error', () => resolve(true));
    });
    let closed = false;
    for (let i = 0; i < 50 && !closed; i++) {
      closed = await refused();
      if (!closed) await new Promise((r) => setTimeout(r, 100));
    }
    expect(closed).toBe(true);
    expect(child.exitCode).toBeNull(); // still finishing the request in flight

    socket.write(body.slice(5));
    await answered;
    expect(response).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(response).toMatch(/"me":\{"kind":"public"\}/);
    expect(await exited).toBe(0);
    const messages = logLines.map((l) => l.msg);
    expect(messages).toEqual(expect.arrayContaining(['shutting down: finishing in-flight requests', 'stopped']));
    expect(messages.indexOf('stopped')).toBeGreaterThan(messages.indexOf('shutting down: finishing in-flight requests'));
  }, 120_000);
});

/** A TCP proxy in front of PostgreSQL that the test can cut and restore, standing in for an outage. */
class Outage {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  port = 0;
  constructor(private readonly host: string, private readonly target: number) {}

  async open(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target, this.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', () => {});
        s.on('close', () => this.sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server!.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}

const describeWithPostgres = process.env.DATABASE_URL ? describe : describe.skip;
if (!process.env.DATABASE_URL) {
  process.stderr.write('\n[skipped] operations.test.ts › database outage: set DATABASE_URL to run it against PostgreSQL through a TCP proxy it can cut.\n');
}

describeWithPostgres('database outage (PostgreSQL through a proxy the test cuts)', () => {
  let db: Db;
  let proxied: Db;
  let outage: Outage;
  let hub: Hub;

  beforeAll(async () => {
    db = await cloneDatabase('demo');
    const url = new URL((db.ds.options as { url: string }).url);
    outage = new Outage(url.hostname, Number(url.port) || 5432);
    await outage.open();
    url.hostname = '127.0.0.1';
    url.port = String(outage.port);
    proxied = await createDb({ databaseUrl: url.toString(), poolSize: 2 });
    const config = testConfig({ DATABASE_URL: url.toString() });
    hub = await createHub(config, proxied.ds, pino({ level: 'silent' }));
  });
  afterAll(async () => {
    await hub?.stop();
    await proxied?.close();
    await outage?.cut().catch(() => {});
    await db?.close();
  });

  const ask = () => request(hub.app).post('/graphql').set('authorization', `Bearer ${reader}`).send({ query: '{ enterprises(first: 1) { totalCount } }' });
  const readyWithin = async (status: number, ms: number): Promise<{ status: number; body: unknown }> => {
    const deadline = Date.now() + ms;
    let last = await request(hub.app).get('/readyz');
    while (last.status !== status && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      last = await request(hub.app).get('/readyz');
    }
    return { status: last.status, body: last.body };
  };

  test('readyz goes 503 within 5 s, requests fail with SERVICE_UNAVAILABLE, and all recovers when the database returns', async () => {
    expect((await request(hub.app).get('/readyz')).status).toBe(200);
    expect((await ask()).body.data.enterprises.totalCount).toBeGreaterThan(0);

    await outage.cut();
    const down = await readyWithin(503, 5000);
    expect(down).toMatchObject({ status: 503, body: { status: 'unavailable', database: 'unreachable' } });
    const failed = await ask();
    expect(failed.status).toBe(503);
    expect(failed.headers['retry-after']).toBe('5');
    expect(failed.body.errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
    expect(failed.body.errors[0].message).toBe('the database is not reachable; try again shortly');

    await outage.open(); // same port
    const up = await readyWithin(200, 5000);
    expect(up).toMatchObject({ status: 200, body: { status: 'ready' } });
    expect((await ask()).body.data.enterprises.totalCount).toBeGreaterThan(0);
  }, 60_000);
});
