import { MigrationInterface, QueryRunner } from 'typeorm';

/** The seven dossier record tables; a withdrawal is recorded on the row itself. */
const TABLES = ['enterprise', 'eia_approval', 'permit', 'inspection', 'penalty', 'complaint', 'credit_record'];

/**
 * Withdrawals: a record revoked or corrected at its source is kept, with when and why it was
 * withdrawn, instead of being deleted, so the change log and the audit trail keep pointing at
 * something and a partner who asks for it by key learns that it was withdrawn.
 */
export class Withdrawals1796200000000 implements MigrationInterface {
  name = 'Withdrawals1796200000000';

  public async up(q: QueryRunner): Promise<void> {
    for (const t of TABLES) {
      await q.query(`ALTER TABLE "${t}" ADD "withdrawn_at" TIMESTAMP WITH TIME ZONE`);
      await q.query(`ALTER TABLE "${t}" ADD "withdrawal_reason" text`);
      // A reason exactly when withdrawn: a withdrawal without one cannot be explained to a partner.
      await q.query(`ALTER TABLE "${t}" ADD CONSTRAINT "ck_${t}_withdrawal" CHECK (("withdrawn_at" IS NULL) = ("withdrawal_reason" IS NULL))`);
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const t of [...TABLES].reverse()) {
      await q.query(`ALTER TABLE "${t}" DROP CONSTRAINT "ck_${t}_withdrawal"`);
      await q.query(`ALTER TABLE "${t}" DROP COLUMN "withdrawal_reason"`);
      await q.query(`ALTER TABLE "${t}" DROP COLUMN "withdrawn_at"`);
    }
  }
}
