import type { Pool } from 'pg';
import { Role, TokenClaims } from '../src/auth/principal';
import { Jurisdiction } from '../src/domain/jurisdictions';
import { encodeCursor } from '../src/graphql/pagination';

/** Who asks in an operation: token claims and the declared purpose. */
export interface BenchPrincipal {
  claims: TokenClaims;
  purpose?: string;
}

export const WUJIANG_READER: BenchPrincipal = {
  claims: { sub: 'bench-wujiang', org: 'WUJIANG-EEB', jurisdiction: Jurisdiction.WUJIANG, roles: [Role.DOSSIER_READER, Role.ENFORCEMENT] },
  purpose: 'ENFORCEMENT',
};
export const ZONE_READER: BenchPrincipal = {
  claims: { sub: 'bench-zone', org: 'ZONE-EC', jurisdiction: Jurisdiction.ZONE, roles: [Role.DOSSIER_READER, Role.ENFORCEMENT] },
  purpose: 'ENFORCEMENT',
};
export const CREDIT_PLATFORM: BenchPrincipal = {
  claims: { sub: 'bench-credit-yrd', org: 'CREDIT-YRD', jurisdiction: Jurisdiction.CREDIT_YRD, roles: [Role.CREDIT_FEED] },
};

export function describePrincipal(p: BenchPrincipal): string {
  return `${p.claims.jurisdiction} ${p.claims.roles.join('+')}${p.purpose ? `, X-Purpose ${p.purpose}` : ''}`;
}

/** Keys the operations rotate over, read from the bench database in a fixed order (same seed, same keys). */
export interface SampleKeys {
  /** Wujiang enterprises with records of all six types. */
  wujiangDossiers: string[];
  /** Qingpu and Jiashan enterprises with records of all six types (the cross-district read). */
  partnerDossiers: string[];
  /** USCCs to start pages of the enterprise list after. */
  listStarts: string[];
  /** Surface-water sections. */
  waterStations: string[];
  /** Months of the series, as [first day, last day]. */
  months: Array<[string, string]>;
}

const ALL_SIX = ['eia_approval', 'permit', 'inspection', 'penalty', 'complaint', 'credit_record']
  .map((t) => `EXISTS (SELECT 1 FROM ${t} x WHERE x.enterprise_id = e.id AND x.withdrawn_at IS NULL)`).join(' AND ');

export async function loadSampleKeys(pool: Pool, seed: number): Promise<SampleKeys> {
  const dossiers = async (owners: string[]) => (await pool.query<{ uscc: string }>(
    `SELECT e.uscc FROM enterprise e WHERE e.owner_jurisdiction = ANY($1::varchar[]) AND e.withdrawn_at IS NULL AND ${ALL_SIX}
     ORDER BY md5(e.uscc || $2::text) LIMIT 2000`, [owners, String(seed)])).rows.map((r) => r.uscc);
  const starts = (await pool.query<{ uscc: string }>(
    `WITH n AS (SELECT count(*) AS n FROM enterprise WHERE withdrawn_at IS NULL)
     SELECT uscc FROM (SELECT uscc, row_number() OVER (ORDER BY uscc) AS rn FROM enterprise WHERE withdrawn_at IS NULL) x, n
     WHERE x.rn <= n.n - 100 AND x.rn % greatest(1, (n.n / 200)::int) = 1 ORDER BY md5(uscc || $1::text)`, [String(seed)])).rows.map((r) => r.uscc);
  const stations = (await pool.query<{ code: string }>(
    `SELECT code FROM monitoring_station WHERE kind = 'SURFACE_WATER' ORDER BY code`)).rows.map((r) => r.code);
  const range = (await pool.query<{ first: string | null; last: string | null }>(
    `SELECT to_char(min(o.observed_at AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM-DD') AS first, to_char(max(o.observed_at AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM-DD') AS last
     FROM observation o JOIN monitoring_station s ON s.id = o.station_id WHERE s.kind = 'SURFACE_WATER'`)).rows[0];
  return {
    wujiangDossiers: await dossiers([Jurisdiction.WUJIANG]),
    partnerDossiers: await dossiers([Jurisdiction.QINGPU, Jurisdiction.JIASHAN]),
    listStarts: starts,
    waterStations: stations,
    months: range.first && range.last ? wholeMonths(range.first, range.last) : [],
  };
}

