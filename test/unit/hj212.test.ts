import {
  buildPacket,
  buildReply,
  crc16Hj212,
  Hj212Error,
  HJ212_DATA_FLAGS,
  parsePacket,
  QN_RTN,
  splitPackets,
} from '../../src/domain/standards/hj212';
import { hashDevicePassword, PasswordGuard, senderOf, WRONG_PW_LIMIT } from '../../src/modules/ingest/device-password';

// The official example of HJ 212-2017 (standards.md §7.1): data segment of 101 characters, CRC 1C80.
const EXAMPLE_DATA = 'QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&';
const EXAMPLE = `##0101${EXAMPLE_DATA}1C80\r\n`;
const MN = '010000A8900016F000169DC0';

/** Frames a data segment with a correct length and CRC, so a test reaches the check it targets. */
function frame(data: string): string {
  return `##${String(data.length).padStart(4, '0')}${data}${crc16Hj212(data)}\r\n`;
}

function replyCodeOf(raw: string): number {
  try {
    parsePacket(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(Hj212Error);
    return (e as Hj212Error).reply;
  }
  throw new Error('expected an Hj212Error');
}

describe('crc16Hj212', () => {
  it('gives 1C80 for the official example (CRC-16/MODBUS would give 0759)', () => {
    expect(EXAMPLE_DATA.length).toBe(101);
    expect(crc16Hj212(EXAMPLE_DATA)).toBe('1C80');
  });

  it('matches a one-byte case worked by hand', () => {
    // crc = 0xFF ^ 0x41 = 0x00BE; 8 rounds: 5F, A02E, 5017, 880A, 4405, 8203, E100, 7080.
    expect(crc16Hj212('A')).toBe('7080');
  });

  it('is FFFF for no data and always 4 upper-case hex digits', () => {
    expect(crc16Hj212('')).toBe('FFFF');
    expect(crc16Hj212('QN=1')).toMatch(/^[0-9A-F]{4}$/);
  });
});

describe('parsePacket: the official example', () => {
  it('decodes every header field and the CP', () => {
    const p = parsePacket(EXAMPLE);
    expect(p).toMatchObject({
      qn: '20160801085857223',
      st: '32',
      cn: '1062',
      pw: '100000',
      mn: MN,
      flag: { raw: 5, needsReply: true, split: false, version: '2017' },
      crc: '1C80',
      dataSegment: EXAMPLE_DATA,
    });
    expect(p.pnum).toBeUndefined();
    expect(p.cp).toEqual({ items: {}, params: { RtdInterval: '30' }, groups: [{ RtdInterval: '30' }], raw: 'RtdInterval=30' });
  });

  it('tolerates a missing \\r\\n at the end of input, and a bare \\n', () => {
    expect(parsePacket(EXAMPLE.slice(0, -2)).cn).toBe('1062');
    expect(parsePacket(EXAMPLE.slice(0, -2) + '\n').cn).toBe('1062');
  });

  it('accepts a lower-case CRC (hex is hex); replies are always written upper case', () => {
    expect(parsePacket(EXAMPLE.replace('1C80', '1c80')).crc).toBe('1C80');
  });
});

describe('parsePacket: measurement data', () => {
  const data =
    `QN=20240515103000123;ST=32;CN=2011;PW=123456;MN=${MN};Flag=4;` +
    'CP=&&DataTime=20240515103000;w01018-Rtd=12.3,w01018-Flag=N;w21003-Rtd=0.42,w21003-Flag=M;w00000-Rtd=3.5,w00000-Flag=N&&';

  it('maps code-suffix fields into items and reads DataTime', () => {
    const p = parsePacket(frame(data));
    expect(p.flag).toEqual({ raw: 4, needsReply: false, split: false, version: '2017' });
    expect(p.cp.dataTime).toBe('20240515103000');
    expect(p.cp.items).toEqual({
      w01018: { Rtd: '12.3', Flag: 'N' },
      w21003: { Rtd: '0.42', Flag: 'M' },
      w00000: { Rtd: '3.5', Flag: 'N' },
    });
    expect(p.cp.groups).toHaveLength(4);
  });

  it('reads PNUM and PNO of a split packet (Flag bit D)', () => {
    const split = `QN=20240515103000123;ST=32;CN=2011;PW=123456;MN=${MN};Flag=7;PNUM=0002;PNO=0001;CP=&&DataTime=20240515103000;w01018-Rtd=1&&`;
    const p = parsePacket(frame(split));
    expect(p.flag).toEqual({ raw: 7, needsReply: true, split: true, version: '2017' });
    expect([p.pnum, p.pno]).toEqual([2, 1]);
  });

  it('reads a 2005 flag (version bits 000000) with a 14-character MN', () => {
    const p = parsePacket(frame('QN=20240515103000123;ST=32;CN=2011;PW=123456;MN=88888880000001;Flag=1;CP=&&DataTime=20240515103000;060-Rtd=3.09&&'));
    expect(p.flag).toEqual({ raw: 1, needsReply: true, split: false, version: '2005' });
    expect(p.cp.items['060']).toEqual({ Rtd: '3.09' });
  });

  it('flags an unknown version for other version bits', () => {
    const p = parsePacket(frame(`QN=20240515103000123;ST=32;CN=2011;PW=123456;MN=${MN};Flag=8;CP=&&&&`));
    expect(p.flag.version).toBe('unknown');
  });

  it('lists the eight data flags', () => {
    expect(Object.keys(HJ212_DATA_FLAGS)).toEqual(['N', 'F', 'M', 'S', 'D', 'C', 'T', 'B']);
    expect(HJ212_DATA_FLAGS.T.en).toContain('upper limit');
  });
});

describe('parsePacket: faults and their QnRtn codes', () => {
  it('bad CRC → 9, and the error still carries QN, MN and PW for addressing a reply', () => {
    let err: Hj212Error | undefined;
    try {
      parsePacket(EXAMPLE.replace('1C80', '1C81'));
    } catch (e) {
      err = e as Hj212Error;
    }
    expect(err).toBeInstanceOf(Hj212Error);
    expect(err!.reply).toBe(QN_RTN.CRC_ERROR);
    expect(err!.message).toContain('1C80');
    expect(err!.header).toMatchObject({ qn: '20160801085857223', mn: MN, pw: '100000' });
  });

  it('a flipped byte in the data segment → 9', () => {
    expect(replyCodeOf(EXAMPLE.replace('RtdInterval=30', 'RtdInterval=31'))).toBe(9);
  });

  it('non-hex CRC → 9', () => {
    expect(replyCodeOf(EXAMPLE.replace('1C80', 'ZZZZ'))).toBe(9);
  });

  it.each([
    ['wrong length', EXAMPLE.replace('##0101', '##0100')],
    ['length not decimal', EXAMPLE.replace('##0101', '##01A1')],
    ['missing ##', EXAMPLE.slice(2)],
    ['single #', EXAMPLE.slice(1)],
    ['truncated', EXAMPLE.slice(0, 60)],
    ['two packets on one call', EXAMPLE + EXAMPLE],
  ])('%s → 100', (_label, raw) => {
    expect(replyCodeOf(raw)).toBe(QN_RTN.UNKNOWN_ERROR);
  });

  it.each([
    ['CP opened with one &', `QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=${MN};Flag=5;CP=&RtdInterval=30&&`],
    ['CP not closed', `QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=${MN};Flag=5;CP=&&RtdInterval=30`],
    ['CP missing', `QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=${MN};Flag=5`],
    ['CP field without =', `QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=${MN};Flag=5;CP=&&RtdInterval&&`],
    ['CP empty group', `QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=${MN};Flag=5;CP=&&DataTime=20240515103000;;w01018-Rtd=1&&`],
    ['CP bad DataTime', `QN=20160801085857223;ST=32;CN=2011;PW=100000;MN=${MN};Flag=5;CP=&&DataTime=20241315103000;w01018-Rtd=1&&`],
    ['CP repeated field', `QN=20160801085857223;ST=32;CN=2011;PW=100000;MN=${MN};Flag=5;CP=&&w01018-Rtd=1;w01018-Rtd=2&&`],
    ['CP over 950 characters', `QN=20160801085857223;ST=32;CN=2011;PW=100000;MN=${MN};Flag=4;CP=&&${'a'.repeat(945)}=12345&&`],
    ['unknown header field', `QN=20160801085857223;ST=32;CN=1062;XX=1;PW=100000;MN=${MN};Flag=5;CP=&&&&`],
    ['repeated header field', `QN=20160801085857223;ST=32;ST=32;CN=1062;PW=100000;MN=${MN};Flag=5;CP=&&&&`],
  ])('%s → 100', (_label, data) => {
    expect(replyCodeOf(frame(data))).toBe(QN_RTN.UNKNOWN_ERROR);
  });

  it('accepts a CP of exactly 950 characters', () => {
    const cp = `${'a'.repeat(944)}=12345`;
    expect(cp.length).toBe(950);
    expect(parsePacket(frame(`QN=20160801085857223;ST=32;CN=2011;PW=100000;MN=${MN};Flag=4;CP=&&${cp}&&`)).cp.raw).toHaveLength(950);
  });

  it.each([
    ['QN missing', `ST=32;CN=1062;PW=100000;MN=${MN};Flag=5;CP=&&&&`, QN_RTN.QN_ERROR],
    ['QN 16 digits', `QN=2016080108585722;ST=32;CN=1062;PW=100000;MN=${MN};Flag=5;CP=&&&&`, QN_RTN.QN_ERROR],
    ['QN month 13', `QN=20161301085857223;ST=32;CN=1062;PW=100000;MN=${MN};Flag=5;CP=&&&&`, QN_RTN.QN_ERROR],
    ['ST not digits', `QN=20160801085857223;ST=3A;CN=1062;PW=100000;MN=${MN};Flag=5;CP=&&&&`, QN_RTN.ST_ERROR],
    ['CN 3 digits', `QN=20160801085857223;ST=32;CN=106;PW=100000;MN=${MN};Flag=5;CP=&&&&`, QN_RTN.CN_ERROR],
    ['PW 5 characters', `QN=20160801085857223;ST=32;CN=1062;PW=10000;MN=${MN};Flag=5;CP=&&&&`, QN_RTN.PW_ERROR],
    ['MN 23 characters', `QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=${MN.slice(1)};Flag=5;CP=&&&&`, QN_RTN.MN_ERROR],
    ['MN missing', `QN=20160801085857223;ST=32;CN=1062;PW=100000;Flag=5;CP=&&&&`, QN_RTN.MN_ERROR],
    ['Flag not a number', `QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=${MN};Flag=x;CP=&&&&`, QN_RTN.FLAG_ERROR],
    ['Flag missing', `QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=${MN};CP=&&&&`, QN_RTN.FLAG_ERROR],
    ['split flag without PNUM/PNO', `QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=${MN};Flag=6;CP=&&&&`, QN_RTN.FLAG_ERROR],
    ['PNUM/PNO without the split flag', `QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=${MN};Flag=4;PNUM=0002;PNO=0001;CP=&&&&`, QN_RTN.FLAG_ERROR],
    ['PNO beyond PNUM', `QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=${MN};Flag=6;PNUM=0002;PNO=0003;CP=&&&&`, QN_RTN.FLAG_ERROR],
  ])('%s → %i', (_label, data, code) => {
    expect(replyCodeOf(frame(data))).toBe(code);
  });
});

describe('splitPackets', () => {
  it('splits a batch into packets that each parse, skipping blank lines', () => {
    const second = frame(`QN=20240515103000123;ST=32;CN=2011;PW=123456;MN=${MN};Flag=4;CP=&&DataTime=20240515103000;w01018-Rtd=12.3&&`);
    const body = `${EXAMPLE}${second}\r\n${EXAMPLE.slice(0, -2)}`;
    const parts = splitPackets(body);
    expect(parts).toEqual([EXAMPLE, second, EXAMPLE]);
    expect(parts.map((p) => parsePacket(p).cn)).toEqual(['1062', '2011', '1062']);
  });

  it('returns nothing for an empty body', () => {
    expect(splitPackets('')).toEqual([]);
    expect(splitPackets('\r\n\r\n')).toEqual([]);
  });
});

describe('replies', () => {
  const request = parsePacket(EXAMPLE);

  it('9011 request reply echoes QN, uses ST 91 and Flag 4, and round-trips', () => {
    const raw = buildReply(request, { cn: '9011', qnRtn: QN_RTN.READY });
    // Data segment length counted by hand: 21 + 6 + 8 + 10 + 28 + 7 + 14 = 94.
    expect(raw.startsWith('##0094QN=20160801085857223;ST=91;CN=9011;PW=100000;')).toBe(true);
    expect(raw.endsWith('\r\n')).toBe(true);
    const p = parsePacket(raw);
    expect(p).toMatchObject({ qn: request.qn, st: '91', cn: '9011', pw: '100000', mn: MN, flag: { raw: 4, needsReply: false, version: '2017' } });
    expect(p.cp.params).toEqual({ QnRtn: '1' });
  });

  it('9011 can carry a refusal code such as the CRC error', () => {
    const p = parsePacket(buildReply({ qn: '20160801085857223', pw: '100000', mn: MN }, { cn: '9011', qnRtn: QN_RTN.CRC_ERROR }));
    expect(p.cp.params.QnRtn).toBe('9');
  });

  it('9014 data reply has an empty CP and round-trips', () => {
    const raw = buildReply(request, { cn: '9014' });
    // 21 + 6 + 8 + 10 + 28 + 7 + "CP=&&&&" 7 = 87.
    expect(raw.startsWith('##0087')).toBe(true);
    const p = parsePacket(raw);
    expect(p).toMatchObject({ cn: '9014', st: '91', flag: { raw: 4 } });
    expect(p.cp).toEqual({ items: {}, params: {}, groups: [], raw: '' });
  });

  it('answers a 2005 packet with a 2005 flag', () => {
    const old = parsePacket(frame('QN=20240515103000123;ST=32;CN=2011;PW=123456;MN=88888880000001;Flag=1;CP=&&DataTime=20240515103000;060-Rtd=3.09&&'));
    const p = parsePacket(buildReply(old, { cn: '9014' }));
    expect(p.flag).toEqual({ raw: 0, needsReply: false, split: false, version: '2005' });
    expect(p.mn).toBe('88888880000001');
  });

  it('buildPacket reproduces the official example byte for byte', () => {
    expect(buildPacket({ qn: '20160801085857223', st: '32', cn: '1062', pw: '100000', mn: MN, flag: 5, cp: 'RtdInterval=30' })).toBe(EXAMPLE);
  });
});

describe('senderOf: what a wrong PW is counted against', () => {
  it('an IPv4 address as it is, also when the socket reports it IPv4-mapped', () => {
    expect(senderOf('203.0.113.7')).toBe('203.0.113.7');
    expect(senderOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('an IPv6 address by its /64, however it is written; nothing known is one sender', () => {
    expect(senderOf('2001:db8:1:2::a')).toBe('2001:db8:1:2::/64');
    expect(senderOf('2001:0db8:0001:0002:ffff:0:0:b')).toBe('2001:db8:1:2::/64');
    expect(senderOf('2001:db8:1:3::a')).toBe('2001:db8:1:3::/64');
    expect(senderOf(undefined)).toBe('unknown');
    expect(senderOf('not an address')).toBe('not an address');
  });
});

describe('PasswordGuard', () => {
  let stored: string;
  beforeAll(async () => {
    stored = await hashDevicePassword('Gd#212');
  });

  it('counts wrong PWs per (MN, sender) for a minute, and never refuses the right PW', async () => {
    let clock = 1_000_000;
    const guard = new PasswordGuard({ now: () => clock });
    const mn = 'GUARDTEST000000000000001';
    const results = [];
    for (let i = 0; i < WRONG_PW_LIMIT + 2; i++) results.push(await guard.check(stored, mn, '203.0.113.7', `bad00${i}`));
    expect(results.map((r) => [r.ok, r.failures, r.slowLane])).toEqual([
      [false, 1, false], [false, 2, false], [false, 3, false], [false, 4, false], [false, 5, false], [false, 6, true], [false, 7, true],
    ]);
    expect(guard.failuresOf(mn, '203.0.113.7')).toBe(7);
    expect(guard.failuresOf(mn, '198.51.100.1')).toBe(0);
    expect(guard.failuresOf('OTHERDEVICE0000000000001', '203.0.113.7')).toBe(0);
    // Past the limit the right PW is still checked, and passes.
    expect(await guard.check(stored, mn, '203.0.113.7', 'Gd#212')).toMatchObject({ ok: true, slowLane: true });
    clock += 61_000;
    expect(guard.failuresOf(mn, '203.0.113.7')).toBe(0);
    expect(await guard.check(stored, mn, '203.0.113.7', 'bad999')).toMatchObject({ ok: false, failures: 1, slowLane: false });
  });

  it('runs the slow lane one check at a time; senders within the limit are checked at once', async () => {
    let running = 0;
    let most = 0;
    const verify = async (_stored: string, pw: string) => {
      most = Math.max(most, ++running);
      await new Promise((r) => setImmediate(r));
      running--;
      return pw === 'right!';
    };
    const lane = new PasswordGuard({ limit: 0, verify });
    const results = await Promise.all(['bad001', 'right!', 'bad002', 'bad003'].map((pw) => lane.check(stored, 'GUARDTEST000000000000002', '192.0.2.1', pw)));
    expect(results.map((r) => [r.ok, r.slowLane])).toEqual([[false, true], [true, true], [false, true], [false, true]]);
    expect(most).toBe(1);
    most = 0;
    const open = new PasswordGuard({ verify });
    await Promise.all(['bad001', 'bad002', 'bad003'].map((pw) => open.check(stored, 'GUARDTEST000000000000003', '192.0.2.1', pw)));
    expect(most).toBe(3);
  });
});
