import express from 'express';
import { SignJWT } from 'jose';
import request from 'supertest';
import { TokenVerifier } from '../../src/auth/principal';
import type { PlaygroundSettings } from '../../src/playground/playground';
import { PLACEHOLDER_USCC } from '../../src/playground/examples';
import { startTestHub, TEST_SECRET, TestHub } from '../support/hub';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The hub's edge over HTTP (issue 10, findings 3, 9, 10 and 11): one request context that verifies
 * the token once for every route, one shape of error body, tokens that expire, published URIs from
 * HUB_PUBLIC_URL and never from the Host header, and the playground's development token only for
 * a browser on the hub's own machine.
 */

const PUBLIC_URL = 'https://data.example.gov.cn/eco-hub';
const now = () => Math.floor(Date.now() / 1000);
const sign = (claims: Record<string, unknown>) => new SignJWT({ sub: 'edge', org: 'ZONE-EC', jurisdiction: 'ZONE', roles: ['DOSSIER_READER', 'CATALOG_READER'], ...claims })
  .setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(TEST_SECRET));

let t: TestHub;
let reader: string;
let platform: string;
beforeAll(async () => {
  // Rate limiting on (it used to verify the token a second time); X-Forwarded-* from loopback trusted.
  t = await startTestHub('demo', { HUB_RATE_LIMIT_PER_MINUTE: '60000', HUB_RATE_LIMIT_BURST: '10000', HUB_PUBLIC_URL: PUBLIC_URL, HUB_TRUST_PROXY: 'loopback' });
  reader = await t.token('ZONE', ['DOSSIER_READER', 'CATALOG_READER']);
  platform = await t.token('CREDIT_YRD', ['CREDIT_FEED']);
});
afterAll(() => t?.close());

describe('one request context: the token is verified once per request', () => {
  let verify: jest.SpyInstance;
  beforeEach(() => {
    verify = jest.spyOn(TokenVerifier.prototype, 'principalFrom');
  });
  afterEach(() => verify.mockRestore());

  test('a GraphQL request behind the rate limiter: one verification, and Apollo sees its principal', async () => {
    const r = await t.gql('{ me { sub jurisdiction purpose } }', {}, { token: reader, purpose: 'enforcement' });
    expect(r.body.data.me).toEqual({ sub: 'test-zone', jurisdiction: 'ZONE', purpose: 'ENFORCEMENT' });
    expect(verify).toHaveBeenCalledTimes(1);
    expect(verify).toHaveBeenCalledWith(`Bearer ${reader}`);
  });

  test('the public: one call (no token to verify), the public principal', async () => {
    const r = await t.gql('{ me { kind } }');
    expect(r.body.data.me).toEqual({ kind: 'public' });
    expect(verify).toHaveBeenCalledTimes(1);
  });

  test('the DCAT export and the NDJSON feed: one verification each', async () => {
    expect((await request(t.hub.app).get('/catalog/dcat.jsonld').set('authorization', `Bearer ${reader}`)).status).toBe(200);
    expect(verify).toHaveBeenCalledTimes(1);
    const feed = await request(t.hub.app).get('/feeds/credit.ndjson').set('authorization', `Bearer ${platform}`);
    expect(feed.status).toBe(200);
    expect(verify).toHaveBeenCalledTimes(2);
  });

  test('the request id of the context reaches the answer, the SQL counter and the audit log', async () => {
    const r = await t.gql('{ enterprises(first: 2) { edges { node { uscc } } } }', {}, { token: reader, headers: { 'x-request-id': 'edge-once-1' } });
    expect(r.headers['x-request-id']).toBe('edge-once-1');
    expect(r.statements).toBeGreaterThan(0);
    const audited = await t.db.ds.query('SELECT count(*)::int AS n FROM audit_event WHERE request_id = $1', ['edge-once-1']);
    expect(audited[0].n).toBeGreaterThan(0);
    expect(verify).toHaveBeenCalledTimes(1);
  });
});

