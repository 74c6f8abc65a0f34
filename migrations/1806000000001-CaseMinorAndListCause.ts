import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14, the rest:
 * - a NO_PENALTY_MINOR decision keeps the minor-violation rule that allowed it (`minor_rule_id`,
 *   "LIST-ID/item"), whether it used the party's first offence, and the education given;
 * - a positive-list entry keeps why it left the list (`removal_cause`: PENALTY, INCIDENT, DECISION
 *   by the bureau, EXPIRED). Existing removed entries: those with a removal trigger were removed by
 *   a penalty decision (the only event-driven removal so far), the others by a decision.
 */
export class CaseMinorAndListCause1806000000001 implements MigrationInterface {
  name = 'CaseMinorAndListCause1806000000001';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "enforcement_case"
      ADD COLUMN "minor_rule_id" character varying(80),
      ADD COLUMN "first_offence" character varying(8),
      ADD COLUMN "education_note" text,
      ADD CONSTRAINT "ck_enforcement_case_first_offence" CHECK ("first_offence" IS NULL OR "first_offence" IN ('USED', 'NOT_USED'))`);
    await q.query(`ALTER TABLE "positive_list_entry" ADD COLUMN "removal_cause" character varying(16)`);
    await q.query(`UPDATE "positive_list_entry" SET "removal_cause" = CASE WHEN "removal_trigger" IS NOT NULL THEN 'PENALTY' ELSE 'DECISION' END WHERE "status" = 'REMOVED'`);
    await q.query(`UPDATE "positive_list_entry" SET "removal_cause" = 'EXPIRED' WHERE "status" = 'EXPIRED'`);
    await q.query(`ALTER TABLE "positive_list_entry" ADD CONSTRAINT "ck_positive_list_entry_removal_cause"
      CHECK ("removal_cause" IS NULL OR "removal_cause" IN ('PENALTY', 'INCIDENT', 'DECISION', 'EXPIRED'))`);
    // The expiry job looks for active entries past their validity.
    await q.query(`CREATE INDEX "ix_positive_list_entry_active_until" ON "positive_list_entry" ("valid_until") WHERE "status" = 'ACTIVE' AND "withdrawn_at" IS NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_positive_list_entry_active_until"`);
    await q.query(`ALTER TABLE "positive_list_entry" DROP CONSTRAINT "ck_positive_list_entry_removal_cause", DROP COLUMN "removal_cause"`);
    await q.query(`ALTER TABLE "enforcement_case" DROP COLUMN "education_note", DROP COLUMN "first_offence", DROP COLUMN "minor_rule_id"`);
  }
}
