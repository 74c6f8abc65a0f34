import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { catalogVisibility, catalogVisibilityCondition } from '../../auth/catalog-visibility';
import { Principal, Role } from '../../auth/principal';
import { SqlParams, likeEscape } from '../../db/sql';
import { districtsCoveredBy, Jurisdiction } from '../../domain/jurisdictions';
import { badInput, forbidden } from '../../graphql/errors';
import { encodeCursor, keysetPage, Page, PageArgs, pageRequest } from '../../graphql/pagination';
import type { Catalog } from './catalog-files';
import { CatalogFilter } from './catalog.inputs';
import { DossierRecordType, ServedData, SharingType } from './catalog.schema';
import type { MonitoringTerms, SharingTerms } from '../../auth/policy';
import { CatalogSharingType, SHARING_TYPE_NAMES } from './catalog.codes';
import { CatalogCodeType, CatalogFacets, CatalogFacetValue, CatalogResource } from './catalog.type';

/** What a catalog read needs of the request: who asks. */
export interface CatalogReadContext {
  principal: Principal;
}

/** How many rows a load inserted, updated, deleted or left as they were. */
export interface LoadCounts {
  inserted: number;
  updated: number;
  deleted: number;
  unchanged: number;
}

/** Counts of a catalog load: resources at the top, code tables, providers and purposes together under `codes`. */
export interface CatalogLoadResult extends LoadCounts {
  codes: LoadCounts;
}

/**
 * The sharing rule of one dossier record type, as its catalog resource states it: what the policy
 * needs to decide rule 2 (another district reads as the sharing type allows). For NOT_SHARED,
 * `legalBasis` is the basis that rules sharing out.
 */
export interface CatalogSharingRule {
  recordType: DossierRecordType;
  catalogCode: string;
  sharingType: SharingType;
  purposes: string[];
  legalBasis: string | null;
  openToPublic: boolean;
}

/** The policy's view of the catalog, read from the database and replaced as one piece. */
interface SharingSnapshot {
  version: number;
  rules: ReadonlyMap<DossierRecordType, CatalogSharingRule>;
  purposeRoles: ReadonlyMap<string, readonly Role[]>;
  /** The monitoring data each SERVED resource governs (its `serves`), with its terms. */
  monitoring: MonitoringTerms;
  /** The codes each catalog filter takes, so an unknown one is refused with the valid ones listed. */
  filterCodes: Readonly<Record<FilterCodeKey, readonly string[]>>;
}

type FilterCodeKey = 'function' | 'businessLine' | 'element' | 'provider';

/*
 * The snapshot is kept per DataSource, so every service of the process on that database (tests
 * start several hubs) sees a reload at once. `version` counts loads and refreshes in this process
 * only: another instance of the hub that loads the catalog is seen here on this instance's next
 * `refresh()` (at start, or from a periodic refresh where several instances share a database).
 */
const snapshots = new WeakMap<DataSource, SharingSnapshot>();
let snapshotVersion = 0;

/** Advisory lock key of catalog loads: two hubs starting together load one after the other. */
const LOAD_LOCK = 0x0ca7a109;

const SEARCH_MAX = 100;
const CODE_PATTERN = /^[A-Z][A-Z0-9_-]{0,63}$/;
const LIST_TAG = 'CatalogResource';
const SEARCH_TAG = 'CatalogResourceSearch';

// ---------------------------------------------------------------------------------------------
// Loading

interface TableSync {
  table: string;
  key: string[];
  /** Column name → the SQL type jsonb_to_recordset reads it as. */
  columns: Record<string, string>;
  rows: Array<Record<string, unknown>>;
}

const CODE_TABLE_COLUMNS = { table_name: 'varchar', version: 'varchar', source: 'text', effective_from: 'date' };
const CODE_COLUMNS = { table_name: 'varchar', code: 'varchar', name: 'text', name_en: 'text', description: 'text', position: 'int', extra: 'jsonb' };
const PROVIDER_COLUMNS = {
  code: 'varchar', name: 'text', short_name: 'text', name_en: 'text', description: 'text', kind: 'varchar', uscc: 'varchar', jurisdiction: 'varchar', parent: 'varchar', position: 'int',
};
const PURPOSE_COLUMNS = { code: 'varchar', name: 'text', name_en: 'text', description: 'text', roles: 'text[]', position: 'int' };
const RESOURCE_COLUMNS = {
  code: 'varchar', name: 'text', name_en: 'text', keywords: 'text[]', provider_code: 'varchar', contributors: 'text[]', abstract: 'text', format: 'jsonb',
  data_items: 'jsonb', sharing_type: 'varchar', sharing_conditions: 'jsonb', sharing_basis: 'text', sharing_method: 'jsonb', open_to_public: 'boolean',
  open_conditions: 'text', update_cycle: 'varchar', published_at: 'date', related: 'text[]', function_code: 'varchar', business_line: 'varchar',
  elements: 'text[]', jurisdictions: 'text[]', record_type: 'varchar', status: 'varchar', serves: 'jsonb', entry_point: 'varchar', example_query: 'text', search_text: 'text',
};

