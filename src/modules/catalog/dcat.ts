import type { Request, Response } from 'express';
import type { Principal } from '../../auth/principal';
import { DISTRICTS, jurisdictionInfo, Jurisdiction } from '../../domain/jurisdictions';
import { ErrorCode } from '../../graphql/errors';
import { weakEtag } from '../../http/etag';
import { principalOf } from '../../http/request-context';
import { sendError } from '../../http/send-error';
import type { CatalogExportView, CatalogService, ExportCode } from './catalog.service';
import { CatalogResourceStatus, CatalogSharingType, SHARING_TYPE_NAMES } from './catalog.codes';
import type { CatalogResource } from './catalog.type';

/*
 * The catalog as DCAT-AP 3.0.1 (the EU application profile of W3C DCAT), in JSON-LD and Turtle, so
 * a CKAN DCAT harvester or the EU data portal's validator takes it as it is. One dcat:Catalog, one
 * dcat:Dataset per resource the caller may see, one dcat:DataService (the hub's GraphQL endpoint),
 * and per shared resource one dcat:Distribution with its licence and sharing terms.
 *
 * Controlled values are the EU authority-table resources the profile names (frequency, access
 * right, file type, language, data theme, country, licence), each typed and placed in its scheme
 * in the document, because the SHACL shapes check the class and skos:inScheme of every value.
 * The mapping from the catalog's codes to those URIs is data in catalog/dimensions/. The hub's own
 * terms — sharing type and conditions, the three dimensions, entry point — are properties of a
 * namespace under the hub's base URL (`hub:`), never squeezed into DCAT properties they do not mean.
 *
 * Both serialisations come from one graph built here, so they say the same thing.
 */

const NS = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
} as const;
type Prefix = keyof typeof NS | 'hub';

const EU = 'http://publications.europa.eu/resource/authority/';

/** EU access-right authority table (the vocabulary DCAT-AP uses for dct:accessRights). */
export const ACCESS_RIGHTS = {
  PUBLIC: `${EU}access-right/PUBLIC`,
  RESTRICTED: `${EU}access-right/RESTRICTED`,
  NON_PUBLIC: `${EU}access-right/NON_PUBLIC`,
} as const;

/** The EU schemes the export draws values from, each declared a skos:ConceptScheme in the document with its title. */
const EU_SCHEMES = {
  accessRight: `${EU}access-right`,
  frequency: `${EU}frequency`,
  fileType: `${EU}file-type`,
  language: `${EU}language`,
  dataTheme: `${EU}data-theme`,
  country: `${EU}country`,
  licenceType: 'http://purl.org/adms/licencetype/1.0',
} as const;
const EU_SCHEME_TITLES: Readonly<Record<string, string>> = {
  [EU_SCHEMES.accessRight]: 'Access right',
  [EU_SCHEMES.frequency]: 'Frequency',
  [EU_SCHEMES.fileType]: 'File type',
  [EU_SCHEMES.language]: 'Language',
  [EU_SCHEMES.dataTheme]: 'Data theme',
  [EU_SCHEMES.country]: 'Country',
  [EU_SCHEMES.licenceType]: 'Licence type',
};

/** The catalog's text is Chinese with English names; the data itself is Chinese. */
const LANGUAGES = { zh: `${EU}language/ZHO`, en: `${EU}language/ENG` } as const;
const CHINA = `${EU}country/CHN`;
const GRAPHQL_SPEC = 'https://spec.graphql.org/October2021/';

/** The agency that publishes the catalog itself: the zone's executive committee. */
const CATALOG_PUBLISHER = 'ZONE-EC';
/** The format type whose EU file type and media type describe a GraphQL answer. */
const GRAPHQL_FORMAT = 'SERVICE_INTERFACE/GRAPHQL';

/**
 * dct:accessRights of a resource. Open to the public is PUBLIC; shared among the zone's agencies,
 * unconditionally or on conditions, is RESTRICTED (available under conditions: a token, and for
 * conditional resources a purpose); not shared is NON_PUBLIC.
 */
