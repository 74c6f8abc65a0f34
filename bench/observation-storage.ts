import net from 'node:net';
import type { Pool } from 'pg';
import { buildPacket } from '../src/domain/standards/hj212';
import { DEMO_DEVICE_PW, hashDevicePassword } from '../src/modules/ingest';
import { percentile } from './load';
import { STORAGE_QUERIES, StorageQuery } from './operations';

/**
 * The observation-storage part of the bench (issue 17 item 6):
 *
 * - a month of minute data for 100 pollution-source outlets (`BENCH-OUT-001`…), written through
 *   the partitioned table and its aggregate triggers, and the same rows in a plain table
 *   (`observation_plain_bench`, one table with the same keys and indexes) as the baseline;
 * - the month's reads (daily means of all 100 outlets, one outlet's month, one outlet's hours)
 *   from the aggregates, from the partitioned raw rows, and from the plain table;
 * - the ingest rate of HJ 212 minute packets (10 parameters each) through `POST /ingest/hj212`
 *   and through the TCP listener, one packet per outlet and minute.
 *
 * The scale sets the parameters per outlet in the month (10 at scale 1: 44.6 million rows; 1 at
 * 0.1); the outlets and the month stay whole.
 */

export const OUTLETS = 100;
/** The month of the query data (China Standard Time), and the month the ingest runs write into. */
export const QUERY_MONTH = { from: '2026-08-01', to: '2026-09-01' };
const INGEST_MONTH_START = '2026-09-01T00:00:00+08:00';
const PARAMETERS = ['w01018', 'w21003', 'w21011', 'w21001', 'w01001', 'w00000', 'w01009', 'w01010', 'w01014', 'w01019'];
const UNITS: Record<string, string> = { w01001: '无量纲', w00000: 'L/s', w01010: '℃', w01014: 'μS/cm' };

export interface StorageBenchResult {
  outlets: number;
  parametersInMonth: number;
  month: string;
  monthRows: number;
  loadSeconds: number | null;
  ingest: IngestRate[];
  queries: Array<{ id: string; title: string; rows: number; aggregates: Latency; partitionedRaw: Latency; plain: Latency; plainOverAggregates: number; plainOverPartitionedRaw: number }>;
}

export interface IngestRate {
  transport: 'http' | 'tcp';
  /** Packets per request (HTTP) or sent at once per connection before waiting for the replies (TCP); absent in older results (100 over HTTP, a minute's share over TCP). */
  packetsPerSend?: number;
  connections: number;
  seconds: number;
  packets: number;
  rows: number;
  packetsPerSecond: number;
  rowsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
}

export interface Latency {
  runs: number;
  p50: number;
  p95: number;
  mean: number;
}

type Log = (line: string) => void;

const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;
const mnOf = (i: number) => `BENCHOUT${String(i).padStart(16, '0')}`;
const codeOf = (i: number) => `BENCH-OUT-${String(i).padStart(3, '0')}`;

/** The bench outlets (registered loggers, PW 123456) and their month of minute data, made once per database. */
export async function prepareStorageData(pool: Pool, scale: number, log: Log, days = 31): Promise<{ ids: string[]; parameters: number; rows: number; loadSeconds: number | null }> {
  const parameters = Math.max(1, Math.min(PARAMETERS.length, Math.round(10 * scale)));
  const ids = await prepareOutlets(pool);
  return monthOfData(pool, ids, parameters, log, days);
}

/** The bench outlets (`BENCH-OUT-001`…, registered loggers with PW 123456, pollution sources of Wujiang), made once per database; their ids in code order. */
export async function prepareOutlets(pool: Pool): Promise<string[]> {
  const pwHash = await hashDevicePassword(DEMO_DEVICE_PW);
  const codes = Array.from({ length: OUTLETS }, (_, i) => codeOf(i + 1));
  await pool.query(
    `INSERT INTO monitoring_station (owner_jurisdiction, source_system, source_record_id, source_as_of, code, name, kind, catalog_resource_code, mn, pw_hash)
     SELECT 'WUJIANG', 'bench', c, now(), c, 'bench outlet ' || c, 'POLLUTION_SOURCE',
       (SELECT catalog_resource_code FROM monitoring_station WHERE kind = 'POLLUTION_SOURCE' ORDER BY code LIMIT 1), m, $3
     FROM unnest($1::varchar[], $2::varchar[]) AS u(c, m)
     ON CONFLICT (code) DO NOTHING`,
    [codes, codes.map((_, i) => mnOf(i + 1)), pwHash],
  );
  const { rows: st } = await pool.query<{ id: string }>('SELECT id FROM monitoring_station WHERE code = ANY($1) ORDER BY code', [codes]);
  return st.map((r) => r.id);
}

