import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The resource catalog's tables: code table headers and entries, providers, purposes, and the
 * resources with a trigram index over their search text. pg_trgm comes first: the index's
 * operator class needs it (PGlite loads it in openPglite; PostgreSQL ships it in contrib).
 */
export class Catalog1795950000000 implements MigrationInterface {
  name = 'Catalog1795950000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(`CREATE TABLE "catalog_code_table" ("table_name" character varying(32) NOT NULL, "version" character varying(32) NOT NULL, "source" text NOT NULL, "effective_from" date NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_409e5518be26b96d07bbe7b0981" PRIMARY KEY ("table_name"))`);
    await queryRunner.query(`CREATE TABLE "catalog_code" ("table_name" character varying(32) NOT NULL, "code" character varying(64) NOT NULL, "name" text NOT NULL, "name_en" text NOT NULL, "description" text, "position" integer NOT NULL, "extra" jsonb NOT NULL DEFAULT '{}', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_78409ff840c04251fd9dbebb508" PRIMARY KEY ("table_name", "code"))`);
    await queryRunner.query(`CREATE TABLE "catalog_provider" ("code" character varying(64) NOT NULL, "name" text NOT NULL, "short_name" text, "name_en" text NOT NULL, "description" text, "kind" character varying(32) NOT NULL, "uscc" character varying(18) NOT NULL, "jurisdiction" character varying(16) NOT NULL, "parent" character varying(64), "position" integer NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_c869d323c25506ed86698e107b7" UNIQUE ("uscc"), CONSTRAINT "PK_565c284efe4848489f96da6c5bf" PRIMARY KEY ("code"))`);
    await queryRunner.query(`CREATE TABLE "catalog_purpose" ("code" character varying(32) NOT NULL, "name" text NOT NULL, "name_en" text NOT NULL, "description" text, "roles" text array NOT NULL, "position" integer NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_421063ec78185e1d4870ae44c92" PRIMARY KEY ("code"))`);
    await queryRunner.query(`CREATE TABLE "catalog_resource" ("code" character varying(24) NOT NULL, "name" text NOT NULL, "name_en" text NOT NULL, "keywords" text array NOT NULL, "provider_code" character varying(64) NOT NULL, "contributors" text array NOT NULL DEFAULT '{}', "abstract" text NOT NULL, "format" jsonb NOT NULL, "data_items" jsonb, "sharing_type" character varying(16) NOT NULL, "sharing_conditions" jsonb, "sharing_basis" text, "sharing_method" jsonb NOT NULL, "open_to_public" boolean NOT NULL, "open_conditions" text, "update_cycle" character varying(32) NOT NULL, "published_at" date NOT NULL, "related" text array NOT NULL DEFAULT '{}', "function_code" character varying(32) NOT NULL, "business_line" character varying(32) NOT NULL, "elements" text array NOT NULL, "jurisdictions" text array NOT NULL, "record_type" character varying(32), "entry_point" character varying(64) NOT NULL, "example_query" text NOT NULL, "search_text" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_catalog_resource_record_type" UNIQUE ("record_type") DEFERRABLE INITIALLY DEFERRED, CONSTRAINT "ck_catalog_resource_not_shared_closed" CHECK ("sharing_type" <> 'NOT_SHARED' OR NOT "open_to_public"), CONSTRAINT "ck_catalog_resource_basis" CHECK (("sharing_type" = 'NOT_SHARED') = ("sharing_basis" IS NOT NULL)), CONSTRAINT "ck_catalog_resource_conditions" CHECK (("sharing_type" = 'CONDITIONAL') = ("sharing_conditions" IS NOT NULL)), CONSTRAINT "ck_catalog_resource_sharing_type" CHECK ("sharing_type" IN ('UNCONDITIONAL', 'CONDITIONAL', 'NOT_SHARED')), CONSTRAINT "PK_16bc2eaccfd67c9ec46581332b7" PRIMARY KEY ("code"))`);
    await queryRunner.query(`ALTER TABLE "catalog_resource" ADD CONSTRAINT "FK_7bae93366a48ba483cbf1bd26c0" FOREIGN KEY ("provider_code") REFERENCES "catalog_provider"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    // Serves substring (ILIKE '%…%') and similarity search over names, keywords, abstract and data items.
    await queryRunner.query(`CREATE INDEX "ix_catalog_resource_search" ON "catalog_resource" USING gin ("search_text" gin_trgm_ops)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_catalog_resource_search"`);
    await queryRunner.query(`ALTER TABLE "catalog_resource" DROP CONSTRAINT "FK_7bae93366a48ba483cbf1bd26c0"`);
    await queryRunner.query(`DROP TABLE "catalog_resource"`);
    await queryRunner.query(`DROP TABLE "catalog_purpose"`);
    await queryRunner.query(`DROP TABLE "catalog_provider"`);
    await queryRunner.query(`DROP TABLE "catalog_code"`);
    await queryRunner.query(`DROP TABLE "catalog_code_table"`);
    // pg_trgm stays: other objects may use it, and dropping an extension is the operator's call.
  }
}
