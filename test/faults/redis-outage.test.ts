import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../bench/hub-process';
import { mintToken, Role } from '../../src/auth/principal';
import { Jurisdiction } from '../../src/domain/jurisdictions';
import { describeWith, LEAK, NodeChild, readyz, redisAvailable, startHub, waitFor } from './support';

/**
 * Redis goes away while the hub uses it as its cache: requests keep succeeding (uncached), /readyz
 * stays 200 and says the cache is degraded, and when Redis is back the cache is used again. The
 * hub runs on its embedded database here, so this needs only the Redis binaries.
 */

jest.setTimeout(300_000);

describeWith(redisAvailable(), 'redis-server and redis-cli are not installed')('Redis outage', () => {
  let port: number;
  let dataDir: string;
  let hub: { url: string; proc: NodeChild } | undefined;
  const secret = randomBytes(32).toString('base64url');

  // A Redis of the test's own on a free port, keeping nothing on disk.
  const startRedis = () => {
    const r = spawnSync('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'yes', '--dir', dataDir, '--logfile', path.join(dataDir, 'redis.log')], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`redis-server did not start: ${r.stderr}`);
    return waitFor(async () => spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG', 10_000);
  };
  const stopRedis = () => spawnSync('redis-cli', ['-p', String(port), 'shutdown', 'nosave'], { stdio: 'ignore' });

  beforeAll(async () => {
    port = await freePort();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'eco-hub-faults-redis-'));
    expect(await startRedis()).not.toBeNull();
    hub = await startHub({
      REDIS_URL: `redis://127.0.0.1:${port}`, HUB_CACHE_NAMESPACE: `faults-${process.pid}`, HUB_JWT_SECRET: secret,
      HUB_DATA_DIR: path.join(dataDir, 'hub'), HUB_DEMO_ENTERPRISES: '100',
    }, 'redis', (r) => r.status === 200 && r.body.cache === 'ok');
  });
  afterAll(async () => {
    await hub?.proc.stop();
    stopRedis();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const QUERIES = [
    '{ catalogResources(first: 5, filter: { search: "水质" }) { totalCount edges { node { code name } } } catalogFacets(filter: { search: "水质" }) { total } }',
    '{ sharingRules { recordType sharingType } }',
    '{ enterprises(first: 20) { totalCount edges { node { uscc name penalties(first: 3) { totalCount } } } } }',
    '{ penalties(first: 10) { totalCount edges { node { decisionNo } } } }',
    '{ jurisdictions { code name } }',
  ];

  async function askAll(token: string): Promise<string[]> {
    const problems: string[] = [];
    for (const query of QUERIES) {
      const r = await fetch(`${hub!.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query }),
        signal: AbortSignal.timeout(20_000),
      });
      const text = await r.text();
      const body = JSON.parse(text);
      if (r.status !== 200 || body.errors || LEAK.test(text)) problems.push(`${query.slice(0, 40)}: ${r.status} ${text.slice(0, 200)}`);
    }
    return problems;
  }

  test('requests keep succeeding uncached, /readyz reports the cache degraded, and the cache comes back', async () => {
    const token = await mintToken({ secret }, { sub: 'faults', org: 'ZONE-EC', jurisdiction: Jurisdiction.ZONE, roles: [Role.DOSSIER_READER, Role.CATALOG_READER] }, '1h');
    expect(await readyz(hub!.url)).toMatchObject({ status: 200, body: { cache: 'ok', cacheStore: 'redis' } });
    expect(await askAll(token)).toEqual([]);
    expect(await askAll(token)).toEqual([]); // now from the cache

    stopRedis();
    const degraded = await waitFor(async () => (await readyz(hub!.url)).body.cache === 'degraded', 15_000);
    const duringDown: string[] = [];
    for (let round = 0; round < 3; round++) duringDown.push(...(await askAll(token)));
    const ready = await readyz(hub!.url);
    process.stderr.write(`[faults] Redis down: /readyz cache degraded after ${degraded} ms; ${3 * QUERIES.length} requests, ${duringDown.length} failed\n`);
    expect(duringDown).toEqual([]);
    expect(degraded).not.toBeNull();
    expect(ready).toMatchObject({ status: 200, body: { status: 'ready', cache: 'degraded', cacheStore: 'redis' } });

    expect(await startRedis()).not.toBeNull();
    const back = await waitFor(async () => (await readyz(hub!.url)).body.cache === 'ok', 30_000);
    expect(back).not.toBeNull();
    expect(await askAll(token)).toEqual([]);
    expect(hub!.proc.exitCode).toBeUndefined();
  });
});