export function accessRightsOf(r: Pick<CatalogResource, 'sharingType' | 'openToPublic'>): string {
  if (r.sharingType === CatalogSharingType.NOT_SHARED) return ACCESS_RIGHTS.NON_PUBLIC;
  return r.openToPublic ? ACCESS_RIGHTS.PUBLIC : ACCESS_RIGHTS.RESTRICTED;
}

// ---------------------------------------------------------------------------------------------
// A small graph: subjects in insertion order, each with its predicates and objects.

type Obj = { iri: string } | { value: string; lang?: 'zh' | 'en'; datatype?: string };

/** The RDF of one export, written out as JSON-LD or Turtle. */
export class DcatGraph {
  private readonly subjects = new Map<string, Map<string, Obj[]>>();

  constructor(readonly prefixes: Readonly<Record<Prefix, string>>) {}

  add(subject: string, predicate: string, ...objects: Obj[]): void {
    let node = this.subjects.get(subject);
    if (!node) this.subjects.set(subject, (node = new Map()));
    const list = node.get(predicate) ?? [];
    for (const o of objects) if (!list.some((x) => sameObj(x, o))) list.push(o);
    node.set(predicate, list);
  }

  has(subject: string): boolean {
    return this.subjects.has(subject);
  }

  get size(): number {
    let n = 0;
    for (const node of this.subjects.values()) for (const list of node.values()) n += list.length;
    return n;
  }

  /** `prefix:local` when a prefix covers the IRI and the rest is a plain name, else the IRI. */
  private compact(iri: string): string {
    for (const [prefix, ns] of Object.entries(this.prefixes)) {
      if (iri.startsWith(ns) && /^[A-Za-z_][\w.-]*$/.test(iri.slice(ns.length)) && !iri.slice(ns.length).endsWith('.')) return `${prefix}:${iri.slice(ns.length)}`;
    }
    return iri;
  }

  /** JSON-LD 1.1, flattened: one node object per subject, the prefixes as the context. */
  toJsonLd(): Record<string, unknown> {
    const graph = [...this.subjects].map(([subject, preds]) => {
      const node: Record<string, unknown> = { '@id': subject };
      for (const [p, objs] of preds) {
        // One value is written bare, several as an array: the same graph, and easier to read.
        const one = <T>(list: T[]): T | T[] => (list.length === 1 ? list[0] : list);
        if (p === `${NS.rdf}type`) {
          node['@type'] = one(objs.map((o) => this.compact((o as { iri: string }).iri)));
          continue;
        }
        node[this.compact(p)] = one(objs.map((o) => {
          if ('iri' in o) return { '@id': o.iri };
          if (o.lang) return { '@value': o.value, '@language': o.lang };
          if (o.datatype) return { '@value': o.value, '@type': this.compact(o.datatype) };
          return { '@value': o.value };
        }));
      }
      return node;
    });
    return { '@context': { ...this.prefixes }, '@graph': graph };
  }

  /** Turtle, written by n3 with the same prefixes (loaded on the first Turtle export, not at start). */
  toTurtle(): Promise<string> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { DataFactory, Writer } = require('n3') as typeof import('n3');
    const { namedNode, literal } = DataFactory;
    const writer = new Writer({ prefixes: { ...this.prefixes } });
    for (const [subject, preds] of this.subjects) {
      for (const [p, objs] of preds) {
        for (const o of objs) {
          const object = 'iri' in o ? namedNode(o.iri) : literal(o.value, o.lang ?? (o.datatype ? namedNode(o.datatype) : undefined));
          writer.addQuad(namedNode(subject), namedNode(p), object);
        }
      }
    }
    return new Promise((resolve, reject) => writer.end((err, out) => (err ? reject(err) : resolve(out))));
  }
}

function sameObj(a: Obj, b: Obj): boolean {
  if ('iri' in a || 'iri' in b) return 'iri' in a && 'iri' in b && a.iri === b.iri;
  return a.value === b.value && a.lang === b.lang && a.datatype === b.datatype;
}

