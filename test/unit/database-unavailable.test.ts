import express from 'express';
import { GraphQLError } from 'graphql';
import pino from 'pino';
import request from 'supertest';
import { QueryFailedError } from 'typeorm';
import { ErrorCode, formatErrorFactory, isDatabaseUnavailable, UNAVAILABLE_RETRY_AFTER_SECONDS } from '../../src/graphql/errors';
import { errorHandler } from '../../src/http/send-error';

/**
 * Which failures are the database being away (SERVICE_UNAVAILABLE, 503, Retry-After) rather than
 * a bug. The cases a local PostgreSQL with trust authentication cannot produce (a wrong password,
 * a shutdown in progress) are covered here by their SQLSTATE, as pg reports them; the ones it can
 * are provoked for real in test/faults/database-outage.test.ts.
 */

/** An error as pg raises it for a server refusal: a DatabaseError with the SQLSTATE in `code`. */
const pgError = (code: string, message: string) => Object.assign(new Error(message), { name: 'error', code, severity: 'FATAL' });
const sockError = (code: string, message: string) => Object.assign(new Error(message), { code, errno: -111, syscall: 'connect' });

const UNAVAILABLE: Array<[string, unknown]> = [
  ['ALLOW_CONNECTIONS false (55000)', pgError('55000', 'database "hub" is not currently accepting connections')],
  ['too many connections (53300)', pgError('53300', 'sorry, too many clients already')],
  ['too many connections for a role (53300)', pgError('53300', 'too many connections for role "hub"')],
  ['database missing (3D000)', pgError('3D000', 'database "hub" does not exist')],
  ['wrong password (28P01)', pgError('28P01', 'password authentication failed for user "hub"')],
  ['role may not log in (28000)', pgError('28000', 'role "hub" is not permitted to log in')],
  ['no pg_hba.conf entry (28000)', pgError('28000', 'no pg_hba.conf entry for host "10.0.0.9", user "hub", database "hub", no encryption')],
  ['administrator shutdown (57P01)', pgError('57P01', 'terminating connection due to administrator command')],
  ['crash shutdown (57P02)', pgError('57P02', 'terminating connection because of crash of another server process')],
  ['starting up (57P03)', pgError('57P03', 'the database system is starting up')],
  ['shutting down (57P03)', pgError('57P03', 'the database system is shutting down')],
  ['connection failure (08006)', pgError('08006', 'connection failure')],
  ['server rejected the connection (08004)', pgError('08004', 'server rejected the connection')],
  ['connection refused', sockError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
  ['connection reset', sockError('ECONNRESET', 'read ECONNRESET')],
  ['host unreachable', sockError('EHOSTUNREACH', 'connect EHOSTUNREACH 10.0.0.9:5432')],
  ['name not resolved', sockError('ENOTFOUND', 'getaddrinfo ENOTFOUND db.internal')],
  ['pool wait timeout (pg-pool)', new Error('timeout exceeded when trying to connect')],
  ['connect timeout (pg)', new Error('Connection terminated due to connection timeout')],
  ['connection lost (pg)', new Error('Connection terminated unexpectedly')],
  ['client broken (pg)', new Error('Client has encountered a connection error and is not queryable')],
  ['inside TypeORM QueryFailedError', new QueryFailedError('SELECT 1', [], pgError('57P01', 'terminating connection due to administrator command'))],
  ['as the cause of another error', Object.assign(new Error('read failed'), { cause: sockError('ECONNREFUSED', 'connect ECONNREFUSED ::1:5432') })],
  ['in an AggregateError (several addresses tried)', new AggregateError([sockError('ECONNREFUSED', 'connect ECONNREFUSED ::1:5432'), sockError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')], '')],
  ['wrapped by graphql-js as NonErrorThrown', { name: 'NonErrorThrown', thrownValue: pgError('53300', 'sorry, too many clients already') }],
];

const NOT_UNAVAILABLE: Array<[string, unknown]> = [
  ['a unique violation (23505)', pgError('23505', 'duplicate key value violates unique constraint "enterprise_uscc_key"')],
  ['another 55000 (currval before nextval)', pgError('55000', 'currval of sequence "s" is not yet defined in this session')],
  ['a syntax error (42601)', pgError('42601', 'syntax error at or near "SELEC"')],
  ['a statement timeout (57014)', pgError('57014', 'canceling statement due to statement timeout')],
  ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'uscc')")],
  ['a bug that mentions a connection in passing', Object.assign(new Error('Connection terminated unexpectedly'), { code: '23505' })],
  ['nothing', undefined],
  ['a string', 'ECONNREFUSED'],
];

describe('isDatabaseUnavailable', () => {
  test.each(UNAVAILABLE)('%s: unavailable', (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });
  test.each(NOT_UNAVAILABLE)('%s: not unavailable', (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });
});

describe('formatError of a GraphQL answer', () => {
  const format = formatErrorFactory(false, () => undefined);
  test('an authentication failure of the database is SERVICE_UNAVAILABLE with a retry hint, without its text', () => {
    const original = pgError('28P01', 'password authentication failed for user "hub"');
    const err = new GraphQLError(original.message, { originalError: original, path: ['enterprises'] });
    const out = format({ message: original.message, path: ['enterprises'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }, err);
    expect(out).toEqual({
      message: 'the database is not reachable; try again shortly', path: ['enterprises'],
      extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS },
    });
  });
});

describe('the HTTP error handler (feed, DCAT, ingest)', () => {
  const app = express();
  app.get('/unavailable/:code', () => {
    throw new QueryFailedError('SELECT 1', [], pgError(String(app.locals.code), 'refused'));
  });
  app.get('/refused', async () => {
    throw sockError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432');
  });
  app.get('/bug', () => {
    throw new Error('SELECT secret FROM t: column "secret" does not exist');
  });
  app.use(errorHandler(pino({ level: 'silent' })));

  test.each(['53300', '3D000', '28P01', '57P03', '08006'])('SQLSTATE %s: 503, Retry-After, SERVICE_UNAVAILABLE', async (code) => {
    app.locals.code = code;
    const r = await request(app).get(`/unavailable/${code}`);
    expect(r.status).toBe(503);
    expect(r.headers['retry-after']).toBe(String(UNAVAILABLE_RETRY_AFTER_SECONDS));
    expect(r.body).toEqual({ errors: [{ message: 'the database is not reachable; try again shortly', extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS } }] });
  });

  test('a refused connection from an async route: 503 too', async () => {
    const r = await request(app).get('/refused');
    expect(r.status).toBe(503);
    expect(r.body.errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
  });

  test('anything else stays a masked 500 without Retry-After', async () => {
    const r = await request(app).get('/bug');
    expect(r.status).toBe(500);
    expect(r.headers['retry-after']).toBeUndefined();
    expect(r.body).toEqual({ errors: [{ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
  });
});
