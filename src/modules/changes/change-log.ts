import { EntityManager } from 'typeorm';

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
 * the transaction to hold the lock briefly. Must run on the transaction's own manager. Each entry
 * is also announced on RECORDS_CHANNEL, in the same statement, so it reaches listeners on every
 * instance when (and only if) the transaction commits.
 */
export async function appendChanges(tx: EntityManager, entries: readonly ChangeEntry[]): Promise<void> {
  if (entries.length === 0) return;
  if (!tx.queryRunner?.isTransactionActive) throw new Error('appendChanges must run inside the write transaction');
  await tx.query('SELECT pg_advisory_xact_lock($1)', [CHANGE_LOG_LOCK]);
  // One JSON parameter for the whole batch, whatever its size; rows keep their order (and so their seq).
  const rows = entries.map((e) => ({
    t: e.recordType, k: e.recordKey, o: e.op, j: e.ownerJurisdiction, e: e.enterpriseId ?? null, u: e.uscc ?? null, a: e.actor, p: e.payload ?? {},
  }));
  // The same statement tells every instance (RECORDS_CHANNEL), keys only: delivered when the write
  // commits, never for a rolled-back one. Listeners re-read the record under their own caller's rights.
  await tx.query(
    `WITH appended AS (
       INSERT INTO change_log (record_type, record_key, op, owner_jurisdiction, enterprise_id, uscc, actor, payload)
       SELECT x.t, x.k, x.o, x.j, x.e, x.u, x.a, x.p
       FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (t text, k text, o text, j text, e uuid, u text, a text, p jsonb)) WITH ORDINALITY AS x(t, k, o, j, e, u, a, p, n)
       ORDER BY x.n
       RETURNING seq, at, record_type, record_key, op, owner_jurisdiction, uscc)
     SELECT count(pg_notify($2, json_build_object(
       'seq', a.seq::text, 'at', a.at, 'recordType', a.record_type, 'key', a.record_key, 'op', a.op,
       'ownerJurisdiction', a.owner_jurisdiction, 'uscc', a.uscc)::text)) AS notified
     FROM (SELECT * FROM appended ORDER BY seq) a`,
    [JSON.stringify(rows), RECORDS_CHANNEL],
  );
}

/**
 * The event-bus channel of committed record changes (src/db/events.ts): one notification per
 * change-log entry, `{ seq, at, recordType, key, op, ownerJurisdiction, uscc }`, sent by
 * `appendChanges` inside the writer's transaction. `recordChanged` subscriptions listen to it.
 */
export const RECORDS_CHANNEL = 'eco_hub_records';

/** A record change as the bus carries it: keys, never the record's values. */
export interface RecordChangeNotice {
  seq: string;
  at: string;
  recordType: string;
  key: string;
  op: string;
  ownerJurisdiction: string;
  uscc: string | null;
}
