import { DataSource } from 'typeorm';
import { SYSTEM_PRINCIPAL } from '../../auth/principal';
import type { Logger } from '../../logger';
import { runLockedBatches, startPeriodicJob, type BatchRun, type PeriodicJob } from '../../db/periodic-job';
import { CREDIT } from '../credit/credit.record';
import { RecordWriter } from '../dossier/record-writer';

/** Key of the transaction-level advisory lock that lets one hub instance at a time expire listings. */
export const CREDIT_EXPIRY_LOCK = 72_120_002;

/** Listings expired per transaction: the change-log lock is held for one batch's append at a time. */
export const EXPIRY_BATCH = 500;

/** Who the change log names as the writer of expiries. */
export const EXPIRY_ACTOR = `${SYSTEM_PRINCIPAL.sub}:credit-expiry`;

/** A run: whether this instance held the lock, the batches and the rows expired (each with its change-log entry). */
export type ExpiryRun = BatchRun;

/** Today in the zone (China Standard Time, no DST): the day a listing's validity is judged on. */
export function zoneToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** The calendar day after `day` (YYYY-MM-DD). */
function dayAfter(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/**
 * Credit repair by expiry: a serious-dishonesty listing whose `valid_until` has passed is removed,
 * and the removal is a change the credit platform must see, so each one gets a REMOVED entry. The
 * job writes through RecordWriter as the system principal (an amendment: the source's version
 * stays), so the entry is the one the credit type logs for a removal, with `removal: EXPIRED`.
 *
 * - `removed_on` is `valid_until + 1`, the first day the listing is no longer in force, not the day
 *   the job happened to run: the date is then the same whichever instance runs it and however late
 *   (a hub that was down for a week still records the true removal day).
 * - Each batch is one transaction: mark removed and append, or neither. Its first statement is
 *   `pg_try_advisory_xact_lock`: when another instance holds it, this run stops and leaves the work
 *   to that one. The transaction-level form works on PGlite's single connection too, where a
 *   session lock on a dedicated connection could not be had.
 * - Due listings are locked as they are found, and rows another transaction has locked (a removal
 *   by decision in progress) are skipped until the next run, so a listing removed by decision
 *   meanwhile never gets a second REMOVED entry.
 */
export async function expireListings(ds: DataSource, opts: { today?: string; batchSize?: number } = {}): Promise<ExpiryRun> {
  const today = opts.today ?? zoneToday();
  const batchSize = opts.batchSize ?? EXPIRY_BATCH;
  const writer = new RecordWriter(ds);
  return runLockedBatches(ds, CREDIT_EXPIRY_LOCK, batchSize, async (m) => {
    const expired = await writer.amendIn(m, SYSTEM_PRINCIPAL, CREDIT.write, {
      where: `t.kind = 'LISTING' AND t.removed_on IS NULL AND t.withdrawn_at IS NULL AND t.valid_until < $1::date`,
      params: [today],
      orderBy: 't.valid_until, t.record_no',
      limit: batchSize,
    }, (s) => ({ removedOn: dayAfter(s.values.validUntil as string), removalReason: 'EXPIRED' }), { actor: EXPIRY_ACTOR, note: { removal: 'EXPIRED' } });
    return expired.length;
  });
}

export type ExpiryJob = PeriodicJob<ExpiryRun>;

/**
 * Starts the in-process expiry timer: a run at start, then one every `intervalSeconds` (0 = off).
 * Runs never overlap within an instance, and the advisory lock keeps instances from doubling up.
 */
export function startCreditExpiryJob(ds: DataSource, opts: { intervalSeconds: number; log: Logger; batchSize?: number }): ExpiryJob {
  return startPeriodicJob(() => expireListings(ds, { batchSize: opts.batchSize }), {
    name: 'credit expiry', intervalSeconds: opts.intervalSeconds, log: opts.log,
    report: (r) => (r.expired > 0 ? 'credit listings expired' : null),
  });
}
