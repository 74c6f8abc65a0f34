import net from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { ConfigError, loadConfig } from '../../src/config';
import { buildPacket, crc16Hj212, parsePacket, splitPackets } from '../../src/domain/standards/hj212';
import {
  demoMnFor, DEMO_DEVICE_PW, Hj212Ingest, HJ212_DEFAULTS, PasswordGuard, registerDemoDevices, registerDevice, startHj212Listener, WRONG_PW_LIMIT,
} from '../../src/modules/ingest';
import { startTestHub, TestHub } from '../support/hub';

/** HJ 212-2017 ingest over HTTP and TCP, on the seeded demo database with its demo devices. */
let t: TestHub;
const MN = demoMnFor('P-WJ-01'); // a wastewater outlet
const GAS_MN = demoMnFor('P-WJ-02'); // a boiler stack
const OLD_MN = '88888880000001'; // an HJ/T 212-2005 logger on P-JS-02
const AIR_MN = 'AIRQP020000000000000AQ02';
const QP_MN = demoMnFor('P-QP-01'); // re-registered with a fresh PW by the tests that need one never verified

/** An instant as a DataTime, `YYYYMMDDhhmmss` in China Standard Time. */
function dataTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().replace(/\D/g, '').slice(0, 14);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** A packet shaped like the standard's example (QN;ST;CN;PW;MN;Flag;CP=&&…&&), with a correct length and CRC. */
function packet(o: { cn?: string; mn?: string; pw?: string; flag?: number; cp: string; qn?: string }): string {
  return buildPacket({ qn: o.qn ?? '20261115103000123', st: '32', cn: o.cn ?? '2011', pw: o.pw ?? DEMO_DEVICE_PW, mn: o.mn ?? MN, flag: o.flag ?? 5, cp: o.cp });
}

/** Re-frames a data segment with a correct length and CRC after a test has edited it. */
function frame(data: string): string {
  return `##${String(data.length).padStart(4, '0')}${data}${crc16Hj212(data)}\r\n`;
}

function post(body: string, json = false) {
  const req = request(t.hub.app).post('/ingest/hj212').set('content-type', 'text/plain');
  return (json ? req.set('accept', 'application/json') : req).send(body);
}

async function observations(mn: string, at: string): Promise<Array<{ parameter: string; interval: string; value: string; unit: string; flag: string }>> {
  return t.db.ds.query(
    `SELECT o.parameter, o.interval, o.value::text AS value, o.unit, o.flag FROM observation o JOIN monitoring_station s ON s.id = o.station_id
     WHERE s.mn = $1 AND o.observed_at = $2::timestamptz ORDER BY o.parameter`, [mn, at]);
}

async function count(): Promise<number> {
  return (await t.db.ds.query('SELECT count(*)::int AS n FROM observation'))[0].n;
}

function replies(text: string) {
  return splitPackets(text).map((r) => parsePacket(r));
}

beforeAll(async () => {
  t = await startTestHub('demo');
  const demo = await registerDemoDevices(t.db.ds);
  expect(demo.map((d) => d.station)).toEqual(['P-JS-01', 'P-JS-02', 'P-QP-01', 'P-WJ-01', 'P-WJ-02']);
  expect(await registerDemoDevices(t.db.ds)).toEqual([]); // idempotent
  await registerDevice(t.db.ds, 'P-JS-02', OLD_MN, 'abc123');
  await registerDevice(t.db.ds, 'A-QP-02', AIR_MN, 'Qp#202');
});
afterAll(() => t.close());