/** Everything search matches, one field a line: names, keywords, abstract, data item names and fields. */
export function searchTextOf(r: Catalog['resources'][number]): string {
  return [
    r.code, r.name, r.nameEn, r.keywords.join(' '), r.abstract,
    ...(r.dataItems ?? []).map((d) => (d.field ? `${d.name} ${d.field}` : d.name)),
  ].join('\n');
}

function codeRows(catalog: Catalog): Array<Record<string, unknown>> {
  const { functions, businessLines, elements, updateCycles, formats } = catalog.dimensions;
  const row = (table: string, e: { code: string; name: string; nameEn: string; description?: string }, position: number, extra: object = {}) => ({
    table_name: table, code: e.code, name: e.name, name_en: e.nameEn, description: e.description ?? null, position, extra,
  });
  return [
    ...functions.map((e, i) => row('functions', e, i)),
    ...businessLines.map((e, i) => row('business-lines', e, i, { classificationCode: e.classificationCode, euDataThemeUris: e.euDataThemeUris })),
    ...elements.map((e, i) => row('elements', e, i, e.hj212SystemCodes ? { hj212SystemCodes: e.hj212SystemCodes } : {})),
    ...updateCycles.map((e, i) => row('update-cycles', e, i, { order: e.order, euFrequency: e.euFrequency, euFrequencyUri: e.euFrequencyUri })),
    ...formats.map((e, i) => row('formats', e, i, { methodTypes: e.methodTypes, requiresDataItems: e.requiresDataItems })),
    // Format type codes are unique within their class only, so their key carries the class.
    ...formats.flatMap((cls) => cls.types.map((t, i) => row('format-types', { ...t, code: `${cls.code}/${t.code}` }, i, {
      class: cls.code, type: t.code, extensions: t.extensions ?? [], euFileTypeUri: t.euFileTypeUri ?? null, mediaTypeUri: t.mediaTypeUri ?? null,
    }))),
    ...catalog.licences.map((e, i) => row('licences', e, i, { appliesTo: e.appliesTo, uri: e.uri ?? null, licenceTypeUris: e.licenceTypeUris ?? [] })),
  ];
}

function resourceRows(catalog: Catalog): Array<Record<string, unknown>> {
  return catalog.resources.map((r) => ({
    code: r.code,
    name: r.name,
    name_en: r.nameEn,
    keywords: r.keywords,
    provider_code: r.provider,
    contributors: r.contributors ?? [],
    abstract: r.abstract,
    format: r.format,
    data_items: r.dataItems ?? null,
    sharing_type: r.sharing.type,
    sharing_conditions: r.sharing.conditions ? { purposes: r.sharing.conditions.purposes ?? [], legalBasis: r.sharing.conditions.legalBasis ?? null } : null,
    sharing_basis: r.sharing.basis ?? null,
    sharing_method: r.sharing.method,
    open_to_public: r.openToPublic.open,
    open_conditions: r.openToPublic.conditions ?? null,
    update_cycle: r.updateCycle,
    published_at: r.publishedAt,
    related: r.related ?? [],
    function_code: r.function,
    business_line: r.businessLine,
    elements: r.elements,
    jurisdictions: r.jurisdictions,
    record_type: r.recordType ?? null,
    status: r.status,
    serves: r.serves ?? null,
    entry_point: r.entryPoint ?? null,
    example_query: r.exampleQuery ?? null,
    search_text: searchTextOf(r),
  }));
}

const quote = (c: string): string => `"${c}"`;

/**
 * Makes a table hold exactly `rows`: one statement inserts the new rows and updates only the rows
 * whose content differs (so an unchanged catalog writes nothing), one deletes the rest.
 */
async function upsertRows(em: EntityManager, t: TableSync): Promise<Omit<LoadCounts, 'deleted'>> {
  const cols = Object.keys(t.columns);
  const nonKey = cols.filter((c) => !t.key.includes(c));
  const recordDef = cols.map((c) => `${quote(c)} ${t.columns[c]}`).join(', ');
  const sql = `INSERT INTO ${t.table} AS t (${cols.map(quote).join(', ')})
    SELECT ${cols.map(quote).join(', ')} FROM jsonb_to_recordset($1::jsonb) AS x(${recordDef})
    ON CONFLICT (${t.key.map(quote).join(', ')}) DO UPDATE SET ${nonKey.map((c) => `${quote(c)} = EXCLUDED.${quote(c)}`).join(', ')}, "updated_at" = now()
    WHERE ROW(${nonKey.map((c) => `t.${quote(c)}`).join(', ')}) IS DISTINCT FROM ROW(${nonKey.map((c) => `EXCLUDED.${quote(c)}`).join(', ')})
    RETURNING (xmax = 0) AS inserted`;
  const written: Array<{ inserted: boolean }> = t.rows.length ? await em.query(sql, [JSON.stringify(t.rows)]) : [];
  const inserted = written.filter((w) => w.inserted).length;
  return { inserted, updated: written.length - inserted, unchanged: t.rows.length - written.length };
}

