import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { Pool } from 'pg';
import { mintToken, Role } from '../../src/auth/principal';
import { Jurisdiction } from '../../src/domain/jurisdictions';
import { ensureDataset, generatorFingerprint } from '../../bench/dataset';
import { RequestResult, runMixed } from '../../bench/mixed-workload';
import { loadSampleKeys } from '../../bench/operations';
import { missingWriteMutations, WriteLedger } from '../../bench/write-ledger';
import { describeWith, dropDatabase, LEAK, NodeChild, PG_SERVER, pgAvailable, readyz, ROOT, sleep, startHub, TcpProxy, waitFor } from './support';

/**
 * The database goes away under load and comes back. The hub must notice within 5 s (/readyz 503),
 * answer while it is away with a typed SERVICE_UNAVAILABLE (never a 500 or a stack), recover on its
 * own when the database returns, and have lost no write it acknowledged.
 *
 * By default the outage is a TCP proxy between the hub and PostgreSQL that is closed (every
 * connection cut, new ones refused) and reopened, so the machine's shared server keeps running.
 * FAULTS_REAL_PG=1 also stops and starts the real server with pg_ctlcluster (only where nothing
 * else uses it).
 */

jest.setTimeout(300_000);

const DB = `eco_hub_faults_db_${process.pid}`;
const CLIENTS = 6;

interface Outage {
  name: string;
  /** Where the hub connects, given the scratch database's URL. */
  hubUrl(dbUrl: string): Promise<string>;
  down(): Promise<void>;
  up(): Promise<void>;
  dispose(): Promise<void>;
}

function proxyOutage(): Outage {
  const target = new URL(PG_SERVER);
  const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  return {
    name: 'TCP proxy closed and reopened',
    hubUrl: async (dbUrl) => {
      await proxy.open();
      return proxy.urlFor(dbUrl);
    },
    down: () => proxy.close(),
    up: async () => {
      await proxy.open();
    },
    dispose: () => proxy.close(),
  };
}

function pgCluster(action: 'stop' | 'start'): void {
  const version = readdirSync('/etc/postgresql')[0];
  const r = spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', action], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pg_ctlcluster ${action} failed: ${r.stderr}`);
}

function realOutage(): Outage {
  return {
    name: 'PostgreSQL stopped and started (pg_ctlcluster)',
    hubUrl: async (dbUrl) => dbUrl,
    down: async () => pgCluster('stop'),
    up: async () => {
      pgCluster('start');
      await waitFor(async () => spawnSync('pg_isready', ['-d', PG_SERVER]).status === 0, 60_000);
    },
    dispose: async () => {
      if (spawnSync('pg_isready', ['-d', PG_SERVER]).status !== 0) pgCluster('start');
    },
  };
}

const outages: Array<() => Outage> = [proxyOutage, ...(process.env.FAULTS_REAL_PG === '1' ? [realOutage] : [])];