describe('a bad token is 401 UNAUTHENTICATED on every route that reads a principal, and nothing else changes', () => {
  const BAD = 'Bearer not.a.token';

  test.each([
    ['POST /graphql', () => request(t.hub.app).post('/graphql').set('authorization', BAD).send({ query: '{ me { kind } }' })],
    ['GET /catalog/dcat.jsonld', () => request(t.hub.app).get('/catalog/dcat.jsonld').set('authorization', BAD)],
    ['GET /feeds/credit.ndjson', () => request(t.hub.app).get('/feeds/credit.ndjson').set('authorization', BAD)],
  ])('%s', async (_route, send) => {
    const r = await send();
    expect(r.status).toBe(401);
    expect(r.body.errors).toEqual([{ message: 'token is malformed', extensions: { code: 'UNAUTHENTICATED' } }]);
  });

  test('open routes do not look at it: /healthz, /readyz, the playground', async () => {
    expect((await request(t.hub.app).get('/healthz').set('authorization', BAD)).status).toBe(200);
    expect((await request(t.hub.app).get('/readyz').set('authorization', BAD)).status).toBe(200);
    expect((await request(t.hub.app).get('/playground').set('authorization', BAD)).status).toBe(200);
  });

  test('/metrics keeps its own token', async () => {
    const m = await startTestHub('empty', { HUB_METRICS_TOKEN: 'scrape-token-0123456789' });
    try {
      expect((await request(m.hub.app).get('/metrics').set('authorization', 'Bearer scrape-token-0123456789')).status).toBe(200);
      const refused = await request(m.hub.app).get('/metrics').set('authorization', `Bearer ${reader}`);
      expect(refused.status).toBe(401);
      expect(refused.body.errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED' });
    } finally {
      await m.close();
    }
  });
});

describe('tokens expire (finding 9)', () => {
  test.each([
    ['without exp', () => sign({ iat: now() }), 'token claim "exp" is missing: every token must expire'],
    ['without iat', () => sign({ exp: now() + 3600 }), 'token claim "iat" is missing: every token must say when it was issued'],
    ['issued ten years ahead with twenty years of validity', () => sign({ iat: now() + 10 * 365 * 86400, exp: now() + 30 * 365 * 86400 }), /^token claim "iat" lies \d+ s in the future/],
    ['valid for a week', () => sign({ iat: now(), exp: now() + 7 * 86400 }), 'token lifetime (exp − iat) is 604800 s, longer than the 86400 s this hub accepts'],
  ])('%s: 401 on /graphql and on the DCAT export', async (_name, make, message) => {
    const token = await make();
    const gql = await t.gql('{ me { kind } }', {}, { token });
    expect(gql.status).toBe(401);
    expect(gql.body.errors[0]).toMatchObject({ message: typeof message === 'string' ? message : expect.stringMatching(message), extensions: { code: 'UNAUTHENTICATED' } });
    const dcat = await request(t.hub.app).get('/catalog/dcat.jsonld').set('authorization', `Bearer ${token}`);
    expect(dcat.status).toBe(401);
  });

  test('the test helpers mint within the cap, and the hub takes what they mint', async () => {
    const r = await t.gql('{ me { kind } }', {}, { token: reader });
    expect(r.body.data.me.kind).toBe('user');
    await expect(t.token('ZONE', ['DOSSIER_READER'], { expiresIn: '25h' })).rejects.toThrow(/at most 86400 s/);
  });
});

describe('one shape of error body (finding 11)', () => {
  test.each([
    ['an unknown path', () => request(t.hub.app).get('/no-such-route'), 404, 'NOT_FOUND'],
    ['malformed JSON', () => request(t.hub.app).post('/graphql').set('content-type', 'application/json').send('{"query": '), 400, 'BAD_REQUEST'],
    ['a missing playground file', () => request(t.hub.app).get('/playground/assets/graphiql/no-such-file.js'), 404, 'NOT_FOUND'],
    ['an empty HJ 212 body', () => request(t.hub.app).post('/ingest/hj212').set('content-type', 'text/plain').send(''), 400, 'BAD_USER_INPUT'],
    ['a batch', () => request(t.hub.app).post('/graphql').send([{ query: '{ me { kind } }' }, { query: '{ me { kind } }' }]), 400, 'BAD_REQUEST'],
    ['the feed without a token', () => request(t.hub.app).get('/feeds/credit.ndjson'), 401, 'UNAUTHENTICATED'],
    ['the feed with a bad cursor', () => request(t.hub.app).get('/feeds/credit.ndjson?after=zzz').set('authorization', `Bearer ${platform}`), 400, 'BAD_USER_INPUT'],
    ['the feed for a district', async () => request(t.hub.app).get('/feeds/credit.ndjson').set('authorization', `Bearer ${await t.token('WUJIANG', ['CREDIT_FEED'])}`), 403, 'FORBIDDEN'],
  ])('%s: { errors: [{ message, extensions: { code } }] } as JSON, with the request id', async (_name, send, status, code) => {
    const r = await send();
    expect(r.status).toBe(status);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors[0]).toEqual({ message: expect.any(String), extensions: expect.objectContaining({ code }) });
    expect(JSON.stringify(r.body)).not.toMatch(/"http"|stacktrace|\.ts:/);
  });

  test('429 from the rate limiter: the same shape, Retry-After, retryAfterSeconds', async () => {
    const tight = await startTestHub('empty', { HUB_RATE_LIMIT_PER_MINUTE: '1', HUB_RATE_LIMIT_BURST: '1' });
    try {
      expect((await request(tight.hub.app).post('/graphql').send({ query: '{ me { kind } }' })).status).toBe(200);
      const r = await request(tight.hub.app).post('/graphql').send({ query: '{ me { kind } }' });
      expect(r.status).toBe(429);
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      expect(r.body.errors).toEqual([{ message: expect.stringMatching(/^too many requests/), extensions: { code: 'RATE_LIMITED', retryAfterSeconds: Number(r.headers['retry-after']) } }]);
    } finally {
      await tight.close();
    }
  });
});

