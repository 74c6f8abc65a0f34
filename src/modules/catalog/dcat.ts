import type { Request, Response } from 'express';
import { ErrorCode } from '../../graphql/errors';
import { principalOf } from '../../http/request-context';
import { sendError } from '../../http/send-error';
import type { CatalogExportView, CatalogService } from './catalog.service';
import { CatalogSharingType } from './catalog.codes';
import type { CatalogCodeType, CatalogResource } from './catalog.type';

/*
 * The catalog as DCAT 3 JSON-LD (W3C Data Catalog Vocabulary, with the DCAT-AP choices of the EU
 * authority tables), so a CKAN DCAT harvester or any DCAT-AP tool can read what the zone shares.
 * One dcat:Catalog, one dcat:Dataset per resource, one dcat:DataService (the hub's GraphQL
 * endpoint) that every shared resource's dcat:Distribution is accessed through, and the three
 * dimensions as SKOS concept schemes that datasets take their dcat:theme from.
 */

const CONTEXT = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
} as const;

/** EU access-right authority table (the vocabulary DCAT-AP uses for dct:accessRights). */
export const ACCESS_RIGHTS = {
  PUBLIC: 'http://publications.europa.eu/resource/authority/access-right/PUBLIC',
  RESTRICTED: 'http://publications.europa.eu/resource/authority/access-right/RESTRICTED',
  NON_PUBLIC: 'http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC',
} as const;

const LANGUAGE = {
  zh: 'http://publications.europa.eu/resource/authority/language/ZHO',
  en: 'http://publications.europa.eu/resource/authority/language/ENG',
};
const JSON_MEDIA_TYPE = 'http://www.iana.org/assignments/media-types/application/json';
const JSON_FILE_TYPE = 'http://publications.europa.eu/resource/authority/file-type/JSON';
const GRAPHQL_SPEC = 'https://spec.graphql.org/October2021/';

/** The agency that publishes the catalog itself: the zone's executive committee. */
const CATALOG_PUBLISHER = 'ZONE-EC';

/**
 * dct:accessRights of a resource. Open to the public is PUBLIC; shared among the zone's agencies,
 * unconditionally or on conditions, is RESTRICTED (available under conditions: a token, and for
 * conditional resources a purpose); not shared is NON_PUBLIC.
 */
export function accessRightsOf(r: Pick<CatalogResource, 'sharingType' | 'openToPublic'>): string {
  if (r.sharingType === CatalogSharingType.NOT_SHARED) return ACCESS_RIGHTS.NON_PUBLIC;
  return r.openToPublic ? ACCESS_RIGHTS.PUBLIC : ACCESS_RIGHTS.RESTRICTED;
}

type JsonLd = Record<string, unknown>;

const id = (iri: string): JsonLd => ({ '@id': iri });
const CJK = /[\u3400-\u9fff]/;
const text = (value: string, language?: 'zh' | 'en'): JsonLd => ({ '@value': value, '@language': language ?? (CJK.test(value) ? 'zh' : 'en') });
const names = (zh: string, en: string): JsonLd[] => [text(zh, 'zh'), text(en, 'en')];

const SCHEMES = {
  functions: { path: 'functions', zh: '职能', en: 'Function' },
  businessLines: { path: 'business-lines', zh: '业务', en: 'Business line' },
  elements: { path: 'elements', zh: '环境要素', en: 'Environmental element' },
} as const;

/**
 * Builds the JSON-LD document for what `view` holds (the principal's share of the catalog).
 * `baseUrl` is the hub's configured public base URL (HUB_PUBLIC_URL): every IRI, and the GraphQL
 * endpoint, hang off it. Never the request's Host header, which the client writes.
 */
