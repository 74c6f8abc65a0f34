import { DataSource } from 'typeorm';
import {
  buildReply, Hj212Error, Hj212Packet, HJ212_CN, parsePacket, QN_RTN, QnRtn, ReplyTarget, splitPackets,
} from '../../domain/standards/hj212';
import type { Logger } from '../../logger';
import { DataFlag, ObservationInterval, StationKind } from '../monitoring';
import { PasswordGuard, senderOf } from './device-password';
import { CODE_2017, CODES_2005, unitOf } from './hj212-parameters';
import { BatchValue, writeObservations } from './observation-batch';

/** Where packets came from: for the log, and the sender wrong PWs are counted against. */
export interface IngestSource {
  transport: 'http' | 'tcp';
  /** The peer as logged (address, with the port over TCP). */
  remote?: string;
  /** The peer's IP address; `remote` stands in when absent (HTTP passes the address as `remote`). */
  address?: string;
}

/**
 * The HJ 212 defences an operator may tune (HJ212_* settings, src/config.ts; docs/hj212-ingest.md).
 * Seconds, as configured; tests may pass fractions.
 */
export interface Hj212Settings {
  /** Connections the TCP listener holds at once. */
  maxConnections: number;
  /** Connections one sender address (an IPv6 /64) may hold at once; more are closed on arrival. */
  maxConnectionsPerAddress: number;
  /** How long the rest of a packet may take once its first bytes arrived, before the connection is closed. */
  packetTimeoutSeconds: number;
  /** How far ahead of the hub's clock a DataTime may be (loggers' clocks drift); later ones are refused. */
  futureSkewSeconds: number;
}

/** The defaults, the same as src/config.ts's (a test holds them together). */
export const HJ212_DEFAULTS: Readonly<Hj212Settings> = {
  maxConnections: 2000,
  maxConnectionsPerAddress: 32,
  packetTimeoutSeconds: 15,
  futureSkewSeconds: 600,
};

/**
 * What other parts of the hub learn from the ingest, given by whoever mounts it (src/server.ts,
 * src/main.ts): each packet's outcome (the metrics), each stored packet (the warning rules, which
 * evaluate the station at once), and units of parameters the code table below lacks (the warning
 * rules' watched parameters). The ingest does not depend on who listens.
 */
export interface IngestHooks {
  packet?(outcome: PacketOutcome, transport: IngestSource['transport']): void;
  /**
   * Called after values are stored, once per station with the DataTimes they cover: per packet over
   * TCP, once per station for a whole HTTP body (a batch upload of up to 1,000 packets). A failure is
   * logged, never a refusal of what was stored.
   */
  stored?(stationId: string, from: Date, to: Date): Promise<void>;
  /**
   * Called instead of `stored`, when given, once per batch with every station it stored and the
   * DataTimes each covers: the rules can then evaluate the batch's stations together.
   */
  storedMany?(spans: ReadonlyArray<{ stationId: string; from: Date; to: Date }>): Promise<void>;
  extraUnits?: Readonly<Record<string, string>>;
}

/** One packet of a batch: its text, where it came from, and its position in its body or connection. */
export interface BatchItem {
  raw: string;
  source: IngestSource;
  index: number;
}

/** Packets checked by `prepare` and not yet written: their outcomes so far and the values to write. */
export interface PreparedPackets {
  items: readonly BatchItem[];
  outcomes: PacketOutcome[];
  values: BatchValue[];
}

/** What a batch stored, per station: the earliest and latest DataTime written. */
export type StoredSpans = Map<string, { from: Date; to: Date }>;

/** Wrong-PW counts and the slow lane, shared by the HTTP route and the TCP listener of this process. */
const SHARED_GUARD = new PasswordGuard();

