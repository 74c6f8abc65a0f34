import path from 'node:path';
import { loadCatalogFiles } from '../../src/modules/catalog/catalog-files';
import type { CatalogResourceEntry } from '../../src/modules/catalog/catalog.schema';
import { startTestHub, TestHub } from '../support/hub';

/*
 * The catalog through HTTP: browsing, facets, search and visibility (the DCAT export is dcat.test.ts).
 * Every expectation is computed from the catalog files, so the test follows the catalog as it grows.
 */

const { catalog } = loadCatalogFiles(path.resolve(__dirname, '../../catalog'));
if (!catalog) throw new Error('the catalog must be valid for this test');
const ALL = catalog.resources;
const PUBLIC = ALL.filter((r) => r.openToPublic.open);
const codes = (rs: CatalogResourceEntry[]): string[] => rs.map((r) => r.code).sort();

let t: TestHub;
let reader: string; // an authenticated principal of a district, catalog reader only
let credit: string; // the Credit Yangtze Delta platform

beforeAll(async () => {
  t = await startTestHub('empty');
  reader = await t.token('WUJIANG', ['CATALOG_READER']);
  credit = await t.token('CREDIT_YRD', ['CREDIT_FEED']);
});
afterAll(() => t.close());

const LIST = `query($filter: CatalogFilter, $first: Int, $after: String) {
  catalogResources(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { code name } }
  } }`;

const FACETS = `query($filter: CatalogFilter) { catalogFacets(filter: $filter) {
  total
  functions { code name nameEn count selected }
  businessLines { code name count selected }
  elements { code name count selected }
  sharingTypes { code name count selected }
} }`;

type Filter = Record<string, string | boolean>;

/** Codes of the resources a filter selects, from the files (the hub must agree). */
function expected(rs: CatalogResourceEntry[], f: Filter): string[] {
  return codes(rs.filter((r) =>
    (f.function === undefined || r.function === f.function)
    && (f.businessLine === undefined || r.businessLine === f.businessLine)
    && (f.element === undefined || r.elements.includes(f.element as string))
    && (f.sharingType === undefined || r.sharing.type === f.sharingType)
    && (f.provider === undefined || r.provider === f.provider)
    && (f.openToPublic === undefined || r.openToPublic.open === f.openToPublic)));
}

async function listAll(filter: Filter, token?: string): Promise<{ codes: string[]; total: number }> {
  const r = await t.gql(LIST, { filter, first: 500 }, { token });
  expect(r.body.errors).toBeUndefined();
  const c = r.body.data.catalogResources;
  return { codes: c.edges.map((e: any) => e.node.code), total: c.totalCount };
}

async function facets(filter: Filter, token?: string): Promise<any> {
  const r = await t.gql(FACETS, { filter }, { token });
  expect(r.body.errors).toBeUndefined();
  return r.body.data.catalogFacets;
}

function countBy(rs: CatalogResourceEntry[], key: (r: CatalogResourceEntry) => string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rs) for (const k of key(r)) out[k] = (out[k] ?? 0) + 1;
  return out;
}

const asCounts = (values: Array<{ code: string; count: number }>): Record<string, number> => Object.fromEntries(values.map((v) => [v.code, v.count]));

