import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import type { QueryLimits } from './graphql/limits';
import type { RateLimitSettings } from './http/rate-limit';
import type { Hj212Settings } from './modules/ingest';
import type { ObservationStorageSettings } from './modules/monitoring';

/**
 * Every setting of the hub, read from the environment once and validated at start.
 * This is the only module that reads `process.env`; everything else receives a `Config`.
 */
export interface Config {
  port: number;
  nodeEnv: 'development' | 'production' | 'test';
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** PostgreSQL connection string; absent means the embedded PGlite database. */
  databaseUrl?: string;
  /** Folder of the embedded database and the generated development secret. */
  dataDir: string;
  dbPoolSize: number;
  jwtSecret: string;
  /** True when the secret was generated for embedded/development use rather than configured. */
  jwtSecretGenerated: boolean;
  jwtIssuer?: string;
  jwtAudience?: string;
  /** Longest a token may be valid, `exp − iat` (HUB_JWT_MAX_LIFETIME_SECONDS). */
  jwtMaxLifetimeSeconds: number;
  /** How far a token's `iat` may lie ahead of the hub's clock (HUB_JWT_CLOCK_SKEW_SECONDS). */
  jwtClockSkewSeconds: number;
  /** Address the HTTP server listens on; absent means every interface (HUB_HOST). */
  host?: string;
  /** The hub's public base URL, for every absolute URI it publishes; absent in production until configured (HUB_PUBLIC_URL). */
  publicUrl?: string;
  /** Number of demo enterprises loaded on the first start of an empty embedded database (0 = none). */
  demoEnterprises: number;
  demoSeed: number;
  /** Whether unexpected errors keep their message and stack in responses. */
  exposeErrors: boolean;
  /** What one request may ask: depth, cost, aliases, root fields, batch, document bytes and tokens, expanded selections, directives (HUB_MAX_*). */
  limits: QueryLimits;
  /** Whether the schema answers introspection (GraphiQL needs it). */
  introspection: boolean;
  /** Token bucket per principal (HUB_RATE_LIMIT_PER_MINUTE = 0 turns it off). */
  rateLimit: RateLimitSettings;
  /** Redis for the cache and the rate limiter, shared by instances; absent means process memory. */
  redisUrl?: string;
  cache: CacheSettings;
  /** Browser origins allowed by CORS; empty means none in production, localhost in development. */
  corsOrigins: string[];
  /** Express `trust proxy`: which proxies' X-Forwarded-For/-Proto to believe (client IP for rate limits, TLS for HSTS). */
  trustProxy: boolean | number | string[];
  /** Bearer token /metrics asks for; absent means /metrics is open (keep it off the public network). */
  metricsToken?: string;
  /** Seconds between runs of the credit-listing expiry job (0 = off). */
  expiryIntervalSeconds: number;
  /** Seconds between runs of the positive-list expiry job (0 = off). */
  positiveListExpiryIntervalSeconds: number;
  /** TCP port of the HJ 212 data-logger listener; absent means off (HTTP ingest still works). */
  hj212Port?: number;
  /** Seconds between scheduled passes of the warning rules (0 = off); absent: the rules file's `evaluation.intervalSeconds`. */
  alertIntervalSeconds?: number;
  /** A warning-rules JSON file replacing the bundled src/modules/warning/data/warning-rules.json. */
  warningRulesFile?: string;
  /** Where events between instances travel: PostgreSQL LISTEN/NOTIFY, or Redis pub/sub with PostgreSQL as fallback (HUB_EVENT_BUS). */
  eventBus: 'postgres' | 'redis';
  /** The reviewed official-calendar file extending the chinese-days package's years (HUB_CALENDAR_FILE); absent: the package alone. */
  calendarFile?: string;
  /** Seconds between scheduled passes of the compliance-reminder rules (0 = off); absent: the rules file's `evaluation.intervalSeconds`. */
  reminderIntervalSeconds?: number;
  /** A reminder-rules JSON file replacing the bundled src/modules/reminders/data/reminder-rules.json. */
  reminderRulesFile?: string;
  /** Whether repeated read statements run as named prepared statements (off behind a transaction-pooling proxy). */
  preparedStatements: boolean;
  /**
   * How a read's audit rows are committed: `durable` waits for the WAL flush before the answer
   * leaves (no audited read is ever lost); `deferred` lets PostgreSQL flush within its WAL writer's
   * delay, so a database crash may lose the audit rows of the last fraction of a second of reads.
   */
  auditCommit: 'durable' | 'deferred';
  /** How operations are executed: compiled once per document by graphql-jit, or interpreted by graphql-js. */
  executor: 'jit' | 'graphql-js';
  /** HJ 212 defences: connection caps and incomplete-packet timeout of the listener, DataTime skew (HJ212_*). */
  hj212: Hj212Settings;
  /** Observation partitions made ahead and raw-data retention by dropping monthly partitions (HUB_OBSERVATION_*). */
  observationStorage: ObservationStorageSettings;
  /** Months of audit log kept before the current one; older months are dropped whole. Null (unset) keeps the log for ever (HUB_AUDIT_RETENTION_MONTHS, at least 12). */
  auditRetentionMonths: number | null;
  /** Live notifications over WebSocket (HUB_WS_*; src/graphql/subscriptions.ts). */
  subscriptions: SubscriptionSettings;
  /** Webhook delivery: polling, retries, timeout, batch size, and which URLs are refused (HUB_WEBHOOK_*; docs/webhooks.md). */
  webhooks: WebhookSettings;
}

