/**
 * HJ 212-2017 packets (污染物在线监控（监测）系统数据传输标准): framing, CRC, header fields, the
 * CP data area, and the replies the hub sends back. Pure: no sockets, no database.
 *
 * Decisions where the text leaves room:
 * - Length and CRC are taken over the UTF-8 bytes of the data segment. Packets are ASCII in
 *   practice, where bytes and characters agree.
 * - The CRC is compared case-insensitively (`1c80` is accepted); the hub always writes upper case.
 * - Framing faults that the QnRtn table has no code for (missing `##`, bad or wrong length,
 *   malformed or oversized CP, unknown or repeated header fields) answer 100 (unknown error).
 *   A CRC mismatch answers 9; bad QN 7, ST 5, CN 8, PW 3, MN 4, Flag 6 (also when the split bit
 *   and PNUM/PNO disagree).
 * - QN, ST, CN, PW, MN, Flag and CP are all required: the hub speaks HJ 212-2017, where every
 *   packet carries them. MN must be 24 characters for a 2017 flag, 14 for a 2005 flag.
 * - The 950-character CP limit applies to the text between the `&&` delimiters.
 * - A trailing `\r\n` (or a bare `\n`) is stripped; its absence at the end of input is tolerated.
 */

/** QnRtn codes of the 9011 request reply. */
export const QN_RTN = {
  READY: 1,
  REJECTED: 2,
  PW_ERROR: 3,
  MN_ERROR: 4,
  ST_ERROR: 5,
  FLAG_ERROR: 6,
  QN_ERROR: 7,
  CN_ERROR: 8,
  CRC_ERROR: 9,
  UNKNOWN_ERROR: 100,
} as const;
export type QnRtn = (typeof QN_RTN)[keyof typeof QN_RTN];

/** ExeRtn codes of the 9012 execution result, for callers that report command outcomes. */
export const EXE_RTN = {
  SUCCESS: 1,
  FAILED: 2,
  CONDITION_ERROR: 3,
  TIMEOUT: 4,
  BUSY: 5,
  FAULT: 6,
  NO_DATA: 100,
} as const;

/**
 * Meanings of the `-Flag` data flag of each measurement. Only N-flagged values should feed
 * compliance calculations, so consumers need to tell the others apart and explain them.
 */
export const HJ212_DATA_FLAGS = {
  N: { zh: '在线监控（监测）仪器仪表工作正常', en: 'instrument normal' },
  F: { zh: '在线监控（监测）仪器仪表停运', en: 'instrument stopped' },
  M: { zh: '在线监控（监测）仪器仪表处于维护期间产生的数据', en: 'produced during maintenance' },
  S: { zh: '手工输入的设定值', en: 'manually entered set value' },
  D: { zh: '在线监控（监测）仪器仪表故障', en: 'instrument fault' },
  C: { zh: '在线监控（监测）仪器仪表处于校准状态', en: 'calibrating' },
  T: { zh: '在线监控（监测）仪器仪表采样数值超过测量上限', en: 'sample above the measurement upper limit' },
  B: { zh: '在线监控（监测）仪器仪表与数采仪通讯异常', en: 'communication error between instrument and data logger' },
} as const;
export type Hj212DataFlag = keyof typeof HJ212_DATA_FLAGS;

/** Command codes the hub deals with by name; any 4-digit CN is still accepted by the parser. */
export const HJ212_CN = {
  SET_TIMEOUT_RETRY: '1000',
  GET_SITE_TIME: '1011',
  SET_SITE_TIME: '1012',
  TIME_CALIBRATION_REQUEST: '1013',
  GET_RTD_INTERVAL: '1061',
  SET_RTD_INTERVAL: '1062',
  GET_MINUTE_INTERVAL: '1063',
  SET_MINUTE_INTERVAL: '1064',
  SET_PASSWORD: '1072',
  REALTIME_DATA: '2011',
  STOP_REALTIME_DATA: '2012',
  EQUIPMENT_STATE: '2021',
  STOP_EQUIPMENT_STATE: '2022',
  DAILY_DATA: '2031',
  DAILY_RUNTIME: '2041',
  MINUTE_DATA: '2051',
  HOURLY_DATA: '2061',
  POWER_ON_TIME: '2081',
  REQUEST_REPLY: '9011',
  EXECUTION_RESULT: '9012',
  NOTIFICATION_REPLY: '9013',
  DATA_REPLY: '9014',
} as const;