describe('published URIs come from HUB_PUBLIC_URL, never from the request (finding 10)', () => {
  const iris = (doc: unknown): string[] => JSON.stringify(doc).match(/"@id":"[^"]+"/g)!.map((m) => m.slice(7, -1)).filter((i) => !/^(https?:\/\/(www\.w3\.org|purl\.org|publications\.europa\.eu|spec\.graphql\.org|www\.iana\.org)|dcat:|dct:)/.test(i));

  test('a hostile Host, X-Forwarded-Host and X-Forwarded-Proto (even from a trusted proxy) change nothing', async () => {
    const honest = await request(t.hub.app).get('/catalog/dcat.jsonld');
    const hostile = await request(t.hub.app).get('/catalog/dcat.jsonld').set('host', 'evil.example').set('x-forwarded-host', 'evil.example').set('x-forwarded-proto', 'gopher');
    expect(hostile.status).toBe(200);
    expect(hostile.text).not.toMatch(/evil\.example|gopher/);
    expect(hostile.text).toBe(honest.text);
    const own = iris(JSON.parse(hostile.text));
    expect(own.length).toBeGreaterThan(10);
    for (const iri of own) expect(iri.startsWith(`${PUBLIC_URL}/`)).toBe(true);
    expect(hostile.text).toContain(`"dcat:endpointURL":{"@id":"${PUBLIC_URL}/graphql"}`);
  });

  test('a production hub without HUB_PUBLIC_URL refuses the export with 503 naming the setting, instead of guessing its host', async () => {
    const prod = await startTestHub('empty', { NODE_ENV: 'production' });
    try {
      expect(prod.config.publicUrl).toBeUndefined();
      const r = await request(prod.hub.app).get('/catalog/dcat.jsonld').set('host', 'evil.example');
      expect(r.status).toBe(503);
      expect(r.body.errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
      expect(r.body.errors[0].message).toContain('HUB_PUBLIC_URL');
      expect(r.text).not.toContain('evil.example');
      // The rest of the hub serves as usual.
      expect((await prod.gql('{ me { kind } }')).body.data.me.kind).toBe('public');
    } finally {
      await prod.close();
    }
  });
});

describe('the playground token goes to loopback clients of a development hub only (finding 3)', () => {
  let dev: TestHub;
  beforeAll(async () => {
    dev = await startTestHub('empty', { NODE_ENV: 'development', HUB_JWT_SECRET: '', HUB_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'eco-hub-edge-')) });
  });
  afterAll(() => dev?.close());

  function settingsOf(html: string): PlaygroundSettings {
    const m = /<script type="application\/json" id="playground-settings">([^<]*)<\/script>/.exec(html);
    if (!m) throw new Error('no settings block in the page');
    return JSON.parse(m[1]);
  }

  /** The hub's app as a client at `address` reaches it: the socket's peer address is replaced before the hub sees the request. */
  function from(address: string, app: express.Express): express.Express {
    const outer = express();
    outer.use((req, _res, next) => {
      Object.defineProperty(req.socket, 'remoteAddress', { value: address, configurable: true });
      next();
    });
    outer.use(app);
    return outer;
  }

  test('a browser on the hub\'s machine (supertest connects over loopback): the token, which the hub accepts', async () => {
    const s = settingsOf((await request(dev.hub.app).get('/playground')).text);
    expect(s.devToken).toBe(true);
    const auth: string = JSON.parse(s.headers).Authorization;
    const me = await dev.gql('{ me { jurisdiction } }', {}, { headers: { authorization: auth } });
    expect(me.body.data.me).toEqual({ jurisdiction: 'ZONE' });
  });

  test.each(['203.0.113.7', '192.168.1.20', '::ffff:10.0.0.5', '2001:db8::7'])('a client at %s: the page, without a token', async (address) => {
    const r = await request(from(address, dev.hub.app)).get('/playground');
    expect(r.status).toBe(200);
    const s = settingsOf(r.text);
    expect(s.devToken).toBe(false);
    expect(s.headers).toBe('');
    expect(s.tabs.every((tab) => tab.headers === '')).toBe(true);
    expect(JSON.parse(s.tabs[1].variables!)).toEqual({ uscc: PLACEHOLDER_USCC });
    expect(r.text).not.toMatch(/Bearer ey/); // no JWT anywhere in the page
    // The same for the page a browser gets at GET /graphql.
    const page = await request(from(address, dev.hub.app)).get('/graphql').set('accept', 'text/html');
    expect(settingsOf(page.text).devToken).toBe(false);
  });

  test('a stubbed loopback address gets it, so the stub is what decides', async () => {
    expect(settingsOf((await request(from('127.0.0.1', dev.hub.app)).get('/playground')).text).devToken).toBe(true);
  });

  test('a proxy on the hub\'s machine forwarding a remote browser: no token, trusted or not', async () => {
    const untrusted = await request(dev.hub.app).get('/playground').set('x-forwarded-for', '203.0.113.7');
    expect(settingsOf(untrusted.text).devToken).toBe(false);
    const trusting = await startTestHub('empty', { NODE_ENV: 'development', HUB_JWT_SECRET: '', HUB_TRUST_PROXY: 'loopback', HUB_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'eco-hub-edge-')) });
    try {
      expect(settingsOf((await request(trusting.hub.app).get('/playground').set('x-forwarded-for', '203.0.113.7')).text).devToken).toBe(false);
      expect(settingsOf((await request(trusting.hub.app).get('/playground').set('forwarded', 'for=198.51.100.17')).text).devToken).toBe(false);
      expect(settingsOf((await request(trusting.hub.app).get('/playground')).text).devToken).toBe(true);
    } finally {
      await trusting.close();
    }
  });
});

