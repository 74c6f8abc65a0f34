import type { DataSource } from 'typeorm';

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
 * Writes a batch's values (from many packets) as observations with ONE INSERT, whatever their
 * number, so the aggregate triggers on `observation` (statement triggers over transition tables)
 * run once for the batch; in one transaction, so the batch is stored whole or not at all.
 *
 * The semantics are those of writing the packets one after another (docs/hj212-ingest.md): one
 * value per station, parameter and time; a value replaces the one there when its interval ranks as
 * high or higher in `precedence` (a re-sent packet replaces its own values, an hourly value is not
 * replaced by a minute). A statement may touch a row only once, so values of the batch that meet
 * on one key are settled here first, in order — the last of the highest rank goes to the database.
 *
 * New keys are inserted (`ON CONFLICT DO NOTHING`); only when some keys are already stored (a
 * re-sent packet, a value meeting another interval) does a second statement update those, reading
 * in its own snapshot the interval each held before. Two statements, not one `ON CONFLICT DO
 * UPDATE`, first because such a statement double-counted the aggregates (its UPDATE statement
 * trigger recomputed the touched hours, new rows included, before its INSERT trigger added them
 * again); migration ObservationAggregateUpsert1809000000000 fixed that, and a batch of new packets,
 * the usual case, stays one plain INSERT.
 *
 * Returns, per value in the order given, whether the packet-by-packet writes would have written it
 * (`true`) or whether it gave way to a value of higher rank (`false`, counted as superseded). A key
 * the update did not write (the stored value outranks the batch's) is false for every value.
 */
export async function writeObservations(ds: DataSource, values: readonly BatchValue[], precedence: readonly string[]): Promise<boolean[]> {
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
  const sent = new Map<string, BatchValue>();
  for (const [k, list] of byKey) {
    let best = list[0];
    for (const i of list) if (rank(values[i].interval) >= rank(values[best].interval)) best = i;
    sent.set(k, values[best]);
  }
  const params = (vs: BatchValue[]) => [
    vs.map((v) => v.stationId), vs.map((v) => v.parameter), vs.map((v) => v.observedAt.toISOString()), vs.map((v) => v.interval),
    vs.map((v) => v.value), vs.map((v) => v.unit), vs.map((v) => v.flag),
  ];
  const X = `SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::timestamptz[], $4::varchar[], $5::text[], $6::varchar[], $7::varchar[])
    AS x(station_id, parameter, observed_at, interval, value, unit, flag)`;
  const KEY = `station_id::text AS station_id, parameter, (extract(epoch FROM observed_at) * 1000)::bigint::text AS ms`;
  type KeyRow = { station_id: string; parameter: string; ms: string };

  const before = new Map<string, string>();
  const written = new Set<string>();
  await ds.transaction(async (m) => {
    const all = [...sent.values()];
    const inserted: KeyRow[] = await m.query(
      `INSERT INTO observation (station_id, parameter, observed_at, interval, value, unit, flag)
       SELECT x.station_id, x.parameter, x.observed_at, x.interval, x.value::numeric, x.unit, x.flag FROM (${X}) x
       ON CONFLICT (station_id, parameter, observed_at) DO NOTHING
       RETURNING ${KEY}`, params(all));
    for (const r of inserted) written.add(keyOf(r.station_id, r.parameter, r.ms));
    const stored = [...sent].filter(([k]) => !written.has(k)).map(([, v]) => v);
    if (stored.length === 0) return;
    const rows: Array<KeyRow & { k: string; interval: string | null }> = await m.query(
      `WITH x AS (${X}),
       prev AS (
         SELECT o.station_id, o.parameter, o.observed_at, o.interval::varchar AS interval
         FROM observation o JOIN x ON o.station_id = x.station_id AND o.parameter = x.parameter AND o.observed_at = x.observed_at
       ), updated AS (
         UPDATE observation o SET interval = x.interval, value = x.value::numeric, unit = x.unit, flag = x.flag
         FROM x
         WHERE o.station_id = x.station_id AND o.parameter = x.parameter AND o.observed_at = x.observed_at
           AND array_position($8::varchar[], o.interval::varchar) <= array_position($8::varchar[], x.interval::varchar)
         RETURNING o.station_id, o.parameter, o.observed_at
       )
       SELECT 'p' AS k, ${KEY}, interval FROM prev
       UNION ALL
       SELECT 'w' AS k, ${KEY}, NULL AS interval FROM updated`,
      [...params(stored), [...precedence]]);
    for (const r of rows) {
      const k = keyOf(r.station_id, r.parameter, r.ms);
      if (r.k === 'p') before.set(k, String(r.interval));
      else written.add(k);
    }
  });
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