/** What became of one packet; the HTTP JSON summary lists these. */
export interface PacketOutcome {
  /** Position in the body or connection, from 0. */
  index: number;
  /** stored: data kept; acknowledged: accepted but nothing to keep; rejected: refused, nothing kept. */
  status: 'stored' | 'acknowledged' | 'rejected';
  qn?: string;
  mn?: string;
  cn?: string;
  /** Observations written (inserted or replacing a re-sent value). */
  stored: number;
  /** Values not written because a longer-period value already holds that station, parameter and time. */
  superseded: number;
  /** Parameter codes the hub has no unit for; their values were not stored. */
  unknownParameters: string[];
  /** The QnRtn of a rejection. */
  qnRtn?: QnRtn;
  error?: string;
  /** The reply packet sent back, when the packet's Flag asked for one (or a refusal could be addressed). */
  reply?: string;
}

/**
 * The data commands the hub stores, with the observation interval and the CP field of the value:
 * real-time data carries `-Rtd`, minute/hourly/daily data their mean `-Avg`.
 */
export const DATA_COMMANDS: Readonly<Record<string, { interval: ObservationInterval; field: 'Rtd' | 'Avg' }>> = {
  [HJ212_CN.REALTIME_DATA]: { interval: ObservationInterval.REAL_TIME, field: 'Rtd' },
  [HJ212_CN.MINUTE_DATA]: { interval: ObservationInterval.MINUTE, field: 'Avg' },
  [HJ212_CN.HOURLY_DATA]: { interval: ObservationInterval.HOUR, field: 'Avg' },
  [HJ212_CN.DAILY_DATA]: { interval: ObservationInterval.DAY, field: 'Avg' },
};

/**
 * An observation is one value per station, parameter and time (the key the monitoring module pages
 * by), yet a logger's minute, hourly and daily data share DataTimes (10:00 opens a minute and an
 * hour; 00:00 an hour and a day). When two meet, the one the assessments read wins: HOUR, then DAY,
 * then the shorter ones. A re-sent value of the same interval replaces the stored one, so a logger
 * that repeats a packet for want of a reply changes nothing.
 */
const PRECEDENCE = [ObservationInterval.REAL_TIME, ObservationInterval.MINUTE, ObservationInterval.FOUR_HOURS, ObservationInterval.DAY, ObservationInterval.HOUR];

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)$/;
const FLAGS = new Set<string>(Object.values(DataFlag));

/** Most packets one HTTP body may carry. */
export const MAX_PACKETS_PER_BODY = 1000;

interface Device {
  id: string;
  code: string;
  kind: StationKind;
  pw_hash: string;
}

/** `YYYYMMDDhhmmss` in China Standard Time (the loggers' clock in the zone; no DST) as an instant. */
export function dataTimeToDate(t: string): Date {
  const [y, mo, d, h, mi, s] = [t.slice(0, 4), t.slice(4, 6), t.slice(6, 8), t.slice(8, 10), t.slice(10, 12), t.slice(12, 14)].map(Number);
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s) - 8 * 3600_000);
}

class Rejection extends Error {
  constructor(readonly qnRtn: QnRtn, message: string) {
    super(message);
  }
}

/** Whether a refused packet's salvaged header can address a reply, and whether it asked for one. */
function replyTargetOf(h: Hj212Error['header']): ReplyTarget | null {
  if (!h.qn || !/^\d{17}$/.test(h.qn) || !h.mn || !/^[0-9A-Za-z]{1,24}$/.test(h.mn) || !h.pw || !/^[\x21-\x7e]{1,12}$/.test(h.pw) || /[;&]/.test(h.pw)) return null;
  const flag = h.flag !== undefined && /^\d{1,3}$/.test(h.flag) ? Number(h.flag) : null;
  // Reply when the Flag asks for it, or when the Flag itself is unreadable (the sender may be waiting).
  if (flag !== null && (flag & 1) === 0) return null;
  const version = flag !== null && flag >> 2 === 0 ? '2005' : '2017';
  return { qn: h.qn, mn: h.mn, pw: h.pw, flag: { version } };
}

