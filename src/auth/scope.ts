import { SqlParams } from '../db/sql';
import { AccessContext, alertReadScope, allowedDistricts, MonitoringAssessment, monitoringTerms, ReadScope, SharingRule } from './policy';

/**
 * The only road from a read scope to SQL: `alias.owner_jurisdiction = ANY($n)`, which the
 * (owner_jurisdiction, key) indexes serve, plus the public's row rule (a penalty is public while
 * its publicity period lasts). An empty scope is `false`, so nothing leaks.
 */
export function scopeCondition(scope: ReadScope, alias: string, q: SqlParams): string {
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
