import request from 'supertest';
import pino from 'pino';
import { SharedStore } from '../../src/cache/store';
import { RateLimiter } from '../../src/http/rate-limit';
import { createLogger } from '../../src/logger';
import { createHub, Hub } from '../../src/server';
import { startTestHub, testConfig, TestHub } from '../support/hub';
import { describeWithRedis, dropNamespace, TEST_REDIS_URL, uniqueNamespace } from '../support/redis';

/**
 * Rate limiting per principal (src/http/rate-limit.ts): a token bucket per `sub`, or per client
 * address for the public, in memory or shared through Redis; 429 + Retry-After + RATE_LIMITED
 * when empty; requests served (and the outage logged) when the store cannot answer.
 */
let t: TestHub;
const hubs: Hub[] = [];
const quiet = pino({ level: 'silent' });

beforeAll(async () => {
  t = await startTestHub('empty');
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

const ME = { query: '{ me { sub } }' };
const ask = (hub: Hub, token?: string) => {
  const r = request(hub.app).post('/graphql');
  return (token ? r.set('authorization', `Bearer ${token}`) : r).send(ME);
};

describe('in memory', () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await hubWith({ HUB_RATE_LIMIT_PER_MINUTE: '60', HUB_RATE_LIMIT_BURST: '3' });
  });

  test('a burst of 3 passes, the 4th is a 429 with Retry-After and RATE_LIMITED', async () => {
    const token = await t.token('WUJIANG', ['DOSSIER_READER'], { sub: 'burst-user' });
    for (let i = 0; i < 3; i++) expect((await ask(hub, token)).status).toBe(200);
    const r = await ask(hub, token);
    expect(r.status).toBe(429);
    // one token a second at 60 a minute
    expect(r.headers['retry-after']).toBe('1');
    expect(r.body.errors[0].extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: 1 });
    expect(r.body.errors[0].message).toMatch(/at most 60 a minute \(bursts of 3\); retry after 1 s/);
    expect(r.headers['x-request-id']).toBeDefined();
  });

  test('buckets are per sub: another user, and the public (by address), are not held up', async () => {
    const other = await t.token('WUJIANG', ['DOSSIER_READER'], { sub: 'other-user' });
    expect((await ask(hub, other)).status).toBe(200);
    expect((await ask(hub)).status).toBe(200);
  });

  test('the public is limited by address; a bad token counts against its address too and is still refused', async () => {
    const pub = await hubWith({ HUB_RATE_LIMIT_PER_MINUTE: '60', HUB_RATE_LIMIT_BURST: '2' });
    expect((await ask(pub)).status).toBe(200);
    const bad = await ask(pub, 'not-a-token');
    expect(bad.status).toBe(401);
    const r = await ask(pub);
    expect(r.status).toBe(429);
  });

  test('the bucket refills at the configured rate', async () => {
    const store = new SharedStore({ namespace: 'refill', maxEntries: 100, log: quiet });
    const limiter = new RateLimiter(store, { perMinute: 600, burst: 1 }); // a token every 100 ms
    expect((await limiter.take('k'))!.allowed).toBe(true);
    expect((await limiter.take('k'))!.allowed).toBe(false);
    await new Promise((r) => setTimeout(r, 150));
    expect((await limiter.take('k'))!.allowed).toBe(true);
  });

  test('concurrent requests of one principal take exactly the burst', async () => {
    const store = new SharedStore({ namespace: 'race', maxEntries: 100, log: quiet });
    const limiter = new RateLimiter(store, { perMinute: 1, burst: 10 });
    const results = await Promise.all(Array.from({ length: 25 }, () => limiter.take('same')));
    expect(results.filter((d) => d!.allowed)).toHaveLength(10);
    expect(results.filter((d) => !d!.allowed).every((d) => d!.retryAfterSeconds >= 1)).toBe(true);
  });

  test('HUB_RATE_LIMIT_PER_MINUTE=0 turns it off', async () => {
    const off = await hubWith({ HUB_RATE_LIMIT_PER_MINUTE: '0', HUB_RATE_LIMIT_BURST: '1' });
    for (let i = 0; i < 5; i++) expect((await ask(off)).status).toBe(200);
  });
});

describe('when the store is down', () => {
  test('requests are served (fail open) and the outage is logged', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'warn' }, { write: (s: string) => void lines.push(s) });
    const hub = await hubWith({ HUB_RATE_LIMIT_PER_MINUTE: '60', HUB_RATE_LIMIT_BURST: '1', REDIS_URL: 'redis://127.0.0.1:6390', HUB_CACHE_NAMESPACE: uniqueNamespace('rl-down') }, log);
    for (let i = 0; i < 4; i++) expect((await ask(hub)).status).toBe(200);
    expect(lines.some((l) => /rate limit store unavailable: serving without the shared store/.test(l))).toBe(true);
    const metrics = await request(hub.app).get('/metrics');
    expect(metrics.text).toMatch(/^hub_rate_limit_bypassed_total [1-9]/m);
  });
});

describeWithRedis('shared through Redis', () => {
  const namespace = uniqueNamespace('rl');
  afterAll(() => dropNamespace(namespace));

  test('two instances take from one bucket per principal', async () => {
    const settings = { HUB_RATE_LIMIT_PER_MINUTE: '60', HUB_RATE_LIMIT_BURST: '3', REDIS_URL: TEST_REDIS_URL, HUB_CACHE_NAMESPACE: namespace };
    const a = await hubWith(settings);
    const b = await hubWith(settings);
    await Promise.all([a.ops.store.whenReady(3000), b.ops.store.whenReady(3000)]);
    const token = await t.token('QINGPU', ['DOSSIER_READER'], { sub: 'shared-user' });
    expect((await ask(a, token)).status).toBe(200);
    expect((await ask(b, token)).status).toBe(200);
    expect((await ask(a, token)).status).toBe(200);
    const r = await ask(b, token);
    expect(r.status).toBe(429);
    expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(r.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect((await ask(a, await t.token('QINGPU', ['DOSSIER_READER'], { sub: 'someone-else' }))).status).toBe(200);
  });

  test('the Redis script is atomic: 25 concurrent takes from two limiters get exactly the burst', async () => {
    const s1 = new SharedStore({ redisUrl: TEST_REDIS_URL, namespace, maxEntries: 100, log: quiet });
    const s2 = new SharedStore({ redisUrl: TEST_REDIS_URL, namespace, maxEntries: 100, log: quiet });
    try {
      expect(await s1.whenReady(3000)).toBe(true);
      expect(await s2.whenReady(3000)).toBe(true);
      const l1 = new RateLimiter(s1, { perMinute: 1, burst: 10 });
      const l2 = new RateLimiter(s2, { perMinute: 1, burst: 10 });
      const results = await Promise.all(Array.from({ length: 25 }, (_, i) => (i % 2 ? l1 : l2).take('atomic')));
      expect(results.every((d) => d !== null)).toBe(true);
      expect(results.filter((d) => d!.allowed)).toHaveLength(10);
      // at 1 a minute the next token is a minute away
      expect(Math.max(...results.map((d) => d!.retryAfterSeconds))).toBeGreaterThanOrEqual(55);
    } finally {
      await s1.close();
      await s2.close();
    }
  });
});
