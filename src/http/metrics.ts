import { timingSafeEqual } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Request, Response } from 'express';
import { DocumentNode, Kind, OperationDefinitionNode } from 'graphql';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { CacheOutcome } from '../cache/cache';
import type { SqlStats } from '../db/sql-stats';
import type { HubContext } from '../graphql/context';
import { currentRequest } from './request-log';
import { ErrorCode } from '../graphql/errors';
import { sendError } from './send-error';

/** The pg pool's own counters (pg.Pool), read when /metrics is scraped. */
interface PoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Distinct operation names kept as labels; names beyond are counted as `(other)`, so clients cannot grow the series without bound. */
const MAX_OPERATION_LABELS = 200;
/** Routes whose SQL is the request's work (not probes or the playground's page). */
const SQL_ROUTES = new Set(['/graphql', '/catalog/dcat.jsonld', '/feeds/credit.ndjson']);
const ROUTES = new Set(['/graphql', '/catalog/dcat.jsonld', '/feeds/credit.ndjson', '/ingest/hj212', '/healthz', '/readyz', '/metrics']);

/** QnRtn codes of a refused HJ 212 packet, by the name the reason label carries. */
const QN_RTN_REASONS: Readonly<Record<number, string>> = {
  2: 'rejected', 3: 'pw_error', 4: 'mn_error', 5: 'st_error', 6: 'flag_error', 7: 'qn_error', 8: 'cn_error', 9: 'crc_error', 100: 'unknown_error',
};

/** The route label of a path: the hub's routes by name, the playground as one, everything else `other`. */
export function routeLabel(path: string): string {
  if (ROUTES.has(path)) return path;
  if (path === '/playground' || path.startsWith('/playground/')) return '/playground';
  return 'other';
}

/** Where the metrics read what they do not count themselves (pool, store), and whether to add process metrics. */
export interface MetricsOptions {
  ds?: DataSource;
  /** Whether the cache store is up (1) or not (0), read at scrape time. */
  storeUp?: () => boolean;
  /** Adds Node's process metrics (CPU, memory, event loop, GC). */
  processMetrics?: boolean;
}

/**
 * The hub's Prometheus metrics, in a registry of its own (not prom-client's global one), so
 * several hubs in one process (the tests) do not collide. Operation names are labels only when
 * they look like names, and only the first `MAX_OPERATION_LABELS` of them.
 */
export class HubMetrics {
  readonly registry = new Registry();
  private readonly operationNames = new Set<string>();

