import { DataSource } from 'typeorm';
import { feedAccess, RecordType } from '../../auth/policy';
import { Principal } from '../../auth/principal';
import { parseDay } from '../../domain/calendar';
import { badInput, forbidden } from '../../graphql/errors';
import { decodeCursor, encodeCursor } from '../../graphql/pagination';
import { AuditTrail } from '../audit';
import { zoneToday } from './credit-expiry.job';
import { FeedFilter, feedFilterSql, parseFeedFilter } from './credit-feed.filter';
import { feedEntrySql, FEED_FROM, FEED_KIND_SQL, FEED_OP_SQL, idMaskedSql } from './credit-feed.sql';
import { JsonLines, objectProjector, ShapeRequest } from '../../graphql/preshaped';
import { getNamedType, isObjectType } from 'graphql';
import {
  CreditFeedArgs, CreditFeedEntry, CreditFeedPage, CreditListingsInForce, CreditListingsInForceArgs, FEED_DEFAULT_PAGE, FEED_MAX_PAGE,
} from './credit-feed.types';

/** Anything that runs SQL: the DataSource, a transaction's manager, or a dedicated query runner. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- TypeORM's own signature
}

/** What a feed read needs of a request: who asks, and where the read is tallied for the audit log. */
export interface FeedReader {
  principal: Principal;
  audit?: AuditTrail;
}

const TAG = 'CREDIT_FEED';
const SNAPSHOT_TAG = 'CREDIT_IN_FORCE';
const SEQ = /^\d{1,18}$/;
const CREDIT = `'${RecordType.CREDIT_RECORD}'`;

/** Opaque position in the feed: base64url of the list tag and the change_log seq of the last entry read. */
export function feedCursor(seq: string): string {
  return encodeCursor(TAG, [seq]);
}

/** The seq a cursor stands for ('0' for none); a cursor the hub did not issue is BAD_USER_INPUT naming `field`. */
export function decodeFeedCursor(after: string | null | undefined, field = 'after'): string {
  if (after === null || after === undefined) return '0';
  const [seq] = decodeCursor(TAG, after, ['bigint'], field);
  if (!SEQ.test(seq)) throw badInput(field, 'is not a cursor this hub issued');
  return seq;
}

/** Throws FORBIDDEN with the deciding rule unless the policy lets the principal pull the feed. */
export function assertFeedAccess(p: Principal): void {
  const d = feedAccess(p);
  if (d.allowed) return;
  const message = p.kind === 'public'
    ? 'the credit feed needs a token of the Credit Yangtze Delta platform (CREDIT_FEED) or of ZONE'
    : `the credit feed is for the Credit Yangtze Delta platform (CREDIT_FEED role) and ZONE; ${p.jurisdiction} may not pull it`;
  throw forbidden(d.rule === 'role.required' ? `the credit feed needs one of the roles ${d.requiredRoles!.join(', ')}` : message, {
    rule: d.rule, ...(d.requiredRoles ? { requiredRoles: d.requiredRoles } : {}),
  });
}

/**
 * A chunk of the feed as PostgreSQL writes it: up to `limit` entries after `seq` (and at most
 * `upTo`), each entry's JSON text, with their seqs, owners and whether an ID number was masked.
 */
export interface FeedChunk {
  /** The entries' JSON, joined by newlines (no trailing newline); '' when empty. */
  lines: string;
  count: number;
  /** The last entry's seq, or null when empty. */
  last: string | null;
  owners: string[];
  masked: boolean[];
}

/** Rows of a chunk as PostgreSQL sends them: the entry's text and what the audit log needs. */
interface LineRow {
  key: string;
  line: string;
  owner: string;
  masked: boolean;
}

/** Rows to a chunk: the lines joined (one string for one socket write), the owners and masks for the audit log. */
function chunkOf(rows: LineRow[]): FeedChunk & { lastKey: string | null } {
  const lines = new Array<string>(rows.length);
  const owners = new Array<string>(rows.length);
  const masked = new Array<boolean>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    lines[i] = rows[i].line;
    owners[i] = rows[i].owner;
    masked[i] = rows[i].masked;
  }
  const lastKey = rows.length > 0 ? rows[rows.length - 1].key : null;
  return { lines: lines.join('\n'), count: rows.length, last: lastKey, lastKey, owners, masked };
}

