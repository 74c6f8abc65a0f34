import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/*
 * One process at a time on an embedded data folder.
 *
 * PGlite is PostgreSQL running inside the process that opened it, with nothing shared between two
 * processes: two of them on one folder each take the files for their own, and each overwrites pages
 * the other wrote (rows the running hub never sees, a unique index that no longer finds them). So
 * every process that opens the folder first creates `<dataDir>/eco-hub.lock`, which names it: pid,
 * start, host, command and, for the hub, its HTTP address (the writing commands send their work
 * there instead). The file is created whole and atomically (written aside, then hard-linked into
 * place, which fails when the name exists), so a reader never sees half a lock.
 *
 * A lock whose process is gone is stale and taken over, with a log line: the pid is not alive, or it
 * now belongs to another process (its start time in /proc/<pid>/stat differs), or the machine has
 * booted since. A lock from another host cannot be checked from here and is respected. The owner
 * removes its lock when it closes the database, on exit, and on SIGINT/SIGTERM/SIGHUP when nothing
 * else handles the signal (the hub handles them itself and closes the database on its way out).
 *
 * Own code rather than proper-lockfile: that library judges staleness by an mtime it refreshes on a
 * timer, so a hub whose event loop is busy for longer than the stale period loses its lock to the
 * next process while it still writes; a pid with its start time is exact on one machine, which is
 * where an embedded folder lives.
 */

/** The lock's file name inside the data folder. */
export const DATA_LOCK_FILE = 'eco-hub.lock';

/** Exit status of a command refused because another process holds the data folder (sysexits' EX_TEMPFAIL: try again later). */
export const EXIT_DATA_FOLDER_IN_USE = 75;

/** The command name the hub writes into its lock; the writing commands look for it. */
export const HUB_COMMAND = 'eco-hub';

/** What a lock file says about the process that holds the folder. */
export interface DataLockHolder {
  pid: number;
  /** When the process started, ISO 8601 UTC to the second. */
  startedAt: string;
  /** The process's start in clock ticks since boot (field 22 of /proc/<pid>/stat), where there is /proc: tells a reused pid from the holder. */
  procStart?: string;
  /** The boot the process runs in (/proc/sys/kernel/random/boot_id): after a reboot every older lock is stale. */
  bootId?: string;
  hostname: string;
  /** What holds the folder: eco-hub, import, seed, migrate, catalog:load… */
  command: string;
  /** The hub's HTTP address once it listens (loopback). */
  url?: string;
  /** This lock among every one the file has held: only its owner removes or rewrites it. */
  token: string;
}

/** Whether a lock's holder still runs, and if not, why not (for the take-over log line). */
export type HolderState = { alive: true; checked: boolean } | { alive: false; reason: string };

/** The lock of a data folder and what is known of its holder. */
export interface DataLockInfo {
  file: string;
  holder: DataLockHolder;
  state: HolderState;
}

/** Refusal to open a data folder another process holds; its message names the holder. */
export class DataFolderInUseError extends Error {
  readonly exitCode = EXIT_DATA_FOLDER_IN_USE;

  constructor(readonly dataDir: string, readonly holder: DataLockHolder | null, readonly file: string, hint?: string) {
    const who = holder ? describeHolder(holder) : 'another process (its lock file is being written)';
    const remote = holder && holder.hostname !== os.hostname()
      ? `; that host cannot be checked from here, so if the process is gone there, delete ${file}`
      : '';
    super(`the data folder ${shownPath(dataDir)} is in use by ${who}${remote}; ${hint ?? 'stop it first, then run this again'}`);
    this.name = 'DataFolderInUseError';
  }
}

/** `eco-hub (pid 1234, started 2026-12-06T10:00:00Z, http://127.0.0.1:4000)`. */
export function describeHolder(h: DataLockHolder): string {
  const host = h.hostname !== os.hostname() ? ` on host ${h.hostname}` : '';
  return `${h.command} (pid ${h.pid}${host}, started ${h.startedAt}${h.url ? `, ${h.url}` : ''})`;
}

/** A folder as the user would type it: `./.data` under the working directory, absolute elsewhere. */
export function shownPath(dir: string): string {
  const rel = path.relative(process.cwd(), dir);
  if (rel === '') return '.';
  return rel.startsWith('..') || path.isAbsolute(rel) ? dir : `./${rel}`;
}

