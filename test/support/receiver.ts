import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a test receiver got: its headers, exact body and the status it was answered with. */
export interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  status: number;
}

/** A webhook receiver on 127.0.0.1 (a random port): answers each POST with `answer(request number)` (200 by default). */
export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** The status to answer the n-th request (0-based) with; a value of 0 holds the request without answering (a timeout). */
  answer: (n: number, path: string) => number;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const held: http.ServerResponse[] = [];
  const r: Receiver = {
    url: '', port: 0, received: [], answer: () => 200,
    close: () => new Promise((resolve) => {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const n = r.received.length;
      const status = r.answer(n, req.url ?? '/');
      r.received.push({ path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      if (status === 0) {
        held.push(res);
        return;
      }
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.port = (server.address() as AddressInfo).port;
  r.url = `http://127.0.0.1:${r.port}`;
  return r;
}