/**
 * Entries after `seq` (at most `upTo`), at most `limit`, in commit order: one statement whose rows
 * are each entry's text as stored behind its cursor, time and legal representative, so the hub
 * neither parses nor serializes an entry.
 */
export async function feedChunk(db: Queryable, p: Principal, seq: string, limit: number, filter: FeedFilter, upTo?: string): Promise<FeedChunk> {
  return chunkOf(await feedLines(db, p, seq, limit, filter, upTo));
}

/** The rows of `feedChunk`: each entry's text with its seq, owner and whether an ID number was masked. */
async function feedLines(db: Queryable, p: Principal, seq: string, limit: number, filter: FeedFilter, upTo?: string): Promise<LineRow[]> {
  const params: unknown[] = [seq, limit];
  const bound = upTo === undefined ? '' : ` AND c.seq <= $${params.push(upTo)}::bigint`;
  const where = feedFilterSql(filter, params);
  return db.query(
    `SELECT c.seq::text AS key, ${feedEntrySql(p)} AS line, c.owner_jurisdiction AS owner, ${idMaskedSql(p)} AS masked
     ${FEED_FROM} WHERE c.record_type = ${CREDIT} AND c.seq > $1::bigint${bound}${where} ORDER BY c.seq LIMIT $2`, params);
}

/** Whether a credit change (matching the filter) after `seq` has committed (the hasMore of a page or stream). */
export async function feedHasAfter(db: Queryable, seq: string, filter: FeedFilter): Promise<boolean> {
  const params: unknown[] = [seq];
  const where = feedFilterSql(filter, params);
  const rows: Array<{ more: boolean }> = await db.query(
    `SELECT EXISTS (SELECT 1 FROM change_log c 
       WHERE c.record_type = ${CREDIT} AND c.seq > $1::bigint${where}) AS more`, params);
  return rows[0].more;
}

/** The newest committed credit change's seq, or '0'. */
export async function feedHead(db: Queryable): Promise<string> {
  const rows: Array<{ seq: string | null }> = await db.query(`SELECT max(seq)::text AS seq FROM change_log WHERE record_type = ${CREDIT}`);
  return rows[0].seq ?? '0';
}

/** Tallies a chunk's entries for the audit log, by owner, masked where an ID number was. */
export function auditChunk(trail: AuditTrail | undefined, chunk: Pick<FeedChunk, 'owners' | 'masked'>): void {
  if (!trail) return;
  const rows = chunk.owners.map((o) => ({ ownerJurisdiction: o }));
  trail.returned(RecordType.CREDIT_RECORD, rows, new Set(rows.filter((_, i) => chunk.masked[i])));
}

/** Validates `first`: 0..1000, 100 when absent. */
export function feedPageSize(first: number | null | undefined): number {
  const n = first ?? FEED_DEFAULT_PAGE;
  if (!Number.isInteger(n) || n < 0 || n > FEED_MAX_PAGE) throw badInput('first', `must be between 0 and ${FEED_MAX_PAGE}, got ${n}`);
  return n;
}

/** The day a snapshot is taken on: YYYY-MM-DD, today (China Standard Time) by default, never in the future. */
export function snapshotDay(asOf: string | null | undefined, today = zoneToday()): string {
  if (asOf === null || asOf === undefined) return today;
  if (!parseDay(asOf)) throw badInput('asOf', `must be a calendar day YYYY-MM-DD, got ${JSON.stringify(asOf)}`);
  if (asOf > today) throw badInput('asOf', `must not be in the future (today is ${today} in the zone), got ${asOf}`);
  return asOf;
}

/** Where a snapshot page resumes: the snapshot's feed seq and day, and the last record number sent. */
export interface SnapshotPosition {
  seq: string;
  asOf: string;
  recordNo: string;
}

export function snapshotCursor(p: SnapshotPosition): string {
  return encodeCursor(SNAPSHOT_TAG, [p.seq, p.asOf, p.recordNo]);
}

