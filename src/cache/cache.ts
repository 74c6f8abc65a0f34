import { createHash, randomBytes } from 'node:crypto';
import type { Keyv } from 'keyv';
import { SharedStore } from './store';

/** The tag of everything computed from the resource catalog: a catalog load invalidates it. */
export const CATALOG_CACHE_TAG = 'catalog';

/** What one cache lookup came to; `bypass` means the store was unavailable and the answer was computed. */
export type CacheOutcome = 'hit' | 'miss' | 'bypass';

/** How long answers live, and who hears about hits and misses (the metrics). */
export interface CacheOptions {
  /** How long an entry lives; 0 turns caching off. */
  ttlSeconds: number;
  /** Called once per lookup, for the metrics. */
  onOutcome?: (area: string, outcome: CacheOutcome) => void;
}

/** What /readyz reports about the cache. */
export interface CacheStatus {
  store: 'memory' | 'redis' | 'off';
  state: 'ok' | 'degraded';
}

interface Envelope<T> {
  v: T;
}

/** JSON with object keys sorted, so two spellings of the same filter make the same key. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

function digest(parts: unknown): string {
  return createHash('sha256').update(canonicalJson(parts)).digest('base64url').slice(0, 32);
}

/**
 * Cache of answers that are the same for everyone who shares a scope (public data, or data keyed
 * by what the principal may see), through keyv: in memory by default, in Redis when configured so
 * that instances share entries.
 *
 * Invalidation is by tag: every key carries its tag's current generation, and `invalidate(tag)`
 * replaces the generation, so old entries are never read again and expire by TTL. The generation
 * lives in the same store, so with Redis an invalidation on one instance is seen by all on their
 * next lookup. When the store is unavailable the cache steps aside: lookups compute the answer
 * (outcome `bypass`) and nothing fails; an invalidation that cannot reach Redis is logged, and the
 * entries it should have retired live at most their TTL.
 */
export class HubCache {
  private readonly values?: Keyv;
  private readonly generations?: Keyv;
  private readonly ttlMs: number;

  constructor(private readonly store: SharedStore, private readonly opts: CacheOptions) {
    this.ttlMs = opts.ttlSeconds * 1000;
    if (this.ttlMs > 0) {
      this.values = store.keyv('c');
      this.generations = store.keyv('g');
    }
  }

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  status(): CacheStatus {
    if (!this.enabled) return { store: 'off', state: 'ok' };
    return { store: this.store.kind, state: this.store.healthy() ? 'ok' : 'degraded' };
  }

  /**
   * The cached answer for (`tag`, `area`, `parts`), or `compute()`'s, which is then stored.
   * `parts` must hold everything the answer depends on: arguments and the caller's scope.
   * Errors of `compute` are not cached.
   */
  async wrap<T>(tag: string, area: string, parts: unknown, compute: () => Promise<T>): Promise<T> {
    const values = this.values;
    if (!values) return compute();
    let key: string;
    try {
      key = `${tag}:${await this.generation(tag)}:${area}:${digest(parts)}`;
      const hit = await this.store.run(() => values.get<Envelope<T>>(key));
      if (hit !== undefined && hit !== null) {
        this.opts.onOutcome?.(area, 'hit');
        return hit.v;
      }
    } catch (err) {
      this.store.complain(err, 'cache read failed');
      this.opts.onOutcome?.(area, 'bypass');
      return compute();
    }
    this.opts.onOutcome?.(area, 'miss');
    const value = await compute();
    try {
      await this.store.run(() => values.set(key, { v: value } satisfies Envelope<T>, this.ttlMs));
    } catch (err) {
      this.store.complain(err, 'cache write failed');
    }
    return value;
  }

  /**
   * Retires every entry of `tag` (a catalog load, and later a write to a record type, call it).
   * Never throws: a failure is logged and the old entries expire by TTL.
   */
  async invalidate(tag: string): Promise<boolean> {
    const generations = this.generations;
    if (!generations) return true;
    try {
      await this.store.run(() => generations.set(tag, newGeneration()));
      return true;
    } catch (err) {
      this.store.complain(err, `cache invalidation of "${tag}" failed (entries expire within ${this.ttlMs / 1000} s)`);
      return false;
    }
  }

  /*
   * A tag's generation is a random token, never a counter starting at a known value: a store that
   * lost the token (eviction, flush) gets a fresh one instead of matching old entries again.
   */
  private async generation(tag: string): Promise<string> {
    const generations = this.generations!;
    const current = await this.store.run(() => generations.get<string>(tag));
    if (current) return current;
    const fresh = newGeneration();
    await this.store.run(() => generations.set(tag, fresh));
    return fresh;
  }
}

function newGeneration(): string {
  return randomBytes(6).toString('base64url');
}

/**
 * For a process without a hub (the catalog:load command): retires `tag` in the shared Redis, so
 * running instances stop serving answers computed before the change. With no Redis there is
 * nothing shared to retire; each hub's memory cache holds old answers until it restarts or TTL.
 */
export async function invalidateShared(
  opts: { redisUrl?: string; namespace: string; log: ConstructorParameters<typeof SharedStore>[0]['log'] },
  tag: string,
): Promise<'invalidated' | 'unreachable' | 'no-shared-store'> {
  if (!opts.redisUrl) return 'no-shared-store';
  const store = new SharedStore({ redisUrl: opts.redisUrl, namespace: opts.namespace, maxEntries: 1, log: opts.log });
  try {
    if (!(await store.whenReady(3000))) return 'unreachable';
    return (await new HubCache(store, { ttlSeconds: 1 }).invalidate(tag)) ? 'invalidated' : 'unreachable';
  } finally {
    await store.close();
  }
}
