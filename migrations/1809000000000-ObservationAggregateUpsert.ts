import { MigrationInterface, QueryRunner } from 'typeorm';
import { AFTER_WRITE } from './1796800000000-ObservationPartitions';

/**
 * The aggregate triggers of `observation` (ObservationPartitions1796800000000) stay exact when one
 * statement both inserts and updates (or deletes) rows of an hour: `INSERT … ON CONFLICT DO
 * UPDATE`, or a `MERGE` with an insert and an update or delete action.
 *
 * Such a statement fires the AFTER UPDATE (and DELETE) statement trigger first and the AFTER
 * INSERT one last, each over its own transition tables. The UPDATE one recomputes the touched hours
 * from the raw rows, which by then hold the rows the statement inserted; the INSERT one then added
 * those rows to their hours and days once more: counts, sums and samples counted them twice.
 *
 * Now the UPDATE and DELETE branches note the (station, hour) pairs they recomputed in two
 * transaction-local settings (settings rather than a temporary table: nothing enters the catalog
 * per statement), and the INSERT branch leaves out its rows of those hours (their hours
 * and days are already exact); a BEFORE statement trigger empties the note at the start of every
 * statement, so a note never outlives the statement that made it. A plain INSERT (the HJ 212
 * batch writer's first statement, the seed, the importer) finds the note empty and adds its rows as
 * before; plain updates and deletes recompute as before.
 */
export class ObservationAggregateUpsert1809000000000 implements MigrationInterface {
  name = 'ObservationAggregateUpsert1809000000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION observation_before_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM set_config('hub.observation_exact_stations', '', true), set_config('hub.observation_exact_hours', '', true);
        RETURN NULL;
      END $$`);
    await q.query(`CREATE OR REPLACE FUNCTION observation_after_write() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE s uuid; horizon timestamptz; ts uuid[]; th timestamptz[]; te bigint[]; xs uuid[]; xh bigint[];
      BEGIN
        IF TG_OP = 'INSERT' THEN
          -- Hours an UPDATE or DELETE trigger of this very statement (an upsert, a MERGE) has just
          -- recomputed from the raw rows, this statement's new rows included: left out below.
          xs := nullif(current_setting('hub.observation_exact_stations', true), '')::uuid[];
          xh := nullif(current_setting('hub.observation_exact_hours', true), '')::bigint[];
          -- New rows only add to their hours and days: counts and sums grow, maxima rise, and a
          -- time is a new sample when every N-flag row the station has at that time is new.
          FOR s IN SELECT DISTINCT station_id FROM observation_new ORDER BY 1 LOOP
            PERFORM pg_advisory_xact_lock(1796800, hashtext(s::text));
          END LOOP;
          SELECT raw_from INTO horizon FROM observation_storage;
          INSERT INTO observation_hourly AS a (station_id, hour_start, parameter, interval, n_total, n_valid, sum_valid, max_valid)
            SELECT station_id, date_trunc('hour', observed_at, 'UTC'), parameter, interval, count(*), count(*) FILTER (WHERE flag = 'N'),
              sum(value) FILTER (WHERE flag = 'N'), max(value) FILTER (WHERE flag = 'N')
            FROM observation_new WHERE observed_at >= horizon
              AND (xs IS NULL OR (station_id, extract(epoch FROM date_trunc('hour', observed_at, 'UTC'))::bigint) NOT IN (SELECT * FROM unnest(xs, xh)))
            GROUP BY 1, 2, 3, 4
            ON CONFLICT (station_id, hour_start, parameter, interval) DO UPDATE SET
              n_total = a.n_total + EXCLUDED.n_total, n_valid = a.n_valid + EXCLUDED.n_valid,
              sum_valid = CASE WHEN a.sum_valid IS NULL THEN EXCLUDED.sum_valid WHEN EXCLUDED.sum_valid IS NULL THEN a.sum_valid ELSE a.sum_valid + EXCLUDED.sum_valid END,
              max_valid = greatest(a.max_valid, EXCLUDED.max_valid);
          INSERT INTO observation_daily AS a (station_id, day, parameter, interval, n_total, n_valid, sum_valid, max_valid)
            SELECT station_id, (observed_at AT TIME ZONE 'Asia/Shanghai')::date, parameter, interval, count(*), count(*) FILTER (WHERE flag = 'N'),
              sum(value) FILTER (WHERE flag = 'N'), max(value) FILTER (WHERE flag = 'N')
            FROM observation_new WHERE observed_at >= horizon
              AND (xs IS NULL OR (station_id, extract(epoch FROM date_trunc('hour', observed_at, 'UTC'))::bigint) NOT IN (SELECT * FROM unnest(xs, xh)))
            GROUP BY 1, 2, 3, 4
            ON CONFLICT (station_id, day, parameter, interval) DO UPDATE SET
              n_total = a.n_total + EXCLUDED.n_total, n_valid = a.n_valid + EXCLUDED.n_valid,
              sum_valid = CASE WHEN a.sum_valid IS NULL THEN EXCLUDED.sum_valid WHEN EXCLUDED.sum_valid IS NULL THEN a.sum_valid ELSE a.sum_valid + EXCLUDED.sum_valid END,
              max_valid = greatest(a.max_valid, EXCLUDED.max_valid);
          WITH n AS (
              SELECT station_id, observed_at, count(*) FILTER (WHERE flag = 'N') AS k FROM observation_new WHERE observed_at >= horizon
                AND (xs IS NULL OR (station_id, extract(epoch FROM date_trunc('hour', observed_at, 'UTC'))::bigint) NOT IN (SELECT * FROM unnest(xs, xh)))
              GROUP BY 1, 2
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
        ELSE
          IF TG_OP = 'UPDATE' THEN
            SELECT array_agg(station_id), array_agg(hour_start), array_agg(extract(epoch FROM hour_start)::bigint) INTO ts, th, te
              FROM (SELECT station_id, date_trunc('hour', observed_at, 'UTC') AS hour_start FROM observation_new
                    UNION SELECT station_id, date_trunc('hour', observed_at, 'UTC') FROM observation_old) d;
          ELSE
            SELECT array_agg(station_id), array_agg(hour_start), array_agg(extract(epoch FROM hour_start)::bigint) INTO ts, th, te
              FROM (SELECT DISTINCT station_id, date_trunc('hour', observed_at, 'UTC') AS hour_start FROM observation_old) d;
          END IF;
          IF ts IS NOT NULL THEN
            PERFORM observation_refresh_aggregates(ts, th);
            -- Noted for an INSERT trigger of the same statement (it fires after this one).
            PERFORM set_config('hub.observation_exact_stations',
                (coalesce(nullif(current_setting('hub.observation_exact_stations', true), '')::uuid[], '{}') || ts)::text, true),
              set_config('hub.observation_exact_hours',
                (coalesce(nullif(current_setting('hub.observation_exact_hours', true), '')::bigint[], '{}') || te)::text, true);
          END IF;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER observation_aggregates_before BEFORE INSERT OR UPDATE OR DELETE ON observation FOR EACH STATEMENT EXECUTE FUNCTION observation_before_write()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER observation_aggregates_before ON observation`);
    await q.query(`DROP FUNCTION observation_before_write()`);
    await q.query(AFTER_WRITE.replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION'));
  }
}
