import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

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
  /** Number of demo enterprises loaded on the first start of an empty embedded database (0 = none). */
  demoEnterprises: number;
  demoSeed: number;
  /** Whether unexpected errors keep their message and stack in responses. */
  exposeErrors: boolean;
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

/** A development secret kept in the data folder, so tokens minted by `npm run token` stay valid across restarts. */
function devSecret(dataDir: string): string {
  const file = path.join(dataDir, 'dev-jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must start with postgres:// or postgresql://');
  }
  const dataDir = path.resolve(env.HUB_DATA_DIR || './.data');
  const embedded = !databaseUrl;
  let jwtSecret = env.HUB_JWT_SECRET || '';
  let jwtSecretGenerated = false;
  if (!jwtSecret) {
    // Only the embedded or development hub may run on a generated secret.
    if (nodeEnv === 'production' || (!embedded && nodeEnv !== 'development')) {
      throw new ConfigError('HUB_JWT_SECRET', `is required when NODE_ENV=${nodeEnv}${embedded ? '' : ' with DATABASE_URL set'}`);
    }
    jwtSecret = devSecret(dataDir);
    jwtSecretGenerated = true;
  } else if (Buffer.byteLength(jwtSecret) < 32) {
    throw new ConfigError('HUB_JWT_SECRET', 'must be at least 32 bytes long for HS256');
  }
  return {
    port: intVar(env, 'PORT', 4000, 0, 65535),
    nodeEnv,
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    databaseUrl,
    dataDir,
    dbPoolSize: intVar(env, 'DB_POOL_SIZE', 10, 1, 200),
    jwtSecret,
    jwtSecretGenerated,
    jwtIssuer: env.HUB_JWT_ISSUER || undefined,
    jwtAudience: env.HUB_JWT_AUDIENCE || undefined,
    demoEnterprises: intVar(env, 'HUB_DEMO_ENTERPRISES', 2000, 0, 1_000_000),
    demoSeed: intVar(env, 'HUB_DEMO_SEED', 20201019, 0, 2 ** 31 - 1),
    exposeErrors: nodeEnv === 'development',
  };
}