// ---------------------------------------------------------------------------------------------
// The catalog as DCAT-AP

/** What the export knows besides the catalog: the period of the monitoring data the caller may read, per resource code. */
export interface DcatExtras {
  temporal?: ReadonlyArray<{ catalogResourceCode: string; start: Date; end: Date }>;
}

const iri = (value: string): Obj => ({ iri: value });
const CJK = /[\u3400-\u9fff]/;
const text = (value: string, lang?: 'zh' | 'en'): Obj => ({ value, lang: lang ?? (CJK.test(value) ? 'zh' : 'en') });
const plain = (value: string): Obj => ({ value });
const typed = (value: string, datatype: string): Obj => ({ value, datatype: `${NS.xsd}${datatype}` });
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The hub's own dimension schemes: where their concepts live and what they are called. */
const SCHEMES = {
  functions: { path: 'functions', zh: '职能', en: 'Function' },
  businessLines: { path: 'business-lines', zh: '业务', en: 'Business line' },
  elements: { path: 'elements', zh: '环境要素', en: 'Environmental element' },
  sharingTypes: { path: 'sharing-types', zh: '共享类型', en: 'Sharing type' },
  purposes: { path: 'purposes', zh: '共享用途', en: 'Purpose of use' },
  updateCycles: { path: 'update-cycles', zh: '更新周期', en: 'Update cycle' },
} as const;
type SchemeName = keyof typeof SCHEMES;

/** The sharing terms of a resource in plain words, Chinese and English (dct:rights of its distribution). */
export function sharingTermsText(r: CatalogResource, purposeNames: ReadonlyMap<string, { name: string; nameEn: string }>): { zh: string; en: string } {
  const zh: string[] = [];
  const en: string[] = [];
  // The basis is quoted inside a sentence that brings its own full stop.
  const basis = r.sharingConditions?.legalBasis?.trim().replace(/[。.；;]+$/, '');
  if (r.sharingType === CatalogSharingType.UNCONDITIONAL) {
    zh.push('无条件共享：示范区各机构凭有效令牌即可读取。');
    en.push('Shared unconditionally: every agency of the zone reads it with a valid token.');
  } else if (r.sharingType === CatalogSharingType.CONDITIONAL) {
    const purposes = r.sharingConditions?.purposes ?? [];
    zh.push(`有条件共享：读取时须声明用途（${purposes.map((p) => purposeNames.get(p)?.name ?? p).join('、')}），本辖区以外的机构只能为所声明的用途使用。`);
    en.push(`Shared on conditions: a reader outside the owner district declares its purpose (${purposes.map((p) => purposeNames.get(p)?.nameEn ?? p).join(', ')}) and uses the data for it alone.`);
    if (basis) {
      zh.push(`依据：${basis}。`);
      en.push(`Legal basis: ${basis}.`);
    }
  } else {
    zh.push('不予共享。');
    en.push('Not shared.');
    if (basis) {
      zh.push(`依据：${basis}。`);
      en.push(`Basis: ${basis}.`);
    }
  }
  if (r.openToPublic) {
    zh.push(r.openConditions ? `向社会开放，开放条件：${r.openConditions}。` : '向社会开放，公众无需令牌即可读取。');
    en.push(r.openConditions ? `Open to the public, on a condition: ${r.openConditions}.` : 'Open to the public: anyone reads it without a token.');
  }
  return { zh: zh.join(''), en: en.join(' ') };
}

/**
 * Builds the DCAT-AP graph of what `view` holds (the principal's share of the catalog).
 * `baseUrl` is the hub's configured public base URL (HUB_PUBLIC_URL): every IRI of the hub, and
 * the GraphQL endpoint, hang off it; never the request's Host header, which the client writes.
 */
