import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks (issue 17 item 5, issue 15 item 6): an agency's registrations, the alert outbox and the
 * log of every delivery attempt.
 *
 * The outbox is filled by a trigger on `alert`, in the transaction that raises or changes the
 * alert, one row per active registration whose topic and cheap filters (kinds, levels, station)
 * match: an alert change is queued exactly when it commits, and a restart loses nothing because the
 * queue is a table, not the NOTIFY that the live subscriptions hear. Who may read the alert is
 * decided when the row is delivered (the policy needs the catalog's terms, held by the hub), so the
 * trigger knows no rule of the policy.
 *
 * Credit-feed registrations need no outbox: the feed's entries are already a durable, commit-ordered
 * log (change_log.seq), so a registration keeps its acknowledged cursor (`feed_cursor`) and, while a
 * batch is being retried, that batch's last seq (`feed_batch_to`), so a retry sends the same batch.
 */
export class Webhooks1803000000000 implements MigrationInterface {
  name = 'Webhooks1803000000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "webhook" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "owner_org" varchar(64) NOT NULL,
      "owner_sub" varchar(128) NOT NULL,
      "owner_jurisdiction" varchar(16) NOT NULL,
      "owner_roles" varchar(32)[] NOT NULL,
      "purpose" varchar(32),
      "url" varchar(2048) NOT NULL,
      "topics" varchar(32)[] NOT NULL,
      "description" varchar(200),
      "alert_kinds" varchar(32)[],
      "alert_levels" varchar(16)[],
      "station_code" varchar(64),
      "feed_filter" jsonb,
      "secret" varchar(128) NOT NULL,
      "status" varchar(16) NOT NULL DEFAULT 'ACTIVE' CHECK ("status" IN ('ACTIVE', 'DISABLED', 'FAILED')),
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "updated_at" timestamptz NOT NULL DEFAULT now(),
      "feed_cursor" bigint NOT NULL DEFAULT 0,
      "feed_batch_to" bigint,
      "feed_attempts" int NOT NULL DEFAULT 0,
      "next_attempt_at" timestamptz NOT NULL DEFAULT now(),
      "lease_token" uuid,
      "lease_until" timestamptz,
      "last_error" text
    )`);
    await q.query(`CREATE INDEX "webhook_owner_org" ON "webhook" ("owner_org", "created_at")`);
    await q.query(`CREATE TABLE "webhook_outbox" (
      "id" bigserial PRIMARY KEY,
      "event_id" uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
      "webhook_id" uuid NOT NULL REFERENCES "webhook" ("id") ON DELETE CASCADE,
      "topic" varchar(32) NOT NULL,
      "change" varchar(16) NOT NULL,
      "subject_id" uuid NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "state" varchar(16) NOT NULL DEFAULT 'PENDING' CHECK ("state" IN ('PENDING', 'DELIVERED', 'FAILED')),
      "attempts" int NOT NULL DEFAULT 0,
      "next_attempt_at" timestamptz NOT NULL DEFAULT now(),
      "lease_token" uuid,
      "lease_until" timestamptz,
      "finished_at" timestamptz
    )`);
    await q.query(`CREATE INDEX "webhook_outbox_due" ON "webhook_outbox" ("next_attempt_at", "id") WHERE "state" = 'PENDING'`);
    await q.query(`CREATE INDEX "webhook_outbox_webhook" ON "webhook_outbox" ("webhook_id")`);
    await q.query(`CREATE INDEX "webhook_outbox_finished" ON "webhook_outbox" ("finished_at") WHERE "state" <> 'PENDING'`);
    await q.query(`CREATE TABLE "webhook_delivery" (
      "id" bigserial PRIMARY KEY,
      "webhook_id" uuid NOT NULL REFERENCES "webhook" ("id") ON DELETE CASCADE,
      "event_id" varchar(100) NOT NULL,
      "topic" varchar(32) NOT NULL,
      "change" varchar(16),
      "subject" varchar(100) NOT NULL,
      "attempt" int NOT NULL,
      "attempted_at" timestamptz NOT NULL DEFAULT now(),
      "status_code" int,
      "error" varchar(500),
      "duration_ms" int NOT NULL,
      "outcome" varchar(16) NOT NULL CHECK ("outcome" IN ('DELIVERED', 'RETRYING', 'FAILED'))
    )`);
    await q.query(`CREATE INDEX "webhook_delivery_webhook" ON "webhook_delivery" ("webhook_id", "id" DESC)`);
    await q.query(`CREATE INDEX "webhook_delivery_attempted" ON "webhook_delivery" ("attempted_at")`);
    await q.query(`CREATE FUNCTION hub_webhook_alert_outbox() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  ch varchar;
  tp varchar;
BEGIN
  IF TG_OP = 'INSERT' THEN ch := 'RAISED';
  ELSIF NEW.status IS DISTINCT FROM OLD.status THEN ch := NEW.status;
  ELSIF NEW.escalated_at IS DISTINCT FROM OLD.escalated_at THEN ch := 'ESCALATED';
  ELSE ch := 'UPDATED';
  END IF;
  tp := CASE WHEN ch = 'RAISED' THEN 'ALERT_RAISED' ELSE 'ALERT_CHANGED' END;
  INSERT INTO webhook_outbox (webhook_id, topic, change, subject_id)
  SELECT w.id, tp, ch, NEW.id FROM webhook w
  WHERE w.status = 'ACTIVE' AND tp = ANY(w.topics)
    AND (w.alert_kinds IS NULL OR NEW.kind = ANY(w.alert_kinds))
    AND (w.alert_levels IS NULL OR NEW.level = ANY(w.alert_levels))
    AND (w.station_code IS NULL OR w.station_code = NEW.station_code);
  RETURN NULL;
END $fn$`);
    await q.query(`CREATE TRIGGER "alert_webhook_outbox" AFTER INSERT OR UPDATE ON "alert" FOR EACH ROW EXECUTE FUNCTION hub_webhook_alert_outbox()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER IF EXISTS "alert_webhook_outbox" ON "alert"');
    await q.query('DROP FUNCTION IF EXISTS hub_webhook_alert_outbox()');
    await q.query('DROP TABLE IF EXISTS "webhook_delivery"');
    await q.query('DROP TABLE IF EXISTS "webhook_outbox"');
    await q.query('DROP TABLE IF EXISTS "webhook"');
  }
}
