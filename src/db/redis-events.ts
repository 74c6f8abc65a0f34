import { EventEmitter } from 'node:events';
import type { createClient } from '@keyv/redis';
import type { DataSource, EntityManager, EntitySubscriberInterface, QueryRunner } from 'typeorm';
import { redisModule } from '../cache/store';
import { encodeEvent, EventBus, EventChannel, publishIn } from './events';

type RedisClient = ReturnType<typeof createClient>;

/**
 * The event bus over Redis pub/sub (HUB_EVENT_BUS=redis), in front of the PostgreSQL bus.
 *
 * - `publish` with a transaction holds the event until that transaction commits (a TypeORM
 *   subscriber on the DataSource sees the commit) and drops it on rollback, so, as with NOTIFY, an
 *   event is delivered when and only if its write commits. It then goes to Redis — or, when Redis
 *   does not answer, to PostgreSQL with `pg_notify` after the commit: each event travels once, on
 *   one of the two, and the hub keeps working without Redis.
 * - `subscribe` listens on both: Redis for what instances published through the bus, PostgreSQL
 *   for the fallback and for the writers that notify inside their own SQL (record changes in
 *   change-log.ts, the catalog load, objections).
 * - `onReconnect` fires when either listening connection comes back, so what is kept in memory is
 *   reloaded (events sent meanwhile are lost on both transports).
 *
 * What it saves: the NOTIFY of the busiest writers (sharing, alerts) no longer queues on
 * PostgreSQL's notification lock at commit; Redis carries them to every instance.
 */
export interface RedisEventBusOptions {
  ds: DataSource;
  /** The PostgreSQL bus (createEventBus): fallback transport and listener of the SQL notifiers. */
  postgres: EventBus;
  redisUrl: string;
  /** Prefix of the Redis channels, so several hubs (or test runs) can share one Redis. */
  namespace: string;
  log?: (level: 'info' | 'warn', msg: string, data?: object) => void;
}

/** Longest `ready()` waits for Redis before answering on PostgreSQL alone. */
const CONNECT_WAIT_MS = 2000;

interface Pending {
  channel: EventChannel;
  text: string;
}

export function createRedisEventBus(o: RedisEventBusOptions): EventBus {
  const local = new EventEmitter();
  local.setMaxListeners(0);
  const reconnected = new EventEmitter();
  const pending = new WeakMap<QueryRunner, Pending[]>();
  const subscribed = new Set<EventChannel>();
  const redisChannel = (c: EventChannel) => `${o.namespace}:${c}`;
  let closed = false;
  let wasDown = false;

  const socket = { connectTimeout: 2000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000) };
  const { createClient } = redisModule();
  const publisher = createClient({ url: o.redisUrl, disableOfflineQueue: true, socket }) as RedisClient;
  const listener = createClient({ url: o.redisUrl, socket }) as RedisClient;
  const complain = (what: string) => (err: Error) => {
    if (!wasDown && !closed) o.log?.('warn', `event bus: Redis ${what}; events go through PostgreSQL meanwhile`, { err: err.message });
    wasDown = true;
  };
  publisher.on('error', complain('publisher error'));
  listener.on('error', complain('listener error'));
  // Channels subscribed on Redis: made when the listener is ready (at once, or when Redis comes);
  // the client resubscribes them itself after a reconnect.
  const onRedis = new Set<EventChannel>();
  const subscribeRedis = async (): Promise<void> => {
    for (const channel of subscribed) {
      if (onRedis.has(channel) || !listener.isReady) continue;
      onRedis.add(channel);
      await listener.subscribe(redisChannel(channel), (text: string) => deliver(channel, text)).catch((err: Error) => {
        onRedis.delete(channel);
        complain('subscribe failed')(err);
      });
    }
  };
  // What was sent while Redis was away is lost: reload.
  let listenerReadyOnce = false;
  listener.on('ready', () => {
    void subscribeRedis();
    if (listenerReadyOnce && !closed) {
      o.log?.('info', 'event bus: Redis listening again; reloading what may have changed meanwhile');
      reconnected.emit('reconnected');
    }
    listenerReadyOnce = true;
    wasDown = false;
  });
  // Connecting never blocks the hub: while Redis is away (the client keeps retrying) events go
  // through PostgreSQL, and `ready` waits for Redis at most CONNECT_WAIT_MS.
  const connecting: Promise<void> = Promise.all([publisher.connect(), listener.connect()]).then(() => undefined, complain('connect failed'));
  let connected: Promise<void> = connecting;

  const deliver = (channel: EventChannel, text: string) => {
    try {
      const v = JSON.parse(text);
      if (v && typeof v === 'object') local.emit(channel, v);
    } catch {
      // not ours
    }
  };

  /**
   * After commit: Redis when it answers, else PostgreSQL — on `via`, the committing transaction's
   * own connection (now outside its transaction), since the pool may have no other (PGlite).
   */
  const send = async (channel: EventChannel, text: string, via: Pick<EntityManager, 'query'> = o.ds): Promise<void> => {
    if (publisher.isReady) {
      try {
        await publisher.publish(redisChannel(channel), text);
        return;
      } catch (err) {
        complain('publish failed')(err as Error);
      }
    }
    await publishIn(via, channel, JSON.parse(text));
  };

  const flush = (qr: QueryRunner, commit: boolean) => {
    const list = pending.get(qr);
    if (!list || qr.isTransactionActive) return undefined; // a savepoint released: the outer transaction decides
    pending.delete(qr);
    if (!commit) return undefined;
    return (async () => {
      for (const p of list) {
        await send(p.channel, p.text, qr).catch((err: Error) => o.log?.('warn', 'event bus: an event of a committed write could not be sent', { channel: p.channel, err: err.message }));
      }
    })();
  };
  const hook: EntitySubscriberInterface = {
    afterTransactionCommit: (e) => flush(e.queryRunner, true),
    afterTransactionRollback: (e) => flush(e.queryRunner, false),
  };
  o.ds.subscribers.push(hook);

  return {
    async publish(channel: EventChannel, payload: Record<string, unknown>, tx?: EntityManager) {
      const text = encodeEvent(payload);
      const qr = tx?.queryRunner;
      if (qr && qr.isTransactionActive) {
        pending.set(qr, [...(pending.get(qr) ?? []), { channel, text }]);
        return;
      }
      await send(channel, text);
    },
    subscribe(channel, handler) {
      const offPg = o.postgres.subscribe(channel, handler);
      if (!subscribed.has(channel)) {
        subscribed.add(channel);
        connected = connected.then(subscribeRedis);
      }
      local.on(channel, handler);
      return () => {
        offPg();
        local.off(channel, handler);
      };
    },
    onReconnect(handler) {
      const offPg = o.postgres.onReconnect(handler);
      reconnected.on('reconnected', handler);
      return () => {
        offPg();
        reconnected.off('reconnected', handler);
      };
    },
    ready: () => {
      const redis = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, CONNECT_WAIT_MS);
        timer.unref();
        connected.then(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      return Promise.all([o.postgres.ready(), redis]).then(() => undefined);
    },
    async close() {
      closed = true;
      const i = o.ds.subscribers.indexOf(hook);
      if (i >= 0) o.ds.subscribers.splice(i, 1);
      for (const c of [listener, publisher]) {
        if (c.isReady) await c.close().catch(() => undefined);
        else {
          try {
            c.destroy();
          } catch {
            // never connected
          }
        }
      }
      local.removeAllListeners();
      reconnected.removeAllListeners();
      await o.postgres.close();
    },
  };
}
