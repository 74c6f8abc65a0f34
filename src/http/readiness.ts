import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import type { CacheStatus } from '../cache/cache';
import type { CalendarRunway } from '../domain/calendar/working-days';
import type { Logger } from '../logger';

/** How long a readiness answer is reused: probes from several load balancers cost one query a second. */
const CHECK_TTL_MS = 1000;
/** A database that does not answer `SELECT 1` within this long counts as unreachable (with the reuse above: 503 within 4 s). */
const QUERY_TIMEOUT_MS = 3000;

/** What the readiness check asks: the database, the migrations, the cache's state and whether shutdown began. */
export interface ReadinessOptions {
  ds: DataSource;
  log: Logger;
  migrationsUpToDate: (ds: DataSource) => Promise<boolean>;
  cacheStatus: () => CacheStatus;
  /** True once the hub is shutting down: it then reports not ready, so balancers stop sending. */
  stopping: () => boolean;
  /** How long the official calendar lasts: reported (`calendar.status: 'ending'` within 30 days), never a reason to be unready. */
  calendar?: () => CalendarRunway | undefined;
}

interface Verdict {
  status: number;
  body: Record<string, unknown>;
}

function timeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    timer.unref();
    p.then((v) => {
      clearTimeout(timer);
      resolve(v);
    }, (e: unknown) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/**
 * GET /readyz: 200 when the database answers and every migration is applied, else 503, so a load
 * balancer takes the instance out within a few seconds of losing the database (answers are reused
 * for at most a second, a query gets three) and back when it returns. The cache's store is reported
 * (`cache: 'degraded'` while Redis is away) but never makes the hub unready: it serves uncached.
 */
export function readinessHandler(opts: ReadinessOptions) {
  let migrated = false;
  let last: (Verdict & { at: number }) | undefined;
  let running: Promise<Verdict> | undefined;
  let wasReady = true;

  const check = async (): Promise<Verdict> => {
    try {
      await timeout(opts.ds.query('SELECT 1'), QUERY_TIMEOUT_MS, 'the database');
      migrated ||= await timeout(opts.migrationsUpToDate(opts.ds), QUERY_TIMEOUT_MS, 'the migrations table');
      if (!migrated) return { status: 503, body: { status: 'unavailable', database: 'ok', migrations: 'pending' } };
      if (!wasReady) opts.log.info('database reachable again: ready');
      wasReady = true;
      return { status: 200, body: { status: 'ready', database: 'ok', migrations: 'applied' } };
    } catch (err) {
      if (wasReady) opts.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'readiness check failed: database unreachable');
      wasReady = false;
      return { status: 503, body: { status: 'unavailable', database: 'unreachable' } };
    }
  };

  return async (_req: Request, res: Response): Promise<void> => {
    const cache = opts.cacheStatus();
    const runway = opts.calendar?.();
    const details = {
      cache: cache.store === 'off' ? 'off' : cache.state, cacheStore: cache.store,
      ...(runway ? { calendar: { status: runway.ending ? 'ending' : 'ok', lastDay: runway.lastDay, daysLeft: runway.daysLeft, ...(runway.ending ? { needs: runway.nextYear } : {}) } } : {}),
    };
    if (opts.stopping()) {
      res.status(503).json({ status: 'stopping', ...details });
      return;
    }
    if (!last || Date.now() - last.at > CHECK_TTL_MS) {
      running ??= check().finally(() => {
        running = undefined;
      });
      last = { ...(await running), at: Date.now() };
    }
    res.status(last.status).json({ ...last.body, ...details });
  };
}
