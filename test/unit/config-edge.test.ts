import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';
import { isDevPlayground } from '../../src/playground/playground';

/**
 * Safe defaults (issue 10, finding 3): a hub on PostgreSQL is a production hub unless NODE_ENV
 * says development; only the embedded default keeps its conveniences, on loopback. And the
 * settings of the edge: listen address, public base URL, token lifetime and clock skew.
 */

const dir = () => mkdtempSync(path.join(os.tmpdir(), 'eco-hub-config-edge-'));
const SECRET = 'a-configured-secret-of-32-bytes-or-more';
const PG = 'postgres://hub@db.internal:5432/hub';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig({ HUB_DATA_DIR: dir(), ...env });
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe('mode: PostgreSQL is production unless NODE_ENV=development', () => {
  test('DATABASE_URL without NODE_ENV and without a secret: refused, naming HUB_JWT_SECRET and why, and no secret is generated', () => {
    const d = dir();
    let err: ConfigError | undefined;
    try {
      loadConfig({ HUB_DATA_DIR: d, DATABASE_URL: PG });
    } catch (e) {
      err = e as ConfigError;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect(err!.variable).toBe('HUB_JWT_SECRET');
    expect(err!.message).toMatch(/production/);
    expect(err!.message).toMatch(/NODE_ENV=development/);
    expect(existsSync(path.join(d, 'dev-jwt-secret'))).toBe(false);
  });

  test('DATABASE_URL with a secret and no NODE_ENV: production (no stack traces, no dev token, every interface, no default public URL)', () => {
    const c = loadConfig({ HUB_DATA_DIR: dir(), DATABASE_URL: PG, HUB_JWT_SECRET: SECRET });
    expect(c).toMatchObject({ nodeEnv: 'production', exposeErrors: false, jwtSecretGenerated: false, host: undefined, publicUrl: undefined });
    expect(isDevPlayground(c)).toBe(false);
  });

  test('DATABASE_URL with NODE_ENV=development: the conveniences, on loopback', () => {
    const c = loadConfig({ HUB_DATA_DIR: dir(), DATABASE_URL: PG, NODE_ENV: 'development' });
    expect(c).toMatchObject({ nodeEnv: 'development', exposeErrors: true, jwtSecretGenerated: true, host: '127.0.0.1', publicUrl: 'http://localhost:4000' });
    expect(isDevPlayground(c)).toBe(true);
  });

  test('the embedded default: development on loopback, with the README quick start URL as public URL', () => {
    const c = loadConfig({ HUB_DATA_DIR: dir() });
    expect(c).toMatchObject({ nodeEnv: 'development', exposeErrors: true, jwtSecretGenerated: true, host: '127.0.0.1', publicUrl: 'http://localhost:4000' });
    expect(isDevPlayground(c)).toBe(true);
    expect(loadConfig({ HUB_DATA_DIR: dir(), PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
  });

  test('embedded with NODE_ENV=production needs a secret, and then is production', () => {
    expect(configError({ NODE_ENV: 'production' }).variable).toBe('HUB_JWT_SECRET');
    expect(loadConfig({ HUB_DATA_DIR: dir(), NODE_ENV: 'production', HUB_JWT_SECRET: SECRET })).toMatchObject({ nodeEnv: 'production', exposeErrors: false, host: undefined });
  });

  test('test mode: masked errors, loopback, needs a secret on PostgreSQL', () => {
    expect(configError({ NODE_ENV: 'test', DATABASE_URL: PG }).variable).toBe('HUB_JWT_SECRET');
    expect(loadConfig({ HUB_DATA_DIR: dir(), NODE_ENV: 'test', DATABASE_URL: PG, HUB_JWT_SECRET: SECRET })).toMatchObject({ exposeErrors: false, host: '127.0.0.1' });
  });

  test('development with a configured secret hands out no playground token', () => {
    expect(isDevPlayground(loadConfig({ HUB_DATA_DIR: dir(), HUB_JWT_SECRET: SECRET }))).toBe(false);
  });
});

describe('HUB_HOST', () => {
  test.each([['0.0.0.0'], ['::'], ['192.168.1.20'], ['::1'], ['localhost'], ['hub.internal']])('%s is accepted as given', (host) => {
    expect(loadConfig({ HUB_DATA_DIR: dir(), HUB_HOST: host }).host).toBe(host);
  });
  test.each([['bad host'], ['http://0.0.0.0'], ['0.0.0.0:4000'], ['-leading.dash']])('%j is refused', (host) => {
    expect(configError({ HUB_HOST: host }).variable).toBe('HUB_HOST');
  });
});

describe('HUB_PUBLIC_URL', () => {
  test.each([
    ['https://data.example.gov.cn', 'https://data.example.gov.cn'],
    ['https://data.example.gov.cn/', 'https://data.example.gov.cn'],
    ['https://example.gov.cn/eco-hub/', 'https://example.gov.cn/eco-hub'],
    ['http://10.0.0.5:8080', 'http://10.0.0.5:8080'],
    ['HTTPS://Data.Example.gov.cn:443/x', 'https://data.example.gov.cn/x'],
  ])('%s becomes %s', (raw, want) => {
    expect(loadConfig({ HUB_DATA_DIR: dir(), DATABASE_URL: PG, HUB_JWT_SECRET: SECRET, HUB_PUBLIC_URL: raw }).publicUrl).toBe(want);
  });
  test.each([['data.example.gov.cn'], ['ftp://data.example.gov.cn'], ['https://user:pw@data.example.gov.cn'], ['https://data.example.gov.cn/?a=1'], ['https://data.example.gov.cn/#top'], ['not a url']])('%j is refused', (raw) => {
    const err = configError({ HUB_PUBLIC_URL: raw });
    expect(err.variable).toBe('HUB_PUBLIC_URL');
    expect(err.message).toContain(raw);
  });
});

describe('token lifetime settings', () => {
  test('defaults: 24 h lifetime, 60 s skew', () => {
    expect(loadConfig({ HUB_DATA_DIR: dir() })).toMatchObject({ jwtMaxLifetimeSeconds: 86_400, jwtClockSkewSeconds: 60 });
    expect(loadConfig({ HUB_DATA_DIR: dir(), HUB_JWT_MAX_LIFETIME_SECONDS: '3600', HUB_JWT_CLOCK_SKEW_SECONDS: '0' })).toMatchObject({ jwtMaxLifetimeSeconds: 3600, jwtClockSkewSeconds: 0 });
  });
  test.each([
    [{ HUB_JWT_MAX_LIFETIME_SECONDS: '0' }, 'HUB_JWT_MAX_LIFETIME_SECONDS'],
    [{ HUB_JWT_MAX_LIFETIME_SECONDS: '1h' }, 'HUB_JWT_MAX_LIFETIME_SECONDS'],
    [{ HUB_JWT_MAX_LIFETIME_SECONDS: String(2 * 365 * 86400) }, 'HUB_JWT_MAX_LIFETIME_SECONDS'],
    [{ HUB_JWT_CLOCK_SKEW_SECONDS: '3600' }, 'HUB_JWT_CLOCK_SKEW_SECONDS'],
    [{ HUB_JWT_CLOCK_SKEW_SECONDS: '-1' }, 'HUB_JWT_CLOCK_SKEW_SECONDS'],
  ])('%j names %s', (env, variable) => {
    expect(configError(env).variable).toBe(variable);
  });
});

describe('every setting is documented', () => {
  test('each variable src/config.ts reads is in .env.example and in the README configuration table', () => {
    const root = path.resolve(__dirname, '../..');
    const source = readFileSync(path.join(root, 'src/config.ts'), 'utf8');
    const names = new Set([
      ...[...source.matchAll(/env\.([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]),
      ...[...source.matchAll(/(?:intVar|oneOf|boolVar)\(env, '([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1]),
    ]);
    expect(names.size).toBeGreaterThan(30);
    const example = readFileSync(path.join(root, '.env.example'), 'utf8');
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Limits and operations'));
    const missing = [...names].filter((n) => !new RegExp(`^${n}=`, 'm').test(example) || !table.includes(`\`${n}\``));
    expect(missing).toEqual([]);
  });
});