async function deleteOthers(em: EntityManager, t: TableSync): Promise<number> {
  const keyDef = t.key.map((c) => `${quote(c)} ${t.columns[c]}`).join(', ');
  const keys = t.rows.map((r) => Object.fromEntries(t.key.map((k) => [k, r[k]])));
  const [{ n }] = await em.query(
    `WITH d AS (DELETE FROM ${t.table} t WHERE (${t.key.map((c) => `t.${quote(c)}`).join(', ')}) NOT IN
       (SELECT ${t.key.map(quote).join(', ')} FROM jsonb_to_recordset($1::jsonb) AS x(${keyDef})) RETURNING 1)
     SELECT count(*)::int AS n FROM d`,
    [JSON.stringify(keys)],
  );
  return n as number;
}

function add(a: LoadCounts, b: Partial<LoadCounts>): LoadCounts {
  return {
    inserted: a.inserted + (b.inserted ?? 0),
    updated: a.updated + (b.updated ?? 0),
    deleted: a.deleted + (b.deleted ?? 0),
    unchanged: a.unchanged + (b.unchanged ?? 0),
  };
}

const ZERO: LoadCounts = { inserted: 0, updated: 0, deleted: 0, unchanged: 0 };

/** The channel a catalog load notifies every hub on (src/db/events.ts). */
export const CATALOG_CHANNEL = 'eco_hub_catalog';

/** A load refused because the database holds a newer catalog, or another under the same version. */
export class CatalogVersionError extends Error {
  constructor(message: string, readonly loadedVersion: number) {
    super(message);
    this.name = 'CatalogVersionError';
  }
}

function catalogLoadChangedCounts(r: CatalogLoadResult): boolean {
  return r.inserted + r.updated + r.deleted + r.codes.inserted + r.codes.updated + r.codes.deleted > 0;
}

/**
 * Makes the database hold exactly the given (validated) catalog, in one transaction: running it
 * again with the same files writes nothing, a resource removed from the files is deleted, and a
 * failure anywhere leaves the previous catalog as it was. Every statement goes through the
 * transaction's manager (on PGlite a second connection would wait forever). Afterwards the
 * sharing rules the policy reads are replaced by the committed ones.
 */
export async function loadIntoDatabase(ds: DataSource, catalog: Catalog): Promise<CatalogLoadResult> {
  const codeTables: TableSync = {
    table: 'catalog_code_table', key: ['table_name'], columns: CODE_TABLE_COLUMNS,
    rows: Object.entries(catalog.tables).map(([table, h]) => ({ table_name: table, version: h.version, source: h.source, effective_from: h.effectiveFrom })),
  };
  const codes: TableSync = { table: 'catalog_code', key: ['table_name', 'code'], columns: CODE_COLUMNS, rows: codeRows(catalog) };
  const providers: TableSync = {
    table: 'catalog_provider', key: ['code'], columns: PROVIDER_COLUMNS,
    rows: catalog.providers.map((p, i) => ({
      code: p.code, name: p.name, short_name: p.shortName ?? null, name_en: p.nameEn, description: p.description ?? null,
      kind: p.kind, uscc: p.uscc, jurisdiction: p.jurisdiction, parent: p.parent ?? null, position: i,
    })),
  };
  const purposes: TableSync = {
    table: 'catalog_purpose', key: ['code'], columns: PURPOSE_COLUMNS,
    rows: catalog.purposes.map((p, i) => ({ code: p.code, name: p.name, name_en: p.nameEn, description: p.description ?? null, roles: p.roles, position: i })),
  };
  const resources: TableSync = { table: 'catalog_resource', key: ['code'], columns: RESOURCE_COLUMNS, rows: resourceRows(catalog) };

  const hash = createHash('sha256').update(JSON.stringify(catalog)).digest('hex');
  const { result, snapshot } = await ds.transaction(async (em) => {
    await em.query(`SELECT pg_advisory_xact_lock(${LOAD_LOCK})`);
    // Which copy is the truth: the newest version loaded. Older files never replace it (an
    // instance restarted with old files would restore old terms for every instance), and one
    // version has one content.
    const [state] = await em.query('SELECT version, content_hash FROM catalog_state WHERE id = 1');
    if (state && state.version > catalog.version) {
      throw new CatalogVersionError(`the database holds catalog version ${state.version}, newer than these files' version ${catalog.version}; nothing was loaded (update the files)`, state.version);
    }
    if (state && state.version === catalog.version && state.content_hash !== hash) {
      throw new CatalogVersionError(`catalog version ${catalog.version} is already loaded with other content; raise version in catalog.yaml to load these files`, state.version);
    }
    let codeCounts = ZERO;
    // Providers before resources (resources reference them), resources deleted before providers.
    for (const t of [codeTables, codes, providers, purposes]) codeCounts = add(codeCounts, await upsertRows(em, t));
    const resourceCounts = add({ ...ZERO, deleted: await deleteOthers(em, resources) }, await upsertRows(em, resources));
    for (const t of [providers, codes, codeTables, purposes]) codeCounts = add(codeCounts, { deleted: await deleteOthers(em, t) });
    const counts = { ...resourceCounts, codes: codeCounts };
    if (!state || state.version !== catalog.version) {
      await em.query(`INSERT INTO catalog_state (id, version, content_hash, loaded_at) VALUES (1, $1, $2, now())
        ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, content_hash = EXCLUDED.content_hash, loaded_at = EXCLUDED.loaded_at`, [catalog.version, hash]);
    }
    // Every instance on this database reloads its terms when the load commits (src/db/events.ts).
    if (catalogLoadChangedCounts(counts) || !state || state.version !== catalog.version) {
      await em.query('SELECT pg_notify($1, $2)', [CATALOG_CHANNEL, JSON.stringify({ version: catalog.version })]);
    }
    return { result: counts, snapshot: await readSnapshot(em) };
  });
  // Published only once committed: a rolled-back load leaves the rules as they were.
  snapshots.set(ds, { ...snapshot, version: ++snapshotVersion });
  return result;
}

