import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { mintToken } from '../src/auth/principal';
import { Jurisdiction } from '../src/domain/jurisdictions';
import { parseArgs, runCli } from '../src/cli/args';
import { ensureDataset, generatorFingerprint } from './dataset';
import { buildHub, HubProcess } from './hub-process';
import { LatencySummary, MixedRunResult, runMixed } from './mixed-workload';
import { loadSampleKeys } from './operations';
import { LedgerResult, missingWriteMutations, WriteLedger } from './write-ledger';

/**
 * `npm run load -- [--clients 50] [--seconds 60] [--reuse] [--enterprises 5000] [--seed 7]
 *   [--database eco_hub_load] [--no-build] [--json FILE]`
 *
 * Seeds a fresh PostgreSQL database (reused as it is with --reuse), starts the built hub in
 * production mode on it, drives the mixed workload, then checks the write ledger against the
 * database and reports errors by code, latency percentiles per operation and throughput. Exits
 * non-zero when any request failed or any acknowledged write is missing.
 */

const ROOT = path.resolve(__dirname, '..');
const log = (line: string) => process.stderr.write(`[load] ${line}\n`);

interface LoadReport {
  settings: Record<string, unknown>;
  run: MixedRunResult;
  writes: { measured: boolean; missing: string[]; statuses: Record<string, Record<string, number>> };
  ledger: LedgerResult | null;
}

function row(name: string, s: LatencySummary): string {
  const cells = [s.requests, s.errors, s.p50, s.p95, s.p99, s.max, s.rps].map((v) => String(v).padStart(9));
  return `  ${name.padEnd(10)}${cells.join('')}`;
}

function render(r: LoadReport): string {
  const run = r.run;
  const lines = [
    '',
    `eco-hub mixed load: ${run.clients} clients, ${run.seconds} s, ${r.settings.enterprises} enterprises (seed ${r.settings.seed}), database ${r.settings.database}`,
    '',
    `  ${'operation'.padEnd(10)}${['requests', 'errors', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'req/s'].map((h) => h.padStart(9)).join('')}`,
    ...Object.entries(run.byOperation).map(([op, s]) => row(op, s!)),
    row('overall', run.overall),
    '',
    `  errors by code: ${Object.keys(run.errorsByCode).length ? Object.entries(run.errorsByCode).map(([c, n]) => `${c} ${n}`).join(', ') : 'none'}`,
    ...run.samples.map((s) => `    e.g. ${s}`),
  ];
  if (!r.writes.measured) lines.push(`  writes: not measured: the hub has no ${r.writes.missing.join(' / ')} mutation`);
  else lines.push(`  writes: ${Object.entries(r.writes.statuses).map(([m, c]) => `${m} ${Object.entries(c).map(([s, n]) => `${s} ${n}`).join(' ')}`).join('; ')}`);
  if (r.ledger) {
    lines.push(`  ledger: acknowledged ${r.ledger.acknowledged}, found ${r.ledger.found}, lost ${r.ledger.lost}`);
    for (const p of r.ledger.problems) lines.push(`    ${p}`);
  }
  return lines.join('\n') + '\n';
}

runCli(async () => {
  const args = parseArgs(process.argv.slice(2), {
    clients: 'number', seconds: 'number', reuse: 'boolean', enterprises: 'number', seed: 'number', database: 'string', 'no-build': 'boolean', json: 'string',
  });
  const clients = (args.clients as number | undefined) ?? 50;
  const seconds = (args.seconds as number | undefined) ?? 60;
  const enterprises = (args.enterprises as number | undefined) ?? 5000;
  const seed = (args.seed as number | undefined) ?? 7;
  const database = (args.database as string | undefined) ?? 'eco_hub_load';
  if (clients < 1 || seconds < 1) throw new Error('--clients and --seconds must be at least 1');
  // The load only ever runs against a PostgreSQL server this command is pointed at, never a default.
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl || !/^postgres(ql)?:\/\//.test(serverUrl)) {
    throw new Error(`DATABASE_URL must point at a PostgreSQL server: the load seeds its own database (${database}) there. Example:\n`
      + '  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run load');
  }

  const dataset = await ensureDataset(serverUrl, database, { seed, enterprises, generator: generatorFingerprint(ROOT) }, !args.reuse, log);
  if (args['no-build']) log('using the hub already built in dist/ (--no-build)');
  else {
    log('building the hub (npm run build)…');
    buildHub(ROOT);
  }
  const secret = randomBytes(32).toString('base64url');
  const logFile = path.join(os.tmpdir(), 'eco-hub-load-hub.log');
  const hub = await HubProcess.start({
    root: ROOT,
    databaseUrl: dataset.url,
    logFile,
    env: {
      NODE_ENV: 'production', HUB_JWT_SECRET: secret, LOG_LEVEL: 'warn',
      // 50 clients from one address would spend the per-principal budget in seconds: the load measures the hub, not its limiter.
      HUB_RATE_LIMIT_PER_MINUTE: '0',
    },
  });
  log(`hub pid ${hub.pid} on ${hub.url} (production mode; its log: ${logFile})`);

  const pool = new Pool({ connectionString: dataset.url, max: 2, application_name: 'eco-hub-load-check' });
  let failure: string | null = null;
  try {
    const keys = await loadSampleKeys(pool, seed);
    const probe = await mintToken({ secret }, { sub: 'load-probe', org: 'WUJIANG-EEB', jurisdiction: Jurisdiction.WUJIANG, roles: [] }, '10m');
    const missing = await missingWriteMutations(hub.url, probe);
    const ledger = missing.length === 0 ? new WriteLedger(Date.now().toString(36), keys.wujiangDossiers) : undefined;
    if (!ledger) log(`writes left out: the hub has no ${missing.join(' / ')} mutation`);

    log(`${clients} clients for ${seconds} s…`);
    const run = await runMixed({ url: hub.url, secret, keys, clients, seconds, ledger, seed });
    log('checking the write ledger against the database…');
    const result = ledger ? await ledger.verify(pool) : null;
    const report: LoadReport = {
      settings: { clients, seconds, enterprises, seed, database, hubEnv: 'NODE_ENV=production LOG_LEVEL=warn HUB_RATE_LIMIT_PER_MINUTE=0', startedAt: new Date().toISOString() },
      run,
      writes: { measured: !!ledger, missing, statuses: ledger?.statusCounts() ?? {} },
      ledger: result,
    };
    process.stdout.write(render(report));
    if (args.json) writeFileSync(path.resolve(args.json as string), JSON.stringify(report, null, 2) + '\n');
    if (run.failedRequests > 0 || (result && result.lost > 0)) failure = `${run.failedRequests} request(s) failed, ${result?.lost ?? 0} acknowledged write(s) lost`;
  } finally {
    await pool.end();
    await hub.stop();
  }
  if (failure) throw new Error(failure);
});
