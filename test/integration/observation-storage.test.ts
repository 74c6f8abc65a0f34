import net from 'node:net';
import pino from 'pino';
import request from 'supertest';
import { PUBLIC_PRINCIPAL } from '../../src/auth/principal';
import { ConfigError, loadConfig } from '../../src/config';
import { Db } from '../../src/db/datasource';
import { buildPacket } from '../../src/domain/standards/hj212';
import { buildContext, createServices } from '../../src/graphql/context';
import { registerDevice, startHj212Listener } from '../../src/modules/ingest';
import {
  AqiReportKind, AssessmentPeriod, dropExpiredObservationPartitions, ensureObservationPartitions, maintainObservationStorage, MonitoringService,
  monthOf, observationPartitions, rawObservationsFrom, STATION_SPEC,
} from '../../src/modules/monitoring';
import { monthlyPartitions } from '../../src/db/monthly-partitions';
import { AUDIT_TABLE, maintainAuditStorage } from '../../src/modules/audit';
import { startTestHub, TestHub } from '../support/hub';
import { cloneDatabase } from '../support/templates';

/**
 * Observation storage at scale (issue 17 item 6): monthly partitions made ahead, a default
 * partition that catches any time, retention by dropping whole months, and the hourly and daily
 * aggregates, which must give the very answers the raw observations give.
 */

const AIR = { station: 'A-QP-02', mn: 'AIRQP020000000000000AQ02', pw: 'Qp#202' };
const WATER = { station: 'W-JS-02', mn: 'WATERJS02000000000000W02', pw: 'Wj#302' };

/** An instant as a DataTime, `YYYYMMDDhhmmss` in China Standard Time. */
function dataTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().replace(/\D/g, '').slice(0, 14);
}

function packet(dev: { mn: string; pw: string }, cn: string, at: Date, items: string): string {
  return buildPacket({ qn: `${dataTime(at)}000`, st: cn === '2011' ? '21' : '22', cn, pw: dev.pw, mn: dev.mn, flag: 5, cp: `DataTime=${dataTime(at)};${items}` });
}

const cst = (s: string) => new Date(`${s}+08:00`);
const MINUTE = 60_000;
const HOUR = 3600_000;

