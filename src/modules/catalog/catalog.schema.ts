import type { SchemaObject } from 'ajv';
import { Role } from '../../auth/principal';
import { RecordType } from '../../auth/policy';
import { DISTRICTS, Jurisdiction } from '../../domain/jurisdictions';

/*
 * The shape of the files in catalog/: the TypeScript types a validated file has, and the JSON
 * Schemas (ajv, draft-07) that prove it. The schemas check shape and value domains only; whether a
 * code points at something that exists is checked afterwards, in catalog-files.ts, because that
 * needs every file at once.
 */

/** 共享类型 of the 2017 catalog guide: 无条件共享, 有条件共享, 不予共享. */
export const SHARING_TYPES = ['UNCONDITIONAL', 'CONDITIONAL', 'NOT_SHARED'] as const;
export type SharingType = (typeof SHARING_TYPES)[number];

/** 共享方式分类: through the sharing platform, or offline (mail, copy, media). */
export const SHARING_METHOD_CLASSES = ['PLATFORM', 'OFFLINE'] as const;
export type SharingMethodClass = (typeof SHARING_METHOD_CLASSES)[number];

/** 共享方式类型: database, interface (service) or file. */
export const SHARING_METHOD_TYPES = ['DATABASE', 'INTERFACE', 'FILE'] as const;
export type SharingMethodType = (typeof SHARING_METHOD_TYPES)[number];

/** 信息项数据类型 codes of the guide: C char, N numeric, Y currency, D date, T datetime, L logical, M memo, G general, B double, I integer, F float. */
export const DATA_ITEM_TYPES = ['C', 'N', 'Y', 'D', 'T', 'L', 'M', 'G', 'B', 'I', 'F'] as const;
export type DataItemType = (typeof DATA_ITEM_TYPES)[number];

