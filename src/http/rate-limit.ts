import type { NextFunction, Request, Response } from 'express';
import type { Keyv } from 'keyv';
import type { Principal } from '../auth/principal';
import { SharedStore } from '../cache/store';
import { ErrorCode } from '../graphql/errors';
import { edgeOf } from './request-context';
import { sendError } from './send-error';

/** The bucket's shape: its refill rate and its size (HUB_RATE_LIMIT_PER_MINUTE, HUB_RATE_LIMIT_BURST). */
export interface RateLimitSettings {
  /** Sustained requests per minute per principal; 0 turns rate limiting off. */
  perMinute: number;
  /** Requests a principal may make at once after being idle (the bucket's size). */
  burst: number;
}

/** The answer for one request: allowed or not, and when to come back if not. */
export interface RateDecision {
  allowed: boolean;
  remaining: number;
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/*
 * The token bucket in one Redis script, so that instances sharing Redis take from one bucket
 * without a read-modify-write race, on Redis's clock rather than each instance's. Floats leave
 * Lua as strings (Redis would truncate numbers to integers).
 */
const TAKE_SCRIPT = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1])
local at = tonumber(b[2])
if tokens == nil or at == nil then tokens = capacity; at = now end
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate)
local allowed = 0
local wait = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
else
  wait = math.ceil((cost - tokens) / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], ttl)
return { allowed, tostring(tokens), wait }
`;

/**
 * Token-bucket rate limiting per principal, through the shared store: in memory (keyv, one bucket
 * per key, updates of one key serialised in the process), or in Redis with an atomic script so
 * every instance takes from the same bucket. A bucket refills `perMinute / 60` tokens a second up
 * to `burst`; a request takes one. If the store cannot answer, the request is served (fail open)
 * and the store's outage is logged: a hub that refuses everyone because Redis is down would be
 * worse than one that briefly does not limit.
 */
export class RateLimiter {
  private readonly ratePerMs: number;
  private readonly ttlMs: number;
  private readonly buckets?: Keyv;
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly store: SharedStore, readonly settings: RateLimitSettings, private readonly onBypass?: () => void) {
    this.ratePerMs = settings.perMinute / 60_000;
    // A bucket left alone this long is full again, which is what a missing bucket means.
    this.ttlMs = Math.ceil(settings.burst / this.ratePerMs) + 1000;
    if (store.kind === 'memory') this.buckets = store.keyv('rl');
  }

  /** Takes `cost` tokens from `key`'s bucket; `null` when the store could not answer (serve the request). */
  async take(key: string, cost = 1): Promise<RateDecision | null> {
    try {
      return this.store.kind === 'redis' ? await this.takeRedis(key, cost) : await this.serial(key, () => this.takeMemory(key, cost));
    } catch (err) {
      this.store.complain(err, 'rate limit store unavailable');
      this.onBypass?.();
      return null;
    }
  }

  private async takeRedis(key: string, cost: number): Promise<RateDecision> {
    const client = this.store.redisClient();
    if (!client) throw new Error('redis is not connected');
    const reply = (await this.store.run(() =>
      client.eval(TAKE_SCRIPT, {
        keys: [this.store.rawKey('rl', key)],
        arguments: [String(this.settings.burst), String(this.ratePerMs), String(cost), String(this.ttlMs)],
      }),
    )) as [number, string, number];
    return this.decision(reply[0] === 1, Number(reply[1]), Number(reply[2]));
  }

  private async takeMemory(key: string, cost: number): Promise<RateDecision> {
    const buckets = this.buckets!;
    const now = Date.now();
    const b = (await buckets.get<Bucket>(key)) ?? { tokens: this.settings.burst, at: now };
    let tokens = Math.min(this.settings.burst, b.tokens + Math.max(0, now - b.at) * this.ratePerMs);
    let wait = 0;
    const allowed = tokens >= cost;
    if (allowed) tokens -= cost;
    else wait = Math.ceil((cost - tokens) / this.ratePerMs);
    await buckets.set(key, { tokens, at: now } satisfies Bucket, this.ttlMs);
    return this.decision(allowed, tokens, wait);
  }

  private decision(allowed: boolean, tokens: number, waitMs: number): RateDecision {
    return { allowed, remaining: Math.floor(tokens), retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  /** Runs updates of one bucket one after another (keyv's get and set are separate steps). */
  private serial<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const run = (this.locks.get(key) ?? Promise.resolve()).then(fn, fn);
    const tail = run.then(() => undefined, () => undefined);
    this.locks.set(key, tail);
    void tail.then(() => {
      if (this.locks.get(key) === tail) this.locks.delete(key);
    });
    return run;
  }
}

/** The bucket a request takes from: the token's `sub`, or the client's address for the public. */
export function rateKeyOf(principal: Principal | null, req: Request): string {
  return principal && principal.kind === 'user' ? `sub:${principal.sub}` : `ip:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`;
}

/** What the middleware needs from the hub: the limiter, and whom to tell. */
export interface RateLimitMiddlewareOptions {
  limiter: RateLimiter;
  onLimited?: (req: Request, principal: Principal | null) => void;
}

/**
 * Express middleware: 429 with `Retry-After` (seconds) and a RATE_LIMITED error carrying
 * `extensions.retryAfterSeconds`, in the GraphQL error shape, when the caller's bucket is empty.
 * The principal comes from the request context (verified once, there); a refused token counts
 * against its address, and the route then answers it UNAUTHENTICATED.
 */
export function rateLimit(opts: RateLimitMiddlewareOptions) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const { principal } = edgeOf(req);
    const d = await opts.limiter.take(rateKeyOf(principal, req));
    if (d && !d.allowed) {
      opts.onLimited?.(req, principal);
      const { perMinute, burst } = opts.limiter.settings;
      sendError(res, 429, ErrorCode.RATE_LIMITED, `too many requests: at most ${perMinute} a minute (bursts of ${burst}); retry after ${d.retryAfterSeconds} s`, {
        retryAfterSeconds: d.retryAfterSeconds,
      });
      return;
    }
    next();
  };
}
