import net from 'node:net';
import pino from 'pino';
import request from 'supertest';
import { SqlStats, withSqlStats } from '../../src/db/sql-stats';
import { buildPacket, parsePacket, splitPackets } from '../../src/domain/standards/hj212';
import { demoMnFor, DEMO_DEVICE_PW, Hj212Ingest, registerDemoDevices, startHj212Listener } from '../../src/modules/ingest';
import { startTestHub, TestHub } from '../support/hub';
import { eventually } from '../support/live';

/**
 * HJ 212 packets are written in batches (issue 17 item 6): the values of a whole HTTP body, or of a
 * burst of TCP packets, go to the database in one multi-row INSERT, so the aggregate triggers run
 * once per batch. Counted in SQL statements (src/db/sql-stats.ts) and rows; the per-packet outcomes
 * (stored, superseded, refusals) are those of packets written one after another; a batch that
 * fails in the database stores nothing.
 */
let t: TestHub;
const MN = demoMnFor('P-WJ-01'); // a wastewater outlet
const OTHER_MN = demoMnFor('P-QP-01');
const silent = pino({ level: 'silent' });

beforeAll(async () => {
  t = await startTestHub('demo');
  await registerDemoDevices(t.db.ds);
});
afterAll(() => t.close());

/** Minute data (CN 2051) of two parameters at `day` 08:00 + `minute`, China Standard Time. */
function minutePacket(day: string, minute: number, o: { mn?: string; pw?: string; cod?: string; cn?: string; flag?: number } = {}): string {
  const at = new Date(Date.parse(`${day}T08:00:00+08:00`) + minute * 60_000);
  const dt = new Date(at.getTime() + 8 * 3_600_000).toISOString().replace(/\D/g, '').slice(0, 14);
  return buildPacket({
    qn: `${dt}${String(minute % 1000).padStart(3, '0')}`, st: '32', cn: o.cn ?? '2051', pw: o.pw ?? DEMO_DEVICE_PW, mn: o.mn ?? MN, flag: o.flag ?? 5,
    cp: `DataTime=${dt};w01018-Avg=${o.cod ?? (30 + minute / 10).toFixed(1)},w01018-Flag=N;w21003-Avg=1.25,w21003-Flag=N`,
  });
}

/** Observations of the two test outlets on a day (China Standard Time); the demo series ends on 1 November. */
async function rowsOn(day: string): Promise<number> {
  return (await t.db.ds.query(
    `SELECT count(*)::int AS n FROM observation o JOIN monitoring_station s ON s.id = o.station_id
     WHERE s.mn = ANY($2::varchar[]) AND o.observed_at >= $1::timestamptz AND o.observed_at < $1::timestamptz + interval '1 day'`, [`${day}T00:00:00+08:00`, [MN, OTHER_MN]]))[0].n;
}

async function statements<T>(fn: () => Promise<T>): Promise<{ result: T; log: string[] }> {
  const stats: SqlStats = { statements: 0, log: [] };
  const result = await withSqlStats(stats, fn);
  return { result, log: stats.log!.map((l) => l.sql) };
}

const inserts = (log: string[]) => log.filter((sql) => /INSERT INTO observation\b/.test(sql));

