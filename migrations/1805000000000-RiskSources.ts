import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Risk sources and emergency resources (issue 17 item 4). Coordinates are numeric(9,6) WGS 84
 * degrees with a (latitude, longitude) index each: the spatial queries prefilter on a bounding box
 * over it before the great-circle distance (no PostGIS: PGlite has none).
 */
export class RiskSources1805000000000 implements MigrationInterface {
  name = 'RiskSources1805000000000';

  public async up(q: QueryRunner): Promise<void> {
    const sourced = `"id" uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
      "owner_jurisdiction" character varying(16) NOT NULL,
      "source_system" character varying(64) NOT NULL,
      "source_record_id" character varying(64) NOT NULL,
      "source_as_of" TIMESTAMP WITH TIME ZONE NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "withdrawn_at" TIMESTAMP WITH TIME ZONE,
      "withdrawal_reason" text`;
    await q.query(`CREATE TABLE "risk_source" (${sourced},
      "enterprise_id" uuid NOT NULL REFERENCES "enterprise"("id") ON DELETE RESTRICT,
      "source_no" character varying(40) NOT NULL UNIQUE,
      "name" character varying(200) NOT NULL,
      "risk_level" character varying(16) NOT NULL,
      "risk_level_detail" character varying(200),
      "risk_substances" jsonb NOT NULL DEFAULT '[]',
      "receptors" jsonb NOT NULL DEFAULT '[]',
      "receiving_water" character varying(50),
      "plan_filing_no" character varying(40),
      "plan_filed_on" date,
      "latitude" numeric(9,6) NOT NULL CHECK ("latitude" BETWEEN -90 AND 90),
      "longitude" numeric(9,6) NOT NULL CHECK ("longitude" BETWEEN -180 AND 180),
      "address" character varying(200),
      CONSTRAINT "ck_risk_source_withdrawal" CHECK ((withdrawn_at IS NULL) = (withdrawal_reason IS NULL)))`);
    await q.query(`CREATE INDEX "ix_risk_source_owner_key" ON "risk_source" ("owner_jurisdiction", "source_no")`);
    await q.query(`CREATE INDEX "ix_risk_source_enterprise" ON "risk_source" ("enterprise_id")`);
    await q.query(`CREATE INDEX "ix_risk_source_lat_lon" ON "risk_source" ("latitude", "longitude")`);

    await q.query(`CREATE TABLE "emergency_resource" (${sourced},
      "resource_no" character varying(40) NOT NULL UNIQUE,
      "kind" character varying(16) NOT NULL,
      "name" character varying(200) NOT NULL,
      "organisation" character varying(200),
      "capabilities" text[] NOT NULL DEFAULT '{}',
      "equipment_type" character varying(64),
      "quantity" numeric(16,3) CHECK ("quantity" > 0),
      "unit" character varying(16),
      "latitude" numeric(9,6) NOT NULL CHECK ("latitude" BETWEEN -90 AND 90),
      "longitude" numeric(9,6) NOT NULL CHECK ("longitude" BETWEEN -180 AND 180),
      "address" character varying(200),
      "contact_phone" character varying(32),
      "id_number" character varying(32),
      CONSTRAINT "ck_emergency_resource_id_number" CHECK ("id_number" IS NULL OR "kind" = 'EXPERT'),
      CONSTRAINT "ck_emergency_resource_withdrawal" CHECK ((withdrawn_at IS NULL) = (withdrawal_reason IS NULL)))`);
    await q.query(`CREATE INDEX "ix_emergency_resource_owner_key" ON "emergency_resource" ("owner_jurisdiction", "resource_no")`);
    await q.query(`CREATE INDEX "ix_emergency_resource_lat_lon" ON "emergency_resource" ("latitude", "longitude")`);
    await q.query(`CREATE INDEX "ix_emergency_resource_kind_type" ON "emergency_resource" ("kind", "equipment_type")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "emergency_resource"`);
    await q.query(`DROP TABLE "risk_source"`);
  }
}
