import { DataSource } from 'typeorm';
import { SYSTEM_PRINCIPAL } from '../../auth/principal';
import { CREDIT } from '../credit/credit.record';
import { RecordWriter } from '../dossier/record-writer';

/**
 * Gives credit records that reached the database without a change (loads from before the change
 * log) their first entries, so the feed's initial load holds the whole blacklist and every
 * evaluation: the entries the credit type logs for a new record (EVALUATED for an evaluation,
 * LISTED for a listing, and REMOVED after it when the listing was already removed), written by
 * RecordWriter as the system principal. Records with any entry are left alone, so it is
 * idempotent; the change-log lock is taken before looking, so two instances starting at once
 * cannot both append. Returns the number of entries appended.
 */
export function backfillCreditChanges(ds: DataSource): Promise<number> {
  return new RecordWriter(ds).logUnlogged(SYSTEM_PRINCIPAL, CREDIT.write, { actor: `${SYSTEM_PRINCIPAL.sub}:backfill` });
}