export function buildDcatGraph(view: CatalogExportView, baseUrl: string, extras: DcatExtras = {}): DcatGraph {
  const base = baseUrl.replace(/\/+$/, '');
  const hub = `${base}/catalog/ns#`;
  const g = new DcatGraph({ ...NS, hub });
  const P = (prefix: Prefix, local: string): string => (prefix === 'hub' ? hub : NS[prefix]) + local;
  const a = (subject: string, ...classes: string[]): void => g.add(subject, P('rdf', 'type'), ...classes.map(iri));

  const catalogIri = `${base}/catalog`;
  const serviceIri = `${base}/catalog/services/graphql`;
  const endpoint = `${base}/graphql`;
  const homepage = `${base}/`;
  const datasetIri = (code: string): string => `${base}/catalog/resources/${encodeURIComponent(code)}`;
  const agentIri = (code: string): string => `${base}/catalog/providers/${encodeURIComponent(code)}`;
  const contactIri = (code: string): string => `${agentIri(code)}/contact`;
  const placeIri = (divisionCode: string): string => `${base}/catalog/places/${divisionCode}`;
  const schemeIri = (s: SchemeName): string => `${base}/catalog/dimensions/${SCHEMES[s].path}`;
  const conceptIri = (s: SchemeName, code: string): string => `${schemeIri(s)}/${encodeURIComponent(code)}`;

  const dims = view.dimensions;
  const byCode = (list: ExportCode[]): Map<string, ExportCode> => new Map(list.map((c) => [c.code, c]));
  const businessLines = byCode(dims.businessLines);
  const updateCycles = byCode(dims.updateCycles);
  const formatTypes = byCode(dims.formatTypes);
  const purposeNames = byCode(dims.purposes);
  const licenceFor = (scope: 'OPEN' | 'SHARED'): ExportCode | undefined => dims.licences.find((l) => l.extra.appliesTo === scope);
  const licenceIri = (l: ExportCode): string => str(l.extra.uri) ?? `${base}/catalog/licences/${encodeURIComponent(l.code)}`;
  const temporal = new Map((extras.temporal ?? []).map((t) => [t.catalogResourceCode, t]));

  const euScheme = (scheme: string): Obj => {
    if (!g.has(scheme)) {
      a(scheme, P('skos', 'ConceptScheme'));
      g.add(scheme, P('dct', 'title'), text(EU_SCHEME_TITLES[scheme], 'en'));
    }
    return iri(scheme);
  };
  // A value from an EU table: typed with the class the profile's range asks for, in its scheme.
  // Its label is its authority code, without a language: the tables' own labels are theirs to give.
  const euConcept = (value: string, scheme: string, ...classes: string[]): Obj => {
    if (!g.has(value)) {
      const code = value.slice(value.lastIndexOf('/') + 1);
      a(value, P('skos', 'Concept'), ...classes);
      g.add(value, P('skos', 'notation'), plain(code));
      g.add(value, P('skos', 'prefLabel'), plain(code));
      g.add(value, P('skos', 'inScheme'), euScheme(scheme));
    }
    return iri(value);
  };
  const language = (l: keyof typeof LANGUAGES): Obj => euConcept(LANGUAGES[l], EU_SCHEMES.language, P('dct', 'LinguisticSystem'));
  const mediaType = (uri: string): Obj => {
    if (!g.has(uri)) a(uri, P('dct', 'MediaType'));
    return iri(uri);
  };
  const fileType = (uri: string): Obj => euConcept(uri, EU_SCHEMES.fileType, P('dct', 'MediaTypeOrExtent'));
  const licence = (l: ExportCode): Obj => {
    const id = licenceIri(l);
    if (!g.has(id)) {
      a(id, P('dct', 'LicenseDocument'));
      g.add(id, P('dct', 'title'), text(l.name, 'zh'), text(l.nameEn, 'en'));
      if (l.description) g.add(id, P('dct', 'description'), text(l.description, 'zh'));
      for (const t of strings(l.extra.licenceTypeUris)) g.add(id, P('dct', 'type'), euConcept(t, EU_SCHEMES.licenceType));
    }
    return iri(id);
  };
  const place = (district: Jurisdiction): Obj => {
    const info = jurisdictionInfo(district);
    const id = placeIri(info.divisionCode!);
    if (!g.has(id)) {
      a(id, P('dct', 'Location'));
      g.add(id, P('dct', 'identifier'), plain(info.divisionCode!));
      g.add(id, P('skos', 'prefLabel'), text(info.nameZh, 'zh'), text(info.name, 'en'));
    }
    return iri(id);
  };
  const concept = (s: SchemeName, code: string, name: string, nameEn: string, description?: string | null): Obj => {
    const id = conceptIri(s, code);
    if (!g.has(id)) {
      a(id, P('skos', 'Concept'));
      g.add(id, P('skos', 'notation'), plain(code));
      g.add(id, P('skos', 'prefLabel'), text(name, 'zh'), text(nameEn, 'en'));
      if (description) g.add(id, P('skos', 'definition'), text(description));
      g.add(id, P('skos', 'inScheme'), iri(schemeIri(s)));
    }
    return iri(id);
  };
  const codeConcept = (s: SchemeName, c: { code: string; name: string; nameEn: string; description?: string | null }): Obj => concept(s, c.code, c.name, c.nameEn, c.description);

  const shared = view.resources.filter((r) => r.sharingType !== CatalogSharingType.NOT_SHARED);
  const visible = new Set(view.resources.map((r) => r.code));
  const publisher = view.providers.find((p) => p.code === CATALOG_PUBLISHER) ?? view.providers[0];
  const zoneTerms = licenceFor('SHARED');
  const openLicence = licenceFor('OPEN');

  // The catalog.
  a(catalogIri, P('dcat', 'Catalog'));
  g.add(catalogIri, P('dct', 'title'),
    text('长三角生态绿色一体化发展示范区生态环境监测数据资源目录', 'zh'),
    text('Environmental monitoring data resource catalog of the Yangtze River Delta Eco-Green Integrated Development Demonstration Zone', 'en'));
  g.add(catalogIri, P('dct', 'description'),
    text('示范区青浦、吴江、嘉善三地生态环境部门共享的数据资源，按职能、业务和环境要素分类，并说明共享类型、更新周期和获取方式。', 'zh'),
    text('The data resources the Qingpu, Wujiang and Jiashan environment bureaus share, classified by function, business line and environmental element, with their sharing type, update cycle and how to get them.', 'en'));
  if (publisher) g.add(catalogIri, P('dct', 'publisher'), iri(agentIri(publisher.code)));
  g.add(catalogIri, P('dct', 'language'), language('zh'), language('en'));
  if (zoneTerms) g.add(catalogIri, P('dct', 'license'), licence(zoneTerms));
  g.add(catalogIri, P('dct', 'spatial'), euConcept(CHINA, EU_SCHEMES.country, P('dct', 'Location')), ...DISTRICTS.map(place));
  a(homepage, P('foaf', 'Document'));
  g.add(catalogIri, P('foaf', 'homepage'), iri(homepage));
  g.add(catalogIri, P('dcat', 'themeTaxonomy'), euScheme(EU_SCHEMES.dataTheme));
  for (const s of ['functions', 'businessLines', 'elements'] as const) g.add(catalogIri, P('dcat', 'themeTaxonomy'), iri(schemeIri(s)));
  g.add(catalogIri, P('dcat', 'service'), iri(serviceIri));
  for (const r of view.resources) g.add(catalogIri, P('dcat', 'dataset'), iri(datasetIri(r.code)));

  // The GraphQL endpoint every shared resource is read through.
  a(serviceIri, P('dcat', 'DataService'));
  g.add(serviceIri, P('dct', 'title'), text('示范区生态环境数据共享 GraphQL 接口', 'zh'), text('Eco-hub GraphQL API', 'en'));
  g.add(serviceIri, P('dct', 'description'),
    text('所有共享资源通过同一个 GraphQL 接口提供，每个资源说明其根字段（入口）。读取公开资源以外的数据须携带令牌。', 'zh'),
    text('One GraphQL endpoint for every shared resource; each resource names its root field (entry point). Send a bearer token to read beyond the public entries.', 'en'));
  a(endpoint, P('rdfs', 'Resource'));
  g.add(serviceIri, P('dcat', 'endpointURL'), iri(endpoint));
  a(GRAPHQL_SPEC, P('dct', 'Standard'));
  g.add(GRAPHQL_SPEC, P('dct', 'title'), text('GraphQL Specification, October 2021 Edition', 'en'));
  g.add(serviceIri, P('dct', 'conformsTo'), iri(GRAPHQL_SPEC));
  if (publisher) {
    g.add(serviceIri, P('dct', 'publisher'), iri(agentIri(publisher.code)));
    g.add(serviceIri, P('dcat', 'contactPoint'), iri(contactIri(publisher.code)));
  }
  if (zoneTerms) g.add(serviceIri, P('dct', 'license'), licence(zoneTerms));
  for (const r of shared) g.add(serviceIri, P('dcat', 'servesDataset'), iri(datasetIri(r.code)));

  for (const r of view.resources) {
    const ds = datasetIri(r.code);
    a(ds, P('dcat', 'Dataset'));
    g.add(ds, P('dct', 'identifier'), plain(r.code));
    g.add(ds, P('dct', 'title'), text(r.name, 'zh'), text(r.nameEn, 'en'));
    g.add(ds, P('dct', 'description'), text(r.abstract));
    g.add(ds, P('dcat', 'keyword'), ...r.keywords.map((k) => text(k)));
    g.add(ds, P('dct', 'publisher'), iri(agentIri(r.provider.code)));
    g.add(ds, P('dcat', 'contactPoint'), iri(contactIri(r.provider.code)));
    for (const t of strings(businessLines.get(r.businessLine.code)?.extra.euDataThemeUris)) g.add(ds, P('dcat', 'theme'), euConcept(t, EU_SCHEMES.dataTheme));
    g.add(ds, P('dct', 'issued'), typed(r.publishedAt, 'date'));
    g.add(ds, P('dct', 'language'), language('zh'));
    g.add(ds, P('dct', 'accessRights'), euConcept(accessRightsOf(r), EU_SCHEMES.accessRight, P('dct', 'RightsStatement')));
    const frequency = str(updateCycles.get(r.updateCycle.code)?.extra.euFrequencyUri) ?? r.updateCycle.euFrequencyUri;
    if (frequency) g.add(ds, P('dct', 'accrualPeriodicity'), euConcept(frequency, EU_SCHEMES.frequency, P('dct', 'Frequency')));
    g.add(ds, P('dct', 'spatial'), ...r.jurisdictions.map(place));
    const period = temporal.get(r.code);
    if (period) {
      const t = `${ds}/temporal`;
      a(t, P('dct', 'PeriodOfTime'));
      g.add(t, P('dcat', 'startDate'), typed(period.start.toISOString(), 'dateTime'));
      g.add(t, P('dcat', 'endDate'), typed(period.end.toISOString(), 'dateTime'));
      g.add(ds, P('dct', 'temporal'), iri(t));
    }
    const related = r.related.filter((c) => visible.has(c));
    if (related.length) g.add(ds, P('dct', 'relation'), ...related.map((c) => iri(datasetIri(c))));

    // The hub's own terms.
    g.add(ds, P('hub', 'function'), codeConcept('functions', r.function));
    g.add(ds, P('hub', 'businessLine'), codeConcept('businessLines', r.businessLine));
    g.add(ds, P('hub', 'element'), ...r.elements.map((e) => codeConcept('elements', e)));
    g.add(ds, P('hub', 'sharingType'), concept('sharingTypes', r.sharingType, SHARING_TYPE_NAMES[r.sharingType].name, SHARING_TYPE_NAMES[r.sharingType].nameEn));
    for (const p of r.sharingConditions?.purposes ?? []) {
      const named = purposeNames.get(p);
      g.add(ds, P('hub', 'purpose'), concept('purposes', p, named?.name ?? p, named?.nameEn ?? p, named?.description));
    }
    if (r.sharingConditions?.legalBasis) g.add(ds, P('hub', 'legalBasis'), text(r.sharingConditions.legalBasis));
    g.add(ds, P('hub', 'openToPublic'), typed(String(r.openToPublic), 'boolean'));
    if (r.openConditions) g.add(ds, P('hub', 'openConditions'), text(r.openConditions));
    g.add(ds, P('hub', 'updateCycle'), codeConcept('updateCycles', r.updateCycle));
    g.add(ds, P('hub', 'jurisdiction'), ...r.jurisdictions.map((j) => plain(j)));
    g.add(ds, P('hub', 'status'), plain(r.status));
    if (r.entryPoint) g.add(ds, P('hub', 'entryPoint'), plain(r.entryPoint));
    if (r.exampleQuery) g.add(ds, P('hub', 'exampleQuery'), plain(r.exampleQuery));

    if (r.sharingType === CatalogSharingType.NOT_SHARED) continue;

    // One distribution: the GraphQL answer, or for a resource the hub only describes (PLANNED), its
    // file, obtained as the resource's page says. Licence: the open one only for data open to the public.
    const servedByHub = r.status === CatalogResourceStatus.SERVED;
    const dist = `${ds}/distributions/${servedByHub ? 'graphql' : 'file'}`;
    g.add(ds, P('dcat', 'distribution'), iri(dist));
    a(dist, P('dcat', 'Distribution'));
    const format = formatTypes.get(servedByHub ? GRAPHQL_FORMAT : `${r.format.class.code}/${r.format.type.code}`);
    if (servedByHub) {
      g.add(dist, P('dct', 'title'), text(`GraphQL 接口：${r.entryPoint}`, 'zh'), text(`GraphQL: ${r.entryPoint}`, 'en'));
      g.add(dist, P('dct', 'description'), text(`Ask the hub's GraphQL endpoint, root field ${r.entryPoint}. Example:\n${r.exampleQuery}`, 'en'));
      g.add(dist, P('dcat', 'accessURL'), iri(endpoint));
      g.add(dist, P('dcat', 'accessService'), iri(serviceIri));
    } else {
      g.add(dist, P('dct', 'title'), text(`${r.format.type.name}（${r.format.class.name}）`, 'zh'), text(`${r.format.type.nameEn} (${r.format.class.nameEn})`, 'en'));
      g.add(dist, P('dct', 'description'), text(`The hub describes this resource but does not serve its file; the resource page says how to obtain it from ${r.provider.nameEn}.`, 'en'));
      g.add(dist, P('dcat', 'accessURL'), iri(ds));
    }
    const euFileType = str(format?.extra.euFileTypeUri);
    if (euFileType) g.add(dist, P('dct', 'format'), fileType(euFileType));
    const media = str(format?.extra.mediaTypeUri);
    if (media) g.add(dist, P('dcat', 'mediaType'), mediaType(media));
    const terms = r.openToPublic ? openLicence : zoneTerms;
    if (terms) g.add(dist, P('dct', 'license'), licence(terms));
    const rights = `${ds}/sharing-terms`;
    const words = sharingTermsText(r, purposeNames);
    a(rights, P('dct', 'RightsStatement'));
    g.add(rights, P('rdfs', 'label'), text(words.zh, 'zh'), text(words.en, 'en'));
    g.add(dist, P('dct', 'rights'), iri(rights));
  }

  // Publishers, and their contact points (vCard, as DCAT-AP asks).
  for (const p of view.providers) {
    const agent = agentIri(p.code);
    a(agent, P('foaf', 'Agent'), P('foaf', 'Organization'));
    g.add(agent, P('foaf', 'name'), text(p.name, 'zh'), text(p.nameEn, 'en'));
    g.add(agent, P('dct', 'identifier'), plain(p.uscc));
    const contact = contactIri(p.code);
    a(contact, P('vcard', 'Kind'), P('vcard', 'Organization'));
    g.add(contact, P('vcard', 'fn'), text(p.name, 'zh'));
    g.add(contact, P('vcard', 'organization-name'), text(p.name, 'zh'), text(p.nameEn, 'en'));
  }

  // The hub's own concept schemes; concepts were added as resources used them.
  for (const s of Object.keys(SCHEMES) as SchemeName[]) {
    a(schemeIri(s), P('skos', 'ConceptScheme'));
    g.add(schemeIri(s), P('dct', 'title'), text(SCHEMES[s].zh, 'zh'), text(SCHEMES[s].en, 'en'));
  }
  for (const s of ['functions', 'businessLines', 'elements'] as const) for (const c of dims[s]) codeConcept(s, c);
  return g;
}

