import type { EntityManager } from 'typeorm';
import { SYSTEM_PRINCIPAL } from '../../auth/principal';
import { chinaDayOf } from '../../domain/calendar/days';
import { RecordState, RecordWriter } from '../dossier/record-writer';
import rules from './data/positive-list-rules.json';
import { POSITIVE_LIST_ENTRY, PositiveListStatus, RemovalCause, STANDING_STATUSES } from './positive-list.record';

/** The firm's standing entries set REMOVED, in the caller's transaction, through the writer, with a REMOVED change-log entry naming the cause. */
async function removeStanding(m: EntityManager, enterpriseId: string, removal: { cause: RemovalCause; trigger: string; day: string; reason: string; note: Record<string, unknown> }, actor: string): Promise<RecordState[]> {
  return new RecordWriter(m.connection).amendIn(m, SYSTEM_PRINCIPAL, POSITIVE_LIST_ENTRY.write, {
    where: 't.enterprise_id = $1::uuid AND t.status = ANY($2::text[]) AND t.withdrawn_at IS NULL',
    params: [enterpriseId, STANDING_STATUSES],
    orderBy: 't.id',
    limit: 100,
  }, () => ({
    status: PositiveListStatus.REMOVED, removedOn: removal.day, removalCause: removal.cause, removalTrigger: removal.trigger.slice(0, 64), removalReason: removal.reason.slice(0, 1000),
  }), { actor, note: { trigger: removal.cause, ...removal.note } });
}

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
  for (const p of candidates.filter((x) => ids.has(x.enterpriseId))) {
    const decisionNo = String(p.values.decisionNo);
    const day = String(p.values.decisionDate);
    await removeStanding(m, p.enterpriseId!, {
      cause: RemovalCause.PENALTY, trigger: decisionNo, day,
      reason: `penalty decision ${decisionNo} of ${day} (${String(p.values.violationType)}): a penalised firm leaves the list`, note: { decisionNo },
    }, actor);
  }
}

/** The alert kinds whose confirmation is an incident (data: positive-list-rules.json `incidentAlertKinds`). */
export const INCIDENT_ALERT_KINDS: readonly string[] = rules.incidentAlertKinds;

/**
 * Incident-triggered removal. The hub keeps no incident register; what it does know of an
 * incident at a firm is a pollution-source alert on one of the firm's outlets that the owner's
 * officer, on verifying it, resolved as CONFIRMED (the exceedance or event was real, not an
 * instrument fault, a false alarm or a reported stop). For such an alert of a kind the rules name,
 * the firm's standing entries are removed at once, in the resolution's transaction, with cause
 * INCIDENT, the alert id as trigger, the confirmation's day, and a REMOVED change-log entry.
 * Returns the entries removed.
 */
export async function removeListedOnIncident(m: EntityManager, alert: Record<string, unknown>, actor: string): Promise<RecordState[]> {
  if (alert.status !== 'RESOLVED' || alert.verification_result !== 'CONFIRMED' || !INCIDENT_ALERT_KINDS.includes(String(alert.kind))) return [];
  const [station]: Array<{ enterprise_id: string | null }> = await m.query('SELECT enterprise_id FROM monitoring_station WHERE id = $1', [alert.station_id]);
  if (!station?.enterprise_id) return [];
  const day = chinaDayOf(new Date(alert.resolved_at as string | Date));
  const what = `${String(alert.kind)} at ${String(alert.station_code)}${alert.parameter ? ` (${String(alert.parameter)})` : ''}`;
  return removeStanding(m, station.enterprise_id, {
    cause: RemovalCause.INCIDENT, trigger: String(alert.id), day,
    reason: `incident: pollution-source alert ${String(alert.id)}, ${what}, confirmed on verification on ${day}: a firm with a confirmed incident leaves the list`,
    note: { alertId: String(alert.id) },
  }, actor);
}
