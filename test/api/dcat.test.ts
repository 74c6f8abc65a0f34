import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jsonld from 'jsonld';
import request from 'supertest';
import { jurisdictionInfo, Jurisdiction } from '../../src/domain/jurisdictions';
import { loadCatalogFiles } from '../../src/modules/catalog/catalog-files';
import type { CatalogResourceEntry } from '../../src/modules/catalog/catalog.schema';
import { ACCESS_RIGHTS } from '../../src/modules/catalog/dcat';
import { startTestHub, TestHub } from '../support/hub';

/*
 * The DCAT-AP export through HTTP: what it holds for the public and for a zone agency, in JSON-LD
 * and Turtle, and its conformance to the DCAT-AP 3.0.1 SHACL shapes (all three files, vocabulary
 * shapes included) checked by rdf-validate-shacl in a node script (test/support/shacl-validate.mjs;
 * the validator is ESM-only, which Jest's CommonJS runtime cannot load). Expectations come from the
 * catalog files.
 */

const { catalog } = loadCatalogFiles(path.resolve(__dirname, '../../catalog'));
if (!catalog) throw new Error('the catalog must be valid for this test');
const ALL = catalog.resources;
const PUBLIC = ALL.filter((r) => r.openToPublic.open);
const codes = (rs: CatalogResourceEntry[]): string[] => rs.map((r) => r.code).sort();
const byCode = new Map(ALL.map((r) => [r.code, r]));

const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const SKOS = 'http://www.w3.org/2004/02/skos/core#';
const VCARD = 'http://www.w3.org/2006/vcard/ns#';
const FOAF = 'http://xmlns.com/foaf/0.1/';
const EU = 'http://publications.europa.eu/resource/authority/';

let t: TestHub;
let agency: string; // a district's catalog reader: sees the whole catalog, and the monitoring data
let hub: string; // the hub's own namespace

beforeAll(async () => {
  t = await startTestHub('demo');
  agency = await t.token('WUJIANG', ['CATALOG_READER']);
  hub = `${t.config.publicUrl}/catalog/ns#`;
});
afterAll(() => t.close());

type Node = Record<string, any>;
const ofType = (nodes: Node[], type: string): Node[] => nodes.filter((n) => (n['@type'] ?? []).includes(type));
const ids = (n: Node | undefined, p: string): string[] => (n?.[p] ?? []).map((v: any) => v['@id']).sort();
const values = (n: Node | undefined, p: string): string[] => (n?.[p] ?? []).map((v: any) => v['@value']).sort();

async function exported(token?: string): Promise<{ nodes: Node[]; byId: Map<string, Node>; text: string }> {
  let req = request(t.hub.app).get('/catalog/dcat.jsonld');
  if (token) req = req.set('authorization', `Bearer ${token}`);
  const res = await req;
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/ld\+json/);
  const nodes = (await jsonld.expand(JSON.parse(res.text))) as Node[];
  return { nodes, byId: new Map(nodes.map((n) => [n['@id'], n])), text: res.text };
}

