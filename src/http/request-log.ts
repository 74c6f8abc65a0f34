import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';
import type { SqlStats } from '../db/sql-stats';
import type { Logger } from '../logger';
import { edgeOf } from './request-context';

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

/** Probes and scrapes are logged at debug level, so they do not drown the requests that matter. */
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** Where the request log writes, and who else wants to know about each finished request (the metrics). */
export interface RequestLogOptions {
  log: Logger;
  /** Called once per finished request, with its duration in seconds. */
  observe?: (method: string, path: string, status: number, seconds: number, sql: SqlStats | undefined) => void;
}

/**
 * The request log, mounted right after the request context (src/http/request-context.ts), whose
 * id, SQL counter and principal it reports: one JSON line when the response is done (method,
 * path, status, ms, operationName, sqlStatements, sqlMs, sub), and the same numbers to the metrics.
 */
export function requestLog(opts: RequestLogOptions) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    // Taken now: mounted routers rewrite req.url while they run, and the response may finish inside one.
    const path = req.path;
    const edge = edgeOf(req);
    const info: RequestInfo = { requestId: edge.requestId, sub: edge.principal?.sub };

    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // The status of a request whose client went away before the answer is not the client's to see: 499, as nginx logs it.
      const status = res.writableFinished ? res.statusCode : 499;
      const sql = edge.sql;
      opts.observe?.(req.method, path, status, seconds, sql);
      const line = {
        reqId: edge.requestId,
        method: req.method,
        path,
        status,
        ms: Math.round(seconds * 10_000) / 10,
        operationName: info.operationName,
        sqlStatements: sql.statements,
        sqlMs: sql.ms ?? 0,
        sub: info.sub,
      };
      if (QUIET_PATHS.has(path)) opts.log.debug(line, 'request');
      else opts.log.info(line, 'request');
    };
    res.on('finish', finish);
    res.on('close', finish);
    store.run(info, next);
  };
}
