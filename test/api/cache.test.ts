import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { CATALOG_CACHE_TAG, invalidateShared } from '../../src/cache/cache';
import { createLogger } from '../../src/logger';
import type { Catalog } from '../../src/modules/catalog';
import { loadCatalogFiles, loadIntoDatabase } from '../../src/modules/catalog';
import { createHub, Hub } from '../../src/server';
import { newer } from '../support/catalog-copy';
import { startTestHub, testConfig, TestHub } from '../support/hub';
import { describeWithRedis, dropNamespace, TEST_REDIS_URL, uniqueNamespace } from '../support/redis';

/**
 * The cache of public answers (src/cache/cache.ts, wired into the catalog service): hits cost no
 * SQL, keys carry the caller's catalog visibility, a catalog load or `invalidate(tag)` retires the
 * entries (across instances with Redis), errors are never cached, and with Redis down the hub
 * serves uncached and says so in /readyz and the log.
 */
const { catalog } = loadCatalogFiles(path.resolve(__dirname, '../../catalog'));
if (!catalog) throw new Error('the catalog must be valid for this test');
const ALL = catalog.resources;
const PUBLIC = ALL.filter((r) => r.openToPublic.open);
const CLOSED = ALL.find((r) => !r.openToPublic.open)!;

let t: TestHub;
let reader: string;
const hubs: Hub[] = [];

beforeAll(async () => {
  t = await startTestHub('empty');
  reader = await t.token('WUJIANG', ['CATALOG_READER']);
});
afterAll(async () => {
  for (const h of hubs) await h.stop();
  await loadIntoDatabase(t.db.ds, newer(catalog));
  await t.close();
});

async function hubWith(overrides: Record<string, string>, log = createLogger(testConfig(overrides))): Promise<Hub> {
  const hub = await createHub(testConfig(overrides), t.db.ds, log);
  hubs.push(hub);
  return hub;
}

const LIST = `query($first: Int, $filter: CatalogFilter) { catalogResources(first: $first, filter: $filter) { edges { node { code name sharingType provider { code } } } pageInfo { hasNextPage endCursor } } }`;
const COUNTED = `query($first: Int) { catalogResources(first: $first) { totalCount edges { node { code } } } }`;
const GET = `query($code: String!) { catalogResource(code: $code) { code name nameEn openToPublic updateCycle { code } } }`;
const FACETS = `query($filter: CatalogFilter) { catalogFacets(filter: $filter) { total functions { code count } sharingTypes { code count } } }`;

async function post(hub: Hub, query: string, variables: Record<string, unknown>, token?: string) {
  let r = request(hub.app).post('/graphql');
  if (token) r = r.set('authorization', `Bearer ${token}`);
  const res = await r.send({ query, variables });
  return { status: res.status, body: res.body, statements: Number(res.headers['x-sql-statements']) };
}

/** The catalog with one resource renamed, as an edited catalog file would load. */
function renamed(code: string, name: string): Catalog {
  const copy = structuredClone(catalog!);
  copy.resources.find((r) => r.code === code)!.name = name;
  return copy;
}

