import { isDistrict, districtsCoveredBy, Jurisdiction } from '../../domain/jurisdictions';
import { badInput, forbidden } from '../../graphql/errors';
import { PageArgs, pageRequest } from '../../graphql/pagination';
import { SqlParams } from '../../db/sql';
import { denialExtensions, ReadScope } from '../../auth/policy';
import type { HubContext } from '../../graphql/context';
import { ReadContext, RecordSpec } from './record-store';
import type { ReadModel } from '../../read/model';
import type { GraphQLResolveInfo } from 'graphql';

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
    ...denialExtensions(d),
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
 * Reads of the six enterprise-owned record types: by natural key (FORBIDDEN when hidden) and as
 * filtered root lists, each one statement of the read engine.
 */
export class DossierService {
  get<T>(ctx: HubContext, model: ReadModel, key: string, info: GraphQLResolveInfo): Promise<T | null> {
    return ctx.read.get(model, key, info) as Promise<T | null>;
  }

  /** A root list; `extra` adds a type's own conditions (on alias `t`) to the common filter's (overdue enforcement cases). */
  list(ctx: HubContext, model: ReadModel, filter: RecordFilter, args: PageArgs, info: GraphQLResolveInfo, extra?: (q: SqlParams) => string[]) {
    const page = pageRequest(args, model.recordType, model.order.columns.map((c) => c.kind));
    if (filter.from && filter.to && isoDate(filter.from) > isoDate(filter.to)) {
      throw badInput('filter.to', `must not be before filter.from (${isoDate(filter.from)})`);
    }
    const { dateColumn, dateKind, statusColumn } = model.filters;
    return ctx.read.list(model, info, (q) => {
      const c = jurisdictionCondition(filter.jurisdiction, q);
      if (filter.from && dateColumn) c.push(`t.${dateColumn} >= ${q.p(isoDate(filter.from))}::date`);
      // `to` is inclusive: the whole day counts.
      if (filter.to && dateColumn) c.push(`t.${dateColumn} < (${q.p(isoDate(filter.to))}::date + 1)`);
      if (filter.status && statusColumn) c.push(`t.${statusColumn} = ${q.p(filter.status)}`);
      if (filter.uscc) c.push(`t.enterprise_id = (SELECT e.id FROM enterprise e WHERE e.uscc = ${q.p(filter.uscc)})`);
      void dateKind;
      if (extra) c.push(...extra(q));
      return c;
    }, page);
  }
}
