import { Request, Response, Router } from 'express';
import { DataSource } from 'typeorm';
import { badInput, unauthenticated } from '../../graphql/errors';
import { edgeOf, principalOf } from '../../http/request-context';
import type { Logger } from '../../logger';
import { AuditService, AuditTrail } from '../audit';
import { filterFromQuery } from './credit-feed.filter';
import {
  assertFeedAccess, auditChunk, decodeFeedCursor, feedChunk, feedCursor, feedHasAfter, feedHead, snapshotChunk, snapshotDay,
} from './credit-feed.service';

/** Entries per chunk: one statement and one socket write each, and the most the stream holds in memory. */
export const STREAM_CHUNK = 1000;

/** What the streams need of the hub: the database, the audit log and the logger (the principal comes from the request context). */
export interface CreditFeedRouterOptions {
  ds: DataSource;
  audit: AuditService;
  log: Logger;
}

/** Writes, and waits for 'drain' when the socket's buffer is full (or for 'close' if the client left). */
function write(res: Response, chunk: string): Promise<void> {
  if (res.write(chunk)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** A stream's body: writes the lines, resolves to the trailer line's object. */
type Body = (res: Response, trail: AuditTrail, aborted: () => boolean) => Promise<Record<string, unknown>>;

/**
 * Sends an NDJSON body: the 200 and headers, the lines, and the trailer as the last line. A stream
 * that fails after the status is sent ends without the trailer, so the client knows to resume.
 * It is audited after it ends (a stream cannot be withheld once sent).
 */
async function stream(o: CreditFeedRouterOptions, req: Request, res: Response, name: string, headers: Record<string, string>, body: Body): Promise<void> {
  const principal = principalOf(req);
  let closed = false;
  res.on('close', () => {
    closed = !res.writableFinished;
  });
  const trail = new AuditTrail();
  res.status(200);
  res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Accel-Buffering', 'no');
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.flushHeaders();
  const started = Date.now();
  try {
    const trailer = await body(res, trail, () => closed);
    if (!closed) res.end(JSON.stringify(trailer) + '\n');
  } catch (err) {
    o.log.error({ err, stream: name }, 'credit stream failed');
    res.destroy();
  } finally {
    const audit = o.audit.write({ requestId: edgeOf(req).requestId, principal, purpose: null, operationName: name, audit: trail });
    await audit.catch((err) => o.log.error({ err }, `${name}: audit write failed`));
    o.log.info({ sub: principal.sub, ms: Date.now() - started, aborted: closed }, `${name} streamed`);
  }
}

/** The request's principal, when it may pull the credit streams (a bearer token is required). */
function allowedPrincipal(req: Request) {
  if (!req.headers.authorization) throw unauthenticated('the credit feed needs a bearer token');
  const principal = principalOf(req);
  assertFeedAccess(principal);
  return principal;
}

function oneString(req: Request, name: string): string | undefined {
  const raw = req.query[name];
  if (raw !== undefined && typeof raw !== 'string') throw badInput(name, 'must be given once');
  return raw === '' ? undefined : raw;
}

/**
 * `GET /feeds/credit.ndjson?after=CURSOR` (and the filter's `jurisdiction`, `province`, `op`,
 * `kind`, `since`): the credit feed as newline-delimited JSON, for a full initial load. Each line
 * is one entry, shaped as the GraphQL `CreditFeedEntry`; the last line is `{"endCursor": …,
 * "hasMore": …}`. A stream without that line was cut: resume from the cursor of the last entry
 * received.
 *
 * `GET /feeds/credit-in-force.ndjson?asOf=DAY` (and the filter): the snapshot of
 * `creditListingsInForce` as lines, the last `{"feedCursor": …, "asOf": …, "count": …}`; the
 * `X-Feed-Cursor` header says the same cursor before the first line.
 *
 * Both read chunks of 1,000 entries, each one statement whose lines PostgreSQL builds and joins, up
 * to a bound fixed before the status is sent (the head seq), so a client never waits for a row
 * committed after it asked. Refusals (401, 403, 400) and a database that cannot be reached (503)
 * are thrown to the hub's error handler before the 200.
 */
export function creditFeedRouter(o: CreditFeedRouterOptions): Router {
  const router = Router();
  router.get('/feeds/credit.ndjson', async (req: Request, res: Response) => {
    const principal = allowedPrincipal(req);
    const after = decodeFeedCursor(oneString(req, 'after') ?? null);
    const filter = filterFromQuery(req.query);
    const head = await feedHead(o.ds);
    let last = after;
    await stream(o, req, res, 'creditFeed.ndjson', { 'X-Feed-Read': 'chunks' }, async (r, trail, aborted) => {
      for (;;) {
        const chunk = await feedChunk(o.ds, principal, last, STREAM_CHUNK, filter, head);
        if (chunk.count > 0) {
          auditChunk(trail, chunk);
          last = chunk.last!;
          await write(r, chunk.lines + '\n');
        }
        if (chunk.count < STREAM_CHUNK || aborted()) break;
      }
      return { endCursor: feedCursor(last), hasMore: await feedHasAfter(o.ds, last, filter) };
    });
  });

  router.get('/feeds/credit-in-force.ndjson', async (req: Request, res: Response) => {
    const principal = allowedPrincipal(req);
    const asOf = snapshotDay(oneString(req, 'asOf'));
    const filter = filterFromQuery(req.query);
    // The first chunk fixes the snapshot's seq (read in its own statement, with its records), before the status.
    const first = await snapshotChunk(o.ds, principal, { seq: null, asOf, afterNo: null, limit: STREAM_CHUNK, filter });
    const seq = first.seq;
    await stream(o, req, res, 'creditListingsInForce.ndjson', { 'X-Feed-Cursor': feedCursor(seq) }, async (r, trail, aborted) => {
      let chunk = first.chunk;
      let count = 0;
      for (;;) {
        if (chunk.count > 0) {
          auditChunk(trail, chunk);
          count += chunk.count;
          await write(r, chunk.lines + '\n');
        }
        if (chunk.count < STREAM_CHUNK || aborted()) break;
        chunk = (await snapshotChunk(o.ds, principal, { seq, asOf, afterNo: chunk.lastNo, limit: STREAM_CHUNK, filter })).chunk;
      }
      return { feedCursor: feedCursor(seq), asOf, count };
    });
  });
  return router;
}
