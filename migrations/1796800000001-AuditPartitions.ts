import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log partitioned by month of `at` (China Standard Time months), like the observations:
 * it grows with every read and is append-only, so its retention can only be whole months dropped
 * (`HUB_AUDIT_RETENTION_MONTHS`, unset = keep for ever). A DEFAULT partition takes any row no month
 * covers. The append-only triggers stay on the partitioned table (row triggers reach every
 * partition): UPDATE, DELETE and TRUNCATE are refused as before. Columns, indexes and the sequence
 * are unchanged; the primary key becomes (id, at), as a partitioned table's keys must hold `at`.
 */
export class AuditPartitions1796800000001 implements MigrationInterface {
  name = 'AuditPartitions1796800000001';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "audit_event" RENAME TO "audit_event_unpartitioned"`);
    await q.query(`DROP TRIGGER audit_event_no_change ON "audit_event_unpartitioned"`);
    await q.query(`DROP TRIGGER audit_event_no_truncate ON "audit_event_unpartitioned"`);
    for (const ix of ['ix_audit_owner_at', 'ix_audit_reader_at', 'ix_audit_record_keys', 'ix_audit_enterprise_ids']) await q.query(`DROP INDEX "${ix}"`);
    await q.query(`ALTER TABLE "audit_event_unpartitioned" DROP CONSTRAINT "PK_audit_event"`);
    await q.query(`CREATE TABLE "audit_event" (LIKE "audit_event_unpartitioned" INCLUDING DEFAULTS INCLUDING CONSTRAINTS, CONSTRAINT "PK_audit_event" PRIMARY KEY ("id", "at")) PARTITION BY RANGE ("at")`);
    await q.query(`ALTER SEQUENCE "audit_event_id_seq" OWNED BY "audit_event"."id"`);
    await q.query(`CREATE INDEX "ix_audit_owner_at" ON "audit_event" ("owner_jurisdiction", "at")`);
    await q.query(`CREATE INDEX "ix_audit_reader_at" ON "audit_event" ("jurisdiction", "at")`);
    await q.query(`CREATE INDEX "ix_audit_record_keys" ON "audit_event" USING gin ("record_keys")`);
    await q.query(`CREATE INDEX "ix_audit_enterprise_ids" ON "audit_event" USING gin ("enterprise_ids")`);
    await q.query(`CREATE TABLE "audit_event_default" PARTITION OF "audit_event" DEFAULT`);
    await q.query(`DO $$
      DECLARE m date; last date;
      BEGIN
        SELECT coalesce(date_trunc('month', min(at) AT TIME ZONE 'Asia/Shanghai')::date, date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai')::date)
          INTO m FROM audit_event_unpartitioned;
        last := greatest(date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai')::date,
          coalesce((SELECT date_trunc('month', max(at) AT TIME ZONE 'Asia/Shanghai')::date FROM audit_event_unpartitioned), m)) + interval '3 months';
        WHILE m <= last LOOP
          EXECUTE format('CREATE TABLE %I PARTITION OF audit_event FOR VALUES FROM (%L) TO (%L)',
            'audit_event_p' || to_char(m, 'YYYYMM'), m::timestamp AT TIME ZONE 'Asia/Shanghai', (m + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai');
          m := m + interval '1 month';
        END LOOP;
      END $$`);
    await q.query(`INSERT INTO "audit_event" SELECT * FROM "audit_event_unpartitioned"`);
    await q.query(`DROP TABLE "audit_event_unpartitioned"`);
    await q.query(`CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON "audit_event" FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()`);
    await q.query(`CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON "audit_event" FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "audit_event" RENAME TO "audit_event_partitioned"`);
    await q.query(`DROP TRIGGER audit_event_no_change ON "audit_event_partitioned"`);
    await q.query(`DROP TRIGGER audit_event_no_truncate ON "audit_event_partitioned"`);
    for (const ix of ['ix_audit_owner_at', 'ix_audit_reader_at', 'ix_audit_record_keys', 'ix_audit_enterprise_ids']) await q.query(`DROP INDEX "${ix}"`);
    await q.query(`ALTER TABLE "audit_event_partitioned" DROP CONSTRAINT "PK_audit_event"`);
    await q.query(`CREATE TABLE "audit_event" (LIKE "audit_event_partitioned" INCLUDING DEFAULTS INCLUDING CONSTRAINTS, CONSTRAINT "PK_audit_event" PRIMARY KEY ("id"))`);
    await q.query(`ALTER SEQUENCE "audit_event_id_seq" OWNED BY "audit_event"."id"`);
    await q.query(`INSERT INTO "audit_event" SELECT * FROM "audit_event_partitioned"`);
    await q.query(`DROP TABLE "audit_event_partitioned"`);
    await q.query(`CREATE INDEX "ix_audit_owner_at" ON "audit_event" ("owner_jurisdiction", "at")`);
    await q.query(`CREATE INDEX "ix_audit_reader_at" ON "audit_event" ("jurisdiction", "at")`);
    await q.query(`CREATE INDEX "ix_audit_record_keys" ON "audit_event" USING gin ("record_keys")`);
    await q.query(`CREATE INDEX "ix_audit_enterprise_ids" ON "audit_event" USING gin ("enterprise_ids")`);
    await q.query(`CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON "audit_event" FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()`);
    await q.query(`CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON "audit_event" FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()`);
  }
}