/**
 * HJ 212-2017 ingest: authenticates each packet's device by MN and PW against the registered
 * monitoring points, stores the data commands as observations with their data flags, and builds
 * the standard replies. Bad packets are refused with their QnRtn, logged as `hj212_rejects`, and
 * never stored; nothing here throws for a bad packet, so one logger cannot stop the listener.
 */
export class Hj212Ingest {
  private readonly settings: Hj212Settings;

  constructor(
    private readonly ds: DataSource,
    private readonly log: Logger,
    settings: Partial<Hj212Settings> = {},
    private readonly guard: PasswordGuard = SHARED_GUARD,
    private readonly hooks: IngestHooks = {},
  ) {
    this.settings = { ...HJ212_DEFAULTS, ...settings };
  }

  /** Handles one packet (one line, `\r\n` optional), then tells the hooks: a batch of one. */
  async ingest(raw: string, source: IngestSource, index = 0): Promise<PacketOutcome> {
    return (await this.ingestBatch([{ raw, source, index }]))[0];
  }

  /**
   * Handles a body of packets, one per line, in order (a later packet may replace an earlier value):
   * one batch, so its values are written by one statement and the warning rules hear of it once
   * per station, after the write.
   */
  async ingestBody(body: string, source: IngestSource): Promise<PacketOutcome[]> {
    return this.ingestBatch(splitPackets(body).map((raw, index) => ({ raw, source, index })));
  }

  /** A batch: stored (`storeBatch`), then the warning rules told (`evaluate`). */
  async ingestBatch(items: readonly BatchItem[]): Promise<PacketOutcome[]> {
    const { outcomes, stored } = await this.storeBatch(items);
    await this.evaluate(stored);
    return outcomes;
  }

  /**
   * A batch: every packet checked in order (`prepare`), then the values of all accepted packets
   * written with one statement (`commit`). Returns the outcomes and the DataTimes stored per station.
   */
  async storeBatch(items: readonly BatchItem[]): Promise<{ outcomes: PacketOutcome[]; stored: StoredSpans }> {
    return this.commit([await this.prepare(items)]);
  }

  /**
   * Checks packets in order — parsed, their devices found (one lookup for all of them), each PW
   * checked (one after another, so the wrong-PW counts grow as they did per packet), each CP
   * validated — and returns their outcomes and the values to write; writes nothing. Refusals are
   * final here (QnRtn, reply, `hj212_rejects` line); accepted packets await `commit`.
   */
  async prepare(items: readonly BatchItem[]): Promise<PreparedPackets> {
    const mns = new Set<string>();
    for (const item of items) {
      try {
        mns.add(parsePacket(item.raw).mn);
      } catch {
        // refused with its reason below, in its turn
      }
    }
    const devices = new Map<string, Device>();
    if (mns.size) {
      const rows: Array<Device & { mn: string }> = await this.ds.query('SELECT id, code, kind, pw_hash, mn FROM monitoring_station WHERE mn = ANY($1::varchar[])', [[...mns]]);
      for (const r of rows) devices.set(r.mn, r);
    }
    const outcomes: PacketOutcome[] = [];
    const values: BatchValue[] = [];
    for (const [position, item] of items.entries()) {
      outcomes.push(await this.check(item, position, devices, (v) => values.push(...v)));
    }
    return { items, outcomes, values };
  }