describe('what the export says', () => {
  test('public: one dataset per public resource, with EU frequency, access rights, data themes, language and the open licence', async () => {
    const { nodes, byId } = await exported();
    const [cat, ...more] = ofType(nodes, `${DCAT}Catalog`);
    expect(more).toHaveLength(0);
    const datasets = ofType(nodes, `${DCAT}Dataset`);
    expect(datasets.map((d) => d[`${DCT}identifier`][0]['@value']).sort()).toEqual(codes(PUBLIC));
    expect(ids(cat, `${DCAT}dataset`)).toEqual(datasets.map((d) => d['@id']).sort());

    const cycles = new Map(catalog.dimensions.updateCycles.map((c) => [c.code, c.euFrequencyUri]));
    const themes = new Map(catalog.dimensions.businessLines.map((b) => [b.code, b.euDataThemeUris]));
    const open = catalog.licences.find((l) => l.appliesTo === 'OPEN')!;
    for (const d of datasets) {
      const file = byCode.get(d[`${DCT}identifier`][0]['@value'])!;
      expect(ids(d, `${DCT}accrualPeriodicity`)).toEqual([cycles.get(file.updateCycle)]);
      expect(ids(d, `${DCT}accessRights`)).toEqual([ACCESS_RIGHTS.PUBLIC]);
      expect(ids(d, `${DCAT}theme`)).toEqual([...themes.get(file.businessLine)!].sort());
      expect(ids(d, `${DCT}language`)).toEqual([`${EU}language/ZHO`]);
      expect(d[`${DCT}title`].map((x: any) => x['@language']).sort()).toEqual(['en', 'zh']);
      expect(d[`${DCT}issued`][0]).toEqual({ '@value': file.publishedAt, '@type': 'http://www.w3.org/2001/XMLSchema#date' });
      // A period only where it is derived from monitoring data the public may read: observations open to it.
      const servesObservations = (file.serves ?? []).some((x) => x.data === 'OBSERVATIONS');
      if (!servesObservations) expect(d[`${DCT}temporal`]).toBeUndefined();
      const [dist] = ids(d, `${DCAT}distribution`).map((id) => byId.get(id)!);
      expect(ids(dist, `${DCT}license`)).toEqual([open.uri]);
      const rights = byId.get(ids(dist, `${DCT}rights`)[0])!;
      expect(rights['@type']).toEqual([`${DCT}RightsStatement`]);
      expect(values(rights, 'http://www.w3.org/2000/01/rdf-schema#label').join(' ')).toContain('向社会开放');
    }
    // Every EU value is typed and placed in its scheme, as the shapes check.
    const frequency = byId.get(cycles.get('DAILY')!)!;
    expect(frequency['@type']).toEqual(expect.arrayContaining([`${DCT}Frequency`, `${SKOS}Concept`]));
    expect(ids(frequency, `${SKOS}inScheme`)).toEqual([`${EU}frequency`]);
    expect(byId.get(ACCESS_RIGHTS.PUBLIC)!['@type']).toEqual(expect.arrayContaining([`${DCT}RightsStatement`]));

    const [service, ...others] = ofType(nodes, `${DCAT}DataService`);
    expect(others).toHaveLength(0);
    expect(ids(service, `${DCAT}endpointURL`)).toEqual([`${t.config.publicUrl}/graphql`]); // HUB_PUBLIC_URL, never the Host header
    expect(ids(cat, `${DCAT}service`)).toEqual([service['@id']]);
    expect(ofType(nodes, `${DCT}Standard`).map((n) => n['@id'])).toEqual(ids(service, `${DCT}conformsTo`));
  });

  test('agency: the whole catalog; shared data under the zone terms, open data under the open licence, not shared without a distribution', async () => {
    const { nodes, byId } = await exported(agency);
    const datasets = ofType(nodes, `${DCAT}Dataset`);
    expect(datasets.map((d) => d[`${DCT}identifier`][0]['@value']).sort()).toEqual(codes(ALL));
    const zoneTerms = byId.get(`${t.config.publicUrl}/catalog/licences/ZONE_SHARING_TERMS`)!;
    expect(zoneTerms['@type']).toEqual([`${DCT}LicenseDocument`]);
    const open = catalog.licences.find((l) => l.appliesTo === 'OPEN')!.uri;
    for (const d of datasets) {
      const file = byCode.get(d[`${DCT}identifier`][0]['@value'])!;
      const want = file.sharing.type === 'NOT_SHARED' ? ACCESS_RIGHTS.NON_PUBLIC : file.openToPublic.open ? ACCESS_RIGHTS.PUBLIC : ACCESS_RIGHTS.RESTRICTED;
      expect({ code: file.code, rights: ids(d, `${DCT}accessRights`) }).toEqual({ code: file.code, rights: [want] });
      const dists = ids(d, `${DCAT}distribution`).map((id) => byId.get(id)!);
      expect(dists).toHaveLength(file.sharing.type === 'NOT_SHARED' ? 0 : 1);
      for (const dist of dists) {
        expect({ code: file.code, licence: ids(dist, `${DCT}license`) }).toEqual({ code: file.code, licence: [file.openToPublic.open ? open : zoneTerms['@id']] });
        // Served through GraphQL: JSON from the endpoint; described only: the file's own format, obtained as the page says.
        const viaApi = file.status === 'SERVED';
        expect(ids(dist, `${DCAT}accessURL`)).toEqual([viaApi ? `${t.config.publicUrl}/graphql` : d['@id']]);
        if (viaApi) expect(ids(dist, `${DCT}format`)).toEqual([`${EU}file-type/JSON`]);
      }
      // The hub's own terms: sharing type, dimensions, status and entry point (none while PLANNED).
      expect(ids(d, `${hub}sharingType`)).toEqual([`${t.config.publicUrl}/catalog/dimensions/sharing-types/${file.sharing.type}`]);
      expect(ids(d, `${hub}function`)).toEqual([`${t.config.publicUrl}/catalog/dimensions/functions/${file.function}`]);
      expect(ids(d, `${hub}element`)).toHaveLength(file.elements.length);
      expect(ids(d, `${hub}purpose`)).toHaveLength(file.sharing.conditions?.purposes.length ?? 0);
      expect(values(d, `${hub}status`)).toEqual([file.status]);
      expect(values(d, `${hub}entryPoint`)).toEqual(file.entryPoint ? [file.entryPoint] : []);
      // Spatial coverage: the owner districts, by their administrative division codes.
      const places = ids(d, `${DCT}spatial`).map((id) => byId.get(id)!);
      expect(places.map((p) => values(p, `${DCT}identifier`)[0]).sort())
        .toEqual(file.jurisdictions.map((j) => jurisdictionInfo(j as Jurisdiction).divisionCode).sort());
      // Publisher a foaf:Agent with the provider's name; contact point a vcard:Kind.
      const publisher = byId.get(ids(d, `${DCT}publisher`)[0])!;
      const provider = catalog.providers.find((p) => p.code === file.provider)!;
      expect(publisher['@type']).toContain(`${FOAF}Agent`);
      expect(values(publisher, `${FOAF}name`)).toEqual([provider.name, provider.nameEn].sort());
      expect(byId.get(ids(d, `${DCAT}contactPoint`)[0])!['@type']).toContain(`${VCARD}Kind`);
    }
    const shared = ALL.filter((r) => r.sharing.type !== 'NOT_SHARED').length;
    const [service] = ofType(nodes, `${DCAT}DataService`);
    expect(ids(service, `${DCAT}servesDataset`)).toHaveLength(shared);
    expect(ofType(nodes, `${DCAT}Distribution`)).toHaveLength(shared);
  });

  test('agency: monitoring resources carry the period of the data the caller may read', async () => {
    const { byId } = await exported(agency);
    // A Wujiang catalog reader reads the observations of unconditional resources everywhere, of conditional ones (no purpose) in Wujiang only.
    const unconditional = ALL.filter((r) => r.sharing.type === 'UNCONDITIONAL').map((r) => r.code);
    const periods: Array<{ code: string; first: Date; last: Date }> = await t.db.ds.query(
      `SELECT s.catalog_resource_code AS code, min(o.observed_at) AS first, max(o.observed_at) AS last
       FROM monitoring_station s JOIN observation o ON o.station_id = s.id
       WHERE s.catalog_resource_code = ANY($1) OR s.owner_jurisdiction = 'WUJIANG' GROUP BY 1 ORDER BY 1`, [unconditional],
    );
    expect(periods.length).toBeGreaterThan(0);
    for (const p of periods) {
      const d = byId.get(`${t.config.publicUrl}/catalog/resources/${encodeURIComponent(p.code)}`)!;
      const period = byId.get(ids(d, `${DCT}temporal`)[0])!;
      expect(period['@type']).toEqual([`${DCT}PeriodOfTime`]);
      expect(values(period, `${DCAT}startDate`)).toEqual([new Date(p.first).toISOString()]);
      expect(values(period, `${DCAT}endDate`)).toEqual([new Date(p.last).toISOString()]);
    }
  });

  test('an ETag per answer: the same export again with If-None-Match is 304, another principal\'s view is another ETag', async () => {
    for (const path of ['/catalog/dcat.jsonld', '/catalog/dcat.ttl']) {
      const first = await request(t.hub.app).get(path).set('authorization', `Bearer ${agency}`);
      expect(first.status).toBe(200);
      expect(first.headers.etag).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9_-]+"$/);
      const again = await request(t.hub.app).get(path).set('authorization', `Bearer ${agency}`).set('if-none-match', first.headers.etag);
      expect(again.status).toBe(304);
      expect(again.text ?? '').toBe('');
      const pub = await request(t.hub.app).get(path).set('if-none-match', first.headers.etag);
      expect(pub.status).toBe(200);
      expect(pub.headers.etag).not.toBe(first.headers.etag);
    }
  });

  test('Turtle at /catalog/dcat.ttl, and /catalog/dcat chooses by Accept', async () => {
    const ttl = await request(t.hub.app).get('/catalog/dcat.ttl');
    expect(ttl.status).toBe(200);
    expect(ttl.headers['content-type']).toMatch(/^text\/turtle/);
    expect(ttl.text).toContain('@prefix dcat: <http://www.w3.org/ns/dcat#>.');
    expect(ttl.text).toMatch(/ a dcat:Catalog/);

    const negotiated = await request(t.hub.app).get('/catalog/dcat').set('accept', 'text/turtle');
    expect(negotiated.headers['content-type']).toMatch(/^text\/turtle/);
    expect(negotiated.headers.vary).toMatch(/Accept/);
    expect(negotiated.text).toBe(ttl.text);
    const preferred = await request(t.hub.app).get('/catalog/dcat').set('accept', 'application/ld+json;q=0.5, text/turtle;q=0.9');
    expect(preferred.headers['content-type']).toMatch(/^text\/turtle/);
    for (const accept of ['application/ld+json', '*/*', 'text/html']) {
      const r = await request(t.hub.app).get('/catalog/dcat').set('accept', accept);
      expect({ accept, type: r.headers['content-type'] }).toEqual({ accept, type: expect.stringMatching(/^application\/ld\+json/) });
    }
  });

  test('a bad token is 401 on every form, never the public export', async () => {
    for (const route of ['/catalog/dcat.jsonld', '/catalog/dcat.ttl', '/catalog/dcat']) {
      const res = await request(t.hub.app).get(route).set('authorization', 'Bearer nope');
      expect({ route, status: res.status, code: res.body.errors?.[0]?.extensions?.code }).toEqual({ route, status: 401, code: 'UNAUTHENTICATED' });
    }
  });
});