function readProcFile(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot); undefined without /proc or the process. */
export function procStartOf(pid: number): string | undefined {
  const stat = readProcFile(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // The command name (field 2) may hold spaces and parentheses: count fields from its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19];
}

function bootId(): string | undefined {
  return readProcFile('/proc/sys/kernel/random/boot_id')?.trim() || undefined;
}

/** Whether the process a lock names still runs; see the file's comment for the rules. */
export function holderState(h: DataLockHolder): HolderState {
  if (h.hostname !== os.hostname()) return { alive: true, checked: false };
  const boot = bootId();
  if (h.bootId && boot && h.bootId !== boot) return { alive: false, reason: 'the machine has restarted since' };
  try {
    process.kill(h.pid, 0);
  } catch (err) {
    // EPERM: the process exists but belongs to another user; it is alive.
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return { alive: false, reason: 'it is no longer running' };
  }
  if (h.procStart) {
    const now = procStartOf(h.pid);
    if (now !== undefined && now !== h.procStart) return { alive: false, reason: `pid ${h.pid} now belongs to another process` };
  }
  return { alive: true, checked: true };
}

function safeJson(text: string): object {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null ? v : {};
  } catch {
    return {};
  }
}

function parseHolder(text: string): DataLockHolder | null {
  try {
    const h = JSON.parse(text) as DataLockHolder;
    const ok = typeof h === 'object' && h !== null && Number.isInteger(h.pid) && h.pid > 0 && typeof h.hostname === 'string'
      && typeof h.command === 'string' && typeof h.startedAt === 'string' && typeof h.token === 'string';
    return ok ? h : null;
  } catch {
    return null;
  }
}

type Found = { kind: 'none' } | { kind: 'lock'; raw: string; holder: DataLockHolder } | { kind: 'unreadable'; raw: string; ageMs: number };

function readLockFile(file: string): Found {
  let raw: string;
  let ageMs: number;
  try {
    raw = fs.readFileSync(file, 'utf8');
    ageMs = Date.now() - fs.statSync(file).mtimeMs;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    throw err;
  }
  const holder = parseHolder(raw);
  return holder ? { kind: 'lock', raw, holder } : { kind: 'unreadable', raw, ageMs };
}

/** The lock of a data folder, if there is one (the writing commands look here for a running hub). */
export function readDataLock(dataDir: string): DataLockInfo | null {
  const file = path.join(dataDir, DATA_LOCK_FILE);
  const found = readLockFile(file);
  return found.kind === 'lock' ? { file, holder: found.holder, state: holderState(found.holder) } : null;
}

const EXCLUSIVE_UNSUPPORTED = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/**
 * Creates `file` with `content` unless it exists; false when it does. The content is written to a
 * file of its own first and hard-linked into place, so the lock appears whole; where the file
 * system has no hard links, an O_EXCL create and a write.
 */
