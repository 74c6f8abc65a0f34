import autocannon from 'autocannon';
import type { Pool } from 'pg';

/** Throughput and latency of one run at one concurrency (latencies in ms). */
export interface RunStats {
  connections: number;
  seconds: number;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  /** The first error seen, to tell a broken query from a slow one. */
  errorSample?: string;
}

export interface HubRunStats extends RunStats {
  /** Mean of the x-sql-statements header over the run's responses. */
  statementsPerRequest: number | null;
  statementsMin: number | null;
  statementsMax: number | null;
  /** CPU time the hub process spent per request (user + system), from /proc/<pid>/stat. */
  hubCpuMsPerRequest: number | null;
  /** Peak VmRSS of the hub during the run, and right after it. */
  rssPeakMb: number | null;
  rssAfterMb: number | null;
}

const round = (v: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

function summarise(connections: number, seconds: number, latencies: number[], errors: number, errorSample?: string): RunStats {
  const sorted = latencies.sort((a, b) => a - b);
  return {
    connections,
    seconds: round(seconds, 2),
    requests: sorted.length,
    rps: round(sorted.length / seconds, 1),
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    errors,
    ...(errorSample ? { errorSample } : {}),
  };
}

/** One GraphQL request of a rotation: the body for the i-th request, and its headers. */
export interface HubRequest {
  headers: Record<string, string>;
  body(i: number): string;
}

export interface HubProbe {
  rss(): number | null;
  cpu(): number | null;
}

/** What one autocannon run saw, unsummarised, so runs can be merged. */
export interface HubRaw {
  connections: number;
  seconds: number;
  latencies: number[];
  errors: number;
  errorSample?: string;
  statements: number[];
  cpuSeconds: number | null;
  rssPeak: number;
  rssAfter: number | null;
}

/**
 * Drives the hub with autocannon at a fixed number of connections for `seconds`. Each request
 * takes the next body of the rotation (`from` on); latencies are kept whole (p95 is not one of
 * autocannon's percentiles), and a response counts as an error unless it is a 200 without
 * GraphQL errors.
 */
export async function driveHub(url: string, req: HubRequest, connections: number, seconds: number, probe: HubProbe, from = 0): Promise<HubRaw> {
  const cpuBefore = probe.cpu();
  let next = from;
  const latencies: number[] = [];
  const statements: number[] = [];
  let errors = 0;
  let errorSample: string | undefined;
  let rssPeak = 0;
  const rssTimer = setInterval(() => {
    rssPeak = Math.max(rssPeak, probe.rss() ?? 0);
  }, 200);

  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({
      url: `${url}/graphql`,
      connections,
      duration: seconds,
      timeout: 60,
      requests: [{
        method: 'POST',
        path: '/graphql',
        setupRequest: (r) => ({ ...r, method: 'POST', headers: req.headers, body: req.body(next++) }),
        onResponse: (status, body, _ctx, headers) => {
          const n = Number(headers['x-sql-statements']);
          if (Number.isFinite(n)) statements.push(n);
          if (status !== 200 || body.startsWith('{"errors"') || body.includes('"errors":[')) {
            errors++;
            errorSample ??= `${status} ${body.slice(0, 300)}`;
          }
        },
      }],
    }, (err, res) => (err ? reject(err) : resolve(res)));
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
      latencies.push(ms);
    });
  });
  clearInterval(rssTimer);
  const cpuAfter = probe.cpu();
  rssPeak = Math.max(rssPeak, probe.rss() ?? 0);
  await new Promise((r) => setTimeout(r, 500));
  return {
    connections,
    seconds: result.duration,
    latencies,
    errors: errors + result.errors + result.timeouts,
    errorSample,
    statements,
    cpuSeconds: cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null,
    rssPeak,
    rssAfter: probe.rss(),
  };
}

/** One set of figures from one or more runs at the same concurrency (interleaved runs are merged). */
export function summariseHub(runs: HubRaw[]): HubRunStats {
  const latencies = runs.flatMap((r) => r.latencies);
  const statements = runs.flatMap((r) => r.statements);
  const cpu = runs.every((r) => r.cpuSeconds !== null) ? runs.reduce((a, r) => a + r.cpuSeconds!, 0) : null;
  const stats = summarise(runs[0].connections, runs.reduce((a, r) => a + r.seconds, 0), latencies, runs.reduce((a, r) => a + r.errors, 0),
    runs.find((r) => r.errorSample)?.errorSample);
  const peak = Math.max(...runs.map((r) => r.rssPeak));
  return {
    ...stats,
    statementsPerRequest: statements.length ? round(statements.reduce((a, b) => a + b, 0) / statements.length, 2) : null,
    statementsMin: statements.length ? statements.reduce((a, b) => Math.min(a, b)) : null,
    statementsMax: statements.length ? statements.reduce((a, b) => Math.max(a, b)) : null,
    hubCpuMsPerRequest: cpu !== null && latencies.length ? round((cpu * 1000) / latencies.length, 2) : null,
    rssPeakMb: peak || null,
    rssAfterMb: runs[runs.length - 1].rssAfter,
  };
}

export async function runHub(url: string, req: HubRequest, connections: number, seconds: number, probe: HubProbe): Promise<HubRunStats> {
  return summariseHub([await driveHub(url, req, connections, seconds, probe)]);
}

/**
 * The floor: `connections` loops calling `call` back to back for `seconds`, over a pg Pool of the
 * hub's size, each call timed from start to last row. No HTTP, no GraphQL, no policy.
 */
export async function runFloor(pool: Pool, call: (pool: Pool, i: number) => Promise<unknown>, connections: number, seconds: number): Promise<RunStats> {
  let next = 0;
  const latencies: number[] = [];
  let errors = 0;
  let errorSample: string | undefined;
  const started = performance.now();
  const end = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        await call(pool, next++);
        latencies.push(performance.now() - t0);
      } catch (err) {
        errors++;
        errorSample ??= String(err);
        if (errors > 100) throw new Error(`floor query keeps failing: ${errorSample}`);
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return summarise(connections, (performance.now() - started) / 1000, latencies, errors, errorSample);
}