/** The calendar months lying wholly inside [first, last]. */
function wholeMonths(first: string, last: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let [y, m] = first.split('-').map(Number);
  if (Number(first.slice(8, 10)) !== 1) m++;
  for (;;) {
    if (m > 12) {
      y++;
      m = 1;
    }
    const start = `${y}-${String(m).padStart(2, '0')}-01`;
    const end = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
    if (end > last) return out;
    out.push([start, end]);
    m++;
  }
}

// ---------------------------------------------------------------------------------------------
// GraphQL documents

const DOSSIER_QUERY = `query Dossier($uscc: USCC!) {
  enterprise(uscc: $uscc) {
    uscc name industryCode industryName address registrationStatus establishedOn ownerJurisdiction
    legalRepresentative { name idNumber }
    eiaApprovals(first: 20) { totalCount edges { node { approvalNo projectName documentType decision decisionDate approvingAuthority } } }
    permits(first: 20) { totalCount edges { node { permitNo managementClass issuedOn validFrom validTo status permittedPollutants issuingAuthority } } }
    inspections(first: 20) { totalCount edges { node { inspectionNo inspectedOn type leadAgency jointJurisdictions outcome status findings steps { step at } } } }
    penalties(first: 20) { totalCount edges { node { decisionNo violationType facts legalBasis categories content fineAmount confiscationAmount decisionDate authorityName authorityUscc publicityUntil status } } }
    complaints(first: 20) { totalCount edges { node { ticketNo receivedAt channel element content handlingJurisdiction status reply closedAt complainant { name phone idNumber } } } }
    creditRecords(first: 20) { totalCount edges { node { recordNo kind effectiveOn issuer scheme level evaluationYear listingReason listingLegalBasis validUntil removedOn } } }
  }
}`;

export const LIST_QUERY = `query List($first: Int!, $after: String) {
  enterprises(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node {
      uscc name industryCode industryName registrationStatus ownerJurisdiction legalRepresentative { name idNumber }
      penalties(first: 20) { totalCount edges { node { decisionNo violationType categories fineAmount decisionDate authorityName status } } }
      permits(first: 20) { totalCount edges { node { permitNo managementClass issuedOn validTo status permittedPollutants } } }
    } }
  }
}`;

const CATALOG_QUERY = `query Search($search: String!) {
  catalogResources(first: 20, filter: { search: $search }) {
    totalCount
    edges { node { code name nameEn abstract keywords sharingType openToPublic entryPoint
      provider { code name } function { code name } businessLine { code name } elements { code name } updateCycle { code name } } }
  }
  catalogFacets(filter: { search: $search }) {
    total
    functions { code name count selected } businessLines { code name count selected }
    elements { code name count selected } sharingTypes { code name count selected }
  }
}`;

const WATER_QUERY = `query Water($code: String!, $from: Date!, $to: Date!) {
  waterQuality(stationCode: $code, from: $from, to: $to, period: DAY) {
    periodStart waterClass grade validShare sampleCount standard
    items { parameter waterClass evaluated value }
    mainPollutants { parameter waterClass exceedance }
  }
}`;

export const FEED_QUERY = `query Feed($after: String) {
  creditFeed(after: $after, first: 1000) {
    endCursor hasMore
    entries { cursor op uscc enterpriseName jurisdiction recordNo at
      listing { reason legalBasis decisionNo listedAt validUntil removedOn }
      evaluation { scheme level year issuer } }
  }
}`;

/** Catalog searches, Chinese and English, rotated. */
export const SEARCH_TERMS = ['水质', '空气', '监测', '企业', '排污', '噪声', '土壤', '信用', 'water', 'air quality', 'permit', 'station', '太浦河', '执法', 'noise', 'VOC'];

const body = (query: string, variables: Record<string, unknown>): string => JSON.stringify({ query, variables });

