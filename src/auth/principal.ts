import { decodeJwt, jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import type { Config } from '../config';
import { Jurisdiction } from '../domain/jurisdictions';
import { unauthenticated } from '../graphql/errors';

export enum Role {
  CATALOG_READER = 'CATALOG_READER',
  DOSSIER_READER = 'DOSSIER_READER',
  ENFORCEMENT = 'ENFORCEMENT',
  COMPLAINT_HANDLER = 'COMPLAINT_HANDLER',
  DATA_STEWARD = 'DATA_STEWARD',
  CREDIT_FEED = 'CREDIT_FEED',
  AUDITOR = 'AUDITOR',
  ADMIN = 'ADMIN',
}

/** Who is asking: from a verified bearer token, or the public when there is none. */
export interface Principal {
  kind: 'user' | 'public' | 'system';
  sub: string;
  org: string | null;
  jurisdiction: Jurisdiction | null;
  roles: readonly Role[];
}

export const PUBLIC_PRINCIPAL: Principal = Object.freeze({ kind: 'public', sub: 'public', org: null, jurisdiction: null, roles: [] });

/**
 * The one way around the policy (migrations, seeds, jobs): it is never built from a request.
 */
export const SYSTEM_PRINCIPAL: Principal = Object.freeze({ kind: 'system', sub: 'system', org: 'ECO-HUB', jurisdiction: Jurisdiction.ZONE, roles: Object.values(Role) });

export interface TokenClaims {
  sub: string;
  org: string;
  jurisdiction: Jurisdiction;
  roles: Role[];
}

const JURISDICTION_CODES = new Set<string>(Object.values(Jurisdiction));
const ROLE_CODES = new Set<string>(Object.values(Role));

export interface TokenSettings {
  secret: string;
  issuer?: string;
  audience?: string;
  /** Longest a token may be valid (`exp − iat`); 24 hours when not given. */
  maxLifetimeSeconds?: number;
  /** How far `iat` may lie ahead of this clock; 60 s when not given. */
  clockSkewSeconds?: number;
}

export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 86_400;
export const DEFAULT_CLOCK_SKEW_SECONDS = 60;

/** The token settings of a hub's configuration: one place, for the verifier, the playground and `npm run token`. */
export function tokenSettings(config: Pick<Config, 'jwtSecret' | 'jwtIssuer' | 'jwtAudience' | 'jwtMaxLifetimeSeconds' | 'jwtClockSkewSeconds'>): TokenSettings {
  return {
    secret: config.jwtSecret, issuer: config.jwtIssuer, audience: config.jwtAudience,
    maxLifetimeSeconds: config.jwtMaxLifetimeSeconds, clockSkewSeconds: config.jwtClockSkewSeconds,
  };
}

/** Verifies bearer tokens (JWT, HS256) and turns their claims into a principal. */
export class TokenVerifier {
  private readonly key: Uint8Array;
  constructor(private readonly settings: TokenSettings) {
    this.key = new TextEncoder().encode(settings.secret);
  }

  /**
   * `undefined` or an empty header is the public principal; anything else must be a valid token:
   * a bad, expired or wrongly signed token is UNAUTHENTICATED, never silently public.
   */
  async principalFrom(authorization: string | undefined): Promise<Principal> {
    if (authorization === undefined || authorization.trim() === '') return PUBLIC_PRINCIPAL;
    const m = /^Bearer\s+([A-Za-z0-9_\-.]+)$/i.exec(authorization.trim());
    if (!m) throw unauthenticated('authorization header must be "Bearer <token>"');
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(m[1], this.key, {
        algorithms: ['HS256'],
        issuer: this.settings.issuer,
        audience: this.settings.audience,
      }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw unauthenticated('token has expired');
      if (err instanceof joseErrors.JWSSignatureVerificationFailed) throw unauthenticated('token signature is not valid');
      if (err instanceof joseErrors.JOSEAlgNotAllowed) throw unauthenticated('token algorithm is not allowed (HS256 only)');
      if (err instanceof joseErrors.JWTClaimValidationFailed) throw unauthenticated(`token claim "${err.claim}" is not valid: ${err.reason}`);
      throw unauthenticated('token is malformed');
    }
    assertLifetime(payload, this.settings);
    return principalFromClaims(payload);
  }
}

/**
 * A token must say when it was issued and when it expires, and may not be valid for longer than
 * the configured lifetime: a leaked token is then useful for hours, not forever. `iat` is required
 * (not `exp − now`) so that a token minted for twenty years cannot pass by being presented late
 * in its life; an `iat` ahead of the hub's clock by more than the allowed skew is refused, so a
 * token cannot be post-dated to stretch its lifetime. Checked after the signature, so a forger
 * learns nothing from these messages. (jose has checked that both are numbers, and `exp` > now.)
 */
export function assertLifetime(payload: { exp?: unknown; iat?: unknown }, settings: Pick<TokenSettings, 'maxLifetimeSeconds' | 'clockSkewSeconds'>, now = Math.floor(Date.now() / 1000)): void {
  const max = settings.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  const skew = settings.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  const { exp, iat } = payload;
  if (typeof exp !== 'number') throw unauthenticated('token claim "exp" is missing: every token must expire');
  if (typeof iat !== 'number') throw unauthenticated('token claim "iat" is missing: every token must say when it was issued');
  if (iat > now + skew) throw unauthenticated(`token claim "iat" lies ${iat - now} s in the future; at most ${skew} s of clock difference is allowed`);
  if (exp <= iat) throw unauthenticated('token claim "exp" must come after "iat"');
  if (exp - iat > max) throw unauthenticated(`token lifetime (exp − iat) is ${exp - iat} s, longer than the ${max} s this hub accepts`);
}

export function principalFromClaims(payload: Record<string, unknown>): Principal {
  const { sub, org, jurisdiction, roles } = payload;
  if (typeof sub !== 'string' || !sub) throw unauthenticated('token claim "sub" is missing');
  if (typeof org !== 'string' || !org) throw unauthenticated('token claim "org" is missing');
  if (typeof jurisdiction !== 'string' || !JURISDICTION_CODES.has(jurisdiction)) {
    throw unauthenticated(`token claim "jurisdiction" must be one of ${[...JURISDICTION_CODES].join(', ')}`);
  }
  if (!Array.isArray(roles) || roles.some((r) => typeof r !== 'string' || !ROLE_CODES.has(r))) {
    throw unauthenticated(`token claim "roles" must be a list of ${[...ROLE_CODES].join(', ')}`);
  }
  return Object.freeze({ kind: 'user', sub, org, jurisdiction: jurisdiction as Jurisdiction, roles: Object.freeze([...new Set(roles as Role[])]) });
}

/**
 * Mints a token: `npm run token`, the playground and the tests use it. `expiresIn` is relative
 * ("12h", seconds as a string) or an absolute `exp` (a number, as jose takes it). A lifetime over
 * the settings' cap is refused here rather than minted into a token the hub would refuse.
 */
export async function mintToken(settings: TokenSettings, claims: TokenClaims, expiresIn: string | number = '12h'): Promise<string> {
  let jwt = new SignJWT({ org: claims.org, jurisdiction: claims.jurisdiction, roles: claims.roles })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn);
  if (settings.issuer) jwt = jwt.setIssuer(settings.issuer);
  if (settings.audience) jwt = jwt.setAudience(settings.audience);
  const token = await jwt.sign(new TextEncoder().encode(settings.secret));
  const { exp, iat } = decodeJwt(token);
  const max = settings.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  if (exp! - iat! > max) throw new RangeError(`a token may be valid for at most ${max} s (HUB_JWT_MAX_LIFETIME_SECONDS); "${expiresIn}" asks for ${exp! - iat!} s`);
  return token;
}

export function hasRole(p: Principal, ...roles: Role[]): boolean {
  return roles.some((r) => p.roles.includes(r));
}