describe('in memory', () => {
  test('a second identical read is served from the cache: the same answer, no SQL', async () => {
    for (const [query, variables] of [[LIST, { first: 7 }], [FACETS, { filter: { function: 'MONITORING' } }], [GET, { code: PUBLIC[0].code }]] as const) {
      const first = await t.gql(query, variables);
      expect(first.body.errors).toBeUndefined();
      expect(first.statements).toBeGreaterThanOrEqual(1);
      const second = await t.gql(query, variables);
      expect(second.statements).toBe(0);
      expect(second.body).toEqual(first.body);
    }
  });

  test("keys carry the caller's visibility: the public's entry never answers a signed-in reader", async () => {
    const pub = await t.gql(LIST, { first: 500 });
    expect(pub.body.data.catalogResources.edges.map((e: { node: { code: string } }) => e.node.code).sort()).toEqual(PUBLIC.map((r) => r.code).sort());
    const signed = await t.gql(LIST, { first: 500 }, { token: reader });
    expect(signed.statements).toBeGreaterThanOrEqual(1);
    expect(signed.body.data.catalogResources.edges).toHaveLength(ALL.length);
    // a different principal with the same visibility shares the reader's entry
    const other = await t.gql(LIST, { first: 500 }, { token: await t.token('JIASHAN', ['DOSSIER_READER']) });
    expect(other.statements).toBe(0);
    expect(other.body).toEqual(signed.body);
  });

  test('totalCount has an entry of its own, computed only when asked for', async () => {
    const page = await t.gql(COUNTED.replace('totalCount ', ''), { first: 3 });
    expect(page.statements).toBe(1);
    const counted = await t.gql(COUNTED, { first: 3 });
    // The page is cached, the count not yet: the service counts through a list of none (2 statements).
    expect(counted.statements).toBe(2);
    expect(counted.body.data.catalogResources.totalCount).toBe(PUBLIC.length);
    expect((await t.gql(COUNTED, { first: 3 })).statements).toBe(0);
  });

  test('errors are not cached: a bad filter and a FORBIDDEN lookup are answered as such every time', async () => {
    for (let i = 0; i < 2; i++) {
      const bad = await t.gql(LIST, { filter: { function: 'lower case' } });
      expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      const hidden = await t.gql(GET, { code: CLOSED.code });
      expect(hidden.body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect(hidden.statements).toBe(1);
    }
    const seen = await t.gql(GET, { code: CLOSED.code }, { token: reader });
    expect(seen.body.data.catalogResource.code).toBe(CLOSED.code);
  });

  test('a catalog load retires every cached catalog answer', async () => {
    const code = PUBLIC[0].code;
    expect((await t.gql(GET, { code })).statements).toBe(0); // cached by the first test
    await loadIntoDatabase(t.db.ds, newer(renamed(code, '改名后的资源')));
    const after = await t.gql(GET, { code });
    expect(after.statements).toBeGreaterThanOrEqual(1);
    expect(after.body.data.catalogResource.name).toBe('改名后的资源');
    const list = await t.gql(LIST, { first: 500 });
    expect(list.statements).toBeGreaterThanOrEqual(1);
    expect(list.body.data.catalogResources.edges.find((e: { node: { code: string } }) => e.node.code === code).node.name).toBe('改名后的资源');
    await loadIntoDatabase(t.db.ds, newer(catalog));
    expect((await t.gql(GET, { code })).body.data.catalogResource.name).toBe(PUBLIC[0].name);
  });

  test('invalidate(tag), for the write path, retires them too', async () => {
    // The loads of the test before announce themselves on the event bus, and on PostgreSQL the
    // notice can arrive after this test began, retiring its first entry once more: read until an
    // entry is served from the cache (it must be, within a few tries).
    let cached = false;
    for (let i = 0; i < 10 && !cached; i++) {
      await t.gql(LIST, { first: 2 });
      cached = (await t.gql(LIST, { first: 2 })).statements === 0;
    }
    expect(cached).toBe(true);
    expect(await t.hub.ops.cache.invalidate(CATALOG_CACHE_TAG)).toBe(true);
    expect((await t.gql(LIST, { first: 2 })).statements).toBeGreaterThanOrEqual(1);
  });

  test('the DCAT export is cached per visibility', async () => {
    const lookups = async (outcome: string) =>
      (await t.hub.ops.metrics.cache.get()).values.find((v) => v.labels.area === 'catalog.export' && v.labels.outcome === outcome)?.value ?? 0;
    const pub1 = await request(t.hub.app).get('/catalog/dcat.jsonld');
    const pub2 = await request(t.hub.app).get('/catalog/dcat.jsonld');
    const hostless = (doc: string) => doc.replace(/127\.0\.0\.1:\d+/g, 'host');
    expect(hostless(pub2.text) === hostless(pub1.text)).toBe(true);
    expect(await lookups('hit')).toBe(1);
    const signed = await request(t.hub.app).get('/catalog/dcat.jsonld').set('authorization', `Bearer ${reader}`);
    expect(await lookups('miss')).toBe(2);
    const datasets = (doc: string) => JSON.parse(doc)['@graph'].filter((n: { '@type': string }) => n['@type'] === 'dcat:Dataset').length;
    expect(datasets(pub1.text)).toBe(PUBLIC.length);
    expect(datasets(signed.text)).toBe(ALL.length);
  });

  test('HUB_CACHE_TTL_SECONDS=0 turns caching off', async () => {
    const off = await hubWith({ HUB_CACHE_TTL_SECONDS: '0' });
    for (let i = 0; i < 2; i++) expect((await post(off, LIST, { first: 4 })).statements).toBeGreaterThanOrEqual(1);
    expect((await request(off.app).get('/readyz')).body).toMatchObject({ status: 'ready', cache: 'off', cacheStore: 'off' });
  });
});

describe('Redis down', () => {
  test('requests succeed uncached, /readyz stays 200 and says degraded, the log and the metrics say so', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'warn' }, { write: (s: string) => void lines.push(s) });
    const hub = await hubWith({ REDIS_URL: 'redis://127.0.0.1:6390', HUB_CACHE_NAMESPACE: uniqueNamespace('down') }, log);
    for (let i = 0; i < 2; i++) {
      const r = await post(hub, LIST, { first: 500 });
      expect(r.status).toBe(200);
      expect(r.body.data.catalogResources.edges).toHaveLength(PUBLIC.length);
      expect(r.statements).toBeGreaterThanOrEqual(1);
    }
    expect((await post(hub, GET, { code: PUBLIC[1].code })).body.data.catalogResource.code).toBe(PUBLIC[1].code);
    const ready = await request(hub.app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', database: 'ok', migrations: 'applied', cache: 'degraded', cacheStore: 'redis', calendar: expect.objectContaining({ lastDay: expect.any(String), daysLeft: expect.any(Number) }) });
    expect(lines.some((l) => /cache read failed: serving without the shared store/.test(l))).toBe(true);
    expect(await hub.ops.cache.invalidate(CATALOG_CACHE_TAG)).toBe(false);
    const metrics = (await request(hub.app).get('/metrics')).text;
    expect(metrics).toMatch(/^hub_cache_lookups_total\{area="catalog.list",outcome="bypass"\} 2$/m);
    expect(metrics).toMatch(/^hub_cache_store_up 0$/m);
  });
});

