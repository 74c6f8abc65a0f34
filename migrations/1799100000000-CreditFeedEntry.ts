import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15, speed: each credit change keeps its feed entry pre-shaped as text (`entry`), with its
 * record kind and feed op (`feed_kind`, `feed_op`), filled by a trigger as the change is appended
 * (and here, once, for the changes already logged). A pull then streams the stored text, adding
 * only what depends on the row's position or on the reader (cursor, time, legal representative):
 * PostgreSQL neither re-reads the payload's fields nor builds JSON per row at read time.
 *
 * The entry's shape is this function's: a change to it is a new migration that replaces the
 * function and refills `entry`. Entries keep the op they were logged with; older entries are
 * told their kind by their op and fields, and a REMOVED entry its reason from what was logged.
 */
export const FILL = `CREATE FUNCTION hub_credit_feed_fill() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  p jsonb := NEW.payload;
  k text;
  o text;
  d text;
BEGIN
  k := CASE
    WHEN p->>'kind' IN ('LISTING', 'EVALUATION') THEN p->>'kind'
    WHEN NEW.op = 'EVALUATED' THEN 'EVALUATION'
    WHEN NEW.op = 'LISTED' THEN 'LISTING'
    WHEN coalesce(p->>'scheme', p->>'level', p->>'year') IS NOT NULL
      AND coalesce(p->>'reason', p->>'legalBasis', p->>'listedAt', p->>'validUntil', p->>'removedOn') IS NULL THEN 'EVALUATION'
    ELSE 'LISTING' END;
  o := CASE
    WHEN NEW.op IN ('LISTED', 'UPDATED', 'REMOVED', 'WITHDRAWN', 'EVALUATED') THEN NEW.op
    WHEN NEW.op = 'INSERTED' THEN CASE k WHEN 'LISTING' THEN 'LISTED' ELSE 'EVALUATED' END
    WHEN NEW.op = 'DELETED' THEN 'REMOVED' ELSE 'UPDATED' END;
  NEW.feed_kind := k;
  NEW.feed_op := o;
  NEW.entry := json_build_object(
    'op', o, 'kind', k, 'uscc', NEW.uscc,
    'enterpriseName', coalesce(nullif(p->>'enterpriseName', ''), (SELECT e.name FROM enterprise e WHERE e.id = NEW.enterprise_id)),
    'jurisdiction', NEW.owner_jurisdiction,
    'provinceCode', CASE NEW.owner_jurisdiction WHEN 'QINGPU' THEN '310000' WHEN 'WUJIANG' THEN '320000' WHEN 'JIASHAN' THEN '330000' END,
    'recordNo', NEW.record_key,
    'withdrawnAt', CASE WHEN p->>'withdrawnAt' IS NOT NULL THEN to_char((p->>'withdrawnAt')::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') END,
    'withdrawalReason', nullif(p->>'withdrawalReason', ''),
    'listing', CASE WHEN k = 'LISTING' THEN json_build_object(
      'reason', nullif(p->>'reason', ''), 'legalBasis', nullif(p->>'legalBasis', ''), 'decisionNo', coalesce(nullif(p->>'decisionNo', ''), NEW.record_key),
      'authority', nullif(p->>'issuer', ''), 'authorityUscc', nullif(p->>'issuerUscc', ''),
      'listedAt', CASE WHEN p->>'listedAt' ~ '^\\d{4}-\\d{2}-\\d{2}' THEN left(p->>'listedAt', 10) END,
      'validUntil', CASE WHEN p->>'validUntil' ~ '^\\d{4}-\\d{2}-\\d{2}' THEN left(p->>'validUntil', 10) END,
      'removedOn', CASE WHEN p->>'removedOn' ~ '^\\d{4}-\\d{2}-\\d{2}' THEN left(p->>'removedOn', 10) END,
      'removalReason', CASE WHEN o <> 'REMOVED' THEN NULL
        WHEN p->>'removalReason' IN ('EXPIRED', 'REMOVAL_DECISION', 'REPAIRED') THEN p->>'removalReason'
        WHEN p->>'removal' = 'EXPIRED' THEN 'EXPIRED' ELSE 'REMOVAL_DECISION' END) END,
    'evaluation', CASE WHEN k = 'EVALUATION' THEN json_build_object(
      'scheme', CASE WHEN p->>'scheme' IN ('NATIONAL_2013', 'JIANGSU_5', 'SHANGHAI_2024', 'ZHEJIANG_2025') THEN p->>'scheme' END,
      'level', nullif(p->>'level', ''), 'levelName', nullif(p->>'levelName', ''),
      'year', CASE WHEN p->>'year' ~ '^-?\\d{1,9}$' THEN (p->>'year')::int END,
      'issuer', nullif(p->>'issuer', ''), 'issuerUscc', nullif(p->>'issuerUscc', '')) END
  )::text;
  RETURN NEW;
END $fn$`;

export class CreditFeedEntry1799100000000 implements MigrationInterface {
  name = 'CreditFeedEntry1799100000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "change_log" ADD "entry" text`);
    await q.query(`ALTER TABLE "change_log" ADD "feed_kind" character varying(16)`);
    await q.query(`ALTER TABLE "change_log" ADD "feed_op" character varying(16)`);
    await q.query(FILL);
    await q.query(`CREATE TRIGGER "tr_change_log_credit_feed" BEFORE INSERT OR UPDATE ON "change_log"
      FOR EACH ROW WHEN (NEW.record_type = 'CREDIT_RECORD') EXECUTE FUNCTION hub_credit_feed_fill()`);
    // The changes already logged: the trigger fills them as they are rewritten.
    await q.query(`UPDATE "change_log" SET "entry" = NULL WHERE "record_type" = 'CREDIT_RECORD'`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "tr_change_log_credit_feed" ON "change_log"`);
    await q.query(`DROP FUNCTION hub_credit_feed_fill()`);
    await q.query(`ALTER TABLE "change_log" DROP COLUMN "feed_op"`);
    await q.query(`ALTER TABLE "change_log" DROP COLUMN "feed_kind"`);
    await q.query(`ALTER TABLE "change_log" DROP COLUMN "entry"`);
  }
}