describe('DCAT-AP 3.0.1 conformance (rdf-validate-shacl, all three shape files)', () => {
  interface Report { file: string; triples: number; graphHash: string; violations: number; results: Array<{ severity: string; path?: string; message: string; focusNode?: string }> }

  test('JSON-LD and Turtle, public and agency: 0 violations, and both serialisations hold the same graph', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eco-hub-dcat-'));
    const docs: Array<[string, string, string]> = [];
    for (const [who, token] of [['public', undefined], ['agency', agency]] as const) {
      for (const [route, ext, mediaType] of [['/catalog/dcat.jsonld', 'jsonld', 'application/ld+json'], ['/catalog/dcat.ttl', 'ttl', 'text/turtle']]) {
        let req = request(t.hub.app).get(route);
        if (token) req = req.set('authorization', `Bearer ${token}`);
        const file = path.join(dir, `${who}.${ext}`);
        fs.writeFileSync(file, (await req).text);
        docs.push([who, file, mediaType]);
      }
    }
    const out = execFileSync(process.execPath, [path.join(__dirname, '../support/shacl-validate.mjs'), ...docs.flatMap(([, f, m]) => [f, m])], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const reports = out.trim().split('\n').map((l) => JSON.parse(l) as Report);
    fs.rmSync(dir, { recursive: true, force: true });

    const summary = reports.map((r, i) => ({
      export: `${docs[i][0]} ${path.extname(r.file).slice(1)}`, triples: r.triples, violations: r.violations, warnings: r.results.filter((x) => x.severity === 'Warning').length,
    }));
    process.stdout.write(`\nDCAT-AP 3.0.1 SHACL (rdf-validate-shacl 0.6.5):\n${summary.map((s) => `  ${s.export}: ${s.triples} triples, ${s.violations} violations, ${s.warnings} warnings`).join('\n')}\n`);
    for (const r of reports) {
      const violations = r.results.filter((x) => x.severity === 'Violation').map((x) => `${x.focusNode} ${x.path}: ${x.message}`);
      expect({ file: path.basename(r.file), violations }).toEqual({ file: path.basename(r.file), violations: [] });
      expect(r.triples).toBeGreaterThan(500);
    }
    // What remains are warnings the zone cannot clear: its agencies are not in the EU corporate-body
    // table and its districts not in the EU place tables.
    for (const r of reports) {
      expect(new Set(r.results.map((x) => x.path))).toEqual(new Set([`${DCT}publisher`, `${DCT}spatial`].filter((p) => r.results.some((x) => x.path === p))));
    }
    expect(reports[0].graphHash).toBe(reports[1].graphHash);
    expect(reports[2].graphHash).toBe(reports[3].graphHash);
    expect(reports[2].triples).toBeGreaterThan(reports[0].triples);
  }, 120_000);
});