export function decodeSnapshotCursor(after: string, field = 'after'): SnapshotPosition {
  const [seq, asOf, recordNo] = decodeCursor(SNAPSHOT_TAG, after, ['bigint', 'date', 'text'], field);
  if (!SEQ.test(seq)) throw badInput(field, 'is not a cursor this hub issued');
  return { seq, asOf, recordNo };
}

/**
 * In force on day $asOf, judged on a record's latest entry at the snapshot's seq: not withdrawn;
 * a listing listed on or before the day, valid through it and not removed by it; an evaluation
 * dated on or before it.
 */
function inForceSql(asOf: string): string {
  const d = (k: string) => `(CASE WHEN c.payload->>'${k}' ~ '^\\d{4}-\\d{2}-\\d{2}' THEN left(c.payload->>'${k}', 10)::date END)`;
  return `${FEED_OP_SQL} <> 'WITHDRAWN' AND c.payload->>'withdrawnAt' IS NULL
    AND coalesce(${d('effectiveOn')}, ${d('listedAt')}, ${asOf}::date) <= ${asOf}::date
    AND (${FEED_KIND_SQL} = 'EVALUATION' OR (coalesce(${d('validUntil')}, ${asOf}::date) >= ${asOf}::date AND coalesce(${d('removedOn')}, ${asOf}::date + 1) > ${asOf}::date))`;
}

/**
 * A page of the snapshot: records (by record number after `afterNo`) in force on `asOf` as the
 * feed stood at seq `seq` — or, with `seq` null, at the newest committed change, read by the same
 * statement (one snapshot of the database reads both the head and the records). Each record's
 * state is its latest change-log entry at or before the seq, so every page of one snapshot, and
 * its NDJSON twin, describe the same moment whatever commits meanwhile, and applying the feed
 * after that seq gives what a snapshot taken later would show.
 */
export async function snapshotChunk(
  db: Queryable, p: Principal, o: { seq: string | null; asOf: string; afterNo: string | null; limit: number; filter: FeedFilter },
): Promise<{ seq: string; chunk: FeedChunk & { lastNo: string | null } }> {
  const params: unknown[] = [o.seq, o.asOf, o.afterNo ?? '', o.limit];
  const districts = o.filter.districts ? ` AND r.owner_jurisdiction = ANY($${params.push(o.filter.districts)}::varchar[])` : '';
  const where = feedFilterSql({ ...o.filter, districts: null }, params);
  // The head and the records in one statement: one snapshot of the database reads both.
  const rows: Array<LineRow & { head: string }> = await db.query(
    `WITH h AS (SELECT coalesce($1::bigint, (SELECT max(seq) FROM change_log WHERE record_type = ${CREDIT}), 0) AS seq)
     SELECT h.seq::text AS head, y.* FROM h LEFT JOIN LATERAL (
       SELECT r.record_no AS key, ${feedEntrySql(p)} AS line, c.owner_jurisdiction AS owner, ${idMaskedSql(p)} AS masked
         FROM credit_record r
         CROSS JOIN LATERAL (SELECT l.* FROM change_log l WHERE l.record_type = ${CREDIT} AND l.record_key = r.record_no AND l.seq <= h.seq
           ORDER BY l.seq DESC LIMIT 1) c
         LEFT JOIN enterprise e ON e.id = c.enterprise_id
         WHERE r.record_no > $3${districts} AND ${inForceSql('$2')}${where}
         ORDER BY r.record_no LIMIT $4) y ON true ORDER BY y.key`, params);
  const found = rows.filter((r) => r.key !== null);
  const chunk = chunkOf(found);
  return { seq: rows[0].head, chunk: { ...chunk, last: null, lastNo: chunk.lastKey } };
}

/** Parses the entries of a chunk (one JSON.parse for the page). */
function entriesOf(chunk: FeedChunk): CreditFeedEntry[] {
  return chunk.count === 0 ? [] : JSON.parse(`[${chunk.lines.replace(/\n/g, ',')}]`);
}

/**
 * The credit feed (DESIGN.md, "What the hub serves" 4): every committed credit change once, in
 * commit order, resumable from the last cursor. It pages the change log by `seq`, which is commit
 * order because appends serialize on an advisory lock (src/modules/changes/change-log.ts), so a
 * reader that stores `endCursor` can never skip a change that commits later with a smaller seq.
 */