describe('browsing by every dimension', () => {
  test('the facets of the whole catalog count what the files hold, in code table order', async () => {
    const f = await facets({}, reader);
    expect(f.total).toBe(ALL.length);
    expect(asCounts(f.functions)).toEqual(countBy(ALL, (r) => [r.function]));
    expect(asCounts(f.businessLines)).toEqual(countBy(ALL, (r) => [r.businessLine]));
    expect(asCounts(f.elements)).toEqual(countBy(ALL, (r) => r.elements));
    expect(asCounts(f.sharingTypes)).toEqual(countBy(ALL, (r) => [r.sharing.type]));
    const tableOrder = catalog.dimensions.functions.map((d) => d.code).filter((c) => f.functions.some((v: any) => v.code === c));
    expect(f.functions.map((v: any) => v.code)).toEqual(tableOrder);
    const monitoring = catalog.dimensions.functions.find((d) => d.code === 'MONITORING')!;
    expect(f.functions.find((v: any) => v.code === 'MONITORING')).toMatchObject({ name: monitoring.name, nameEn: monitoring.nameEn, selected: false });
    expect(f.sharingTypes.find((v: any) => v.code === 'CONDITIONAL').name).toBe('有条件共享');
  });

  test('each function, business line, element, sharing type and provider lists exactly its resources', async () => {
    const dims: Array<[string, string[]]> = [
      ['function', catalog.dimensions.functions.map((d) => d.code)],
      ['businessLine', catalog.dimensions.businessLines.map((d) => d.code)],
      ['element', catalog.dimensions.elements.map((d) => d.code)],
      ['sharingType', ['UNCONDITIONAL', 'CONDITIONAL', 'NOT_SHARED']],
      ['provider', catalog.providers.map((p) => p.code)],
    ];
    let nonEmpty = 0;
    for (const [dim, values] of dims) {
      for (const value of values) {
        const want = expected(ALL, { [dim]: value });
        const got = await listAll({ [dim]: value }, reader);
        expect({ dim, value, codes: got.codes, total: got.total }).toEqual({ dim, value, codes: want, total: want.length });
        if (want.length > 0) nonEmpty++;
      }
    }
    expect(nonEmpty).toBeGreaterThan(30);
  });

  test('jurisdiction and openToPublic filters: a province stands for its district', async () => {
    const inQingpu = codes(ALL.filter((r) => r.jurisdictions.includes('QINGPU')));
    expect((await listAll({ jurisdiction: 'QINGPU' }, reader)).codes).toEqual(inQingpu);
    expect((await listAll({ jurisdiction: 'SHANGHAI' }, reader)).codes).toEqual(inQingpu);
    expect((await listAll({ jurisdiction: 'ZONE' }, reader)).codes).toEqual(codes(ALL));
    expect((await listAll({ jurisdiction: 'CREDIT_YRD' }, reader)).total).toBe(0);
    expect((await listAll({ openToPublic: false }, reader)).codes).toEqual(expected(ALL, { openToPublic: false }));
  });

  test('narrowing step by step: every facet value counts what choosing it would list', async () => {
    const filter: Filter = {};
    const steps: Array<[string, string]> = [];
    for (const dim of ['function', 'businessLine', 'element'] as const) {
      const f = await facets(filter, reader);
      const facet = f[`${dim === 'function' ? 'functions' : dim === 'businessLine' ? 'businessLines' : 'elements'}`];
      // Each value's count is the size of the list with that value chosen instead (its own choice left out).
      for (const v of facet) {
        expect({ dim, v: v.code, count: v.count }).toEqual({ dim, v: v.code, count: expected(ALL, { ...filter, [dim]: v.code }).length });
      }
      expect(f.total).toBe(expected(ALL, filter).length);
      // Take the most common value that still leaves more than one resource, so the next step has something to narrow.
      const pick = [...facet].sort((a: any, b: any) => b.count - a.count)[0];
      filter[dim] = pick.code;
      steps.push([dim, pick.code]);
      const after = await facets(filter, reader);
      const key = dim === 'function' ? 'functions' : dim === 'businessLine' ? 'businessLines' : 'elements';
      expect(after[key].filter((v: any) => v.selected).map((v: any) => v.code)).toEqual([pick.code]);
      expect(after.total).toBe(pick.count);
      expect((await listAll(filter, reader)).codes).toEqual(expected(ALL, filter));
    }
    expect(steps).toHaveLength(3);
    // The sharing types under the three choices add up to the total.
    const last = await facets(filter, reader);
    expect(last.sharingTypes.reduce((n: number, v: any) => n + v.count, 0)).toBe(last.total);
  });

  test('a selected value that matches nothing under the other conditions is still shown, with 0', async () => {
    const f = await facets({ function: 'APPROVAL', businessLine: 'AIR_QUALITY' }, reader);
    expect(f.total).toBe(0);
    expect(f.businessLines.find((v: any) => v.code === 'AIR_QUALITY')).toMatchObject({ count: 0, selected: true });
    expect(f.functions.find((v: any) => v.code === 'APPROVAL')).toMatchObject({ count: 0, selected: true });
    expect(f.functions.every((v: any) => v.count > 0 || v.selected)).toBe(true);
  });

  test('facets cost one SQL statement', async () => {
    const r = await t.gql(FACETS, { filter: { function: 'MONITORING', search: '水' } }, { token: reader });
    expect(r.body.errors).toBeUndefined();
    expect(r.statements).toBe(1);
  });
});