/** The JSON-LD document of what `view` holds (kept for callers of the previous export). */
export function buildDcat(view: CatalogExportView, baseUrl: string, extras: DcatExtras = {}): Record<string, unknown> {
  return buildDcatGraph(view, baseUrl, extras).toJsonLd();
}

export const DCAT_MEDIA_TYPES = { jsonld: 'application/ld+json', turtle: 'text/turtle' } as const;
type DcatFormat = keyof typeof DCAT_MEDIA_TYPES;

/** Where the DCAT export gets what it does not keep itself. */
export interface DcatSources {
  catalog: CatalogService;
  /** The period of the monitoring data per resource that the principal may read. */
  temporalCoverage?: (principal: Principal) => Promise<DcatExtras['temporal']>;
}

/**
 * GET /catalog/dcat.jsonld, /catalog/dcat.ttl and /catalog/dcat (Turtle when the Accept header
 * prefers it, JSON-LD otherwise). Without a token it exports what the public may see (the
 * resources open to the public); a valid bearer token of a zone principal exports the whole
 * catalog; a bad token is 401, never silently public (the request context verified it). Every IRI
 * hangs off `publicUrl`; a production hub without HUB_PUBLIC_URL refuses with 503 rather than
 * publish IRIs of a host it would have to take from the request. A database outage reaches the
 * error handler (503).
 */
