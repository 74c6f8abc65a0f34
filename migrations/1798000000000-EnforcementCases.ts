import { MigrationInterface, QueryRunner } from 'typeorm';

/** The columns every record written through RecordWriter carries (src/modules/dossier/record-declaration.ts, SOURCED_FIELDS). */
const SOURCED = `"id" uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
  "owner_jurisdiction" character varying(16) NOT NULL,
  "source_system" character varying(64) NOT NULL,
  "source_record_id" character varying(64) NOT NULL,
  "source_as_of" TIMESTAMP WITH TIME ZONE NOT NULL,
  "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
  "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
  "withdrawn_at" TIMESTAMP WITH TIME ZONE,
  "withdrawal_reason" text`;

/**
 * Joint enforcement (issue 14): enforcement cases with their lifecycle, transfers between the
 * districts and to the police, evidence items with their content hash, recognition reviews by a
 * receiving district, and the append-only evidence log. The evidence log, and the identity and hash
 * of an evidence item, are protected by triggers like audit_event's: the database itself refuses
 * to change or delete them, whoever asks.
 */
export class EnforcementCases1798000000000 implements MigrationInterface {
  name = 'EnforcementCases1798000000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "enforcement_case" (${SOURCED},
      "case_no" character varying(40) NOT NULL UNIQUE,
      "uscc" character varying(18) NOT NULL,
      "party_name" character varying(200) NOT NULL,
      "violation_code" character varying(64),
      "summary" text NOT NULL,
      "state" character varying(32) NOT NULL,
      "lead_received_on" date NOT NULL,
      "filed_on" date,
      "decided_on" date,
      "closed_on" date,
      "decision_kind" character varying(32),
      "penalty_decision_no" character varying(64),
      "discretion_table_version" character varying(64),
      "discretion_working" text array NOT NULL DEFAULT '{}',
      "fine_amount" numeric(16,2),
      "transferred_from" character varying(40),
      "events" jsonb NOT NULL DEFAULT '[]',
      "extensions" jsonb NOT NULL DEFAULT '[]',
      "suspensions" jsonb NOT NULL DEFAULT '[]',
      "transitions" jsonb NOT NULL DEFAULT '[]',
      "deadlines" jsonb NOT NULL DEFAULT '[]',
      "next_due_on" date,
      "next_due_timer" character varying(64),
      CONSTRAINT "ck_enforcement_case_withdrawal" CHECK ((withdrawn_at IS NULL) = (withdrawal_reason IS NULL)))`);
    await q.query(`CREATE INDEX "ix_enforcement_case_owner_key" ON "enforcement_case" ("owner_jurisdiction", "case_no")`);
    await q.query(`CREATE INDEX "ix_enforcement_case_due" ON "enforcement_case" ("owner_jurisdiction", "next_due_on") WHERE next_due_on IS NOT NULL`);

    await q.query(`CREATE TABLE "case_transfer" (${SOURCED},
      "transfer_no" character varying(40) NOT NULL UNIQUE,
      "case_no" character varying(40) NOT NULL,
      "uscc" character varying(18) NOT NULL,
      "receiver" character varying(16) NOT NULL,
      "receiver_agency" character varying(100) NOT NULL,
      "reasons" text NOT NULL,
      "attachments" text array NOT NULL DEFAULT '{}',
      "sent_on" date NOT NULL,
      "status" character varying(16) NOT NULL,
      "received_on" date,
      "decided_on" date,
      "decision_reason" text,
      "received_case_no" character varying(40),
      CONSTRAINT "ck_case_transfer_withdrawal" CHECK ((withdrawn_at IS NULL) = (withdrawal_reason IS NULL)))`);
    await q.query(`CREATE INDEX "ix_case_transfer_owner_key" ON "case_transfer" ("owner_jurisdiction", "transfer_no")`);
    await q.query(`CREATE INDEX "ix_case_transfer_case" ON "case_transfer" ("case_no", "receiver")`);

    await q.query(`CREATE TABLE "evidence_item" (${SOURCED},
      "evidence_no" character varying(40) NOT NULL UNIQUE,
      "case_no" character varying(40) NOT NULL,
      "uscc" character varying(18) NOT NULL,
      "type" character varying(32) NOT NULL,
      "name" character varying(200) NOT NULL,
      "maker" character varying(100) NOT NULL,
      "made_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "place" character varying(200) NOT NULL,
      "method" character varying(500) NOT NULL,
      "proves" text NOT NULL,
      "collected_by" jsonb NOT NULL,
      "signature_status" character varying(16) NOT NULL,
      "signature_note" character varying(500),
      "sha256" character(64) NOT NULL,
      "content_uri" character varying(1000) NOT NULL,
      "custody_chain" jsonb NOT NULL DEFAULT '[]',
      CONSTRAINT "ck_evidence_item_sha256" CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      CONSTRAINT "ck_evidence_item_withdrawal" CHECK ((withdrawn_at IS NULL) = (withdrawal_reason IS NULL)))`);
    await q.query(`CREATE INDEX "ix_evidence_item_owner_key" ON "evidence_item" ("owner_jurisdiction", "evidence_no")`);
    await q.query(`CREATE INDEX "ix_evidence_item_case" ON "evidence_item" ("case_no")`);

    await q.query(`CREATE TABLE "evidence_recognition" (${SOURCED},
      "recognition_no" character varying(40) NOT NULL UNIQUE,
      "evidence_no" character varying(40) NOT NULL,
      "for_case_no" character varying(40) NOT NULL,
      "uscc" character varying(18) NOT NULL,
      "reviewer" character varying(100) NOT NULL,
      "reviewed_on" date NOT NULL,
      "result" character varying(16) NOT NULL,
      "reasons" text NOT NULL,
      "sha256_reviewed" character(64) NOT NULL,
      CONSTRAINT "ck_evidence_recognition_withdrawal" CHECK ((withdrawn_at IS NULL) = (withdrawal_reason IS NULL)))`);
    await q.query(`CREATE INDEX "ix_evidence_recognition_owner_key" ON "evidence_recognition" ("owner_jurisdiction", "recognition_no")`);
    await q.query(`CREATE INDEX "ix_evidence_recognition_evidence" ON "evidence_recognition" ("evidence_no")`);
    await q.query(`CREATE INDEX "ix_evidence_recognition_case" ON "evidence_recognition" ("for_case_no")`);

    // Append-only evidence log: every collection, custody step, content check and review.
    await q.query(`CREATE TABLE "evidence_log" (
      "seq" BIGSERIAL PRIMARY KEY,
      "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "evidence_no" character varying(40) NOT NULL,
      "owner_jurisdiction" character varying(16) NOT NULL,
      "action" character varying(32) NOT NULL,
      "actor" character varying(128) NOT NULL,
      "actor_jurisdiction" character varying(16),
      "sha256" character(64),
      "detail" jsonb NOT NULL DEFAULT '{}')`);
    await q.query(`CREATE INDEX "ix_evidence_log_item" ON "evidence_log" ("evidence_no", "seq")`);
    await q.query(`CREATE FUNCTION evidence_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'evidence_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER evidence_log_no_change BEFORE UPDATE OR DELETE ON "evidence_log" FOR EACH ROW EXECUTE FUNCTION evidence_log_append_only()`);
    await q.query(`CREATE TRIGGER evidence_log_no_truncate BEFORE TRUNCATE ON "evidence_log" FOR EACH STATEMENT EXECUTE FUNCTION evidence_log_append_only()`);
    // An evidence item keeps its identity and hash for ever: the custody chain may grow, nothing else moves, nothing is deleted.
    await q.query(`CREATE FUNCTION evidence_item_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'evidence_item rows are never deleted' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.evidence_no IS DISTINCT FROM OLD.evidence_no OR NEW.case_no IS DISTINCT FROM OLD.case_no OR NEW.sha256 IS DISTINCT FROM OLD.sha256
           OR NEW.content_uri IS DISTINCT FROM OLD.content_uri OR NEW.owner_jurisdiction IS DISTINCT FROM OLD.owner_jurisdiction
           OR NEW.collected_by IS DISTINCT FROM OLD.collected_by OR NEW.made_at IS DISTINCT FROM OLD.made_at THEN
          RAISE EXCEPTION 'evidence_item % keeps its identity, content hash and collection for ever', OLD.evidence_no USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NOT (NEW.custody_chain @> OLD.custody_chain AND jsonb_array_length(NEW.custody_chain) >= jsonb_array_length(OLD.custody_chain)) THEN
          RAISE EXCEPTION 'evidence_item % custody chain is append-only', OLD.evidence_no USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER evidence_item_fixed BEFORE UPDATE OR DELETE ON "evidence_item" FOR EACH ROW EXECUTE FUNCTION evidence_item_fixed()`);
    await q.query(`CREATE TRIGGER evidence_item_no_truncate BEFORE TRUNCATE ON "evidence_item" FOR EACH STATEMENT EXECUTE FUNCTION evidence_log_append_only()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "evidence_log"`);
    await q.query(`DROP TABLE "evidence_recognition"`);
    await q.query(`DROP TABLE "evidence_item"`);
    await q.query(`DROP FUNCTION evidence_item_fixed()`);
    await q.query(`DROP FUNCTION evidence_log_append_only()`);
    await q.query(`DROP TABLE "case_transfer"`);
    await q.query(`DROP TABLE "enforcement_case"`);
  }
}
