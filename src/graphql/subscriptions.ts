import type http from 'node:http';
import { GraphQLError, GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { decodeJwt } from 'jose';
import { Counter, Gauge } from 'prom-client';
import { WebSocketServer } from 'ws';
import type { Principal, TokenVerifier } from '../auth/principal';
import type { Config } from '../config';
import type { EventBus } from '../db/events';
import type { HubMetrics } from '../http/metrics';
import type { Logger } from '../logger';
import { LiveContext, liveContext } from '../modules/notify';
import { parsePurpose, Purpose, Services } from './context';
import { ErrorCode, formatErrorFactory, UNAVAILABLE_RETRY_AFTER_SECONDS } from './errors';
import { checkOperation } from './limits';

/**
 * GraphQL subscriptions over WebSocket, on the HTTP server and path of /graphql, in the graphql-ws
 * protocol (what Apollo Client and GraphiQL speak), with the schema /graphql serves.
 *
 * - The connection authenticates once, in `connection_init`: `{ "authorization": "Bearer <token>",
 *   "purpose": "ENFORCEMENT" }` (the purpose as X-Purpose, optional), verified as the HTTP edge
 *   verifies a bearer token. No token: closed with 4401 (Unauthorized); a refused token: 4403
 *   (Forbidden) with the reason. There is no public subscriber.
 * - It lives as long as the token: at `exp` it is closed with 4403 "token expired" (a client that
 *   mints a fresh token in its connectionParams reconnects).
 * - One principal (org and sub) holds at most HUB_WS_MAX_CONNECTIONS_PER_PRINCIPAL connections
 *   per instance (4403 past that), a connection at most HUB_WS_MAX_SUBSCRIPTIONS_PER_CONNECTION
 *   subscriptions (RATE_LIMITED).
 * - Every document passes the same limits as one sent to /graphql (src/graphql/limits.ts). The
 *   socket carries subscriptions only; queries and mutations go to POST /graphql, where the
 *   response plugin audits them.
 * - Each event is executed on its own request context and its audit rows are written before it is
 *   sent: if they cannot be written, the event's data is withheld (SERVICE_UNAVAILABLE), as for a read.
 */

/** The graphql-ws connection, as the hub keeps it. */
type Connection = {
  principal?: Principal;
  purpose?: Purpose | null;
  /** The connection-limit key, set once the connection counts against its principal. */
  holder?: string;
  expiry?: NodeJS.Timeout;
  active?: Set<string>;
  /** Subscriptions whose source stream has started. */
  listening?: Set<string>;
};

/** Close reasons are limited to 123 bytes by the WebSocket protocol. */
function reason(text: string): string {
  let out = text;
  while (Buffer.byteLength(out) > 123) out = out.slice(0, -1);
  return out;
}

/** The token a `connection_init` payload carries: `authorization` (or `Authorization`), with or without "Bearer ". */
function authorizationOf(params: Record<string, unknown> | undefined): string | undefined {
  const raw = params?.authorization ?? params?.Authorization;
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  return /^bearer\s/i.test(raw.trim()) ? raw.trim() : `Bearer ${raw.trim()}`;
}

export interface SubscriptionServer {
  /** Open connections per principal key (`org|sub`), for tests and metrics. */
  connections(): ReadonlyMap<string, number>;
  /** Subscriptions that listen now (their source stream has started), across connections. */
  listening(): number;
  close(): Promise<void>;
}

export interface SubscriptionServerOptions {
  httpServer: http.Server;
  schema: GraphQLSchema;
  services: Services;
  verifier: TokenVerifier;
  bus: EventBus;
  config: Pick<Config, 'limits' | 'subscriptions' | 'exposeErrors' | 'nodeEnv'>;
  log: Logger;
  /** Where the connection and subscription gauges and the event counter are registered (/metrics). */
  metrics?: HubMetrics;
  path?: string;
}

/** Serves graphql-ws on the hub's HTTP server; see the file's comment. */
export function attachSubscriptions(o: SubscriptionServerOptions): SubscriptionServer {
  const settings = o.config.subscriptions;
  const held = new Map<string, number>();
  let listening = 0;
  const registers = o.metrics ? [o.metrics.registry] : [];
  new Gauge({ name: 'hub_ws_connections', help: 'Authenticated WebSocket (subscription) connections open on this instance.', registers, collect() {
    this.set([...held.values()].reduce((a, b) => a + b, 0));
  } });
  new Gauge({ name: 'hub_ws_subscriptions', help: 'Subscriptions listening on this instance.', registers, collect() {
    this.set(listening);
  } });
  const sent = new Counter({ name: 'hub_ws_events_total', help: 'Subscription events by outcome: sent, or withheld because their audit rows could not be written.', labelNames: ['outcome'] as const, registers });
  const format = formatErrorFactory(o.config.exposeErrors, (err) => o.log.error({ err }, 'unexpected error in a subscription'));
  const formatted = (errors: readonly GraphQLError[]): GraphQLFormattedError[] => errors.map((e) => format(e.toJSON(), e));
  // One message at most the document limit plus its envelope; ws refuses bigger frames (close 1009).
  const wss = new WebSocketServer({ server: o.httpServer, path: o.path ?? '/graphql', maxPayload: o.config.limits.maxQueryBytes + 64 * 1024 });
  const conn = (extra: unknown) => extra as Connection;

  const release = (c: Connection) => {
    if (c.expiry) clearTimeout(c.expiry);
    if (!c.holder) return;
    const n = (held.get(c.holder) ?? 1) - 1;
    if (n > 0) held.set(c.holder, n);
    else held.delete(c.holder);
    c.holder = undefined;
  };

  const disposable = useServer<Record<string, unknown>, Connection>({
    schema: o.schema,
    onConnect: async (ctx) => {
      const c = conn(ctx.extra);
      const socket = ctx.extra.socket;
      const authorization = authorizationOf(ctx.connectionParams);
      if (!authorization) {
        socket.close(CloseCode.Unauthorized, 'Unauthorized: connection_init must carry {"authorization": "Bearer <token>"}');
        return false;
      }
      let principal: Principal;
      let exp: number;
      try {
        principal = await o.verifier.principalFrom(authorization);
        exp = Number(decodeJwt(authorization.replace(/^bearer\s+/i, '')).exp);
      } catch (err) {
        socket.close(CloseCode.Forbidden, reason(`Forbidden: ${(err as Error).message}`));
        return false;
      }
      const holder = `${principal.org}|${principal.sub}`;
      const n = held.get(holder) ?? 0;
      if (n >= settings.maxConnectionsPerPrincipal) {
        socket.close(CloseCode.Forbidden, reason(`Forbidden: ${principal.sub} of ${principal.org} already holds ${n} connections, the most allowed (HUB_WS_MAX_CONNECTIONS_PER_PRINCIPAL)`));
        return false;
      }
      held.set(holder, n + 1);
      c.holder = holder;
      c.principal = principal;
      const purpose = ctx.connectionParams?.purpose ?? ctx.connectionParams?.['x-purpose'] ?? ctx.connectionParams?.['X-Purpose'];
      c.purpose = parsePurpose(typeof purpose === 'string' ? purpose : undefined);
      c.active = new Set();
      c.listening = new Set();
      // The connection ends with its token (jose has checked that exp lies ahead).
      const expire = () => {
        // setTimeout holds at most 2^31-1 ms (24.8 days); a longer-lived token waits in steps.
        const left = exp * 1000 - Date.now();
        if (left <= 0) return void socket.close(CloseCode.Forbidden, 'Forbidden: token expired');
        c.expiry = setTimeout(expire, Math.min(left, 2 ** 31 - 1));
        c.expiry.unref();
      };
      expire();
      return true;
    },
    onClose: (ctx) => release(conn(ctx.extra)),
    onSubscribe: (ctx, id, payload) => {
      const c = conn(ctx.extra);
      if (!c.principal || !c.active) return [new GraphQLError('the connection is not authenticated', { extensions: { code: ErrorCode.UNAUTHENTICATED } })];
      if (c.active.size >= settings.maxSubscriptionsPerConnection) {
        return [new GraphQLError(`this connection already runs ${c.active.size} subscriptions, the most allowed (HUB_WS_MAX_SUBSCRIPTIONS_PER_CONNECTION)`, {
          extensions: { code: ErrorCode.RATE_LIMITED, max: settings.maxSubscriptionsPerConnection },
        })];
      }
      const checked = checkOperation(o.schema, { query: payload.query, operationName: payload.operationName, variables: payload.variables }, o.config.limits);
      if (Array.isArray(checked)) return checked;
      if (checked.operation.operation !== 'subscription') {
        return [new GraphQLError(`this socket carries subscriptions only; send ${checked.operation.operation} operations to POST /graphql`, {
          extensions: { code: ErrorCode.BAD_USER_INPUT },
        })];
      }
      c.active.add(id);
      return {
        schema: o.schema,
        document: checked.document,
        operationName: checked.operation.name?.value ?? payload.operationName,
        variableValues: payload.variables ?? undefined,
        contextValue: liveContext({ services: o.services, principal: c.principal, purpose: c.purpose ?? null, bus: o.bus, maxPending: settings.maxPendingEvents }),
      };
    },
    onNext: async (_ctx, _id, _payload, args, result) => {
      const ctx = args.contextValue as LiveContext;
      const operationName = args.operationName ?? null;
      ctx.live.settle();
      try {
        await o.services.audit.write({ requestId: ctx.requestId, principal: ctx.principal, purpose: ctx.purpose, operationName, audit: ctx.audit });
      } catch (err) {
        o.log.error({ err, requestId: ctx.requestId }, 'audit write failed: subscription event withheld');
        sent.inc({ outcome: 'withheld' });
        return {
          data: null,
          errors: [{ message: 'the event could not be written to the audit log, so its data is withheld', extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS } }],
        };
      }
      sent.inc({ outcome: 'sent' });
      const extensions: Record<string, unknown> = { ...result.extensions, requestId: ctx.requestId };
      if (ctx.maskReport.size > 0 || ctx.withheld.length > 0) {
        const policy: Record<string, unknown> = {};
        if (ctx.maskReport.size > 0) policy.masked = [...ctx.maskReport].map(([field, rule]) => ({ field, rule }));
        if (ctx.withheld.length > 0) policy.withheld = ctx.withheld;
        extensions.policy = policy;
      }
      return { data: result.data, ...(result.errors ? { errors: formatted(result.errors) } : {}), extensions };
    },
    onOperation: (ctx, id, _payload, _args, result) => {
      // The source stream has started (its bus listener is on); counted until the operation completes.
      if (Symbol.asyncIterator in Object(result)) {
        conn(ctx.extra).listening?.add(id);
        listening++;
      }
    },
    onError: (_ctx, _id, _payload, errors) => formatted(errors),
    onComplete: (ctx, id) => {
      const c = conn(ctx.extra);
      c.active?.delete(id);
      if (c.listening?.delete(id)) listening--;
    },
  }, wss);

  return {
    connections: () => held,
    listening: () => listening,
    async close() {
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
