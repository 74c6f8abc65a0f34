import http from 'node:http';
import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import express from 'express';
import { Principal, TokenVerifier, tokenSettings } from './auth/principal';
import type { Config } from './config';
import { buildContext, createServices, HubContext, parsePurpose, Services } from './graphql/context';
import { ErrorCode, formatErrorFactory, UNAVAILABLE_RETRY_AFTER_SECONDS } from './graphql/errors';
import { createOperations, Operations } from './http/operations';
import { edgeOf, principalOf, requestContext } from './http/request-context';
import { errorHandler, notFound } from './http/send-error';
import { hubSchema, PRESHAPED } from './graphql/schema';
import { jitExecutor } from './graphql/executor';
import { CATALOG_CHANNEL, catalogDcatHandler } from './modules/catalog';
import { SHARING_CHANNEL } from './modules/sharing';
import { CATALOG_CACHE_TAG } from './cache/cache';
import { createEventBus, EventBus } from './db/events';
import { createRedisEventBus } from './db/redis-events';
import { attachSubscriptions, SubscriptionServer } from './graphql/subscriptions';
import type { PGlite } from '@electric-sql/pglite';
import { creditFeedRouter } from './modules/feed';
import { hj212Router, IngestHooks } from './modules/ingest';
import { loadReminderRules } from './modules/reminders';
import { loadWarningRules } from './modules/warning';
import { loadCalendarFile } from './domain/calendar/calendar-file';
import { calendarFromFile, calendarRunway, useCalendar } from './domain/calendar/working-days';
import { chinaDayOf } from './domain/calendar/days';
import type { HubMetrics } from './http/metrics';
import { WebhookDelivery } from './modules/webhook';
import { playgroundRouter } from './playground/playground';
import { portalRouter } from './portal/portal';
import type { Logger } from './logger';
import type { DataSource } from 'typeorm';
import { stringifyResult } from './graphql/shaped-json';
import { graphqlHandler } from './http/graphql-handler';

export interface Hub {
  app: express.Express;
  httpServer: http.Server;
  apollo: ApolloServer<HubContext>;
  /** Cache, metrics, rate limiter and the other defences (src/http/operations.ts). */
  ops: Operations;
  /** What the HJ 212 ingest tells the rest of the hub (the TCP listener in main.ts takes the same). */
  ingestHooks: IngestHooks;
  services: Services;
  /** What instances on one database tell each other (src/db/events.ts). */
  events: EventBus;
  /** GraphQL subscriptions over WebSocket at /graphql (src/graphql/subscriptions.ts). */
  subscriptions: SubscriptionServer;
  /** The webhook delivery worker: one pass per `runOnce()` (main.ts runs it periodically). */
  webhookDelivery: WebhookDelivery;
  stop(): Promise<void>;
}

/**
 * Before a response leaves: writes the request's audit events (if that fails, the data is withheld:
 * no unaudited read leaves the hub), reports what the policy masked, and how many SQL statements
 * the request cost. An answer with a SERVICE_UNAVAILABLE error (the database could not be reached)
 * is HTTP 503 with `Retry-After`, so clients and balancers retry instead of taking it for a bug.
 */
function responsePlugin(log: Logger): ApolloServerPlugin<HubContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue: ctx, response, operationName }) {
          try {
            await ctx.services.audit.write({ requestId: ctx.requestId, principal: ctx.principal, purpose: ctx.purpose, operationName: operationName ?? null, audit: ctx.audit });
          } catch (err) {
            log.error({ err, requestId: ctx.requestId }, 'audit write failed: response withheld');
            if (response.body.kind === 'single') {
              response.body.singleResult.data = null;
              response.body.singleResult.errors = [{
                message: 'the read could not be written to the audit log, so its data is withheld; try again',
                extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS },
              }];
            }
            ctx.maskReport.clear();
            ctx.withheld.length = 0;
          }
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors ?? [] : [];
          if (errors.some((e) => e.extensions?.code === ErrorCode.SERVICE_UNAVAILABLE)) {
            response.http.status = 503;
            response.http.headers.set('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
          }
          response.http.headers.set('x-sql-statements', String(ctx.sql.statements));
          response.http.headers.set('x-request-id', ctx.requestId);
          if (response.body.kind === 'single' && (ctx.maskReport.size > 0 || ctx.withheld.length > 0)) {
            const policy: Record<string, unknown> = {};
            if (ctx.maskReport.size > 0) policy.masked = [...ctx.maskReport].map(([field, rule]) => ({ field, rule }));
            if (ctx.withheld.length > 0) policy.withheld = ctx.withheld;
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, policy };
          }
        },
      };
    },
  };
}

