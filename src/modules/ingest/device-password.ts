import { createHash, randomBytes, scrypt, ScryptOptions, timingSafeEqual } from 'node:crypto';

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
