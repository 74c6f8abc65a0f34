import { MigrationInterface, QueryRunner } from 'typeorm';

/** The aggregate trigger function as this migration made it (ObservationAggregateUpsert1809000000000 restores it in `down`). */
export const AFTER_WRITE = `CREATE FUNCTION observation_after_write() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE s uuid; horizon timestamptz;
      BEGIN
        IF TG_OP = 'INSERT' THEN
          -- New rows only add to their hours and days: counts and sums grow, maxima rise, and a
          -- time is a new sample when every N-flag row the station has at that time is new.
          FOR s IN SELECT DISTINCT station_id FROM observation_new ORDER BY 1 LOOP
            PERFORM pg_advisory_xact_lock(1796800, hashtext(s::text));
          END LOOP;
          SELECT raw_from INTO horizon FROM observation_storage;
          INSERT INTO observation_hourly AS a (station_id, hour_start, parameter, interval, n_total, n_valid, sum_valid, max_valid)
            SELECT station_id, date_trunc('hour', observed_at, 'UTC'), parameter, interval, count(*), count(*) FILTER (WHERE flag = 'N'),
              sum(value) FILTER (WHERE flag = 'N'), max(value) FILTER (WHERE flag = 'N')
            FROM observation_new WHERE observed_at >= horizon GROUP BY 1, 2, 3, 4
            ON CONFLICT (station_id, hour_start, parameter, interval) DO UPDATE SET
              n_total = a.n_total + EXCLUDED.n_total, n_valid = a.n_valid + EXCLUDED.n_valid,
              sum_valid = CASE WHEN a.sum_valid IS NULL THEN EXCLUDED.sum_valid WHEN EXCLUDED.sum_valid IS NULL THEN a.sum_valid ELSE a.sum_valid + EXCLUDED.sum_valid END,
              max_valid = greatest(a.max_valid, EXCLUDED.max_valid);
          INSERT INTO observation_daily AS a (station_id, day, parameter, interval, n_total, n_valid, sum_valid, max_valid)
            SELECT station_id, (observed_at AT TIME ZONE 'Asia/Shanghai')::date, parameter, interval, count(*), count(*) FILTER (WHERE flag = 'N'),
              sum(value) FILTER (WHERE flag = 'N'), max(value) FILTER (WHERE flag = 'N')
            FROM observation_new WHERE observed_at >= horizon GROUP BY 1, 2, 3, 4
            ON CONFLICT (station_id, day, parameter, interval) DO UPDATE SET
              n_total = a.n_total + EXCLUDED.n_total, n_valid = a.n_valid + EXCLUDED.n_valid,
              sum_valid = CASE WHEN a.sum_valid IS NULL THEN EXCLUDED.sum_valid WHEN EXCLUDED.sum_valid IS NULL THEN a.sum_valid ELSE a.sum_valid + EXCLUDED.sum_valid END,
              max_valid = greatest(a.max_valid, EXCLUDED.max_valid);
          WITH n AS (
              SELECT station_id, observed_at, count(*) FILTER (WHERE flag = 'N') AS k FROM observation_new WHERE observed_at >= horizon GROUP BY 1, 2
            ),
            f AS (
              SELECT n.station_id, n.observed_at,
                n.k > 0 AND n.k = (SELECT count(*) FROM observation o WHERE o.station_id = n.station_id AND o.observed_at = n.observed_at AND o.flag = 'N') AS fresh
              FROM n
            ),
            hs AS (
              INSERT INTO observation_hourly_samples AS a (station_id, hour_start, samples)
                SELECT station_id, date_trunc('hour', observed_at, 'UTC'), count(*) FILTER (WHERE fresh) FROM f GROUP BY 1, 2
                ON CONFLICT (station_id, hour_start) DO UPDATE SET samples = a.samples + EXCLUDED.samples
            )
          INSERT INTO observation_daily_samples AS a (station_id, day, samples)
            SELECT station_id, (observed_at AT TIME ZONE 'Asia/Shanghai')::date, count(*) FILTER (WHERE fresh) FROM f GROUP BY 1, 2
            ON CONFLICT (station_id, day) DO UPDATE SET samples = a.samples + EXCLUDED.samples;
        ELSIF TG_OP = 'UPDATE' THEN
          PERFORM observation_refresh_aggregates(array_agg(station_id), array_agg(hour_start))
            FROM (SELECT station_id, date_trunc('hour', observed_at, 'UTC') AS hour_start FROM observation_new
                  UNION SELECT station_id, date_trunc('hour', observed_at, 'UTC') FROM observation_old) d HAVING count(*) > 0;
        ELSE
          PERFORM observation_refresh_aggregates(array_agg(station_id), array_agg(hour_start))
            FROM (SELECT DISTINCT station_id, date_trunc('hour', observed_at, 'UTC') AS hour_start FROM observation_old) d HAVING count(*) > 0;
        END IF;
        RETURN NULL;
      END $$`;