/** Every packet counted by the metrics; every stored one evaluated at once by the warning rules. */
function ingestHooks(services: Services, metrics: HubMetrics): IngestHooks {
  return {
    packet: metrics.hj212Packet,
    stored: async (stationId, from, to) => {
      await services.alerts.evaluateStored(stationId, from, to);
    },
    // A batch's stations in one evaluation per window of China Standard Time days (what evaluateStored
    // evaluates for one station): one body or TCP batch is usually one window.
    storedMany: async (spans) => {
      const DAY = 86_400_000;
      const cstDay = (d: Date) => {
        const t = d.getTime() + 8 * 3_600_000;
        return t - (t % DAY) - 8 * 3_600_000;
      };
      const windows = new Map<string, { from: number; to: number; ids: string[] }>();
      for (const s of spans) {
        const from = cstDay(s.from);
        const to = cstDay(s.to) + DAY;
        const w = windows.get(`${from}|${to}`) ?? { from, to, ids: [] };
        w.ids.push(s.stationId);
        windows.set(`${from}|${to}`, w);
      }
      for (const w of windows.values()) await services.alerts.evaluate(w.ids, new Date(w.from), new Date(w.to));
    },
    extraUnits: services.alerts.rules.parameterUnits,
  };
}

/**
 * Builds the HTTP side of the hub: /graphql (Apollo Server on express), the catalog portal (/), the playground, the DCAT
 * export, the credit feed, HJ 212 ingest, /metrics, /healthz and /readyz. One edge serves them
 * all: the request context (src/http/request-context.ts) verifies the token once, and one error
 * handler (src/http/send-error.ts) writes every error body outside Apollo.
 * The caller owns the database and closes it after `stop()`.
 */
