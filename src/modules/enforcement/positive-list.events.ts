import type { EntityManager } from 'typeorm';
import { SYSTEM_PRINCIPAL } from '../../auth/principal';
import { RecordState, RecordWriter } from '../dossier/record-writer';
import { POSITIVE_LIST_ENTRY, PositiveListStatus, STANDING_STATUSES } from './positive-list.record';

/**
 * Event-driven removal from the positive list: a penalty decision the hub learns of for a listed
 * firm (by mutation, import, a case's decision or a system load) removes its standing entries at
 * once, in the penalty's own transaction, through the writer, with a REMOVED change-log entry that
 * names the decision. A revoked penalty removes nothing; a changed one was already counted.
 */
export async function removeListedOnPenalty(m: EntityManager, written: { inserted: readonly RecordState[] }, actor: string): Promise<void> {
  const candidates = written.inserted.filter((p) => p.values.status !== 'REVOKED' && p.withdrawnAt === null);
  if (candidates.length === 0) return;
  // One look for the whole batch (an import writes thousands of penalties, almost none for a listed firm).
  const listed: Array<{ enterprise_id: string }> = await m.query(
    'SELECT DISTINCT enterprise_id FROM positive_list_entry WHERE enterprise_id = ANY($1::uuid[]) AND status = ANY($2::text[]) AND withdrawn_at IS NULL',
    [[...new Set(candidates.map((p) => p.enterpriseId))], STANDING_STATUSES]);
  if (listed.length === 0) return;
  const ids = new Set(listed.map((r) => r.enterprise_id));
  const penalties = candidates.filter((p) => ids.has(p.enterpriseId));
  const writer = new RecordWriter(m.connection);
  for (const p of penalties) {
    const decisionNo = String(p.values.decisionNo);
    const day = String(p.values.decisionDate);
    await writer.amendIn(m, SYSTEM_PRINCIPAL, POSITIVE_LIST_ENTRY.write, {
      where: 't.enterprise_id = $1::uuid AND t.status = ANY($2::text[]) AND t.withdrawn_at IS NULL',
      params: [p.enterpriseId, STANDING_STATUSES],
      orderBy: 't.id',
      limit: 100,
    }, () => ({
      status: PositiveListStatus.REMOVED, removedOn: day, removalTrigger: decisionNo.slice(0, 64),
      removalReason: `penalty decision ${decisionNo} of ${day} (${String(p.values.violationType)}): a penalised firm leaves the list`.slice(0, 1000),
    }), { actor, note: { trigger: 'PENALTY', decisionNo } });
  }
}
