import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { mintToken } from '../src/auth/principal';
import { ensureDataset, generatorFingerprint } from './dataset';
import { buildHub, cpuSeconds, HubProcess, rssMb, RssSampler } from './hub-process';
import { driveHub, HubRunStats, runFloor, runHub, RunStats, summariseHub } from './load';
import {
  BenchPrincipal, CREDIT_PLATFORM, describePrincipal, FEED_QUERY, FLOOR_FEED, LIST_QUERY, loadSampleKeys, Operation, operations, ZONE_READER,
} from './operations';
import { BenchResults, FeedPull, renderResults, updatePerformanceDoc } from './report';
import { IngestRate, measureHttpIngest, measureStorageQueries, measureTcpIngest, OUTLETS, prepareOutlets, prepareStorageData, QUERY_MONTH, StorageBenchResult } from './observation-storage';
import net from 'node:net';

/**
 * `npm run bench`: seeds (or reuses) a benchmark database on the PostgreSQL server of
 * DATABASE_URL, starts the built hub against it in production mode, drives it over HTTP at fixed
 * concurrency levels, measures the same reads by hand-written SQL as the floor, and writes
 * bench/results/<date>.json and the table in docs/performance.md. See docs/performance.md.
 */

const ROOT = path.resolve(__dirname, '..');
const RESULTS_DIR = path.join(ROOT, 'bench/results');
const DOC = path.join(ROOT, 'docs/performance.md');
const DEFAULT_SEED = 20201019;
const ENTERPRISES_PER_SCALE = 100_000;
const DEFAULT_LEVELS = [1, 8, 32];
const OPERATION_IDS = ['dossier', 'dossier-partner', 'list', 'list-zone', 'catalog', 'water', 'feed', 'storage', 'ingest'];

/**
 * Seconds until the hub reports its first scheduled passes of the warning and compliance-reminder
 * rules finished (`/metrics`, *_job_last_success_timestamp_seconds above 0), at most `limitSeconds`.
 */
async function startupPasses(url: string, limitSeconds: number): Promise<number> {
  const t0 = Date.now();
  const done = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0) > 0;
  while (Date.now() - t0 < limitSeconds * 1000) {
    const text = await (await fetch(`${url}/metrics`)).text();
    if (done(text, 'hub_alert_job_last_success_timestamp_seconds') && done(text, 'hub_reminder_job_last_success_timestamp_seconds')) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return (Date.now() - t0) / 1000;
}

const USAGE = `usage: DATABASE_URL=postgres://… npm run bench -- [options]
  --fresh              drop and recreate the bench database, then seed it
  --scale N            data set size, 1 = 100,000 enterprises (default 1)
  --seed N             generator seed (default ${DEFAULT_SEED})
  --duration S         seconds per concurrency level (default 10)
  --quick              3 s per level, 1 s warm-up
  --levels 1,8,32      concurrency levels
  --only a,b           only these operations (dossier, dossier-partner, list, list-zone, catalog, water, feed, storage, ingest)
  --database NAME      bench database on the DATABASE_URL server (default eco_hub_bench)
  --no-build           use the dist/ already built (default: npm run -s build first)
  --no-wait            measure at once, even while other processes keep the machine busy
  --audit-commit M     the hub's HUB_AUDIT_COMMIT: durable (default, as deployed) or deferred
  --profile [DIR]      write a V8 CPU profile of the hub (node --cpu-prof) to DIR (default /tmp/eco-hub-bench-profiles)
  --report FILE|latest only regenerate docs/performance.md from a results file (latest: the newest full run)`;

interface Options {
  fresh: boolean;
  scale: number;
  seed: number;
  duration: number;
  warmup: number;
  quick: boolean;
  levels: number[];
  only: string[] | null;
  database: string;
  profileDir: string | null;
  auditCommit: 'durable' | 'deferred';
  report: string | null;
  build: boolean;
  wait: boolean;
}

