import { MigrationInterface, QueryRunner } from 'typeorm';

/** The positive list (监督执法正面清单, issue 14 item 6): one entry per listing of an enterprise, removed at once by a penalty decision. */
export class PositiveList1798000000001 implements MigrationInterface {
  name = 'PositiveList1798000000001';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "positive_list_entry" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
      "owner_jurisdiction" character varying(16) NOT NULL,
      "source_system" character varying(64) NOT NULL,
      "source_record_id" character varying(64) NOT NULL,
      "source_as_of" TIMESTAMP WITH TIME ZONE NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "withdrawn_at" TIMESTAMP WITH TIME ZONE,
      "withdrawal_reason" text,
      "enterprise_id" uuid NOT NULL REFERENCES "enterprise"("id") ON DELETE RESTRICT,
      "entry_no" character varying(40) NOT NULL UNIQUE,
      "basis" character varying(500) NOT NULL,
      "credit_scheme" character varying(32) NOT NULL,
      "credit_level" character varying(16) NOT NULL,
      "last_penalty_on" date,
      "online_monitoring" character varying(16) NOT NULL,
      "compliance_rate" numeric(5,2) NOT NULL,
      "category" character varying(64) NOT NULL,
      "rules_version" character varying(64) NOT NULL,
      "proposed_on" date NOT NULL,
      "included_on" date,
      "valid_until" date,
      "status" character varying(16) NOT NULL,
      "removed_on" date,
      "removal_reason" text,
      "removal_trigger" character varying(64),
      CONSTRAINT "ck_positive_list_entry_withdrawal" CHECK ((withdrawn_at IS NULL) = (withdrawal_reason IS NULL)))`);
    await q.query(`CREATE INDEX "ix_positive_list_entry_owner_key" ON "positive_list_entry" ("owner_jurisdiction", "entry_no")`);
    await q.query(`CREATE INDEX "ix_positive_list_entry_enterprise" ON "positive_list_entry" ("enterprise_id", "status")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "positive_list_entry"`);
  }
}