/** Kinds of provider agency, from the USCC institution category (11 机关, 12 事业单位). */
export const PROVIDER_KINDS = ['GOVERNMENT_AGENCY', 'PUBLIC_INSTITUTION'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/**
 * The dossier record types that each take their sharing type from exactly one catalog resource.
 * Listed here rather than taken from the whole RecordType enum, which may name other kinds of record.
 */
export const DOSSIER_RECORD_TYPES = [
  RecordType.ENTERPRISE, RecordType.EIA_APPROVAL, RecordType.PERMIT, RecordType.INSPECTION,
  RecordType.PENALTY, RecordType.COMPLAINT, RecordType.CREDIT_RECORD,
  RecordType.ENFORCEMENT_CASE, RecordType.CASE_TRANSFER, RecordType.EVIDENCE_ITEM, RecordType.EVIDENCE_RECOGNITION, RecordType.POSITIVE_LIST_ENTRY,
  RecordType.RISK_SOURCE, RecordType.EMERGENCY_RESOURCE,
] as const;
export type DossierRecordType = (typeof DOSSIER_RECORD_TYPES)[number];

/** The code tables in catalog/dimensions/, by file name (without .yaml). */
export const CODE_TABLES = ['functions', 'business-lines', 'elements', 'update-cycles', 'formats', 'purposes', 'providers', 'licences'] as const;
export type CodeTableName = (typeof CODE_TABLES)[number];

/** Jurisdictions a provider may belong to: every principal jurisdiction except the credit platform. */
export const PROVIDER_JURISDICTIONS = Object.values(Jurisdiction).filter((j) => j !== Jurisdiction.CREDIT_YRD);

/** Header every code table carries, so a reviewer sees which edition of which rule a table follows. */
export interface TableHeader {
  version: string;
  source: string;
  effectiveFrom: string;
}

/** One row of a code table: a stable code plus its Chinese and English names. */
export interface DimensionEntry {
  code: string;
  name: string;
  nameEn: string;
  description?: string;
}

/**
 * 业务 (business line); its classification code is the 类+项+目 prefix of its resources' codes, and
 * its EU data themes are the dcat:theme of its resources in the DCAT-AP export.
 */
export interface BusinessLineEntry extends DimensionEntry {
  classificationCode: string;
  euDataThemeUris: string[];
}

/** 环境要素, with the HJ 212-2017 system (ST) codes it corresponds to, as a cross-reference. */
export interface ElementEntry extends DimensionEntry {
  hj212SystemCodes?: string[];
}

/** 更新周期, with its EU frequency authority code, so a DCAT export can use dct:accrualPeriodicity. */
export interface UpdateCycleEntry extends DimensionEntry {
  order: number;
  euFrequency: string;
  euFrequencyUri: string;
}

/** A format type, with its EU file type and IANA media type where those tables have one (DCAT-AP dct:format, dcat:mediaType). */
export interface FormatTypeEntry extends DimensionEntry {
  extensions?: string[];
  euFileTypeUri?: string;
  mediaTypeUri?: string;
}

/** 信息资源格式分类 and its types, with the sharing method types the class allows. */
export interface FormatClassEntry extends DimensionEntry {
  methodTypes: SharingMethodType[];
  requiresDataItems: boolean;
  types: FormatTypeEntry[];
}

/** A purpose a conditional resource may list, and the roles a principal needs to use it. */
export interface PurposeEntry extends DimensionEntry {
  roles: Role[];
}

/** 信息资源提供方, identified by an agency code (the `org` claim) and its USCC. */
export interface ProviderEntry extends DimensionEntry {
  shortName?: string;
  kind: ProviderKind;
  uscc: string;
  jurisdiction: Jurisdiction;
  parent?: string;
}

/** Which resources a licence covers: those shared among the zone's agencies, or those open to the public. */
export const LICENCE_SCOPES = ['SHARED', 'OPEN'] as const;
export type LicenceScope = (typeof LICENCE_SCOPES)[number];

/** 使用许可: the terms a distribution's data is used under (DCAT-AP dct:license). */
export interface LicenceEntry extends DimensionEntry {
  description: string;
  appliesTo: LicenceScope;
  /** The licence's own identifier (EU licence authority table), when it has one. */
  uri?: string;
  licenceTypeUris?: string[];
}

export interface CodeTableFile<E> extends TableHeader {
  entries: E[];
}

export interface DataItem {
  name: string;
  field?: string;
  type: DataItemType;
  length: number;
  scale?: number;
  description?: string;
}

export interface SharingConditions {
  purposes: string[];
  legalBasis: string;
}

export interface Sharing {
  type: SharingType;
  conditions?: SharingConditions;
  basis?: string;
  method: { class: SharingMethodClass; type: SharingMethodType };
}

/** One catalog resource: the core metadata of the 2017 guide plus the zone's dimensions and access. */
export interface CatalogResourceEntry {
  code: string;
  name: string;
  nameEn: string;
  keywords: string[];
  provider: string;
  contributors?: string[];
  abstract: string;
  format: { class: string; type: string };
  dataItems?: DataItem[];
  sharing: Sharing;
  openToPublic: { open: boolean; conditions?: string };
  updateCycle: string;
  publishedAt: string;
  related?: string[];
  function: string;
  businessLine: string;
  elements: string[];
  jurisdictions: string[];
  recordType?: DossierRecordType;
  /** SERVED: the hub answers it at `entryPoint`; PLANNED: catalogued, not yet served by the hub. */
  status: ResourceStatus;
  /** Which of the hub's monitoring data the resource's terms govern (dossier resources say it with `recordType`). */
  serves?: ServedData[];
  entryPoint?: string;
  exampleQuery?: string;
}

export const RESOURCE_STATUSES = ['SERVED', 'PLANNED'] as const;
export type ResourceStatus = (typeof RESOURCE_STATUSES)[number];

/** Station kinds of the monitoring network (src/modules/monitoring/monitoring.codes.ts). */
export const STATION_KINDS = ['AIR', 'SURFACE_WATER', 'POLLUTION_SOURCE'] as const;
export type StationKindCode = (typeof STATION_KINDS)[number];

/** Assessments the hub computes from observations: GB 3838 water class, HJ 633 AQI. */
export const ASSESSMENTS = ['WATER_CLASS', 'AQI'] as const;
export type AssessmentCode = (typeof ASSESSMENTS)[number];

/**
 * A binding of a resource to monitoring data: `STATIONS` — the station records of the given kinds;
 * `OBSERVATIONS` — the observations of every station whose `catalogResourceCode` is this resource;
 * `ALERTS` — the early-warning alerts whose `catalogResourceCode` is this resource (the warning rules
 * file names it per group of stations, src/modules/warning/data/warning-rules.json);
 * `ASSESSMENT` — the assessment computed for stations of the given kinds (and, for water, whether
 * drinking-water sources); `REMINDERS` — the compliance reminders whose `catalogResourceCode` is this
 * resource (src/modules/reminders/data/reminder-rules.json names it). Each datum is governed by
 * exactly one resource.
 */
export type ServedData =
  | { data: 'STATIONS'; stationKinds: StationKindCode[] }
  | { data: 'OBSERVATIONS' }
  | { data: 'ALERTS' }
  | { data: 'REMINDERS' }
  | { data: 'ASSESSMENT'; assessment: AssessmentCode; stationKinds: StationKindCode[]; drinkingWaterSource?: boolean };

const DATE_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
const text = (minLength = 1): SchemaObject => ({ type: 'string', minLength });
const date = (description: string): SchemaObject => ({ type: 'string', pattern: DATE_PATTERN, description });
const codeList = (item: SchemaObject, minItems = 1): SchemaObject => ({ type: 'array', items: item, minItems, uniqueItems: true });

const DIMENSION_CODE: SchemaObject = {
  type: 'string',
  pattern: '^[A-Z][A-Z0-9_]*$',
  description: 'an upper-case code of letters, digits and underscores (e.g. SURFACE_WATER)',
};
const AGENCY_CODE: SchemaObject = {
  type: 'string',
  pattern: '^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$',
  description: 'an agency code of upper-case words joined by hyphens (e.g. WUJIANG-EEB)',
};
const RESOURCE_CODE: SchemaObject = {
  type: 'string',
  pattern: '^[0-9]{6,12}/[0-9]{4,6}$',
  description: 'a resource code: classification code (6-12 digits) + "/" + sequence (4-6 digits), e.g. 211002/0001',
};

/** A URI under one of the EU Publications Office authority tables (or another vocabulary) named by its base. */
function vocabularyUri(base: string, what: string): SchemaObject {
  return { type: 'string', pattern: `^${base.replace(/[.]/g, '\\.')}[A-Za-z0-9_-]+$`, description: `${what}: a URI under ${base}` };
}
const EU_AUTHORITY = 'http://publications.europa.eu/resource/authority/';

const baseEntryProperties: Record<string, SchemaObject> = {
  code: DIMENSION_CODE,
  name: text(),
  nameEn: text(),
  description: text(),
};

function tableSchema(entry: SchemaObject): SchemaObject {
  return {
    type: 'object',
    required: ['version', 'source', 'effectiveFrom', 'entries'],
    additionalProperties: false,
    properties: {
      version: { type: 'string', minLength: 1, description: 'the table version, quoted so YAML keeps it a string' },
      source: text(),
      effectiveFrom: date('a date written YYYY-MM-DD'),
      entries: { type: 'array', minItems: 1, items: entry },
    },
  };
}

function entrySchema(extra: Record<string, SchemaObject>, required: string[] = [], codeSchema: SchemaObject = DIMENSION_CODE): SchemaObject {
  return {
    type: 'object',
    required: ['code', 'name', 'nameEn', ...required],
    additionalProperties: false,
    properties: { ...baseEntryProperties, code: codeSchema, ...extra },
  };
}

/** JSON Schema of each code table file, by table name. */
export const TABLE_SCHEMAS: Record<CodeTableName, SchemaObject> = {
  functions: tableSchema(entrySchema({})),
  'business-lines': tableSchema(entrySchema({
    classificationCode: {
      type: 'string',
      pattern: '^[1-3][0-9]{5}$',
      description: 'a classification code of 类 (1 digit) + 项 (2 digits) + 目 (3 digits), e.g. 211002',
    },
    euDataThemeUris: codeList(vocabularyUri(`${EU_AUTHORITY}data-theme/`, 'an EU data theme')),
  }, ['classificationCode', 'euDataThemeUris'])),
  elements: tableSchema(entrySchema({
    hj212SystemCodes: codeList({ type: 'string', pattern: '^[0-9]{2}$', description: 'a two-digit HJ 212 ST code' }, 0),
  })),
  'update-cycles': tableSchema(entrySchema({
    order: { type: 'integer', minimum: 1 },
    euFrequency: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$', description: 'an EU frequency authority code (e.g. DAILY)' },
    euFrequencyUri: {
      type: 'string',
      pattern: '^http://publications\\.europa\\.eu/resource/authority/frequency/[A-Z0-9_]+$',
      description: 'a URI under http://publications.europa.eu/resource/authority/frequency/',
    },
  }, ['order', 'euFrequency', 'euFrequencyUri'])),
  formats: tableSchema(entrySchema({
    methodTypes: codeList({ enum: [...SHARING_METHOD_TYPES] }),
    requiresDataItems: { type: 'boolean' },
    types: {
      type: 'array',
      minItems: 1,
      items: entrySchema({
        extensions: codeList({ type: 'string', pattern: '^[a-z0-9]+$', description: 'a lower-case file extension without the dot' }),
        euFileTypeUri: vocabularyUri(`${EU_AUTHORITY}file-type/`, 'an EU file type'),
        mediaTypeUri: {
          type: 'string',
          pattern: '^https://www\\.iana\\.org/assignments/media-types/[a-z]+/[A-Za-z0-9.+-]+$',
          description: 'an IANA media type URI, e.g. https://www.iana.org/assignments/media-types/application/json',
        },
      }),
    },
  }, ['methodTypes', 'requiresDataItems', 'types'])),
  purposes: tableSchema(entrySchema({ roles: codeList({ enum: Object.values(Role) }) }, ['roles'])),
  providers: tableSchema(entrySchema({
    shortName: text(),
    kind: { enum: [...PROVIDER_KINDS] },
    uscc: { type: 'string', minLength: 1 },
    jurisdiction: { enum: PROVIDER_JURISDICTIONS },
    parent: AGENCY_CODE,
  }, ['kind', 'uscc', 'jurisdiction'], AGENCY_CODE)),
  licences: tableSchema(entrySchema({
    appliesTo: { enum: [...LICENCE_SCOPES] },
    uri: vocabularyUri(`${EU_AUTHORITY}licence/`, 'an EU licence'),
    licenceTypeUris: codeList(vocabularyUri('http://purl.org/adms/licencetype/', 'an ADMS licence type')),
  }, ['description', 'appliesTo'])),
};

/** JSON Schema of one resource file in catalog/resources/. */
export const RESOURCE_SCHEMA: SchemaObject = {
  type: 'object',
  required: [
    'code', 'name', 'nameEn', 'keywords', 'provider', 'abstract', 'format', 'sharing', 'openToPublic', 'updateCycle',
    'publishedAt', 'function', 'businessLine', 'elements', 'jurisdictions', 'status',
  ],
  additionalProperties: false,
  properties: {
    code: RESOURCE_CODE,
    name: text(2),
    nameEn: text(2),
    keywords: codeList(text(), 2),
    provider: AGENCY_CODE,
    contributors: codeList(AGENCY_CODE),
    abstract: text(20),
    format: {
      type: 'object',
      required: ['class', 'type'],
      additionalProperties: false,
      properties: { class: DIMENSION_CODE, type: DIMENSION_CODE },
    },
    dataItems: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['name', 'type', 'length'],
        additionalProperties: false,
        properties: {
          name: text(),
          field: { type: 'string', pattern: '^[a-z][A-Za-z0-9]*$', description: 'the camelCase field name in the API' },
          type: { enum: [...DATA_ITEM_TYPES] },
          length: { type: 'integer', minimum: 1 },
          scale: { type: 'integer', minimum: 0 },
          description: text(),
        },
      },
    },
    sharing: {
      type: 'object',
      required: ['type', 'method'],
      additionalProperties: false,
      properties: {
        type: { enum: [...SHARING_TYPES] },
        conditions: {
          type: 'object',
          additionalProperties: false,
          properties: {
            purposes: codeList(DIMENSION_CODE, 0),
            legalBasis: { type: 'string' },
          },
        },
        basis: { type: 'string' },
        method: {
          type: 'object',
          required: ['class', 'type'],
          additionalProperties: false,
          properties: { class: { enum: [...SHARING_METHOD_CLASSES] }, type: { enum: [...SHARING_METHOD_TYPES] } },
        },
      },
    },
    openToPublic: {
      type: 'object',
      required: ['open'],
      additionalProperties: false,
      properties: { open: { type: 'boolean' }, conditions: text() },
    },
    updateCycle: DIMENSION_CODE,
    publishedAt: date('a publish date written YYYY-MM-DD (GB/T 7408)'),
    related: codeList(RESOURCE_CODE),
    function: DIMENSION_CODE,
    businessLine: DIMENSION_CODE,
    elements: codeList(DIMENSION_CODE),
    jurisdictions: codeList({ enum: [...DISTRICTS] }),
    recordType: { enum: [...DOSSIER_RECORD_TYPES] },
    status: { enum: [...RESOURCE_STATUSES] },
    serves: {
      type: 'array',
      minItems: 1,
      items: {
        oneOf: [
          { type: 'object', required: ['data', 'stationKinds'], additionalProperties: false, properties: { data: { const: 'STATIONS' }, stationKinds: codeList({ enum: [...STATION_KINDS] }) } },
          { type: 'object', required: ['data'], additionalProperties: false, properties: { data: { const: 'OBSERVATIONS' } } },
          { type: 'object', required: ['data'], additionalProperties: false, properties: { data: { const: 'ALERTS' } } },
          { type: 'object', required: ['data'], additionalProperties: false, properties: { data: { const: 'REMINDERS' } } },
          {
            type: 'object', required: ['data', 'assessment', 'stationKinds'], additionalProperties: false,
            properties: { data: { const: 'ASSESSMENT' }, assessment: { enum: [...ASSESSMENTS] }, stationKinds: codeList({ enum: [...STATION_KINDS] }), drinkingWaterSource: { type: 'boolean' } },
          },
        ],
      },
    },
    entryPoint: { type: 'string', pattern: '^[a-z][A-Za-z0-9]*$', description: 'a root GraphQL field name in camelCase' },
    exampleQuery: text(5),
  },
};