/** The month of query data, written once per database. */
async function monthOfData(pool: Pool, ids: string[], parameters: number, log: Log, days: number): Promise<{ ids: string[]; parameters: number; rows: number; loadSeconds: number | null }> {
  const expected = OUTLETS * parameters * days * 1440;
  const monthCount = async (table: string) => Number((await pool.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM ${table} WHERE station_id = ANY($1) AND observed_at >= ($2::date::timestamp AT TIME ZONE 'Asia/Shanghai')
       AND observed_at < ($3::date::timestamp AT TIME ZONE 'Asia/Shanghai')`, [ids, QUERY_MONTH.from, QUERY_MONTH.to])).rows[0].n);
  const plainExists = (await pool.query<{ t: string | null }>(`SELECT to_regclass('observation_plain_bench')::text AS t`)).rows[0].t !== null;
  if ((await monthCount('observation')) === expected && plainExists && (await monthCount('observation_plain_bench')) === expected) {
    log(`storage data: reusing ${expected.toLocaleString('en-US')} minute rows (${OUTLETS} outlets × ${parameters} parameters × ${days} days)`);
    return { ids, parameters, rows: expected, loadSeconds: null };
  }
  log(`storage data: writing ${expected.toLocaleString('en-US')} minute rows (${OUTLETS} outlets × ${parameters} parameters × ${days} days) through the partitioned table and its aggregate triggers…`);
  const t0 = performance.now();
  for (const [i, id] of ids.entries()) {
    // One statement per outlet and day: what a day's back-fill by the importer looks like.
    for (let d = 0; d < days; d++) {
      const day = new Date(Date.parse(`${QUERY_MONTH.from}T00:00:00+08:00`) + d * 86_400_000);
      await pool.query(
        `INSERT INTO observation (station_id, parameter, observed_at, interval, value, unit, flag)
         SELECT $1::uuid, p.code, m, 'MINUTE', round((10 + 20 * random())::numeric, 3), coalesce(p.unit, 'mg/L'), CASE WHEN random() < 0.01 THEN 'M' ELSE 'N' END
         FROM generate_series($2::timestamptz, $2::timestamptz + interval '1439 minutes', interval '1 minute') m,
           unnest($3::varchar[], $4::varchar[]) AS p(code, unit)
         ON CONFLICT (station_id, parameter, observed_at) DO NOTHING`,
        [id, day.toISOString(), PARAMETERS.slice(0, parameters), PARAMETERS.slice(0, parameters).map((c) => UNITS[c] ?? null)],
      );
    }
    if ((i + 1) % 20 === 0) log(`  ${i + 1} / ${OUTLETS} outlets (${Math.round((performance.now() - t0) / 1000)} s)`);
  }
  const loadSeconds = round((performance.now() - t0) / 1000, 1);
  log(`  partitioned + aggregates: ${loadSeconds} s (${Math.round(expected / loadSeconds).toLocaleString('en-US')} rows/s)`);
  log('  the plain-table baseline: observation_plain_bench, every observation in one table with the same keys and indexes…');
  await pool.query('DROP TABLE IF EXISTS observation_plain_bench');
  await pool.query(`CREATE TABLE observation_plain_bench (LIKE observation INCLUDING DEFAULTS)`);
  await pool.query('INSERT INTO observation_plain_bench SELECT * FROM observation');
  await pool.query('ALTER TABLE observation_plain_bench ADD PRIMARY KEY (id), ADD UNIQUE (station_id, parameter, observed_at)');
  await pool.query('CREATE INDEX ON observation_plain_bench (station_id, observed_at, parameter)');
  await pool.query('VACUUM (ANALYZE) observation_plain_bench');
  await pool.query('VACUUM (ANALYZE) observation');
  await pool.query('VACUUM (ANALYZE) observation_hourly');
  await pool.query('VACUUM (ANALYZE) observation_daily');
  return { ids, parameters, rows: expected, loadSeconds };
}

async function time(pool: Pool, q: StorageQuery, source: 'aggregates' | 'partitionedRaw' | 'plain', ids: string[], runs: number): Promise<{ latency: Latency; rows: unknown[] }> {
  const sql = q[source];
  const params = q.params(ids);
  let rows: unknown[] = (await pool.query(sql, params)).rows; // warm-up
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    rows = (await pool.query(sql, params)).rows;
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { latency: { runs, p50: round(percentile(ms, 50)), p95: round(percentile(ms, 95)), mean: round(ms.reduce((a, b) => a + b, 0) / ms.length) }, rows };
}

/** Each month read from the aggregates, the partitioned raw rows and the plain table; the three must return the same rows. */
export async function measureStorageQueries(pool: Pool, ids: string[], quick: boolean, log: Log): Promise<StorageBenchResult['queries']> {
  const out: StorageBenchResult['queries'] = [];
  for (const q of STORAGE_QUERIES) {
    const runs = quick ? q.quickRuns : q.quickRuns * 3;
    const a = await time(pool, q, 'aggregates', ids, runs);
    const r = await time(pool, q, 'partitionedRaw', ids, Math.max(3, Math.ceil(runs / 3)));
    const p = await time(pool, q, 'plain', ids, Math.max(3, Math.ceil(runs / 3)));
    const same = JSON.stringify(a.rows) === JSON.stringify(r.rows) && JSON.stringify(r.rows) === JSON.stringify(p.rows);
    if (!same) throw new Error(`${q.id}: the aggregates, the partitioned raw rows and the plain table answer differently`);
    const row = {
      id: q.id, title: q.title, rows: a.rows.length, aggregates: a.latency, partitionedRaw: r.latency, plain: p.latency,
      plainOverAggregates: round(p.latency.p50 / a.latency.p50, 1), plainOverPartitionedRaw: round(p.latency.p50 / r.latency.p50, 2),
    };
    log(`    ${q.id.padEnd(14)} ${row.rows} rows | aggregates p50 ${a.latency.p50} ms | partitioned raw p50 ${r.latency.p50} ms | plain table p50 ${p.latency.p50} ms | plain ÷ aggregates ×${row.plainOverAggregates}`);
    out.push(row);
  }
  return out;
}

/** Every bench outlet's minute packet (10 parameters, N flags) for minute `k` of the ingest month. */
function packetsFor(minute: number, ack: boolean): string[] {
  const at = new Date(Date.parse(INGEST_MONTH_START) + minute * 60_000);
  const dt = new Date(at.getTime() + 8 * 3600_000).toISOString().replace(/\D/g, '').slice(0, 14);
  const cp = `DataTime=${dt};` + PARAMETERS.map((c, j) => `${c}-Avg=${(10 + ((minute + j) % 17) * 0.5).toFixed(2)},${c}-Flag=N`).join(';');
  return Array.from({ length: OUTLETS }, (_, i) => buildPacket({ qn: `${dt}${String(i).padStart(3, '0')}`, st: '32', cn: '2051', pw: DEMO_DEVICE_PW, mn: mnOf(i + 1), flag: ack ? 5 : 4, cp }));
}

/** Clears the ingest month of the bench outlets, so every measured packet is an insert. */
async function resetIngestMonth(pool: Pool, ids: string[]): Promise<void> {
  await pool.query(`DELETE FROM observation WHERE station_id = ANY($1) AND observed_at >= $2 AND observed_at < $2::timestamptz + interval '1 month'`, [ids, INGEST_MONTH_START]);
}

/** Rows of the ingest month written by the measured packets (the warm-up minute not counted). */
async function ingestMonthRows(pool: Pool, ids: string[]): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM observation WHERE station_id = ANY($1) AND observed_at > $2 AND observed_at < $2::timestamptz + interval '1 month'`, [ids, INGEST_MONTH_START]);
  return Number(rows[0].n);
}

/**
 * `connections` clients each POST `perRequest` packets at a time (100: one minute of every outlet;
 * 1: one packet per request), for `seconds`.
 */
export async function measureHttpIngest(url: string, pool: Pool, ids: string[], connections: number, seconds: number, log: Log, perRequest = OUTLETS): Promise<IngestRate> {
  await resetIngestMonth(pool, ids);
  let minute = 0;
  // Sends are numbered; send k carries packets k·perRequest … of the stream minute by minute, outlet by outlet.
  const cache = new Map<number, string[]>();
  const linesOf = (m: number) => {
    let lines = cache.get(m);
    if (!lines) {
      lines = packetsFor(m, false);
      cache.set(m, lines);
      for (const k of cache.keys()) if (k < m - 4) cache.delete(k);
    }
    return lines;
  };
  const slice = (k: number) => {
    if (perRequest >= OUTLETS) return linesOf(k).join('');
    const per = Math.floor(OUTLETS / perRequest);
    const m = Math.floor(k / per);
    const from = (k % per) * perRequest;
    return linesOf(m).slice(from, from + perRequest).join('');
  };
  const post = async (m: number) => {
    const res = await fetch(`${url}/ingest/hj212`, { method: 'POST', headers: { 'content-type': 'text/plain', accept: 'application/json' }, body: slice(m) });
    const body = (await res.json()) as { stored: number; observations: number; rejected: number; results: Array<{ error?: string }> };
    if (res.status !== 200 || body.rejected > 0) throw new Error(`HJ 212 ingest over HTTP refused packets (${res.status}): ${JSON.stringify(body.results.find((r) => r.error) ?? body).slice(0, 300)}`);
    return body;
  };
  // Warm-up: each device's first PW check is a slow scrypt; the sends of the first minute cover every outlet.
  const firstMinute = perRequest >= OUTLETS ? 1 : Math.floor(OUTLETS / perRequest);
  for (let k = 0; k < firstMinute; k++) await post(minute++);
  let packets = 0;
  let rows = 0;
  const latencies: number[] = [];
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  await Promise.all(Array.from({ length: connections }, async () => {
    while (performance.now() < deadline) {
      const m = minute++;
      const s = performance.now();
      const r = await post(m);
      latencies.push(performance.now() - s);
      packets += r.stored;
      rows += r.observations;
    }
  }));
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const stored = await ingestMonthRows(pool, ids);
  if (stored !== rows) throw new Error(`HTTP ingest: the hub reported ${rows} rows stored, the table holds ${stored}`);
  const out: IngestRate = {
    transport: 'http', packetsPerSend: perRequest, connections, seconds: round(elapsed, 1), packets, rows, packetsPerSecond: Math.round(packets / elapsed), rowsPerSecond: Math.round(rows / elapsed),
    p50Ms: round(percentile(latencies, 50)), p95Ms: round(percentile(latencies, 95)),
  };
  log(`    HTTP, ${connections} clients × ${perRequest} packet(s) a request: ${out.packetsPerSecond} packets/s, ${out.rowsPerSecond} rows/s (p50 ${out.p50Ms} ms a request)`);
  return out;
}

/**
 * `connections` loggers' connections to the TCP listener, each carrying the packets of its share of
 * the outlets: it sends one minute's packets (Flag=5: reply wanted) at once and waits for all their
 * replies (`burst`), or sends them one at a time, each after the previous reply.
 */
export async function measureTcpIngest(port: number, pool: Pool, ids: string[], connections: number, seconds: number, log: Log, burst = true): Promise<IngestRate> {
  await resetIngestMonth(pool, ids);
  const sockets = await Promise.all(Array.from({ length: connections }, () => new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  })));
  let packets = 0;
  const latencies: number[] = [];
  const exchange = (s: net.Socket, lines: string[]) => new Promise<void>((resolve, reject) => {
    let want = lines.length;
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString('latin1');
      let i;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const reply = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (!/CN=9014/.test(reply)) {
          s.off('data', onData);
          reject(new Error(`HJ 212 ingest over TCP refused a packet: ${reply.slice(0, 200)}`));
          return;
        }
        if (--want === 0) {
          s.off('data', onData);
          resolve();
        }
      }
    };
    s.on('data', onData);
    s.write(lines.join(''));
  });
  try {
    let minute = 0;
    const share = (c: number, lines: string[]) => lines.filter((_, i) => i % connections === c);
    const warm = packetsFor(minute++, true);
    await Promise.all(sockets.map((s, c) => exchange(s, share(c, warm))));
    const t0 = performance.now();
    const deadline = t0 + seconds * 1000;
    while (performance.now() < deadline) {
      const lines = packetsFor(minute++, true);
      await Promise.all(sockets.map(async (s, c) => {
        const mine = share(c, lines);
        if (burst) {
          const st = performance.now();
          await exchange(s, mine);
          latencies.push((performance.now() - st) / mine.length);
          packets += mine.length;
          return;
        }
        for (const line of mine) {
          const st = performance.now();
          await exchange(s, [line]);
          latencies.push(performance.now() - st);
          packets++;
        }
      }));
    }
    const elapsed = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    const rows = await ingestMonthRows(pool, ids);
    const out: IngestRate = {
      transport: 'tcp', packetsPerSend: burst ? Math.ceil(OUTLETS / connections) : 1, connections, seconds: round(elapsed, 1), packets, rows,
      packetsPerSecond: Math.round(packets / elapsed), rowsPerSecond: Math.round(rows / elapsed),
      p50Ms: round(percentile(latencies, 50)), p95Ms: round(percentile(latencies, 95)),
    };
    log(`    TCP, ${connections} connections, ${burst ? 'a minute\'s packets sent at once' : 'one packet at a time'}: ${out.packetsPerSecond} packets/s, ${out.rowsPerSecond} rows/s (p50 ${out.p50Ms} ms a packet)`);
    return out;
  } finally {
    for (const s of sockets) s.destroy();
  }
}
