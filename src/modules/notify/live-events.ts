import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Principal } from '../../auth/principal';
import type { EventBus, EventChannel } from '../../db/events';
import { buildContext, HubContext, Purpose, Services } from '../../graphql/context';
import { ErrorCode } from '../../graphql/errors';

/**
 * The small home of live notifications: a GraphQL subscription field turns one event-bus channel
 * (src/db/events.ts, PostgreSQL LISTEN/NOTIFY across instances) into a stream of events, each
 * decided for the subscriber as a read is, and audited as one.
 *
 * How another module exposes a channel (the lead wires `eco_hub_sharing` and `eco_hub_alerts` this way):
 *
 *   1. The writer sends keys on the channel inside its transaction: `bus.publish(channel, { id }, m)`
 *      or `SELECT pg_notify(channel, json)` in its own statement (see appendChanges for records).
 *   2. A resolver declares `@Subscription(() => T, { subscribe: ({ args, context }) =>
 *      liveEvents(context, 'eco_hub_sharing', (notice, ctx) => service.visibleApplication(ctx, notice, args)) })`
 *      plus a method returning `@Root()`. `accept` runs once per event on a fresh request context
 *      (its own request id, audit trail, catalog terms and reader): it asks the policy
 *      (src/auth/policy.ts) whether this subscriber may read what the event is about, returns
 *      null to stay silent, or returns the event's root value; it tallies what the event releases
 *      in `ctx.audit` (or lets a field resolver read through the read engine, which audits itself).
 *   3. Add the resolver to RESOLVERS in src/graphql/schema.ts. The transport
 *      (src/graphql/subscriptions.ts) authenticates, limits and audits; nothing else to wire.
 */

/** What a subscription's context carries beyond a request's: the bus and the per-event lifecycle. */
export interface LiveSession {
  bus: EventBus;
  /** Events a subscription may have waiting; past that it ends with RATE_LIMITED (a client that cannot keep up). */
  maxPending: number;
  /** Starts the next event's request context (fresh request id, audit trail, terms, reader) on the same object. */
  renew(): void;
  /** Work to do after the event's fields have resolved and before its audit rows are written. */
  afterEvent(fn: () => void): void;
  /** Runs the `afterEvent` work and clears it (the transport calls it per event). */
  settle(): void;
}

export interface LiveContext extends HubContext {
  live: LiveSession;
}

export interface LiveContextOptions {
  services: Services;
  principal: Principal;
  purpose: Purpose | null;
  bus: EventBus;
  maxPending: number;
}

/** A subscription's context: one per operation, renewed per event so that each event is its own audited read. */
export function liveContext(o: LiveContextOptions): LiveContext {
  const fresh = () => buildContext(o.services, o.principal, o.purpose, { statements: 0 }, randomUUID());
  let pending: Array<() => void> = [];
  const ctx = fresh() as LiveContext;
  ctx.live = {
    bus: o.bus,
    maxPending: o.maxPending,
    renew: () => {
      pending = [];
      Object.assign(ctx, fresh());
    },
    afterEvent: (fn) => {
      pending.push(fn);
    },
    settle: () => {
      const run = pending;
      pending = [];
      for (const fn of run) fn();
    },
  };
  return ctx;
}

export function isLiveContext(ctx: HubContext): ctx is LiveContext {
  return typeof (ctx as Partial<LiveContext>).live === 'object';
}

/**
 * The events of `channel` this subscriber may hear, as `accept` shapes them. Listens from the
 * call until the client completes or the connection closes; events arrive in the order the bus
 * delivers them (commit order on one database) and are decided one at a time, each on a renewed
 * context, after the previous one has been sent.
 */
export function liveEvents<T>(
  ctx: HubContext,
  channel: EventChannel,
  accept: (notice: Record<string, unknown>, ctx: LiveContext) => T | null | Promise<T | null>,
): AsyncIterableIterator<T> {
  if (!isLiveContext(ctx)) {
    throw new GraphQLError('subscriptions are served over WebSocket (graphql-ws) at /graphql, not over HTTP', { extensions: { code: ErrorCode.BAD_USER_INPUT } });
  }
  const queue: Array<Record<string, unknown>> = [];
  let waiting: ((v: void) => void) | null = null;
  let done = false;
  let overflow = false;
  const wake = () => {
    const w = waiting;
    waiting = null;
    w?.();
  };
  const unsubscribe = ctx.live.bus.subscribe(channel, (payload) => {
    if (done) return;
    if (queue.length >= ctx.live.maxPending) overflow = true;
    else queue.push(payload);
    wake();
  });
  const finish = (): IteratorResult<T> => {
    done = true;
    queue.length = 0;
    unsubscribe();
    wake();
    return { value: undefined, done: true };
  };

  const iterator: AsyncIterableIterator<T> = {
    async next(): Promise<IteratorResult<T>> {
      while (!done) {
        if (overflow) {
          finish();
          throw new GraphQLError(`more than ${ctx.live.maxPending} events were waiting for this subscription: it has ended; subscribe again (narrow the filter)`, {
            extensions: { code: ErrorCode.RATE_LIMITED, maxPending: ctx.live.maxPending },
          });
        }
        const notice = queue.shift();
        if (!notice) {
          await new Promise<void>((resolve) => (waiting = resolve));
          continue;
        }
        ctx.live.renew();
        const value = await accept(notice, ctx);
        if (value !== null && !done) return { value, done: false };
      }
      return { value: undefined, done: true };
    },
    async return(): Promise<IteratorResult<T>> {
      return finish();
    },
    async throw(err?: unknown): Promise<IteratorResult<T>> {
      finish();
      throw err;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return iterator;
}
