import { Request, Response, Router } from 'express';
import { DataSource } from 'typeorm';
import { RecordType } from '../../auth/policy';
import { badInput, unauthenticated } from '../../graphql/errors';
import { edgeOf, principalOf } from '../../http/request-context';
import type { Logger } from '../../logger';
import { AuditService, AuditTrail } from '../audit';
import {
  assertFeedAccess, decodeFeedCursor, FEED_SELECT, feedCursor, feedHasAfter, feedHead, FeedRow, feedRowsAfter, Queryable, toFeedEntry,
} from './credit-feed.service';

/** Rows per FETCH (PostgreSQL cursor) or per chunk (paged by seq): the most the stream holds in memory. */
export const STREAM_CHUNK = 1000;

/** What the stream needs of the hub: the database, the audit log and the logger (the principal comes from the request context). */
export interface CreditFeedRouterOptions {
  ds: DataSource;
  audit: AuditService;
  log: Logger;
}

/** Streams currently holding a pooled connection for a server-side cursor, per database. */
const cursorStreams = new WeakMap<DataSource, number>();

/**
 * Server-side cursors pin a pooled connection for the whole stream, so they are used only where
 * the pool has connections to spare: never on PGlite (one connection; a cursor would stall every
 * other request), and on PostgreSQL for at most half the pool at once. The others page by seq,
 * taking the connection for one chunk at a time; both give the same lines.
 */
function takeCursorSlot(ds: DataSource): boolean {
  const pool = Number((ds.options as { poolSize?: number }).poolSize ?? 10);
  const busy = cursorStreams.get(ds) ?? 0;
  if (pool < 2 || busy >= Math.floor(pool / 2)) return false;
  cursorStreams.set(ds, busy + 1);
  return true;
}

function releaseCursorSlot(ds: DataSource): void {
  cursorStreams.set(ds, Math.max(0, (cursorStreams.get(ds) ?? 1) - 1));
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

interface StreamState {
  last: string;
  aborted: () => boolean;
  trail: AuditTrail;
}

async function emit(res: Response, rows: FeedRow[], state: StreamState): Promise<void> {
  if (rows.length === 0) return;
  const entries = rows.map(toFeedEntry);
  state.trail.returned(RecordType.CREDIT_RECORD, entries.map((e) => ({ ownerJurisdiction: e.jurisdiction })));
  state.last = rows[rows.length - 1].seq;
  await write(res, entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
}

/** Sends what is left of the stream; resolves to whether the feed holds more after the last line sent. */
type FeedStream = (res: Response, state: StreamState) => Promise<boolean>;

/**
 * PostgreSQL: one snapshot, one server-side cursor on a dedicated connection, FETCH by chunk. The
 * cursor is declared before the status is sent, so a database that cannot be reached is a 503.
 */
async function openCursor(ds: DataSource, after: string): Promise<FeedStream> {
  const qr = ds.createQueryRunner();
  try {
    await qr.connect();
    await qr.startTransaction();
    await qr.query(`DECLARE credit_feed_stream NO SCROLL CURSOR FOR ${FEED_SELECT} ORDER BY c.seq`, [after]);
  } catch (err) {
    if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
    await qr.release();
    throw err;
  }
  return async (res, state) => {
    try {
      for (;;) {
        const rows: FeedRow[] = await qr.query(`FETCH FORWARD ${STREAM_CHUNK} FROM credit_feed_stream`);
        await emit(res, rows, state);
        if (rows.length < STREAM_CHUNK || state.aborted()) break;
      }
      await qr.query('CLOSE credit_feed_stream');
      // Read committed: this statement sees what committed while the stream ran.
      const more = await feedHasAfter(qr as Queryable, state.last);
      await qr.commitTransaction();
      return more;
    } catch (err) {
      if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
      throw err;
    } finally {
      await qr.release();
    }
  };
}

/** PGlite, or a busy pool: chunks by seq up to the head as it was when the stream began (read before the status is sent). */
async function openChunks(ds: DataSource): Promise<FeedStream> {
  const head = await feedHead(ds);
  return async (res, state) => {
    for (;;) {
      const rows = await feedRowsAfter(ds, state.last, STREAM_CHUNK, head);
      await emit(res, rows, state);
      if (rows.length < STREAM_CHUNK || state.aborted()) break;
    }
    return feedHasAfter(ds, state.last);
  };
}

/**
 * `GET /feeds/credit.ndjson?after=CURSOR`: the credit feed as newline-delimited JSON, for a full
 * initial load. Each line is one entry, shaped as the GraphQL `CreditFeedEntry`; the last line is
 * `{"endCursor": …, "hasMore": …}`. A stream without that line was cut: resume from the cursor of
 * the last entry received. Same policy as the `creditFeed` query, but a bearer token is required.
 * Refusals (401, 403, 400) and a database that cannot be reached (503, `Retry-After`) are thrown to
 * the hub's error handler, before the 200 is sent.
 */
export function creditFeedRouter(o: CreditFeedRouterOptions): Router {
  const router = Router();
  router.get('/feeds/credit.ndjson', async (req: Request, res: Response) => {
    if (!req.headers.authorization) throw unauthenticated('the credit feed needs a bearer token');
    const principal = principalOf(req);
    assertFeedAccess(principal);
    const raw = req.query.after;
    if (raw !== undefined && typeof raw !== 'string') throw badInput('after', 'must be given once, as a cursor');
    const after = decodeFeedCursor(raw === undefined || raw === '' ? null : raw);

    const cursor = takeCursorSlot(o.ds);
    let stream: FeedStream;
    try {
      stream = cursor ? await openCursor(o.ds, after) : await openChunks(o.ds);
    } catch (err) {
      if (cursor) releaseCursorSlot(o.ds);
      throw err;
    }

    let closed = false;
    res.on('close', () => {
      closed = !res.writableFinished;
    });
    const state: StreamState = { last: after, aborted: () => closed, trail: new AuditTrail() };
    res.status(200);
    res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Accel-Buffering', 'no');
    res.setHeader('X-Feed-Read', cursor ? 'cursor' : 'chunks');
    res.flushHeaders();
    const started = Date.now();
    try {
      let hasMore: boolean;
      try {
        hasMore = await stream(res, state);
      } finally {
        if (cursor) releaseCursorSlot(o.ds);
      }
      if (!closed) res.end(JSON.stringify({ endCursor: feedCursor(state.last), hasMore }) + '\n');
    } catch (err) {
      // The status is sent: end without the cursor line, so the client knows to resume.
      o.log.error({ err, after, last: state.last }, 'credit feed stream failed');
      res.destroy();
    } finally {
      // Audited after the fact (a stream cannot be withheld once sent): what left, by owner.
      const audit = o.audit.write({ requestId: edgeOf(req).requestId, principal, purpose: null, operationName: 'creditFeed.ndjson', audit: state.trail });
      await audit.catch((err) => o.log.error({ err }, 'credit feed stream: audit write failed'));
      o.log.info({ sub: principal.sub, after, last: state.last, ms: Date.now() - started, aborted: closed }, 'credit feed streamed');
    }
  });
  return router;
}