  /**
   * Writes the values of prepared packets (one or several `prepare` calls: a body, or packets of
   * many TCP connections) with one INSERT (`writeObservations`), so the aggregate triggers run once
   * for all of them, in one transaction: if it fails, nothing is stored, no outcome is counted and
   * the error is thrown (no reply goes out, so loggers send again). Then each outcome gets its
   * stored and superseded counts and the `packet` hook hears it, in order.
   */
  async commit(batch: readonly PreparedPackets[]): Promise<{ outcomes: PacketOutcome[]; stored: StoredSpans }> {
    const outcomes: PacketOutcome[] = [];
    const sources: Array<IngestSource['transport']> = [];
    const values: BatchValue[] = [];
    for (const p of batch) {
      const offset = outcomes.length;
      outcomes.push(...p.outcomes);
      sources.push(...p.items.map((i) => i.source.transport));
      values.push(...p.values.map((v) => ({ ...v, packet: v.packet + offset })));
    }
    const stored: StoredSpans = new Map();
    if (values.length) {
      const written = await writeObservations(this.ds, values, PRECEDENCE);
      for (const [k, v] of values.entries()) {
        const out = outcomes[v.packet];
        if (written[k]) {
          out.stored++;
          const seen = stored.get(v.stationId);
          stored.set(v.stationId, seen ? { from: v.observedAt < seen.from ? v.observedAt : seen.from, to: v.observedAt > seen.to ? v.observedAt : seen.to } : { from: v.observedAt, to: v.observedAt });
        } else {
          out.superseded++;
        }
      }
    }
    for (const [i, o] of outcomes.entries()) this.hooks.packet?.(o, sources[i]);
    return { outcomes, stored };
  }

  /** Tells the `stored` hook (the warning rules) what a batch stored, once per station; a failure is logged, never thrown. */
  async evaluate(stored: StoredSpans): Promise<void> {
    if (stored.size === 0) return;
    if (this.hooks.storedMany) {
      try {
        await this.hooks.storedMany([...stored].map(([stationId, { from, to }]) => ({ stationId, from, to })));
      } catch (err) {
        this.log.error({ err, event: 'hj212_rules_failed', stations: stored.size }, 'warning rules could not evaluate stored packets; the scheduled pass will');
      }
      return;
    }
    if (!this.hooks.stored) return;
    for (const [stationId, { from, to }] of stored) {
      try {
        await this.hooks.stored(stationId, from, to);
      } catch (err) {
        this.log.error({ err, event: 'hj212_rules_failed', stationId }, 'warning rules could not evaluate stored packets; the scheduled pass will');
      }
    }
  }

  /**
   * One packet of a batch, in its turn: parsed, authenticated, its CP validated. A data command's
   * values go to `accept` (written with the batch); a refusal is the outcome, with its QnRtn and
   * the `hj212_rejects` log line. Nothing here throws for a bad packet.
   */
  private async check(item: BatchItem, position: number, devices: Map<string, Device>, accept: (values: BatchValue[]) => void): Promise<PacketOutcome> {
    const { raw, source, index } = item;
    const out: PacketOutcome = { index, status: 'rejected', stored: 0, superseded: 0, unknownParameters: [] };
    let packet: Hj212Packet | undefined;
    try {
      packet = parsePacket(raw);
      Object.assign(out, { qn: packet.qn, mn: packet.mn, cn: packet.cn });
      const device = devices.get(packet.mn);
      if (!device) throw new Rejection(QN_RTN.MN_ERROR, `MN ${packet.mn} is not a registered device`);
      await this.authenticate(device, packet, senderOf(source.address ?? source.remote));
      const command = DATA_COMMANDS[packet.cn];
      if (command) {
        accept(this.valuesOf(device, packet, command, out, position));
        out.status = 'stored';
      } else if (packet.cn.startsWith('20') || packet.cn.startsWith('9')) {
        // Other uploads (equipment state, run time, power-on time) and the logger's own replies:
        // well-formed, not kept by the hub.
        out.status = 'acknowledged';
      } else {
        throw new Rejection(QN_RTN.REJECTED, `CN ${packet.cn} is not a command the hub accepts from a device`);
      }
      if (packet.flag.needsReply && !packet.cn.startsWith('9')) out.reply = buildReply(packet, { cn: '9014' });
      return out;
    } catch (err) {
      if (!(err instanceof Hj212Error) && !(err instanceof Rejection)) throw err;
      out.status = 'rejected';
      out.stored = 0;
      out.qnRtn = err instanceof Hj212Error ? err.reply : err.qnRtn;
      out.error = err.message;
      const header = err instanceof Hj212Error ? err.header : { qn: packet!.qn, mn: packet!.mn, pw: packet!.pw, flag: String(packet!.flag.raw), cn: packet!.cn };
      if (err instanceof Hj212Error) Object.assign(out, { qn: header.qn, mn: header.mn, cn: header.cn });
      const target = replyTargetOf(header);
      if (target) out.reply = buildReply(target, { cn: '9011', qnRtn: out.qnRtn });
      this.log.warn({ event: 'hj212_rejects', qnRtn: out.qnRtn, reason: out.error, mn: out.mn, qn: out.qn, cn: out.cn, transport: source.transport, remote: source.remote }, 'hj212_rejects');
      return out;
    }
  }

