import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The change log: one row per committed change of a shared record, appended in the writing
 * transaction. `seq` order is commit order, because appends take a transaction-level advisory
 * lock (see src/modules/changes/change-log.ts), so a reader that pages by `seq` never skips a
 * change that commits after it read a later one.
 */
export class ChangeLog1796100000000 implements MigrationInterface {
  name = 'ChangeLog1796100000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "change_log" (
      "seq" BIGSERIAL NOT NULL,
      "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "record_type" character varying(32) NOT NULL,
      "record_key" character varying(64) NOT NULL,
      "op" character varying(16) NOT NULL,
      "owner_jurisdiction" character varying(16) NOT NULL,
      "enterprise_id" uuid,
      "uscc" character varying(18),
      "actor" character varying(128) NOT NULL,
      "payload" jsonb NOT NULL DEFAULT '{}',
      CONSTRAINT "PK_change_log" PRIMARY KEY ("seq"))`);
    await q.query(`CREATE INDEX "ix_change_log_type_seq" ON "change_log" ("record_type", "seq")`);
    await q.query(`CREATE INDEX "ix_change_log_key" ON "change_log" ("record_type", "record_key", "seq")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "change_log"`);
  }
}