describe('a batch of packets is one INSERT', () => {
  test('a body of N packets is N × 2 rows written by 1 INSERT statement, with one device lookup', async () => {
    const N = 25;
    const body = Array.from({ length: N }, (_, i) => minutePacket('2026-11-05', i)).join('');
    const ingest = new Hj212Ingest(t.db.ds, silent);
    const { result, log } = await statements(() => ingest.ingestBody(body, { transport: 'http', remote: '127.0.0.1' }));
    expect(result.map((r) => [r.status, r.stored, r.superseded])).toEqual(Array.from({ length: N }, () => ['stored', 2, 0]));
    expect(await rowsOn('2026-11-05')).toBe(N * 2);
    expect(inserts(log)).toHaveLength(1);
    expect(log.filter((sql) => /FROM monitoring_station/.test(sql))).toHaveLength(1);
    // Every statement of the batch, whatever N: the device lookup and the write, in a transaction.
    expect(log.filter((sql) => !/^(START TRANSACTION|BEGIN|COMMIT)/i.test(sql.trim()))).toHaveLength(2);
    expect(log.filter((sql) => /^UPDATE/i.test(sql.trim()))).toHaveLength(0);
    // The aggregates saw the whole batch: 25 minutes of 08:00–08:24 in one hour, N-flag values.
    const [agg] = await t.db.ds.query(
      `SELECT sum(h.n_total)::int AS n FROM observation_hourly h JOIN monitoring_station s ON s.id = h.station_id
       WHERE s.mn = $2 AND h.parameter = 'w01018' AND h.hour_start = $1::timestamptz`, ['2026-11-05T08:00:00+08:00', MN]);
    expect(agg.n).toBe(N);
  });

  test('over HTTP: the route stores a body and answers every packet in order', async () => {
    const N = 12;
    const body = Array.from({ length: N }, (_, i) => minutePacket('2026-11-06', i)).join('');
    const res = await request(t.hub.app).post('/ingest/hj212').set('content-type', 'text/plain').send(body);
    expect(res.status).toBe(200);
    const replies = splitPackets(res.text).map((r) => parsePacket(r));
    expect(replies.map((r) => r.cn)).toEqual(Array.from({ length: N }, () => '9014'));
    expect(replies.map((r) => r.qn)).toEqual(splitPackets(body).map((p) => parsePacket(p).qn));
    expect(await rowsOn('2026-11-06')).toBe(N * 2);
    // The metrics counted each packet once.
    const metrics = (await request(t.hub.app).get('/metrics')).text;
    expect(metrics).toContain(`hub_hj212_packets_total{transport="http",outcome="stored",reason="none"} ${N}`);
  });

  test('refusals keep their reasons and their place; only the accepted packets are written', async () => {
    const body = [
      minutePacket('2026-11-07', 0),
      minutePacket('2026-11-07', 1, { pw: 'wrong1' }),
      minutePacket('2026-11-07', 2, { mn: 'NOSUCHDEVICE000000000000' }),
      minutePacket('2026-11-07', 3, { cod: 'abc' }),
      minutePacket('2026-11-07', 4, { cn: '1062' }),
      minutePacket('2026-11-07', 5, { mn: OTHER_MN }),
    ].join('');
    const { result, log } = await statements(() => new Hj212Ingest(t.db.ds, silent).ingestBody(body, { transport: 'http', remote: '192.0.2.7' }));
    expect(result.map((r) => [r.index, r.status, r.qnRtn, r.stored])).toEqual([
      [0, 'stored', undefined, 2], [1, 'rejected', 3, 0], [2, 'rejected', 4, 0], [3, 'rejected', 100, 0], [4, 'rejected', 2, 0], [5, 'stored', undefined, 2],
    ]);
    expect(await rowsOn('2026-11-07')).toBe(4);
    expect(inserts(log)).toHaveLength(1);
  });

  test('values meeting on one key within a batch: written as one after another would be (re-sent replaces, the hour wins)', async () => {
    const at = (cn: string, cod: string) => minutePacket('2026-11-08', 0, { cn, cod });
    const ingest = new Hj212Ingest(t.db.ds, silent);
    const first = await ingest.ingestBody([at('2051', '30.1'), at('2051', '30.2'), at('2061', '33.3'), at('2051', '30.3')].join(''), { transport: 'http', remote: 'x' });
    // Per packet: the minute, its re-send, the hour (all written), then a minute that gives way to the hour.
    expect(first.map((r) => [r.stored, r.superseded])).toEqual([[2, 0], [2, 0], [2, 0], [0, 2]]);
    const stored = await t.db.ds.query(
      `SELECT o.parameter, o.interval, o.value::text AS value FROM observation o JOIN monitoring_station s ON s.id = o.station_id
       WHERE s.mn = $2 AND o.observed_at = $1::timestamptz ORDER BY o.parameter`, ['2026-11-08T08:00:00+08:00', MN]);
    expect(stored).toEqual([{ parameter: 'w01018', interval: 'HOUR', value: '33.3' }, { parameter: 'w21003', interval: 'HOUR', value: '1.25' }]);
    // A later batch against what is stored: a minute gives way, a re-sent hour replaces.
    const second = await ingest.ingestBody([at('2051', '30.4'), at('2061', '34.4')].join(''), { transport: 'http', remote: 'x' });
    expect(second.map((r) => [r.stored, r.superseded])).toEqual([[0, 2], [2, 0]]);
    expect((await t.db.ds.query(`SELECT o.value::text AS v FROM observation o JOIN monitoring_station s ON s.id = o.station_id
      WHERE s.mn = $2 AND o.observed_at = $1::timestamptz AND o.parameter = 'w01018'`, ['2026-11-08T08:00:00+08:00', MN]))[0].v).toBe('34.4');
    const agg = await t.db.ds.query(
      `SELECT h.interval, h.n_total::int AS n, h.sum_valid::text AS s FROM observation_hourly h JOIN monitoring_station s ON s.id = h.station_id
       WHERE s.mn = $2 AND h.parameter = 'w01018' AND h.hour_start = $1::timestamptz AND h.n_total > 0`, ['2026-11-08T08:00:00+08:00', MN]);
    expect(agg).toEqual([{ interval: 'HOUR', n: 1, s: '34.4' }]);
  });

  test('a batch the database refuses stores nothing of it, and the error reaches the caller', async () => {
    await t.db.ds.query(`CREATE FUNCTION test_refuse_value() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.value = 666.6 THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$`);
    await t.db.ds.query(`CREATE TRIGGER test_refuse_value BEFORE INSERT ON observation FOR EACH ROW EXECUTE FUNCTION test_refuse_value()`);
    try {
      const hoursBefore = (await t.db.ds.query('SELECT count(*)::int AS n FROM observation_hourly'))[0].n;
      const body = [0, 1, 2, 3, 4].map((i) => minutePacket('2026-11-09', i, { cod: i === 3 ? '666.6' : undefined })).join('');
      const res = await request(t.hub.app).post('/ingest/hj212').set('content-type', 'text/plain').send(body);
      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(await rowsOn('2026-11-09')).toBe(0);
      expect((await t.db.ds.query('SELECT count(*)::int AS n FROM observation_hourly'))[0].n).toBe(hoursBefore);
    } finally {
      await t.db.ds.query('DROP TRIGGER test_refuse_value ON observation');
      await t.db.ds.query('DROP FUNCTION test_refuse_value()');
    }
    // The same body again, once the database takes it: all of it.
    const again = [0, 1, 2, 3, 4].map((i) => minutePacket('2026-11-09', i)).join('');
    expect((await request(t.hub.app).post('/ingest/hj212').set('content-type', 'text/plain').send(again)).status).toBe(200);
    expect(await rowsOn('2026-11-09')).toBe(10);
  });
});

