import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Compliance reminders to webhooks (issue 17 item 5): the `COMPLIANCE_REMINDER` topic, queued the
 * way alerts are (migration Webhooks1803000000000). A statement trigger on `compliance_reminder`
 * inserts one `webhook_outbox` row per filed reminder and active registration holding the topic,
 * in the transaction that files the reminders: the event is queued exactly when the reminder
 * commits, and a restart loses nothing. Who may read the reminder is decided when the row is
 * delivered (the policy needs the catalog's terms and grants, held by the hub), so the trigger
 * knows no rule of the policy. One statement files a pass's reminders, so the trigger runs once
 * per pass, over its transition table.
 */
export class ReminderWebhooks1808000000000 implements MigrationInterface {
  name = 'ReminderWebhooks1808000000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION hub_webhook_reminder_outbox() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO webhook_outbox (webhook_id, topic, change, subject_id)
  SELECT w.id, 'COMPLIANCE_REMINDER', 'CREATED', n.id
  FROM filed n CROSS JOIN webhook w
  WHERE w.status = 'ACTIVE' AND 'COMPLIANCE_REMINDER' = ANY(w.topics)
  ORDER BY n.created_at, n.id, w.id;
  RETURN NULL;
END $fn$`);
    await q.query(`CREATE TRIGGER "compliance_reminder_webhook_outbox" AFTER INSERT ON "compliance_reminder"
      REFERENCING NEW TABLE AS filed FOR EACH STATEMENT EXECUTE FUNCTION hub_webhook_reminder_outbox()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER IF EXISTS "compliance_reminder_webhook_outbox" ON "compliance_reminder"');
    await q.query('DROP FUNCTION IF EXISTS hub_webhook_reminder_outbox()');
  }
}