/** System code (ST) for system-interaction packets such as replies. */
export const ST_SYSTEM_INTERACTION = '91';
/** Longest CP data area HJ 212-2017 allows. */
export const CP_MAX_LENGTH = 950;

/**
 * A packet the hub cannot accept. `reply` is the QnRtn code to answer with; `header` holds what
 * could be read of QN/MN/PW/ST/CN/Flag before the fault, so a reply can still be addressed.
 */
export class Hj212Error extends Error {
  readonly reply: QnRtn;
  readonly header: Partial<Record<'qn' | 'st' | 'cn' | 'pw' | 'mn' | 'flag', string>>;

  constructor(reply: QnRtn, message: string, header: Hj212Error['header'] = {}) {
    super(message);
    this.name = 'Hj212Error';
    this.reply = reply;
    this.header = header;
  }
}

/** CRC of a data segment, as HJ 212 defines it (not CRC-16/MODBUS): 4 upper-case hex digits. */
export function crc16Hj212(data: string): string {
  let crc = 0xffff;
  for (const byte of Buffer.from(data, 'utf8')) {
    crc = (crc >> 8) ^ byte;
    for (let i = 0; i < 8; i++) {
      const lsb = crc & 1;
      crc >>= 1;
      if (lsb) crc ^= 0xa001;
    }
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

export interface Hj212Flag {
  raw: number;
  /** Bit A: the sender wants a reply. */
  needsReply: boolean;
  /** Bit D: the packet is one part of a split message and carries PNUM/PNO. */
  split: boolean;
  /** Bits V5..V0: 0 is HJ/T 212-2005, 1 is HJ 212-2017. */
  version: '2005' | '2017' | 'unknown';
}

export interface Hj212Cp {
  /** `DataTime`, `YYYYMMDDhhmmss`, when present. */
  dataTime?: string;
  /** Measurement fields by pollutant code: `items.w01018 = { Rtd: '12.3', Flag: 'N' }`. */
  items: Record<string, Record<string, string>>;
  /** Fields without a `code-` prefix other than DataTime (`RtdInterval`, `QnRtn`, `PolId`…); first occurrence wins. */
  params: Record<string, string>;
  /** The `;`-separated groups as read, each a map of its `,`-separated fields, for commands with repeated keys. */
  groups: Array<Record<string, string>>;
  /** The text between the `&&` delimiters. */
  raw: string;
}

export interface Hj212Packet {
  qn: string;
  st: string;
  cn: string;
  pw: string;
  mn: string;
  flag: Hj212Flag;
  /** Total parts of a split message. */
  pnum?: number;
  /** This part's number, from 1. */
  pno?: number;
  cp: Hj212Cp;
  /** The data segment the length and CRC cover. */
  dataSegment: string;
  crc: string;
}

const HEADER_KEYS = ['QN', 'ST', 'CN', 'PW', 'MN', 'Flag', 'PNUM', 'PNO'] as const;
type HeaderKey = (typeof HEADER_KEYS)[number];

/** Best-effort read of addressing fields from a packet that failed, so the error can carry them. */
function salvageHeader(text: string): Hj212Error['header'] {
  const out: Hj212Error['header'] = {};
  const pairs: Array<[keyof Hj212Error['header'], string]> = [['qn', 'QN'], ['st', 'ST'], ['cn', 'CN'], ['pw', 'PW'], ['mn', 'MN'], ['flag', 'Flag']];
  for (const [key, name] of pairs) {
    const m = new RegExp(`(?:^|[#;0-9])${name}=([^;&\\r\\n]*)`).exec(text);
    if (m) out[key] = m[1];
  }
  return out;
}

function isValidTimestamp(digits: string): boolean {
  const y = Number(digits.slice(0, 4));
  const mo = Number(digits.slice(4, 6));
  const d = Number(digits.slice(6, 8));
  const h = Number(digits.slice(8, 10));
  const mi = Number(digits.slice(10, 12));
  const s = Number(digits.slice(12, 14));
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
}

function parseFlag(text: string): Hj212Flag | undefined {
  if (!/^\d{1,3}$/.test(text)) return undefined;
  const raw = Number(text);
  if (raw > 255) return undefined;
  const v = raw >> 2;
  return { raw, needsReply: (raw & 1) === 1, split: (raw & 2) === 2, version: v === 0 ? '2005' : v === 1 ? '2017' : 'unknown' };
}

function parseCp(raw: string, fail: (reply: QnRtn, msg: string) => never): Hj212Cp {
  if (raw.length > CP_MAX_LENGTH) fail(QN_RTN.UNKNOWN_ERROR, `CP is ${raw.length} characters, more than the ${CP_MAX_LENGTH} allowed`);
  if (raw.includes('&&')) fail(QN_RTN.UNKNOWN_ERROR, 'CP contains "&&" inside its data area');
  const cp: Hj212Cp = { items: {}, params: {}, groups: [], raw };
  const groups = raw.split(';');
  groups.forEach((group, gi) => {
    if (group === '') {
      // Tolerate a trailing ";" only; an empty group elsewhere is a framing fault.
      if (gi === groups.length - 1 && gi > 0) return;
      if (raw === '') return;
      fail(QN_RTN.UNKNOWN_ERROR, `CP group ${gi + 1} is empty`);
    }
    const fields: Record<string, string> = {};
    for (const field of group.split(',')) {
      const eq = field.indexOf('=');
      const key = eq < 0 ? '' : field.slice(0, eq);
      if (eq <= 0 || !/^[A-Za-z0-9_-]+$/.test(key)) fail(QN_RTN.UNKNOWN_ERROR, `CP field "${field}" is not key=value`);
      if (key in fields) fail(QN_RTN.UNKNOWN_ERROR, `CP field ${key} repeats within one group`);
      const value = field.slice(eq + 1);
      fields[key] = value;
      if (key === 'DataTime') {
        if (!/^\d{14}$/.test(value) || !isValidTimestamp(value)) fail(QN_RTN.UNKNOWN_ERROR, `CP DataTime "${value}" is not YYYYMMDDhhmmss`);
        if (cp.dataTime !== undefined) fail(QN_RTN.UNKNOWN_ERROR, 'CP DataTime appears twice');
        cp.dataTime = value;
        continue;
      }
      const dash = key.indexOf('-');
      if (dash > 0 && dash < key.length - 1) {
        const code = key.slice(0, dash);
        const suffix = key.slice(dash + 1);
        const item = (cp.items[code] ??= {});
        if (suffix in item) fail(QN_RTN.UNKNOWN_ERROR, `CP field ${key} appears twice`);
        item[suffix] = value;
      } else if (!(key in cp.params)) {
        cp.params[key] = value;
      }
    }
    cp.groups.push(fields);
  });
  return cp;
}

/**
 * Validates and decodes one packet (`##LLLL<data>CCCC\r\n`). Framing and CRC are checked before
 * any field, so a corrupted packet is answered with the CRC code rather than a misleading field
 * error. Throws {@link Hj212Error} carrying the QnRtn code to reply with.
 */
export function parsePacket(raw: string): Hj212Packet {
  let text = raw;
  if (text.endsWith('\r\n')) text = text.slice(0, -2);
  else if (text.endsWith('\n')) text = text.slice(0, -1);
  const fail = (reply: QnRtn, message: string): never => {
    throw new Hj212Error(reply, message, salvageHeader(text));
  };

  if (!text.startsWith('##')) fail(QN_RTN.UNKNOWN_ERROR, 'packet does not start with "##"');
  if (/[\r\n]/.test(text)) fail(QN_RTN.UNKNOWN_ERROR, 'packet contains a line break before its end (two packets in one? use splitPackets)');
  const lengthText = text.slice(2, 6);
  if (!/^\d{4}$/.test(lengthText)) fail(QN_RTN.UNKNOWN_ERROR, `length field "${lengthText}" is not 4 decimal digits`);
  const declared = Number(lengthText);
  const body = text.slice(6);
  if (body.length < 4) fail(QN_RTN.UNKNOWN_ERROR, 'packet is too short to hold a CRC');
  const dataSegment = body.slice(0, -4);
  const crc = body.slice(-4);
  const actual = Buffer.byteLength(dataSegment, 'utf8');
  if (actual !== declared) fail(QN_RTN.UNKNOWN_ERROR, `length field says ${declared} but the data segment is ${actual}`);
  const expectedCrc = crc16Hj212(dataSegment);
  if (crc.toUpperCase() !== expectedCrc) fail(QN_RTN.CRC_ERROR, `CRC is ${crc}, the data segment gives ${expectedCrc}`);

  // CP is the last field and its data area may hold ";", so find it by its own opening.
  const cpStart = dataSegment.startsWith('CP=') ? 0 : dataSegment.indexOf(';CP=') + 1;
  if (cpStart <= 0 && !dataSegment.startsWith('CP=')) fail(QN_RTN.UNKNOWN_ERROR, 'CP is missing');
  const cpText = dataSegment.slice(cpStart + 3);
  if (!cpText.startsWith('&&') || !cpText.endsWith('&&') || cpText.length < 4) {
    fail(QN_RTN.UNKNOWN_ERROR, 'CP must be framed as CP=&&…&& and end the data segment');
  }

  const header: Partial<Record<HeaderKey, string>> = {};
  const headerText = dataSegment.slice(0, Math.max(0, cpStart - 1));
  for (const part of headerText === '' ? [] : headerText.split(';')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, Math.max(eq, 0)) as HeaderKey;
    if (eq <= 0 || !HEADER_KEYS.includes(key)) fail(QN_RTN.UNKNOWN_ERROR, `unknown header field "${part}"`);
    if (header[key] !== undefined) fail(QN_RTN.UNKNOWN_ERROR, `header field ${key} appears twice`);
    header[key] = part.slice(eq + 1);
  }

  const qn = header.QN;
  if (qn === undefined || !/^\d{17}$/.test(qn) || !isValidTimestamp(qn)) fail(QN_RTN.QN_ERROR, `QN must be YYYYMMDDhhmmsszzz, got ${JSON.stringify(qn ?? null)}`);
  const st = header.ST;
  if (st === undefined || !/^\d{2}$/.test(st)) fail(QN_RTN.ST_ERROR, `ST must be 2 digits, got ${JSON.stringify(st ?? null)}`);
  const cn = header.CN;
  if (cn === undefined || !/^\d{4}$/.test(cn)) fail(QN_RTN.CN_ERROR, `CN must be 4 digits, got ${JSON.stringify(cn ?? null)}`);
  const pw = header.PW;
  if (pw === undefined || !/^[\x21-\x7e]{6}$/.test(pw)) fail(QN_RTN.PW_ERROR, `PW must be 6 printable characters, got ${JSON.stringify(pw ?? null)}`);
  const flag = header.Flag === undefined ? undefined : parseFlag(header.Flag);
  if (!flag) fail(QN_RTN.FLAG_ERROR, `Flag must be an integer 0..255, got ${JSON.stringify(header.Flag ?? null)}`);
  const mn = header.MN;
  const mnLength = flag!.version === '2017' ? 24 : flag!.version === '2005' ? 14 : undefined;
  const mnOk = mn !== undefined && /^[0-9A-Za-z]+$/.test(mn) && (mnLength ? mn.length === mnLength : mn.length <= 24);
  if (!mnOk) fail(QN_RTN.MN_ERROR, `MN must be ${mnLength ?? 'at most 24'} letters or digits for a ${flag!.version} packet, got ${JSON.stringify(mn ?? null)}`);

  const packet: Hj212Packet = {
    qn: qn!,
    st: st!,
    cn: cn!,
    pw: pw!,
    mn: mn!,
    flag: flag!,
    cp: parseCp(cpText.slice(2, -2), fail),
    dataSegment,
    crc: expectedCrc,
  };
  const hasParts = header.PNUM !== undefined || header.PNO !== undefined;
  if (flag!.split !== hasParts) {
    fail(QN_RTN.FLAG_ERROR, flag!.split ? 'Flag marks the packet as split but PNUM/PNO are missing' : 'PNUM/PNO are present but Flag does not mark the packet as split');
  }
  if (hasParts) {
    if (!/^\d{4}$/.test(header.PNUM ?? '') || !/^\d{4}$/.test(header.PNO ?? '')) fail(QN_RTN.FLAG_ERROR, 'PNUM and PNO must both be 4 digits');
    packet.pnum = Number(header.PNUM);
    packet.pno = Number(header.PNO);
    if (packet.pno < 1 || packet.pno > packet.pnum) fail(QN_RTN.FLAG_ERROR, `PNO ${packet.pno} is outside 1..${packet.pnum}`);
  }
  return packet;
}

/**
 * Splits a body carrying many packets (as a logger batches them, one per line) into packets, each
 * ending in `\r\n`. Blank lines are skipped; nothing is validated, so each part can fail alone.
 */
export function splitPackets(body: string): string[] {
  return body
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => `${line}\r\n`);
}

