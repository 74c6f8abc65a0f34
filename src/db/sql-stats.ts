import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntitySubscriberInterface, Logger, QueryRunner } from 'typeorm';

/** SQL statements issued on behalf of one request, counted through TypeORM's logger. */
export interface SqlStats {
  statements: number;
  /** Milliseconds the database spent on them (whole ms per statement, as TypeORM measures), when timing is on. */
  ms?: number;
  /** The statements themselves with their parameters, kept only when a test or a debug run asks for them. */
  log?: Array<{ sql: string; params?: unknown[] }>;
}

const store = new AsyncLocalStorage<SqlStats>();

/** Runs `fn` with a fresh statement counter that every query issued inside it increments. */
export function withSqlStats<T>(stats: SqlStats, fn: () => T): T {
  return store.run(stats, fn);
}

export function currentSqlStats(): SqlStats | undefined {
  return store.getStore();
}

/**
 * TypeORM logger that counts statements per request (the async context carries the counter,
 * DataLoader batches included, since they are scheduled from inside the request) and reports
 * slow queries and errors to the hub's log function.
 */
export class CountingLogger implements Logger {
  constructor(private readonly report: (level: 'warn' | 'error', msg: string, data?: object) => void = () => {}) {}

  logQuery(query: string, parameters?: unknown[]): void {
    const s = store.getStore();
    if (!s) return;
    s.statements++;
    s.log?.push({ sql: query, params: parameters });
  }
  logQueryError(error: string | Error, query: string): void {
    this.report('error', 'sql error', { error: String(error), query: query.slice(0, 500) });
  }
  logQuerySlow(time: number, query: string): void {
    this.report('warn', 'slow sql', { ms: time, query: query.slice(0, 500) });
  }
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
  // QueryRunner in the signature keeps TypeORM's interface; unused here.
  protected unused?: QueryRunner;
}

type AfterQueryEvent = Parameters<NonNullable<EntitySubscriberInterface['afterQuery']>>[0];

/**
 * Adds each statement's execution time to the request's counter. TypeORM measures every query
 * anyway and hands the time to subscribers' `afterQuery`, which runs in the request's async
 * context, so timing costs an addition per statement.
 */
export class SqlTimingSubscriber implements EntitySubscriberInterface {
  afterQuery(event: AfterQueryEvent): void {
    const s = store.getStore();
    if (s && event.executionTime !== undefined) s.ms = (s.ms ?? 0) + event.executionTime;
  }
}

/** Turns statement timing on for a DataSource (once, however many hubs share it). */
export function timeSql(ds: DataSource): void {
  if (!ds.subscribers.some((s) => s instanceof SqlTimingSubscriber)) ds.subscribers.push(new SqlTimingSubscriber());
}