export function catalogDcatHandler(sources: DcatSources | CatalogService, publicUrl: string | undefined, format?: DcatFormat) {
  const { catalog, temporalCoverage } = 'catalog' in sources ? sources : { catalog: sources, temporalCoverage: undefined };
  return async (req: Request, res: Response): Promise<void> => {
    const principal = principalOf(req);
    if (!publicUrl) {
      sendError(res, 503, ErrorCode.SERVICE_UNAVAILABLE, 'the DCAT export is not configured on this hub: its operator must set HUB_PUBLIC_URL, the base URL its identifiers are published under', {
        retryAfterSeconds: 3600,
      });
      return;
    }
    const chosen: DcatFormat = format ?? (req.accepts([DCAT_MEDIA_TYPES.jsonld, DCAT_MEDIA_TYPES.turtle, 'application/json']) === DCAT_MEDIA_TYPES.turtle ? 'turtle' : 'jsonld');
    const [view, temporal] = await Promise.all([catalog.exportView({ principal }), temporalCoverage?.(principal)]);
    const graph = buildDcatGraph(view, publicUrl, { temporal });
    res.setHeader('Vary', format ? 'Authorization' : 'Accept, Authorization');
    const body = chosen === 'turtle' ? await graph.toTurtle() : JSON.stringify(graph.toJsonLd());
    // A harvester that sends the ETag back gets 304 while the catalog it may see is unchanged.
    res.setHeader('ETag', weakEtag(body));
    res.type(chosen === 'turtle' ? `${DCAT_MEDIA_TYPES.turtle}; charset=utf-8` : DCAT_MEDIA_TYPES.jsonld).send(body);
  };
}
