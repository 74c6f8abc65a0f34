import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Early-warning alerts (issue 17). One row is one episode: a condition (kind, station, parameter)
 * that held for one or more periods, from `first_period_start` to `last_period_start`, while the
 * alert was not resolved; the partial unique index keeps one unresolved episode per condition, so
 * re-evaluating the same data changes nothing. `audience` holds the districts downstream that the
 * alert reaches besides its owner. `alert_evaluation` records how far the rules have looked at each
 * station's observations (the evaluation lag metric).
 */
export class Alerts1800000000000 implements MigrationInterface {
  name = 'Alerts1800000000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "alert" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "kind" varchar(32) NOT NULL,
      "level" varchar(8) NOT NULL,
      "level_rank" smallint NOT NULL,
      "status" varchar(16) NOT NULL DEFAULT 'OPEN',
      "station_id" uuid NOT NULL REFERENCES "monitoring_station"("id") ON DELETE CASCADE,
      "station_code" varchar(32) NOT NULL,
      "owner_jurisdiction" varchar(16) NOT NULL,
      "audience" varchar(16)[] NOT NULL DEFAULT '{}',
      "catalog_resource_code" varchar(24) NOT NULL,
      "parameter" varchar(16),
      "period" varchar(4) NOT NULL,
      "episode_key" varchar(160) NOT NULL,
      "first_period_start" timestamptz NOT NULL,
      "last_period_start" timestamptz NOT NULL,
      "values" jsonb NOT NULL,
      "message" text NOT NULL,
      "rules_version" varchar(40) NOT NULL,
      "raised_at" timestamptz NOT NULL DEFAULT now(),
      "updated_at" timestamptz NOT NULL DEFAULT now(),
      "due_at" timestamptz,
      "escalated_at" timestamptz,
      "acknowledged_at" timestamptz,
      "acknowledged_by" varchar(120),
      "acknowledgement_note" text,
      "resolved_at" timestamptz,
      "resolved_by" varchar(120),
      "verification_result" varchar(24),
      "resolution_note" text,
      CONSTRAINT "ck_alert_status" CHECK ("status" IN ('OPEN', 'ACKNOWLEDGED', 'RESOLVED')),
      CONSTRAINT "ck_alert_level" CHECK ("level" IN ('BLUE', 'YELLOW', 'ORANGE', 'RED')),
      CONSTRAINT "ck_alert_period" CHECK ("period" IN ('HOUR', 'DAY')),
      CONSTRAINT "ck_alert_resolved" CHECK (("status" = 'RESOLVED') = ("resolved_at" IS NOT NULL)),
      CONSTRAINT "ck_alert_acknowledged" CHECK ("status" = 'OPEN' OR "acknowledged_at" IS NOT NULL)
    )`);
    await q.query(`CREATE UNIQUE INDEX "uq_alert_open_episode" ON "alert" ("episode_key") WHERE "status" <> 'RESOLVED'`);
    await q.query(`CREATE INDEX "ix_alert_owner_raised" ON "alert" ("owner_jurisdiction", "raised_at" DESC, "id" DESC)`);
    await q.query(`CREATE INDEX "ix_alert_raised" ON "alert" ("raised_at" DESC, "id" DESC)`);
    await q.query(`CREATE INDEX "ix_alert_due" ON "alert" ("due_at") WHERE "status" <> 'RESOLVED' AND "due_at" IS NOT NULL`);
    await q.query(`CREATE INDEX "ix_alert_episode" ON "alert" ("episode_key", "last_period_start")`);
    await q.query(`CREATE TABLE "alert_evaluation" (
      "station_id" uuid PRIMARY KEY REFERENCES "monitoring_station"("id") ON DELETE CASCADE,
      "evaluated_through" timestamptz NOT NULL,
      "evaluated_at" timestamptz NOT NULL DEFAULT now()
    )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "alert_evaluation"`);
    await q.query(`DROP TABLE "alert"`);
  }
}