describeWithRedis('shared through Redis', () => {
  const namespace = uniqueNamespace('cache');
  let a: Hub;
  let b: Hub;
  beforeAll(async () => {
    const settings = { REDIS_URL: TEST_REDIS_URL, HUB_CACHE_NAMESPACE: namespace };
    a = await hubWith(settings);
    b = await hubWith(settings);
    expect(await a.ops.store.whenReady(3000)).toBe(true);
    expect(await b.ops.store.whenReady(3000)).toBe(true);
  });
  afterAll(() => dropNamespace(namespace));

  test('an entry one instance computed answers the other; /readyz reports the Redis store', async () => {
    expect((await post(a, LIST, { first: 6 })).statements).toBeGreaterThanOrEqual(1);
    const fromB = await post(b, LIST, { first: 6 });
    expect(fromB.statements).toBe(0);
    expect(fromB.body.data.catalogResources.edges).toHaveLength(6);
    expect((await request(b.app).get('/readyz')).body).toMatchObject({ status: 'ready', cache: 'ok', cacheStore: 'redis' });
  });

  test('an invalidation on one instance retires the entry for all, as does the catalog:load command', async () => {
    await post(a, FACETS, {});
    expect((await post(b, FACETS, {})).statements).toBe(0);
    await a.ops.cache.invalidate(CATALOG_CACHE_TAG);
    expect((await post(b, FACETS, {})).statements).toBe(1);
    expect((await post(a, FACETS, {})).statements).toBe(0);
    expect(await invalidateShared({ redisUrl: TEST_REDIS_URL, namespace, log: pino({ level: 'silent' }) }, CATALOG_CACHE_TAG)).toBe('invalidated');
    expect((await post(a, FACETS, {})).statements).toBe(1);
  });

  test('a catalog load is seen by every instance', async () => {
    const code = PUBLIC[2].code;
    await post(a, GET, { code });
    expect((await post(b, GET, { code })).statements).toBe(0);
    await loadIntoDatabase(t.db.ds, newer(renamed(code, '共享缓存测试')));
    expect((await post(a, GET, { code })).body.data.catalogResource.name).toBe('共享缓存测试');
    expect((await post(b, GET, { code })).body.data.catalogResource.name).toBe('共享缓存测试');
    await loadIntoDatabase(t.db.ds, newer(catalog));
  });
});