export class CreditFeedService {
  constructor(private readonly ds: DataSource) {}

  /** One page after `args.after`; FORBIDDEN for anyone but the platform and ZONE (policy.feedAccess). */
  async page(reader: FeedReader, args: CreditFeedArgs): Promise<CreditFeedPage> {
    assertFeedAccess(reader.principal);
    const first = feedPageSize(args.first);
    const after = decodeFeedCursor(args.after);
    const filter = parseFeedFilter(args.filter);
    if (first === 0) return { entries: [], endCursor: feedCursor(after), hasMore: await feedHasAfter(this.ds, after, filter) };
    const chunk = await feedChunk(this.ds, reader.principal, after, first + 1, filter);
    let entries = entriesOf(chunk);
    const hasMore = entries.length > first;
    if (hasMore) entries = entries.slice(0, first);
    auditChunk(reader.audit, { owners: chunk.owners.slice(0, first), masked: chunk.masked.slice(0, first) });
    return { entries, endCursor: entries.length > 0 ? entries[entries.length - 1].cursor : feedCursor(after), hasMore };
  }

  /**
   * The same page as `page`, already shaped for the selection `req` (the pre-shaped path,
   * src/graphql/preshaped.ts): each entry's stored text parsed on its own as it is projected onto
   * the selection, instead of one parse of the joined page and a walk of every field by the executor.
   * Undefined when the selection asks for something a projection cannot answer (`page` answers).
   */
  async pageShaped(reader: FeedReader, args: CreditFeedArgs, req: ShapeRequest): Promise<unknown> {
    assertFeedAccess(reader.principal);
    const first = feedPageSize(args.first);
    const after = decodeFeedCursor(args.after);
    const filter = parseFeedFilter(args.filter);
    const pageType = getNamedType(req.field.type);
    const project = isObjectType(pageType) && first > 0 ? objectProjector(req, pageType, req.nodes) : null;
    if (!project) return undefined;
    const rows = await feedLines(this.ds, reader.principal, after, first + 1, filter);
    const hasMore = rows.length > first;
    const n = hasMore ? first : rows.length;
    const lines = new Array<string>(n);
    const owners = new Array<string>(n);
    const masked = new Array<boolean>(n);
    for (let i = 0; i < n; i++) {
      lines[i] = rows[i].line;
      owners[i] = rows[i].owner;
      masked[i] = rows[i].masked;
    }
    const endCursor = feedCursor(n > 0 ? rows[n - 1].key : after);
    rows.length = 0;
    const shaped = project({ entries: new JsonLines(lines), endCursor, hasMore });
    auditChunk(reader.audit, { owners, masked });
    return shaped;
  }

  /**
   * `creditListingsInForce`: the records in force on a day, stamped with the feed cursor they are
   * consistent with. The first page fixes the cursor; later pages (by `after`) read the same one.
   */
  async listingsInForce(reader: FeedReader, args: CreditListingsInForceArgs): Promise<CreditListingsInForce> {
    assertFeedAccess(reader.principal);
    const first = feedPageSize(args.first);
    const filter = parseFeedFilter(args.filter);
    const pos = args.after ? decodeSnapshotCursor(args.after) : null;
    const asOf = snapshotDay(args.asOf ?? pos?.asOf);
    if (pos && args.asOf && args.asOf !== pos.asOf) throw badInput('asOf', `must be the snapshot's day (${pos.asOf}) when paging with after, got ${args.asOf}`);
    const { seq, chunk } = await snapshotChunk(this.ds, reader.principal, { seq: pos?.seq ?? null, asOf, afterNo: pos?.recordNo ?? null, limit: first + 1, filter });
    let nodes = entriesOf(chunk);
    const hasNextPage = nodes.length > first;
    if (hasNextPage) nodes = nodes.slice(0, first);
    auditChunk(reader.audit, { owners: chunk.owners.slice(0, first), masked: chunk.masked.slice(0, first) });
    const edges = nodes.map((node) => ({ cursor: snapshotCursor({ seq, asOf, recordNo: node.recordNo }), node }));
    return { feedCursor: feedCursor(seq), asOf, edges, pageInfo: { hasNextPage, endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : args.after ?? null } };
  }
}
