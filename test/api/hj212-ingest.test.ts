import net from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { ConfigError, loadConfig } from '../../src/config';
import { buildPacket, crc16Hj212, parsePacket, splitPackets } from '../../src/domain/standards/hj212';
import { demoMnFor, DEMO_DEVICE_PW, Hj212Ingest, registerDemoDevices, registerDevice, startHj212Listener } from '../../src/modules/ingest';
import { startTestHub, TestHub } from '../support/hub';

/** HJ 212-2017 ingest over HTTP and TCP, on the seeded demo database with its demo devices. */
let t: TestHub;
const MN = demoMnFor('P-WJ-01'); // a wastewater outlet
const GAS_MN = demoMnFor('P-WJ-02'); // a boiler stack
const OLD_MN = '88888880000001'; // an HJ/T 212-2005 logger on P-JS-02
const AIR_MN = 'AIRQP020000000000000AQ02';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** A packet shaped like the standard's example (QN;ST;CN;PW;MN;Flag;CP=&&…&&), with a correct length and CRC. */
function packet(o: { cn?: string; mn?: string; pw?: string; flag?: number; cp: string; qn?: string }): string {
  return buildPacket({ qn: o.qn ?? '20270115103000123', st: '32', cn: o.cn ?? '2011', pw: o.pw ?? DEMO_DEVICE_PW, mn: o.mn ?? MN, flag: o.flag ?? 5, cp: o.cp });
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
  const RT = 'DataTime=20270115103000;w01018-Rtd=38.2,w01018-Flag=N;w21003-Rtd=1.62,w21003-Flag=M;w01001-Rtd=7.31';

  test('a real-time packet (CN 2011) from a registered logger is stored and answered with 9014', async () => {
    const sent = packet({ cp: RT });
    const res = await post(sent);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const [reply] = replies(res.text);
    expect(reply).toMatchObject({ cn: '9014', st: '91', qn: '20270115103000123', mn: MN, pw: DEMO_DEVICE_PW, flag: { needsReply: false, version: '2017' } });
    expect(res.text).toBe(splitPackets(res.text).join(''));
    // 10:30 in the zone (UTC+8) is 02:30 UTC; -Rtd values, their flags, N when absent, units by code.
    expect(await observations(MN, '2027-01-15T02:30:00Z')).toEqual([
      { parameter: 'w01001', interval: 'REAL_TIME', value: '7.31', unit: '无量纲', flag: 'N' },
      { parameter: 'w01018', interval: 'REAL_TIME', value: '38.2', unit: 'mg/L', flag: 'N' },
      { parameter: 'w21003', interval: 'REAL_TIME', value: '1.62', unit: 'mg/L', flag: 'M' },
    ]);
  });

  test('a JSON summary when asked for one; a packet without the reply bit gets no reply', async () => {
    const res = await post(packet({ flag: 4, qn: '20270115103100000', cp: 'DataTime=20270115103100;w01018-Rtd=40.1;w99999-Rtd=1' }), true);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ packets: 1, stored: 1, rejected: 0, observations: 1 });
    expect(res.body.results[0]).toMatchObject({ status: 'stored', cn: '2011', mn: MN, stored: 1, unknownParameters: ['w99999'] });
    expect(res.body.results[0].reply).toBeUndefined();
    expect((await post(packet({ flag: 4, qn: '20270115103200000', cp: 'DataTime=20270115103200;w01018-Rtd=40.3' }))).text).toBe('');
  });

  test.each([
    ['minute data (2051)', 'MINUTE', '2051'],
    ['hourly data (2061)', 'HOUR', '2061'],
    ['daily data (2031)', 'DAY', '2031'],
  ])('%s: the -Avg value under interval %s', async (_label, interval, cn) => {
    const at = { '2051': '20270116101000', '2061': '20270116110000', '2031': '20270117000000' }[cn]!;
    const res = await post(packet({ cn, qn: `${at}000`, cp: `DataTime=${at};w01018-Min=30.0,w01018-Avg=35.5,w01018-Max=41.0,w01018-Flag=N;w00000-Avg=2.4,w00000-Cou=8640` }), true);
    expect(res.body.results[0]).toMatchObject({ status: 'stored', stored: 2 });
    const iso = new Date(Date.UTC(+at.slice(0, 4), +at.slice(4, 6) - 1, +at.slice(6, 8), +at.slice(8, 10) - 8, +at.slice(10, 12))).toISOString();
    expect(await observations(MN, iso)).toEqual([
      { parameter: 'w00000', interval, value: '2.4', unit: 'L/s', flag: 'N' },
      { parameter: 'w01018', interval, value: '35.5', unit: 'mg/L', flag: 'N' },
    ]);
  });

  test('a re-sent value replaces itself; where intervals share a time, the hourly value wins', async () => {
    const hourAt = '2027-01-18T02:00:00.000Z'; // 10:00 in the zone
    const minute = (v: string) => packet({ cn: '2051', qn: '20270118100000000', cp: `DataTime=20270118100000;w01018-Avg=${v}` });
    const hour = (v: string) => packet({ cn: '2061', qn: '20270118110000000', cp: `DataTime=20270118100000;w01018-Avg=${v}` });
    expect((await post(minute('30.1'), true)).body.results[0]).toMatchObject({ stored: 1, superseded: 0 });
    expect((await post(minute('30.2'), true)).body.results[0]).toMatchObject({ stored: 1, superseded: 0 });
    expect(await observations(MN, hourAt)).toMatchObject([{ interval: 'MINUTE', value: '30.2' }]);
    expect((await post(hour('33.3'), true)).body.results[0]).toMatchObject({ stored: 1 });
    expect((await post(minute('30.3'), true)).body.results[0]).toMatchObject({ stored: 0, superseded: 1 });
    expect(await observations(MN, hourAt)).toMatchObject([{ interval: 'HOUR', value: '33.3' }]);
  });

  test('units follow the station: SO2 is mg/m³ in a stack, µg/m³ at an air station', async () => {
    await post(packet({ mn: GAS_MN, qn: '20270119080000000', cp: 'DataTime=20270119080000;a21026-Rtd=6.2;a19001-Rtd=9.8' }));
    expect(await observations(GAS_MN, '2027-01-19T00:00:00Z')).toMatchObject([{ parameter: 'a19001', unit: '%' }, { parameter: 'a21026', unit: 'mg/m³' }]);
    await post(packet({ mn: AIR_MN, pw: 'Qp#202', qn: '20270119080000000', cp: 'DataTime=20270119080000;a21026-Rtd=7' }));
    expect(await observations(AIR_MN, '2027-01-19T00:00:00Z')).toMatchObject([{ parameter: 'a21026', unit: 'µg/m³' }]);
  });

  test('an HJ/T 212-2005 logger: 14-character MN, old codes stored under the 2017 ones, a 2005 reply', async () => {
    const res = await post(frame(`QN=20270120090000000;ST=32;CN=2011;PW=abc123;MN=${OLD_MN};Flag=1;CP=&&DataTime=20270120090000;011-Rtd=55.5,011-Flag=N;060-Rtd=2.25,060-Flag=N&&`));
    const [reply] = replies(res.text);
    expect(reply).toMatchObject({ cn: '9014', mn: OLD_MN, flag: { version: '2005' } });
    expect(await observations(OLD_MN, '2027-01-20T01:00:00Z')).toMatchObject([{ parameter: 'w01018', value: '55.5' }, { parameter: 'w21003', value: '2.25' }]);
  });

  describe('refused packets: the standard reply code, nothing stored', () => {
    const good = packet({ qn: '20270121100000000', cp: 'DataTime=20270121100000;w01018-Rtd=12.5' });
    const data = good.slice(6, -6);

    test.each([
      ['bad CRC', 9, good.replace(/[0-9A-F]{4}\r\n$/, (c) => `${c.slice(0, 3)}${c[3] === '0' ? '1' : '0'}\r\n`)],
      ['a flipped byte under the CRC', 9, good.replace('w01018-Rtd=12.5', 'w01018-Rtd=92.5')],
      ['wrong length', 100, good.replace(/^##\d{4}/, `##${String(data.length + 1).padStart(4, '0')}`)],
      ['unknown MN', 4, packet({ mn: 'ECOHUBDEMO00000000NOSUCH', qn: '20270121100000000', cp: 'DataTime=20270121100000;w01018-Rtd=12.5' })],
      ['wrong PW', 3, packet({ pw: '654321', qn: '20270121100000000', cp: 'DataTime=20270121100000;w01018-Rtd=12.5' })],
      ['malformed CP (field without =)', 100, frame(data.replace('w01018-Rtd=12.5', 'w01018-Rtd'))],
      ['malformed CP (value not a number)', 100, packet({ qn: '20270121100000000', cp: 'DataTime=20270121100000;w01018-Rtd=12.5x' })],
      ['malformed CP (unknown data flag)', 100, packet({ qn: '20270121100000000', cp: 'DataTime=20270121100000;w01018-Rtd=12.5,w01018-Flag=Q' })],
      ['malformed CP (no DataTime)', 100, packet({ qn: '20270121100000000', cp: 'w01018-Rtd=12.5' })],
      ['a platform command sent by a device (the example\'s CN 1062)', 2, packet({ cn: '1062', qn: '20270121100000000', cp: 'RtdInterval=30' })],
    ])('%s → 9011 QnRtn %i', async (_label, code, raw) => {
      const before = await count();
      const res = await post(raw, true);
      expect(res.status).toBe(200);
      expect(res.body.results[0]).toMatchObject({ status: 'rejected', qnRtn: code, stored: 0 });
      const [reply] = replies(res.body.results[0].reply);
      expect(reply).toMatchObject({ cn: '9011', qn: '20270121100000000', cp: { params: { QnRtn: String(code) } } });
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
      await ingest.ingest(packet({ pw: 'Zq9!x7', cp: 'DataTime=20270121100000;w01018-Rtd=1' }), { transport: 'http', remote: 'test' });
      expect(lines).toEqual([expect.objectContaining({ msg: 'hj212_rejects', event: 'hj212_rejects', qnRtn: 3, mn: MN, transport: 'http' })]);
      expect(JSON.stringify(lines)).not.toContain('Zq9!x7'); // the PW is never logged
    });
  });

  test('wrong PWs past five a minute are refused unchecked; the device\'s own PW still works', async () => {
    const ingest = new Hj212Ingest(t.db.ds, pino({ level: 'silent' }));
    const wrong = async (i: number) => ingest.ingest(packet({ pw: `bad00${i}`, cp: 'DataTime=20270121120000;w01018-Rtd=1' }), { transport: 'http' });
    const reasons: string[] = [];
    for (let i = 0; i < 7; i++) reasons.push((await wrong(i)).error!);
    expect(reasons.slice(0, 5).every((r) => r.startsWith('PW does not match'))).toBe(true);
    expect(reasons.slice(5).every((r) => r.startsWith('too many wrong PWs'))).toBe(true);
    const right = await ingest.ingest(packet({ cp: 'DataTime=20270121120000;w01018-Rtd=1' }), { transport: 'http' });
    expect(right.status).toBe('stored');
  });

  test('several packets in one body: one reply each, in order, the bad one alone refused', async () => {
    const a = packet({ qn: '20270122100000001', cp: 'DataTime=20270122100000;w01018-Rtd=20.1' });
    const b = packet({ qn: '20270122100000002', cp: 'DataTime=20270122100100;w01018-Rtd=20.2' }).replace('20.2', '29.2');
    const c = packet({ qn: '20270122100000003', cp: 'DataTime=20270122100200;w01018-Rtd=20.3' });
    const res = await post(`${a}${b}\r\n${c}`);
    expect(replies(res.text).map((r) => [r.qn, r.cn, r.cp.params.QnRtn])).toEqual([
      ['20270122100000001', '9014', undefined], ['20270122100000002', '9011', '9'], ['20270122100000003', '9014', undefined],
    ]);
    expect(await observations(MN, '2027-01-22T02:00:00Z')).toHaveLength(1);
    expect(await observations(MN, '2027-01-22T02:01:00Z')).toHaveLength(0);
    expect(await observations(MN, '2027-01-22T02:02:00Z')).toHaveLength(1);
  });

  test('an empty body is a 400', async () => {
    expect((await post('\r\n')).status).toBe(400);
  });
});

