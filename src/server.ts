import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { NextFunction, Request, Response } from 'express';
import { TokenVerifier } from './auth/principal';
import type { Config } from './config';
import { SqlStats, withSqlStats } from './db/sql-stats';
import { buildContext, createServices, HubContext, parsePurpose } from './graphql/context';
import { formatErrorFactory } from './graphql/errors';
import { createOperations, Operations } from './http/operations';
import { hubSchema } from './graphql/schema';
import { catalogDcatHandler } from './modules/catalog';
import { creditFeedRouter } from './modules/feed';
import { hj212Router } from './modules/ingest';
import { playgroundRouter } from './playground/playground';
import type { Logger } from './logger';
import type { DataSource } from 'typeorm';

export interface Hub {
  app: express.Express;
  httpServer: http.Server;
  apollo: ApolloServer<HubContext>;
  /** Cache, metrics, rate limiter and the other defences (src/http/operations.ts). */
  ops: Operations;
  stop(): Promise<void>;
}

/**
 * Before a response leaves: writes the request's audit events (if that fails, the data is withheld:
 * no unaudited read leaves the hub), reports what the policy masked, and how many SQL statements
 * the request cost.
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
            response.http.status = 503;
            if (response.body.kind === 'single') {
              response.body.singleResult.data = null;
              response.body.singleResult.errors = [{ message: 'the read could not be written to the audit log, so its data is withheld; try again', extensions: { code: 'SERVICE_UNAVAILABLE' } }];
            }
            ctx.maskReport.clear();
            ctx.withheld.length = 0;
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

/**
 * Builds the HTTP side of the hub: /graphql (Apollo Server on express), /healthz and /readyz.
 * The caller owns the database and closes it after `stop()`.
 */
export async function createHub(config: Config, ds: DataSource, log: Logger): Promise<Hub> {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  const httpServer = http.createServer(app);
  const ops = createOperations(config, ds, log);
  // Every route: request id, one log line, metrics, security headers; /metrics before any limit.
  app.use(ops.requestLog, ops.securityHeaders);
  app.get('/metrics', ops.metricsHandler);
  const services = createServices(ds, ops.cache);
  await services.catalog.refresh(); // the policy reads the catalog's sharing rules from memory
  const verifier = new TokenVerifier({ secret: config.jwtSecret, issuer: config.jwtIssuer, audience: config.jwtAudience });

  const apollo = new ApolloServer<HubContext>({
    schema: await hubSchema(),
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
    introspection: config.introspection,
    // main.ts owns SIGTERM/SIGINT. Apollo's own handlers would race it: a second stop() waits on a
    // barrier Apollo 5 never resolves after a clean stop, and Apollo re-raises the signal.
    stopOnTerminationSignals: false,
  });
  await apollo.start();

  app.use(['/graphql', '/catalog', '/feeds'], ops.cors, ops.rateLimit);
  app.use(playgroundRouter(config, services)); // GraphiQL from the hub's own files, before /graphql takes GET
  app.get('/catalog/dcat.jsonld', catalogDcatHandler(services.catalog, verifier));
  app.use(creditFeedRouter({ ds, verifier, audit: services.audit, log }));
  app.use(hj212Router({ ds, log }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', ops.readiness);

  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    ops.requestShape,
    (req: Request, _res: Response, next: NextFunction) => {
      // Everything the request runs from here on counts its SQL statements in this object.
      const stats: SqlStats = { statements: 0 };
      (req as Request & { sqlStats?: SqlStats }).sqlStats = stats;
      withSqlStats(stats, next);
    },
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const principal = await verifier.principalFrom(req.headers.authorization);
        const given = req.headers['x-request-id'];
        const requestId: string = typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
        const stats = (req as Request & { sqlStats?: SqlStats }).sqlStats ?? { statements: 0 };
        return buildContext(services, principal, parsePurpose(req.headers['x-purpose']), stats, requestId);
      },
    }),
  );

  // Malformed JSON, oversized bodies and the like: a 4xx with a code, never a stack.
  app.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) log.error({ err }, 'unhandled HTTP error');
    const message = err.type === 'entity.parse.failed' ? 'request body is not valid JSON'
      : err.type === 'entity.too.large' ? 'request body is larger than 1 MB'
        : status === 500 ? 'internal error' : err.message;
    res.status(status).json({ errors: [{ message, extensions: { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST' } }] });
  });

  return {
    app,
    httpServer,
    apollo,
    ops,
    stop: async () => {
      ops.stopping = true;
      await apollo.stop();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await ops.close();
    },
  };
}
