import { createClient } from '@keyv/redis';
import { ConfigError } from '../../src/config';
import type { Db } from '../../src/db/datasource';
import { createEventBus, EventBus, publishIn } from '../../src/db/events';
import { createRedisEventBus } from '../../src/db/redis-events';
import { startTestHub, testConfig } from '../support/hub';
import { eventually } from '../support/live';
import { describeWithRedis, TEST_REDIS_URL, uniqueNamespace } from '../support/redis';
import { cloneDatabase } from '../support/templates';

/**
 * HUB_EVENT_BUS=redis (src/db/redis-events.ts): events published through the bus travel over Redis
 * pub/sub once their transaction commits (never after a rollback), the writers that notify in SQL
 * still reach every subscriber through PostgreSQL, and without Redis the bus sends through
 * PostgreSQL instead, so nothing is lost. Two buses on one database stand for two instances.
 */
let db: Db;
const buses: EventBus[] = [];

function pgBus(): EventBus {
  const bus = createEventBus({ ds: db.ds, pglite: db.pglite, databaseUrl: (db.ds.options as { url?: string }).url });
  buses.push(bus);
  return bus;
}

function redisBus(namespace: string, redisUrl = TEST_REDIS_URL): EventBus {
  const bus = createRedisEventBus({ ds: db.ds, postgres: pgBus(), redisUrl, namespace });
  buses.push(bus);
  return bus;
}

/** Collects what a bus delivers on the sharing channel. */
function heard(bus: EventBus): Array<Record<string, unknown>> {
  const got: Array<Record<string, unknown>> = [];
  bus.subscribe('eco_hub_sharing', (p) => got.push(p));
  return got;
}

beforeAll(async () => {
  db = await cloneDatabase('empty');
});
afterAll(async () => {
  for (const b of buses.reverse()) await b.close().catch(() => undefined);
  await db.close();
});

test('HUB_EVENT_BUS=redis needs REDIS_URL; unset it is PostgreSQL', () => {
  expect(testConfig().eventBus).toBe('postgres');
  expect(() => testConfig({ HUB_EVENT_BUS: 'redis' })).toThrow(ConfigError);
  expect(() => testConfig({ HUB_EVENT_BUS: 'kafka' })).toThrow(/HUB_EVENT_BUS/);
  expect(testConfig({ HUB_EVENT_BUS: 'redis', REDIS_URL: 'redis://127.0.0.1:6379' }).eventBus).toBe('redis');
});

test('without Redis the bus sends through PostgreSQL after the commit, and every subscriber hears it', async () => {
  // Port 1: nothing listens there, as when Redis is down.
  const a = redisBus(uniqueNamespace('bus-down'), 'redis://127.0.0.1:1');
  const b = redisBus(uniqueNamespace('bus-down'), 'redis://127.0.0.1:1');
  const plain = pgBus();
  const [atB, atPlain] = [heard(b), heard(plain)];
  await Promise.all([b.ready(), plain.ready()]);
  await db.ds.transaction(async (em) => a.publish('eco_hub_sharing', { id: 'down-1' }, em));
  await eventually(() => atB.length === 1 && atPlain.length === 1, 'the fallback event');
  expect(atB).toEqual([{ id: 'down-1' }]);
  expect(atPlain).toEqual([{ id: 'down-1' }]);
});