/**
 * Observation storage at scale (issue 17, item 6).
 *
 * 1. `observation` becomes a table partitioned by month of `observed_at` (months of China Standard
 *    Time, the zone's clock, so a local month is one partition), with a DEFAULT partition that
 *    takes any row no monthly partition covers: an out-of-range time is never refused or lost. The
 *    table keeps its name, columns, unique key (station, parameter, time) and (station, time)
 *    index, so every reader's SQL is unchanged; the primary key becomes (id, observed_at), as a
 *    partitioned table's keys must hold the partition column. Existing rows are copied over.
 * 2. Hourly and daily aggregates per (station, parameter, interval) — counts of all and of N-flag
 *    values, the sum and maximum of the N-flag values — and per station the number of distinct
 *    N-flag times. Statement-level triggers with transition tables recompute the hours a statement
 *    touched from the raw rows, then their days from the hours, in the writer's transaction; so
 *    every writer (HJ 212 ingest, seed, import, a plain SQL insert) keeps them current.
 * 3. `observation_storage` holds `raw_from`: the start of the oldest raw month the retention job
 *    has not dropped. Hours before it are no longer recomputed (their raw rows are gone), so
 *    aggregates of dropped months stay as they were.
 *
 * Monthly partitions are made by the hub (`src/modules/monitoring/observation-storage.ts`); this
 * migration makes those covering the rows already stored and the months just ahead.
 */
export class ObservationPartitions1796800000000 implements MigrationInterface {
  name = 'ObservationPartitions1796800000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "observation" RENAME TO "observation_unpartitioned"`);
    await q.query(`ALTER TABLE "observation_unpartitioned" DROP CONSTRAINT "uq_observation_station_parameter_time"`);
    await q.query(`DROP INDEX "ix_observation_station_time"`);
    await q.query(`ALTER TABLE "observation_unpartitioned" DROP CONSTRAINT "FK_8a91c787a37c4288b7d9fe8d2a8"`);
    await q.query(`CREATE TABLE "observation" (
      "id" bigint NOT NULL DEFAULT nextval('observation_id_seq'),
      "station_id" uuid NOT NULL, "parameter" character varying(16) NOT NULL, "observed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "interval" character varying(16) NOT NULL, "value" numeric NOT NULL, "unit" character varying(16) NOT NULL, "flag" character(1) NOT NULL,
      CONSTRAINT "pk_observation" PRIMARY KEY ("id", "observed_at"),
      CONSTRAINT "uq_observation_station_parameter_time" UNIQUE ("station_id", "parameter", "observed_at"),
      CONSTRAINT "fk_observation_station" FOREIGN KEY ("station_id") REFERENCES "monitoring_station"("id") ON DELETE CASCADE
    ) PARTITION BY RANGE ("observed_at")`);
    await q.query(`CREATE INDEX "ix_observation_station_time" ON "observation" ("station_id", "observed_at", "parameter")`);
    await q.query(`ALTER SEQUENCE "observation_id_seq" OWNED BY "observation"."id"`);
    await q.query(`CREATE TABLE "observation_default" PARTITION OF "observation" DEFAULT`);
    // One partition per month from the oldest stored row's month to three months ahead of now.
    await q.query(`DO $$
      DECLARE m date; last date;
      BEGIN
        SELECT coalesce(date_trunc('month', min(observed_at) AT TIME ZONE 'Asia/Shanghai')::date, date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai')::date)
          INTO m FROM observation_unpartitioned;
        last := greatest(date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai')::date,
          coalesce((SELECT date_trunc('month', max(observed_at) AT TIME ZONE 'Asia/Shanghai')::date FROM observation_unpartitioned), m)) + interval '3 months';
        WHILE m <= last LOOP
          EXECUTE format('CREATE TABLE %I PARTITION OF observation FOR VALUES FROM (%L) TO (%L)',
            'observation_p' || to_char(m, 'YYYYMM'), m::timestamp AT TIME ZONE 'Asia/Shanghai', (m + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai');
          m := m + interval '1 month';
        END LOOP;
      END $$`);
    await q.query(`INSERT INTO "observation" SELECT "id", "station_id", "parameter", "observed_at", "interval", "value", "unit", "flag" FROM "observation_unpartitioned"`);
    await q.query(`DROP TABLE "observation_unpartitioned"`);

