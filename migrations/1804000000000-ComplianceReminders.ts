import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Compliance reminders (issue 17, item 3).
 *
 * The permit gains its execution-report schedule (`execution_reports`, JSON: per frequency, the
 * days after the period's end by which the report is due, as the permit states them, and the last
 * day of the latest period a report was submitted for); the reminder rules read it, so no deadline
 * of a report lives in code. Existing permits get an empty schedule: no report reminders until
 * their issuer sends one.
 *
 * `compliance_reminder` holds one row per rule, subject and due date (a unique index: generating
 * twice, or on two instances, files nothing more). `compliance_reminder_log` is its history —
 * CREATED, DELIVERED, READ, ACKNOWLEDGED — and is append-only: a trigger refuses UPDATE and DELETE.
 */
export class ComplianceReminders1804000000000 implements MigrationInterface {
  name = 'ComplianceReminders1804000000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "permit" ADD COLUMN "execution_reports" jsonb NOT NULL DEFAULT '[]'`);
    await q.query(`CREATE TABLE "compliance_reminder" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "kind" varchar(40) NOT NULL,
      "rule_id" varchar(64) NOT NULL,
      "subject_type" varchar(24) NOT NULL,
      "subject_key" varchar(64) NOT NULL,
      "enterprise_id" uuid REFERENCES "enterprise"("id") ON DELETE CASCADE,
      "uscc" varchar(18),
      "enterprise_name" varchar(200),
      "owner_jurisdiction" varchar(16) NOT NULL,
      "catalog_resource_code" varchar(24) NOT NULL,
      "due_on" date NOT NULL,
      "message" text NOT NULL,
      "details" jsonb NOT NULL DEFAULT '{}',
      "rules_version" varchar(40) NOT NULL,
      "status" varchar(16) NOT NULL DEFAULT 'OPEN',
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "delivered_at" timestamptz,
      "read_at" timestamptz,
      "read_by" varchar(120),
      "acknowledged_at" timestamptz,
      "acknowledged_by" varchar(120),
      "acknowledgement_note" text,
      CONSTRAINT "ck_reminder_status" CHECK ("status" IN ('OPEN', 'ACKNOWLEDGED')),
      CONSTRAINT "ck_reminder_acknowledged" CHECK (("status" = 'ACKNOWLEDGED') = ("acknowledged_at" IS NOT NULL))
    )`);
    await q.query(`CREATE UNIQUE INDEX "uq_reminder_rule_subject_due" ON "compliance_reminder" ("rule_id", "subject_type", "subject_key", "due_on")`);
    await q.query(`CREATE INDEX "ix_reminder_owner_created" ON "compliance_reminder" ("owner_jurisdiction", "created_at" DESC, "id" DESC)`);
    await q.query(`CREATE INDEX "ix_reminder_created" ON "compliance_reminder" ("created_at" DESC, "id" DESC)`);
    await q.query(`CREATE INDEX "ix_reminder_undelivered" ON "compliance_reminder" ("created_at") WHERE "delivered_at" IS NULL`);
    await q.query(`CREATE TABLE "compliance_reminder_log" (
      "id" bigserial PRIMARY KEY,
      "reminder_id" uuid NOT NULL REFERENCES "compliance_reminder"("id") ON DELETE CASCADE,
      "event" varchar(16) NOT NULL,
      "at" timestamptz NOT NULL DEFAULT now(),
      "actor" varchar(120) NOT NULL,
      "channel" varchar(40),
      "note" text,
      CONSTRAINT "ck_reminder_log_event" CHECK ("event" IN ('CREATED', 'DELIVERED', 'READ', 'ACKNOWLEDGED'))
    )`);
    await q.query(`CREATE INDEX "ix_reminder_log_reminder" ON "compliance_reminder_log" ("reminder_id", "id")`);
    await q.query(`CREATE FUNCTION hub_reminder_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'compliance_reminder_log is append-only (% refused)', TG_OP;
      END $$`);
    await q.query(`CREATE TRIGGER "tr_reminder_log_append_only" BEFORE UPDATE OR DELETE ON "compliance_reminder_log"
      FOR EACH ROW EXECUTE FUNCTION hub_reminder_log_append_only()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "compliance_reminder_log"`);
    await q.query(`DROP FUNCTION hub_reminder_log_append_only()`);
    await q.query(`DROP TABLE "compliance_reminder"`);
    await q.query(`ALTER TABLE "permit" DROP COLUMN "execution_reports"`);
  }
}