function parseOptions(argv: string[]): Options {
  const o: Options = {
    fresh: false, scale: 1, seed: DEFAULT_SEED, duration: 10, warmup: 2, quick: false, levels: DEFAULT_LEVELS, only: null,
    database: 'eco_hub_bench', profileDir: null, auditCommit: 'durable', report: null, build: true, wait: true,
  };
  let durationGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value\n${USAGE}`);
      return v;
    };
    const num = (v: string, what: string, integer: boolean): number => {
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new Error(`${what} must be a positive ${integer ? 'whole ' : ''}number, got "${v}"`);
      return n;
    };
    switch (a) {
      case '--fresh': o.fresh = true; break;
      case '--quick': o.quick = true; break;
      case '--no-build': o.build = false; break;
      case '--no-wait': o.wait = false; break;
      case '--scale': o.scale = num(value(), '--scale', false); break;
      case '--seed': o.seed = num(value(), '--seed', true); break;
      case '--duration': o.duration = num(value(), '--duration', false); durationGiven = true; break;
      case '--levels': o.levels = value().split(',').map((v) => num(v, '--levels', true)); break;
      case '--only':
        o.only = value().split(',');
        for (const id of o.only) if (!OPERATION_IDS.includes(id)) throw new Error(`--only: unknown operation "${id}"; expected some of ${OPERATION_IDS.join(', ')}`);
        break;
      case '--database': o.database = value(); break;
      case '--profile': o.profileDir = argv[i + 1] && !argv[i + 1].startsWith('--') ? path.resolve(argv[++i]) : '/tmp/eco-hub-bench-profiles'; break;
      case '--report': o.report = value(); break;
      case '--audit-commit': {
        const m = value();
        if (m !== 'durable' && m !== 'deferred') throw new Error(`--audit-commit must be durable or deferred, got ${m}\n${USAGE}`);
        o.auditCommit = m;
        break;
      }
      case '--help': case '-h': process.stdout.write(USAGE + '\n'); process.exit(0); break;
      default: throw new Error(`unknown argument "${a}"\n${USAGE}`);
    }
  }
  if (o.quick) {
    if (!durationGiven) o.duration = 3;
    o.warmup = 1;
  }
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(o.database)) throw new Error(`--database must be a plain lower-case name, got "${o.database}"`);
  return o;
}

const log = (line: string) => process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

function headersOf(p: BenchPrincipal, token: string): Record<string, string> {
  return { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(p.purpose ? { 'x-purpose': p.purpose } : {}) };
}

async function graphql(url: string, headers: Record<string, string>, query: string, variables: Record<string, unknown>): Promise<{ data: any; statements: number | null }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const text = await res.text();
  const json = JSON.parse(text) as { data?: unknown; errors?: unknown[] };
  if (res.status !== 200 || json.errors) throw new Error(`GraphQL request failed (${res.status}): ${text.slice(0, 500)}`);
  const n = Number(res.headers.get('x-sql-statements'));
  return { data: json.data, statements: Number.isFinite(n) ? n : null };
}

/** The whole feed through GraphQL, 1,000 entries a page, until `hasMore` is false. */
async function pullFeedGraphql(url: string, headers: Record<string, string>, rss: RssSampler): Promise<FeedPull> {
  rss.window();
  let after: string | null = null;
  let entries = 0;
  let pages = 0;
  let statements = 0;
  const t0 = performance.now();
  for (;;) {
    const { data, statements: n } = await graphql(url, headers, FEED_QUERY, { after });
    const page = data.creditFeed as { endCursor: string; hasMore: boolean; entries: unknown[] };
    entries += page.entries.length;
    pages++;
    statements += n ?? 0;
    if (!page.hasMore) break;
    after = page.endCursor;
  }
  const seconds = (performance.now() - t0) / 1000;
  return { entries, pages, seconds: round(seconds, 3), entriesPerSecond: Math.round(entries / seconds), statementsPerPage: round(statements / pages, 2), rssPeakMb: rss.window() };
}

/** The whole feed as NDJSON: counts lines as they arrive (the last one is the cursor line). */
async function pullFeedNdjson(url: string, token: string, rss: RssSampler): Promise<FeedPull | null> {
  rss.window();
  const t0 = performance.now();
  const res = await fetch(`${url}/feeds/credit.ndjson`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status === 404) return null;
  if (res.status !== 200 || !res.body) throw new Error(`GET /feeds/credit.ndjson answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  let lines = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    for (let i = 0; i < value.length; i++) if (value[i] === 10) lines++;
  }
  const seconds = (performance.now() - t0) / 1000;
  const entries = Math.max(0, lines - 1);
  return { entries, seconds: round(seconds, 3), entriesPerSecond: Math.round(entries / seconds), rssPeakMb: rss.window() };
}