function createExclusive(file: string, content: string): boolean {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  fs.writeFileSync(tmp, content, { flag: 'wx', mode: 0o644 });
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return false;
    if (!EXCLUSIVE_UNSUPPORTED.has(code)) throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

function removeIfUnchanged(file: string, raw: string): boolean {
  const now = readProcFile(file);
  if (now !== raw) return false;
  fs.rmSync(file, { force: true });
  return true;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A lock file younger than this that does not parse is one being written (O_EXCL fallback); older, it is debris. */
const UNREADABLE_GRACE_MS = 5000;

/**
 * Removes the stale lock `raw` if the file still holds exactly it. Contenders take turns through a
 * second exclusive file, so that none removes a lock another contender has just created in the
 * stale one's place. Returns whether this process removed it.
 */
async function removeStale(file: string, raw: string): Promise<boolean> {
  const guard = `${file}.takeover`;
  const mine = JSON.stringify({ pid: process.pid, procStart: procStartOf(process.pid), hostname: os.hostname() });
  if (!createExclusive(guard, mine)) {
    // Another process is taking over; a guard left by one that died in between (or unreadable and old) is removed.
    const g = readProcFile(guard);
    const other = g ? parseHolder(JSON.stringify({ startedAt: '', command: '', token: '', ...safeJson(g) })) : null;
    const age = (() => {
      try {
        return Date.now() - fs.statSync(guard).mtimeMs;
      } catch {
        return 0;
      }
    })();
    if (g !== undefined && (age > UNREADABLE_GRACE_MS || (other !== null && !holderState(other).alive))) removeIfUnchanged(guard, g);
    await sleep(20 + Math.random() * 40);
    return false;
  }
  try {
    return removeIfUnchanged(file, raw);
  } finally {
    fs.rmSync(guard, { force: true });
  }
}

const held = new Map<string, DataLock>();
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function releaseAll(): void {
  for (const lock of [...held.values()]) lock.release();
}

function onSignal(signal: NodeJS.Signals): void {
  // The hub (or any command) that handles the signal itself closes the database and so the lock.
  if (process.listenerCount(signal) > 1) return;
  releaseAll();
  process.kill(process.pid, signal); // our listeners are gone with the last lock: the default action ends the process
}

function watchExit(on: boolean): void {
  if (on) {
    process.on('exit', releaseAll);
    for (const s of SIGNALS) process.on(s, onSignal);
  } else {
    process.removeListener('exit', releaseAll);
    for (const s of SIGNALS) process.removeListener(s, onSignal);
  }
}

/** A data folder held by this process. */
export class DataLock {
  private released = false;

  constructor(readonly dataDir: string, readonly file: string, private holder: DataLockHolder, private readonly key: string) {}

  get info(): Readonly<DataLockHolder> {
    return this.holder;
  }

  /** Adds the hub's HTTP address to the lock, for the writing commands; the file is replaced in one rename. */
  setUrl(url: string): void {
    if (this.released) return;
    const next = { ...this.holder, url };
    const current = readLockFile(this.file);
    if (current.kind !== 'lock' || current.holder.token !== this.holder.token) return; // not ours any more: leave it
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    fs.writeFileSync(tmp, JSON.stringify(next, null, 2) + '\n', { flag: 'wx', mode: 0o644 });
    fs.renameSync(tmp, this.file);
    this.holder = next;
  }

  /** Gives the folder up: removes the file if it is still this lock. Safe to call twice. */
  release(): void {
    if (this.released) return;
    this.released = true;
    const current = readLockFile(this.file);
    if (current.kind === 'lock' && current.holder.token === this.holder.token) removeIfUnchanged(this.file, current.raw);
    held.delete(this.key);
    if (held.size === 0) watchExit(false);
  }
}

export interface AcquireOptions {
  /** What holds the folder, as the refusal shows it to others (eco-hub, import…). */
  command: string;
  /** Where the take-over of a stale lock is reported. */
  log?: (message: string, details: { stale: DataLockHolder; reason: string }) => void;
  /** The refusal's advice after "in use by …; " (by default: stop it first), or a function of the holder. */
  hint?: string | ((holder: DataLockHolder) => string);
}

/**
 * Takes the data folder for this process, or throws DataFolderInUseError naming the holder. A stale
 * lock is taken over (reported through `log`). The lock goes when `release()` is called or the
 * process exits.
 */
export async function acquireDataLock(dataDir: string, o: AcquireOptions): Promise<DataLock> {
  fs.mkdirSync(dataDir, { recursive: true });
  const key = fs.realpathSync(dataDir);
  const file = path.join(dataDir, DATA_LOCK_FILE);
  const mine = held.get(key);
  if (mine) throw new DataFolderInUseError(dataDir, mine.info, file, 'this process has it open already');

  const holder: DataLockHolder = {
    pid: process.pid,
    startedAt: new Date(Date.now() - process.uptime() * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
    procStart: procStartOf(process.pid),
    bootId: bootId(),
    hostname: os.hostname(),
    command: o.command,
    token: randomBytes(12).toString('hex'),
  };
  const content = JSON.stringify(holder, null, 2) + '\n';
  // Each turn either creates the lock, refuses, or removes a stale one and tries again; only a
  // crowd of contenders for one stale lock needs more than two.
  for (let turn = 0; turn < 200; turn++) {
    if (createExclusive(file, content)) {
      const lock = new DataLock(dataDir, file, holder, key);
      if (held.size === 0) watchExit(true);
      held.set(key, lock);
      return lock;
    }
    const found = readLockFile(file);
    if (found.kind === 'none') continue;
    if (found.kind === 'unreadable') {
      if (found.ageMs < UNREADABLE_GRACE_MS) {
        await sleep(50);
        continue;
      }
      if (await removeStale(file, found.raw)) {
        o.log?.(`removed an unreadable lock file from ${shownPath(dataDir)} (${found.raw.length} bytes, ${Math.round(found.ageMs / 1000)} s old)`, {
          stale: { pid: 0, startedAt: '', hostname: '', command: '(unreadable)', token: '' }, reason: 'unreadable',
        });
      }
      continue;
    }
    const state = holderState(found.holder);
    if (state.alive) throw new DataFolderInUseError(dataDir, found.holder, file, typeof o.hint === 'function' ? o.hint(found.holder) : o.hint);
    if (await removeStale(file, found.raw)) {
      o.log?.(`took over the data folder ${shownPath(dataDir)} from ${describeHolder(found.holder)}: ${state.reason}`, { stale: found.holder, reason: state.reason });
    }
  }
  throw new DataFolderInUseError(dataDir, null, file, typeof o.hint === 'function' ? undefined : o.hint);
}
