import { mintToken, Role } from '../src/auth/principal';
import { Jurisdiction } from '../src/domain/jurisdictions';
import { percentile } from './load';
import { CREDIT_PLATFORM, operations, SampleKeys, ZONE_READER } from './operations';
import { WriteAttempt, WriteLedger } from './write-ledger';

/**
 * The mixed workload: concurrent clients, each sending one request after another, the operation
 * drawn by weight for every request: dossiers, 100-enterprise lists, catalog searches, credit-feed
 * pages, water assessments and (when the hub has them) upserts that go into the write ledger.
 * `npm run load` runs it against a hub it starts; the fault tests run it while they break things.
 */

export type OperationName = 'dossier' | 'list' | 'catalog' | 'feed' | 'water' | 'write';

/** Share of requests per operation (they need not add up to anything). */
export const DEFAULT_WEIGHTS: Record<OperationName, number> = { dossier: 30, list: 10, catalog: 15, feed: 10, water: 10, write: 25 };

/** What one request came to. */
export interface RequestResult {
  op: OperationName;
  /** HTTP status, or 0 when no answer came (refused, reset, timed out). */
  status: number;
  /** The error codes of the answer (extensions.code, or HTTP_<status>, NETWORK, TIMEOUT); empty when it succeeded. */
  codes: string[];
  ms: number;
  /** When the request was sent (performance.now()). */
  startedAt: number;
  /** The body when the request failed, for the fault tests' checks; not kept for successes. */
  text?: string;
}

export interface LatencySummary {
  requests: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  rps: number;
}

export interface MixedRunResult {
  clients: number;
  seconds: number;
  requests: number;
  /** Requests with at least one error, by code (a request with two codes counts under both). */
  errorsByCode: Record<string, number>;
  failedRequests: number;
  overall: LatencySummary;
  byOperation: Partial<Record<OperationName, LatencySummary>>;
  /** First few failures with their bodies, to tell a broken query from an outage. */
  samples: string[];
}

export interface MixedRunOptions {
  url: string;
  secret: string;
  keys: SampleKeys;
  clients: number;
  seconds: number;
  /** Absent: no writes (the hub has no upsert mutations, or they are not wanted). */
  ledger?: WriteLedger;
  weights?: Partial<Record<OperationName, number>>;
  seed?: number;
  /** Per-request time limit in ms (30 s by default). */
  timeoutMs?: number;
  /** Called for every request as it completes. */
  onResult?: (r: RequestResult) => void;
  /** Stops the clients early (they finish the request in flight). */
  signal?: AbortSignal;
}

/** One request about to be sent: its body, who sends it, and the ledger entry of a write. */
interface Planned {
  body: string;
  token: string;
  purpose?: string;
  attempt?: WriteAttempt;
}

/** A small seeded PRNG (mulberry32): every client draws its own reproducible sequence of operations. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FEED_PAGE = `query FeedPage($after: String) {
  creditFeed(after: $after, first: 100) {
    endCursor hasMore
    entries { cursor op uscc jurisdiction recordNo at evaluation { scheme level year } listing { decisionNo listedAt validUntil removedOn } }
  }
}`;

/** The Wujiang data steward who writes (with DOSSIER_READER so the write result can show the record). */
const STEWARD = { sub: 'load-wujiang-steward', org: 'WUJIANG-EEB', jurisdiction: Jurisdiction.WUJIANG, roles: [Role.DATA_STEWARD, Role.DOSSIER_READER] };

export function summarise(latencies: number[], errors: number, seconds: number): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  const r = (v: number) => Math.round(v * 10) / 10;
  return {
    requests: sorted.length,
    errors,
    p50: r(percentile(sorted, 50)),
    p95: r(percentile(sorted, 95)),
    p99: r(percentile(sorted, 99)),
    max: r(sorted[sorted.length - 1] ?? NaN),
    rps: r(sorted.length / seconds),
  };
}

/** The codes of a GraphQL answer: one per error (deduplicated), HTTP_<status> for a failure without any. */
export function errorCodes(status: number, text: string): { codes: string[]; body: unknown } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const errors = (body as { errors?: Array<{ extensions?: { code?: unknown } }> } | undefined)?.errors ?? [];
  const codes = [...new Set(errors.map((e) => (typeof e.extensions?.code === 'string' ? e.extensions.code : 'NO_CODE')))];
  if (codes.length === 0 && status !== 200) codes.push(`HTTP_${status}`);
  return { codes, body };
}

