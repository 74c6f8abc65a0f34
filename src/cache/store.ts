import type { createClient } from '@keyv/redis';
import { Keyv } from 'keyv';
import type { Logger } from '../logger';

/** The node-redis client underneath, for what keyv has no verb for (the rate limiter's script). */
export type RedisClient = ReturnType<typeof createClient>;

/**
 * The Redis client library, loaded only when a Redis URL is configured: a hub without Redis never
 * loads it (about 10 MB of resident memory; docs/performance.md, "The live heap").
 */
export function redisModule(): typeof import('@keyv/redis') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@keyv/redis') as typeof import('@keyv/redis');
}

/** How long one store command may take before the hub gives up on it and goes on without it. */
export const STORE_TIMEOUT_MS = 500;

/**
 * A Map that forgets its least recently used entries beyond `max`, so the in-memory keyv store
 * cannot grow without bound (every distinct catalog search or client IP is a key).
 */
export class BoundedMap<V> extends Map<string, V> {
  constructor(private readonly max: number) {
    super();
  }

  override get(key: string): V | undefined {
    if (!super.has(key)) return undefined;
    const value = super.get(key) as V;
    // Re-inserting moves the key to the end: Map iteration order is the recency order.
    super.delete(key);
    super.set(key, value);
    return value;
  }

  override set(key: string, value: V): this {
    if (super.has(key)) super.delete(key);
    super.set(key, value);
    while (this.size > this.max) {
      const oldest = this.keys().next().value as string;
      super.delete(oldest);
    }
    return this;
  }
}

/** How to build the shared store (from the config's REDIS_URL and HUB_CACHE_* settings). */
export interface StoreOptions {
  /** `redis://` or `rediss://` URL; absent means process memory. */
  redisUrl?: string;
  /** Prefix of every key, so hubs of different zones (or test runs) can share one Redis. */
  namespace: string;
  /** Entries per in-memory keyv instance. */
  maxEntries: number;
  log: Logger;
}

/**
 * The shared key-value store of the hub: process memory by default, Redis when a URL is given, so
 * several instances share cache entries and rate-limit buckets. Redis being away never fails a
 * request: commands fail fast while the client is offline (`disableOfflineQueue`), every command
 * is cut off after `STORE_TIMEOUT_MS`, and the client reconnects in the background.
 */
export class SharedStore {
  readonly kind: 'memory' | 'redis';
  readonly namespace: string;
  private readonly redis?: RedisClient;
  private readonly keyvs: Keyv[] = [];
  private readonly lastComplaint = new Map<string, number>();
  private closed = false;

  constructor(private readonly opts: StoreOptions) {
    this.namespace = opts.namespace;
    this.kind = opts.redisUrl ? 'redis' : 'memory';
    if (opts.redisUrl) {
      const client = redisModule().createClient({
        url: opts.redisUrl,
        disableOfflineQueue: true,
        socket: { connectTimeout: STORE_TIMEOUT_MS, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000) },
      });
      client.on('error', (err: Error) => this.complain(err, 'redis error'));
      client.on('ready', () => opts.log.info({ store: 'redis' }, 'redis connected'));
      // Connects in the background: the hub starts and serves (uncached) while Redis is away.
      client.connect().catch((err: Error) => this.complain(err, 'redis connect failed'));
      this.redis = client as RedisClient;
    }
  }

  /** Waits until Redis is connected (at most `timeoutMs`); true at once for memory. */
  whenReady(timeoutMs: number): Promise<boolean> {
    const redis = this.redis;
    if (!redis || redis.isReady) return Promise.resolve(!redis || redis.isReady);
    return new Promise((resolve) => {
      const onReady = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        redis.off('ready', onReady);
        resolve(false);
      }, timeoutMs);
      timer.unref();
      redis.once('ready', onReady);
    });
  }

  /** True when the store can be used now: always for memory, while connected for Redis. */
  healthy(): boolean {
    return this.redis ? this.redis.isReady : true;
  }

  /** The Redis client when the store is Redis and connected; the caller falls back otherwise. */
  redisClient(): RedisClient | undefined {
    return this.redis && this.redis.isReady ? this.redis : undefined;
  }

  /** A keyv instance over this store whose keys start with `<namespace>::<prefix>`. */
  keyv(prefix: string): Keyv {
    const namespace = `${this.namespace}::${prefix}`;
    const keyv = this.redis
      // The Redis adapter prefixes keys with the namespace itself; keyv must not add a second one.
      ? new Keyv({ store: new (redisModule().default)(this.redis, { throwOnConnectError: false, throwOnErrors: true, connectionTimeout: STORE_TIMEOUT_MS }), namespace, useKeyPrefix: false, throwOnErrors: true })
      : new Keyv({ store: new BoundedMap<unknown>(this.opts.maxEntries), namespace, throwOnErrors: true });
    keyv.on('error', () => {}); // errors reach the caller as rejections; logged there
    this.keyvs.push(keyv);
    return keyv;
  }

  /** A full key for raw Redis commands, under the same namespace as keyv's keys. */
  rawKey(prefix: string, key: string): string {
    return `${this.namespace}::${prefix}:${key}`;
  }

  /** Runs one store command with the hub's timeout. */
  run<T>(command: () => Promise<T>): Promise<T> {
    if (!this.healthy()) return Promise.reject(new Error('redis is not connected'));
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`store command timed out after ${STORE_TIMEOUT_MS} ms`)), STORE_TIMEOUT_MS);
      timer.unref();
      command().then(
        (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        (e: unknown) => {
          clearTimeout(timer);
          reject(e);
        },
      );
    });
  }

  /** Logs each kind of store problem at most every 10 seconds, so an outage does not flood the log. */
  complain(err: unknown, msg: string): void {
    if (this.closed) return;
    const now = Date.now();
    if (now - (this.lastComplaint.get(msg) ?? 0) < 10_000) return;
    this.lastComplaint.set(msg, now);
    this.opts.log.warn({ store: this.kind, err: err instanceof Error ? err.message : String(err) }, `${msg}: serving without the shared store`);
  }

  async close(): Promise<void> {
    this.closed = true;
    const redis = this.redis;
    if (!redis?.isOpen) return;
    try {
      // Connected: let sent commands finish. Reconnecting: nothing to finish, stop retrying now.
      if (redis.isReady) await redis.close();
      else redis.destroy();
    } catch {
      if (redis.isOpen) redis.destroy();
    }
  }
}