describe('POST /ingest/hj212', () => {
  const RT = 'DataTime=20261115103000;w01018-Rtd=38.2,w01018-Flag=N;w21003-Rtd=1.62,w21003-Flag=M;w01001-Rtd=7.31';

  test('a real-time packet (CN 2011) from a registered logger is stored and answered with 9014', async () => {
    const sent = packet({ cp: RT });
    const res = await post(sent);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const [reply] = replies(res.text);
    expect(reply).toMatchObject({ cn: '9014', st: '91', qn: '20261115103000123', mn: MN, pw: DEMO_DEVICE_PW, flag: { needsReply: false, version: '2017' } });
    expect(res.text).toBe(splitPackets(res.text).join(''));
    // 10:30 in the zone (UTC+8) is 02:30 UTC; -Rtd values, their flags, N when absent, units by code.
    expect(await observations(MN, '2026-11-15T02:30:00Z')).toEqual([
      { parameter: 'w01001', interval: 'REAL_TIME', value: '7.31', unit: '无量纲', flag: 'N' },
      { parameter: 'w01018', interval: 'REAL_TIME', value: '38.2', unit: 'mg/L', flag: 'N' },
      { parameter: 'w21003', interval: 'REAL_TIME', value: '1.62', unit: 'mg/L', flag: 'M' },
    ]);
  });

  test('a JSON summary when asked for one; a packet without the reply bit gets no reply', async () => {
    const res = await post(packet({ flag: 4, qn: '20261115103100000', cp: 'DataTime=20261115103100;w01018-Rtd=40.1;w99999-Rtd=1' }), true);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ packets: 1, stored: 1, rejected: 0, observations: 1 });
    expect(res.body.results[0]).toMatchObject({ status: 'stored', cn: '2011', mn: MN, stored: 1, unknownParameters: ['w99999'] });
    expect(res.body.results[0].reply).toBeUndefined();
    expect((await post(packet({ flag: 4, qn: '20261115103200000', cp: 'DataTime=20261115103200;w01018-Rtd=40.3' }))).text).toBe('');
  });

  test.each([
    ['minute data (2051)', 'MINUTE', '2051'],
    ['hourly data (2061)', 'HOUR', '2061'],
    ['daily data (2031)', 'DAY', '2031'],
  ])('%s: the -Avg value under interval %s', async (_label, interval, cn) => {
    const at = { '2051': '20261116101000', '2061': '20261116110000', '2031': '20261117000000' }[cn]!;
    const res = await post(packet({ cn, qn: `${at}000`, cp: `DataTime=${at};w01018-Min=30.0,w01018-Avg=35.5,w01018-Max=41.0,w01018-Flag=N;w00000-Avg=2.4,w00000-Cou=8640` }), true);
    expect(res.body.results[0]).toMatchObject({ status: 'stored', stored: 2 });
    const iso = new Date(Date.UTC(+at.slice(0, 4), +at.slice(4, 6) - 1, +at.slice(6, 8), +at.slice(8, 10) - 8, +at.slice(10, 12))).toISOString();
    expect(await observations(MN, iso)).toEqual([
      { parameter: 'w00000', interval, value: '2.4', unit: 'L/s', flag: 'N' },
      { parameter: 'w01018', interval, value: '35.5', unit: 'mg/L', flag: 'N' },
    ]);
  });

  test('a re-sent value replaces itself; where intervals share a time, the hourly value wins', async () => {
    const hourAt = '2026-11-18T02:00:00.000Z'; // 10:00 in the zone
    const minute = (v: string) => packet({ cn: '2051', qn: '20261118100000000', cp: `DataTime=20261118100000;w01018-Avg=${v}` });
    const hour = (v: string) => packet({ cn: '2061', qn: '20261118110000000', cp: `DataTime=20261118100000;w01018-Avg=${v}` });
    expect((await post(minute('30.1'), true)).body.results[0]).toMatchObject({ stored: 1, superseded: 0 });
    expect((await post(minute('30.2'), true)).body.results[0]).toMatchObject({ stored: 1, superseded: 0 });
    expect(await observations(MN, hourAt)).toMatchObject([{ interval: 'MINUTE', value: '30.2' }]);
    expect((await post(hour('33.3'), true)).body.results[0]).toMatchObject({ stored: 1 });
    expect((await post(minute('30.3'), true)).body.results[0]).toMatchObject({ stored: 0, superseded: 1 });
    expect(await observations(MN, hourAt)).toMatchObject([{ interval: 'HOUR', value: '33.3' }]);
  });

  test('units follow the station: SO2 is mg/m³ in a stack, µg/m³ at an air station', async () => {
    await post(packet({ mn: GAS_MN, qn: '20261119080000000', cp: 'DataTime=20261119080000;a21026-Rtd=6.2;a19001-Rtd=9.8' }));
    expect(await observations(GAS_MN, '2026-11-19T00:00:00Z')).toMatchObject([{ parameter: 'a19001', unit: '%' }, { parameter: 'a21026', unit: 'mg/m³' }]);
    await post(packet({ mn: AIR_MN, pw: 'Qp#202', qn: '20261119080000000', cp: 'DataTime=20261119080000;a21026-Rtd=7' }));
    expect(await observations(AIR_MN, '2026-11-19T00:00:00Z')).toMatchObject([{ parameter: 'a21026', unit: 'µg/m³' }]);
  });

  test('an HJ/T 212-2005 logger: 14-character MN, old codes stored under the 2017 ones, a 2005 reply', async () => {
    const res = await post(frame(`QN=20261120090000000;ST=32;CN=2011;PW=abc123;MN=${OLD_MN};Flag=1;CP=&&DataTime=20261120090000;011-Rtd=55.5,011-Flag=N;060-Rtd=2.25,060-Flag=N&&`));
    const [reply] = replies(res.text);
    expect(reply).toMatchObject({ cn: '9014', mn: OLD_MN, flag: { version: '2005' } });
    expect(await observations(OLD_MN, '2026-11-20T01:00:00Z')).toMatchObject([{ parameter: 'w01018', value: '55.5' }, { parameter: 'w21003', value: '2.25' }]);
  });

  describe('refused packets: the standard reply code, nothing stored', () => {
    const good = packet({ qn: '20261121100000000', cp: 'DataTime=20261121100000;w01018-Rtd=12.5' });
    const data = good.slice(6, -6);

    test.each([
      ['bad CRC', 9, good.replace(/[0-9A-F]{4}\r\n$/, (c) => `${c.slice(0, 3)}${c[3] === '0' ? '1' : '0'}\r\n`)],
      ['a flipped byte under the CRC', 9, good.replace('w01018-Rtd=12.5', 'w01018-Rtd=92.5')],
      ['wrong length', 100, good.replace(/^##\d{4}/, `##${String(data.length + 1).padStart(4, '0')}`)],
      ['unknown MN', 4, packet({ mn: 'ECOHUBDEMO00000000NOSUCH', qn: '20261121100000000', cp: 'DataTime=20261121100000;w01018-Rtd=12.5' })],
      ['wrong PW', 3, packet({ pw: '654321', qn: '20261121100000000', cp: 'DataTime=20261121100000;w01018-Rtd=12.5' })],
      ['malformed CP (field without =)', 100, frame(data.replace('w01018-Rtd=12.5', 'w01018-Rtd'))],
      ['malformed CP (value not a number)', 100, packet({ qn: '20261121100000000', cp: 'DataTime=20261121100000;w01018-Rtd=12.5x' })],
      ['malformed CP (unknown data flag)', 100, packet({ qn: '20261121100000000', cp: 'DataTime=20261121100000;w01018-Rtd=12.5,w01018-Flag=Q' })],
      ['malformed CP (no DataTime)', 100, packet({ qn: '20261121100000000', cp: 'w01018-Rtd=12.5' })],
      ['a platform command sent by a device (the example\'s CN 1062)', 2, packet({ cn: '1062', qn: '20261121100000000', cp: 'RtdInterval=30' })],
    ])('%s → 9011 QnRtn %i', async (_label, code, raw) => {
      const before = await count();
      const res = await post(raw, true);
      expect(res.status).toBe(200);
      expect(res.body.results[0]).toMatchObject({ status: 'rejected', qnRtn: code, stored: 0 });
      const [reply] = replies(res.body.results[0].reply);
      expect(reply).toMatchObject({ cn: '9011', qn: '20261121100000000', cp: { params: { QnRtn: String(code) } } });
      expect(await count()).toBe(before);
    });

    test('a line with no readable header is refused without a reply', async () => {
      const res = await post('hello, logger\r\n', true);
      expect(res.body.results[0]).toMatchObject({ status: 'rejected', qnRtn: 100 });
      expect(res.body.results[0].reply).toBeUndefined();
    });

    test('every refusal is logged as hj212_rejects', async () => {
      const lines: Json[] = [];
      const sink = new Writable({ write(chunk, _enc, cb) { lines.push(JSON.parse(chunk.toString())); cb(); } });
      const ingest = new Hj212Ingest(t.db.ds, pino({ level: 'info' }, sink));
      await ingest.ingest(packet({ pw: 'Zq9!x7', cp: 'DataTime=20261121100000;w01018-Rtd=1' }), { transport: 'http', remote: 'test' });
      expect(lines).toEqual([expect.objectContaining({ msg: 'hj212_rejects', event: 'hj212_rejects', qnRtn: 3, mn: MN, transport: 'http' })]);
      expect(JSON.stringify(lines)).not.toContain('Zq9!x7'); // the PW is never logged
    });
  });

  describe('wrong PWs: counted per device and sender, a correct PW always passes', () => {
    const silent = pino({ level: 'silent' });
    const at = (minute: number) => `DataTime=202611211${minute}0000;w01018-Rtd=1`;

    test('a stranger\'s wrong PWs do not lock the logger out: the stranger\'s address is counted, the logger\'s is not', async () => {
      await registerDevice(t.db.ds, 'P-QP-01', QP_MN, 'Qp#001'); // a PW the hub has never verified
      const guard = new PasswordGuard();
      const ingest = new Hj212Ingest(t.db.ds, silent, {}, guard);
      const stranger = { transport: 'http' as const, remote: '203.0.113.7' };
      const logger = { transport: 'http' as const, remote: '198.51.100.20' };
      const refused = [];
      for (let i = 0; i < WRONG_PW_LIMIT + 3; i++) refused.push(await ingest.ingest(packet({ mn: QP_MN, pw: `bad00${i}`, cp: at(1) }), stranger));
      expect(refused.map((r) => [r.status, r.qnRtn])).toEqual(refused.map(() => ['rejected', 3]));
      // Past the limit the stranger's checks go to the slow lane; they are still checks.
      expect(refused[WRONG_PW_LIMIT].error).toMatch(/slow lane/);
      expect(refused[WRONG_PW_LIMIT - 1].error).not.toMatch(/slow lane/);
      expect(guard.failuresOf(QP_MN, '203.0.113.7')).toBe(WRONG_PW_LIMIT + 3);
      expect(guard.failuresOf(QP_MN, '198.51.100.20')).toBe(0);
      const own = await ingest.ingest(packet({ mn: QP_MN, pw: 'Qp#001', cp: at(1) }), logger);
      expect(own).toMatchObject({ status: 'stored', stored: 1 });
      expect(own.reply && parsePacket(own.reply)).toMatchObject({ cn: '9014' });
    });

    test('a correct PW passes even from the sender that sent the wrong ones (a PW just changed on site)', async () => {
      await registerDevice(t.db.ds, 'P-QP-01', QP_MN, 'Qp#002');
      const guard = new PasswordGuard();
      const ingest = new Hj212Ingest(t.db.ds, silent, {}, guard);
      const site = { transport: 'tcp' as const, remote: '192.0.2.44:40512', address: '192.0.2.44' };
      for (let i = 0; i < WRONG_PW_LIMIT + 2; i++) expect((await ingest.ingest(packet({ mn: QP_MN, pw: 'Qp#001', cp: at(2) }), site)).qnRtn).toBe(3);
      expect(guard.failuresOf(QP_MN, '192.0.2.44')).toBe(WRONG_PW_LIMIT + 2);
      expect(await ingest.ingest(packet({ mn: QP_MN, pw: 'Qp#002', cp: at(2) }), site)).toMatchObject({ status: 'stored', stored: 1 });
      // The port is not part of the sender: a new connection from the same address counts with the old one.
      await ingest.ingest(packet({ mn: QP_MN, pw: 'nope!!', cp: at(2) }), { ...site, remote: '192.0.2.44:40513' });
      expect(guard.failuresOf(QP_MN, '192.0.2.44')).toBe(WRONG_PW_LIMIT + 3);
    });

    test('the HTTP route and the TCP listener share one count per sender (an IPv6 sender by its /64)', async () => {
      const ingest = new Hj212Ingest(t.db.ds, silent);
      const other = new Hj212Ingest(t.db.ds, silent);
      await ingest.ingest(packet({ pw: 'wrong1', cp: at(3) }), { transport: 'http', remote: '2001:db8:1:2::a' });
      const r = await other.ingest(packet({ pw: 'wrong2', cp: at(3) }), { transport: 'tcp', remote: '[2001:db8:1:2:ffff::b]:5000', address: '2001:db8:1:2:ffff::b' });
      expect(r.error).toMatch(/\(2 wrong from this sender/);
    });
  });

  describe('DataTime ahead of the hub\'s clock', () => {
    test('2099 is refused with QnRtn 2 (rejected) and not stored; a current value of the same station is stored', async () => {
      const before = await count();
      const res = await post(packet({ qn: '20261125100000000', cp: 'DataTime=20990101000000;w01018-Rtd=99.9' }), true);
      expect(res.body.results[0]).toMatchObject({ status: 'rejected', qnRtn: 2, stored: 0, error: expect.stringMatching(/DataTime 20990101000000 is more than 600 s ahead/) });
      expect(replies(res.body.results[0].reply)[0]).toMatchObject({ cn: '9011', qn: '20261125100000000', cp: { params: { QnRtn: '2' } } });
      expect(await count()).toBe(before);
      expect(await observations(MN, '2098-12-31T16:00:00Z')).toEqual([]);

      const now = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
      const current = await post(packet({ qn: '20261125100000001', cp: `DataTime=${dataTime(now)};w01018-Rtd=31.4` }), true);
      expect(current.body.results[0]).toMatchObject({ status: 'stored', stored: 1 });
      expect(await observations(MN, now.toISOString())).toMatchObject([{ parameter: 'w01018', value: '31.4' }]);
    });

    test('the skew is a setting: within it a logger\'s fast clock is tolerated, beyond it refused', async () => {
      const ingest = new Hj212Ingest(t.db.ds, pino({ level: 'silent' }), { futureSkewSeconds: 3600 });
      const ahead = (minutes: number) => new Date(Math.floor(Date.now() / 60_000) * 60_000 + minutes * 60_000);
      const within = await ingest.ingest(packet({ cp: `DataTime=${dataTime(ahead(30))};w01018-Rtd=1.5` }), { transport: 'http' });
      expect(within).toMatchObject({ status: 'stored', stored: 1 });
      const beyond = await ingest.ingest(packet({ cp: `DataTime=${dataTime(ahead(120))};w01018-Rtd=1.6` }), { transport: 'http' });
      expect(beyond).toMatchObject({ status: 'rejected', qnRtn: 2, stored: 0 });
      expect(await observations(MN, ahead(120).toISOString())).toEqual([]);
      await t.db.ds.query('DELETE FROM observation WHERE observed_at > now()'); // leave no value from the future to later tests
    });
  });

  test('several packets in one body: one reply each, in order, the bad one alone refused', async () => {
    const a = packet({ qn: '20261122100000001', cp: 'DataTime=20261122100000;w01018-Rtd=20.1' });
    const b = packet({ qn: '20261122100000002', cp: 'DataTime=20261122100100;w01018-Rtd=20.2' }).replace('20.2', '29.2');
    const c = packet({ qn: '20261122100000003', cp: 'DataTime=20261122100200;w01018-Rtd=20.3' });
    const res = await post(`${a}${b}\r\n${c}`);
    expect(replies(res.text).map((r) => [r.qn, r.cn, r.cp.params.QnRtn])).toEqual([
      ['20261122100000001', '9014', undefined], ['20261122100000002', '9011', '9'], ['20261122100000003', '9014', undefined],
    ]);
    expect(await observations(MN, '2026-11-22T02:00:00Z')).toHaveLength(1);
    expect(await observations(MN, '2026-11-22T02:01:00Z')).toHaveLength(0);
    expect(await observations(MN, '2026-11-22T02:02:00Z')).toHaveLength(1);
  });

  test('an empty body is a 400', async () => {
    expect((await post('\r\n')).status).toBe(400);
  });
});

describe('the TCP listener', () => {
  function connect(port: number, localAddress?: string) {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress });
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (received += d));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => undefined);
    const until = async (n: number) => {
      for (let i = 0; i < 200 && splitPackets(received).length < n; i++) await new Promise((r) => setTimeout(r, 10));
      return splitPackets(received).map((r) => parsePacket(r));
    };
    return { socket, until, closed };
  }

  test('a packet split across writes, a garbage line, more packets: all answered, the connection stays', async () => {
    const l = await startHj212Listener({ port: 0, host: '127.0.0.1', ds: t.db.ds, log: pino({ level: 'silent' }) });
    try {
      const c = connect(l.port);
      const first = packet({ qn: '20261123100000001', cp: 'DataTime=20261123100000;w01018-Rtd=21.1' });
      c.socket.write(first.slice(0, 40));
      await new Promise((r) => setTimeout(r, 30));
      c.socket.write(first.slice(40));
      c.socket.write('#garbage#that is not a packet\r\n');
      c.socket.write(packet({ qn: '20261123100000002', cp: 'DataTime=20261123100100;w01018-Rtd=21.2' }) + packet({ pw: 'nope!!', qn: '20261123100000003', cp: 'DataTime=20261123100200;w01018-Rtd=21.3' }));
      const got = await c.until(3);
      expect(got.map((r) => [r.qn, r.cn, r.cp.params.QnRtn])).toEqual([
        ['20261123100000001', '9014', undefined], ['20261123100000002', '9014', undefined], ['20261123100000003', '9011', '3'],
      ]);
      expect(await observations(MN, '2026-11-23T02:00:00Z')).toMatchObject([{ value: '21.1', interval: 'REAL_TIME' }]);
      expect(await observations(MN, '2026-11-23T02:01:00Z')).toMatchObject([{ value: '21.2' }]);
      expect(await observations(MN, '2026-11-23T02:02:00Z')).toHaveLength(0);
      expect(c.socket.destroyed).toBe(false);
      c.socket.end();
    } finally {
      await l.close();
    }
  });

  test('an overlong line drops that connection only; the listener serves the next logger', async () => {
    const l = await startHj212Listener({ port: 0, host: '127.0.0.1', ds: t.db.ds, log: pino({ level: 'silent' }) });
    try {
      const abuser = connect(l.port);
      abuser.socket.write('#'.repeat(3000));
      await abuser.closed;
      const flood = connect(l.port);
      for (let i = 0; i < 12; i++) flood.socket.write('junk\r\n');
      await flood.closed; // ten refusals in a row end the connection
      const next = connect(l.port);
      next.socket.write(packet({ qn: '20261124100000001', cp: 'DataTime=20261124100000;w01018-Rtd=22.2' }));
      expect((await next.until(1))[0]).toMatchObject({ cn: '9014', qn: '20261124100000001' });
      next.socket.end();
    } finally {
      await l.close();
    }
  });

  test('one address holds at most maxConnectionsPerAddress connections; the next is closed, other addresses still connect', async () => {
    const l = await startHj212Listener({ port: 0, host: '127.0.0.1', ds: t.db.ds, log: pino({ level: 'silent' }), settings: { maxConnectionsPerAddress: 2 } });
    try {
      const held = [connect(l.port, '127.0.0.1'), connect(l.port, '127.0.0.1')];
      // A reply on each proves the listener holds both before the third arrives.
      for (const [i, c] of held.entries()) {
        c.socket.write(packet({ qn: `2026112610000000${i}`, cp: `DataTime=2026112610000${i};w01018-Rtd=5.${i}` }));
        expect((await c.until(1))[0]).toMatchObject({ cn: '9014' });
      }
      const third = connect(l.port, '127.0.0.1');
      await third.closed;
      expect(await third.until(0)).toEqual([]);
      const elsewhere = connect(l.port, '127.0.0.2');
      elsewhere.socket.write(packet({ qn: '20261126100000009', cp: 'DataTime=20261126100009;w01018-Rtd=5.9' }));
      expect((await elsewhere.until(1))[0]).toMatchObject({ cn: '9014', qn: '20261126100000009' });
      // The held connections still work, and a closed one frees its place.
      held[0].socket.write(packet({ qn: '20261126100000003', cp: 'DataTime=20261126100003;w01018-Rtd=5.3' }));
      expect((await held[0].until(2))[1]).toMatchObject({ cn: '9014', qn: '20261126100000003' });
      held[1].socket.destroy();
      await held[1].closed;
      for (let i = 0; i < 200 && (await new Promise<number>((r) => l.server.getConnections((_e, n) => r(n)))) > 2; i++) await new Promise((r) => setTimeout(r, 10));
      const again = connect(l.port, '127.0.0.1');
      again.socket.write(packet({ qn: '20261126100000004', cp: 'DataTime=20261126100004;w01018-Rtd=5.4' }));
      expect((await again.until(1))[0]).toMatchObject({ cn: '9014', qn: '20261126100000004' });
      for (const c of [held[0], elsewhere, again]) c.socket.end();
    } finally {
      await l.close();
    }
  });

  test('an incomplete packet is not held: the connection closes after the packet timeout, the complete packet before it is stored', async () => {
    const l = await startHj212Listener({ port: 0, host: '127.0.0.1', ds: t.db.ds, log: pino({ level: 'silent' }), settings: { packetTimeoutSeconds: 0.2 } });
    try {
      const c = connect(l.port);
      const whole = packet({ qn: '20261127100000001', cp: 'DataTime=20261127100000;w01018-Rtd=6.1' });
      const half = packet({ qn: '20261127100000002', cp: 'DataTime=20261127100100;w01018-Rtd=6.2' });
      c.socket.write(whole + half.slice(0, 30));
      await c.closed;
      expect((await c.until(1)).map((r) => r.qn)).toEqual(['20261127100000001']);
      expect(await observations(MN, '2026-11-27T02:00:00Z')).toMatchObject([{ value: '6.1' }]);
      expect(await observations(MN, '2026-11-27T02:01:00Z')).toEqual([]);
    } finally {
      await l.close();
    }
  });

  test('HJ212_* settings: the port off by default; caps, packet timeout and skew with their defaults, validated', () => {
    const base = { HUB_JWT_SECRET: 'x'.repeat(32) };
    expect(loadConfig(base).hj212Port).toBeUndefined();
    expect(loadConfig({ ...base, HJ212_PORT: '5212' }).hj212Port).toBe(5212);
    for (const bad of ['0', '70000', 'tcp']) expect(() => loadConfig({ ...base, HJ212_PORT: bad })).toThrow(ConfigError);
    expect(loadConfig(base).hj212).toEqual(HJ212_DEFAULTS);
    expect(HJ212_DEFAULTS.packetTimeoutSeconds).toBeLessThan(60);
    expect(loadConfig({ ...base, HJ212_MAX_CONNECTIONS_PER_ADDRESS: '4', HJ212_PACKET_TIMEOUT_SECONDS: '10', HJ212_FUTURE_SKEW_SECONDS: '0' }).hj212)
      .toEqual({ ...HJ212_DEFAULTS, maxConnectionsPerAddress: 4, packetTimeoutSeconds: 10, futureSkewSeconds: 0 });
    for (const [name, bad] of [['HJ212_PACKET_TIMEOUT_SECONDS', '0'], ['HJ212_PACKET_TIMEOUT_SECONDS', '1h'], ['HJ212_MAX_CONNECTIONS_PER_ADDRESS', '0'], ['HJ212_FUTURE_SKEW_SECONDS', '-5']]) {
      expect(() => loadConfig({ ...base, [name]: bad })).toThrow(new RegExp(`^${name}:`));
    }
    expect(() => loadConfig({ ...base, HJ212_MAX_CONNECTIONS: '10', HJ212_MAX_CONNECTIONS_PER_ADDRESS: '11' })).toThrow(/must not exceed HJ212_MAX_CONNECTIONS/);
  });
});
