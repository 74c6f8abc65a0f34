import { DataSource } from 'typeorm';
import { SYSTEM_PRINCIPAL } from '../../auth/principal';
import { addDays, todayInChina } from '../../domain/calendar/days';
import { runLockedBatches, startPeriodicJob, type BatchRun, type PeriodicJob } from '../../db/periodic-job';
import type { Logger } from '../../logger';
import { RecordWriter } from '../dossier/record-writer';
import { POSITIVE_LIST_ENTRY, PositiveListStatus, RemovalCause } from './positive-list.record';

/** Key of the transaction-level advisory lock that lets one hub instance at a time expire positive-list entries. */
export const POSITIVE_LIST_EXPIRY_LOCK = 72_120_014;

/** Entries expired per transaction. */
export const POSITIVE_LIST_EXPIRY_BATCH = 500;

/** Who the change log names as the writer of expiries. */
export const POSITIVE_LIST_EXPIRY_ACTOR = `${SYSTEM_PRINCIPAL.sub}:positive-list-expiry`;

/** A run: whether this instance held the lock, the batches and the rows expired (each with its change-log entry). */
export type PositiveListExpiryRun = BatchRun;

/**
 * A positive-list entry is valid to its `valid_until` (the day before the third anniversary of
 * its activation by default); after that it is no longer a listing. The job sets every ACTIVE
 * entry whose `valid_until` is before today (China time) EXPIRED, through the writer as the
 * system principal, with an EXPIRED change-log entry; `removed_on` is `valid_until + 1`, the first
 * day it is no longer in force, whatever day the job runs. As the credit-listing expiry does:
 * each batch is one transaction opened by `pg_try_advisory_xact_lock` (another instance holding it
 * means this run stops and leaves the work to that one), and rows another transaction has locked
 * (a removal in progress) are skipped until the next run.
 */
export async function expirePositiveList(ds: DataSource, opts: { today?: string; batchSize?: number } = {}): Promise<PositiveListExpiryRun> {
  const today = opts.today ?? todayInChina();
  const batchSize = opts.batchSize ?? POSITIVE_LIST_EXPIRY_BATCH;
  const writer = new RecordWriter(ds);
  return runLockedBatches(ds, POSITIVE_LIST_EXPIRY_LOCK, batchSize, async (m) => {
    const expired = await writer.amendIn(m, SYSTEM_PRINCIPAL, POSITIVE_LIST_ENTRY.write, {
      where: `t.status = 'ACTIVE' AND t.withdrawn_at IS NULL AND t.valid_until < $1::date`,
      params: [today],
      orderBy: 't.valid_until, t.entry_no',
      limit: batchSize,
    }, (s) => {
      const until = s.values.validUntil as string;
      return {
        status: PositiveListStatus.EXPIRED, removedOn: addDays(until, 1), removalCause: RemovalCause.EXPIRED, removalTrigger: null,
        removalReason: `validity ended on ${until}: the listing expired`,
      };
    }, { actor: POSITIVE_LIST_EXPIRY_ACTOR, note: { removal: 'EXPIRED' } });
    return expired.length;
  });
}

export type PositiveListExpiryJob = PeriodicJob<PositiveListExpiryRun>;

/**
 * Starts the in-process positive-list expiry: a run at start, then one every `intervalSeconds`
 * (0 = off). `clock` gives the day the validity is judged on (the hub's clock; tests fix it).
 */
export function startPositiveListExpiryJob(ds: DataSource, opts: { intervalSeconds: number; log: Logger; clock?: () => Date; batchSize?: number }): PositiveListExpiryJob {
  return startPeriodicJob(() => expirePositiveList(ds, { today: todayInChina(opts.clock?.() ?? new Date()), batchSize: opts.batchSize }), {
    name: 'positive-list expiry', intervalSeconds: opts.intervalSeconds, log: opts.log,
    onFailure: 'entries past validUntil stay ACTIVE until a run succeeds',
    report: (r) => (r.expired > 0 ? 'positive-list entries expired' : null),
  });
}