async function readSnapshot(em: EntityManager): Promise<Omit<SharingSnapshot, 'version'>> {
  const rows: Array<Record<string, unknown>> = await em.query(
    `SELECT record_type, code, sharing_type, sharing_conditions, sharing_basis, open_to_public, serves, data_items
     FROM catalog_resource WHERE status = 'SERVED' AND (record_type IS NOT NULL OR serves IS NOT NULL) ORDER BY code`,
  );
  const rules = new Map<DossierRecordType, CatalogSharingRule>();
  const monitoring = { stations: [], observations: [], assessments: [], alerts: [], reminders: [] } as { -readonly [K in keyof MonitoringTerms]-?: Array<NonNullable<MonitoringTerms[K]>[number]> };
  for (const r of rows) {
    const conditions = r.sharing_conditions as { purposes?: string[]; legalBasis?: string | null } | null;
    const recordType = (r.record_type as DossierRecordType | null) ?? undefined;
    const rule = Object.freeze({
      ...(recordType ? { recordType } : {}),
      catalogCode: String(r.code),
      sharingType: r.sharing_type as SharingType,
      purposes: Object.freeze([...(conditions?.purposes ?? [])]) as string[],
      legalBasis: conditions?.legalBasis ?? (r.sharing_basis as string | null) ?? null,
      openToPublic: r.open_to_public === true,
      items: Object.freeze(((r.data_items as Array<{ field?: string }> | null) ?? []).flatMap((d) => (d.field ? [d.field] : []))),
    });
    if (recordType) rules.set(recordType, rule as CatalogSharingRule);
    for (const b of (r.serves as ServedData[] | null) ?? []) {
      if (b.data === 'STATIONS') monitoring.stations.push({ rule, stationKinds: b.stationKinds });
      else if (b.data === 'OBSERVATIONS') monitoring.observations.push(rule);
      else if (b.data === 'ALERTS') monitoring.alerts.push(rule);
      else if (b.data === 'REMINDERS') monitoring.reminders.push(rule);
      else monitoring.assessments.push({ rule, assessment: b.assessment, stationKinds: b.stationKinds, drinkingWaterSource: b.drinkingWaterSource });
    }
  }
  const purposes: Array<{ code: string; roles: string[] }> = await em.query('SELECT code, roles FROM catalog_purpose ORDER BY position');
  const purposeRoles = new Map<string, readonly Role[]>(purposes.map((p) => [p.code, Object.freeze([...p.roles]) as readonly Role[]]));
  const codes: Array<{ k: FilterCodeKey; codes: string[] }> = await em.query(
    `SELECT CASE table_name WHEN 'functions' THEN 'function' WHEN 'business-lines' THEN 'businessLine' ELSE 'element' END AS k, array_agg(code ORDER BY code) AS codes
     FROM catalog_code WHERE table_name IN ('functions', 'business-lines', 'elements') GROUP BY table_name
     UNION ALL SELECT 'provider', array_agg(code ORDER BY code) FROM catalog_provider`,
  );
  const filterCodes = { function: [], businessLine: [], element: [], provider: [] } as Record<FilterCodeKey, readonly string[]>;
  for (const c of codes) filterCodes[c.k] = Object.freeze(c.codes ?? []);
  return { rules, purposeRoles, monitoring, filterCodes };
}

// ---------------------------------------------------------------------------------------------
// Reading

