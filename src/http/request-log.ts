import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { SqlStats, withSqlStats } from '../db/sql-stats';
import type { Logger } from '../logger';

/** What the log line of one request tells, filled in by whoever learns it while the request runs. */
export interface RequestInfo {
  requestId: string;
  operationName?: string;
  sub?: string;
}

const store = new AsyncLocalStorage<RequestInfo>();

/** The running request's info (inside a request only). */
export function currentRequest(): RequestInfo | undefined {
  return store.getStore();
}

const REQUEST_ID = /^[\w-]{1,64}$/;
/** Probes and scrapes are logged at debug level, so they do not drown the requests that matter. */
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

type WithSql = Request & { sqlStats?: SqlStats };

/** Where the request log writes, and who else wants to know about each finished request (the metrics). */
export interface RequestLogOptions {
  log: Logger;
  /** Called once per finished request, with its duration in seconds. */
  observe?: (method: string, path: string, status: number, seconds: number, sql: SqlStats | undefined) => void;
}

/**
 * The first middleware of the hub. Gives every request an id (the client's `x-request-id` when it
 * is a plain token of at most 64 characters, else a new UUID), echoes it in the response header on
 * every route, puts it back on the request so the GraphQL context and audit events use the same
 * one, counts the request's SQL statements (GraphQL keeps its own counter; both sit on
 * `req.sqlStats`) and writes one JSON log line when the response is done: method, path, status,
 * ms, operationName, sqlStatements, sqlMs, sub.
 */
export function requestLog(opts: RequestLogOptions) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    // Taken now: mounted routers rewrite req.url while they run, and the response may finish inside one.
    const path = req.path;
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    req.headers['x-request-id'] = requestId;
    res.setHeader('x-request-id', requestId);
    const info: RequestInfo = { requestId };
    const stats: SqlStats = { statements: 0, ms: 0 };
    (req as WithSql).sqlStats = stats;

    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // The status of a request whose client went away before the answer is not the client's to see: 499, as nginx logs it.
      const status = res.writableFinished ? res.statusCode : 499;
      const sql = (req as WithSql).sqlStats;
      opts.observe?.(req.method, path, status, seconds, sql);
      const line = {
        reqId: requestId,
        method: req.method,
        path,
        status,
        ms: Math.round(seconds * 10_000) / 10,
        operationName: info.operationName,
        sqlStatements: sql?.statements,
        sqlMs: sql ? sql.ms ?? 0 : undefined,
        sub: info.sub,
      };
      if (QUIET_PATHS.has(path)) opts.log.debug(line, 'request');
      else opts.log.info(line, 'request');
    };
    res.on('finish', finish);
    res.on('close', finish);
    store.run(info, () => withSqlStats(stats, next));
  };
}
