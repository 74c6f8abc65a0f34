import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15: what the credit platform files a listing under, and credit repair (信用修复).
 * - `credit_record.issuer_uscc`: the deciding authority's USCC; `removal_reason`: why a listing was
 *   removed (EXPIRED, REMOVAL_DECISION, REPAIRED), set together with `removed_on`.
 * - `credit_repair`: applications for early end of publicity, one open application per record.
 */
export class CreditRepair1799000000000 implements MigrationInterface {
  name = 'CreditRepair1799000000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "credit_record" ADD "issuer_uscc" character varying(18)`);
    await q.query(`ALTER TABLE "credit_record" ADD "removal_reason" character varying(24)`);
    await q.query(`ALTER TABLE "credit_record" ADD CONSTRAINT "ck_credit_removal_reason"
      CHECK (removal_reason IS NULL OR (removal_reason IN ('EXPIRED', 'REMOVAL_DECISION', 'REPAIRED') AND removed_on IS NOT NULL))`);
    await q.query(`CREATE TABLE "credit_repair" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "record_type" character varying(32) NOT NULL,
      "record_kind" character varying(16) NOT NULL,
      "record_key" character varying(64) NOT NULL,
      "owner_jurisdiction" character varying(16) NOT NULL,
      "enterprise_id" uuid NOT NULL REFERENCES "enterprise"("id") ON DELETE RESTRICT,
      "uscc" character varying(18) NOT NULL,
      "evidence" text NOT NULL,
      "status" character varying(16) NOT NULL DEFAULT 'PENDING',
      "applied_by" character varying(128) NOT NULL,
      "applied_org" character varying(64),
      "applied_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "decided_by" character varying(128),
      "decided_at" TIMESTAMP WITH TIME ZONE,
      "decision_reason" text,
      "repaired_on" date,
      CONSTRAINT "PK_credit_repair" PRIMARY KEY ("id"),
      CONSTRAINT "ck_credit_repair_status" CHECK (status IN ('PENDING', 'APPROVED', 'REJECTED')),
      CONSTRAINT "ck_credit_repair_decided" CHECK ((status = 'PENDING') = (decided_at IS NULL))
    )`);
    await q.query(`CREATE UNIQUE INDEX "ux_credit_repair_open" ON "credit_repair" ("record_type", "record_key") WHERE status = 'PENDING'`);
    await q.query(`CREATE INDEX "ix_credit_repair_owner" ON "credit_repair" ("owner_jurisdiction", "applied_at")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "credit_repair"`);
    await q.query(`ALTER TABLE "credit_record" DROP CONSTRAINT "ck_credit_removal_reason"`);
    await q.query(`ALTER TABLE "credit_record" DROP COLUMN "removal_reason"`);
    await q.query(`ALTER TABLE "credit_record" DROP COLUMN "issuer_uscc"`);
  }
}