/** A resource row with its names joined in, one statement for any number of rows. */
const RESOURCE_SELECT = `
  t.code, t.name, t.name_en, t.keywords, t.abstract, t.data_items, t.sharing_type, t.sharing_conditions, t.sharing_basis,
  t.open_to_public, t.open_conditions, t.published_at, t.related, t.jurisdictions, t.status, t.entry_point, t.example_query,
  jsonb_build_object('code', p.code, 'name', p.name, 'nameEn', p.name_en, 'uscc', p.uscc, 'jurisdiction', p.jurisdiction) AS provider,
  ${codeObject('functions', 't.function_code')} AS function,
  ${codeObject('business-lines', 't.business_line')} AS business_line,
  ${codeObject('update-cycles', 't.update_cycle', `, 'euFrequencyUri', c.extra->>'euFrequencyUri'`)} AS update_cycle,
  ${codeObject('formats', `t.format->>'class'`)} AS format_class,
  ${codeObject('format-types', `(t.format->>'class') || '/' || (t.format->>'type')`)} AS format_type,
  (SELECT coalesce(jsonb_agg(jsonb_build_object('code', e.code, 'name', coalesce(c.name, e.code), 'nameEn', coalesce(c.name_en, e.code)) ORDER BY e.ord), '[]'::jsonb)
     FROM unnest(t.elements) WITH ORDINALITY AS e(code, ord)
     LEFT JOIN catalog_code c ON c.table_name = 'elements' AND c.code = e.code) AS elements`;

function codeObject(table: string, codeExpr: string, extra = ''): string {
  return `coalesce((SELECT jsonb_build_object('code', c.code, 'name', c.name, 'nameEn', c.name_en${extra})
    FROM catalog_code c WHERE c.table_name = '${table}' AND c.code = ${codeExpr}), jsonb_build_object('code', ${codeExpr}, 'name', ${codeExpr}, 'nameEn', ${codeExpr}))`;
}

const FROM_RESOURCES = 'catalog_resource t JOIN catalog_provider p ON p.code = t.provider_code';

interface CodeJson {
  code: string;
  name: string;
  nameEn: string;
  euFrequencyUri?: string | null;
}

/** A joined row as the GraphQL type. */
function toResource(r: Record<string, unknown>): CatalogResource {
  const conditions = r.sharing_conditions as { purposes: string[]; legalBasis: string | null } | null;
  const items = (r.data_items as Array<{ name: string; field?: string; type: string; length: number; scale?: number }> | null) ?? [];
  const formatType = r.format_type as CodeJson;
  const updateCycle = r.update_cycle as CodeJson;
  return Object.assign(new CatalogResource(), {
    code: r.code as string,
    name: r.name as string,
    nameEn: r.name_en as string,
    abstract: r.abstract as string,
    keywords: r.keywords as string[],
    provider: r.provider as CatalogResource['provider'],
    function: r.function as CodeJson,
    businessLine: r.business_line as CodeJson,
    elements: r.elements as CodeJson[],
    jurisdictions: r.jurisdictions as Jurisdiction[],
    sharingType: r.sharing_type as CatalogSharingType,
    // NOT_SHARED carries its basis here too (the guide's "共享条件/不予共享依据" field).
    sharingConditions: conditions
      ? { purposes: conditions.purposes, legalBasis: conditions.legalBasis }
      : r.sharing_basis ? { purposes: [], legalBasis: r.sharing_basis as string } : null,
    openToPublic: r.open_to_public as boolean,
    openConditions: (r.open_conditions as string | null) ?? null,
    updateCycle: { code: updateCycle.code, name: updateCycle.name, nameEn: updateCycle.nameEn, euFrequencyUri: updateCycle.euFrequencyUri ?? null },
    // The format type's key is CLASS/TYPE; clients see the type code alone.
    format: { class: r.format_class as CodeJson, type: { ...formatType, code: formatType.code.split('/').pop()! } },
    dataItems: items.map((d) => ({ name: d.name, field: d.field ?? null, type: d.type, length: d.length, scale: d.scale ?? null })),
    related: r.related as string[],
    status: r.status as CatalogResource['status'],
    entryPoint: (r.entry_point as string | null) ?? null,
    exampleQuery: (r.example_query as string | null) ?? null,
    publishedAt: r.published_at as string,
  });
}

/** The filter, checked and normalised: a blank search is no search. */
interface CheckedFilter extends CatalogFilter {
  searchText?: string;
}

function checkFilter(filter: CatalogFilter, known: Readonly<Record<FilterCodeKey, readonly string[]>>): CheckedFilter {
  for (const key of ['function', 'businessLine', 'element', 'provider'] as const) {
    const v = filter[key];
    if (v === undefined || v === null) continue;
    if (!CODE_PATTERN.test(v)) {
      throw badInput(`filter.${key}`, `must be a catalog code of upper-case letters, digits, "_" and "-" (e.g. ${key === 'provider' ? 'WUJIANG-EEB' : 'SURFACE_WATER'}), got "${v}"`);
    }
    // An unknown code would match nothing, silently: say so, with the codes there are.
    if (!known[key].includes(v)) throw badInput(`filter.${key}`, `unknown code "${v}"; one of ${known[key].join(', ')}`, { validCodes: known[key] });
  }
  const search = filter.search?.trim().replace(/\s+/g, ' ');
  if (search && search.length > SEARCH_MAX) throw badInput('filter.search', `must be at most ${SEARCH_MAX} characters, got ${search.length}`);
  return { ...filter, searchText: search || undefined };
}