  readonly httpRequests = new Counter({ name: 'hub_http_requests_total', help: 'HTTP requests by method, route and status.', labelNames: ['method', 'route', 'status'] as const, registers: [this.registry] });
  readonly httpDuration = new Histogram({
    name: 'hub_http_request_duration_seconds', help: 'HTTP request latency by route.', labelNames: ['route'] as const, registers: [this.registry],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
  readonly operations = new Counter({ name: 'hub_graphql_operations_total', help: 'GraphQL operations by operation name and outcome (ok, error).', labelNames: ['operation', 'outcome'] as const, registers: [this.registry] });
  readonly operationDuration = new Histogram({
    name: 'hub_graphql_operation_duration_seconds', help: 'GraphQL operation latency by operation name and outcome.', labelNames: ['operation', 'outcome'] as const, registers: [this.registry],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
  readonly errors = new Counter({ name: 'hub_errors_total', help: 'Errors returned to clients, by extensions.code.', labelNames: ['code'] as const, registers: [this.registry] });
  readonly sqlStatements = new Histogram({
    name: 'hub_sql_statements_per_request', help: 'SQL statements one HTTP request ran.', registers: [this.registry], buckets: [0, 1, 2, 3, 5, 8, 13, 21, 50, 100],
  });
  readonly sqlSeconds = new Histogram({
    name: 'hub_sql_seconds_per_request', help: 'Time the database spent on one HTTP request\'s statements.', registers: [this.registry],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
  });
  readonly cache = new Counter({ name: 'hub_cache_lookups_total', help: 'Cache lookups by area and outcome (hit, miss, bypass = store unavailable).', labelNames: ['area', 'outcome'] as const, registers: [this.registry] });
  readonly rateLimited = new Counter({ name: 'hub_rate_limited_total', help: 'Requests refused with 429 by the rate limiter.', registers: [this.registry] });
  readonly hj212Packets = new Counter({
    name: 'hub_hj212_packets_total', help: 'HJ 212 packets by transport (http, tcp), outcome (stored, acknowledged, rejected) and the reason of a rejection (its QnRtn; "none" otherwise).',
    labelNames: ['transport', 'outcome', 'reason'] as const, registers: [this.registry],
  });
  readonly alertJobLastSuccess = new Gauge({
    name: 'hub_alert_job_last_success_timestamp_seconds', help: 'When this instance\'s scheduled pass of the warning rules last finished without error (Unix seconds; 0 before the first).', registers: [this.registry],
  });
  readonly reminderJobLastSuccess = new Gauge({
    name: 'hub_reminder_job_last_success_timestamp_seconds', help: 'When this instance\'s scheduled pass of the compliance-reminder rules last finished without error (Unix seconds; 0 before the first).', registers: [this.registry],
  });
  readonly remindersCreated = new Counter({ name: 'hub_reminders_created_total', help: 'Compliance reminders filed by this instance, by kind.', labelNames: ['kind'] as const, registers: [this.registry] });
  readonly alertsRaised = new Counter({ name: 'hub_alerts_raised_total', help: 'Early-warning alerts raised by this instance, by kind and level.', labelNames: ['kind', 'level'] as const, registers: [this.registry] });
  readonly webhookDeliveries = new Counter({
    name: 'hub_webhook_deliveries_total', help: 'Webhook delivery attempts by topic and outcome (delivered, retrying, failed = out of attempts).', labelNames: ['topic', 'outcome'] as const, registers: [this.registry],
  });
  readonly webhookFailures = new Counter({
    name: 'hub_webhook_delivery_failures_total', help: 'Failed webhook delivery attempts by topic and reason (status = a non-2xx answer, timeout, network, forbidden_address).', labelNames: ['topic', 'reason'] as const, registers: [this.registry],
  });
  readonly rateLimitBypass = new Counter({ name: 'hub_rate_limit_bypassed_total', help: 'Requests served unlimited because the rate limit store did not answer.', registers: [this.registry] });

  /** Days left in the official calendar (set by createHub from the hub's clock); the gauge is empty until set. */
  calendarDaysLeft: (() => number) | undefined;

  constructor(opts: MetricsOptions = {}) {
    const { ds, storeUp } = opts;
    const calendarDaysLeft = () => this.calendarDaysLeft?.();
    new Gauge({
      name: 'hub_official_calendar_days_left',
      help: 'Calendar days from today (China, the hub\'s clock) to the last day of the official holiday calendar; working-day deadlines beyond it are refused. Alert below 30.',
      registers: [this.registry],
      collect() {
        const n = calendarDaysLeft();
        if (n !== undefined) this.set(n);
      },
    });
    new Gauge({
      name: 'hub_db_pool_connections', help: 'Database pool connections: total, idle, and requests waiting for one.', labelNames: ['state'] as const, registers: [this.registry],
      collect() {
        const pool = poolOf(ds);
        if (!pool) return;
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
    if (storeUp) {
      new Gauge({
        name: 'hub_cache_store_up', help: '1 when the cache and rate-limit store answers, 0 while the hub serves without it.', registers: [this.registry],
        collect() {
          this.set(storeUp() ? 1 : 0);
        },
      });
    }
    if (ds) {
      // Read at scrape time from the tables, so every instance reports the same figures.
      new Gauge({
        name: 'hub_alert_evaluation_lag_seconds',
        help: 'How far the warning rules are behind the newest observation: the largest gap, over stations, between a station\'s newest observation and the time its rules were evaluated through (a station never evaluated counts from its first observation).',
        registers: [this.registry],
        async collect() {
          const [r] = await ds.query(
            `SELECT coalesce(max(extract(epoch FROM n.newest - coalesce(e.evaluated_through, f.oldest))), 0)::float8 AS lag FROM monitoring_station s
             CROSS JOIN LATERAL (SELECT o.observed_at AS newest FROM observation o WHERE o.station_id = s.id ORDER BY o.observed_at DESC LIMIT 1) n
             CROSS JOIN LATERAL (SELECT o.observed_at AS oldest FROM observation o WHERE o.station_id = s.id ORDER BY o.observed_at LIMIT 1) f
             LEFT JOIN alert_evaluation e ON e.station_id = s.id`).catch(() => [{ lag: null }]);
          if (r?.lag !== null && r?.lag !== undefined) this.set(Math.max(0, Number(r.lag)));
        },
      });
      new Gauge({
        name: 'hub_webhook_outbox_pending', help: 'Alert events waiting in the webhook outbox (all instances), by topic; the credit feed\'s waiting entries are in hub_webhook_feed_pending_entries.', labelNames: ['topic'] as const, registers: [this.registry],
        async collect() {
          this.reset();
          const rows: Array<{ topic: string; n: number }> = await ds.query(
            `SELECT topic, count(*)::int AS n FROM webhook_outbox WHERE state = 'PENDING' GROUP BY topic`).catch(() => []);
          for (const r of rows) this.set({ topic: r.topic }, r.n);
        },
      });
      new Gauge({
        name: 'hub_webhook_feed_pending_entries', help: 'Credit changes committed after the acknowledged cursor of the active CREDIT_FEED webhooks, summed (before their filters).', registers: [this.registry],
        async collect() {
          const [r] = await ds.query(
            `SELECT coalesce(sum((SELECT count(*) FROM change_log c WHERE c.record_type = 'CREDIT_RECORD' AND c.seq > w.feed_cursor)), 0)::int AS n
             FROM webhook w WHERE w.status = 'ACTIVE' AND 'CREDIT_FEED' = ANY(w.topics)`).catch(() => [{ n: null }]);
          if (r?.n !== null && r?.n !== undefined) this.set(Number(r.n));
        },
      });
      new Gauge({
        name: 'hub_alerts_overdue', help: 'Unresolved alerts past their verification deadline, by kind.', labelNames: ['kind'] as const, registers: [this.registry],
        async collect() {
          this.reset();
          const rows: Array<{ kind: string; n: number }> = await ds.query(
            `SELECT kind, count(*)::int AS n FROM alert WHERE status <> 'RESOLVED' AND due_at < now() GROUP BY kind`).catch(() => []);
          for (const r of rows) this.set({ kind: r.kind }, r.n);
        },
      });
    }
    if (opts.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** Counts one HJ 212 packet's outcome (the ingest's hook). */
  hj212Packet = (outcome: { status: string; qnRtn?: number }, transport: string): void => {
    const reason = outcome.status === 'rejected' ? QN_RTN_REASONS[outcome.qnRtn ?? 100] ?? 'unknown_error' : 'none';
    this.hj212Packets.inc({ transport, outcome: outcome.status, reason });
  };

  /** Counts one alert raised (the warning rules' observer). */
  alertRaised = (kind: string, level: string): void => {
    this.alertsRaised.inc({ kind, level });
  };

  /** Counts one webhook delivery attempt (the delivery worker's observer). */
  webhookAttempt = (topic: string, outcome: string, reason: string | null): void => {
    this.webhookDeliveries.inc({ topic, outcome });
    if (reason) this.webhookFailures.inc({ topic, reason });
  };

  /** Counts one compliance reminder filed (the reminder rules' observer). */
  reminderCreated = (kind: string): void => {
    this.remindersCreated.inc({ kind });
  };

  /** The label for an operation name (see the class comment). */
  operationLabel(name: string | null | undefined): string {
    if (!name) return '(anonymous)';
    if (!OPERATION_NAME.test(name)) return '(invalid)';
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= MAX_OPERATION_LABELS) return '(other)';
    this.operationNames.add(name);
    return name;
  }

  /** Records one finished HTTP request (called by the request log). */
  observeHttp = (method: string, path: string, status: number, seconds: number, sql: SqlStats | undefined): void => {
    const route = routeLabel(path);
    this.httpRequests.inc({ method, route, status: String(status) });
    this.httpDuration.observe({ route }, seconds);
    if (sql && SQL_ROUTES.has(route)) {
      this.sqlStatements.observe(sql.statements);
      this.sqlSeconds.observe((sql.ms ?? 0) / 1000);
    }
  };

  cacheOutcome = (area: string, outcome: CacheOutcome): void => {
    this.cache.inc({ area, outcome });
  };

  /** Per-operation counts, latency and error codes, and the operation name for the request log. */
  plugin(): ApolloServerPlugin<HubContext> {
    const metrics = this;
    return {
      async requestDidStart({ request }) {
        const started = process.hrtime.bigint();
        let operation = request.operationName ?? null;
        return {
          async didResolveOperation({ operationName }) {
            operation = operationName ?? null;
          },
          async willSendResponse({ response, document }) {
            // Refused before the operation was chosen (validation): name it from the document when it holds one.
            operation ??= singleOperationName(document);
            const errors = response.body.kind === 'single' ? response.body.singleResult.errors ?? [] : [];
            const outcome = errors.length ? 'error' : 'ok';
            const label = metrics.operationLabel(operation);
            const seconds = Number(process.hrtime.bigint() - started) / 1e9;
            metrics.operations.inc({ operation: label, outcome });
            metrics.operationDuration.observe({ operation: label, outcome }, seconds);
            for (const e of errors) metrics.errors.inc({ code: String(e.extensions?.code ?? 'UNKNOWN') });
            const info = currentRequest();
            if (info) info.operationName = operation ?? undefined;
          },
        };
      },
    };
  }

  /**
   * GET /metrics in the Prometheus text format. With a token configured, the scraper must send it
   * as a bearer token: operation names and error rates are not for everyone.
   */
  handler(token?: string) {
    const expected = token ? Buffer.from(`Bearer ${token}`) : undefined;
    return async (req: Request, res: Response): Promise<void> => {
      if (expected) {
        const given = Buffer.from(req.headers.authorization ?? '');
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
          sendError(res, 401, ErrorCode.UNAUTHENTICATED, 'the metrics need the configured metrics token as a bearer token');
          return;
        }
      }
      res.setHeader('Content-Type', this.registry.contentType);
      res.send(await this.registry.metrics());
    };
  }
}

function singleOperationName(document: DocumentNode | undefined): string | null {
  const ops = document?.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION) ?? [];
  return ops.length === 1 ? ops[0].name?.value ?? null : null;
}

function poolOf(ds: DataSource | undefined): PoolCounts | undefined {
  const pool = (ds?.driver as unknown as { master?: Partial<PoolCounts> } | undefined)?.master;
  if (!pool || typeof pool.totalCount !== 'number') return undefined;
  return pool as PoolCounts;
}