export async function createHub(config: Config, ds: DataSource, log: Logger, opts: { pglite?: PGlite; clock?: () => Date } = {}): Promise<Hub> {
  // The official calendar first: a calendar file with a problem (or one that disagrees with the
  // package) stops the start with a CalendarFileError naming the field, before anything listens.
  const calendar = calendarFromFile(config.calendarFile, loadCalendarFile);
  useCalendar(calendar);
  const app = express();
  app.disable('x-powered-by');
  // No automatic ETags: Express would hash every GraphQL answer (0.17 ms for a 216 KB list page),
  // and a POST is never revalidated. The answers worth one set their own (src/http/etag.ts).
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);
  const httpServer = http.createServer(app);
  const ops = createOperations(config, ds, log);
  const verifier = new TokenVerifier(tokenSettings(config));
  // Every route: request context (id, SQL counter, purpose, the token verified once), one log line,
  // metrics, security headers; /metrics before any limit.
  app.use(requestContext({ verifier, parsePurpose }), ops.requestLog, ops.securityHeaders);
  app.get('/metrics', ops.metricsHandler);
  // What other instances tell this one (a catalog load, a record written, an alert raised): on the
  // database the DataSource reads, so a test's clone listens on itself.
  const busLog = (level: 'info' | 'warn', msg: string, data?: object) => log[level](data ?? {}, msg);
  const pgEvents = createEventBus({ ds, pglite: opts.pglite, databaseUrl: (ds.options as { url?: string }).url, log: busLog });
  // HUB_EVENT_BUS=redis: Redis pub/sub in front, PostgreSQL behind it (fallback, and the writers that notify in SQL).
  const events = config.eventBus === 'redis' && config.redisUrl
    ? createRedisEventBus({ ds, postgres: pgEvents, redisUrl: config.redisUrl, namespace: `${config.cache.namespace}:events`, log: busLog })
    : pgEvents;
  const services = createServices(ds, ops.cache, {
    preparedStatements: config.preparedStatements, auditCommit: config.auditCommit, clock: opts.clock, events, alertObserver: { raised: ops.metrics.alertRaised }, warningRules: loadWarningRules(config.warningRulesFile),
    webhookReceivers: { allowHttp: config.webhooks.allowHttp, allowPrivate: config.webhooks.allowPrivate },
    reminderObserver: { created: ops.metrics.reminderCreated }, reminderRules: loadReminderRules(config.reminderRulesFile),
  });
  await services.catalog.refresh(); // the policy reads the catalog's sharing rules from memory
  // How long the calendar lasts, on the hub's clock: /readyz and /metrics say it; a warning at start within 30 days of its end.
  ops.calendar = () => calendarRunway(chinaDayOf(services.clock()));
  ops.metrics.calendarDaysLeft = () => ops.calendar!().daysLeft;
  const runway = ops.calendar();
  const calendarLog = { lastDay: runway.lastDay, daysLeft: runway.daysLeft, source: calendar.coverage.source, fileYears: calendar.fileYears };
  if (runway.ending) {
    log.warn({ ...calendarLog, needs: runway.nextYear }, `the official calendar ends on ${runway.lastDay} (${runway.daysLeft} days): working-day deadlines past it are refused (calendar.coverage) until ${runway.nextYear} is added to the calendar file (docs/sharing.md, Calendar)`);
  } else {
    log.info(calendarLog, 'official calendar loaded');
  }
  // Stations the warning rules name that this database does not hold: said once, so a typo in the rules file shows.
  const ruled = [...services.alerts.rules.sections.flatMap((g) => g.stations), ...services.alerts.rules.sources.outlets.flatMap((o) => o.stations)];
  const held: Array<{ code: string }> = await ds.query('SELECT code FROM monitoring_station WHERE code = ANY($1)', [ruled]);
  const unknown = ruled.filter((c) => !held.some((h) => h.code === c));
  if (unknown.length && held.length) log.warn({ stations: unknown, rulesVersion: services.alerts.rules.version }, 'warning rules name stations this database does not hold');
  // Reminders filed under a resource no served catalog resource governs are read by nobody (fail closed): say so once.
  const reminderResource = services.reminders.rules.catalogResource;
  if (!(services.catalog.terms().monitoring?.reminders ?? []).some((r) => r.catalogCode === reminderResource)) {
    log.warn({ catalogResource: reminderResource, rulesVersion: services.reminders.rules.version }, 'reminder rules file reminders under a resource the catalog does not serve (serves: REMINDERS): nobody can read them');
  }
  // A catalog load anywhere: the new terms decide the next request here, and cached catalog answers retire.
  const reloadCatalog = async () => {
    try {
      await services.catalog.refresh();
      await ops.cache.invalidate(CATALOG_CACHE_TAG);
      log.info({ rulesVersion: services.catalog.rulesVersion() }, 'catalog terms reloaded');
    } catch (err) {
      log.error({ err }, 'catalog terms could not be reloaded; the previous ones stay in force');
    }
  };
  events.subscribe(CATALOG_CHANNEL, () => void reloadCatalog());
  events.onReconnect(() => void reloadCatalog());
  // Grants: loaded now, reloaded when any instance changes an application (this one reloads after its own writes).
  services.sharing.attachEvents(events);
  await services.sharing.refresh();
  const reloadGrants = () => void services.sharing.refresh().catch((err) => log.error({ err }, 'sharing grants could not be reloaded; the previous ones stay in force'));
  events.subscribe(SHARING_CHANNEL, reloadGrants);
  events.onReconnect(reloadGrants);
  // The clock's transitions (APPROVED → ACTIVE on the first day, → EXPIRED after the last): at start and on the expiry interval.
  // Safe on several instances: each change locks its row and re-checks the state.
  const sweepGrants = () => void services.sharing.sweep().catch((err) => log.error({ err }, 'sharing grant sweep failed; retrying next interval'));
  await services.sharing.sweep().catch((err) => log.error({ err }, 'sharing grant sweep failed; retrying next interval'));
  const sweepTimer = config.expiryIntervalSeconds > 0 ? setInterval(sweepGrants, config.expiryIntervalSeconds * 1000) : null;
  sweepTimer?.unref();

  const apollo = new ApolloServer<HubContext>({
    // Compiled execution (graphql-jit) through Apollo's executor hook, or graphql-js's interpreter.
    ...(config.executor === 'jit' ? { gateway: jitExecutor(await hubSchema(), PRESHAPED) } : { schema: await hubSchema() }),
    // Cache control off: the hub sets no cache hints (it caches in keyv), and the default plugin would
    // wrap every field resolver to compute them (docs/performance.md).
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(), responsePlugin(log), ...ops.apolloPlugins,
    ],
    validationRules: ops.validationRules,
    parseOptions: ops.parseOptions,
    formatError: formatErrorFactory(config.exposeErrors, (err) => log.error({ err }, 'unexpected error')),
    includeStacktraceInErrorResponses: config.exposeErrors,
    // Answers PostgreSQL wrote as the response itself go out as their text (src/graphql/shaped-json.ts).
    stringifyResult,
    introspection: config.introspection,
    // main.ts owns SIGTERM/SIGINT. Apollo's own handlers would race it: a second stop() waits on a
    // barrier Apollo 5 never resolves after a clean stop, and Apollo re-raises the signal.
    stopOnTerminationSignals: false,
  });
  await apollo.start();
  // Live notifications: graphql-ws on this HTTP server at /graphql, the same schema, fed by the event bus.
  const subscriptions = attachSubscriptions({ httpServer, schema: await hubSchema(), services, verifier, bus: events, config, log, metrics: ops.metrics });

  app.use(['/graphql', '/catalog', '/feeds'], ops.cors, ops.rateLimit);
  app.use(playgroundRouter(config, services)); // GraphiQL from the hub's own files, before /graphql takes GET
  app.use(portalRouter()); // the catalog portal at / and /catalog/resources/<code>, from the hub's own files
  // The DCAT-AP export; its periods of monitoring data come from what the caller may read of them.
  const dcat = { catalog: services.catalog, temporalCoverage: (principal: Principal) => services.monitoring.coverageByCatalogResource({ principal, purpose: null, terms: services.catalog.terms() }) };
  app.get('/catalog/dcat.jsonld', catalogDcatHandler(dcat, config.publicUrl, 'jsonld'));
  app.get('/catalog/dcat.ttl', catalogDcatHandler(dcat, config.publicUrl, 'turtle'));
  app.get('/catalog/dcat', catalogDcatHandler(dcat, config.publicUrl));
  app.use(creditFeedRouter({ ds, audit: services.audit, log }));
  app.use(hj212Router({ ds, log, settings: config.hj212, hooks: ingestHooks(services, ops.metrics) }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', ops.readiness);

  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    ops.requestShape,
    // The edge context's values; a refused token throws its UNAUTHENTICATED error (401) here.
    graphqlHandler(apollo, async ({ req }) => {
      const edge = edgeOf(req);
      return buildContext(services, principalOf(req), edge.purpose, edge.sql, edge.requestId);
    }),
  );

  // Unknown paths, malformed JSON, oversized bodies, typed refusals, database outages: one writer, never a stack.
  app.use(notFound);
  app.use(errorHandler(log));

  return {
    app,
    httpServer,
    apollo,
    ops,
    events,
    services,
    ingestHooks: ingestHooks(services, ops.metrics),
    subscriptions,
    // Started by main.ts on HUB_WEBHOOK_INTERVAL_SECONDS; tests run its passes themselves.
    webhookDelivery: new WebhookDelivery({
      ds, alerts: services.alerts, reminders: services.reminders, audit: services.audit, settings: config.webhooks, observer: { attempt: ops.metrics.webhookAttempt },
      contextFor: (principal, purpose) => buildContext(services, principal, parsePurpose(purpose ?? undefined), { statements: 0 }),
    }),
    stop: async () => {
      ops.stopping = true;
      await subscriptions.close(); // subscribers are told (1001 going away) before the server stops
      if (sweepTimer) clearInterval(sweepTimer);
      await apollo.stop();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await events.close();
      await ops.close();
    },
  };
}