export interface BuildPacketFields {
  qn: string;
  st: string;
  cn: string;
  pw: string;
  mn: string;
  flag: number;
  pnum?: number;
  pno?: number;
  /** The CP data area, without the `&&` delimiters. */
  cp: string;
}

/** Frames a data segment with `##`, its length, its CRC and `\r\n`: the one place packets are built. */
export function buildPacket(fields: BuildPacketFields): string {
  if (fields.cp.length > CP_MAX_LENGTH) throw new Error(`CP is ${fields.cp.length} characters, more than ${CP_MAX_LENGTH}`);
  const parts = [`QN=${fields.qn}`, `ST=${fields.st}`, `CN=${fields.cn}`, `PW=${fields.pw}`, `MN=${fields.mn}`, `Flag=${fields.flag}`];
  if (fields.pnum !== undefined || fields.pno !== undefined) {
    parts.push(`PNUM=${String(fields.pnum ?? 0).padStart(4, '0')}`, `PNO=${String(fields.pno ?? 0).padStart(4, '0')}`);
  }
  parts.push(`CP=&&${fields.cp}&&`);
  const data = parts.join(';');
  const length = Buffer.byteLength(data, 'utf8');
  if (length > 9999) throw new Error(`data segment is ${length} bytes, more than a 4-digit length can state`);
  return `##${String(length).padStart(4, '0')}${data}${crc16Hj212(data)}\r\n`;
}

/** What the hub replies to: the request's QN, PW, MN and, when known, its flag version. */
export interface ReplyTarget {
  qn: string;
  pw: string;
  mn: string;
  flag?: Pick<Hj212Flag, 'version'>;
}

export type ReplySpec =
  | { cn: '9011'; qnRtn: QnRtn }
  | { cn: '9014' };

/**
 * Builds the answer to a packet: 9011 (request reply, CP `QnRtn=n`) or 9014 (data reply, empty
 * CP). It echoes the request's QN so the sender can match it, uses ST 91 (system interaction) and
 * a Flag with the request's version and no reply requested (4 for HJ 212-2017).
 */
export function buildReply(to: ReplyTarget, reply: ReplySpec): string {
  const versionBits = to.flag?.version === '2005' ? 0 : 1;
  return buildPacket({
    qn: to.qn,
    st: ST_SYSTEM_INTERACTION,
    cn: reply.cn,
    pw: to.pw,
    mn: to.mn,
    flag: versionBits << 2,
    cp: reply.cn === '9011' ? `QnRtn=${reply.qnRtn}` : '',
  });
}
