import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import type { ValidationRule } from 'graphql';
import type { DataSource } from 'typeorm';
import { HubCache } from '../cache/cache';
import { SharedStore } from '../cache/store';
import type { CalendarRunway } from '../domain/calendar/working-days';
import type { Config } from '../config';
import { migrationsUpToDate } from '../db/datasource';
import { timeSql } from '../db/sql-stats';
import type { HubContext } from '../graphql/context';
import { limitRules, limitsPlugin, parseOptions, requestShapeLimits } from '../graphql/limits';
import { scalarArgumentsPlugin } from '../graphql/scalars';
import type { Logger } from '../logger';
import { corsFor } from './cors';
import { HubMetrics } from './metrics';
import { rateLimit, RateLimiter } from './rate-limit';
import { readinessHandler } from './readiness';
import { requestLog } from './request-log';
import { securityHeaders } from './security-headers';

/**
 * Everything that keeps one hub instance defended and observable, built once per hub from the
 * config: the shared store (memory or Redis) with the cache and the rate limiter on it, the
 * metrics, the request log, the limits and the HTTP defences. server.ts mounts the pieces.
 */
export interface Operations {
  store: SharedStore;
  cache: HubCache;
  metrics: HubMetrics;
  limiter?: RateLimiter;
  /** After the request context (src/http/request-context.ts): one log line per request, HTTP metrics. */
  requestLog: RequestHandler;
  securityHeaders: RequestHandler;
  cors: RequestHandler;
  /** Per-principal token bucket (a pass-through when HUB_RATE_LIMIT_PER_MINUTE=0). */
  rateLimit: RequestHandler;
  /** Document size and batch checks; mount after express.json(). */
  requestShape: RequestHandler;
  metricsHandler: RequestHandler;
  readiness: RequestHandler;
  validationRules: ValidationRule[];
  /** graphql-js parse options for Apollo: the token limit, applied while the document is parsed. */
  parseOptions: { maxTokens: number };
  apolloPlugins: Array<ApolloServerPlugin<HubContext>>;
  /** How long the official calendar lasts, on the hub's clock (set by createHub): /readyz and /metrics report it. */
  calendar?: () => CalendarRunway;
  /** Set when shutdown begins: /readyz answers 503 from then on. */
  stopping: boolean;
  close(): Promise<void>;
}

/**
 * Builds the pieces once per hub. The store connects to Redis in the background, so a hub starts
 * (and serves, uncached and unlimited-by-Redis) while Redis is away.
 */
export function createOperations(config: Config, ds: DataSource, log: Logger): Operations {
  timeSql(ds);
  const store = new SharedStore({ redisUrl: config.redisUrl, namespace: config.cache.namespace, maxEntries: config.cache.maxEntries, log });
  const metrics = new HubMetrics({ ds, storeUp: () => store.healthy(), processMetrics: true });
  const cache = new HubCache(store, { ttlSeconds: config.cache.ttlSeconds, onOutcome: metrics.cacheOutcome });
  const limiter = config.rateLimit.perMinute > 0 ? new RateLimiter(store, config.rateLimit, () => metrics.rateLimitBypass.inc()) : undefined;

  const ops: Operations = {
    store,
    cache,
    metrics,
    limiter,
    requestLog: requestLog({ log, observe: metrics.observeHttp }),
    securityHeaders: securityHeaders(),
    cors: corsFor(config),
    rateLimit: limiter
      ? rateLimit({
        limiter,
        onLimited: () => {
          metrics.rateLimited.inc();
          metrics.errors.inc({ code: 'RATE_LIMITED' });
        },
      })
      : (_req, _res, next) => next(),
    requestShape: requestShapeLimits(config.limits, (code) => metrics.errors.inc({ code })),
    metricsHandler: metrics.handler(config.metricsToken),
    readiness: readinessHandler({ ds, log, migrationsUpToDate, cacheStatus: () => cache.status(), stopping: () => ops.stopping, calendar: () => ops.calendar?.() }),
    validationRules: limitRules(config.limits),
    parseOptions: parseOptions(config.limits),
    apolloPlugins: [limitsPlugin<HubContext>(config.limits), scalarArgumentsPlugin<HubContext>(), metrics.plugin()],
    stopping: false,
    close: () => store.close(),
  };
  return ops;
}