/** The conditions of every catalog read: visibility first, then each given filter, over alias `t`. */
function dimensionConditions(f: CheckedFilter, q: SqlParams): Record<'function' | 'businessLine' | 'element' | 'sharingType', string | null> {
  return {
    function: f.function ? `t.function_code = ${q.p(f.function)}` : null,
    businessLine: f.businessLine ? `t.business_line = ${q.p(f.businessLine)}` : null,
    element: f.element ? `${q.p(f.element)} = ANY(t.elements)` : null,
    sharingType: f.sharingType ? `t.sharing_type = ${q.p(f.sharingType)}` : null,
  };
}

function otherConditions(ctx: CatalogReadContext, f: CheckedFilter, q: SqlParams): string[] {
  const c = [catalogVisibilityCondition(ctx.principal, 't')];
  if (f.provider) c.push(`t.provider_code = ${q.p(f.provider)}`);
  if (f.jurisdiction) {
    const districts = districtsCoveredBy(f.jurisdiction);
    c.push(districts.length ? `t.jurisdictions && ${q.p(districts)}::text[]` : 'false');
  }
  if (f.openToPublic !== undefined && f.openToPublic !== null) c.push(`t.open_to_public = ${q.p(f.openToPublic)}`);
  if (f.searchText) c.push(`t.search_text ILIKE ${q.p(`%${likeEscape(f.searchText)}%`)}`);
  return c;
}

/**
 * Relevance of a resource to a search: where the text is found weighs most (name 4, an exact
 * keyword 3, a keyword 2, a data item 1, the abstract 1), and pg_trgm's word similarity orders
 * resources found in the same places. Rounded, so the cursor carries it exactly.
 */
function rankExpression(search: string, q: SqlParams): string {
  const pattern = q.p(`%${likeEscape(search)}%`);
  const text = q.p(search);
  return `round((
      CASE WHEN t.name ILIKE ${pattern} OR t.name_en ILIKE ${pattern} THEN 4 ELSE 0 END
    + CASE WHEN lower(${text}) = ANY(SELECT lower(k) FROM unnest(t.keywords) k) THEN 3
           WHEN array_to_string(t.keywords, ' ') ILIKE ${pattern} THEN 2 ELSE 0 END
    + CASE WHEN EXISTS (SELECT 1 FROM jsonb_array_elements(coalesce(t.data_items, '[]'::jsonb)) d
                        WHERE d->>'name' ILIKE ${pattern} OR d->>'field' ILIKE ${pattern}) THEN 1 ELSE 0 END
    + CASE WHEN t.abstract ILIKE ${pattern} THEN 1 ELSE 0 END
    + word_similarity(${text}, t.search_text)
  )::numeric, 4)`;
}

/**
 * The resource catalog: browsing, search, facets and lookup for GraphQL, the DCAT export, and the
 * sharing rules the policy reads. Every read is scoped by `catalogVisibility` in SQL.
 */
export class CatalogService {
  constructor(private readonly ds: DataSource) {}

  /**
   * Re-reads the sharing rules and purpose roles from the database. The hub calls it at start;
   * a load in this process refreshes by itself, a load by another instance is seen from the next
   * call (several instances sharing one database would call this on an interval).
   */
  async refresh(): Promise<void> {
    const snapshot = await readSnapshot(this.ds.manager);
    snapshots.set(this.ds, { ...snapshot, version: ++snapshotVersion });
  }

  /** Refreshes only when this process has never read the rules for this database (for callers that may run before the hub's start). */
  async ensureLoaded(): Promise<void> {
    if (!snapshots.has(this.ds)) await this.refresh();
  }

  /**
   * The sharing rule of each dossier record type, from the one resource that declares it. Read
   * synchronously by the policy on every request, so it is served from memory; it throws until
   * `refresh()` (or a load) has run, so a wiring mistake fails loudly instead of closing silently.
   */
  sharingRules(): ReadonlyMap<DossierRecordType, CatalogSharingRule> {
    return this.snapshot().rules;
  }

  /** The catalog's terms as the policy takes them, for one request. */
  terms(): SharingTerms {
    const s = this.snapshot();
    return { rules: s.rules as SharingTerms['rules'], purposeRoles: s.purposeRoles, monitoring: s.monitoring };
  }

  /** The monitoring data each SERVED resource governs, with its terms (the policy's MonitoringTerms). */
  monitoringTerms(): MonitoringTerms {
    return this.snapshot().monitoring;
  }

  /** The roles of which a principal must hold one to use each purpose (catalog/dimensions/purposes.yaml). */
  purposeRoles(): ReadonlyMap<string, readonly Role[]> {
    return this.snapshot().purposeRoles;
  }

  /** Grows by one on every load or refresh in this process: a key for caches of what the rules decide. */
  rulesVersion(): number {
    return this.snapshot().version;
  }

  private snapshot(): SharingSnapshot {
    const s = snapshots.get(this.ds);
    if (!s) throw new Error('catalog sharing rules are not loaded: await CatalogService.refresh() at start');
    return s;
  }