describe('the TCP listener', () => {
  function connect(port: number) {
    const socket = net.connect(port, '127.0.0.1');
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
      const first = packet({ qn: '20270123100000001', cp: 'DataTime=20270123100000;w01018-Rtd=21.1' });
      c.socket.write(first.slice(0, 40));
      await new Promise((r) => setTimeout(r, 30));
      c.socket.write(first.slice(40));
      c.socket.write('#garbage#that is not a packet\r\n');
      c.socket.write(packet({ qn: '20270123100000002', cp: 'DataTime=20270123100100;w01018-Rtd=21.2' }) + packet({ pw: 'nope!!', qn: '20270123100000003', cp: 'DataTime=20270123100200;w01018-Rtd=21.3' }));
      const got = await c.until(3);
      expect(got.map((r) => [r.qn, r.cn, r.cp.params.QnRtn])).toEqual([
        ['20270123100000001', '9014', undefined], ['20270123100000002', '9014', undefined], ['20270123100000003', '9011', '3'],
      ]);
      expect(await observations(MN, '2027-01-23T02:00:00Z')).toMatchObject([{ value: '21.1', interval: 'REAL_TIME' }]);
      expect(await observations(MN, '2027-01-23T02:01:00Z')).toMatchObject([{ value: '21.2' }]);
      expect(await observations(MN, '2027-01-23T02:02:00Z')).toHaveLength(0);
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
      next.socket.write(packet({ qn: '20270124100000001', cp: 'DataTime=20270124100000;w01018-Rtd=22.2' }));
      expect((await next.until(1))[0]).toMatchObject({ cn: '9014', qn: '20270124100000001' });
      next.socket.end();
    } finally {
      await l.close();
    }
  });

  test('HJ212_PORT: off by default, a port when set, validated', () => {
    const base = { HUB_JWT_SECRET: 'x'.repeat(32) };
    expect(loadConfig(base).hj212Port).toBeUndefined();
    expect(loadConfig({ ...base, HJ212_PORT: '5212' }).hj212Port).toBe(5212);
    for (const bad of ['0', '70000', 'tcp']) expect(() => loadConfig({ ...base, HJ212_PORT: bad })).toThrow(ConfigError);
  });
});