describe('search', () => {
  const SEARCH = `query($q: String!, $first: Int, $after: String) {
    catalogResources(filter: { search: $q }, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { code name nameEn } }
    } }`;

  /** Where a text occurs in a resource, as the hub promises to look. */
  function contains(r: CatalogResourceEntry, q: string): boolean {
    const hay = [r.code, r.name, r.nameEn, ...r.keywords, r.abstract, ...(r.dataItems ?? []).flatMap((d) => [d.name, d.field ?? ''])];
    return hay.some((h) => h.toLowerCase().includes(q.toLowerCase()));
  }

  async function search(q: string, token?: string): Promise<Array<{ code: string; name: string; nameEn: string }>> {
    const r = await t.gql(SEARCH, { q, first: 500 }, { token });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.catalogResources.totalCount).toBe(r.body.data.catalogResources.edges.length);
    return r.body.data.catalogResources.edges.map((e: any) => e.node);
  }

  test('a Chinese substring finds every resource that mentions it, those naming it first', async () => {
    const hits = await search('太浦河', reader);
    expect(hits.map((h) => h.code).sort()).toEqual(codes(ALL.filter((r) => contains(r, '太浦河'))));
    expect(hits.length).toBeGreaterThan(3);
    const named = hits.map((h) => h.name.includes('太浦河'));
    expect(named[0]).toBe(true);
    // No resource that only mentions the river ranks above one that has it in its name.
    expect(named.indexOf(false) === -1 || named.lastIndexOf(true) < named.indexOf(false)).toBe(true);
  });

  test('an English substring matches case-insensitively, inside words too', async () => {
    const hits = await search('taipu', reader);
    expect(hits.map((h) => h.code).sort()).toEqual(codes(ALL.filter((r) => contains(r, 'taipu'))));
    expect(hits[0].nameEn.toLowerCase()).toContain('taipu');
    const part = await search('ntimon', reader);
    expect(part.map((h) => h.code)).toEqual(codes(ALL.filter((r) => contains(r, 'ntimon'))));
    expect(part.length).toBeGreaterThan(0);
  });

  test('a data item name finds the resources that list it', async () => {
    const item = ALL.find((r) => r.recordType === 'COMPLAINT')!.dataItems!.find((d) => d.name === '举报人电话')!;
    const hits = await search(item.name, reader);
    expect(hits.map((h) => h.code).sort()).toEqual(codes(ALL.filter((r) => contains(r, item.name))));
    expect(hits.map((h) => h.code)).toContain(ALL.find((r) => r.recordType === 'COMPLAINT')!.code);
  });

  test('search respects visibility, and LIKE wildcards in the text are literal', async () => {
    const hits = await search('监测');
    expect(hits.map((h) => h.code).sort()).toEqual(codes(PUBLIC.filter((r) => contains(r, '监测'))));
    expect(await search('%')).toEqual([]);
    expect(await search('   ', reader)).toHaveLength(ALL.length); // blank is no search
  });

  test('relevance pages walk the same order as one page, and the cursor encodes rank and code', async () => {
    const whole = (await search('水质', reader)).map((h) => h.code);
    expect(whole.length).toBeGreaterThan(4);
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const r: any = await t.gql(SEARCH, { q: '水质', first: 3, after }, { token: reader });
      expect(r.body.errors).toBeUndefined();
      seen.push(...r.body.data.catalogResources.edges.map((e: any) => e.node.code));
      after = r.body.data.catalogResources.pageInfo.hasNextPage ? r.body.data.catalogResources.pageInfo.endCursor : null;
      if (after) expect(JSON.parse(Buffer.from(after, 'base64url').toString())).toEqual(['CatalogResourceSearch', expect.stringMatching(/^\d+\.\d{4}$/), expect.any(String)]);
    } while (after && seen.length < 500);
    expect(seen).toEqual(whole);
  });

  test('a search longer than 100 characters is BAD_USER_INPUT naming the field', async () => {
    const r = await t.gql(SEARCH, { q: '水'.repeat(101) }, { token: reader });
    expect(r.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.search' });
  });
  test.each([
    ['function', 'NOPE', 'functions'], ['businessLine', 'SURFACE_WATERS', 'business-lines'], ['element', 'WIND', 'elements'], ['provider', 'SUZHOU-EEB', 'providers'],
  ] as const)('an unknown %s code is BAD_USER_INPUT naming the argument and listing the valid codes, in lists and facets alike', async (key, code, table) => {
    const valid = table === 'providers'
      ? catalog.providers.map((p) => p.code).sort()
      : (table === 'functions' ? catalog.dimensions.functions : table === 'business-lines' ? catalog.dimensions.businessLines : catalog.dimensions.elements).map((d) => d.code).sort();
    for (const q of [`query($f: CatalogFilter) { catalogResources(filter: $f) { totalCount } }`, `query($f: CatalogFilter) { catalogFacets(filter: $f) { total } }`]) {
      const r = await t.gql(q, { f: { [key]: code } }, { token: reader });
      expect(r.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: `filter.${key}`, validCodes: valid });
      expect(r.body.errors[0].message).toBe(`filter.${key}: unknown code "${code}"; one of ${valid.join(', ')}`);
    }
  });
});