export function buildDcat(view: CatalogExportView, baseUrl: string): JsonLd {
  const base = baseUrl.replace(/\/+$/, '');
  const catalogIri = `${base}/catalog`;
  const serviceIri = `${base}/catalog/services/graphql`;
  const endpoint = `${base}/graphql`;
  const datasetIri = (code: string): string => `${base}/catalog/resources/${encodeURIComponent(code)}`;
  const agentIri = (code: string): string => `${base}/catalog/providers/${encodeURIComponent(code)}`;
  const schemeIri = (s: keyof typeof SCHEMES): string => `${base}/catalog/dimensions/${SCHEMES[s].path}`;
  const conceptIri = (s: keyof typeof SCHEMES, code: string): string => `${schemeIri(s)}/${encodeURIComponent(code)}`;

  const visible = new Set(view.resources.map((r) => r.code));
  const shared = view.resources.filter((r) => r.sharingType !== CatalogSharingType.NOT_SHARED);
  const publisher = view.providers.find((p) => p.code === CATALOG_PUBLISHER) ?? view.providers[0];

  const graph: JsonLd[] = [];
  graph.push({
    '@id': catalogIri,
    '@type': 'dcat:Catalog',
    'dct:title': names('长三角生态绿色一体化发展示范区生态环境监测数据资源目录', 'Environmental monitoring data resource catalog of the Yangtze River Delta Eco-Green Integrated Development Demonstration Zone'),
    'dct:description': names(
      '示范区青浦、吴江、嘉善三地生态环境部门共享的数据资源，按职能、业务和环境要素分类，并说明共享类型、更新周期和获取方式。',
      'The data resources the Qingpu, Wujiang and Jiashan environment bureaus share, classified by function, business line and environmental element, with their sharing type, update cycle and how to get them.',
    ),
    ...(publisher ? { 'dct:publisher': id(agentIri(publisher.code)) } : {}),
    'dct:language': [id(LANGUAGE.zh), id(LANGUAGE.en)],
    'dcat:themeTaxonomy': (Object.keys(SCHEMES) as Array<keyof typeof SCHEMES>).map((s) => id(schemeIri(s))),
    'dcat:service': [id(serviceIri)],
    'dcat:dataset': view.resources.map((r) => id(datasetIri(r.code))),
  });

  graph.push({
    '@id': serviceIri,
    '@type': 'dcat:DataService',
    'dct:title': names('示范区生态环境数据共享 GraphQL 接口', 'Eco-hub GraphQL API'),
    'dct:description': text('One GraphQL endpoint for every shared resource; each resource names its root field (entry point). Send a bearer token to read beyond the public entries.', 'en'),
    'dcat:endpointURL': id(endpoint),
    'dct:conformsTo': id(GRAPHQL_SPEC),
    ...(publisher ? { 'dct:publisher': id(agentIri(publisher.code)) } : {}),
    'dcat:servesDataset': shared.map((r) => id(datasetIri(r.code))),
  });

  for (const r of view.resources) {
    const themes = [
      id(conceptIri('functions', r.function.code)),
      id(conceptIri('businessLines', r.businessLine.code)),
      ...r.elements.map((e) => id(conceptIri('elements', e.code))),
    ];
    const dataset: JsonLd = {
      '@id': datasetIri(r.code),
      '@type': 'dcat:Dataset',
      'dct:identifier': r.code,
      'dct:title': names(r.name, r.nameEn),
      'dct:description': text(r.abstract),
      'dcat:keyword': r.keywords.map((k) => text(k)),
      'dct:publisher': id(agentIri(r.provider.code)),
      'dcat:contactPoint': { '@type': 'vcard:Organization', 'vcard:fn': text(r.provider.name, 'zh') },
      'dcat:theme': themes,
      'dct:issued': { '@value': r.publishedAt, '@type': 'xsd:date' },
      'dct:accessRights': id(accessRightsOf(r)),
      ...(r.updateCycle.euFrequencyUri ? { 'dct:accrualPeriodicity': id(r.updateCycle.euFrequencyUri) } : {}),
      ...(r.related.some((c) => visible.has(c)) ? { 'dct:relation': r.related.filter((c) => visible.has(c)).map((c) => id(datasetIri(c))) } : {}),
    };
    graph.push(dataset);
    if (r.sharingType !== CatalogSharingType.NOT_SHARED) {
      const distributionIri = `${datasetIri(r.code)}/distributions/graphql`;
      dataset['dcat:distribution'] = [id(distributionIri)];
      graph.push({
        '@id': distributionIri,
        '@type': 'dcat:Distribution',
        'dct:title': text(`GraphQL: ${r.entryPoint}`, 'en'),
        'dct:description': text(`Ask the hub's GraphQL endpoint, root field ${r.entryPoint}. Example:\n${r.exampleQuery}`, 'en'),
        'dcat:accessURL': id(endpoint),
        'dcat:accessService': id(serviceIri),
        'dcat:mediaType': id(JSON_MEDIA_TYPE),
        'dct:format': id(JSON_FILE_TYPE),
        'dct:accessRights': id(accessRightsOf(r)),
      });
    }
  }

  for (const p of view.providers) {
    graph.push({
      '@id': agentIri(p.code),
      '@type': ['foaf:Agent', 'foaf:Organization'],
      'foaf:name': names(p.name, p.nameEn),
      'dct:identifier': p.uscc,
    });
  }

  for (const s of Object.keys(SCHEMES) as Array<keyof typeof SCHEMES>) {
    graph.push({ '@id': schemeIri(s), '@type': 'skos:ConceptScheme', 'dct:title': names(SCHEMES[s].zh, SCHEMES[s].en) });
    for (const c of view.dimensions[s] as CatalogCodeType[]) {
      graph.push({
        '@id': conceptIri(s, c.code),
        '@type': 'skos:Concept',
        'skos:notation': c.code,
        'skos:prefLabel': names(c.name, c.nameEn),
        'skos:inScheme': id(schemeIri(s)),
      });
    }
  }

  return { '@context': CONTEXT, '@graph': graph };
}

/**
 * GET /catalog/dcat.jsonld. Without a token it exports what the public may see (the resources open
 * to the public); a valid bearer token of a zone principal exports the whole catalog; a bad token
 * is 401, never silently public (the request context verified it). Every IRI hangs off `publicUrl`;
 * a production hub without HUB_PUBLIC_URL refuses with 503 rather than publish IRIs of a host it
 * would have to take from the request. A database outage reaches the error handler (503).
 */
export function catalogDcatHandler(catalog: CatalogService, publicUrl: string | undefined) {
  return async (req: Request, res: Response): Promise<void> => {
    const principal = principalOf(req);
    if (!publicUrl) {
      sendError(res, 503, ErrorCode.SERVICE_UNAVAILABLE, 'the DCAT export is not configured on this hub: its operator must set HUB_PUBLIC_URL, the base URL its identifiers are published under', {
        retryAfterSeconds: 3600,
      });
      return;
    }
    const doc = buildDcat(await catalog.exportView({ principal }), publicUrl);
    res.setHeader('Vary', 'Authorization');
    res.type('application/ld+json').send(JSON.stringify(doc));
  };
}
