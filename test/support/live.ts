import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import { createClient, Client } from 'graphql-ws';
import WebSocket from 'ws';

/** Starts the hub's HTTP server on a free loopback port; returns its ws:// URL of /graphql. */
export async function listen(server: http.Server): Promise<string> {
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- events are asserted field by field
export type LiveResult = { data?: any; errors?: Array<{ message: string; extensions?: Record<string, any> }>; extensions?: Record<string, any> };

/** One subscription of a graphql-ws client: its events as they come, and the error or completion that ended it. */
export interface Live {
  client: Client;
  events: LiveResult[];
  /** When each event arrived (Date.now()), by index. */
  times: number[];
  /** The errors the subscription ended with (an `error` message), if it did. */
  ended: Promise<{ errors?: unknown; completed?: true }>;
  /** Resolves once `n` events have arrived (rejects if the subscription ends first). */
  until(n: number): Promise<LiveResult[]>;
  close(): Promise<void>;
}

/** Subscribes over graphql-ws as the hub's clients do; resolves once the server has acknowledged the connection. */
export async function subscribe(url: string, token: string | null, query: string, variables: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Promise<Live> {
  let acked!: () => void;
  let refused!: (e: unknown) => void;
  const connected = new Promise<void>((res, rej) => {
    acked = res;
    refused = rej;
  });
  const client = createClient({
    url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false,
    connectionParams: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra },
    on: { connected: () => acked(), closed: (e) => refused(e) },
  });
  const events: LiveResult[] = [];
  const times: number[] = [];
  const waiters: Array<{ n: number; resolve: (v: LiveResult[]) => void; reject: (e: unknown) => void }> = [];
  let endedWith: { errors?: unknown; completed?: true } | null = null;
  const check = () => {
    for (const w of [...waiters]) {
      if (events.length >= w.n) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(events.slice(0, w.n));
      } else if (endedWith) {
        waiters.splice(waiters.indexOf(w), 1);
        w.reject(new Error(`the subscription ended after ${events.length} events: ${JSON.stringify(endedWith)}`));
      }
    }
  };
  const ended = new Promise<{ errors?: unknown; completed?: true }>((resolve) => {
    client.subscribe({ query, variables }, {
      next: (r) => {
        times.push(Date.now());
        events.push(r as LiveResult);
        check();
      },
      error: (errors) => {
        endedWith = { errors };
        resolve(endedWith);
        check();
      },
      complete: () => {
        endedWith ??= { completed: true };
        resolve(endedWith);
        check();
      },
    });
  });
  await connected;
  return {
    client, events, times, ended,
    until: (n) => new Promise((resolve, reject) => {
      waiters.push({ n, resolve, reject });
      check();
    }),
    close: () => client.dispose() as Promise<void>,
  };
}

/** A raw graphql-transport-ws connection that sends `connection_init` with `payload`; resolves with how the server closed it, or 'acknowledged'. */
export function initOutcome(url: string, payload: Record<string, unknown> | null, o: { stayOpen?: boolean } = {}): Promise<{ code: number; reason: string; acknowledged: boolean; socket: WebSocket }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    let acknowledged = false;
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', ...(payload ? { payload } : {}) })));
    socket.on('message', (m) => {
      if (JSON.parse(String(m)).type === 'connection_ack') {
        acknowledged = true;
        if (!o.stayOpen) socket.close(1000);
        else resolve({ code: 0, reason: '', acknowledged, socket });
      }
    });
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString(), acknowledged, socket }));
    socket.on('error', reject);
  });
}

/** Resolves with the close code and reason of an open socket. */
export function closed(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    if (socket.readyState === WebSocket.CLOSED) return resolve({ code: -1, reason: 'already closed' });
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
}

/** Waits until `check` holds, polling every 20 ms (for state a server updates after a socket event). */
export async function eventually(check: () => boolean | Promise<boolean>, what = 'condition'): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${what} did not hold within 500 polls`);
}