  /**
   * Checks the PW against the device's hash. Every PW is checked, and a correct one always passes:
   * wrong ones are counted per (MN, sender), and past the limit that sender's checks only wait
   * their turn in the guard's slow lane (PasswordGuard), so a stranger cannot lock a logger out.
   * The packets of a batch are checked one after another, so the counts grow as they did per packet.
   */
  private async authenticate(device: Device, packet: Hj212Packet, sender: string): Promise<void> {
    const r = await this.guard.check(device.pw_hash, packet.mn, sender, packet.pw);
    if (r.ok) return;
    throw new Rejection(QN_RTN.PW_ERROR, `PW does not match device ${packet.mn} (${r.failures} wrong from this sender in the last minute${r.slowLane ? '; checked in the slow lane' : ''})`);
  }

  /** Validates the CP of a data command: its values, to be written with the batch (refused whole if one is bad). */
  private valuesOf(device: Device, packet: Hj212Packet, command: (typeof DATA_COMMANDS)[string], out: PacketOutcome, position: number): BatchValue[] {
    const { cp } = packet;
    if (!cp.dataTime) throw new Rejection(QN_RTN.UNKNOWN_ERROR, `CP of CN ${packet.cn} has no DataTime`);
    const observedAt = dataTimeToDate(cp.dataTime);
    // A value dated ahead of the clock would stand as the station's latest until that time came.
    const latest = Date.now() + this.settings.futureSkewSeconds * 1000;
    if (observedAt.getTime() > latest) {
      throw new Rejection(QN_RTN.REJECTED, `CP DataTime ${cp.dataTime} is more than ${this.settings.futureSkewSeconds} s ahead of the hub's clock (China Standard Time); check the logger's clock`);
    }
    const rows = new Map<string, { value: string; unit: string; flag: string }>();
    const unknown = out.unknownParameters;
    for (const [given, fields] of Object.entries(cp.items)) {
      const code = packet.flag.version === '2005' ? CODES_2005[given] ?? given : given;
      const value = fields[command.field];
      if (value === undefined) continue; // e.g. an item with only a cumulative -Cou
      if (!DECIMAL.test(value)) throw new Rejection(QN_RTN.UNKNOWN_ERROR, `CP ${given}-${command.field} "${value}" is not a number`);
      const flag = fields.Flag ?? DataFlag.N;
      if (!FLAGS.has(flag)) throw new Rejection(QN_RTN.UNKNOWN_ERROR, `CP ${given}-Flag "${flag}" is not an HJ 212 data flag (N F M S D C T B)`);
      if (rows.has(code)) throw new Rejection(QN_RTN.UNKNOWN_ERROR, `CP carries ${code} twice`);
      const unit = CODE_2017.test(code) ? unitOf(device.kind, code) ?? this.hooks.extraUnits?.[code] ?? null : null;
      if (unit === null) {
        unknown.push(given);
        continue;
      }
      rows.set(code, { value, unit, flag });
    }
    if (unknown.length > 0) {
      this.log.warn({ event: 'hj212_unknown_parameters', mn: packet.mn, qn: packet.qn, codes: unknown }, 'hj212 values of unknown parameters not stored');
    }
    return [...rows].map(([parameter, r]) => ({
      packet: position, stationId: device.id, parameter, observedAt, interval: command.interval, value: r.value, unit: r.unit, flag: r.flag,
    }));
  }
}
