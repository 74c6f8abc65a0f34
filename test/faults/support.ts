import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../bench/hub-process';
import { withDatabase } from '../../bench/dataset';

/**
 * What the fault tests share: their prerequisites, scratch databases, the hub as a child process
 * (from the sources, so the tests need no build), and a TCP proxy that stands in for a database
 * that goes away.
 */

export const ROOT = path.resolve(__dirname, '../..');

/** The PostgreSQL server the fault tests make their scratch databases on. */
export const PG_SERVER = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** Bodies that leak a stack or SQL. */
export const LEAK = /at .*\.ts:|SELECT|INSERT/;

function commandWorks(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore', timeout: 10_000 });
  return r.status === 0;
}

export const pgAvailable = (): boolean => commandWorks('pg_isready', ['-d', PG_SERVER, '-t', '3']);
export const redisAvailable = (): boolean => commandWorks('redis-server', ['--version']) && commandWorks('redis-cli', ['--version']);

/**
 * `describe` when the prerequisite is there. Without it: skipped with the reason outside CI; in CI
 * (where .ci/run provides PostgreSQL and Redis) a failing test that names what is missing.
 */
export function describeWith(ok: boolean, missing: string): jest.Describe {
  if (ok) return describe;
  if (process.env.CI) {
    return ((name: string) => describe(name, () => test(`prerequisite: ${missing}`, () => {
      throw new Error(`fault test cannot run: ${missing}`);
    }))) as unknown as jest.Describe;
  }
  process.stderr.write(`fault test skipped: ${missing}\n`);
  return describe.skip;
}

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: withDatabase(PG_SERVER, 'postgres') });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A new empty database on the server (dropped first if a previous run left it); returns its URL. */
export async function createDatabase(name: string): Promise<string> {
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${name}"`);
  });
  return withDatabase(PG_SERVER, name);
}

export async function dropDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** Runs one query on a database with a connection of its own. */
export async function query<T = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `probe` every 200 ms until it returns true; resolves to the milliseconds it took, or null at the limit. */
export async function waitFor(probe: () => Promise<boolean>, limitMs: number): Promise<number | null> {
  const t0 = Date.now();
  while (Date.now() - t0 < limitMs) {
    if (await probe().catch(() => false)) return Date.now() - t0;
    await sleep(200);
  }
  return null;
}

export async function readyz(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5000) });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

/** A node process running one of the hub's TypeScript entry points, its output in a log file. */
export class NodeChild {
  readonly exited: Promise<number | null>;
  exitCode: number | null | undefined;

  private constructor(readonly child: ChildProcess, readonly logFile: string) {
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => {
      this.exitCode = code ?? (signal ? -1 : null);
      resolve(this.exitCode);
    }));
  }

  /** Node itself, not npm, so the pid is the process that does the work and SIGKILL reaches it. */
  static spawn(entry: string, args: string[], env: Record<string, string>, logName: string): NodeChild {
    const logFile = path.join(os.tmpdir(), `eco-hub-faults-${logName}-${process.pid}.log`);
    const out = createWriteStream(logFile, { flags: 'w' });
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', entry, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(out);
    child.stderr!.pipe(out);
    return new NodeChild(child, logFile);
  }

  get pid(): number {
    return this.child.pid!;
  }

  log(lines = 30): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.exitCode !== undefined) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  async kill(): Promise<void> {
    if (this.exitCode !== undefined) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}

/** The hub started from src/main.ts on a free loopback port, ready (or `until` true) before this resolves. */
export async function startHub(env: Record<string, string>, name: string, until?: (r: { status: number; body: Record<string, unknown> }) => boolean): Promise<{ url: string; proc: NodeChild }> {
  const port = await freePort();
  const proc = NodeChild.spawn('src/main.ts', [], { NODE_ENV: 'production', LOG_LEVEL: 'warn', HUB_RATE_LIMIT_PER_MINUTE: '0', ...env, PORT: String(port) }, name);
  const url = `http://127.0.0.1:${port}`;
  const took = await waitFor(async () => {
    if (proc.exitCode !== undefined) throw new Error('exited');
    const r = await readyz(url);
    return until ? until(r) : r.status === 200;
  }, 180_000);
  if (took === null) {
    await proc.kill();
    throw new Error(`the hub did not become ready (exit ${proc.exitCode}); its log ${proc.logFile}:\n${proc.log()}`);
  }
  return { url, proc };
}

/**
 * A TCP proxy between the hub and PostgreSQL. `close()` is the database going away: the listener
 * stops (new connections are refused) and every open connection is cut; `open()` brings it back on
 * the same port.
 */
export class TcpProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async open(): Promise<number> {
    const server = net.createServer((inbound) => {
      const outbound = net.connect(this.target);
      for (const s of [inbound, outbound]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      inbound.on('close', () => outbound.destroy());
      outbound.on('close', () => inbound.destroy());
      inbound.pipe(outbound);
      outbound.pipe(inbound);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    const addr = server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : this.port;
    this.server = server;
    return this.port;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await closed;
  }

  /** The URL of `databaseUrl` with its host and port replaced by the proxy's. */
  urlFor(databaseUrl: string): string {
    const u = new URL(databaseUrl);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }
}
