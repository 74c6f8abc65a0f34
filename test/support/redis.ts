import { spawnSync } from 'node:child_process';
import { createClient } from '@keyv/redis';

/** The Redis the tests use; a unique namespace per run keeps runs (and machines sharing it) apart. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL || process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** A key namespace no other test run uses. */
export function uniqueNamespace(label: string): string {
  return `eco-hub-test-${label}-${process.pid}-${Date.now().toString(36)}`;
}

/**
 * Whether Redis answers at `url`, asked synchronously (in a child process) so the answer can decide
 * between `describe` and `describe.skip` while Jest collects the tests.
 */
export function redisReachable(url: string = TEST_REDIS_URL): boolean {
  const u = new URL(url);
  const script = `const s = require('net').connect(${Number(u.port) || 6379}, ${JSON.stringify(u.hostname)});
    s.setTimeout(1500); s.on('connect', () => s.write('PING\\r\\n')); s.on('data', () => process.exit(0));
    s.on('error', () => process.exit(1)); s.on('timeout', () => process.exit(1));`;
  return spawnSync(process.execPath, ['-e', script], { timeout: 4000 }).status === 0;
}

/**
 * `describe` for tests that need Redis. Without Redis they are skipped with a message saying why,
 * unless CI is set: there a missing Redis is a failure, not a silent skip.
 */
export function describeWithRedis(name: string, fn: () => void): void {
  if (redisReachable()) {
    describe(name, fn);
    return;
  }
  if (process.env.CI) {
    describe(name, () => {
      test('Redis is reachable', () => {
        throw new Error(`Redis at ${TEST_REDIS_URL} does not answer and CI is set: start Redis (or set TEST_REDIS_URL) for these tests`);
      });
    });
    return;
  }
  process.stderr.write(`\n[skipped] ${name}: Redis at ${TEST_REDIS_URL} does not answer. Start redis-server or set TEST_REDIS_URL; with CI set this fails instead.\n`);
  describe.skip(name, fn);
}

/** Deletes every key of a test namespace. */
export async function dropNamespace(namespace: string, url: string = TEST_REDIS_URL): Promise<void> {
  const client = createClient({ url });
  client.on('error', () => {});
  await client.connect();
  try {
    const keys: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: `${namespace}*`, COUNT: 500 })) keys.push(...(batch as unknown as string[]));
    if (keys.length) await client.del(keys);
  } finally {
    await client.close();
  }
}