describe('on PostgreSQL without NODE_ENV the hub is a production hub (finding 3)', () => {
  // The mode comes from the configuration (DATABASE_URL set, NODE_ENV unset); the test hub runs on its usual clone.
  const PG = { NODE_ENV: '', DATABASE_URL: 'postgres://hub@db.internal:5432/hub' };

  test('no playground token even for a loopback browser, no stack traces, loopback not assumed', async () => {
    const prod = await startTestHub('empty', PG);
    try {
      expect(prod.config).toMatchObject({ nodeEnv: 'production', exposeErrors: false, host: undefined });
      const s = settingsOf((await request(prod.hub.app).get('/playground')).text);
      expect(s).toMatchObject({ devToken: false, headers: '' });
      const invalid = await prod.gql('{ noSuchField }');
      expect(invalid.status).toBe(400);
      expect(JSON.stringify(invalid.body)).not.toMatch(/stacktrace/);
    } finally {
      await prod.close();
    }
  });

  test('NODE_ENV=development on PostgreSQL brings the conveniences back, explicitly', async () => {
    const dev = await startTestHub('empty', { ...PG, NODE_ENV: 'development', HUB_JWT_SECRET: '', HUB_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'eco-hub-edge-')) });
    try {
      expect(dev.config).toMatchObject({ nodeEnv: 'development', jwtSecretGenerated: true, host: '127.0.0.1' });
      expect(settingsOf((await request(dev.hub.app).get('/playground')).text).devToken).toBe(true);
      const invalid = await dev.gql('{ noSuchField }');
      expect(JSON.stringify(invalid.body)).toMatch(/stacktrace/);
    } finally {
      await dev.close();
    }
  });

  function settingsOf(html: string): PlaygroundSettings {
    const m = /<script type="application\/json" id="playground-settings">([^<]*)<\/script>/.exec(html);
    return JSON.parse(m![1]);
  }
});