    await q.query(`CREATE TABLE "observation_hourly" (
      "station_id" uuid NOT NULL REFERENCES "monitoring_station"("id") ON DELETE CASCADE,
      "hour_start" TIMESTAMP WITH TIME ZONE NOT NULL, "parameter" character varying(16) NOT NULL, "interval" character varying(16) NOT NULL,
      "n_total" integer NOT NULL, "n_valid" integer NOT NULL, "sum_valid" numeric, "max_valid" numeric,
      CONSTRAINT "pk_observation_hourly" PRIMARY KEY ("station_id", "hour_start", "parameter", "interval"))`);
    await q.query(`CREATE TABLE "observation_daily" (
      "station_id" uuid NOT NULL REFERENCES "monitoring_station"("id") ON DELETE CASCADE,
      "day" date NOT NULL, "parameter" character varying(16) NOT NULL, "interval" character varying(16) NOT NULL,
      "n_total" integer NOT NULL, "n_valid" integer NOT NULL, "sum_valid" numeric, "max_valid" numeric,
      CONSTRAINT "pk_observation_daily" PRIMARY KEY ("station_id", "day", "parameter", "interval"))`);
    await q.query(`CREATE TABLE "observation_hourly_samples" (
      "station_id" uuid NOT NULL REFERENCES "monitoring_station"("id") ON DELETE CASCADE,
      "hour_start" TIMESTAMP WITH TIME ZONE NOT NULL, "samples" integer NOT NULL,
      CONSTRAINT "pk_observation_hourly_samples" PRIMARY KEY ("station_id", "hour_start"))`);
    await q.query(`CREATE TABLE "observation_daily_samples" (
      "station_id" uuid NOT NULL REFERENCES "monitoring_station"("id") ON DELETE CASCADE,
      "day" date NOT NULL, "samples" integer NOT NULL,
      CONSTRAINT "pk_observation_daily_samples" PRIMARY KEY ("station_id", "day"))`);
    await q.query(`CREATE TABLE "observation_storage" ("only_row" boolean PRIMARY KEY DEFAULT true CHECK ("only_row"), "raw_from" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT '-infinity')`);
    await q.query(`INSERT INTO "observation_storage" DEFAULT VALUES`);

