import { createHash, randomBytes, scrypt, ScryptOptions, timingSafeEqual } from 'node:crypto';
import ipaddr from 'ipaddr.js';

/**
 * HJ 212 device passwords. A PW is only 6 printable characters, so a plain or fast hash of it
 * would be reversed by trying them all; scrypt with a per-station salt makes each guess cost
 * memory and time, and the stored string carries its parameters so they can be raised later.
 * Format: `scrypt$N$r$p$<salt base64url>$<hash base64url>`.
 */
const PARAMS = { N: 1 << 14, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

/** The characters HJ 212 allows in PW: exactly 6 printable ASCII characters. */
export const DEVICE_PW = /^[\x21-\x7e]{6}$/;

function derive(pw: string, salt: Buffer, o: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { N: o.N, r: o.r, p: o.p, maxmem: 128 * o.N * o.r * 2 };
  return new Promise((resolve, reject) => scrypt(pw, salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** Hashes a device PW for storage (`monitoring_station.pw_hash`). */
export async function hashDevicePassword(pw: string): Promise<string> {
  if (!DEVICE_PW.test(pw)) throw new Error('an HJ 212 PW is exactly 6 printable ASCII characters');
  const salt = randomBytes(16);
  const key = await derive(pw, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Recently verified (stored hash, PW) pairs, by a digest of both: a logger sends every few seconds. */
const verified = new Set<string>();
const VERIFIED_MAX = 10_000;

const memoOf = (stored: string, pw: string) => createHash('sha256').update(stored).update('\0').update(pw).digest('base64url');

/** True when this (stored hash, PW) pair was verified recently: the cheap check, no scrypt. */
export function knownDevicePassword(stored: string, pw: string): boolean {
  return verified.has(memoOf(stored, pw));
}

/**
 * Whether `pw` matches the stored hash. A logger repeats the same PW on every packet, so a pair
 * verified once is remembered (as a digest, never the PW) and later packets skip the scrypt; a
 * changed hash in the database changes the digest, so a re-registered device is checked anew.
 */
export async function verifyDevicePassword(stored: string, pw: string): Promise<boolean> {
  const memo = memoOf(stored, pw);
  if (verified.has(memo)) return true;
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  const expected = Buffer.from(parts[5], 'base64url');
  const key = await derive(pw, Buffer.from(parts[4], 'base64url'), { N, r, p });
  const ok = key.length === expected.length && timingSafeEqual(key, expected);
  if (ok) {
    if (verified.size >= VERIFIED_MAX) verified.clear();
    verified.add(memo);
  }
  return ok;
}

/**
 * The sender a wrong PW is counted against: its IP address, an IPv4-mapped IPv6 address as IPv4,
 * and an IPv6 address by its /64 prefix (one host is usually given a whole /64, so counting each
 * address would let it rotate through them).
 */
export function senderOf(address: string | undefined): string {
  if (!address) return 'unknown';
  try {
    const ip = ipaddr.process(address);
    if (ip.kind() === 'ipv4') return ip.toString();
    const parts = (ip as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
    return `${parts.join(':')}::/64`;
  } catch {
    return address;
  }
}

/** Wrong PWs one sender may try on one device per minute before its checks wait in the slow lane. */
export const WRONG_PW_LIMIT = 5;
const WINDOW_MS = 60_000;
const TRACKED_MAX = 10_000;

/**
 * Counts wrong PWs per (MN, sender) and decides how a PW is checked; it never decides that a PW is
 * wrong. Counting per sender keeps one sender's wrong PWs from touching another's packets, so a
 * stranger cannot lock a data logger out; and a correct PW always passes, whatever the counts,
 * because a logger whose PW was just changed on site (or that shares an address with a guesser)
 * must not lose its data. What the counts do decide: a sender past the limit for a device has its
 * further checks run in one hub-wide lane, one scrypt at a time, so guessing from there is slow and
 * a flood of wrong PWs cannot take the hub's crypto threads from other loggers.
 */
export class PasswordGuard {
  private readonly failures = new Map<string, { since: number; count: number }>();
  private lane: Promise<unknown> = Promise.resolve();

  private readonly limit: number;
  private readonly now: () => number;
  private readonly verify: (stored: string, pw: string) => Promise<boolean>;

  /** `now` and `verify` are for tests (a clock to move, a check to watch). */
  constructor(o: { limit?: number; now?: () => number; verify?: (stored: string, pw: string) => Promise<boolean> } = {}) {
    this.limit = o.limit ?? WRONG_PW_LIMIT;
    this.now = o.now ?? Date.now;
    this.verify = o.verify ?? verifyDevicePassword;
  }

  /** Wrong PWs of this sender for this device in the current minute. */
  failuresOf(mn: string, sender: string): number {
    const f = this.failures.get(`${mn} ${sender}`);
    return f && this.now() - f.since <= WINDOW_MS ? f.count : 0;
  }

  /**
   * Whether `pw` is the device's: a PW verified before passes at once; otherwise the scrypt runs,
   * in the slow lane when this sender is past the limit for this device.
   */
  async check(stored: string, mn: string, sender: string, pw: string): Promise<{ ok: boolean; failures: number; slowLane: boolean }> {
    if (knownDevicePassword(stored, pw)) return { ok: true, failures: this.failuresOf(mn, sender), slowLane: false };
    const slowLane = this.failuresOf(mn, sender) >= this.limit;
    const ok = slowLane ? await this.inLane(() => this.verify(stored, pw)) : await this.verify(stored, pw);
    if (ok) return { ok, failures: this.failuresOf(mn, sender), slowLane };
    return { ok, failures: this.count(`${mn} ${sender}`), slowLane };
  }

  private count(key: string): number {
    const now = this.now();
    let f = this.failures.get(key);
    if (!f || now - f.since > WINDOW_MS) {
      this.failures.delete(key);
      if (this.failures.size >= TRACKED_MAX) this.prune(now);
      f = { since: now, count: 0 };
      this.failures.set(key, f);
    }
    return ++f.count;
  }

  /** Drops expired counts; if the map is still full, the oldest (a flood of senders must not grow memory). */
  private prune(now: number): void {
    for (const [k, f] of this.failures) if (now - f.since > WINDOW_MS) this.failures.delete(k);
    for (const k of this.failures.keys()) {
      if (this.failures.size < TRACKED_MAX) break;
      this.failures.delete(k);
    }
  }

  private inLane<T>(task: () => Promise<T>): Promise<T> {
    const run = this.lane.then(task);
    this.lane = run.catch(() => undefined);
    return run;
  }
}
