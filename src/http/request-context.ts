import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { GraphQLError } from 'graphql';
import type { Principal, TokenVerifier } from '../auth/principal';
import { SqlStats, withSqlStats } from '../db/sql-stats';
import type { Purpose } from '../graphql/context';
import { unauthenticated } from '../graphql/errors';

/**
 * What the edge knows about one request, worked out once by the first middleware and read by
 * everything after it: the rate limiter, Apollo's context, the NDJSON feed, the DCAT export,
 * ingest, the metrics and the request log.
 */
export interface RequestContext {
  /** The client's `x-request-id` when it is a plain token of at most 64 characters, else a new UUID. */
  requestId: string;
  /** The recognised `X-Purpose`, or null. */
  purpose: Purpose | null;
  /** Counts the SQL statements (and their time) that the request causes, wherever they run. */
  sql: SqlStats;
  /** The verified principal (the public one without an Authorization header); null when the token was refused. */
  principal: Principal | null;
  /** Why the Authorization header was refused (UNAUTHENTICATED); set exactly when `principal` is null. */
  authError: GraphQLError | null;
}

const REQUEST_ID = /^[\w-]{1,64}$/;
const contexts = new WeakMap<Request, RequestContext>();

/** What the middleware needs: the token verifier, and how to read `X-Purpose` (the GraphQL layer's rule). */
export interface RequestContextOptions {
  verifier: Pick<TokenVerifier, 'principalFrom'>;
  /** Passed in rather than imported, so that modules can read the context without importing the GraphQL layer. */
  parsePurpose: (header: string | string[] | undefined) => Purpose | null;
}

/**
 * The first middleware of the hub: gives the request its id (echoed in `x-request-id` on every
 * answer), its SQL counter and purpose, and verifies its bearer token, once. A refused token is
 * kept as an error rather than answered here, because routes differ: /graphql, the feed and the
 * DCAT export answer it with 401 (never the public view), while /healthz or /metrics (which has
 * its own token) do not look at it.
 */
export function requestContext({ verifier, parsePurpose }: RequestContextOptions) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', requestId);
    const ctx: RequestContext = { requestId, purpose: parsePurpose(req.headers['x-purpose']), sql: { statements: 0, ms: 0 }, principal: null, authError: null };
    contexts.set(req, ctx);
    try {
      ctx.principal = await verifier.principalFrom(req.headers.authorization);
    } catch (err) {
      // Fail closed: whatever went wrong, the request is not the public's, it is unauthenticated.
      ctx.authError = err instanceof GraphQLError ? err : unauthenticated('token could not be verified');
    }
    withSqlStats(ctx.sql, next);
  };
}

/** The request's edge context; the `requestContext` middleware must have run. */
export function edgeOf(req: Request): RequestContext {
  const ctx = contexts.get(req);
  if (!ctx) throw new Error('the request context middleware (src/http/request-context.ts) is not mounted before this route');
  return ctx;
}

/** The request's principal, or the UNAUTHENTICATED error of its refused token. */
export function principalOf(req: Request): Principal {
  const ctx = edgeOf(req);
  if (ctx.authError || !ctx.principal) throw ctx.authError ?? unauthenticated('token could not be verified');
  return ctx.principal;
}