/** The floor of the feed: the same SELECT over pg, keyset by seq, 1,000 rows a page. */
async function pullFeedRaw(pool: Pool): Promise<{ entries: number; seconds: number; entriesPerSecond: number }> {
  const client = await pool.connect();
  try {
    let after = '0';
    let entries = 0;
    const t0 = performance.now();
    for (;;) {
      const { rows } = await client.query<{ seq: string }>(FLOOR_FEED, [after]);
      entries += rows.length;
      if (rows.length < 1000) break;
      after = rows[rows.length - 1].seq;
    }
    const seconds = (performance.now() - t0) / 1000;
    return { entries, seconds: round(seconds, 3), entriesPerSecond: Math.round(entries / seconds) };
  } finally {
    client.release();
  }
}

function round(v: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

async function machineInfo(pool: Pool): Promise<BenchResults['machine']> {
  const { rows } = await pool.query<{ v: string }>("SELECT current_setting('server_version') AS v");
  return {
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    postgres: `PostgreSQL ${rows[0].v.split(' ')[0]}`,
  };
}

function latestResults(): string {
  const files = readdirSync(RESULTS_DIR).filter((f) => /^\d{4}-\d{2}-\d{2}\.json$/.test(f)).sort();
  if (!files.length) throw new Error(`no results in ${RESULTS_DIR}`);
  return path.join(RESULTS_DIR, files[files.length - 1]);
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  if (o.report) {
    const file = o.report === 'latest' ? latestResults() : path.resolve(o.report);
    const results = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
    updatePerformanceDoc(DOC, results, path.relative(ROOT, file));
    log(`docs/performance.md regenerated from ${path.relative(ROOT, file)}`);
    return;
  }
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl || !/^postgres(ql)?:\/\//.test(serverUrl)) {
    throw new Error('DATABASE_URL must point at a PostgreSQL server (postgres://user@host:port/db): the bench seeds its own database '
      + `(${o.database}) there and never runs on the embedded PGlite. Example:\n  DATABASE_URL=postgres://postgres@127.0.0.1:5432/eco_hub_bench npm run bench`);
  }
  const enterprises = Math.round(o.scale * ENTERPRISES_PER_SCALE);
  const startedAt = new Date().toISOString();
  const poolSize = Number(process.env.DB_POOL_SIZE || 10);
  const wanted = (id: string) => !o.only || o.only.includes(id);
  log(`settings: seed ${o.seed}, scale ${o.scale} (${enterprises} enterprises), ${o.duration} s per level (+${o.warmup} s warm-up), `
    + `levels ${o.levels.join('/')}, pool ${poolSize}, audit commit ${o.auditCommit}, database ${o.database}${o.fresh ? ', fresh' : ''}${o.only ? `, only ${o.only.join(',')}` : ''}`);

  const dataset = await ensureDataset(serverUrl, o.database, { seed: o.seed, enterprises, generator: generatorFingerprint(ROOT) }, o.fresh, log);

  if (o.build) {
    log('building the hub (npm run -s build)…');
    buildHub(ROOT);
  } else {
    log('using the hub already built in dist/ (--no-build)');
  }
  // Observation storage: the outlets and their month of minutes, before the hub starts (its writes are not measured).
  let storageData: Awaited<ReturnType<typeof prepareStorageData>> | null = null;
  // HJ 212 ingest: the same bench outlets (registered loggers), without the month of data.
  let ingestOutlets: string[] | null = null;
  if (wanted('storage') || wanted('ingest')) {
    const setup = new Pool({ connectionString: dataset.url, max: 2, application_name: 'eco-hub-bench-storage' });
    try {
      if (wanted('storage')) storageData = await prepareStorageData(setup, o.scale, log);
      if (wanted('ingest')) ingestOutlets = storageData?.ids ?? await prepareOutlets(setup);
    } finally {
      await setup.end();
    }
  }
  const hj212Port = await freePort();
  const secret = randomBytes(32).toString('base64url');
  const hubEnv: Record<string, string> = {
    NODE_ENV: 'production', HUB_JWT_SECRET: secret, LOG_LEVEL: 'warn', DB_POOL_SIZE: String(poolSize),
    // The bench measures the hub, not its limiter: the per-principal rate limit off, the cost limit
    // far above a 500-enterprise page (the page-size check asks for one).
    HUB_RATE_LIMIT_PER_MINUTE: '0', HUB_MAX_COST: '100000000',
    // The listing-expiry job would write to the data set at start; off, so every run reads the same data.
    HUB_EXPIRY_INTERVAL_SECONDS: '0',
    HUB_AUDIT_COMMIT: o.auditCommit,
    // The HJ 212 listener, for the ingest run over TCP.
    HJ212_PORT: String(hj212Port),
  };
  const logFile = path.join(os.tmpdir(), 'eco-hub-bench-hub.log');
  log(`starting the hub (log: ${logFile}${o.profileDir ? `, CPU profile to ${o.profileDir}` : ''})…`);
  const hub = await HubProcess.start({
    root: ROOT, databaseUrl: dataset.url, env: hubEnv, logFile, cpuProfileDir: o.profileDir ?? undefined,
    onUnexpectedExit: (how) => log(`the hub ended unexpectedly (${how}); see ${logFile}`),
  });
  /** A run against a hub that is gone measures nothing: stop there, saying how it ended. */
  const assertAlive = (what: string) => {
    if (hub.exitedWith) throw new Error(`the hub ended (${hub.exitedWith}) during ${what}; see ${logFile}`);
  };
  const rss = new RssSampler(hub.pid);
  const pool = new Pool({ connectionString: dataset.url, max: poolSize, application_name: 'eco-hub-bench-floor' });
  let results: BenchResults | undefined;
  try {
    const idleMb = rss.window();
    log(`hub ready at ${hub.url} (pid ${hub.pid}, ${idleMb ?? '?'} MB RSS)`);
    const settings = { secret };
    const tokenOf = (p: BenchPrincipal) => mintToken(settings, p.claims, '6h');
    const keys = await loadSampleKeys(pool, o.seed);
    log(`sample keys: ${keys.wujiangDossiers.length} Wujiang dossiers, ${keys.partnerDossiers.length} partner dossiers, ${keys.listStarts.length} list pages, `
      + `${keys.waterStations.length} sections × ${keys.months.length} months`);
    if (!keys.wujiangDossiers.length || !keys.partnerDossiers.length || !keys.listStarts.length || !keys.waterStations.length || !keys.months.length) {
      throw new Error('the bench database lacks the records the operations read; rerun with --fresh');
    }

    // The hub runs the warning rules and the compliance-reminder rules once at start (a pass over the
    // whole zone); requests measured during them would measure the passes. Wait for both.
    const startup = { seconds: round(await startupPasses(hub.url, 5 * 60), 1), peakMb: rss.window() };
    log(`the hub's start-up passes (warning rules, compliance reminders) finished ${startup.seconds} s after it was ready (peak ${startup.peakMb ?? '?'} MB RSS)`);
    const loadAtStart = o.wait ? await waitForQuiet(10 * 60) : round(os.loadavg()[0], 2);
    // Whatever the start wrote (catalog load, audit of the checks) is flushed before measuring; needs superuser or pg_checkpoint.
    await pool.query('CHECKPOINT').catch(() => undefined);

    // The audit log's growth over the measured reads (every read writes its audit rows, keys included).
    const auditSize = async () => (await pool.query<{ bytes: string; rows: string }>(
      `SELECT (SELECT coalesce(sum(pg_total_relation_size(relid)), 0) FROM pg_partition_tree('audit_event'))::text AS bytes, (SELECT count(*) FROM audit_event)::text AS rows`)).rows[0];
    const auditBefore = await auditSize();

    const opResults: BenchResults['operations'] = [];
    const ops = operations(keys).filter((x) => wanted(x.id));
    for (const op of ops) {
      if (op.id === 'list-zone' && ops.some((x) => x.id === 'list')) continue; // measured with 'list'
      const zone = op.id === 'list' ? ops.find((x) => x.id === 'list-zone') : undefined;
      if (zone) opResults.push(...(await measurePair(op, await tokenOf(op.principal), zone, await tokenOf(zone.principal), hub.url, pool, o, rss)));
      else opResults.push(await measure(op, await tokenOf(op.principal), hub.url, pool, o, rss));
      assertAlive(op.title);
    }

    let feed: BenchResults['feed'] = null;
    if (wanted('feed')) {
      log('(d) credit feed: raw SELECT (warm-up, then measured), GraphQL pull, NDJSON stream…');
      const token = await tokenOf(CREDIT_PLATFORM);
      await pullFeedRaw(pool);
      const rawSelect = await pullFeedRaw(pool);
      let graphqlPull: FeedPull | null = null;
      try {
        graphqlPull = await pullFeedGraphql(hub.url, headersOf(CREDIT_PLATFORM, token), rss);
      } catch (err) {
        log(`creditFeed query failed (pending?): ${String(err).slice(0, 300)}`);
      }
      const ndjson = await pullFeedNdjson(hub.url, token, rss).catch((err) => {
        log(`NDJSON feed failed (pending?): ${String(err).slice(0, 300)}`);
        return null;
      });
      assertAlive('the credit feed pull');
      feed = {
        principal: describePrincipal(CREDIT_PLATFORM),
        graphql: graphqlPull,
        ndjson,
        rawSelect,
        ratio: graphqlPull ? round(graphqlPull.entriesPerSecond / rawSelect.entriesPerSecond, 2) : null,
      };
      log(`    raw ${rawSelect.entriesPerSecond}/s over ${rawSelect.entries}; GraphQL ${graphqlPull?.entriesPerSecond ?? '–'}/s in ${graphqlPull?.seconds ?? '–'} s; `
        + `NDJSON ${ndjson?.entriesPerSecond ?? '–'}/s in ${ndjson?.seconds ?? '–'} s`);
    }

    let storage: StorageBenchResult | null = null;
    if (storageData) {
      log('(f) observation storage: HJ 212 ingest rate over HTTP and TCP, then month reads (aggregates, partitioned raw, plain table)…');
      const seconds = Math.max(5, o.duration * 2);
      const ingest = [
        await measureHttpIngest(hub.url, pool, storageData.ids, 4, seconds, log),
        await measureTcpIngest(hj212Port, pool, storageData.ids, 8, seconds, log),
      ];
      assertAlive('the HJ 212 ingest runs');
      const queries = await measureStorageQueries(pool, storageData.ids, o.quick, log);
      storage = {
        outlets: OUTLETS, parametersInMonth: storageData.parameters, month: QUERY_MONTH.from.slice(0, 7), monthRows: storageData.rows,
        loadSeconds: storageData.loadSeconds, ingest, queries,
      };
    }

    let ingest: BenchResults['ingest'] = null;
    if (ingestOutlets) {
      log('(g) HJ 212 ingest with the alert rules on: single packets and batches, over HTTP and TCP…');
      const seconds = Math.max(5, o.duration * 2);
      const runs: IngestRate[] = [
        await measureHttpIngest(hub.url, pool, ingestOutlets, 8, seconds, log, 1),
        await measureHttpIngest(hub.url, pool, ingestOutlets, 4, seconds, log, OUTLETS),
        await measureTcpIngest(hj212Port, pool, ingestOutlets, 8, seconds, log, false),
        await measureTcpIngest(hj212Port, pool, ingestOutlets, 8, seconds, log, true),
      ];
      assertAlive('the HJ 212 ingest runs');
      ingest = { outlets: OUTLETS, parametersPerPacket: 10, runs };
    }

    const auditAfter = await auditSize();
    const measured = opResults.reduce((n, op) => n + op.levels.reduce((m, l) => m + l.hub.requests, 0), 0);
    const audit: BenchResults['audit'] = measured > 0 ? {
      requests: measured,
      rowsPer1000: round((Number(auditAfter.rows) - Number(auditBefore.rows)) * 1000 / measured, 1),
      bytesPer1000: Math.round((Number(auditAfter.bytes) - Number(auditBefore.bytes)) * 1000 / measured),
      totalMb: round(Number(auditAfter.bytes) / 1048576, 1),
    } : null;
    if (audit) log(`audit log: ${audit.rowsPer1000} rows and ${Math.round(audit.bytesPer1000 / 1024)} KiB per 1,000 requests (table and indexes ${audit.totalMb} MB)`);

    const pageSizeStatements: BenchResults['pageSizeStatements'] = [];
    if (wanted('list') || wanted('list-zone')) {
      const headers = headersOf(ZONE_READER, await tokenOf(ZONE_READER));
      for (const first of [10, 100, 500]) {
        const { statements } = await graphql(hub.url, headers, LIST_QUERY, { first, after: null });
        pageSizeStatements.push({ first, statements });
      }
      log(`SQL statements per list request by page size: ${pageSizeStatements.map((p) => `${p.first}→${p.statements}`).join(', ')}`);
    }

    const policyOverhead: BenchResults['policyOverhead'] = [];
    const district = opResults.find((r) => r.id === 'list');
    const zone = opResults.find((r) => r.id === 'list-zone');
    if (district && zone) {
      for (const l of district.levels) {
        const z = zone.levels.find((x) => x.connections === l.connections);
        if (z) policyOverhead.push({ connections: l.connections, districtP50: l.hub.p50, zoneP50: z.hub.p50, p50Ratio: round(l.hub.p50 / z.hub.p50, 2), rpsRatio: round(z.hub.rps / l.hub.rps, 2) });
      }
    }

    const afterMb = rss.window();
    const machine = { ...(await machineInfo(pool)), loadAverageAtStart: loadAtStart };
    const complete = !o.only && !o.quick && o.duration >= 10 && o.levels.join() === DEFAULT_LEVELS.join();
    results = {
      version: 1,
      startedAt,
      finishedAt: new Date().toISOString(),
      complete,
      machine,
      settings: {
        seed: o.seed, scale: o.scale, enterprises, levels: o.levels, durationSeconds: o.duration, warmupSeconds: o.warmup, hubPoolSize: poolSize, floorPoolSize: poolSize,
        hubEnv: { ...hubEnv, HUB_JWT_SECRET: '(random, 32 bytes)' }, database: o.database,
        dataset: { seededThisRun: dataset.seededThisRun, seedSeconds: dataset.seedSeconds, rows: dataset.rows },
      },
      operations: opResults,
      feed,
      storage,
      ingest,
      pageSizeStatements,
      policyOverhead,
      rss: { idleMb, peakMb: rss.peak || null, afterMb, startup },
      audit,
      goals: [],
    };
    results.goals = judge(results);
  } finally {
    rss.stop();
    await pool.end();
    log('stopping the hub…');
    await hub.stop();
  }

  if (!results) throw new Error('the run produced no results');
  mkdirSync(RESULTS_DIR, { recursive: true });
  const day = startedAt.slice(0, 10);
  // A partial run names its operations, so that runs of different parts on one day do not overwrite each other.
  const file = path.join(RESULTS_DIR, results.complete ? `${day}.json` : `${day}-partial${o.only ? `-${o.only.join('+')}` : ''}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  const rel = path.relative(ROOT, file);
  log(`results: ${rel}`);
  if (results.complete) {
    updatePerformanceDoc(DOC, results, rel);
    log('docs/performance.md updated');
  } else {
    log('a partial run (--quick, --only, other levels or a shorter duration) leaves docs/performance.md as it is; the table:');
  }
  process.stdout.write('\n' + renderResults(results, rel) + '\n');
  if (o.profileDir) log(`CPU profile(s) of the hub in ${o.profileDir} (open in Chrome DevTools or speedscope)`);
}

/** A TCP port nothing listens on now, for the hub's HJ 212 listener. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** The hub's /proc entry holds no memory figure once it has ended. */
function assertRunning(pid: number, what: string): void {
  if (rssMb(pid) === null) throw new Error(`the hub (pid ${pid}) is gone after ${what}; see its log`);
}

/**
 * Other processes on the machine (a test run, a build) distort every figure, so the bench waits
 * until the 1-minute load average is below half the cores, for at most `maxSeconds`, and records
 * the load it started at. Returns that load.
 */
async function waitForQuiet(maxSeconds: number): Promise<number> {
  const limit = os.availableParallelism() / 2;
  const deadline = Date.now() + maxSeconds * 1000;
  let said = false;
  while (os.loadavg()[0] > limit && Date.now() < deadline) {
    if (!said) log(`the machine is busy (load ${os.loadavg()[0].toFixed(1)}); waiting up to ${maxSeconds / 60} min for the load to drop below ${limit} (--no-wait skips this)`);
    said = true;
    await new Promise((r) => setTimeout(r, 15_000));
  }
  const load = round(os.loadavg()[0], 2);
  if (load > limit) log(`still busy (load ${load}); measuring anyway, and the results record it`);
  return load;
}

/** Warm-up, then each concurrency level: the hub with autocannon, then the floor with the same concurrency. */
async function measure(op: Operation, token: string, url: string, pool: Pool, o: Options, rss: RssSampler): Promise<BenchResults['operations'][number]> {
  log(`${op.title} as ${describePrincipal(op.principal)}`);
  const req = { headers: headersOf(op.principal, token), body: op.body };
  const probe = { rss: () => rss.sample(), cpu: () => cpuSeconds(rss.pid) };
  const warm = await runHub(url, req, Math.min(8, Math.max(...o.levels)), o.warmup, probe);
  if (warm.errors > 0) throw new Error(`${op.id}: the hub answers with errors: ${warm.errorSample}`);
  await runFloor(pool, op.floor, Math.min(8, Math.max(...o.levels)), o.warmup);
  const levels: BenchResults['operations'][number]['levels'] = [];
  for (const c of o.levels) {
    rss.window();
    const hub: HubRunStats = await runHub(url, req, c, o.duration, probe);
    assertRunning(rss.pid, `${op.id} at ${c} connections`);
    const floor: RunStats = await runFloor(pool, op.floor, c, o.duration);
    const ratios = { p50: round(hub.p50 / floor.p50, 2), rps: round(hub.rps / floor.rps, 2) };
    levels.push({ connections: c, hub, floor, ratios, load1: round(os.loadavg()[0], 2) });
    log(`    c=${String(c).padStart(2)}  hub ${hub.rps} req/s p50 ${hub.p50} p95 ${hub.p95} p99 ${hub.p99} ms, ${hub.statementsPerRequest} SQL/req, CPU ${hub.hubCpuMsPerRequest} ms/req, RSS ${hub.rssPeakMb} MB`
      + `${hub.errors ? `, ${hub.errors} errors (${hub.errorSample})` : ''} | floor ${floor.rps} req/s p50 ${floor.p50} ms | p50 ×${ratios.p50}, req/s ×${ratios.rps}`);
  }
  return { id: op.id, title: op.title, principal: describePrincipal(op.principal), levels };
}

/**
 * The policy-overhead pair (the same list as a district reader and as ZONE): at each level the two
 * take turns, A B B A, half the duration each, so a change in what else the machine does between
 * runs weighs on both alike. They share one floor (the same SQL: the floor has no policy).
 */
async function measurePair(a: Operation, tokenA: string, b: Operation, tokenB: string, url: string, pool: Pool, o: Options, rss: RssSampler): Promise<BenchResults['operations']> {
  log(`${a.title}: as ${describePrincipal(a.principal)} and as ${describePrincipal(b.principal)}, taking turns`);
  const reqA = { headers: headersOf(a.principal, tokenA), body: a.body };
  const reqB = { headers: headersOf(b.principal, tokenB), body: b.body };
  const probe = { rss: () => rss.sample(), cpu: () => cpuSeconds(rss.pid) };
  const warmC = Math.min(8, Math.max(...o.levels));
  for (const [req, op] of [[reqA, a], [reqB, b]] as const) {
    const warm = await runHub(url, req, warmC, o.warmup, probe);
    if (warm.errors > 0) throw new Error(`${op.id}: the hub answers with errors: ${warm.errorSample}`);
  }
  await runFloor(pool, a.floor, warmC, o.warmup);
  const levelsA: BenchResults['operations'][number]['levels'] = [];
  const levelsB: BenchResults['operations'][number]['levels'] = [];
  for (const c of o.levels) {
    rss.window();
    const half = o.duration / 2;
    // The second run of each principal continues its rotation where the first stopped.
    const a1 = await driveHub(url, reqA, c, half, probe);
    const b1 = await driveHub(url, reqB, c, half, probe);
    const b2 = await driveHub(url, reqB, c, half, probe, b1.latencies.length + c);
    const a2 = await driveHub(url, reqA, c, half, probe, a1.latencies.length + c);
    assertRunning(rss.pid, `${a.id} at ${c} connections`);
    const hubA = summariseHub([a1, a2]);
    const hubB = summariseHub([b1, b2]);
    const floor = await runFloor(pool, a.floor, c, o.duration);
    const load1 = round(os.loadavg()[0], 2);
    for (const [hub, levels, op] of [[hubA, levelsA, a], [hubB, levelsB, b]] as const) {
      const ratios = { p50: round(hub.p50 / floor.p50, 2), rps: round(hub.rps / floor.rps, 2) };
      levels.push({ connections: c, hub, floor, ratios, load1 });
      log(`    c=${String(c).padStart(2)} ${op.id.padEnd(9)} hub ${hub.rps} req/s p50 ${hub.p50} p95 ${hub.p95} p99 ${hub.p99} ms, ${hub.statementsPerRequest} SQL/req, `
        + `CPU ${hub.hubCpuMsPerRequest} ms/req, RSS ${hub.rssPeakMb} MB${hub.errors ? `, ${hub.errors} errors (${hub.errorSample})` : ''} | floor ${floor.rps} req/s p50 ${floor.p50} ms`);
    }
  }
  return [
    { id: a.id, title: a.title, principal: describePrincipal(a.principal), levels: levelsA },
    { id: b.id, title: b.title, principal: describePrincipal(b.principal), levels: levelsB },
  ];
}

/** The goals of docs/performance.md, checked against the results. */
function judge(r: BenchResults): BenchResults['goals'] {
  const goals: BenchResults['goals'] = [];
  for (const id of ['dossier', 'list']) {
    const op = r.operations.find((x) => x.id === id);
    if (!op) continue;
    const worst = Math.max(...op.levels.map((l) => l.ratios.p50));
    goals.push({
      goal: `${id === 'dossier' ? 'Dossier (a)' : 'List (b)'} p50 within 2× of the floor`,
      met: worst <= 2,
      detail: op.levels.map((l) => `${l.connections} conn: ${l.ratios.p50}×`).join(', '),
    });
  }
  if (r.pageSizeStatements.length) {
    const counts = r.pageSizeStatements.map((p) => p.statements);
    goals.push({
      goal: 'SQL statements per request independent of page size',
      met: counts.every((n) => n !== null && n === counts[0]),
      detail: r.pageSizeStatements.map((p) => `first ${p.first}: ${p.statements}`).join(', '),
    });
  }
  if (r.feed) {
    goals.push({
      goal: 'Credit-feed pull at least half the raw SELECT rate',
      met: r.feed.ratio !== null && r.feed.ratio >= 0.5,
      detail: r.feed.graphql
        ? `${r.feed.graphql.entriesPerSecond.toLocaleString('en-US')} vs ${r.feed.rawSelect.entriesPerSecond.toLocaleString('en-US')} entries/s (${r.feed.ratio}×)`
        : 'creditFeed not available',
    });
  }
  if (r.policyOverhead.length) {
    const worst = Math.max(...r.policyOverhead.map((p) => p.p50Ratio));
    goals.push({ goal: 'Policy overhead ≤ 1.3× (list as Wujiang vs ZONE, p50)', met: worst <= 1.3, detail: r.policyOverhead.map((p) => `${p.connections} conn: ${p.p50Ratio}×`).join(', ') });
  }
  goals.push({ goal: 'Hub RSS under 300 MB', met: r.rss.peakMb !== null && r.rss.peakMb < 300, detail: `peak ${r.rss.peakMb ?? '–'} MB` });
  return goals;
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