describeWith(pgAvailable(), `PostgreSQL is not reachable at ${PG_SERVER} (pg_isready)`)('database outage under load', () => {
  let dbUrl: string;
  const secret = randomBytes(32).toString('base64url');

  beforeAll(async () => {
    const log = () => undefined;
    dbUrl = (await ensureDataset(PG_SERVER, DB, { seed: 11, enterprises: 1000, generator: generatorFingerprint(ROOT) }, true, log)).url;
  });
  afterAll(async () => {
    await dropDatabase(DB);
  });

  test.each(outages.map((make) => [make().name, make] as const))('%s', async (_name, make) => {
    const outage = make();
    let hub: { url: string; proc: NodeChild } | undefined;
    const pool = new Pool({ connectionString: dbUrl, max: 2 });
    try {
      const keys = await loadSampleKeys(pool, 11);
      expect(keys.listStarts.length).toBeGreaterThan(0);
      hub = await startHub({ DATABASE_URL: await outage.hubUrl(dbUrl), HUB_JWT_SECRET: secret, DB_POOL_SIZE: '4' }, 'db-outage');
      const url = hub.url;
      const probe = await mintToken({ secret }, { sub: 'faults', org: 'ZONE-EC', jurisdiction: Jurisdiction.ZONE, roles: [Role.DOSSIER_READER] }, '1h');
      const missing = await missingWriteMutations(url, probe);
      expect({ missing }).toEqual({ missing: [] });
      const ledger = new WriteLedger(`F${Date.now().toString(36)}`, keys.wujiangDossiers);

      // The load runs throughout; each phase's answers are judged on their own.
      const results: RequestResult[] = [];
      const stop = new AbortController();
      const load = runMixed({ url, secret, keys, clients: CLIENTS, seconds: 240, ledger, signal: stop.signal, timeoutMs: 20_000, onResult: (r) => results.push(r) });

      await sleep(4000);
      const healthyUntil = performance.now();
      await outage.down();
      const downAt = performance.now();
      const noticed = await waitFor(async () => (await readyz(url)).status === 503, 10_000);
      await sleep(5000);
      const ready503 = await readyz(url);
      const upAt = performance.now();
      await outage.up();
      const recovered = await waitFor(async () => (await readyz(url)).status === 200, 60_000);
      const recoveredAt = performance.now();
      await sleep(5000);
      stop.abort();
      const run = await load;

      const healthy = results.filter((r) => r.startedAt + r.ms < healthyUntil);
      const during = results.filter((r) => r.startedAt >= downAt + 500 && r.startedAt + r.ms <= upAt);
      const after = results.filter((r) => r.startedAt >= recoveredAt + 1000);
      const failuresOf = (rs: RequestResult[]) => rs.filter((r) => r.codes.length > 0).map((r) => `${r.op} ${r.status} ${r.codes.join(',')} ${(r.text ?? '').slice(0, 200)}`);

      process.stderr.write(`[faults] ${outage.name}: /readyz 503 after ${noticed} ms, ready again ${recovered} ms after the database returned; `
        + `${during.length} requests during the outage (${during.filter((r) => r.codes.length).length} SERVICE_UNAVAILABLE), ${after.length} after, all ok; `
        + `errors by code ${JSON.stringify(run.errorsByCode)}\n`);
      // Before: all good. The outage is noticed within 5 s and reported as the database.
      expect(healthy.length).toBeGreaterThan(0);
      expect(failuresOf(healthy)).toEqual([]);
      expect(noticed).not.toBeNull();
      expect(noticed!).toBeLessThanOrEqual(5000);
      expect(ready503).toMatchObject({ status: 503, body: { database: 'unreachable' } });

      // During: failures are typed SERVICE_UNAVAILABLE, never a 500, never a stack or SQL.
      const failedDuring = during.filter((r) => r.codes.length > 0);
      expect(failedDuring.length).toBeGreaterThan(0);
      expect(failedDuring.filter((r) => r.status === 500 || r.status === 0 || r.codes.some((c) => c !== 'SERVICE_UNAVAILABLE')).map((r) => `${r.op} ${r.status} ${r.codes} ${(r.text ?? '').slice(0, 300)}`)).toEqual([]);
      expect(during.filter((r) => LEAK.test(r.text ?? '')).map((r) => (r.text ?? '').slice(0, 300))).toEqual([]);

      // After: the same process serves again, every operation succeeds.
      expect(recovered).not.toBeNull();
      expect(hub.proc.exitCode).toBeUndefined();
      expect(after.length).toBeGreaterThan(0);
      expect(failuresOf(after)).toEqual([]);
      expect(Object.keys(run.errorsByCode).filter((c) => c !== 'SERVICE_UNAVAILABLE')).toEqual([]);

      // And every write it acknowledged is in the database, as sent.
      const check = await ledger.verify(pool);
      expect(check.acknowledged).toBeGreaterThan(0);
      expect(check).toMatchObject({ lost: 0, problems: [] });
      expect(check.found).toBe(check.acknowledged);
      process.stderr.write(`[faults] ledger: acknowledged ${check.acknowledged}, found ${check.found}, lost ${check.lost}\n`);
    } finally {
      await outage.dispose();
      await hub?.proc.stop();
      await pool.end();
    }
  });
});