/** Runs the mixed workload until `seconds` pass (or `signal` aborts) and summarises what came back. */
export async function runMixed(o: MixedRunOptions): Promise<MixedRunResult> {
  const weights = { ...DEFAULT_WEIGHTS, ...o.weights };
  if (!o.ledger) weights.write = 0;
  const table = (Object.entries(weights) as Array<[OperationName, number]>).filter(([, w]) => w > 0);
  const totalWeight = table.reduce((s, [, w]) => s + w, 0);
  const reads = new Map(operations(o.keys).map((op) => [op.id, op]));
  const need = (id: string) => {
    const op = reads.get(id);
    if (!op) throw new Error(`bench/operations.ts has no "${id}" operation`);
    return op;
  };
  const ops = { dossier: need('dossier'), list: need('list-zone'), catalog: need('catalog'), water: need('water') };
  const tokens = {
    wujiang: await mintToken({ secret: o.secret }, ops.dossier.principal.claims, '2h'),
    zone: await mintToken({ secret: o.secret }, ZONE_READER.claims, '2h'),
    credit: await mintToken({ secret: o.secret }, CREDIT_PLATFORM.claims, '2h'),
    steward: await mintToken({ secret: o.secret }, STEWARD, '2h'),
  };

  const latencies = new Map<OperationName, number[]>();
  const failures = new Map<OperationName, number>();
  const errorsByCode: Record<string, number> = {};
  const samples: string[] = [];
  let failedRequests = 0;
  const started = performance.now();
  const deadline = started + o.seconds * 1000;
  const timeoutMs = o.timeoutMs ?? 30_000;

  const plan = (op: OperationName, i: number, index: number, random: () => number, feedCursor: string | null): Planned => {
    switch (op) {
      case 'dossier':
        return { body: ops.dossier.body(i), token: tokens.wujiang, purpose: ops.dossier.principal.purpose };
      case 'list':
        return { body: ops.list.body(i), token: tokens.zone, purpose: ops.list.principal.purpose };
      case 'catalog':
        return { body: ops.catalog.body(i), token: tokens.wujiang };
      case 'water':
        return { body: ops.water.body(i), token: tokens.wujiang };
      case 'feed':
        return { body: JSON.stringify({ query: FEED_PAGE, variables: { after: feedCursor } }), token: tokens.credit };
      case 'write': {
        const w = o.ledger!.next(index, random);
        return { body: w.body, token: tokens.steward, attempt: w.attempt };
      }
    }
  };

  const client = async (index: number): Promise<void> => {
    const random = mulberry32((o.seed ?? 20201019) * 977 + index);
    let feedCursor: string | null = null;
    let i = index * 7919;
    while (performance.now() < deadline && !o.signal?.aborted) {
      i++;
      let pick = random() * totalWeight;
      const op = table.find(([, w]) => (pick -= w) < 0)?.[0] ?? table[0][0];
      const { body, token, purpose, attempt } = plan(op, i, index, random, feedCursor);
      const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
      if (purpose) headers['x-purpose'] = purpose;
      const t0 = performance.now();
      let result: RequestResult;
      try {
        const res = await fetch(`${o.url}/graphql`, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
        const text = await res.text();
        const { codes, body: answer } = errorCodes(res.status, text);
        if (attempt && codes.length === 0) {
          const rejected = o.ledger!.answer(attempt, answer);
          if (rejected) codes.push(rejected);
        }
        if (op === 'feed' && codes.length === 0) {
          const page = (answer as { data?: { creditFeed?: { endCursor: string; hasMore: boolean } } }).data?.creditFeed;
          // Walk the feed to its end, then start over: every page is a real resume from a cursor.
          feedCursor = page?.hasMore ? page.endCursor : null;
        }
        result = { op, status: res.status, codes, ms: performance.now() - t0, startedAt: t0, ...(codes.length ? { text } : {}) };
      } catch (err) {
        const name = (err as Error).name;
        const code = name === 'TimeoutError' || name === 'AbortError' ? 'TIMEOUT' : 'NETWORK';
        result = { op, status: 0, codes: [code], ms: performance.now() - t0, startedAt: t0, text: String((err as Error).cause ?? err) };
      }
      (latencies.get(op) ?? latencies.set(op, []).get(op)!).push(result.ms);
      if (result.codes.length) {
        failedRequests++;
        failures.set(op, (failures.get(op) ?? 0) + 1);
        for (const c of result.codes) errorsByCode[c] = (errorsByCode[c] ?? 0) + 1;
        if (samples.length < 5) samples.push(`${op}: HTTP ${result.status} ${result.codes.join(',')} ${(result.text ?? '').slice(0, 300)}`);
      }
      o.onResult?.(result);
    }
  };

  await Promise.all(Array.from({ length: o.clients }, (_, k) => client(k)));
  const seconds = (performance.now() - started) / 1000;
  const all = [...latencies.values()].flat();
  const byOperation: Partial<Record<OperationName, LatencySummary>> = {};
  for (const [op, l] of latencies) byOperation[op] = summarise(l, failures.get(op) ?? 0, seconds);
  return {
    clients: o.clients,
    seconds: Math.round(seconds * 10) / 10,
    requests: all.length,
    errorsByCode,
    failedRequests,
    overall: summarise(all, failedRequests, seconds),
    byOperation,
    samples,
  };
}
