import net from 'node:net';
import { DataSource } from 'typeorm';
import type { Logger } from '../../logger';
import { senderOf } from './device-password';
import { HJ212_DEFAULTS, Hj212Ingest, Hj212Settings, IngestHooks, MAX_PACKETS_PER_BODY } from './hj212-ingest.service';
import { PacketBatcher } from './packet-batcher';

export interface Hj212ListenerOptions {
  port: number;
  host?: string;
  ds: DataSource;
  log: Logger;
  /** Longest line a logger may send before the connection is dropped (HJ 212 packets stay far below). */
  maxLineBytes?: number;
  /** Refused packets in a row after which the connection is dropped. */
  maxRejectsInRow?: number;
  /** A connection silent this long is closed (30 minutes by default: loggers keep one connection open between uploads). */
  idleMs?: number;
  /** Connection caps, the incomplete-packet timeout and the DataTime skew; HJ212_DEFAULTS where absent. */
  settings?: Partial<Hj212Settings>;
  /** Who hears of each packet (metrics, the warning rules). */
  hooks?: IngestHooks;
}

export interface Hj212Listener {
  server: net.Server;
  port: number;
  /** Batches written so far (tests and the bench read it). */
  batches: PacketBatcher['stats'];
  close(): Promise<void>;
}

/** A 2017 packet is at most ~1,100 bytes (4-digit length, 950-character CP), so 2 KiB leaves room. */
export const MAX_LINE_BYTES = 2048;
const MAX_QUEUED_LINES = 64;

/**
 * The TCP side of HJ 212 ingest, as data loggers connect: a stream of packets split on `\r\n`
 * (a packet may arrive in pieces, several may share a chunk), handled in order and answered
 * on the same socket. Each connection's packets are checked one after another (device, PW, CP),
 * then stored in batches across connections (PacketBatcher): those checked while a batch is
 * written form the next, one INSERT each. A line longer than `maxLineBytes`, a run of refused
 * packets, or a packet whose rest does not follow its first bytes within the packet timeout ends
 * that connection (its lines not yet checked are ignored); one sender address holds at most
 * `maxConnectionsPerAddress` connections, so it cannot take the listener's `maxConnections` from
 * the other loggers. Nothing a logger sends stops the listener, nor holds up the others' batches.
 */
