import type { Logger } from '../logger';
import type { EntityManager } from 'typeorm';

/** A job the hub runs in-process: once at start, then every `intervalSeconds` (0 = never). */
export interface PeriodicJob<T> {
  /** One run now, after any run in progress has finished (runs never overlap within an instance). */
  runNow(): Promise<T>;
  /** When the last run finished without error (metrics report it as the job's last success). */
  lastSuccess(): Date | null;
  /** No more runs; waits for the one in progress. */
  stop(): Promise<void>;
}

export interface PeriodicJobOptions<T> {
  /** The job's name in the log lines. */
  name: string;
  intervalSeconds: number;
  log: Logger;
  /** What a failed run means for the data meanwhile, added to the error log line. */
  onFailure?: string;
  /** Logged at info when it returns a message (a run that changed something); quiet otherwise. */
  report?: (result: T) => string | null;
  onSuccess?: (at: Date) => void;
}

/**
 * The one scheduling loop of the hub's periodic jobs (credit-listing expiry, warning rules,
 * monthly partitions, reminders…). A failed run is logged and tried again at the next interval;
 * timers are unref'd so a job never keeps the process alive. Work that must not run on two
 * instances at once takes its own advisory lock inside `run`.
 */
export function startPeriodicJob<T>(run: () => Promise<T>, opts: PeriodicJobOptions<T>): PeriodicJob<T> {
  let current: Promise<T> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let last: Date | null = null;

  const runNow = async (): Promise<T> => {
    while (current) await current.catch(() => undefined);
    const p = run();
    current = p;
    try {
      const r = await p;
      last = new Date();
      opts.onSuccess?.(last);
      const message = opts.report?.(r);
      if (message) opts.log.info({ job: opts.name, run: r as unknown as object }, message);
      return r;
    } finally {
      current = null;
    }
  };

  const tick = () => {
    timer = null;
    runNow()
      .catch((err) => opts.log.error({ err, job: opts.name }, `${opts.name} failed; retrying next interval${opts.onFailure ? ` (${opts.onFailure})` : ''}`))
      .finally(() => {
        if (!stopped) {
          timer = setTimeout(tick, opts.intervalSeconds * 1000);
          timer.unref();
        }
      });
  };
  if (opts.intervalSeconds > 0) {
    timer = setTimeout(tick, 0);
    timer.unref();
  }
  return {
    runNow,
    lastSuccess: () => last,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      if (current) await current.catch(() => undefined);
    },
  };
}

/** What a run of locked batches did. */
export interface BatchRun {
  /** False when another instance held the job's lock, so this run did nothing. */
  ran: boolean;
  /** Rows the batches changed. */
  expired: number;
  batches: number;
}

/**
 * Work done in batches, one transaction each, by one instance at a time: each transaction first
 * takes the transaction-level advisory lock `lock` (`pg_try_advisory_xact_lock`, which works on
 * PGlite's single connection too); when another instance holds it, the run stops and leaves the
 * work to that one. `batch` changes at most `batchSize` rows in the transaction and says how many;
 * the run goes on until a batch changes fewer.
 */
export async function runLockedBatches(
  ds: { transaction<T>(run: (m: EntityManager) => Promise<T>): Promise<T> }, lock: number, batchSize: number, batch: (m: EntityManager) => Promise<number>,
): Promise<BatchRun> {
  const run: BatchRun = { ran: false, expired: 0, batches: 0 };
  for (;;) {
    const n = await ds.transaction(async (m) => {
      const [{ locked }] = await m.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [lock]);
      return locked ? batch(m) : null;
    });
    if (n === null) return run;
    run.ran = true;
    run.batches++;
    run.expired += n;
    if (n < batchSize) return run;
  }
}
