import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';

/** The closed set of error codes the hub answers with (DESIGN.md, "Architecture"). */
export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX',
  RATE_LIMITED = 'RATE_LIMITED',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

const CLIENT_CODES = new Set<string>([
  ...Object.values(ErrorCode).filter((c) => c !== ErrorCode.INTERNAL_SERVER_ERROR),
  // Codes Apollo Server and graphql-js produce for malformed requests.
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE',
]);

export class HubError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
}

/** Bad input, naming the field: `badInput('first', 'must be between 0 and 500, got 501')`. */
export function badInput(field: string, problem: string, extra: Record<string, unknown> = {}): HubError {
  return new HubError(ErrorCode.BAD_USER_INPUT, `${field}: ${problem}`, { field, ...extra });
}

export function forbidden(message: string, extensions: Record<string, unknown> = {}): HubError {
  return new HubError(ErrorCode.FORBIDDEN, message, extensions);
}

export function unauthenticated(message: string): HubError {
  return new HubError(ErrorCode.UNAUTHENTICATED, message, { http: { status: 401 } });
}

/**
 * SQLSTATEs with which PostgreSQL refuses to serve at all, whatever the request: too many
 * connections (53300), the database missing (3D000), authentication failed (28P01 password,
 * 28000 role/pg_hba), the server shutting down or starting up (57P01 admin shutdown, 57P02 crash
 * shutdown, 57P03 cannot connect now). Class 08 (connection exceptions) is matched as a class.
 */
const UNAVAILABLE_SQLSTATES = new Set(['53300', '3D000', '28P01', '28000', '57P01', '57P02', '57P03']);
/** Socket errors of a database that cannot be reached (refused, reset, unreachable, name not resolved). */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
/** What pg and pg-pool say when a connection cannot be had or is lost (they give no code). */
const UNAVAILABLE_MESSAGES = /timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED|Client has encountered a connection error|Connection closed|is not currently accepting connections/i;

/** Seconds a client is told to wait (`Retry-After`) when the database is away: about as long as /readyz takes to notice. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/**
 * True for errors that a database outage causes: the caller gets SERVICE_UNAVAILABLE (HTTP 503,
 * `Retry-After`), not INTERNAL_SERVER_ERROR, so it knows to retry. Looks through the wrappers
 * around the driver's error: TypeORM's QueryFailedError (`driverError`), `cause`, AggregateError
 * (`errors`, a connection tried on several addresses), and graphql-js's NonErrorThrown.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  // graphql-js wraps a thrown value that is not an Error of its realm (Jest's VM, some drivers) as NonErrorThrown.
  const e = err as { name?: string; thrownValue?: unknown; code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };
  if (e.name === 'NonErrorThrown') return isDatabaseUnavailable(e.thrownValue, depth + 1);
  const code = typeof e.code === 'string' ? e.code : '';
  if (code.startsWith('08') && code.length === 5) return true;
  if (UNAVAILABLE_SQLSTATES.has(code) || UNREACHABLE_CODES.has(code)) return true;
  // 55000 is a broad class (object not in prerequisite state); only ALLOW_CONNECTIONS false says this.
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message) && (code === '' || code === '55000' || UNREACHABLE_CODES.has(code))) return true;
  if (isDatabaseUnavailable(e.driverError, depth + 1) || isDatabaseUnavailable(e.cause, depth + 1)) return true;
  return Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1));
}

/**
 * Failures that hostile or malformed input provokes below the resolvers, where no typed error is
 * thrown: text PostgreSQL cannot store (a NUL character), an operation type the schema does not
 * have. The caller gets a 4xx-class code, not INTERNAL_SERVER_ERROR (test/api/bad-input-corpus.test.ts
 * finds them). Federation representations are checked before @apollo/subgraph sees them (federation.ts).
 */
function clientCaused(err: unknown): { code: ErrorCode | 'BAD_REQUEST'; message: string } | null {
  const e = err as { code?: string; message?: string } | undefined;
  if (!e) return null;
  if (e.code === '22021' || e.code === '22P05') return { code: ErrorCode.BAD_USER_INPUT, message: 'text arguments may not contain the NUL character (U+0000) or other characters outside UTF-8' };
  const m = /^Schema is not configured to execute (\w+) operation\.$/.exec(e.message ?? '');
  if (m) return { code: 'BAD_REQUEST', message: `the hub has no ${m[1]} operations` };
  return null;
}

/**
 * Shapes every error leaving the hub: known codes pass through; type-graphql's argument validation
 * becomes BAD_USER_INPUT; anything unexpected is masked (no stack, no SQL) unless `expose` is set.
 */
export function formatErrorFactory(expose: boolean, log: (err: unknown) => void) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.code as string | undefined;
    // A literal argument that a scalar refuses (an inline USCC with a wrong check character) is
    // bad input like the same value sent as a variable, whatever stage of validation caught it.
    const inner = (original as { originalError?: { extensions?: Record<string, unknown> } } | undefined)?.originalError;
    if (code === 'GRAPHQL_VALIDATION_FAILED' && inner?.extensions?.code === ErrorCode.BAD_USER_INPUT) {
      return { message: formatted.message, locations: formatted.locations, extensions: { code: ErrorCode.BAD_USER_INPUT } };
    }
    if (code && CLIENT_CODES.has(code)) {
      const { stacktrace: _drop, ...ext } = formatted.extensions ?? {};
      return { ...formatted, extensions: expose ? formatted.extensions : ext };
    }
    // type-graphql's authorization and validation errors carry their own codes.
    if (code === 'UNAUTHORIZED') {
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code: ErrorCode.FORBIDDEN, rule: 'role' } };
    }
    const client = clientCaused(original);
    if (client) return { message: client.message, locations: formatted.locations, path: formatted.path, extensions: { code: client.code } };
    if (isDatabaseUnavailable(original)) {
      log(original);
      return { message: 'the database is not reachable; try again shortly', path: formatted.path, extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS } };
    }
    log(original);
    if (expose) return { ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.INTERNAL_SERVER_ERROR } };
    return { message: 'internal error', path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  };
}