/** How webhooks are delivered and which receiver URLs are accepted; every default fails closed. */
export interface WebhookSettings {
  /** Seconds between delivery passes of this instance (0 = this instance delivers nothing). */
  intervalSeconds: number;
  /** Attempts of one event (or one credit-feed batch) before it is marked failed. */
  maxAttempts: number;
  /** Seconds one POST may take, connection included. */
  timeoutSeconds: number;
  /** First retry delay; doubled per attempt up to `backoffMaxSeconds`, with jitter. */
  backoffBaseSeconds: number;
  backoffMaxSeconds: number;
  /** Alert events claimed per pass, and credit-feed entries per batch. */
  batchSize: number;
  /** Plain http:// receivers: only in development (NODE_ENV=development). */
  allowHttp: boolean;
  /**
   * Receivers on private, loopback or link-local addresses (HUB_WEBHOOK_ALLOW_PRIVATE, for tests and
   * a developer's own receiver; http:// is then accepted for those addresses only). Refused in production.
   */
  allowPrivate: boolean;
}

/** The WebSocket transport's caps; each has a default and an out-of-range value stops the hub. */
export interface SubscriptionSettings {
  /** Open WebSocket connections one principal (org and sub) may hold at once, on this instance. */
  maxConnectionsPerPrincipal: number;
  /** Subscriptions one connection may run at once. */
  maxSubscriptionsPerConnection: number;
  /** Events one subscription may have waiting before it is ended (a client that does not keep up). */
  maxPendingEvents: number;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function intVar(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

export interface CacheSettings {
  /** Prefix of every key in the store, so deployments (and test runs) can share one Redis. */
  namespace: string;
  /** Lifetime of a cached answer; 0 turns caching off. */
  ttlSeconds: number;
  /** Entries the in-memory store keeps (least recently used go first). */
  maxEntries: number;
}

function boolVar(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'yes', 'on'].includes(raw)) return true;
  if (['false', '0', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `expected true or false, got "${env[name]}"`);
}

function corsOrigins(env: Env): string[] {
  const raw = env.HUB_CORS_ORIGINS?.trim();
  if (!raw) return [];
  return raw.split(',').map((o) => o.trim()).filter(Boolean).map((o) => {
    if (o === '*') throw new ConfigError('HUB_CORS_ORIGINS', 'list the allowed origins; "*" is not accepted');
    let origin: string | undefined;
    try {
      const u = new URL(o);
      origin = /^https?:$/.test(u.protocol) ? u.origin : undefined;
    } catch {
      origin = undefined;
    }
    if (origin !== o) throw new ConfigError('HUB_CORS_ORIGINS', `each entry must be an origin like https://data.example.gov.cn (scheme, host, optional port, no path), got "${o}"`);
    return o;
  });
}

function trustProxy(env: Env): boolean | number | string[] {
  const raw = env.HUB_TRUST_PROXY?.trim();
  if (!raw || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return intVar(env, 'HUB_TRUST_PROXY', 0, 0, 10);
  return raw.split(',').map((e) => e.trim()).filter(Boolean).map((e) => {
    const [address, bits, ...rest] = e.split('/');
    const ok = ['loopback', 'linklocal', 'uniquelocal'].includes(e) || (isIP(address) !== 0 && rest.length === 0 && (bits === undefined || /^\d{1,3}$/.test(bits)));
    if (!ok) throw new ConfigError('HUB_TRUST_PROXY', `expected true, false, a number of hops, or addresses/CIDRs (or loopback, linklocal, uniquelocal), got "${e}"`);
    return e;
  });
}

/** The request limits, rate limit, cache and HTTP defences (README, "Limits and operations"). */
function defences(env: Env): Pick<Config, 'limits' | 'introspection' | 'rateLimit' | 'redisUrl' | 'cache' | 'corsOrigins' | 'trustProxy' | 'metricsToken'> {
  const redisUrl = env.REDIS_URL || undefined;
  if (redisUrl && !/^rediss?:\/\/[^/]/.test(redisUrl)) throw new ConfigError('REDIS_URL', `must start with redis:// or rediss://, got "${redisUrl}"`);
  const namespace = env.HUB_CACHE_NAMESPACE || 'eco-hub';
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(namespace)) throw new ConfigError('HUB_CACHE_NAMESPACE', `must be 1 to 64 letters, digits, "_", ".", ":" or "-", got "${namespace}"`);
  const metricsToken = env.HUB_METRICS_TOKEN || undefined;
  if (metricsToken && metricsToken.length < 16) throw new ConfigError('HUB_METRICS_TOKEN', 'must be at least 16 characters long');
  const maxBatch = intVar(env, 'HUB_MAX_BATCH', 1, 1, 100);
  if (maxBatch !== 1) {
    // Apollo runs a batch's operations on one shared request context, so on one audit trail.
    throw new ConfigError('HUB_MAX_BATCH', `batching is off in this version (a batch's operations would share one request context and audit trail); must be 1, got ${maxBatch}`);
  }
  const perMinute = intVar(env, 'HUB_RATE_LIMIT_PER_MINUTE', 600, 0, 1_000_000);
  return {
    limits: {
      maxDepth: intVar(env, 'HUB_MAX_DEPTH', 12, 1, 100),
      maxCost: intVar(env, 'HUB_MAX_COST', 25_000, 1, 100_000_000),
      maxAliases: intVar(env, 'HUB_MAX_ALIASES', 30, 0, 10_000),
      maxRootFields: intVar(env, 'HUB_MAX_ROOT_FIELDS', 20, 1, 1000),
      maxBatch,
      // express.json() accepts bodies up to 1 MB; the document must fit in one.
      maxQueryBytes: intVar(env, 'HUB_MAX_QUERY_BYTES', 32_768, 256, 1_000_000),
      // GraphiQL's introspection query is about 160 tokens, the largest example about 150.
      maxTokens: intVar(env, 'HUB_MAX_TOKENS', 5_000, 100, 1_000_000),
      // The examples expand to at most a few hundred selections; a fragment fan-out to 2^levels.
      maxSelections: intVar(env, 'HUB_MAX_SELECTIONS', 2_000, 10, 10_000_000),
      maxDirectives: intVar(env, 'HUB_MAX_DIRECTIVES', 50, 0, 10_000),
    },
    introspection: boolVar(env, 'HUB_INTROSPECTION', true),
    rateLimit: { perMinute, burst: intVar(env, 'HUB_RATE_LIMIT_BURST', 100, 1, 1_000_000) },
    redisUrl,
    cache: {
      namespace,
      ttlSeconds: intVar(env, 'HUB_CACHE_TTL_SECONDS', 300, 0, 86_400),
      maxEntries: intVar(env, 'HUB_CACHE_MAX_ENTRIES', 10_000, 100, 10_000_000),
    },
    corsOrigins: corsOrigins(env),
    trustProxy: trustProxy(env),
    metricsToken,
  };
}

/** The HJ 212 ingest defences (docs/hj212-ingest.md); the defaults match HJ212_DEFAULTS in the ingest module. */
/** Unset retention keeps raw observations for ever: losing data needs a deliberate setting. */
function webhookSettings(env: Env, nodeEnv: Config['nodeEnv']): WebhookSettings {
  const allowPrivate = boolVar(env, 'HUB_WEBHOOK_ALLOW_PRIVATE', false);
  if (allowPrivate && nodeEnv === 'production') throw new ConfigError('HUB_WEBHOOK_ALLOW_PRIVATE', 'is for tests and development only; a production hub never posts to private addresses');
  const backoffMaxSeconds = intVar(env, 'HUB_WEBHOOK_BACKOFF_MAX_SECONDS', 3600, 0, 86_400);
  const backoffBaseSeconds = intVar(env, 'HUB_WEBHOOK_BACKOFF_BASE_SECONDS', 10, 0, 3600);
  if (backoffBaseSeconds > backoffMaxSeconds) throw new ConfigError('HUB_WEBHOOK_BACKOFF_BASE_SECONDS', `must not exceed HUB_WEBHOOK_BACKOFF_MAX_SECONDS (${backoffMaxSeconds})`);
  return {
    intervalSeconds: intVar(env, 'HUB_WEBHOOK_INTERVAL_SECONDS', 5, 0, 3600),
    maxAttempts: intVar(env, 'HUB_WEBHOOK_MAX_ATTEMPTS', 8, 1, 100),
    timeoutSeconds: intVar(env, 'HUB_WEBHOOK_TIMEOUT_SECONDS', 10, 1, 120),
    backoffBaseSeconds,
    backoffMaxSeconds,
    batchSize: intVar(env, 'HUB_WEBHOOK_BATCH_SIZE', 100, 1, 1000),
    allowHttp: nodeEnv === 'development',
    allowPrivate,
  };
}

function observationStorageSettings(env: Env): ObservationStorageSettings {
  const retention = env.HUB_OBSERVATION_RETENTION_MONTHS;
  return {
    intervalSeconds: intVar(env, 'HUB_OBSERVATION_STORAGE_INTERVAL_SECONDS', 3600, 0, 7 * 86400),
    monthsAhead: intVar(env, 'HUB_OBSERVATION_MONTHS_AHEAD', 3, 1, 24),
    retentionMonths: retention === undefined || retention === '' ? null : intVar(env, 'HUB_OBSERVATION_RETENTION_MONTHS', 0, 1, 1200),
  };
}

function hj212Settings(env: Env): Hj212Settings {
  const maxConnections = intVar(env, 'HJ212_MAX_CONNECTIONS', 2000, 1, 100_000);
  const maxConnectionsPerAddress = intVar(env, 'HJ212_MAX_CONNECTIONS_PER_ADDRESS', 32, 1, 100_000);
  if (maxConnectionsPerAddress > maxConnections) {
    throw new ConfigError('HJ212_MAX_CONNECTIONS_PER_ADDRESS', `must not exceed HJ212_MAX_CONNECTIONS (${maxConnections}), got ${maxConnectionsPerAddress}`);
  }
  return {
    maxConnections,
    maxConnectionsPerAddress,
    packetTimeoutSeconds: intVar(env, 'HJ212_PACKET_TIMEOUT_SECONDS', 15, 1, 300),
    futureSkewSeconds: intVar(env, 'HJ212_FUTURE_SKEW_SECONDS', 600, 0, 86_400),
  };
}

/** A development secret kept in the data folder, so tokens minted by `npm run token` stay valid across restarts. */
function devSecret(dataDir: string): string {
  const file = path.join(dataDir, 'dev-jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

/**
 * The edge's settings (issue 10): how long tokens may live, where the hub listens, and the base
 * URL it publishes. Development and test listen on loopback only, so a hub with a generated secret,
 * stack traces and a playground token is never reachable from the network by default; production
 * listens on every interface, behind whatever the deployment puts in front of it.
 */
function edgeSettings(env: Env, nodeEnv: Config['nodeEnv'], port: number): Pick<Config, 'jwtMaxLifetimeSeconds' | 'jwtClockSkewSeconds' | 'host' | 'publicUrl'> {
  const host = env.HUB_HOST?.trim() || (nodeEnv === 'production' ? undefined : '127.0.0.1');
  if (host && isIP(host) === 0 && !/^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(host)) {
    throw new ConfigError('HUB_HOST', `expected an IP address (0.0.0.0 or :: for every interface) or a host name, got "${host}"`);
  }
  return {
    jwtMaxLifetimeSeconds: intVar(env, 'HUB_JWT_MAX_LIFETIME_SECONDS', 86_400, 60, 31_536_000),
    jwtClockSkewSeconds: intVar(env, 'HUB_JWT_CLOCK_SKEW_SECONDS', 60, 0, 600),
    host,
    publicUrl: publicUrl(env, nodeEnv, port),
  };
}

/** HUB_PUBLIC_URL without its trailing slash; in development and test `http://localhost:<PORT>` when unset. */
function publicUrl(env: Env, nodeEnv: Config['nodeEnv'], port: number): string | undefined {
  const raw = env.HUB_PUBLIC_URL?.trim();
  if (!raw) return nodeEnv === 'production' ? undefined : `http://localhost:${port}`;
  let u: URL | undefined;
  try {
    u = new URL(raw);
  } catch {
    u = undefined;
  }
  if (!u || !/^https?:$/.test(u.protocol) || u.username || u.password || u.search || u.hash || raw.includes('?') || raw.includes('#')) {
    throw new ConfigError('HUB_PUBLIC_URL', `expected the hub's public base URL like https://data.example.gov.cn or https://example.gov.cn/eco-hub (http or https, no credentials, query or fragment), got "${raw}"`);
  }
  return `${u.origin}${u.pathname}`.replace(/\/+$/, '');
}

/** HUB_EVENT_BUS: `redis` needs REDIS_URL (a bus on nothing would silently not cross instances). */
function eventBusSetting(env: Env): 'postgres' | 'redis' {
  const bus = oneOf(env, 'HUB_EVENT_BUS', ['postgres', 'redis'] as const, 'postgres');
  if (bus === 'redis' && !env.REDIS_URL) throw new ConfigError('HUB_EVENT_BUS', 'redis needs REDIS_URL');
  return bus;
}

/**
 * Reads and validates every setting. Without NODE_ENV, a hub on PostgreSQL (DATABASE_URL) is a
 * production hub: configured secret, no stack traces, no playground token, every interface. Only
 * the embedded database defaults to development, the mode of `npm start` on a fresh machine.
 */
export function loadConfig(env: Env = process.env): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must start with postgres:// or postgresql://');
  }
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'production', 'test'] as const, databaseUrl ? 'production' : 'development');
  const port = intVar(env, 'PORT', 4000, 0, 65535);
  const dataDir = path.resolve(env.HUB_DATA_DIR || './.data');
  const embedded = !databaseUrl;
  let jwtSecret = env.HUB_JWT_SECRET || '';
  let jwtSecretGenerated = false;
  if (!jwtSecret) {
    // Only the embedded or development hub may run on a generated secret.
    if (nodeEnv === 'production' || (!embedded && nodeEnv !== 'development')) {
      throw new ConfigError('HUB_JWT_SECRET', env.NODE_ENV
        ? `is required when NODE_ENV=${nodeEnv}${embedded ? '' : ' with DATABASE_URL set'}`
        : 'is required on PostgreSQL: with DATABASE_URL set and NODE_ENV unset the hub runs as production (NODE_ENV=development allows a generated secret, on a machine of your own)');
    }
    jwtSecret = devSecret(dataDir);
    jwtSecretGenerated = true;
  } else if (Buffer.byteLength(jwtSecret) < 32) {
    throw new ConfigError('HUB_JWT_SECRET', 'must be at least 32 bytes long for HS256');
  }
  return {
    port,
    nodeEnv,
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    databaseUrl,
    dataDir,
    dbPoolSize: intVar(env, 'DB_POOL_SIZE', 10, 1, 200),
    jwtSecret,
    jwtSecretGenerated,
    jwtIssuer: env.HUB_JWT_ISSUER || undefined,
    jwtAudience: env.HUB_JWT_AUDIENCE || undefined,
    ...edgeSettings(env, nodeEnv, port),
    demoEnterprises: intVar(env, 'HUB_DEMO_ENTERPRISES', 2000, 0, 1_000_000),
    demoSeed: intVar(env, 'HUB_DEMO_SEED', 20201019, 0, 2 ** 31 - 1),
    exposeErrors: nodeEnv === 'development',
    ...defences(env),
    expiryIntervalSeconds: intVar(env, 'HUB_EXPIRY_INTERVAL_SECONDS', 300, 0, 7 * 86400),
    positiveListExpiryIntervalSeconds: intVar(env, 'HUB_POSITIVE_LIST_EXPIRY_INTERVAL_SECONDS', 3600, 0, 7 * 86400),
    hj212Port: env.HJ212_PORT ? intVar(env, 'HJ212_PORT', 0, 1, 65535) : undefined,
    alertIntervalSeconds: env.HUB_ALERT_INTERVAL_SECONDS ? intVar(env, 'HUB_ALERT_INTERVAL_SECONDS', 0, 0, 86_400) : undefined,
    warningRulesFile: env.HUB_WARNING_RULES_FILE || undefined,
    calendarFile: env.HUB_CALENDAR_FILE || undefined,
    eventBus: eventBusSetting(env),
    reminderIntervalSeconds: env.HUB_REMINDER_INTERVAL_SECONDS ? intVar(env, 'HUB_REMINDER_INTERVAL_SECONDS', 0, 0, 86_400) : undefined,
    reminderRulesFile: env.HUB_REMINDER_RULES_FILE || undefined,
    hj212: hj212Settings(env),
    observationStorage: observationStorageSettings(env),
    auditRetentionMonths: env.HUB_AUDIT_RETENTION_MONTHS === undefined || env.HUB_AUDIT_RETENTION_MONTHS === '' ? null : intVar(env, 'HUB_AUDIT_RETENTION_MONTHS', 0, 12, 1200),
    executor: oneOf(env, 'HUB_EXECUTOR', ['jit', 'graphql-js'] as const, 'jit'),
    preparedStatements: boolVar(env, 'HUB_PREPARED_STATEMENTS', true),
    auditCommit: oneOf(env, 'HUB_AUDIT_COMMIT', ['durable', 'deferred'] as const, 'durable'),
    subscriptions: {
      maxConnectionsPerPrincipal: intVar(env, 'HUB_WS_MAX_CONNECTIONS_PER_PRINCIPAL', 5, 1, 1000),
      maxSubscriptionsPerConnection: intVar(env, 'HUB_WS_MAX_SUBSCRIPTIONS_PER_CONNECTION', 20, 1, 1000),
      maxPendingEvents: intVar(env, 'HUB_WS_MAX_PENDING_EVENTS', 1000, 1, 100_000),
    },
    webhooks: webhookSettings(env, nodeEnv),
  };
}
