import { DISTRICTS, District, districtsCoveredBy, isDistrict, Jurisdiction, JURISDICTIONS } from '../../domain/jurisdictions';
import { badInput } from '../../graphql/errors';
import { CreditRecordKind } from '../credit/credit.record';
import { CreditFeedFilterInput, CreditFeedOp } from './credit-feed.types';
import { FEED_KIND_SQL, FEED_OP_SQL } from './credit-feed.sql';

/**
 * What a platform narrows the feed or the snapshot to. A provincial credit platform takes one
 * province's entries (`provinces: ["320000"]` or `["JIANGSU"]`), a district its own. Every part is
 * optional; parts combine with AND, values within a part with OR.
 */
export interface FeedFilter {
  /** Owner districts kept (null: all). */
  districts: District[] | null;
  ops: CreditFeedOp[] | null;
  kinds: CreditRecordKind[] | null;
  /** ISO instant: entries committed at or after it. */
  since: string | null;
}

export const NO_FILTER: FeedFilter = { districts: null, ops: null, kinds: null, since: null };

const PROVINCES = JURISDICTIONS.filter((j) => j.level === 'PROVINCE');
const OPS = Object.values(CreditFeedOp) as string[];
const KINDS = Object.values(CreditRecordKind) as string[];

/** A province by its admin division code (320000) or its code (JIANGSU): its districts. */
function provinceDistricts(v: string, field: string): District[] {
  const p = PROVINCES.find((x) => x.divisionCode === v || x.code === v.toUpperCase());
  if (!p) throw badInput(field, `is not a province of the zone (${PROVINCES.map((x) => `${x.divisionCode} ${x.code}`).join(', ')}), got ${JSON.stringify(v)}`);
  return districtsCoveredBy(p.code);
}

/** A district, or a province or ZONE standing for its districts. */
function jurisdictionDistricts(v: string, field: string): District[] {
  const code = v.toUpperCase();
  if (isDistrict(code)) return [code];
  if (code === Jurisdiction.ZONE || PROVINCES.some((p) => p.code === code)) return districtsCoveredBy(code as Jurisdiction);
  throw badInput(field, `must be a district (${DISTRICTS.join(', ')}), a province (SHANGHAI, JIANGSU, ZHEJIANG) or ZONE, got ${JSON.stringify(v)}`);
}

function oneOf<T extends string>(values: readonly string[], allowed: readonly string[], field: string): T[] {
  return values.map((v, i) => {
    if (!allowed.includes(v)) throw badInput(`${field}.${i}`, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
    return v as T;
  });
}

const intersect = (a: District[] | null, b: District[]): District[] => (a === null ? b : a.filter((d) => b.includes(d)));

/**
 * Checks a filter (from GraphQL or the NDJSON query string) and resolves it to owner districts.
 * An unknown province or jurisdiction, op or kind, or a `since` that is not an instant, is
 * BAD_USER_INPUT naming the field (`filter.provinces.0`).
 */
export function parseFeedFilter(f: CreditFeedFilterInput | null | undefined, field = 'filter'): FeedFilter {
  if (!f) return NO_FILTER;
  let districts: District[] | null = null;
  if (f.jurisdictions) districts = [...new Set(f.jurisdictions.flatMap((v, i) => jurisdictionDistricts(v, `${field}.jurisdictions.${i}`)))];
  if (f.provinces) districts = intersect(districts, [...new Set(f.provinces.flatMap((v, i) => provinceDistricts(v, `${field}.provinces.${i}`)))]);
  const ops = f.ops ? oneOf<CreditFeedOp>(f.ops, OPS, `${field}.ops`) : null;
  const kinds = f.kinds ? oneOf<CreditRecordKind>(f.kinds, KINDS, `${field}.kinds`) : null;
  let since: string | null = null;
  if (f.since !== null && f.since !== undefined) {
    const t = f.since instanceof Date ? f.since.getTime() : typeof f.since === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(f.since) ? Date.parse(f.since) : NaN;
    if (!Number.isFinite(t)) throw badInput(`${field}.since`, `must be an ISO 8601 instant with its offset, got ${JSON.stringify(String(f.since))}`);
    since = new Date(t).toISOString();
  }
  return { districts, ops, kinds, since };
}

/** The filter from the NDJSON query string: `jurisdiction`, `province`, `op`, `kind` (each comma-separated or repeated) and `since`. */
export function filterFromQuery(q: Record<string, unknown>): FeedFilter {
  const list = (name: string): string[] | undefined => {
    const v = q[name];
    if (v === undefined) return undefined;
    const parts = (Array.isArray(v) ? v : [v]).flatMap((x) => (typeof x === 'string' ? x.split(',') : [null]));
    if (parts.some((x) => x === null)) throw badInput(name, 'must be text');
    return (parts as string[]).map((x) => x.trim()).filter((x) => x !== '');
  };
  const since = q.since;
  if (since !== undefined && typeof since !== 'string') throw badInput('since', 'must be given once, as an ISO 8601 instant');
  return parseFeedFilter({ jurisdictions: list('jurisdiction'), provinces: list('province'), ops: list('op'), kinds: list('kind'), since: since ?? null }, 'filter');
}

/** The filter as SQL conditions on the feed's aliases, with parameters numbered from `next`. */
export function feedFilterSql(f: FeedFilter, params: unknown[]): string {
  const conds: string[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (f.districts) conds.push(`c.owner_jurisdiction = ANY(${p(f.districts)}::varchar[])`);
  if (f.kinds) conds.push(`${FEED_KIND_SQL} = ANY(${p(f.kinds)}::text[])`);
  if (f.ops) conds.push(`${FEED_OP_SQL} = ANY(${p(f.ops)}::text[])`);
  if (f.since) conds.push(`c.at >= ${p(f.since)}::timestamptz`);
  return conds.map((c) => ` AND ${c}`).join('');
}