describe('visibility', () => {
  test('the public sees the resources open to the public; any zone principal sees all', async () => {
    expect((await listAll({})).codes).toEqual(codes(PUBLIC));
    expect(PUBLIC.length).toBeGreaterThan(0);
    expect(PUBLIC.length).toBeLessThan(ALL.length);
    expect((await listAll({}, reader)).codes).toEqual(codes(ALL));
    expect((await listAll({}, credit)).codes).toEqual(codes(ALL));
    const pf = await facets({});
    expect(pf.total).toBe(PUBLIC.length);
    expect(asCounts(pf.sharingTypes)).toEqual(countBy(PUBLIC, (r) => [r.sharing.type]));
  });

  test('a bad token is UNAUTHENTICATED, not the public view', async () => {
    const r = await t.gql(LIST, {}, { token: 'not-a-token' });
    expect(r.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});

describe('catalogResource by code', () => {
  const ONE = `query($code: String!) { catalogResource(code: $code) {
    code name nameEn abstract keywords
    provider { code name uscc jurisdiction }
    function { code name } businessLine { code name } elements { code name }
    jurisdictions sharingType sharingConditions { purposes legalBasis } openToPublic openConditions
    updateCycle { code name } format { class { code name } type { code name } }
    dataItems { name field type length scale } related entryPoint exampleQuery publishedAt
  } }`;

  test('returns every field as the files state it', async () => {
    const file = ALL.find((r) => r.recordType === 'COMPLAINT')!;
    const provider = catalog.providers.find((p) => p.code === file.provider)!;
    const r = await t.gql(ONE, { code: file.code }, { token: reader });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.catalogResource).toEqual({
      code: file.code,
      name: file.name,
      nameEn: file.nameEn,
      abstract: file.abstract,
      keywords: file.keywords,
      provider: { code: provider.code, name: provider.name, uscc: provider.uscc, jurisdiction: provider.jurisdiction },
      function: { code: file.function, name: catalog.dimensions.functions.find((d) => d.code === file.function)!.name },
      businessLine: { code: file.businessLine, name: catalog.dimensions.businessLines.find((d) => d.code === file.businessLine)!.name },
      elements: file.elements.map((e) => ({ code: e, name: catalog.dimensions.elements.find((d) => d.code === e)!.name })),
      jurisdictions: file.jurisdictions,
      sharingType: 'CONDITIONAL',
      sharingConditions: { purposes: file.sharing.conditions!.purposes, legalBasis: file.sharing.conditions!.legalBasis },
      openToPublic: false,
      openConditions: null,
      updateCycle: { code: file.updateCycle, name: catalog.dimensions.updateCycles.find((d) => d.code === file.updateCycle)!.name },
      format: {
        class: { code: file.format.class, name: catalog.dimensions.formats.find((d) => d.code === file.format.class)!.name },
        type: { code: file.format.type, name: catalog.dimensions.formats.find((d) => d.code === file.format.class)!.types.find((x) => x.code === file.format.type)!.name },
      },
      dataItems: file.dataItems!.map((d) => ({ name: d.name, field: d.field ?? null, type: d.type, length: d.length, scale: d.scale ?? null })),
      related: file.related ?? [],
      entryPoint: 'complaints',
      exampleQuery: file.exampleQuery,
      publishedAt: file.publishedAt,
    });
  });

  test('a NOT_SHARED resource gives its basis as the legal basis, with no purposes', async () => {
    const file = ALL.find((r) => r.sharing.type === 'NOT_SHARED')!;
    const r = await t.gql(ONE, { code: file.code }, { token: reader });
    expect(r.body.data.catalogResource).toMatchObject({ sharingType: 'NOT_SHARED', sharingConditions: { purposes: [], legalBasis: file.sharing.basis }, dataItems: [] });
  });

  test('unknown code is null; a resource not open to the public is FORBIDDEN to the public only', async () => {
    expect((await t.gql(ONE, { code: '211099/9999' }, { token: reader })).body.data.catalogResource).toBeNull();
    expect((await t.gql(ONE, { code: '211099/9999' })).body.data.catalogResource).toBeNull();
    const open = PUBLIC[0];
    expect((await t.gql(ONE, { code: open.code })).body.data.catalogResource.code).toBe(open.code);
    const closed = ALL.find((r) => !r.openToPublic.open)!;
    const denied = await t.gql(ONE, { code: closed.code });
    expect(denied.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'catalog.publicOnly' });
    expect((await t.gql(ONE, { code: closed.code }, { token: credit })).body.data.catalogResource.code).toBe(closed.code);
  });
});

describe('pagination', () => {
  test('keyset pages walk the catalog once, by code, with a lazy totalCount', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const r: any = await t.gql(LIST, { first: 7, after }, { token: reader });
      expect(r.body.errors).toBeUndefined();
      const c = r.body.data.catalogResources;
      expect(c.totalCount).toBe(ALL.length);
      seen.push(...c.edges.map((e: any) => e.node.code));
      after = c.pageInfo.hasNextPage ? c.pageInfo.endCursor : null;
      pages++;
    } while (after && pages < 50);
    expect(seen).toEqual(codes(ALL));
    expect(pages).toBe(Math.ceil(ALL.length / 7));
    const noCount = await t.gql(`{ catalogResources(first: 5) { edges { node { code } } } }`, undefined, { token: reader });
    expect(noCount.statements).toBe(1);
  });

  test('a cursor of the search order is refused by the code order, and first is bounded', async () => {
    const s = await t.gql(`{ catalogResources(filter: { search: "水" }, first: 1) { pageInfo { endCursor } } }`, undefined, { token: reader });
    const cursor = s.body.data.catalogResources.pageInfo.endCursor;
    const r = await t.gql(LIST, { first: 5, after: cursor }, { token: reader });
    expect(r.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const big = await t.gql(LIST, { first: 501 }, { token: reader });
    expect(big.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const bad = await t.gql(LIST, { filter: { function: 'monitoring; drop' } }, { token: reader });
    expect(bad.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.function' });
  });
});
