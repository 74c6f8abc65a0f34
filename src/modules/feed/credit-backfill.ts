import { DataSource } from 'typeorm';
import { RecordType } from '../../auth/policy';
import { SYSTEM_PRINCIPAL } from '../../auth/principal';
import { appendChanges, CHANGE_LOG_LOCK, ChangeEntry } from '../changes/change-log';
import { CreditFeedOp } from './credit-feed.types';

/** Entries per INSERT: 8 parameters each stays well under PostgreSQL's 65,535. */
const CHUNK = 5000;

interface Unlogged {
  record_no: string;
  kind: 'LISTING' | 'EVALUATION';
  owner_jurisdiction: string;
  enterprise_id: string;
  effective_on: string;
  issuer: string;
  scheme: string | null;
  level: string | null;
  evaluation_year: number | null;
  listing_reason: string | null;
  listing_legal_basis: string | null;
  valid_until: string | null;
  removed_on: string | null;
  uscc: string;
  enterprise_name: string;
}

/**
 * Gives credit records that reached the database without a change (the demo seed, loads from
 * before the change log) their first entries, so the feed's initial load holds the whole blacklist
 * and every evaluation: EVALUATED for an evaluation, LISTED for a listing, and REMOVED after it when
 * the listing was already removed. Records with any entry are left alone, so it is idempotent; the
 * change-log lock is taken before looking, so two instances starting at once cannot both append.
 * Returns the number of entries appended.
 */
export async function backfillCreditChanges(ds: DataSource): Promise<number> {
  return ds.transaction(async (m) => {
    await m.query('SELECT pg_advisory_xact_lock($1)', [CHANGE_LOG_LOCK]);
    const rows: Unlogged[] = await m.query(
      `SELECT c.record_no, c.kind, c.owner_jurisdiction, c.enterprise_id, c.effective_on, c.issuer, c.scheme, c.level, c.evaluation_year,
              c.listing_reason, c.listing_legal_basis, c.valid_until, c.removed_on, e.uscc, e.name AS enterprise_name
       FROM credit_record c JOIN enterprise e ON e.id = c.enterprise_id
       WHERE c.withdrawn_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM change_log l WHERE l.record_type = $1 AND l.record_key = c.record_no)
       ORDER BY c.effective_on, c.record_no`,
      [RecordType.CREDIT_RECORD],
    );
    const entries: ChangeEntry[] = [];
    for (const r of rows) {
      const base = {
        recordType: RecordType.CREDIT_RECORD, recordKey: r.record_no, ownerJurisdiction: r.owner_jurisdiction, enterpriseId: r.enterprise_id,
        uscc: r.uscc, actor: `${SYSTEM_PRINCIPAL.sub}:backfill`,
      };
      if (r.kind === 'EVALUATION') {
        entries.push({ ...base, op: CreditFeedOp.EVALUATED, payload: { kind: r.kind, scheme: r.scheme, level: r.level, year: r.evaluation_year, issuer: r.issuer, enterpriseName: r.enterprise_name } });
        continue;
      }
      const listing = {
        kind: r.kind, reason: r.listing_reason, legalBasis: r.listing_legal_basis, decisionNo: r.record_no, listedAt: r.effective_on,
        validUntil: r.valid_until, issuer: r.issuer, enterpriseName: r.enterprise_name,
      };
      entries.push({ ...base, op: CreditFeedOp.LISTED, payload: listing });
      if (r.removed_on) entries.push({ ...base, op: CreditFeedOp.REMOVED, payload: { ...listing, removedOn: r.removed_on } });
    }
    for (let i = 0; i < entries.length; i += CHUNK) await appendChanges(m, entries.slice(i, i + CHUNK));
    return entries.length;
  });
}