export async function startHj212Listener(o: Hj212ListenerOptions): Promise<Hj212Listener> {
  const settings: Hj212Settings = { ...HJ212_DEFAULTS, ...o.settings };
  const ingest = new Hj212Ingest(o.ds, o.log, settings, undefined, o.hooks);
  // Packets of every connection, written in batches: what arrives while a batch is written forms the next one.
  const batcher = new PacketBatcher(ingest, MAX_PACKETS_PER_BODY);
  const maxLine = o.maxLineBytes ?? MAX_LINE_BYTES;
  const maxRejects = o.maxRejectsInRow ?? 10;
  const packetTimeoutMs = settings.packetTimeoutSeconds * 1000;
  const sockets = new Map<net.Socket, () => Promise<void>>();
  /** Open connections per sender (an address, an IPv6 /64). */
  const perSender = new Map<string, number>();
  let packets = 0;

  const server = net.createServer((socket) => {
    const remote = `${socket.remoteAddress}:${socket.remotePort}`;
    const sender = senderOf(socket.remoteAddress);
    const open = perSender.get(sender) ?? 0;
    if (open >= settings.maxConnectionsPerAddress) {
      o.log.warn({ event: 'hj212_rejects', remote, sender, reason: `already ${open} connections from this sender` }, 'hj212 connection refused');
      socket.on('error', () => undefined);
      socket.destroy();
      return;
    }
    perSender.set(sender, open + 1);
    let buffered: Buffer = Buffer.alloc(0);
    let queue: Promise<void> = Promise.resolve();
    let checking: Promise<void> = Promise.resolve();
    let queued = 0;
    let rejectsInRow = 0;
    sockets.set(socket, () => queue);

    const drop = (reason: string) => {
      o.log.warn({ event: 'hj212_rejects', remote, reason }, 'hj212 connection dropped');
      socket.destroy();
    };

    // The clock of an incomplete packet runs from its first bytes, not its last: a sender that
    // trickles a byte at a time gains nothing. It stops while the hub itself holds the socket
    // paused, since the rest cannot arrive then.
    let partial: NodeJS.Timeout | undefined;
    const watchPartial = () => {
      if (buffered.length === 0 || socket.isPaused()) {
        clearTimeout(partial);
        partial = undefined;
      } else if (!partial) {
        partial = setTimeout(() => drop(`an incomplete packet waited more than ${settings.packetTimeoutSeconds} s for its end`), packetTimeoutMs);
      }
    };

    // A line is checked in its turn on this connection (its PW check holds up this connection only),
    // then joins the listener's next batch; its reply is written in line order.
    const handle = (line: string): (() => Promise<void>) => {
      const item = { raw: line, source: { transport: 'tcp' as const, remote, address: socket.remoteAddress }, index: packets++ };
      // A connection already dropped (too many refusals, an overlong line) has the rest of its lines ignored.
      const checked = checking.then(() => (socket.destroyed ? Promise.reject(new Error('connection closed')) : ingest.prepare([item])));
      checking = checked.then(() => undefined, () => undefined);
      const outcome = checked.then((p) => batcher.submit(p)).then((o) => o[0]);
      outcome.catch(() => undefined); // awaited below, in its turn
      return async () => {
        try {
          const r = await outcome;
          if (socket.destroyed) return;
          rejectsInRow = r.status === 'rejected' ? rejectsInRow + 1 : 0;
          if (r.reply) socket.write(r.reply);
          if (rejectsInRow >= maxRejects) drop(`${rejectsInRow} refused packets in a row`);
        } catch (err) {
          if (socket.destroyed) return;
          // The database, not the packet: no reply, so the logger sends it again later.
          o.log.error({ err, remote }, 'hj212 packet could not be handled');
        }
      };
    };

    socket.setTimeout(o.idleMs ?? 30 * 60_000, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      for (let nl = buffered.indexOf(0x0a); nl >= 0; nl = buffered.indexOf(0x0a)) {
        const line = buffered.subarray(0, nl).toString('utf8').replace(/\r$/, '');
        buffered = buffered.subarray(nl + 1);
        if (nl > maxLine) return drop(`line of ${nl} bytes, more than ${maxLine}`);
        if (line.trim() === '') continue;
        queued++;
        const reply = handle(line);
        queue = queue.then(reply).finally(() => {
          queued--;
          if (queued < MAX_QUEUED_LINES / 2 && socket.isPaused()) {
            socket.resume();
            watchPartial();
          }
        });
        // A logger that sends faster than the hub stores waits in TCP, not in our memory.
        if (queued >= MAX_QUEUED_LINES) socket.pause();
      }
      if (buffered.length > maxLine) return drop(`more than ${maxLine} bytes without a line end`);
      watchPartial();
    });
    socket.on('error', (err) => o.log.debug({ err, remote }, 'hj212 socket error'));
    socket.on('close', () => {
      clearTimeout(partial);
      sockets.delete(socket);
      const left = (perSender.get(sender) ?? 1) - 1;
      if (left > 0) perSender.set(sender, left);
      else perSender.delete(sender);
    });
  });
  server.maxConnections = settings.maxConnections;
  server.on('error', (err) => o.log.error({ err }, 'hj212 listener error'));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : o.port;
  o.log.info({ port }, 'HJ 212 listener up');
  return {
    server,
    port,
    batches: batcher.stats,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const inFlight = [...sockets.values()].map((q) => q());
      for (const s of sockets.keys()) s.destroy();
      // Packets being stored finish before the caller closes the database.
      await Promise.all(inFlight);
      await batcher.idle();
      await closed;
    },
  };
}
