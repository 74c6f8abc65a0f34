import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express, { NextFunction, Request, Response } from 'express';
import { TokenVerifier } from './auth/principal';
import type { Config } from './config';
import { migrationsUpToDate } from './db/datasource';
import { SqlStats, withSqlStats } from './db/sql-stats';
import { buildContext, createServices, HubContext, parsePurpose } from './graphql/context';
import { formatErrorFactory } from './graphql/errors';
import { hubSchema } from './graphql/schema';
import { catalogDcatHandler } from './modules/catalog';
import type { Logger } from './logger';
import type { DataSource } from 'typeorm';

export interface Hub {
  app: express.Express;
  httpServer: http.Server;
  apollo: ApolloServer<HubContext>;
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
          const contextValue = ctx;
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
          }
          response.http.headers.set('x-sql-statements', String(contextValue.sql.statements));
          response.http.headers.set('x-request-id', contextValue.requestId);
          if (response.body.kind === 'single' && contextValue.maskReport.size > 0) {
            const masked = [...contextValue.maskReport].map(([field, rule]) => ({ field, rule }));
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, policy: { masked } };
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
  const httpServer = http.createServer(app);
  const services = createServices(ds);
  await services.catalog.refresh(); // the policy reads the catalog's sharing rules from memory
  const verifier = new TokenVerifier({ secret: config.jwtSecret, issuer: config.jwtIssuer, audience: config.jwtAudience });

  const apollo = new ApolloServer<HubContext>({
    schema: await hubSchema(),
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled(), responsePlugin(log)],
    formatError: formatErrorFactory(config.exposeErrors, (err) => log.error({ err }, 'unexpected error')),
    includeStacktraceInErrorResponses: config.exposeErrors,
    introspection: true,
  });
  await apollo.start();

  app.get('/catalog/dcat.jsonld', catalogDcatHandler(services.catalog, verifier));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  let migrated = false;
  app.get('/readyz', async (_req, res) => {
    try {
      await ds.query('SELECT 1');
      migrated ||= await migrationsUpToDate(ds);
      if (!migrated) {
        res.status(503).json({ status: 'unavailable', database: 'ok', migrations: 'pending' });
        return;
      }
      res.json({ status: 'ready', database: 'ok', migrations: 'applied' });
    } catch (err) {
      log.warn({ err: String(err) }, 'readiness check failed');
      res.status(503).json({ status: 'unavailable', database: 'unreachable' });
    }
  });

  app.use(
    '/graphql',
    cors(),
    express.json({ limit: '1mb' }),
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
    stop: async () => {
      await apollo.stop();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
