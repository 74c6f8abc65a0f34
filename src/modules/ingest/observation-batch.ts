import type { DataSource, EntityManager } from 'typeorm';

/** One value of a batch, to be written as an observation; `packet` is its packet's position in the batch. */
export interface BatchValue {
  packet: number;
  stationId: string;
  parameter: string;
  observedAt: Date;
  interval: string;
  value: string;
  unit: string;
  flag: string;
}

const keyOf = (stationId: string, parameter: string, ms: number | string) => `${stationId}|${parameter}|${ms}`;

/**
 * Writes a batch's values (from many packets) as observations with ONE statement, whatever their
 * number: one multi-row `INSERT … ON CONFLICT DO UPDATE`, so the aggregate triggers on
 * `observation` (statement triggers over transition tables) run once for the batch, and the batch
 * is stored whole or not at all.
 *
 * The semantics are those of writing the packets one after another (docs/hj212-ingest.md): one
 * value per station, parameter and time; a value replaces the one there when its interval ranks as
 * high or higher in `precedence` (a re-sent packet replaces its own values, an hourly value is not
 * replaced by a minute). A statement may touch a row only once, so values of the batch that meet
 * on one key are settled here first, in order — the last of the highest rank goes to the database —
 * and the statement reads, in the same snapshot, the interval each key held before it, so every
 * value of the batch is told whether the packet-by-packet writes would have written it (`true`) or
 * whether it gave way to a value of higher rank (`false`, counted as superseded). A key the
 * statement did not write (the stored value outranks the batch's) is false for every value.
 *
 * Returns, per value in the order given, whether it was written.
 */
export async function writeObservations(db: DataSource | EntityManager, values: readonly BatchValue[], precedence: readonly string[]): Promise<boolean[]> {
  if (values.length === 0) return [];
  const rank = (interval: string) => precedence.indexOf(interval);
  // The values of each key, in batch order.
  const byKey = new Map<string, number[]>();
  for (const [i, v] of values.entries()) {
    const k = keyOf(v.stationId, v.parameter, v.observedAt.getTime());
    const list = byKey.get(k);
    if (list) list.push(i);
    else byKey.set(k, [i]);
  }
  // What goes to the database per key: the last value of the highest rank.
  const sent: BatchValue[] = [];
  for (const list of byKey.values()) {
    let best = list[0];
    for (const i of list) if (rank(values[i].interval) >= rank(values[best].interval)) best = i;
    sent.push(values[best]);
  }
  const col = <K extends keyof BatchValue>(k: K) => sent.map((v) => v[k]);
  const rows: Array<{ k: string; station_id: string; parameter: string; ms: string; interval: string | null }> = await db.query(
    `WITH x AS (
       SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::timestamptz[], $4::varchar[], $5::text[], $6::varchar[], $7::varchar[])
         AS x(station_id, parameter, observed_at, interval, value, unit, flag)
     ), prev AS (
       SELECT o.station_id, o.parameter, o.observed_at, o.interval::varchar AS interval
       FROM observation o JOIN x ON o.station_id = x.station_id AND o.parameter = x.parameter AND o.observed_at = x.observed_at
     ), written AS (
       INSERT INTO observation (station_id, parameter, observed_at, interval, value, unit, flag)
       SELECT x.station_id, x.parameter, x.observed_at, x.interval, x.value::numeric, x.unit, x.flag FROM x
       ON CONFLICT (station_id, parameter, observed_at) DO UPDATE
         SET interval = EXCLUDED.interval, value = EXCLUDED.value, unit = EXCLUDED.unit, flag = EXCLUDED.flag
         WHERE array_position($8::varchar[], observation.interval::varchar) <= array_position($8::varchar[], EXCLUDED.interval::varchar)
       RETURNING station_id, parameter, observed_at
     )
     SELECT 'p' AS k, station_id::text AS station_id, parameter, (extract(epoch FROM observed_at) * 1000)::bigint::text AS ms, interval FROM prev
     UNION ALL
     SELECT 'w' AS k, station_id::text AS station_id, parameter, (extract(epoch FROM observed_at) * 1000)::bigint::text AS ms, NULL AS interval FROM written`,
    [col('stationId'), col('parameter'), sent.map((v) => v.observedAt.toISOString()), col('interval'), col('value'), col('unit'), col('flag'), [...precedence]],
  );
  const before = new Map<string, string>();
  const written = new Set<string>();
  for (const r of rows) {
    const k = keyOf(r.station_id, r.parameter, r.ms);
    if (r.k === 'p') before.set(k, String(r.interval));
    else written.add(k);
  }
  const out = values.map(() => false);
  for (const [k, list] of byKey) {
    if (!written.has(k)) continue;
    // As if written one after another: a value is written when it ranks as high as what the key holds by then.
    let held = before.has(k) ? rank(before.get(k)!) : -1;
    for (const i of list) {
      const r = rank(values[i].interval);
      if (r >= held) {
        out[i] = true;
        held = r;
      }
    }
  }
  return out;
}
