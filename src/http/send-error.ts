import type { NextFunction, Request, Response } from 'express';
import { GraphQLError } from 'graphql';
import { ErrorCode, isDatabaseUnavailable, UNAVAILABLE_RETRY_AFTER_SECONDS } from '../graphql/errors';
import type { Logger } from '../logger';

/**
 * The one writer of HTTP error bodies outside Apollo: the same shape as a GraphQL error answer
 * (`{ errors: [{ message, extensions: { code, … } }] }`), so a client reads a refusal from the
 * NDJSON feed, the DCAT export, ingest, the metrics or the rate limiter as it reads one from /graphql.
 */
export function sendError(res: Response, status: number, code: ErrorCode | string, message: string, extensions: Record<string, unknown> = {}): void {
  // `http` is Apollo's instruction to itself (status, headers), never part of an answer.
  const { http: _http, code: _code, ...rest } = extensions;
  if (status === 503 || status === 429) {
    const retry = typeof rest.retryAfterSeconds === 'number' ? rest.retryAfterSeconds : UNAVAILABLE_RETRY_AFTER_SECONDS;
    res.setHeader('Retry-After', String(retry));
  }
  res.status(status).json({ errors: [{ message, extensions: { code, ...rest } }] });
}

/** The HTTP status of each code when no other status is given (GraphQL answers keep Apollo's rules). */
const STATUS_OF: Record<string, number> = {
  [ErrorCode.BAD_USER_INPUT]: 400,
  BAD_REQUEST: 400,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.QUERY_TOO_COMPLEX]: 400,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.SERVICE_UNAVAILABLE]: 503,
  [ErrorCode.INTERNAL_SERVER_ERROR]: 500,
};

/** Writes a typed hub error (a `GraphQLError` with `extensions.code`): its own `http.status`, else the code's. */
export function sendHubError(res: Response, err: GraphQLError): void {
  const code = String(err.extensions.code ?? ErrorCode.INTERNAL_SERVER_ERROR);
  const given = (err.extensions.http as { status?: number } | undefined)?.status;
  sendError(res, given ?? STATUS_OF[code] ?? 500, code, err.message, err.extensions as Record<string, unknown>);
}

/** Sends the database outage answer: 503, SERVICE_UNAVAILABLE, `Retry-After`. */
export function sendUnavailable(res: Response): void {
  sendError(res, 503, ErrorCode.SERVICE_UNAVAILABLE, 'the database is not reachable; try again shortly', { retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS });
}

/**
 * The last handler of the app, for every route outside Apollo: typed hub errors keep their code,
 * a database outage is 503 with `Retry-After`, body-parser failures (bad JSON, too large) are
 * 4xx with a code, and anything else is a masked 500: never a stack or SQL.
 */
export function errorHandler(log: Logger) {
  return (err: Error & { status?: number; type?: string }, _req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(err);
    if (err instanceof GraphQLError && typeof err.extensions.code === 'string' && err.extensions.code !== ErrorCode.INTERNAL_SERVER_ERROR) {
      sendHubError(res, err);
      return;
    }
    if (isDatabaseUnavailable(err)) {
      log.warn({ err: err.message }, 'database unavailable');
      sendUnavailable(res);
      return;
    }
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) {
      log.error({ err }, 'unhandled HTTP error');
      sendError(res, 500, ErrorCode.INTERNAL_SERVER_ERROR, 'internal error');
      return;
    }
    const message = err.type === 'entity.parse.failed' ? 'request body is not valid JSON'
      : err.type === 'entity.too.large' ? 'request body is larger than 1 MB'
        : err.message;
    const code = status === 401 ? ErrorCode.UNAUTHENTICATED : status === 403 ? ErrorCode.FORBIDDEN : status === 404 ? ErrorCode.NOT_FOUND : 'BAD_REQUEST';
    sendError(res, status, code, message);
  };
}

/** The answer to a path no route serves: 404 in the error shape, rather than Express's HTML page. */
export function notFound(req: Request, res: Response): void {
  sendError(res, 404, ErrorCode.NOT_FOUND, `no route for ${req.method} ${req.path}`);
}
