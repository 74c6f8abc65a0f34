import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { mintToken, Role } from '../../src/auth/principal';
import { Config, loadConfig } from '../../src/config';
import { Db } from '../../src/db/datasource';
import { Jurisdiction } from '../../src/domain/jurisdictions';
import { createLogger } from '../../src/logger';
import { createHub, Hub } from '../../src/server';
import { cloneDatabase, TemplateName } from './templates';

export const TEST_SECRET = 'test-secret-for-eco-hub-0123456789abcdef';

export interface GqlOptions {
  token?: string;
  purpose?: string;
  headers?: Record<string, string>;
}

export interface GqlResponse {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- responses are asserted field by field
  body: any;
  headers: Record<string, string>;
  /** SQL statements the hub ran for the request. */
  statements: number;
}

export interface TestHub {
  db: Db;
  hub: Hub;
  config: Config;
  token(jurisdiction: Jurisdiction | string, roles: Array<Role | string>, extra?: { sub?: string; org?: string; expiresIn?: string | number; secret?: string }): Promise<string>;
  gql(query: string, variables?: Record<string, unknown>, opts?: GqlOptions): Promise<GqlResponse>;
  close(): Promise<void>;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    HUB_JWT_SECRET: TEST_SECRET,
    HUB_DATA_DIR: path.join(os.tmpdir(), 'eco-hub-test-data'),
    // Tests fire requests faster than any client may; the limiter has its own tests (rate-limit.test.ts).
    HUB_RATE_LIMIT_PER_MINUTE: '0',
    ...overrides,
  });
}

/** A hub on a fresh clone of a template database, driven through HTTP with supertest. */
export async function startTestHub(template: TemplateName = 'demo', overrides: Record<string, string> = {}, opts: { clock?: () => Date } = {}): Promise<TestHub> {
  const db = await cloneDatabase(template);
  const config = testConfig(overrides);
  const hub = await createHub(config, db.ds, createLogger(config), { pglite: db.pglite, clock: opts.clock });
  return {
    db,
    hub,
    config,
    token: (jurisdiction, roles, extra = {}) =>
      // Within the hub's lifetime cap (mintToken refuses more); tests of over-long tokens sign their own.
      mintToken(
        { secret: extra.secret ?? config.jwtSecret, maxLifetimeSeconds: config.jwtMaxLifetimeSeconds },
        { sub: extra.sub ?? `test-${String(jurisdiction).toLowerCase()}`, org: extra.org ?? `${jurisdiction}-EEB`, jurisdiction: jurisdiction as Jurisdiction, roles: roles as Role[] },
        extra.expiresIn ?? '1h',
      ),
    async gql(query, variables, opts = {}) {
      let req = request(hub.app).post('/graphql').set('content-type', 'application/json');
      if (opts.token) req = req.set('authorization', `Bearer ${opts.token}`);
      if (opts.purpose) req = req.set('x-purpose', opts.purpose);
      for (const [k, v] of Object.entries(opts.headers ?? {})) req = req.set(k, v);
      const res = await req.send({ query, variables });
      return { status: res.status, body: res.body, headers: res.headers as Record<string, string>, statements: Number(res.headers['x-sql-statements'] ?? NaN) };
    },
    async close() {
      await hub.stop();
      await db.close();
    },
  };
}
