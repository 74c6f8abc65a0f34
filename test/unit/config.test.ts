import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, readFileSync } from 'node:fs';
import { ConfigError, loadConfig } from '../../src/config';

describe('config', () => {
  const dir = () => mkdtempSync(path.join(os.tmpdir(), 'eco-hub-config-'));

  test('defaults: port 4000, embedded database in ./.data, generated secret kept in the data dir', () => {
    const d = dir();
    const c = loadConfig({ HUB_DATA_DIR: d });
    expect(c).toMatchObject({ port: 4000, nodeEnv: 'development', databaseUrl: undefined, dataDir: d, jwtSecretGenerated: true });
    expect(readFileSync(path.join(d, 'dev-jwt-secret'), 'utf8').trim()).toBe(c.jwtSecret);
    expect(loadConfig({ HUB_DATA_DIR: d }).jwtSecret).toBe(c.jwtSecret);
    // A forgotten setting keeps every read's audit rows durable before its answer leaves.
    expect(c.auditCommit).toBe('durable');
    // Webhooks: https to public addresses only unless development; private addresses only when asked for.
    expect(c.webhooks).toEqual({ intervalSeconds: 5, maxAttempts: 8, timeoutSeconds: 10, backoffBaseSeconds: 10, backoffMaxSeconds: 3600, batchSize: 100, allowHttp: true, allowPrivate: false });
    expect(loadConfig({ HUB_DATA_DIR: d, NODE_ENV: 'test' }).webhooks).toMatchObject({ allowHttp: false, allowPrivate: false });
    expect(loadConfig({ HUB_DATA_DIR: d, DATABASE_URL: 'postgres://127.0.0.1/x', HUB_JWT_SECRET: 'p'.repeat(32) }).webhooks).toMatchObject({ allowHttp: false, allowPrivate: false });
  });

  test.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgres://127.0.0.1/x', NODE_ENV: 'production' }, 'HUB_JWT_SECRET'],
    [{ HUB_JWT_SECRET: 'short' }, 'HUB_JWT_SECRET'],
    [{ HUB_AUDIT_COMMIT: 'sometimes' }, 'HUB_AUDIT_COMMIT'],
    [{ HUB_WEBHOOK_ALLOW_PRIVATE: 'true', NODE_ENV: 'production', HUB_JWT_SECRET: 'p'.repeat(32) }, 'HUB_WEBHOOK_ALLOW_PRIVATE'],
    [{ HUB_WEBHOOK_ALLOW_PRIVATE: 'maybe' }, 'HUB_WEBHOOK_ALLOW_PRIVATE'],
    [{ HUB_WEBHOOK_MAX_ATTEMPTS: '0' }, 'HUB_WEBHOOK_MAX_ATTEMPTS'],
    [{ HUB_WEBHOOK_TIMEOUT_SECONDS: '600' }, 'HUB_WEBHOOK_TIMEOUT_SECONDS'],
    [{ HUB_WEBHOOK_BACKOFF_BASE_SECONDS: '120', HUB_WEBHOOK_BACKOFF_MAX_SECONDS: '60' }, 'HUB_WEBHOOK_BACKOFF_BASE_SECONDS'],
  ])('%j names %s', (env, variable) => {
    try {
      loadConfig({ HUB_DATA_DIR: dir(), ...env });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).variable).toBe(variable);
      expect((e as Error).message.startsWith(variable + ':')).toBe(true);
    }
  });
});
