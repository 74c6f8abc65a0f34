import { isDistrict, districtsCoveredBy, Jurisdiction } from '../../domain/jurisdictions';
import { badInput, forbidden } from '../../graphql/errors';
import { PageArgs, Page, pageRequest } from '../../graphql/pagination';
import { SqlParams } from '../../db/sql';
import { ReadScope } from '../../auth/policy';
import type { HubContext } from '../../graphql/context';
import { Conditions, ReadContext, RecordSpec, RecordStore } from './record-store';
import { SpecName, SPECS } from './specs';

/** The filter every root list of dossier records takes. */
export interface RecordFilter {
  jurisdiction?: Jurisdiction;
  from?: Date | string;
  to?: Date | string;
  status?: string;
  uscc?: string;
}

/**
 * FORBIDDEN for a record that exists but the policy hides, saying which rule decided and what
 * would open it (a purpose, a role), so a partner learns what to ask for. The denial is audited.
 */
export function forbiddenRecord(ctx: ReadContext, spec: RecordSpec, key: string, lookup: { owner: string; scope: ReadScope }): Error {
  ctx.audit?.denied(spec.recordType, lookup.owner);
  const d = isDistrict(lookup.owner) ? lookup.scope.decisions.get(lookup.owner) : undefined;
  return forbidden(`${spec.recordType} ${key} belongs to ${lookup.owner}, which this principal may not read (${d?.rule ?? 'not a district'})`, {
    rule: d?.rule ?? 'unknownOwner',
    recordType: spec.recordType,
    ownerJurisdiction: lookup.owner,
    ...(d?.allowedPurposes ? { allowedPurposes: d.allowedPurposes } : {}),
    ...(d?.requiredRoles ? { requiredRoles: d.requiredRoles } : {}),
  });
}

/** Owner-jurisdiction filter: a province or ZONE stands for the districts it covers. */
export function jurisdictionCondition(j: Jurisdiction | undefined, q: SqlParams): string[] {
  if (!j) return [];
  const districts = districtsCoveredBy(j);
  if (districts.length === 0) return ['false'];
  return [isDistrict(j) ? `t.owner_jurisdiction = ${q.p(j)}` : `t.owner_jurisdiction = ANY(${q.p(districts)}::varchar[])`];
}

function isoDate(v: Date | string): string {
  return typeof v === 'string' ? v : v.toISOString().slice(0, 10);
}

/**
 * Reads of the six enterprise-owned record types: by natural key (FORBIDDEN when hidden) and
 * as filtered root lists. The scoping and masking happen in the RecordStore.
 */
export class DossierService {
  constructor(private readonly store: RecordStore) {}

  async get<T>(ctx: HubContext, name: SpecName, key: string): Promise<T | null> {
    const found = await ctx.loaders.recordByKey(name).load(key);
    if (!found) return null;
    if (!found.visible) throw forbiddenRecord(ctx, SPECS[name], key, found);
    return found.row as T;
  }

  list<T>(ctx: ReadContext, name: SpecName, filter: RecordFilter, args: PageArgs): Promise<Page<T>> {
    const spec = SPECS[name] as RecordSpec<T>;
    const page = pageRequest(args, spec.recordType, this.store.cursorKinds(spec));
    if (filter.from && filter.to && isoDate(filter.from) > isoDate(filter.to)) {
      throw badInput('filter.to', `must not be before filter.from (${isoDate(filter.from)})`);
    }
    const conditions: Conditions = (q) => {
      const c = jurisdictionCondition(filter.jurisdiction, q);
      if (filter.from && spec.dateColumn) c.push(`t.${spec.dateColumn} >= ${q.p(isoDate(filter.from))}::date`);
      // `to` is inclusive: the whole day counts.
      if (filter.to && spec.dateColumn) c.push(`t.${spec.dateColumn} < (${q.p(isoDate(filter.to))}::date + 1)`);
      if (filter.status && spec.statusColumn) c.push(`t.${spec.statusColumn} = ${q.p(filter.status)}`);
      if (filter.uscc) c.push(`t.enterprise_id = (SELECT e.id FROM enterprise e WHERE e.uscc = ${q.p(filter.uscc)})`);
      return c;
    };
    return this.store.list(ctx, spec, conditions, page);
  }
}
