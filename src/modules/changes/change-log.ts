import { EntityManager } from 'typeorm';
import { SqlParams } from '../../db/sql';

/** Key of the transaction-level advisory lock that orders change-log appends by commit. */
export const CHANGE_LOG_LOCK = 72_120_001;

export interface ChangeEntry {
  recordType: string;
  recordKey: string;
  op: string;
  ownerJurisdiction: string;
  enterpriseId?: string | null;
  uscc?: string | null;
  actor: string;
  payload?: Record<string, unknown>;
}

/**
 * Appends changes inside the caller's write transaction. It takes a transaction-level advisory
 * lock first, so appends are serialized until commit: `seq` order is then commit order, and a
 * feed reader paging by `seq` can never see 101 before 100 commits. Call it as the last step of
 * the transaction to hold the lock briefly. Must run on the transaction's own manager.
 */
export async function appendChanges(tx: EntityManager, entries: readonly ChangeEntry[]): Promise<void> {
  if (entries.length === 0) return;
  if (!tx.queryRunner?.isTransactionActive) throw new Error('appendChanges must run inside the write transaction');
  await tx.query('SELECT pg_advisory_xact_lock($1)', [CHANGE_LOG_LOCK]);
  const q = new SqlParams();
  const rows = entries.map((e) => `(${[
    q.p(e.recordType), q.p(e.recordKey), q.p(e.op), q.p(e.ownerJurisdiction), q.p(e.enterpriseId ?? null), q.p(e.uscc ?? null), q.p(e.actor),
    `${q.p(JSON.stringify(e.payload ?? {}))}::jsonb`,
  ].join(', ')})`);
  await tx.query(
    `INSERT INTO change_log (record_type, record_key, op, owner_jurisdiction, enterprise_id, uscc, actor, payload) VALUES ${rows.join(', ')}`,
    q.values,
  );
}
