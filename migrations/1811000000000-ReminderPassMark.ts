import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where the compliance-reminder pass over permits got to (src/modules/reminders/reminder.service.ts,
 * "What a pass reads"): the China Standard Time day it ran for, the fingerprint of the rules it
 * applied and the change-log sequence number it had read up to. A later pass on the same day under
 * the same rules reads only the permits of firms with a permit or enterprise change after that
 * number; any other pass reads them all. One row per pass kind.
 */
export class ReminderPassMark1811000000000 implements MigrationInterface {
  name = 'ReminderPassMark1811000000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "reminder_pass_mark" (
      "pass" character varying(32) NOT NULL,
      "day" date NOT NULL,
      "rules_fingerprint" character varying(64) NOT NULL,
      "through_seq" bigint NOT NULL,
      "completed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "PK_reminder_pass_mark" PRIMARY KEY ("pass"))`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "reminder_pass_mark"`);
  }
}
