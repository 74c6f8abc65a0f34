import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Audit by key (issue 11): each event keeps the natural keys of the records it released (or
 * refused) and the enterprises they are about, so an owner's auditor can ask who read complaint X
 * or enterprise Y's dossier. GIN indexes answer "events holding this key" without a scan.
 */
export class AuditKeys1796700000000 implements MigrationInterface {
  name = 'AuditKeys1796700000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "audit_event" ADD "record_keys" text[] NOT NULL DEFAULT '{}'`);
    await q.query(`ALTER TABLE "audit_event" ADD "enterprise_ids" uuid[] NOT NULL DEFAULT '{}'`);
    await q.query(`CREATE INDEX "ix_audit_record_keys" ON "audit_event" USING gin ("record_keys")`);
    await q.query(`CREATE INDEX "ix_audit_enterprise_ids" ON "audit_event" USING gin ("enterprise_ids")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_audit_enterprise_ids"`);
    await q.query(`DROP INDEX "ix_audit_record_keys"`);
    await q.query(`ALTER TABLE "audit_event" DROP COLUMN "enterprise_ids"`);
    await q.query(`ALTER TABLE "audit_event" DROP COLUMN "record_keys"`);
  }
}
