import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Inspections gain why and where they were made (issue 14 item 6): `origin` PLANNED | TRIGGERED
 * with the trigger (COMPLAINT, ALERT, TRANSFER, LEAD, OTHER) and its reference, and `site`
 * ONSITE | OFFSITE. Existing rows: every one was recorded with the eight-step on-site procedure,
 * so ONSITE; a COMPLAINT-type inspection was set off by a complaint, so TRIGGERED / COMPLAINT
 * (no reference was recorded before: NULL); every other type is PLANNED. docs/enforcement.md says so.
 */
export class InspectionOrigin1806000000000 implements MigrationInterface {
  name = 'InspectionOrigin1806000000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "inspection"
      ADD COLUMN "origin" character varying(16) NOT NULL DEFAULT 'PLANNED',
      ADD COLUMN "trigger_kind" character varying(16),
      ADD COLUMN "trigger_reference" character varying(64),
      ADD COLUMN "site" character varying(8) NOT NULL DEFAULT 'ONSITE'`);
    await q.query(`UPDATE "inspection" SET "origin" = 'TRIGGERED', "trigger_kind" = 'COMPLAINT' WHERE "type" = 'COMPLAINT'`);
    await q.query(`ALTER TABLE "inspection"
      ADD CONSTRAINT "ck_inspection_origin" CHECK ("origin" IN ('PLANNED', 'TRIGGERED')),
      ADD CONSTRAINT "ck_inspection_site" CHECK ("site" IN ('ONSITE', 'OFFSITE')),
      ADD CONSTRAINT "ck_inspection_trigger" CHECK (("origin" = 'TRIGGERED') = ("trigger_kind" IS NOT NULL))`);
    // The flagged list looks for on-site, planned visits; few of them are of listed firms.
    await q.query(`CREATE INDEX "ix_inspection_untriggered_onsite" ON "inspection" ("enterprise_id", "inspected_on") WHERE "site" = 'ONSITE' AND "origin" = 'PLANNED'`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_inspection_untriggered_onsite"`);
    await q.query(`ALTER TABLE "inspection" DROP CONSTRAINT "ck_inspection_trigger", DROP CONSTRAINT "ck_inspection_site", DROP CONSTRAINT "ck_inspection_origin"`);
    await q.query(`ALTER TABLE "inspection" DROP COLUMN "site", DROP COLUMN "trigger_reference", DROP COLUMN "trigger_kind", DROP COLUMN "origin"`);
  }
}