describe('a burst of TCP packets is batched', () => {
  test('packets the database refuses: nothing stored, no reply (the logger sends again); the connection stays and the resend is stored', async () => {
    const l = await startHj212Listener({ port: 0, host: '127.0.0.1', ds: t.db.ds, log: silent });
    const s = net.connect(l.port, '127.0.0.1');
    try {
      let got = '';
      s.on('data', (d) => (got += d.toString('latin1')));
      await new Promise<void>((resolve) => s.once('connect', () => resolve()));
      await t.db.ds.query(`CREATE FUNCTION test_refuse_tcp() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.value = 666.6 THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$`);
      await t.db.ds.query(`CREATE TRIGGER test_refuse_tcp BEFORE INSERT ON observation FOR EACH ROW EXECUTE FUNCTION test_refuse_tcp()`);
      try {
        s.write([0, 1, 2].map((i) => minutePacket('2026-11-11', i, { cod: '666.6' })).join(''));
        // However the three were batched, every batch holding them was refused.
        await eventually(() => l.batches.failedPackets === 3, 'the batches refused');
        expect(l.batches.packets).toBe(0);
      } finally {
        await t.db.ds.query('DROP TRIGGER test_refuse_tcp ON observation');
        await t.db.ds.query('DROP FUNCTION test_refuse_tcp()');
      }
      expect(got).toBe('');
      expect(s.readyState).toBe('open');
      expect(await rowsOn('2026-11-11')).toBe(0);
      s.write([0, 1, 2].map((i) => minutePacket('2026-11-11', i)).join(''));
      await eventually(() => splitPackets(got).length === 3, 'three replies');
      // Three replies, all to the resend: the refused packets were never answered.
      expect(splitPackets(got).map((r) => parsePacket(r).cn)).toEqual(['9014', '9014', '9014']);
      expect(await rowsOn('2026-11-11')).toBe(6);
    } finally {
      s.destroy();
      await l.close();
    }
  });

  test('a sender whose wrong PWs are checked in the slow lane holds up its own connection, not another logger\'s batch', async () => {
    const l = await startHj212Listener({ port: 0, host: '127.0.0.1', ds: t.db.ds, log: silent });
    const order: string[] = [];
    const open = (name: string, lines: string[]) => new Promise<net.Socket>((resolve) => {
      const s = net.connect(l.port, '127.0.0.1', () => resolve(s));
      let buf = '';
      s.on('data', (d) => {
        buf += d.toString('latin1');
        const n = splitPackets(buf).length;
        while (order.filter((o) => o === name).length < n) order.push(name);
      });
      s.once('connect', () => s.write(lines.join('')));
    });
    try {
      // Eight wrong PWs for one device: past the limit they wait their turn for a scrypt each.
      const guesser = await open('guesser', Array.from({ length: 8 }, (_, i) => minutePacket('2026-11-12', i, { pw: `bad${String(i).padStart(3, '0')}` })));
      await eventually(() => order.length >= 1, 'the first refusal answered');
      const logger = await open('logger', [minutePacket('2026-11-12', 30, { mn: OTHER_MN })]);
      await eventually(() => order.length === 9, 'every packet answered');
      expect(order.filter((o) => o === 'logger')).toHaveLength(1);
      // The logger's packet was stored and answered while the guesser's checks were still running.
      expect(order[order.length - 1]).toBe('guesser');
      expect(await rowsOn('2026-11-12')).toBe(2);
      guesser.destroy();
      logger.destroy();
    } finally {
      await l.close();
    }
  });

  test('packets sent at once on two connections are stored in fewer batches than packets, each answered in order', async () => {
    const l = await startHj212Listener({ port: 0, host: '127.0.0.1', ds: t.db.ds, log: silent });
    const sockets: net.Socket[] = [];
    try {
      const N = 20;
      const exchange = (lines: string[]) => new Promise<string[]>((resolve, reject) => {
        const s = net.connect(l.port, '127.0.0.1', () => s.write(lines.join('')));
        sockets.push(s);
        let buf = '';
        s.on('data', (d) => {
          buf += d.toString('latin1');
          const got = splitPackets(buf);
          if (got.length >= lines.length) resolve(got);
        });
        s.on('error', reject);
      });
      const a = Array.from({ length: N }, (_, i) => minutePacket('2026-11-10', i));
      const b = Array.from({ length: N }, (_, i) => minutePacket('2026-11-10', i, { mn: OTHER_MN }));
      const [ra, rb] = await Promise.all([exchange(a), exchange(b)]);
      for (const [sent, got] of [[a, ra], [b, rb]]) {
        expect(got.map((r) => parsePacket(r).cn)).toEqual(sent.map(() => '9014'));
        expect(got.map((r) => parsePacket(r).qn)).toEqual(sent.map((p) => parsePacket(p).qn));
      }
      expect(await rowsOn('2026-11-10')).toBe(2 * N * 2);
      expect(l.batches.packets).toBe(2 * N);
      expect(l.batches.batches).toBeLessThan(2 * N);
      expect(l.batches.largest).toBeGreaterThan(1);
    } finally {
      for (const s of sockets) s.destroy();
      await l.close();
    }
  });
});