/** Each aggregate table against the same figures computed afresh from the raw rows: the rows one has and the other lacks. */
async function aggregateDrift(ds: Db['ds']): Promise<Record<string, number>> {
  const drift = async (table: string, fresh: string, cols: string) => {
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM ((SELECT ${cols} FROM ${table} EXCEPT ${fresh}) UNION ALL (${fresh} EXCEPT SELECT ${cols} FROM ${table})) x`);
    return n as number;
  };
  const hourly = `SELECT station_id, date_trunc('hour', observed_at, 'UTC'), parameter, interval, count(*)::int, (count(*) FILTER (WHERE flag = 'N'))::int,
      sum(value) FILTER (WHERE flag = 'N'), max(value) FILTER (WHERE flag = 'N') FROM observation GROUP BY 1, 2, 3, 4`;
  const daily = `SELECT station_id, (observed_at AT TIME ZONE 'Asia/Shanghai')::date, parameter, interval, count(*)::int, (count(*) FILTER (WHERE flag = 'N'))::int,
      sum(value) FILTER (WHERE flag = 'N'), max(value) FILTER (WHERE flag = 'N') FROM observation GROUP BY 1, 2, 3, 4`;
  return {
    hourly: await drift('observation_hourly', hourly, 'station_id, hour_start, parameter, interval, n_total, n_valid, sum_valid, max_valid'),
    daily: await drift('observation_daily', daily, 'station_id, day, parameter, interval, n_total, n_valid, sum_valid, max_valid'),
    hourlySamples: await drift('observation_hourly_samples',
      `SELECT station_id, date_trunc('hour', observed_at, 'UTC'), (count(DISTINCT observed_at) FILTER (WHERE flag = 'N'))::int FROM observation GROUP BY 1, 2`, 'station_id, hour_start, samples'),
    dailySamples: await drift('observation_daily_samples',
      `SELECT station_id, (observed_at AT TIME ZONE 'Asia/Shanghai')::date, (count(DISTINCT observed_at) FILTER (WHERE flag = 'N'))::int FROM observation GROUP BY 1, 2`, 'station_id, day, samples'),
  };
}

const NO_DRIFT = { hourly: 0, daily: 0, hourlySamples: 0, dailySamples: 0 };

/** The same assessment read from the aggregates (the hub's service) and from the raw rows. */
async function bothWays(ds: Db['ds'], run: (svc: MonitoringService, ctx: ReturnType<typeof buildContext>) => Promise<unknown>) {
  const services = createServices(ds);
  await services.catalog.refresh();
  const ctx = buildContext(services, PUBLIC_PRINCIPAL, null, { statements: 0 });
  const aggregates = await run(services.monitoring, ctx);
  const raw = await run(new MonitoringService(services.store, ds, 'raw'), ctx);
  return { aggregates, raw };
}

async function station(ds: Db['ds'], code: string) {
  const services = createServices(ds);
  await services.catalog.refresh();
  const found = (await services.store.byKeys(buildContext(services, PUBLIC_PRINCIPAL, null, { statements: 0 }), STATION_SPEC, [code])).get(code);
  if (!found?.visible) throw new Error(`station ${code} is not visible to the public`);
  return found.row;
}

describe('aggregates kept as HJ 212 data arrives (HTTP and TCP), across hour, day and month boundaries', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub('demo');
    await registerDevice(t.db.ds, AIR.station, AIR.mn, AIR.pw);
    await registerDevice(t.db.ds, WATER.station, WATER.mn, WATER.pw);
  });
  afterAll(() => t.close());

  test('after packets, re-sent packets, superseded minutes, SQL updates and deletes, every aggregate equals a fresh computation from the raw rows', async () => {
    expect(await aggregateDrift(t.db.ds)).toEqual(NO_DRIFT); // the seeded template
    const before = (await t.db.ds.query('SELECT count(*)::int AS n FROM observation'))[0].n;

    // Air: hourly data 2026-10-31 18:00 .. 2026-11-01 05:00 CST (a day, a month and a partition boundary), one hour flagged.
    const hourly: string[] = [];
    for (let i = 0; i < 12; i++) {
      const at = new Date(cst('2026-10-31T18:00:00').getTime() + i * HOUR);
      const flag = i === 5 ? 'M' : 'N';
      hourly.push(packet(AIR, '2061', at, `a34004-Avg=${30 + i}.5,a34004-Flag=${flag};a05024-Avg=${120 - i * 3},a05024-Flag=N;a21026-Avg=${8 + (i % 3)}.25,a21026-Flag=N`));
    }
    // Minute data around midnight; the 00:00 minute gives way to the hourly value at the same time.
    const minutes: string[] = [];
    for (let i = -3; i <= 3; i++) {
      const at = new Date(cst('2026-11-01T00:00:00').getTime() + i * MINUTE);
      minutes.push(packet(AIR, '2051', at, `a34004-Avg=${40 + i}.125,a34004-Flag=${i === 2 ? 'D' : 'N'};a21026-Avg=9.5`));
    }
    const http = await request(t.hub.app).post('/ingest/hj212').set('content-type', 'text/plain').set('accept', 'application/json').send(hourly.concat(minutes).join(''));
    expect(http.status).toBe(200);
    expect(http.body.rejected).toBe(0);
    expect(http.body.stored).toBe(19);
    expect(http.body.observations).toBe(12 * 3 + 7 * 2 - 2); // the 00:00 minute's two values give way to the hour's

    // Water minute data 23:50 .. 00:10 over the same midnight, through the TCP listener; one packet re-sent with new values.
    const water: string[] = [];
    for (let i = -10; i <= 10; i++) {
      const at = new Date(cst('2026-11-01T00:00:00').getTime() + i * MINUTE);
      water.push(packet(WATER, '2051', at, `w01018-Avg=${14 + (i % 4)}.2,w01018-Flag=N;w21003-Avg=0.${40 + (i + 10)},w21003-Flag=${i === 0 ? 'C' : 'N'};w21011-Avg=0.1${(i + 10) % 10}`));
    }
    water.push(packet(WATER, '2051', new Date(cst('2026-11-01T00:00:00').getTime() + 5 * MINUTE), 'w01018-Avg=99.9,w01018-Flag=N'));
    const l = await startHj212Listener({ port: 0, host: '127.0.0.1', ds: t.db.ds, log: pino({ level: 'silent' }) });
    try {
      await new Promise<void>((resolve, reject) => {
        const c = net.connect(l.port, '127.0.0.1');
        let got = '';
        c.on('data', (d) => {
          got += d.toString();
          if (got.split('\r\n').length - 1 === water.length) {
            c.end();
            resolve();
          }
        });
        c.on('error', reject);
        c.write(water.join(''));
      });
    } finally {
      await l.close();
    }
    const after = (await t.db.ds.query('SELECT count(*)::int AS n FROM observation'))[0].n;
    expect(after).toBeGreaterThan(before);
    const [resent] = await t.db.ds.query(`SELECT o.value::text AS v FROM observation o JOIN monitoring_station s ON s.id = o.station_id
      WHERE s.code = $1 AND o.parameter = 'w01018' AND o.observed_at = $2`, [WATER.station, cst('2026-11-01T00:05:00').toISOString()]);
    expect(resent).toEqual({ v: '99.9' });
    expect(await aggregateDrift(t.db.ds)).toEqual(NO_DRIFT);

    // Writers other than the ingest: a batch update across the boundary, a delete, an insert of a row in the default partition.
    await t.db.ds.query(`UPDATE observation SET value = value + 1, flag = 'N'
      WHERE observed_at >= $1 AND observed_at < $2 AND parameter = 'w21003'`, [cst('2026-10-31T23:58:00').toISOString(), cst('2026-11-01T00:03:00').toISOString()]);
    await t.db.ds.query(`DELETE FROM observation WHERE observed_at = $1`, [cst('2026-11-01T00:07:00').toISOString()]);
    // Inserts at times the station already has (a sample already counted), and a flagged-only new time (no sample).
    await t.db.ds.query(`INSERT INTO observation (station_id, parameter, observed_at, interval, value, unit, flag)
      SELECT station_id, 'w21016', observed_at, interval, 1.5, 'mg/L', 'N' FROM observation WHERE parameter = 'w01018' AND observed_at BETWEEN $1 AND $2
      UNION ALL SELECT station_id, 'w21016', observed_at + interval '30 seconds', interval, 2.5, 'mg/L', 'D' FROM observation WHERE parameter = 'w01018' AND observed_at BETWEEN $1 AND $2`,
    [cst('2026-10-31T23:59:00').toISOString(), cst('2026-11-01T00:02:00').toISOString()]);
    expect(await aggregateDrift(t.db.ds)).toEqual(NO_DRIFT);
  });

  test('water classes (DAY, MONTH, YEAR) read from the aggregates equal those read from the raw rows', async () => {
    const w = await station(t.db.ds, WATER.station);
    for (const period of [AssessmentPeriod.DAY, AssessmentPeriod.MONTH, AssessmentPeriod.YEAR]) {
      const { aggregates, raw } = await bothWays(t.db.ds, (svc, ctx) => svc.waterQuality(ctx, w, new Date('2026-09-01'), new Date('2026-11-30'), period));
      expect((aggregates as unknown[]).length).toBeGreaterThan(period === AssessmentPeriod.DAY ? 60 : 0);
      expect(aggregates).toEqual(raw);
    }
    const lake = await station(t.db.ds, 'W-QP-03');
    const { aggregates, raw } = await bothWays(t.db.ds, (svc, ctx) => svc.waterQuality(ctx, lake, new Date('2026-09-15'), new Date('2026-10-20'), AssessmentPeriod.MONTH));
    expect((aggregates as Array<{ waterClass: unknown }>).map((p) => p.waterClass)).not.toContain(undefined);
    expect(aggregates).toEqual(raw);
  });

  test('AQI (DAILY and HOURLY) read from the aggregates equals AQI read from the raw rows', async () => {
    for (const code of [AIR.station, 'A-WJ-01', 'A-JS-01']) {
      const s = await station(t.db.ds, code);
      const daily = await bothWays(t.db.ds, (svc, ctx) => svc.airQuality(ctx, s, new Date('2026-09-01'), new Date('2026-11-02'), AqiReportKind.DAILY));
      expect((daily.aggregates as Array<{ aqi: number | null }>).filter((d) => d.aqi !== null).length).toBeGreaterThan(30);
      expect(daily.aggregates).toEqual(daily.raw);
      const hourly = await bothWays(t.db.ds, (svc, ctx) => svc.airQuality(ctx, s, new Date('2026-10-20'), new Date('2026-11-01'), AqiReportKind.HOURLY));
      expect((hourly.aggregates as unknown[]).length).toBeGreaterThan(200);
      expect(hourly.aggregates).toEqual(hourly.raw);
    }
  });
});

describe('one statement that inserts some rows and updates (or deletes) others of the same hour', () => {
  let db: Db;
  let id: string;
  beforeAll(async () => {
    db = await cloneDatabase('demo');
    [{ id }] = await db.ds.query(`SELECT id FROM monitoring_station WHERE code = 'W-JS-02'`);
  });
  afterAll(() => db.close());

  const COLS = '(station_id, parameter, observed_at, interval, value, unit, flag)';
  /** `VALUES` rows of the station: [parameter, CST time, value, flag]. */
  const values = (rows: Array<[string, string, number, string]>) => ({
    sql: rows.map((_, i) => `($1::uuid, $${i * 4 + 2}::varchar, $${i * 4 + 3}::timestamptz, 'MINUTE', $${i * 4 + 4}::numeric, 'mg/L', $${i * 4 + 5}::char(1))`).join(', '),
    params: [id, ...rows.flatMap(([p, at, v, f]) => [p, cst(at).toISOString(), v, f])],
  });
  const hour = (at: string) => db.ds.query(`SELECT parameter, n_total, n_valid, sum_valid::text AS sum, max_valid::text AS max FROM observation_hourly
    WHERE station_id = $1 AND hour_start = $2 ORDER BY parameter`, [id, cst(at).toISOString()]);
  const samples = async (at: string, day: string) => ({
    hour: (await db.ds.query(`SELECT samples FROM observation_hourly_samples WHERE station_id = $1 AND hour_start = $2`, [id, cst(at).toISOString()]))[0]?.samples,
    day: (await db.ds.query(`SELECT samples FROM observation_daily_samples WHERE station_id = $1 AND day = $2`, [id, day]))[0]?.samples,
  });

  test('INSERT … ON CONFLICT DO UPDATE that inserts new minutes and updates stored ones of one hour and day: every aggregate equals the raw rows', async () => {
    const before = values([
      ['w01018', '2026-11-10T10:00:00', 10, 'N'], ['w01018', '2026-11-10T10:05:00', 20, 'N'], ['w01018', '2026-11-10T10:10:00', 30, 'N'],
      ['w01018', '2026-11-10T11:00:00', 5, 'N'], ['w21003', '2026-11-10T10:00:00', 1.5, 'N'], ['w21003', '2026-11-10T10:25:00', 3.5, 'N'],
    ]);
    await db.ds.query(`INSERT INTO observation ${COLS} VALUES ${before.sql}`, before.params);
    expect(await aggregateDrift(db.ds)).toEqual(NO_DRIFT);

    // ONE statement: two stored minutes updated (a new value; N becomes D), four new minutes in the same hour
    // (one at a time whose only N value turns D in this very statement), one new minute in another hour of the day.
    const upsert = values([
      ['w01018', '2026-11-10T10:05:00', 25, 'N'], ['w21003', '2026-11-10T10:25:00', 3.5, 'D'],
      ['w01018', '2026-11-10T10:15:00', 40, 'N'], ['w01018', '2026-11-10T10:20:00', 99, 'D'], ['w21016', '2026-11-10T10:25:00', 0.75, 'N'],
      ['w21003', '2026-11-10T10:10:00', 2.5, 'D'], ['w01018', '2026-11-10T12:00:00', 7, 'N'],
    ]);
    await db.ds.query(`INSERT INTO observation ${COLS} VALUES ${upsert.sql}
      ON CONFLICT (station_id, parameter, observed_at) DO UPDATE SET value = EXCLUDED.value, flag = EXCLUDED.flag`, upsert.params);

    expect(await hour('2026-11-10T10:00:00')).toEqual([
      { parameter: 'w01018', n_total: 5, n_valid: 4, sum: '105', max: '40' },
      { parameter: 'w21003', n_total: 3, n_valid: 1, sum: '1.5', max: '1.5' },
      { parameter: 'w21016', n_total: 1, n_valid: 1, sum: '0.75', max: '0.75' },
    ]);
    const [day] = await db.ds.query(`SELECT n_total, n_valid, sum_valid::text AS sum, max_valid::text AS max FROM observation_daily
      WHERE station_id = $1 AND day = '2026-11-10' AND parameter = 'w01018'`, [id]);
    expect(day).toEqual({ n_total: 7, n_valid: 6, sum: '117', max: '40' });
    // N-flag times: 10:00, 10:05, 10:10, 10:15, 10:25 in the hour; 11:00 and 12:00 besides in the day.
    expect(await samples('2026-11-10T10:00:00', '2026-11-10')).toEqual({ hour: 5, day: 7 });
    expect(await aggregateDrift(db.ds)).toEqual(NO_DRIFT);
  });

  test('MERGE that updates, deletes and inserts rows of one hour: every aggregate equals the raw rows', async () => {
    const before = values([
      ['w01018', '2026-11-11T08:00:00', 10, 'N'], ['w01018', '2026-11-11T08:05:00', 20, 'N'], ['w01018', '2026-11-11T08:10:00', 30, 'N'],
    ]);
    await db.ds.query(`INSERT INTO observation ${COLS} VALUES ${before.sql}`, before.params);
    const merge = values([
      ['w01018', '2026-11-11T08:05:00', 50, 'N'], ['w01018', '2026-11-11T08:10:00', 0, 'X'],
      ['w01018', '2026-11-11T08:15:00', 60, 'N'], ['w21003', '2026-11-11T08:15:00', 2, 'N'], ['w01018', '2026-11-11T09:00:00', 1, 'N'],
    ]);
    await db.ds.query(`MERGE INTO observation o USING (VALUES ${merge.sql}) AS x ${COLS}
      ON o.station_id = x.station_id AND o.parameter = x.parameter AND o.observed_at = x.observed_at
      WHEN MATCHED AND x.flag = 'X' THEN DELETE
      WHEN MATCHED THEN UPDATE SET value = x.value, flag = x.flag
      WHEN NOT MATCHED THEN INSERT ${COLS} VALUES (x.station_id, x.parameter, x.observed_at, x.interval, x.value, x.unit, x.flag)`, merge.params);

    expect(await hour('2026-11-11T08:00:00')).toEqual([
      { parameter: 'w01018', n_total: 3, n_valid: 3, sum: '120', max: '60' },
      { parameter: 'w21003', n_total: 1, n_valid: 1, sum: '2', max: '2' },
    ]);
    expect(await samples('2026-11-11T08:00:00', '2026-11-11')).toEqual({ hour: 3, day: 4 });
    expect(await aggregateDrift(db.ds)).toEqual(NO_DRIFT);
  });
});

describe('partitions, the default partition and retention', () => {
  let db: Db;
  beforeAll(async () => {
    db = await cloneDatabase('demo');
  });
  afterAll(() => db.close());

  const names = async () => (await observationPartitions(db.ds)).map((p) => p.name);
  const where = async (at: Date) => (await db.ds.query(`SELECT tableoid::regclass::text AS t FROM observation WHERE observed_at = $1`, [at.toISOString()])).map((r: { t: string }) => r.t);

  test('the seeded history sits in its monthly partitions, none in the default one', async () => {
    expect(await names()).toEqual(expect.arrayContaining(['observation_p202609', 'observation_p202610']));
    expect((await db.ds.query('SELECT count(*)::int AS n FROM observation_default'))[0].n).toBe(0);
    const [{ n }] = await db.ds.query(`SELECT count(*)::int AS n FROM observation_p202610`);
    expect(n).toBeGreaterThan(1000);
  });

  test('the job makes the current month and N months ahead, bounded on China Standard Time months, and a second run makes nothing', async () => {
    const now = new Date('2027-05-20T12:00:00Z');
    const r = await maintainObservationStorage(db.ds, { monthsAhead: 2, retentionMonths: null }, now);
    expect(r.created).toEqual(expect.arrayContaining(['observation_p202705', 'observation_p202706', 'observation_p202707']));
    expect(r.created).not.toContain('observation_p202708');
    expect(r.dropped).toEqual([]);
    const [{ bound }] = await db.ds.query(`SELECT pg_get_expr(c.relpartbound, c.oid) AS bound FROM pg_class c WHERE c.relname = 'observation_p202706'`);
    const [{ lo, hi }] = await db.ds.query(`SELECT $1::timestamptz = '2027-06-01 00:00+08' AS lo, $2::timestamptz = '2027-07-01 00:00+08' AS hi`,
      [/FROM \('([^']+)'\)/.exec(bound)![1], /TO \('([^']+)'\)/.exec(bound)![1]]);
    expect({ lo, hi }).toEqual({ lo: true, hi: true });
    expect((await maintainObservationStorage(db.ds, { monthsAhead: 2, retentionMonths: null }, now)).created).toEqual([]);
  });

  test('a time no partition covers is kept in the default partition, then moved into its month when the job makes it; aggregates unchanged', async () => {
    const [{ id }] = await db.ds.query(`SELECT id FROM monitoring_station WHERE code = 'W-JS-02'`);
    const far = cst('2031-03-10T08:15:00');
    const old = cst('2019-07-04T23:59:00');
    await db.ds.query(`INSERT INTO observation (station_id, parameter, observed_at, interval, value, unit, flag)
      VALUES ($1, 'w01018', $2, 'MINUTE', 12.5, 'mg/L', 'N'), ($1, 'w01018', $3, 'MINUTE', 7.25, 'mg/L', 'N')`, [id, far.toISOString(), old.toISOString()]);
    expect(await where(far)).toEqual(['observation_default']);
    expect(await where(old)).toEqual(['observation_default']);
    const hourly = async () => db.ds.query(`SELECT hour_start, n_total, sum_valid::text FROM observation_hourly WHERE station_id = $1 AND hour_start IN ($2, $3) ORDER BY 1`,
      [id, new Date(far.getTime() - 15 * MINUTE).toISOString(), new Date(old.getTime() - 59 * MINUTE).toISOString()]);
    const aggregated = await hourly();
    expect(aggregated).toHaveLength(2);

    const r = await ensureObservationPartitions(db.ds, monthOf(new Date('2027-05-20')), monthOf(new Date('2027-05-20')));
    expect(r.created.sort()).toEqual(['observation_p201907', 'observation_p203103']);
    expect(r.moved).toBe(2);
    expect(await where(far)).toEqual(['observation_p203103']);
    expect(await where(old)).toEqual(['observation_p201907']);
    expect(await hourly()).toEqual(aggregated);
    expect(await aggregateDrift(db.ds)).toEqual(NO_DRIFT);
  });

  test('retention drops only the monthly partitions older than the setting, keeps their aggregates, and freezes them', async () => {
    const w = await station(db.ds, 'W-JS-02');
    const september = () => bothWays(db.ds, (svc, ctx) => svc.waterQuality(ctx, w, new Date('2026-09-01'), new Date('2026-09-30'), AssessmentPeriod.MONTH));
    const before = await september();
    expect(before.aggregates).toEqual(before.raw);
    const counts = async () => Object.fromEntries((await db.ds.query(
      `SELECT to_char(observed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS m, count(*)::int AS n FROM observation GROUP BY 1`)).map((r: { m: string; n: number }) => [r.m, r.n]));
    const rawBefore = await counts();
    const aggBefore = (await db.ds.query(`SELECT count(*)::int AS n FROM observation_daily`))[0].n;
    const kept = (await names()).filter((n) => n >= 'observation_p202610');

    // 2 months kept before December 2026: October and November stay, September and older go.
    const dropped = await dropExpiredObservationPartitions(db.ds, 2, new Date('2026-12-15T00:00:00Z'));
    expect(dropped.sort()).toEqual(['observation_p201907', 'observation_p202609']);
    expect(await names()).toEqual(kept);
    expect(await rawObservationsFrom(db.ds)).toEqual(cst('2026-10-01T00:00:00'));
    const rawAfter = await counts();
    expect(rawAfter['2026-09']).toBeUndefined();
    expect(rawAfter['2026-10']).toBe(rawBefore['2026-10']);
    expect(rawAfter['2031-03']).toBe(1);
    expect((await db.ds.query(`SELECT count(*)::int AS n FROM observation_daily`))[0].n).toBe(aggBefore);

    // September's class is still answered, from its aggregates; the raw rows are gone.
    const after = await september();
    expect(after.aggregates).toEqual(before.aggregates);
    expect(after.raw).toEqual([]);

    // A late value for a dropped month is kept (default partition) but does not reopen the month or its aggregates.
    const late = cst('2026-09-10T10:00:00');
    await db.ds.query(`INSERT INTO observation (station_id, parameter, observed_at, interval, value, unit, flag) VALUES ($1, 'w01018', $2, 'HOUR', 999, 'mg/L', 'N')`, [w.id, late.toISOString()]);
    expect(await where(late)).toEqual(['observation_default']);
    expect((await september()).aggregates).toEqual(before.aggregates);
    const again = await maintainObservationStorage(db.ds, { monthsAhead: 1, retentionMonths: 2 }, new Date('2026-12-15T00:00:00Z'));
    expect(again.created).not.toContain('observation_p202609');
    expect(again.dropped).toEqual([]);
    expect(await where(late)).toEqual(['observation_default']);
  });

  test('no retention setting drops nothing', async () => {
    const n = (await names()).length;
    expect(await dropExpiredObservationPartitions(db.ds, null, new Date('2040-01-01'))).toEqual([]);
    expect((await names()).length).toBe(n);
  });
});

describe('the audit log: monthly partitions, still append-only, retention by whole months', () => {
  let db: Db;
  beforeAll(async () => {
    db = await cloneDatabase('empty');
  });
  afterAll(() => db.close());
  const months = async () => (await monthlyPartitions(db.ds, AUDIT_TABLE)).map((p) => p.name);
  const event = (at: Date) => db.ds.query(`INSERT INTO audit_event (at, request_id, sub, resource_type, owner_jurisdiction, record_count, masked, denied)
    VALUES ($1::timestamptz, 'r-' || $1::text, 'tester', 'ENTERPRISE', 'WUJIANG', 1, false, false)`, [at.toISOString()]);

  test('months are made ahead; rows land in their month, a month the default partition holds is left to it and reported', async () => {
    const r = await maintainAuditStorage(db.ds, { monthsAhead: 2, retentionMonths: null }, new Date('2027-06-10T00:00:00Z'));
    expect(r.created).toEqual(['audit_event_p202706', 'audit_event_p202707', 'audit_event_p202708']);
    expect(r.dropped).toEqual([]);
    await event(cst('2027-07-03T10:00:00'));
    await event(cst('2029-06-01T00:00:00'));
    const where = async () => (await db.ds.query(`SELECT tableoid::regclass::text AS t FROM audit_event WHERE sub = 'tester' ORDER BY at`)).map((x: { t: string }) => x.t);
    expect(await where()).toEqual(['audit_event_p202707', 'audit_event_default']);
    const later = await maintainAuditStorage(db.ds, { monthsAhead: 1, retentionMonths: null }, new Date('2029-05-10T00:00:00Z'));
    expect(later.created).toEqual(['audit_event_p202905']);
    expect(later.leftInDefault).toEqual(['audit_event_p202906']);
    expect(await where()).toEqual(['audit_event_p202707', 'audit_event_default']);
  });

  test('UPDATE, DELETE and TRUNCATE are still refused, on the table and on a month', async () => {
    await expect(db.ds.query(`UPDATE audit_event SET record_count = 0`)).rejects.toThrow(/append-only/);
    await expect(db.ds.query(`DELETE FROM audit_event`)).rejects.toThrow(/append-only/);
    await expect(db.ds.query(`TRUNCATE audit_event`)).rejects.toThrow(/append-only/);
    await expect(db.ds.query(`DELETE FROM audit_event_p202707`)).rejects.toThrow(/append-only/);
    await expect(db.ds.query(`UPDATE audit_event_default SET sub = 'x'`)).rejects.toThrow(/append-only/);
    expect((await db.ds.query(`SELECT count(*)::int AS n FROM audit_event WHERE sub = 'tester'`))[0].n).toBe(2);
  });

  test('retention drops only the months older than the setting; nothing without one', async () => {
    const before = await months();
    expect(await maintainAuditStorage(db.ds, { monthsAhead: 1, retentionMonths: null }, new Date('2040-01-10T00:00:00Z'))).toMatchObject({ dropped: [] });
    // 24 months before 2029-08: 2027-08 and later stay; July 2027 (with its event) and older go.
    const r = await maintainAuditStorage(db.ds, { monthsAhead: 1, retentionMonths: 24 }, new Date('2029-08-10T00:00:00Z'));
    expect(r.dropped).toEqual(before.filter((n) => n < 'audit_event_p202708'));
    expect(r.dropped).toContain('audit_event_p202707');
    expect(await months()).toEqual(expect.arrayContaining(['audit_event_p202708', 'audit_event_p202905']));
    expect((await db.ds.query(`SELECT to_char(at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS m FROM audit_event WHERE sub = 'tester'`))).toEqual([{ m: '2029-06' }]);
  });
});

describe('storage settings', () => {
  const base = { NODE_ENV: 'test', HUB_JWT_SECRET: 'x'.repeat(32) };
  test('defaults: partitions 3 months ahead, hourly runs, raw data and the audit log kept for ever', () => {
    expect(loadConfig(base).observationStorage).toEqual({ intervalSeconds: 3600, monthsAhead: 3, retentionMonths: null });
    expect(loadConfig(base).auditRetentionMonths).toBeNull();
    expect(loadConfig({ ...base, HUB_AUDIT_RETENTION_MONTHS: '' }).auditRetentionMonths).toBeNull();
    expect(loadConfig({ ...base, HUB_AUDIT_RETENTION_MONTHS: '120' }).auditRetentionMonths).toBe(120);
    expect(loadConfig({ ...base, HUB_OBSERVATION_RETENTION_MONTHS: '13', HUB_OBSERVATION_MONTHS_AHEAD: '6' }).observationStorage)
      .toEqual({ intervalSeconds: 3600, monthsAhead: 6, retentionMonths: 13 });
  });
  test.each([
    ['HUB_OBSERVATION_RETENTION_MONTHS', '0'], ['HUB_OBSERVATION_RETENTION_MONTHS', 'forever'], ['HUB_OBSERVATION_RETENTION_MONTHS', '-3'],
    ['HUB_AUDIT_RETENTION_MONTHS', '6'], ['HUB_AUDIT_RETENTION_MONTHS', '0'], ['HUB_AUDIT_RETENTION_MONTHS', 'keep'],
    ['HUB_OBSERVATION_MONTHS_AHEAD', '0'], ['HUB_OBSERVATION_MONTHS_AHEAD', '25'], ['HUB_OBSERVATION_STORAGE_INTERVAL_SECONDS', '1.5'],
  ])('%s=%s is refused, naming the setting', (name, value) => {
    expect(() => loadConfig({ ...base, [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, [name]: value })).toThrow(name);
  });
});
