import { DataSource } from 'typeorm';
import { feedAccess, RecordType } from '../../auth/policy';
import { Principal } from '../../auth/principal';
import { CreditScheme } from '../../domain/codes';
import { Jurisdiction } from '../../domain/jurisdictions';
import { badInput, forbidden } from '../../graphql/errors';
import { decodeCursor, encodeCursor } from '../../graphql/pagination';
import { AuditTrail } from '../audit';
import {
  CreditFeedObjection,
  CreditFeedArgs, CreditFeedEntry, CreditFeedEvaluation, CreditFeedListing, CreditFeedOp, CreditFeedPage, FEED_DEFAULT_PAGE, FEED_MAX_PAGE,
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
const SEQ = /^\d{1,18}$/;

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
 * The select list of every feed read, in seq order. The log row carries the record as the writer
 * left it (payload), so the feed never re-reads credit_record: an entry says what changed then, not
 * what the record looks like now. The enterprise join only fills a name the writer left out.
 */
export const FEED_SELECT = `SELECT c.seq::text AS seq, c.at, c.op, c.uscc, c.owner_jurisdiction, c.record_key, c.payload, e.name AS enterprise_name
  FROM change_log c LEFT JOIN enterprise e ON e.id = c.enterprise_id
  WHERE c.record_type = '${RecordType.CREDIT_RECORD}' AND c.seq > $1::bigint`;

/** Up to `limit` entries after `seq` (and at most `upTo`, when given), in commit order. */
export async function feedRowsAfter(db: Queryable, seq: string, limit: number, upTo?: string): Promise<FeedRow[]> {
  const bound = upTo === undefined ? '' : ' AND c.seq <= $3::bigint';
  return db.query(`${FEED_SELECT}${bound} ORDER BY c.seq LIMIT $2`, upTo === undefined ? [seq, limit] : [seq, limit, upTo]);
}

/** Whether a credit change after `seq` has committed (the hasMore of a page or stream). */
export async function feedHasAfter(db: Queryable, seq: string): Promise<boolean> {
  const rows: Array<{ more: boolean }> = await db.query(
    `SELECT EXISTS (SELECT 1 FROM change_log WHERE record_type = '${RecordType.CREDIT_RECORD}' AND seq > $1::bigint) AS more`, [seq]);
  return rows[0].more;
}

/** The newest committed credit change's seq, or '0'. */
export async function feedHead(db: Queryable): Promise<string> {
  const rows: Array<{ seq: string | null }> = await db.query(`SELECT max(seq)::text AS seq FROM change_log WHERE record_type = '${RecordType.CREDIT_RECORD}'`);
  return rows[0].seq ?? '0';
}

/** A change-log row as FEED_SELECT returns it (seq as text: bigint does not fit a JS number). */
export interface FeedRow {
  seq: string;
  at: Date;
  op: string;
  uscc: string | null;
  owner_jurisdiction: string;
  record_key: string;
  payload: Record<string, unknown> | null;
  enterprise_name: string | null;
}

const LISTING_KEYS = ['reason', 'legalBasis', 'listedAt', 'validUntil', 'removedOn'];
const EVALUATION_KEYS = ['scheme', 'level', 'year'];
const SCHEMES = new Set<string>(Object.values(CreditScheme));

const text = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));
const day = (v: unknown): string | null => {
  const s = text(v);
  return s && /^\d{4}-\d{2}-\d{2}/.test(s) ? s.slice(0, 10) : null;
};
const int = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) ? n : null;
};

/**
 * Which kind of credit record a change is about: the writer may say so (`payload.kind`); otherwise
 * the op tells (LISTED and REMOVED are listings, EVALUATED evaluations), and for UPDATED the fields.
 */