  /**
   * One page of the catalog as the principal may see it: by code, or by relevance when searching
   * (then the cursor carries the rank and the code). `totalCount` costs a statement only when asked.
   */
  async list(ctx: CatalogReadContext, filter: CatalogFilter, args: PageArgs): Promise<Page<CatalogResource>> {
    const f = checkFilter(filter, this.snapshot().filterCodes);
    const searching = f.searchText !== undefined;
    const page = pageRequest(args, searching ? SEARCH_TAG : LIST_TAG, searching ? ['numeric', 'text'] : ['text']);
    const where = (q: SqlParams): string[] => {
      const dims = Object.values(dimensionConditions(f, q)).filter((c): c is string => c !== null);
      return [...otherConditions(ctx, f, q), ...dims];
    };

    const q = new SqlParams();
    const conds = where(q);
    let sql: string;
    if (searching) {
      const rank = rankExpression(f.searchText!, q);
      const after = page.after ? `WHERE (s.__rank < ${q.p(page.after[0])}::numeric OR (s.__rank = ${q.p(page.after[0])}::numeric AND s.code > ${q.p(page.after[1])}))` : '';
      sql = `SELECT * FROM (SELECT ${RESOURCE_SELECT}, ${rank} AS __rank FROM ${FROM_RESOURCES} WHERE ${conds.join(' AND ')}) s
        ${after} ORDER BY s.__rank DESC, s.code LIMIT ${page.first + 1}`;
    } else {
      if (page.after) conds.push(`t.code > ${q.p(page.after[0])}`);
      sql = `SELECT ${RESOURCE_SELECT} FROM ${FROM_RESOURCES} WHERE ${conds.join(' AND ')} ORDER BY t.code LIMIT ${page.first + 1}`;
    }
    const raw: Array<Record<string, unknown>> = await this.ds.query(sql, q.values);
    const rows = raw.slice(0, page.first);
    // The search cursor carries the rank, which is a column of the row, not of the resource.
    const cursorOf = (_: CatalogResource, i: number) => searching
      ? encodeCursor(SEARCH_TAG, [String(rows[i].__rank), String(rows[i].code)])
      : encodeCursor(LIST_TAG, [String(rows[i].code)]);
    return keysetPage(rows.map(toResource), raw.length, page, cursorOf, async () => {
      const cq = new SqlParams();
      const [{ n }] = await this.ds.query(`SELECT count(*)::int AS n FROM catalog_resource t WHERE ${where(cq).join(' AND ')}`, cq.values);
      return n as number;
    });
  }