// ---------------------------------------------------------------------------------------------
// The floor: the same data by hand-written SQL, one round trip per call where one will do.

const DOSSIER_TYPES = [
  { table: 'eia_approval', order: 'decision_date DESC, approval_no DESC' },
  { table: 'permit', order: 'issued_on DESC, permit_no DESC' },
  { table: 'inspection', order: 'inspected_on DESC, inspection_no DESC' },
  { table: 'penalty', order: 'decision_date DESC, decision_no DESC' },
  { table: 'complaint', order: 'received_at DESC, ticket_no DESC' },
  { table: 'credit_record', order: 'effective_on DESC, record_no DESC' },
];

/** Up to 20 newest live records of a type for enterprise `e`, as JSON, with their count. */
function recordsJson(table: string, order: string, n = 20): string {
  return `(SELECT json_build_object('total', (SELECT count(*) FROM ${table} c WHERE c.enterprise_id = e.id AND c.withdrawn_at IS NULL),
      'rows', coalesce(json_agg(x), '[]'::json))
    FROM (SELECT * FROM ${table} r WHERE r.enterprise_id = e.id AND r.withdrawn_at IS NULL ORDER BY ${order} LIMIT ${n}) x) AS ${table}`;
}

function dossierSql(types: typeof DOSSIER_TYPES): string {
  return `SELECT e.*, ${types.map((t) => recordsJson(t.table, t.order)).join(',\n')} FROM enterprise e WHERE e.uscc = $1`;
}

const FLOOR_DOSSIER = dossierSql(DOSSIER_TYPES);
// A partner district's ENFORCEMENT purpose opens inspections and complaints, not credit records.
const FLOOR_DOSSIER_PARTNER = dossierSql(DOSSIER_TYPES.filter((t) => t.table !== 'credit_record'));

const FLOOR_LIST = `SELECT e.*, ${recordsJson('penalty', 'decision_date DESC, decision_no DESC')}, ${recordsJson('permit', 'issued_on DESC, permit_no DESC')}
  FROM (SELECT * FROM enterprise WHERE uscc > $1 AND withdrawn_at IS NULL ORDER BY uscc LIMIT 100) e ORDER BY e.uscc`;

const FLOOR_SEARCH = `SELECT t.code, t.name, t.name_en, t.abstract, t.keywords, t.sharing_type, t.open_to_public, t.entry_point, t.elements,
    p.code AS provider_code, p.name AS provider_name, f.name AS function_name, b.name AS business_line_name, u.name AS update_cycle_name,
    count(*) OVER () AS total
  FROM catalog_resource t JOIN catalog_provider p ON p.code = t.provider_code
    LEFT JOIN catalog_code f ON f.table_name = 'functions' AND f.code = t.function_code
    LEFT JOIN catalog_code b ON b.table_name = 'business-lines' AND b.code = t.business_line
    LEFT JOIN catalog_code u ON u.table_name = 'update-cycles' AND u.code = t.update_cycle
  WHERE t.search_text ILIKE $1
  ORDER BY (t.name ILIKE $1 OR t.name_en ILIKE $1) DESC, word_similarity($2, t.search_text) DESC, t.code LIMIT 20`;

const FLOOR_FACETS = `WITH m AS (SELECT * FROM catalog_resource WHERE search_text ILIKE $1)
  SELECT 'functions' AS facet, function_code AS code, count(*)::int AS n FROM m GROUP BY 2
  UNION ALL SELECT 'businessLines', business_line, count(*)::int FROM m GROUP BY 2
  UNION ALL SELECT 'elements', el, count(*)::int FROM m, unnest(m.elements) el GROUP BY 2
  UNION ALL SELECT 'sharingTypes', sharing_type, count(*)::int FROM m GROUP BY 2`;

/** The daily means by hand, from the daily aggregates the hub reads (observation_daily; issue 17 item 6). */
const FLOOR_WATER = `SELECT to_char(a.day, 'YYYY-MM-DD') AS day, a.parameter,
    sum(a.sum_valid) / nullif(sum(a.n_valid), 0) AS mean, sum(a.n_valid)::int AS valid, sum(a.n_total)::int AS total
  FROM observation_daily a JOIN monitoring_station s ON s.id = a.station_id
  WHERE s.code = $1 AND a.day >= $2::date AND a.day <= $3::date
  GROUP BY 1, 2 ORDER BY 1, 2`;

