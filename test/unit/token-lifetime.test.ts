import { SignJWT } from 'jose';
import { assertLifetime, mintToken, Role, TokenVerifier } from '../../src/auth/principal';
import { Jurisdiction } from '../../src/domain/jurisdictions';

/**
 * Tokens expire (issue 10, finding 9): `exp` and `iat` are required, `exp − iat` is capped (24 h by
 * default), and an `iat` ahead of the hub's clock by more than the skew is refused; each with an
 * UNAUTHENTICATED message that says which rule the token broke.
 */

const SECRET = 'token-lifetime-test-secret-0123456789abcdef';
const CLAIMS = { sub: 'lifetime', org: 'WUJIANG-EEB', jurisdiction: 'WUJIANG', roles: ['DOSSIER_READER'] };
const now = () => Math.floor(Date.now() / 1000);
const HOUR = 3600;
const YEAR = 365 * 86400;

/** Signs a token with exactly the given time claims (none unless given). */
function sign(times: { iat?: number; exp?: number; nbf?: number }, secret = SECRET): Promise<string> {
  return new SignJWT({ ...CLAIMS, ...times }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(secret));
}

async function refusal(verifier: TokenVerifier, token: string): Promise<{ code: unknown; message: string } | null> {
  try {
    await verifier.principalFrom(`Bearer ${token}`);
    return null;
  } catch (e) {
    const err = e as { extensions?: { code?: unknown }; message: string };
    return { code: err.extensions?.code, message: err.message };
  }
}

describe('the verifier (default settings: 24 h, 60 s)', () => {
  const verifier = new TokenVerifier({ secret: SECRET });

  test.each([
    ['no exp', () => sign({ iat: now() }), /"exp" is missing/],
    ['no iat', () => sign({ exp: now() + HOUR }), /"iat" is missing/],
    ['no exp and no iat', () => sign({}), /"exp" is missing/],
    ['issued ten years ahead, valid for twenty', () => sign({ iat: now() + 10 * YEAR, exp: now() + 30 * YEAR }), /"iat" lies \d+ s in the future; at most 60 s/],
    ['issued two minutes ahead', () => sign({ iat: now() + 120, exp: now() + HOUR }), /"iat" lies 1[12]\d s in the future/],
    ['valid for 24 h and one second', () => sign({ iat: now(), exp: now() + 24 * HOUR + 1 }), /lifetime \(exp − iat\) is 86401 s, longer than the 86400 s/],
    ['issued a year ago, valid for two', () => sign({ iat: now() - YEAR, exp: now() + YEAR }), /lifetime/],
    ['exp before iat', () => sign({ iat: now() + 30, exp: now() + 10 }), /"exp" must come after "iat"/],
  ])('%s: UNAUTHENTICATED', async (_name, make, message) => {
    const r = await refusal(verifier, await make());
    expect(r).toEqual({ code: 'UNAUTHENTICATED', message: expect.stringMatching(message) });
  });

  test.each([
    ['a 12-hour token', () => sign({ iat: now(), exp: now() + 12 * HOUR })],
    ['exactly 24 hours', () => sign({ iat: now(), exp: now() + 24 * HOUR })],
    ['issued 30 s ahead (clocks differ a little)', () => sign({ iat: now() + 30, exp: now() + HOUR })],
    ['issued 23 hours ago, an hour left', () => sign({ iat: now() - 23 * HOUR, exp: now() + HOUR })],
  ])('%s: accepted', async (_name, make) => {
    expect(await verifier.principalFrom(`Bearer ${await make()}`)).toMatchObject({ kind: 'user', sub: 'lifetime' });
  });

  test('the signature is checked first: a forged token without exp is refused for its signature, telling nothing of its claims', async () => {
    const r = await refusal(verifier, await sign({}, 'another-secret-another-secret-another-secret'));
    expect(r).toEqual({ code: 'UNAUTHENTICATED', message: 'token signature is not valid' });
  });
});

describe('configured settings', () => {
  test('a one-hour cap refuses a two-hour token; no skew refuses an iat one minute ahead', async () => {
    const strict = new TokenVerifier({ secret: SECRET, maxLifetimeSeconds: HOUR, clockSkewSeconds: 0 });
    expect((await refusal(strict, await sign({ iat: now(), exp: now() + 2 * HOUR })))?.message).toMatch(/7200 s, longer than the 3600 s/);
    expect((await refusal(strict, await sign({ iat: now() + 60, exp: now() + HOUR })))?.message).toMatch(/at most 0 s/);
    expect(await refusal(strict, await sign({ iat: now(), exp: now() + HOUR }))).toBeNull();
  });

  test('assertLifetime is a pure function of the claims and the clock', () => {
    const at = 1_800_000_000;
    expect(() => assertLifetime({ iat: at, exp: at + 100 }, { maxLifetimeSeconds: 100, clockSkewSeconds: 0 }, at)).not.toThrow();
    expect(() => assertLifetime({ iat: at, exp: at + 101 }, { maxLifetimeSeconds: 100, clockSkewSeconds: 0 }, at)).toThrow(/101 s/);
    expect(() => assertLifetime({ iat: at + 5, exp: at + 50 }, { clockSkewSeconds: 5 }, at)).not.toThrow();
    expect(() => assertLifetime({ iat: at + 6, exp: at + 50 }, { clockSkewSeconds: 5 }, at)).toThrow(/6 s in the future/);
  });
});

describe('mintToken stays within the cap', () => {
  const claims = { sub: 'm', org: 'ZONE-EC', jurisdiction: Jurisdiction.ZONE, roles: [Role.DOSSIER_READER] };

  test('its default (12 h) fits the default cap, and the hub accepts what it mints', async () => {
    const token = await mintToken({ secret: SECRET }, claims);
    const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    expect(payload.exp - payload.iat).toBe(12 * HOUR);
    expect(await new TokenVerifier({ secret: SECRET }).principalFrom(`Bearer ${token}`)).toMatchObject({ sub: 'm' });
  });

  test('a lifetime over the cap is refused, not minted', async () => {
    await expect(mintToken({ secret: SECRET }, claims, '48h')).rejects.toThrow(/at most 86400 s .*172800 s/);
    await expect(mintToken({ secret: SECRET, maxLifetimeSeconds: HOUR }, claims, '2h')).rejects.toThrow(/at most 3600 s/);
    await expect(mintToken({ secret: SECRET, maxLifetimeSeconds: HOUR }, claims, '1h')).resolves.toEqual(expect.any(String));
  });
});
