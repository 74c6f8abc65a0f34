import { SqlParams } from '../db/sql';
import { AccessContext, alertReadScope, reminderReadScope, allowedDistricts, MonitoringAssessment, monitoringTerms, ReadScope, RecordType, SharingRule } from './policy';

/**
 * The SQL of the transfer rule (policy.ts, `transferReader`) per enforcement record type, on a row
 * `a` and the reading district `$d`: the transfers that open a case to a district are those sent to
 * it and not refused.
 */
const TRANSFER_OPENS: Partial<Record<RecordType, (a: string, d: string) => string>> = {
  [RecordType.ENFORCEMENT_CASE]: (a, d) => `EXISTS (SELECT 1 FROM case_transfer ct WHERE ct.case_no = ${a}.case_no AND ct.receiver = ${d} AND ct.status <> 'REFUSED' AND ct.withdrawn_at IS NULL)`,
  [RecordType.EVIDENCE_ITEM]: (a, d) => `EXISTS (SELECT 1 FROM case_transfer ct WHERE ct.case_no = ${a}.case_no AND ct.receiver = ${d} AND ct.status <> 'REFUSED' AND ct.withdrawn_at IS NULL)`,
  [RecordType.CASE_TRANSFER]: (a, d) => `${a}.receiver = ${d}`,
  [RecordType.EVIDENCE_RECOGNITION]: (a, d) => `EXISTS (SELECT 1 FROM evidence_item ei WHERE ei.evidence_no = ${a}.evidence_no AND ei.owner_jurisdiction = ${d})`,
};

/**
 * The only road from a read scope to SQL: `alias.owner_jurisdiction = ANY($n)`, which the
 * (owner_jurisdiction, key) indexes serve, plus the public's row rule (a penalty is public while
 * its publicity period lasts). An empty scope is `false`, so nothing leaks.
 */
export function scopeCondition(scope: ReadScope, alias: string, q: SqlParams): string {
  const opens = scope.rowRule === 'TRANSFERRED' && scope.transferReader ? TRANSFER_OPENS[scope.recordType] : undefined;
  if (opens) {
    const transferred = opens(alias, `${q.p(scope.transferReader)}::varchar`);
    return scope.districts.length === 0 ? `(${transferred})` : `(${alias}.owner_jurisdiction = ANY(${q.p(scope.districts)}::varchar[]) OR ${transferred})`;
  }
  if (scope.districts.length === 0) return 'false';
  const owner = `${alias}.owner_jurisdiction = ANY(${q.p(scope.districts)}::varchar[])`;
  if (scope.rowRule === 'PUBLICISED') return `(${owner} AND ${alias}.publicity_until >= current_date)`;
  return owner;
}

/** The parts of the monitoring data, each under the resources that govern it (policy.ts, MonitoringTerms). */
export type MonitoringData = 'STATIONS' | 'OBSERVATIONS' | MonitoringAssessment;

/**
 * The monitoring counterpart of `scopeCondition`, on a station row (`alias` is monitoring_station):
 * the stations whose records, observations or assessments the caller may read, each part under
 * the resource that governs it — a disjunction of (which stations the resource covers AND the owner
 * districts `decideRule` allows). No readable resource is `false`.
 */
export function monitoringScope(access: AccessContext, data: MonitoringData, alias: string, q: SqlParams): string {
  const t = monitoringTerms(access);
  const parts: string[] = [];
  // `covers` is written only for a resource the caller reads something of: no parameter is left unused.
  const add = (rule: SharingRule, covers: () => string): void => {
    const districts = allowedDistricts(access, rule, 'MONITORING');
    if (districts.length > 0) parts.push(`(${covers()} AND ${alias}.owner_jurisdiction = ANY(${q.p(districts)}::varchar[]))`);
  };
  const kinds = (k: readonly string[]) => `${alias}.kind = ANY(${q.p(k)}::varchar[])`;
  if (data === 'STATIONS') for (const s of t.stations) add(s.rule, () => kinds(s.stationKinds));
  else if (data === 'OBSERVATIONS') for (const r of t.observations) add(r, () => `${alias}.catalog_resource_code = ${q.p(r.catalogCode)}`);
  else {
    for (const a of t.assessments.filter((x) => x.assessment === data)) {
      const drinking = a.drinkingWaterSource === undefined ? '' : ` AND ${alias}.drinking_water_source = ${a.drinkingWaterSource ? 'true' : 'false'}`;
      add(a.rule, () => `${kinds(a.stationKinds)}${drinking}`);
    }
  }
  return parts.length ? `(${parts.join(' OR ')})` : 'false';
}

/**
 * The SQL form of `alertReadScope` on an alert row (`alias` is alert): per resource, the owner
 * districts read by rule 1, or a downstream district in the alert's audience where the resource
 * lets the owner's data cross. Nothing readable is `false`.
 */
export function alertScope(access: AccessContext, alias: string, q: SqlParams): string {
  const parts: string[] = [];
  for (const s of alertReadScope(access)) {
    const reach: string[] = [];
    if (s.ownerDistricts.length) reach.push(`${alias}.owner_jurisdiction = ANY(${q.p(s.ownerDistricts)}::varchar[])`);
    if (s.audienceDistricts.length && s.audienceOwners.length) {
      reach.push(`(${alias}.audience && ${q.p(s.audienceDistricts)}::varchar[] AND ${alias}.owner_jurisdiction = ANY(${q.p(s.audienceOwners)}::varchar[]))`);
    }
    if (reach.length) parts.push(`(${alias}.catalog_resource_code = ${q.p(s.catalogCode)} AND (${reach.join(' OR ')}))`);
  }
  return parts.length ? `(${parts.join(' OR ')})` : 'false';
}

/**
 * The SQL form of `reminderReadScope` on a compliance reminder row (`alias`): per resource, the
 * owner districts the caller reads. Nothing readable is `false`.
 */
export function reminderScope(access: AccessContext, alias: string, q: SqlParams): string {
  const parts: string[] = [];
  for (const s of reminderReadScope(access)) {
    if (s.ownerDistricts.length) parts.push(`(${alias}.catalog_resource_code = ${q.p(s.catalogCode)} AND ${alias}.owner_jurisdiction = ANY(${q.p(s.ownerDistricts)}::varchar[]))`);
  }
  return parts.length ? `(${parts.join(' OR ')})` : 'false';
}
