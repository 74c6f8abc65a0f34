import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** Resident set size of a process in MB, from /proc (Linux); null where there is no /proc. */
export function rssMb(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

/** CPU time (user + system) a process has used, in seconds, from /proc (Linux); null where there is no /proc. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** USER_HZ: the unit of utime and stime in /proc/<pid>/stat (100 on Linux builds in common use). */
const CLOCK_TICKS = 100;

/** Samples a process's RSS every `everyMs` while running; `window()` gives the peak since the last call. */
export class RssSampler {
  private timer: NodeJS.Timeout;
  private windowPeak = 0;
  peak = 0;

  constructor(readonly pid: number, everyMs = 200) {
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }

  sample(): number | null {
    const v = rssMb(this.pid);
    if (v !== null) {
      this.windowPeak = Math.max(this.windowPeak, v);
      this.peak = Math.max(this.peak, v);
    }
    return v;
  }

  /** The peak since the previous call (sampling once more first), and starts a new window. */
  window(): number | null {
    this.sample();
    const p = this.windowPeak;
    this.windowPeak = 0;
    return p || null;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** `npm run -s build`: the bench measures the built hub, as `npm start` runs it. */
export function buildHub(root: string): void {
  const r = spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`npm run build failed (exit ${r.status ?? r.signal})`);
  if (!existsSync(path.join(root, 'dist/src/main.js'))) throw new Error('the build did not produce dist/src/main.js');
}

export interface HubStartOptions {
  root: string;
  databaseUrl: string;
  env: Record<string, string>;
  logFile: string;
  /** Folder for a V8 CPU profile of the hub (`node --cpu-prof`), written when it stops. */
  cpuProfileDir?: string;
  /** Called when the hub ends without `stop()`: a crash, or a signal from outside. */
  onUnexpectedExit?: (how: string) => void;
}

/** The hub as a child process in production mode, on a free loopback port. */
export class HubProcess {
  private exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  /** How the hub ended, when it has: "exit code 1" or "signal SIGKILL". */
  exitedWith: string | null = null;
  private stopping = false;

  private constructor(readonly child: ChildProcess, readonly url: string, readonly logFile: string, onUnexpectedExit?: (how: string) => void) {
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => {
      this.exitCode = code ?? (signal ? -1 : null);
      this.exitedWith = signal ? `signal ${signal}` : `exit code ${code}`;
      if (!this.stopping) onUnexpectedExit?.(this.exitedWith);
      resolve(this.exitCode);
    }));
  }

  get pid(): number {
    return this.child.pid!;
  }

  static async start(o: HubStartOptions): Promise<HubProcess> {
    const port = await freePort();
    mkdirSync(path.dirname(o.logFile), { recursive: true });
    const out = createWriteStream(o.logFile, { flags: 'w' });
    const args = o.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', o.cpuProfileDir] : [];
    if (o.cpuProfileDir) mkdirSync(o.cpuProfileDir, { recursive: true });
    // Node itself, not npm: the pid is the hub's, so /proc/<pid>/status is the hub's memory.
    const child = spawn(process.execPath, [...args, 'dist/src/main.js'], {
      cwd: o.root,
      env: { ...process.env, ...o.env, DATABASE_URL: o.databaseUrl, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(out);
    child.stderr!.pipe(out);
    const hub = new HubProcess(child, `http://127.0.0.1:${port}`, o.logFile, o.onUnexpectedExit);
    await hub.waitReady(180_000);
    return hub;
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exitCode !== undefined) throw new Error(`the hub exited with ${this.exitCode} while starting; see ${this.logFile}:\n${tail(this.logFile)}`);
      try {
        const r = await fetch(`${this.url}/readyz`);
        if (r.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`the hub was not ready within ${timeoutMs / 1000} s; see ${this.logFile}`);
  }

  /** SIGTERM (the hub finishes in-flight requests and writes its CPU profile), SIGKILL after 20 s. */
  async stop(): Promise<void> {
    if (this.exitCode !== undefined) return;
    this.stopping = true;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
    await this.exited;
    clearTimeout(timer);
  }
}

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
