import { EventEmitter } from 'node:events';
import type { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * What one hub instance tells the others, through PostgreSQL `LISTEN`/`NOTIFY`: a catalog load, a
 * record written, an application or alert that changed. A notification is sent inside the writing
 * transaction, so it is delivered when (and only if) the transaction commits, to every instance
 * listening on the database, this one included. Payloads are small (keys, versions); a listener
 * re-reads what it needs, under its own caller's rights.
 *
 * On the embedded database the hub is the only process (the data folder is locked), and PGlite
 * delivers its own notifications. On PostgreSQL one dedicated connection listens; when it drops,
 * the bus reconnects with backoff and tells `onReconnect` handlers, which reload what they keep,
 * since notifications sent meanwhile are lost.
 */
export interface EventBus {
  /** Sends `payload` on `channel` when `tx` commits (at once without a transaction). */
  publish(channel: EventChannel, payload: Record<string, unknown>, tx?: EntityManager): Promise<void>;
  /** Calls `handler` for every notification on `channel`; returns the unsubscribe function. */
  subscribe(channel: EventChannel, handler: (payload: Record<string, unknown>) => void): () => void;
  /** Calls `handler` after the listening connection was lost and made again. */
  onReconnect(handler: () => void): () => void;
  /** Resolves once the bus listens on every channel subscribed so far. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** The channels the hub uses; one name per concern. */
export const EVENT_CHANNELS = ['eco_hub_catalog', 'eco_hub_records', 'eco_hub_sharing', 'eco_hub_alerts', 'eco_hub_objections', 'eco_hub_reminders'] as const;
export type EventChannel = (typeof EVENT_CHANNELS)[number];

/** PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more. */
const MAX_PAYLOAD = 7_900;

/** A payload as the bus sends it: JSON under PostgreSQL's NOTIFY limit (so either transport can carry it). */
export function encodeEvent(payload: Record<string, unknown>): string {
  const text = JSON.stringify(payload);
  if (Buffer.byteLength(text) > MAX_PAYLOAD) throw new Error(`event payload of ${Buffer.byteLength(text)} bytes is over ${MAX_PAYLOAD}: send keys, not records`);
  return text;
}

function decode(text: string | undefined): Record<string, unknown> | null {
  try {
    const v = JSON.parse(text ?? '');
    return v && typeof v === 'object' ? v : null;
  } catch {
    return null;
  }
}

/**
 * Sends `payload` on `channel` through `db`: inside a transaction, delivered when (and only if) it
 * commits. For writers that hold a transaction but not the bus (the objection service).
 */
export async function publishIn(db: Pick<EntityManager, 'query'>, channel: EventChannel, payload: Record<string, unknown>): Promise<void> {
  await db.query('SELECT pg_notify($1, $2)', [channel, encodeEvent(payload)]);
}

export interface EventBusOptions {
  ds: DataSource;
  /** The embedded database, when there is one: it delivers its own notifications. */
  pglite?: PGlite;
  /** PostgreSQL URL of the listening connection (the hub's DATABASE_URL). */
  databaseUrl?: string;
  log?: (level: 'info' | 'warn', msg: string, data?: object) => void;
  /** First wait before reconnecting, doubled up to 30 s. */
  reconnectMs?: number;
}

/** Builds the bus of a DataSource: LISTEN on a connection of its own (PostgreSQL) or on the embedded database. */
export function createEventBus(o: EventBusOptions): EventBus {
  const local = new EventEmitter();
  local.setMaxListeners(0);
  const reconnected = new EventEmitter();
  const channels = new Set<EventChannel>();
  let closed = false;
  let client: Client | null = null;
  let listening: Promise<void> = Promise.resolve();
  const unlistenPglite: Array<() => Promise<void>> = [];

  const deliver = (channel: string, text: string | undefined) => {
    const payload = decode(text);
    if (payload) local.emit(channel, payload);
  };

  const listenAll = async (c: Client) => {
    for (const ch of channels) await c.query(`LISTEN ${ch}`);
  };

  const connect = async (waitMs: number): Promise<void> => {
    if (closed || !o.databaseUrl) return;
    const c = new Client({ connectionString: o.databaseUrl, application_name: 'eco-hub-events' });
    c.on('notification', (n) => deliver(n.channel, n.payload));
    c.on('error', () => {}); // 'end' follows and reconnects
    c.on('end', () => {
      if (closed || client !== c) return;
      client = null;
      o.log?.('warn', 'event bus: the listening connection was lost; reconnecting');
      listening = retry(waitMs);
    });
    await c.connect();
    client = c;
    await listenAll(c);
  };

  const retry = async (waitMs: number): Promise<void> => {
    for (let wait = waitMs; !closed; wait = Math.min(wait * 2, 30_000)) {
      await new Promise((r) => setTimeout(r, wait).unref());
      try {
        await connect(o.reconnectMs ?? 500);
        o.log?.('info', 'event bus: listening again; reloading what may have changed meanwhile');
        reconnected.emit('reconnected');
        return;
      } catch {
        // keep trying until closed
      }
    }
  };

  if (o.databaseUrl) listening = connect(o.reconnectMs ?? 500).catch(() => retry(o.reconnectMs ?? 500));

  return {
    publish: (channel, payload, tx) => publishIn(tx ?? o.ds, channel, payload),
    subscribe(channel, handler) {
      if (!channels.has(channel)) {
        channels.add(channel);
        if (o.pglite) {
          const p = o.pglite.listen(channel, (text) => deliver(channel, text));
          unlistenPglite.push(async () => (await p)());
          listening = listening.then(() => p.then(() => undefined));
        } else if (client) {
          const c = client;
          listening = listening.then(() => c.query(`LISTEN ${channel}`).then(() => undefined)).catch(() => undefined);
        }
      }
      local.on(channel, handler);
      return () => local.off(channel, handler);
    },
    onReconnect(handler) {
      reconnected.on('reconnected', handler);
      return () => reconnected.off('reconnected', handler);
    },
    ready: () => listening,
    async close() {
      closed = true;
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
      for (const u of unlistenPglite) await u().catch(() => undefined);
      local.removeAllListeners();
      reconnected.removeAllListeners();
    },
  };
}
