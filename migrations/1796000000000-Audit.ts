import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only audit log of dossier reads. A trigger refuses UPDATE, DELETE and TRUNCATE, so
 * not even the hub's own database user can rewrite who read what.
 */
export class Audit1796000000000 implements MigrationInterface {
  name = 'Audit1796000000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "audit_event" (
      "id" BIGSERIAL NOT NULL,
      "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "request_id" character varying(64) NOT NULL,
      "sub" character varying(128) NOT NULL,
      "org" character varying(64),
      "jurisdiction" character varying(16),
      "purpose" character varying(32),
      "operation_name" character varying(128),
      "resource_type" character varying(32) NOT NULL,
      "owner_jurisdiction" character varying(16) NOT NULL,
      "record_count" integer NOT NULL,
      "masked" boolean NOT NULL,
      "denied" boolean NOT NULL,
      CONSTRAINT "PK_audit_event" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_audit_owner_at" ON "audit_event" ("owner_jurisdiction", "at")`);
    await q.query(`CREATE INDEX "ix_audit_reader_at" ON "audit_event" ("jurisdiction", "at")`);
    await q.query(`CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON "audit_event" FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()`);
    await q.query(`CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON "audit_event" FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "audit_event"`);
    await q.query(`DROP FUNCTION audit_event_append_only()`);
  }
}