  /** One resource by code; null when there is none, FORBIDDEN when the principal may not see it. */
  async get(ctx: CatalogReadContext, code: string): Promise<CatalogResource | null> {
    const q = new SqlParams();
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT ${RESOURCE_SELECT}, (${catalogVisibilityCondition(ctx.principal, 't')}) AS __visible FROM ${FROM_RESOURCES} WHERE t.code = ${q.p(code)}`,
      q.values,
    );
    if (rows.length === 0) return null;
    if (rows[0].__visible !== true) {
      throw forbidden(`catalog resource ${code} is not open to the public; sign in to see the whole catalog`, { rule: 'catalog.publicOnly' });
    }
    return toResource(rows[0]);
  }

  /**
   * Counts per function, business line, element and sharing type, in one statement. Each
   * dimension is counted under every condition of the filter except its own (the others narrow
   * it, its own choice does not), so a browsing UI can narrow one dimension after another and
   * still switch within one. Values are in code table order; those counting 0 are left out unless
   * selected. `total` counts the resources matching the whole filter.
   */
  async facets(ctx: CatalogReadContext, filter: CatalogFilter): Promise<CatalogFacets> {
    const f = checkFilter(filter, this.snapshot().filterCodes);
    const q = new SqlParams();
    const common = otherConditions(ctx, f, q);
    const dims = dimensionConditions(f, q);
    const ok = (c: string | null): string => c ?? 'true';
    const sharing = Object.values(CatalogSharingType).map((code, i) =>
      `(${q.p(code)}, ${q.p(SHARING_TYPE_NAMES[code].name)}, ${q.p(SHARING_TYPE_NAMES[code].nameEn)}, ${i})`).join(', ');
    const sql = `WITH base AS (
        SELECT t.code, t.function_code, t.business_line, t.elements, t.sharing_type,
          ${ok(dims.function)} AS f_ok, ${ok(dims.businessLine)} AS b_ok, ${ok(dims.element)} AS e_ok, ${ok(dims.sharingType)} AS s_ok
        FROM catalog_resource t WHERE ${common.join(' AND ')})
      SELECT 'functions' AS facet, c.code, c.name, c.name_en, c.position, count(b.code)::int AS n
        FROM catalog_code c LEFT JOIN base b ON b.function_code = c.code AND b.b_ok AND b.e_ok AND b.s_ok
        WHERE c.table_name = 'functions' GROUP BY c.code, c.name, c.name_en, c.position
      UNION ALL
      SELECT 'businessLines', c.code, c.name, c.name_en, c.position, count(b.code)::int
        FROM catalog_code c LEFT JOIN base b ON b.business_line = c.code AND b.f_ok AND b.e_ok AND b.s_ok
        WHERE c.table_name = 'business-lines' GROUP BY c.code, c.name, c.name_en, c.position
      UNION ALL
      SELECT 'elements', c.code, c.name, c.name_en, c.position, count(b.code)::int
        FROM catalog_code c LEFT JOIN base b ON c.code = ANY(b.elements) AND b.f_ok AND b.b_ok AND b.s_ok
        WHERE c.table_name = 'elements' GROUP BY c.code, c.name, c.name_en, c.position
      UNION ALL
      SELECT 'sharingTypes', s.code, s.name, s.name_en, s.position, count(b.code)::int
        FROM (VALUES ${sharing}) AS s(code, name, name_en, position) LEFT JOIN base b ON b.sharing_type = s.code AND b.f_ok AND b.b_ok AND b.e_ok
        GROUP BY s.code, s.name, s.name_en, s.position
      UNION ALL
      SELECT 'total', '', '', '', 0, count(*)::int FROM base b WHERE b.f_ok AND b.b_ok AND b.e_ok AND b.s_ok
      ORDER BY 1, 5, 2`;
    const rows: Array<{ facet: string; code: string; name: string; name_en: string; n: number }> = await this.ds.query(sql, q.values);
    const selected: Record<string, string | undefined> = {
      functions: f.function, businessLines: f.businessLine, elements: f.element, sharingTypes: f.sharingType,
    };
    const out: CatalogFacets = { total: 0, functions: [], businessLines: [], elements: [], sharingTypes: [] };
    for (const r of rows) {
      if (r.facet === 'total') {
        out.total = r.n;
        continue;
      }
      const isSelected = selected[r.facet] === r.code;
      if (r.n === 0 && !isSelected) continue;
      const value: CatalogFacetValue = { code: r.code, name: r.name, nameEn: r.name_en, count: r.n, selected: isSelected };
      (out[r.facet as keyof Omit<CatalogFacets, 'total'>] as CatalogFacetValue[]).push(value);
    }
    return out;
  }

  /**
   * What the DCAT export describes: every resource the principal may see (by code), the code
   * tables it draws themes from, and the providers.
   */
  async exportView(ctx: CatalogReadContext): Promise<CatalogExportView> {
    const resources: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT ${RESOURCE_SELECT} FROM ${FROM_RESOURCES} WHERE ${catalogVisibilityCondition(ctx.principal, 't')} ORDER BY t.code`,
    );
    const codes: Array<{ table_name: string; code: string; name: string; name_en: string; description: string | null; extra: Record<string, unknown> }> = await this.ds.query(
      `SELECT table_name, code, name, name_en, description, extra FROM catalog_code ORDER BY table_name, position`,
    );
    const providers: Array<{ code: string; name: string; name_en: string; uscc: string; jurisdiction: string }> = await this.ds.query(
      'SELECT code, name, name_en, uscc, jurisdiction FROM catalog_provider ORDER BY position',
    );
    const purposes: Array<{ code: string; name: string; name_en: string; description: string | null }> = await this.ds.query(
      'SELECT code, name, name_en, description FROM catalog_purpose ORDER BY position',
    );
    const table = (name: string): ExportCode[] => codes.filter((c) => c.table_name === name)
      .map((c) => ({ code: c.code, name: c.name, nameEn: c.name_en, description: c.description, extra: c.extra ?? {} }));
    return {
      visibility: catalogVisibility(ctx.principal),
      resources: resources.map(toResource),
      dimensions: {
        functions: table('functions'), businessLines: table('business-lines'), elements: table('elements'), updateCycles: table('update-cycles'),
        formatTypes: table('format-types'), licences: table('licences'),
        purposes: purposes.map((p) => ({ code: p.code, name: p.name, nameEn: p.name_en, description: p.description, extra: {} })),
      },
      providers: providers.map((p) => ({ code: p.code, name: p.name, nameEn: p.name_en, uscc: p.uscc, jurisdiction: p.jurisdiction as Jurisdiction })),
    };
  }
}

/** A code table entry as the export reads it: names, and what only its table has (EU URIs, licence scope…) in `extra`. */
export interface ExportCode extends CatalogCodeType {
  description: string | null;
  extra: Record<string, unknown>;
}

/**
 * The catalog as one principal may see it, for exports. Plain arrays and objects: the cached
 * service keeps it as JSON. Format types are keyed `CLASS/TYPE`.
 */
export interface CatalogExportView {
  visibility: 'ALL' | 'PUBLIC_ONLY';
  resources: CatalogResource[];
  dimensions: Record<'functions' | 'businessLines' | 'elements' | 'updateCycles' | 'formatTypes' | 'licences' | 'purposes', ExportCode[]>;
  providers: CatalogResource['provider'][];
}
