import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { ConfigError, loadConfig } from '../../src/config';

/** The settings of the limits, rate limiter, cache and HTTP defences: defaults, and errors that name the variable. */
describe('config: limits and operations', () => {
  const base = () => ({ HUB_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'eco-hub-config-')) });

  test('defaults', () => {
    const c = loadConfig(base());
    expect(c.limits).toEqual({ maxDepth: 12, maxCost: 25000, maxAliases: 30, maxRootFields: 20, maxBatch: 1, maxQueryBytes: 32768, maxTokens: 5000, maxSelections: 2000, maxDirectives: 50 });
    expect(c.introspection).toBe(true);
    expect(c.rateLimit).toEqual({ perMinute: 600, burst: 100 });
    expect(c.redisUrl).toBeUndefined();
    expect(c.cache).toEqual({ namespace: 'eco-hub', ttlSeconds: 300, maxEntries: 10000 });
    expect(c.corsOrigins).toEqual([]);
    expect(c.trustProxy).toBe(false);
    expect(c.metricsToken).toBeUndefined();
  });

  test('values are read and parsed', () => {
    const c = loadConfig({
      ...base(), HUB_MAX_DEPTH: '8', HUB_MAX_COST: '1000', HUB_INTROSPECTION: 'false', REDIS_URL: 'rediss://cache.internal:6380/0',
      HUB_CORS_ORIGINS: 'https://a.example.gov.cn, http://localhost:5173', HUB_TRUST_PROXY: '10.0.0.0/8,loopback', HUB_RATE_LIMIT_PER_MINUTE: '0',
    });
    expect(c.limits).toMatchObject({ maxDepth: 8, maxCost: 1000 });
    expect(c.introspection).toBe(false);
    expect(c.redisUrl).toBe('rediss://cache.internal:6380/0');
    expect(c.corsOrigins).toEqual(['https://a.example.gov.cn', 'http://localhost:5173']);
    expect(c.trustProxy).toEqual(['10.0.0.0/8', 'loopback']);
    expect(c.rateLimit.perMinute).toBe(0);
    expect(loadConfig({ ...base(), HUB_TRUST_PROXY: '2' }).trustProxy).toBe(2);
  });

  test.each([
    [{ HUB_MAX_DEPTH: '0' }, 'HUB_MAX_DEPTH'],
    [{ HUB_MAX_COST: 'lots' }, 'HUB_MAX_COST'],
    [{ HUB_MAX_ALIASES: '-1' }, 'HUB_MAX_ALIASES'],
    [{ HUB_MAX_ROOT_FIELDS: '0' }, 'HUB_MAX_ROOT_FIELDS'],
    [{ HUB_MAX_BATCH: '5' }, 'HUB_MAX_BATCH'],
    [{ HUB_MAX_QUERY_BYTES: '2000000' }, 'HUB_MAX_QUERY_BYTES'],
    [{ HUB_MAX_TOKENS: '99' }, 'HUB_MAX_TOKENS'],
    [{ HUB_MAX_SELECTIONS: 'many' }, 'HUB_MAX_SELECTIONS'],
    [{ HUB_MAX_DIRECTIVES: '-1' }, 'HUB_MAX_DIRECTIVES'],
    [{ HUB_INTROSPECTION: 'maybe' }, 'HUB_INTROSPECTION'],
    [{ HUB_RATE_LIMIT_PER_MINUTE: '1.5' }, 'HUB_RATE_LIMIT_PER_MINUTE'],
    [{ HUB_RATE_LIMIT_BURST: '0' }, 'HUB_RATE_LIMIT_BURST'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL'],
    [{ HUB_CACHE_NAMESPACE: 'has space' }, 'HUB_CACHE_NAMESPACE'],
    [{ HUB_CACHE_TTL_SECONDS: '-5' }, 'HUB_CACHE_TTL_SECONDS'],
    [{ HUB_CORS_ORIGINS: '*' }, 'HUB_CORS_ORIGINS'],
    [{ HUB_CORS_ORIGINS: 'https://a.example.gov.cn/path' }, 'HUB_CORS_ORIGINS'],
    [{ HUB_TRUST_PROXY: 'the-balancer' }, 'HUB_TRUST_PROXY'],
    [{ HUB_METRICS_TOKEN: 'short' }, 'HUB_METRICS_TOKEN'],
  ])('%j names %s', (env, variable) => {
    try {
      loadConfig({ ...base(), ...env });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).variable).toBe(variable);
    }
  });
});