function kindOf(op: string, p: Record<string, unknown>): 'LISTING' | 'EVALUATION' {
  if (p.kind === 'LISTING' || p.kind === 'EVALUATION') return p.kind;
  if (op === CreditFeedOp.EVALUATED) return 'EVALUATION';
  const has = (keys: string[]) => keys.some((k) => p[k] !== undefined && p[k] !== null);
  if (op === CreditFeedOp.LISTED) return 'LISTING';
  return has(EVALUATION_KEYS) && !has(LISTING_KEYS) ? 'EVALUATION' : 'LISTING';
}

/**
 * The feed's op for a logged op. The credit writers log LISTED, UPDATED, REMOVED and EVALUATED;
 * generic ops of other writers are mapped rather than dropped, because a change the platform
 * never sees is worse than one under a broader name.
 */
function feedOp(op: string, kind: 'LISTING' | 'EVALUATION'): CreditFeedOp {
  if ((Object.values(CreditFeedOp) as string[]).includes(op)) return op as CreditFeedOp;
  if (op === 'INSERTED') return kind === 'LISTING' ? CreditFeedOp.LISTED : CreditFeedOp.EVALUATED;
  if (op === 'WITHDRAWN' || op === 'DELETED') return CreditFeedOp.REMOVED;
  return CreditFeedOp.UPDATED;
}

/** The objection an OBJECTION_FLAGGED / OBJECTION_CLEARED entry carries (payload.objection), null on other entries. */
function objectionOf(v: unknown): CreditFeedObjection | null {
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  return { id: String(o.id), fields: Array.isArray(o.fields) ? o.fields.map(String) : [], outcome: text(o.outcome) };
}

/** One log row as a feed entry (the GraphQL entry and the NDJSON line have this shape). */
export function toFeedEntry(r: FeedRow): CreditFeedEntry {
  const p = r.payload ?? {};
  const kind = kindOf(r.op, p);
  const scheme = text(p.scheme);
  const objection = objectionOf(p.objection);
  const listing: CreditFeedListing | null = kind === 'LISTING'
    ? {
      reason: text(p.reason),
      legalBasis: text(p.legalBasis),
      decisionNo: text(p.decisionNo) ?? r.record_key,
      listedAt: day(p.listedAt),
      validUntil: day(p.validUntil),
      removedOn: day(p.removedOn),
    }
    : null;
  const evaluation: CreditFeedEvaluation | null = kind === 'EVALUATION'
    ? { scheme: scheme && SCHEMES.has(scheme) ? (scheme as CreditScheme) : null, level: text(p.level), year: int(p.year), issuer: text(p.issuer) }
    : null;
  return {
    cursor: feedCursor(r.seq),
    op: feedOp(r.op, kind),
    uscc: r.uscc,
    enterpriseName: text(p.enterpriseName) ?? r.enterprise_name,
    jurisdiction: r.owner_jurisdiction as Jurisdiction,
    recordNo: r.record_key,
    listing,
    evaluation,
    at: r.at instanceof Date ? r.at : new Date(r.at),
    // Only on objection entries, so every other NDJSON line keeps its shape (GraphQL answers null).
    ...(objection ? { objection } : {}),
  };
}

/** Validates `first`: 0..1000, 100 when absent. */
export function feedPageSize(first: number | null | undefined): number {
  const n = first ?? FEED_DEFAULT_PAGE;
  if (!Number.isInteger(n) || n < 0 || n > FEED_MAX_PAGE) throw badInput('first', `must be between 0 and ${FEED_MAX_PAGE}, got ${n}`);
  return n;
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
    const rows = first === 0 ? [] : await feedRowsAfter(this.ds, after, first + 1);
    const entries = rows.slice(0, first).map(toFeedEntry);
    reader.audit?.returned(RecordType.CREDIT_RECORD, entries.map((e) => ({ ownerJurisdiction: e.jurisdiction })));
    const last = rows.length > 0 ? rows[Math.min(first, rows.length) - 1].seq : after;
    const hasMore = rows.length > first || (first === 0 && (await feedHasAfter(this.ds, after)));
    return { entries, endCursor: feedCursor(entries.length > 0 ? last : after), hasMore };
  }
}