    // Recomputes the given (station, hour) buckets from the raw rows and then their days from the hours.
    await q.query(`CREATE FUNCTION observation_refresh_aggregates(p_station uuid[], p_hour timestamptz[]) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE s uuid; horizon timestamptz; hs uuid[]; hh timestamptz[]; ds uuid[]; dd date[];
      BEGIN
        -- One refresher per station at a time, in station order (no deadlock); each statement
        -- below then reads the rows committed by a writer that held the lock before.
        FOR s IN SELECT DISTINCT x FROM unnest(p_station) x ORDER BY 1 LOOP
          PERFORM pg_advisory_xact_lock(1796800, hashtext(s::text));
        END LOOP;
        SELECT raw_from INTO horizon FROM observation_storage;
        -- Hours whose raw month was dropped by retention are final.
        SELECT array_agg(station_id), array_agg(hour_start) INTO hs, hh
          FROM (SELECT DISTINCT u.station_id, u.hour_start FROM unnest(p_station, p_hour) u(station_id, hour_start) WHERE u.hour_start >= coalesce(horizon, '-infinity')) t;
        IF hs IS NULL THEN RETURN; END IF;
        SELECT array_agg(station_id), array_agg(day) INTO ds, dd
          FROM (SELECT DISTINCT u.station_id, (u.hour_start AT TIME ZONE 'Asia/Shanghai')::date AS day FROM unnest(hs, hh) u(station_id, hour_start)) t;

        DELETE FROM observation_hourly a USING unnest(hs, hh) b(station_id, hour_start) WHERE a.station_id = b.station_id AND a.hour_start = b.hour_start;
        INSERT INTO observation_hourly (station_id, hour_start, parameter, interval, n_total, n_valid, sum_valid, max_valid)
          SELECT b.station_id, b.hour_start, o.parameter, o.interval, count(*), count(*) FILTER (WHERE o.flag = 'N'),
            sum(o.value) FILTER (WHERE o.flag = 'N'), max(o.value) FILTER (WHERE o.flag = 'N')
          FROM unnest(hs, hh) b(station_id, hour_start) JOIN observation o
            ON o.station_id = b.station_id AND o.observed_at >= b.hour_start AND o.observed_at < b.hour_start + interval '1 hour'
          GROUP BY b.station_id, b.hour_start, o.parameter, o.interval;
        DELETE FROM observation_hourly_samples a USING unnest(hs, hh) b(station_id, hour_start) WHERE a.station_id = b.station_id AND a.hour_start = b.hour_start;
        INSERT INTO observation_hourly_samples (station_id, hour_start, samples)
          SELECT b.station_id, b.hour_start, count(DISTINCT o.observed_at) FILTER (WHERE o.flag = 'N')
          FROM unnest(hs, hh) b(station_id, hour_start) JOIN observation o
            ON o.station_id = b.station_id AND o.observed_at >= b.hour_start AND o.observed_at < b.hour_start + interval '1 hour'
          GROUP BY b.station_id, b.hour_start;

        -- The days (China Standard Time) of those hours, from their 24 hours.
        DELETE FROM observation_daily a USING unnest(ds, dd) b(station_id, day) WHERE a.station_id = b.station_id AND a.day = b.day;
        INSERT INTO observation_daily (station_id, day, parameter, interval, n_total, n_valid, sum_valid, max_valid)
          SELECT b.station_id, b.day, h.parameter, h.interval, sum(h.n_total), sum(h.n_valid), sum(h.sum_valid), max(h.max_valid)
          FROM unnest(ds, dd) b(station_id, day) JOIN observation_hourly h ON h.station_id = b.station_id
            AND h.hour_start >= (b.day::timestamp AT TIME ZONE 'Asia/Shanghai') AND h.hour_start < ((b.day + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
          GROUP BY b.station_id, b.day, h.parameter, h.interval;
        DELETE FROM observation_daily_samples a USING unnest(ds, dd) b(station_id, day) WHERE a.station_id = b.station_id AND a.day = b.day;
        INSERT INTO observation_daily_samples (station_id, day, samples)
          SELECT b.station_id, b.day, sum(h.samples)
          FROM unnest(ds, dd) b(station_id, day) JOIN observation_hourly_samples h ON h.station_id = b.station_id
            AND h.hour_start >= (b.day::timestamp AT TIME ZONE 'Asia/Shanghai') AND h.hour_start < ((b.day + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
          GROUP BY b.station_id, b.day;
      END $$`);
    await q.query(AFTER_WRITE);
    // The rows already stored: aggregated once, in bulk.
    await q.query(`INSERT INTO observation_hourly (station_id, hour_start, parameter, interval, n_total, n_valid, sum_valid, max_valid)
      SELECT station_id, date_trunc('hour', observed_at, 'UTC'), parameter, interval, count(*), count(*) FILTER (WHERE flag = 'N'),
        sum(value) FILTER (WHERE flag = 'N'), max(value) FILTER (WHERE flag = 'N')
      FROM observation GROUP BY 1, 2, 3, 4`);
    await q.query(`INSERT INTO observation_hourly_samples (station_id, hour_start, samples)
      SELECT station_id, date_trunc('hour', observed_at, 'UTC'), count(DISTINCT observed_at) FILTER (WHERE flag = 'N') FROM observation GROUP BY 1, 2`);
    await q.query(`INSERT INTO observation_daily (station_id, day, parameter, interval, n_total, n_valid, sum_valid, max_valid)
      SELECT station_id, (hour_start AT TIME ZONE 'Asia/Shanghai')::date, parameter, interval, sum(n_total), sum(n_valid), sum(sum_valid), max(max_valid)
      FROM observation_hourly GROUP BY 1, 2, 3, 4`);
    await q.query(`INSERT INTO observation_daily_samples (station_id, day, samples)
      SELECT station_id, (hour_start AT TIME ZONE 'Asia/Shanghai')::date, sum(samples) FROM observation_hourly_samples GROUP BY 1, 2`);
    await q.query(`CREATE TRIGGER observation_aggregates_insert AFTER INSERT ON observation REFERENCING NEW TABLE AS observation_new FOR EACH STATEMENT EXECUTE FUNCTION observation_after_write()`);
    await q.query(`CREATE TRIGGER observation_aggregates_update AFTER UPDATE ON observation REFERENCING OLD TABLE AS observation_old NEW TABLE AS observation_new FOR EACH STATEMENT EXECUTE FUNCTION observation_after_write()`);
    await q.query(`CREATE TRIGGER observation_aggregates_delete AFTER DELETE ON observation REFERENCING OLD TABLE AS observation_old FOR EACH STATEMENT EXECUTE FUNCTION observation_after_write()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER observation_aggregates_insert ON observation`);
    await q.query(`DROP TRIGGER observation_aggregates_update ON observation`);
    await q.query(`DROP TRIGGER observation_aggregates_delete ON observation`);
    await q.query(`DROP FUNCTION observation_after_write()`);
    await q.query(`DROP FUNCTION observation_refresh_aggregates(uuid[], timestamptz[])`);
    for (const t of ['observation_storage', 'observation_daily_samples', 'observation_hourly_samples', 'observation_daily', 'observation_hourly']) await q.query(`DROP TABLE "${t}"`);
    await q.query(`ALTER TABLE "observation" RENAME TO "observation_partitioned"`);
    await q.query(`ALTER TABLE "observation_partitioned" DROP CONSTRAINT "uq_observation_station_parameter_time"`);
    await q.query(`DROP INDEX "ix_observation_station_time"`);
    await q.query(`CREATE TABLE "observation" ("id" bigint NOT NULL DEFAULT nextval('observation_id_seq'), "station_id" uuid NOT NULL, "parameter" character varying(16) NOT NULL, "observed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "interval" character varying(16) NOT NULL, "value" numeric NOT NULL, "unit" character varying(16) NOT NULL, "flag" character(1) NOT NULL, CONSTRAINT "uq_observation_station_parameter_time" UNIQUE ("station_id", "parameter", "observed_at"), CONSTRAINT "PK_77a736edc631a400b788ce302cb" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_observation_station_time" ON "observation" ("station_id", "observed_at", "parameter")`);
    await q.query(`ALTER SEQUENCE "observation_id_seq" OWNED BY "observation"."id"`);
    await q.query(`INSERT INTO "observation" SELECT "id", "station_id", "parameter", "observed_at", "interval", "value", "unit", "flag" FROM "observation_partitioned"`);
    await q.query(`DROP TABLE "observation_partitioned"`);
    await q.query(`ALTER TABLE "observation" ADD CONSTRAINT "FK_8a91c787a37c4288b7d9fe8d2a8" FOREIGN KEY ("station_id") REFERENCES "monitoring_station"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }
}
