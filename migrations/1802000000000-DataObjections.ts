import { MigrationInterface, QueryRunner } from 'typeorm';
import { FILL } from './1799100000000-CreditFeedEntry';

/**
 * The credit feed's append trigger (CreditFeedEntry1799100000000) learns the objection ops: they keep
 * their own op on the entry, and the entry carries the objection (id, disputed fields, outcome) as
 * its last key, so every other entry keeps its shape.
 */
const FILL_WITH_OBJECTIONS = FILL
  .replace('CREATE FUNCTION hub_credit_feed_fill()', 'CREATE OR REPLACE FUNCTION hub_credit_feed_fill()')
  .replace("WHEN NEW.op IN ('LISTED', 'UPDATED', 'REMOVED', 'WITHDRAWN', 'EVALUATED') THEN NEW.op", "WHEN NEW.op IN ('LISTED', 'UPDATED', 'REMOVED', 'WITHDRAWN', 'EVALUATED', 'OBJECTION_FLAGGED', 'OBJECTION_CLEARED') THEN NEW.op")
  .replace('  RETURN NEW;\nEND $fn$', `  IF o IN ('OBJECTION_FLAGGED', 'OBJECTION_CLEARED') THEN
    NEW.entry := left(NEW.entry, -1) || ',"objection":' || json_build_object('id', p->'objection'->>'id',
      'fields', coalesce(p->'objection'->'fields', '[]'::jsonb), 'outcome', p->'objection'->>'outcome')::text || '}';
  END IF;
  RETURN NEW;
END $fn$`);
if (FILL_WITH_OBJECTIONS.split('OBJECTION_FLAGGED').length !== 3) throw new Error('the credit feed trigger did not take the objection ops: its text changed');


/**
 * Data objections (数据异议, issue 12 item 3): one row per objection with its current state, and an
 * append-only history of every step (who, when, what), which a trigger keeps append-only. The
 * partial index serves the read engine's `underObjection` (an EXISTS per released record) and the
 * check that one record's fields carry one open objection at a time. The change log's `op` grows
 * to 32 characters for the credit feed's OBJECTION_FLAGGED / OBJECTION_CLEARED.
 */
export class DataObjections1802000000000 implements MigrationInterface {
  name = 'DataObjections1802000000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "data_objection" (
      "id" uuid PRIMARY KEY,
      "record_type" varchar(32) NOT NULL,
      "record_key" varchar(64) NOT NULL,
      "record_id" uuid NOT NULL,
      "owner_jurisdiction" varchar(16) NOT NULL,
      "fields" text[] NOT NULL,
      "reason" text NOT NULL,
      "evidence" text[] NOT NULL DEFAULT '{}',
      "status" varchar(16) NOT NULL,
      "outcome" varchar(16),
      "resolution_reason" text,
      "raised_by" varchar(128) NOT NULL,
      "raised_org" varchar(128),
      "raised_jurisdiction" varchar(16),
      "raised_at" timestamptz NOT NULL DEFAULT now(),
      "accepted_by" varchar(128),
      "accepted_at" timestamptz,
      "resolved_by" varchar(128),
      "resolved_at" timestamptz,
      "verify_due_on" date,
      "updated_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "ck_data_objection_status" CHECK ("status" IN ('RAISED', 'FLAGGED', 'VERIFYING', 'ARCHIVED')),
      CONSTRAINT "ck_data_objection_outcome" CHECK ("outcome" IS NULL OR "outcome" IN ('CORRECTED', 'REJECTED'))
    )`);
    await q.query(`CREATE INDEX "ix_data_objection_open" ON "data_objection" ("record_type", "record_key") WHERE "status" <> 'ARCHIVED'`);
    await q.query(`CREATE INDEX "ix_data_objection_owner" ON "data_objection" ("owner_jurisdiction", "raised_at" DESC, "id" DESC)`);
    await q.query(`CREATE INDEX "ix_data_objection_raised_by" ON "data_objection" ("raised_by", "raised_at" DESC, "id" DESC)`);
    await q.query(`CREATE TABLE "data_objection_step" (
      "seq" bigserial PRIMARY KEY,
      "objection_id" uuid NOT NULL REFERENCES "data_objection" ("id"),
      "step" varchar(16) NOT NULL,
      "actor" varchar(128) NOT NULL,
      "actor_org" varchar(128),
      "actor_jurisdiction" varchar(16),
      "at" timestamptz NOT NULL DEFAULT now(),
      "note" text
    )`);
    await q.query(`CREATE INDEX "ix_data_objection_step_objection" ON "data_objection_step" ("objection_id", "seq")`);
    await q.query(`CREATE FUNCTION hub_objection_step_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'data_objection_step is append-only'; END $$`);
    await q.query(`CREATE TRIGGER "tr_data_objection_step_append_only" BEFORE UPDATE OR DELETE ON "data_objection_step"
      FOR EACH ROW EXECUTE FUNCTION hub_objection_step_append_only()`);
    await q.query(`ALTER TABLE "change_log" ALTER COLUMN "op" TYPE varchar(32)`);
    await q.query(`ALTER TABLE "change_log" ALTER COLUMN "feed_op" TYPE varchar(32)`);
    await q.query(FILL_WITH_OBJECTIONS);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(FILL.replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION'));
    await q.query(`ALTER TABLE "change_log" ALTER COLUMN "feed_op" TYPE varchar(16)`);
    await q.query(`ALTER TABLE "change_log" ALTER COLUMN "op" TYPE varchar(16)`);
    await q.query(`DROP TABLE "data_objection_step"`);
    await q.query(`DROP FUNCTION hub_objection_step_append_only()`);
    await q.query(`DROP TABLE "data_objection"`);
  }
}