describeWithRedis('the event bus over Redis pub/sub', () => {
  const namespace = uniqueNamespace('bus');
  let raw: ReturnType<typeof createClient>;
  const onRedis: string[] = [];
  const onHubRedis: string[] = [];

  beforeAll(async () => {
    raw = createClient({ url: TEST_REDIS_URL });
    raw.on('error', () => {});
    await raw.connect();
    await raw.subscribe(`${namespace}:eco_hub_sharing`, (text: string) => void onRedis.push(text));
    await raw.subscribe(`${namespace}:events:eco_hub_sharing`, (text: string) => void onHubRedis.push(text));
  });
  afterAll(async () => {
    await raw?.close();
  });

  test('a committed write\'s event crosses to the other instance over Redis, not NOTIFY; a rolled-back one is never sent', async () => {
    const a = redisBus(namespace);
    const b = redisBus(namespace);
    const plain = pgBus(); // hears NOTIFY only
    const [atA, atB, atPlain] = [heard(a), heard(b), heard(plain)];
    await Promise.all([a.ready(), b.ready(), plain.ready()]);

    await db.ds.transaction(async (em) => {
      await a.publish('eco_hub_sharing', { id: 'one' }, em);
      // Held until the commit: nobody has it yet.
      expect(onRedis).toEqual([]);
    });
    await expect(db.ds.transaction(async (em) => {
      await a.publish('eco_hub_sharing', { id: 'rolled-back' }, em);
      throw new Error('the write fails');
    })).rejects.toThrow('the write fails');
    await db.ds.transaction(async (em) => b.publish('eco_hub_sharing', { id: 'two' }, em));
    await eventually(() => atA.length === 2 && atB.length === 2, 'both events on both instances');
    expect(atA).toEqual([{ id: 'one' }, { id: 'two' }]);
    expect(atB).toEqual([{ id: 'one' }, { id: 'two' }]);
    expect(onRedis.map((t) => JSON.parse(t).id)).toEqual(['one', 'two']);
    expect(atPlain).toEqual([]);
  });

  test('a writer that notifies in SQL still reaches the Redis bus\'s subscribers, through PostgreSQL', async () => {
    const a = redisBus(namespace);
    const atA = heard(a);
    await a.ready();
    const before = onRedis.length;
    await db.ds.transaction(async (em) => publishIn(em, 'eco_hub_sharing', { id: 'in-sql' }));
    await eventually(() => atA.length === 1, 'the SQL notification');
    expect(atA).toEqual([{ id: 'in-sql' }]);
    expect(onRedis.length).toBe(before);
  });

  test('a hub with HUB_EVENT_BUS=redis sends a sharing application\'s change over Redis, heard once', async () => {
    const t = await startTestHub('empty', { HUB_EVENT_BUS: 'redis', REDIS_URL: TEST_REDIS_URL, HUB_CACHE_NAMESPACE: namespace }, { clock: () => new Date('2026-11-02T02:00:00Z') });
    try {
      const atHub = heard(t.hub.events);
      await t.hub.events.ready();
      const token = await t.token('WUJIANG', ['DOSSIER_READER', 'ENFORCEMENT'], { org: 'WUJIANG-JET', sub: 'officer-wang' });
      const r = await t.gql(`mutation($i: ApplyForSharingInput!) { applyForSharing(input: $i) { id } }`, { i: {
        resourceCode: '211014/0001', items: ['inspectionNo'], districts: ['QINGPU'], purpose: 'ENFORCEMENT', scenario: 'joint case', legalBasis: '《环境保护法》',
        contact: '王 0512-63000000', commitment: 'own duties only', validFrom: '2026-11-02', validTo: '2026-11-30',
      } }, { token });
      expect(r.body.errors).toBeUndefined();
      const id = r.body.data.applyForSharing.id;
      await eventually(() => atHub.some((p) => p.id === id), 'the hub hearing its own event');
      expect(atHub.filter((p) => p.id === id)).toHaveLength(1); // once, not once per transport
      // It came over Redis, on the hub's channel: its cache namespace + ":events".
      expect(onHubRedis.map((text) => JSON.parse(text).id)).toEqual([id]);
    } finally {
      await t.close();
    }
  });

  test('without a transaction the event is sent at once; an oversized payload is refused', async () => {
    const a = redisBus(namespace);
    const atA = heard(a);
    await a.ready();
    await a.publish('eco_hub_sharing', { id: 'now' });
    await eventually(() => atA.length === 1, 'the event');
    expect(atA).toEqual([{ id: 'now' }]);
    await expect(a.publish('eco_hub_sharing', { blob: 'x'.repeat(9000) })).rejects.toThrow(/send keys, not records/);
  });
});
