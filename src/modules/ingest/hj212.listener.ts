import net from 'node:net';
import { DataSource } from 'typeorm';
import type { Logger } from '../../logger';
import { Hj212Ingest } from './hj212-ingest.service';

export interface Hj212ListenerOptions {
  port: number;
  host?: string;
  ds: DataSource;
  log: Logger;
  /** Longest line a logger may send before the connection is dropped (HJ 212 packets stay far below). */
  maxLineBytes?: number;
  /** Refused packets in a row after which the connection is dropped. */
  maxRejectsInRow?: number;
  /** A connection silent this long is closed. */
  idleMs?: number;
}

export interface Hj212Listener {
  server: net.Server;
  port: number;
  close(): Promise<void>;
}

/** A 2017 packet is at most ~1,100 bytes (4-digit length, 950-character CP), so 2 KiB leaves room. */
export const MAX_LINE_BYTES = 2048;
const MAX_QUEUED_LINES = 64;

/**
 * The TCP side of HJ 212 ingest, as data loggers connect: a stream of packets split on `\r\n`
 * (a packet may arrive in pieces, several may share a chunk), each handled in order and answered
 * on the same socket. A line longer than `maxLineBytes` or a run of refused packets ends that
 * connection; nothing a logger sends stops the listener.
 */
export async function startHj212Listener(o: Hj212ListenerOptions): Promise<Hj212Listener> {
  const ingest = new Hj212Ingest(o.ds, o.log);
  const maxLine = o.maxLineBytes ?? MAX_LINE_BYTES;
  const maxRejects = o.maxRejectsInRow ?? 10;
  const sockets = new Map<net.Socket, () => Promise<void>>();
  let packets = 0;

  const server = net.createServer((socket) => {
    const remote = `${socket.remoteAddress}:${socket.remotePort}`;
    let buffered: Buffer = Buffer.alloc(0);
    let queue: Promise<void> = Promise.resolve();
    let queued = 0;
    let rejectsInRow = 0;
    sockets.set(socket, () => queue);

    const drop = (reason: string) => {
      o.log.warn({ event: 'hj212_rejects', remote, reason }, 'hj212 connection dropped');
      socket.destroy();
    };

    const handle = async (line: string) => {
      if (socket.destroyed) return;
      try {
        const r = await ingest.ingest(line, { transport: 'tcp', remote }, packets++);
        rejectsInRow = r.status === 'rejected' ? rejectsInRow + 1 : 0;
        if (r.reply && !socket.destroyed) socket.write(r.reply);
        if (rejectsInRow >= maxRejects) drop(`${rejectsInRow} refused packets in a row`);
      } catch (err) {
        // The database, not the packet: no reply, so the logger sends it again later.
        o.log.error({ err, remote }, 'hj212 packet could not be handled');
      }
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
        queue = queue.then(() => handle(line)).finally(() => {
          queued--;
          if (queued < MAX_QUEUED_LINES / 2 && socket.isPaused()) socket.resume();
        });
        // A logger that sends faster than the hub stores waits in TCP, not in our memory.
        if (queued >= MAX_QUEUED_LINES) socket.pause();
      }
      if (buffered.length > maxLine) drop(`more than ${maxLine} bytes without a line end`);
    });
    socket.on('error', (err) => o.log.debug({ err, remote }, 'hj212 socket error'));
    socket.on('close', () => sockets.delete(socket));
  });
  server.maxConnections = 2000;
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
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const inFlight = [...sockets.values()].map((q) => q());
      for (const s of sockets.keys()) s.destroy();
      // Packets being stored finish before the caller closes the database.
      await Promise.all(inFlight);
      await closed;
    },
  };
}
