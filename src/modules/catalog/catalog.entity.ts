import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import type { Relation } from 'typeorm';

/*
 * The catalog as loaded from catalog/ (the files stay the source of truth; these tables are their
 * copy, replaced by `loadIntoDatabase` in one transaction). Rows hold columns only: the GraphQL
 * shape, with names joined in, is catalog.type.ts.
 */

/** The header of one code table file: which edition of which rule the table follows. */
@Entity({ name: 'catalog_code_table' })
export class CatalogCodeTable {
  @PrimaryColumn({ name: 'table_name', type: 'varchar', length: 32 })
  tableName: string;

  @Column({ type: 'varchar', length: 32 })
  version: string;

  @Column({ type: 'text' })
  source: string;

  @Column({ name: 'effective_from', type: 'date' })
  effectiveFrom: string;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}

/**
 * One entry of a dimension code table (functions, business-lines, elements, update-cycles,
 * formats, format-types). What only one table has (a classification code, an EU frequency, the
 * format types) is kept in `extra`, so one table serves them all.
 */
@Entity({ name: 'catalog_code' })
export class CatalogCode {
  @PrimaryColumn({ name: 'table_name', type: 'varchar', length: 32 })
  tableName: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'name_en', type: 'text' })
  nameEn: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  /** Place in the file: facets and lists of codes keep the order the table's authors chose. */
  @Column({ type: 'int' })
  position: number;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  extra: Record<string, unknown>;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}

/** 信息资源提供方: an agency, by the code its tokens carry as `org`, with its USCC (提供方代码). */
@Entity({ name: 'catalog_provider' })
export class CatalogProvider {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'short_name', type: 'text', nullable: true })
  shortName: string | null;

  @Column({ name: 'name_en', type: 'text' })
  nameEn: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'varchar', length: 32 })
  kind: string;

  @Column({ type: 'varchar', length: 18, unique: true })
  uscc: string;

  @Column({ type: 'varchar', length: 16 })
  jurisdiction: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  parent: string | null;

  @Column({ type: 'int' })
  position: number;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}

/** A purpose a conditional resource may be read for, and the roles of which a reader must hold one. */
@Entity({ name: 'catalog_purpose' })
export class CatalogPurpose {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'name_en', type: 'text' })
  nameEn: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'text', array: true })
  roles: string[];

  @Column({ type: 'int' })
  position: number;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}

/**
 * One catalog resource. Nested parts of the file (format, data items, sharing conditions and
 * method) are jsonb; lists of codes are text[]. `search_text` gathers what search matches (names,
 * keywords, abstract, data item names) under a trigram index; the migration creates that index,
 * which TypeORM cannot describe, hence `synchronize: false`.
 */
@Entity({ name: 'catalog_resource' })
@Index('ix_catalog_resource_search', { synchronize: false })
// Deferred, so one load can move a record type from one resource to another.
@Unique('uq_catalog_resource_record_type', ['recordType'], { deferrable: 'INITIALLY DEFERRED' })
@Check('ck_catalog_resource_sharing_type', `"sharing_type" IN ('UNCONDITIONAL', 'CONDITIONAL', 'NOT_SHARED')`)
@Check('ck_catalog_resource_conditions', `("sharing_type" = 'CONDITIONAL') = ("sharing_conditions" IS NOT NULL)`)
@Check('ck_catalog_resource_basis', `("sharing_type" = 'NOT_SHARED') = ("sharing_basis" IS NOT NULL)`)
@Check('ck_catalog_resource_not_shared_closed', `"sharing_type" <> 'NOT_SHARED' OR NOT "open_to_public"`)
export class CatalogResourceRow {
  @PrimaryColumn({ type: 'varchar', length: 24 })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'name_en', type: 'text' })
  nameEn: string;

  @Column({ type: 'text', array: true })
  keywords: string[];

  @Column({ name: 'provider_code', type: 'varchar', length: 64 })
  providerCode: string;

  @ManyToOne(() => CatalogProvider, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'provider_code' })
  provider?: Relation<CatalogProvider>;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  contributors: string[];

  @Column({ type: 'text' })
  abstract: string;

  /** `{ class, type }`, codes of the formats and format-types tables. */
  @Column({ type: 'jsonb' })
  format: { class: string; type: string };

  /** 信息项: `[{ name, field?, type, length, scale?, description? }]`, when the file lists them. */
  @Column({ name: 'data_items', type: 'jsonb', nullable: true })
  dataItems: unknown[] | null;

  @Column({ name: 'sharing_type', type: 'varchar', length: 16 })
  sharingType: string;

  /** `{ purposes, legalBasis }`, for CONDITIONAL resources only. */
  @Column({ name: 'sharing_conditions', type: 'jsonb', nullable: true })
  sharingConditions: { purposes: string[]; legalBasis: string } | null;

  /** 不予共享依据, for NOT_SHARED resources only. */
  @Column({ name: 'sharing_basis', type: 'text', nullable: true })
  sharingBasis: string | null;

  /** `{ class, type }`: PLATFORM or OFFLINE; DATABASE, INTERFACE or FILE. */
  @Column({ name: 'sharing_method', type: 'jsonb' })
  sharingMethod: { class: string; type: string };

  @Column({ name: 'open_to_public', type: 'boolean' })
  openToPublic: boolean;

  @Column({ name: 'open_conditions', type: 'text', nullable: true })
  openConditions: string | null;

  @Column({ name: 'update_cycle', type: 'varchar', length: 32 })
  updateCycle: string;

  @Column({ name: 'published_at', type: 'date' })
  publishedAt: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  related: string[];

  @Column({ name: 'function_code', type: 'varchar', length: 32 })
  functionCode: string;

  @Column({ name: 'business_line', type: 'varchar', length: 32 })
  businessLine: string;

  @Column({ type: 'text', array: true })
  elements: string[];

  @Column({ type: 'text', array: true })
  jurisdictions: string[];

  /** Set on the seven dossier resources: the policy takes that record type's sharing rule from here. */
  @Column({ name: 'record_type', type: 'varchar', length: 32, nullable: true })
  recordType: string | null;

  /** SERVED or PLANNED (catalogued, not yet served by the hub). */
  @Column({ type: 'varchar', length: 16, default: 'SERVED' })
  status: string;

  /** The monitoring data the resource's terms govern (catalog.schema.ts, ServedData). */
  @Column({ type: 'jsonb', nullable: true })
  serves: unknown[] | null;

  @Column({ name: 'entry_point', type: 'varchar', length: 64, nullable: true })
  entryPoint: string | null;

  @Column({ name: 'example_query', type: 'text', nullable: true })
  exampleQuery: string | null;

  @Column({ name: 'search_text', type: 'text' })
  searchText: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}

/** The catalog's entities, for src/db/entities.ts. */
export const CATALOG_ENTITIES = [CatalogCodeTable, CatalogCode, CatalogProvider, CatalogPurpose, CatalogResourceRow];