/** The credit feed's rows by hand: the change log after a seq, 1,000 at a time. */
export const FLOOR_FEED = `SELECT c.seq::text AS seq, c.at, c.op, c.uscc, c.owner_jurisdiction, c.record_key, c.payload, e.name AS enterprise_name
  FROM change_log c LEFT JOIN enterprise e ON e.id = c.enterprise_id
  WHERE c.record_type = 'CREDIT_RECORD' AND c.seq > $1::bigint ORDER BY c.seq LIMIT 1000`;

// ---------------------------------------------------------------------------------------------

/** One measured operation: a GraphQL request rotation for the hub and the same data by SQL. */
export interface Operation {
  id: string;
  title: string;
  principal: BenchPrincipal;
  body(i: number): string;
  floor(pool: Pool, i: number): Promise<unknown>;
}

const pick = <T>(items: readonly T[], i: number): T => items[i % items.length];

export function operations(keys: SampleKeys): Operation[] {
  const listCursor = (uscc: string) => encodeCursor('ENTERPRISE', [uscc]);
  const waterCase = (i: number) => ({ code: pick(keys.waterStations, i), month: pick(keys.months, Math.floor(i / keys.waterStations.length)) });
  const list = (id: string, title: string, principal: BenchPrincipal): Operation => ({
    id,
    title,
    principal,
    body: (i) => body(LIST_QUERY, { first: 100, after: listCursor(pick(keys.listStarts, i)) }),
    floor: (pool, i) => pool.query(FLOOR_LIST, [pick(keys.listStarts, i)]),
  });
  return [
    {
      id: 'dossier',
      title: '(a) dossier of one enterprise, six record types (20 each)',
      principal: WUJIANG_READER,
      body: (i) => body(DOSSIER_QUERY, { uscc: pick(keys.wujiangDossiers, i) }),
      floor: (pool, i) => pool.query(FLOOR_DOSSIER, [pick(keys.wujiangDossiers, i)]),
    },
    {
      id: 'dossier-partner',
      title: '(a′) dossier of a Qingpu or Jiashan enterprise (conditional sharing, masks)',
      principal: WUJIANG_READER,
      body: (i) => body(DOSSIER_QUERY, { uscc: pick(keys.partnerDossiers, i) }),
      floor: (pool, i) => pool.query(FLOOR_DOSSIER_PARTNER, [pick(keys.partnerDossiers, i)]),
    },
    list('list', '(b) 100 enterprises with penalties and permits', WUJIANG_READER),
    list('list-zone', '(b) the same list as a ZONE reader', ZONE_READER),
    {
      id: 'catalog',
      title: '(c) catalog search with facets',
      principal: WUJIANG_READER,
      body: (i) => body(CATALOG_QUERY, { search: pick(SEARCH_TERMS, i) }),
      floor: (pool, i) => {
        const term = pick(SEARCH_TERMS, i);
        const pattern = `%${term.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
        return Promise.all([pool.query(FLOOR_SEARCH, [pattern, term]), pool.query(FLOOR_FACETS, [pattern])]);
      },
    },
    {
      id: 'water',
      title: '(e) a month of daily water assessments for a section',
      principal: WUJIANG_READER,
      body: (i) => {
        const c = waterCase(i);
        return body(WATER_QUERY, { code: c.code, from: c.month[0], to: c.month[1] });
      },
      floor: (pool, i) => {
        const c = waterCase(i);
        return pool.query(FLOOR_WATER, [c.code, c.month[0], c.month[1]]);
      },
    },
  ];
}

// ---------------------------------------------------------------------------------------------

/**
 * A month read of the observation-storage bench, three ways: from the hourly/daily aggregates,
 * from the raw rows of the partitioned table, and from the plain-table baseline
 * (observation_plain_bench). All three return the same rows.
 */
export interface StorageQuery {
  id: string;
  title: string;
  aggregates: string;
  partitionedRaw: string;
  plain: string;
  params(outletIds: string[]): unknown[];
  /** Measured runs of the aggregate read with --quick (three times as many without). */
  quickRuns: number;
}

const MONTH_PARAMS = ['2026-08-01', '2026-09-01'];
const RAW_RANGE = `observed_at >= ($2::date::timestamp AT TIME ZONE 'Asia/Shanghai') AND observed_at < ($3::date::timestamp AT TIME ZONE 'Asia/Shanghai')`;
const rawDaily = (table: string) => `SELECT station_id::text AS station, to_char((observed_at AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM-DD') AS day, parameter,
    round(avg(value) FILTER (WHERE flag = 'N'), 6)::text AS mean, (count(*) FILTER (WHERE flag = 'N'))::int AS valid, count(*)::int AS total
  FROM ${table} WHERE station_id = ANY($1::uuid[]) AND ${RAW_RANGE} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;
const rawMonth = (table: string) => `SELECT parameter, round(avg(value) FILTER (WHERE flag = 'N'), 6)::text AS mean, (count(*) FILTER (WHERE flag = 'N'))::int AS valid, count(*)::int AS total
  FROM ${table} WHERE station_id = ANY($1::uuid[]) AND ${RAW_RANGE} GROUP BY 1 ORDER BY 1`;
const rawHours = (table: string) => `SELECT date_trunc('hour', observed_at, 'UTC') AS hour, parameter, round(avg(value) FILTER (WHERE flag = 'N'), 6)::text AS mean, (count(*) FILTER (WHERE flag = 'N'))::int AS valid
  FROM ${table} WHERE station_id = ANY($1::uuid[]) AND ${RAW_RANGE} GROUP BY 1, 2 ORDER BY 1, 2`;

export const STORAGE_QUERIES: StorageQuery[] = [
  {
    id: 'month-100',
    title: 'daily means of every parameter of 100 outlets over a month',
    aggregates: `SELECT station_id::text AS station, to_char(day, 'YYYY-MM-DD') AS day, parameter,
        round(sum(sum_valid) / nullif(sum(n_valid), 0), 6)::text AS mean, sum(n_valid)::int AS valid, sum(n_total)::int AS total
      FROM observation_daily WHERE station_id = ANY($1::uuid[]) AND day >= $2::date AND day < $3::date GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    partitionedRaw: rawDaily('observation'),
    plain: rawDaily('observation_plain_bench'),
    params: (ids) => [ids, ...MONTH_PARAMS],
    quickRuns: 5,
  },
  {
    id: 'month-1',
    title: 'one outlet\'s monthly mean of each parameter (what a monthly class reads)',
    aggregates: `SELECT parameter, round(sum(sum_valid) / nullif(sum(n_valid), 0), 6)::text AS mean, sum(n_valid)::int AS valid, sum(n_total)::int AS total
      FROM observation_daily WHERE station_id = ANY($1::uuid[]) AND day >= $2::date AND day < $3::date GROUP BY 1 ORDER BY 1`,
    partitionedRaw: rawMonth('observation'),
    plain: rawMonth('observation_plain_bench'),
    params: (ids) => [ids.slice(0, 1), ...MONTH_PARAMS],
    quickRuns: 20,
  },
  {
    id: 'hours-1',
    title: 'one outlet\'s hourly means over a month (744 hours)',
    aggregates: `SELECT hour_start AS hour, parameter, round(sum(sum_valid) / nullif(sum(n_valid), 0), 6)::text AS mean, sum(n_valid)::int AS valid
      FROM observation_hourly WHERE station_id = ANY($1::uuid[]) AND hour_start >= ($2::date::timestamp AT TIME ZONE 'Asia/Shanghai')
        AND hour_start < ($3::date::timestamp AT TIME ZONE 'Asia/Shanghai') GROUP BY 1, 2 ORDER BY 1, 2`,
    partitionedRaw: rawHours('observation'),
    plain: rawHours('observation_plain_bench'),
    params: (ids) => [ids.slice(0, 1), ...MONTH_PARAMS],
    quickRuns: 20,
  },
];
