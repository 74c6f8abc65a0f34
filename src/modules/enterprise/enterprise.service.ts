import { DateResolver } from 'graphql-scalars';
import { Field, InputType } from 'type-graphql';
import { readScope, RecordType } from '../../auth/policy';
import { scopeCondition } from '../../auth/scope';
import { likeEscape } from '../../db/sql';
import { Jurisdiction } from '../../domain/jurisdictions';
import { badInput } from '../../graphql/errors';
import type { HubContext } from '../../graphql/context';
import { PageArgs, pageRequest } from '../../graphql/pagination';
import type { GraphQLResolveInfo } from 'graphql';
import { jurisdictionCondition } from '../dossier/dossier.service';
import type { RecordNode } from '../dossier/record-declaration';
import { ENTERPRISE } from './enterprise.record';

@InputType({ description: 'Narrows the enterprise list; all given conditions must hold.' })
export class EnterpriseFilter {
  @Field(() => Jurisdiction, { nullable: true, description: 'Owner district, or a province / ZONE for the districts it covers.' })
  jurisdiction?: Jurisdiction;

  @Field({ nullable: true, description: 'Part of the name, matched literally, case-insensitively.' })
  nameContains?: string;

  @Field({ nullable: true, description: 'GB/T 4754 industry code or its prefix (C17 = textiles).' })
  industryCode?: string;

  @Field({ nullable: true, description: 'Level of the latest credit evaluation the caller may see (GREEN, A, …).' })
  creditLevel?: string;

  @Field(() => DateResolver, { nullable: true, description: 'Only enterprises with a penalty decided on or after this date.' })
  penalizedSince?: Date;
}

/** Enterprise reads: the scoped list with its filters, and the lookup by USCC, both through the read engine. */
export class EnterpriseService {
  /** One enterprise as `info`'s field selects it: null when there is none, FORBIDDEN (explained) when hidden. */
  get(ctx: HubContext, uscc: string, info: GraphQLResolveInfo): Promise<RecordNode | null> {
    return ctx.read.get(ENTERPRISE.model, uscc, info);
  }

  list(ctx: HubContext, filter: EnterpriseFilter, args: PageArgs, info: GraphQLResolveInfo) {
    const page = pageRequest(args, ENTERPRISE.model.recordType, ENTERPRISE.model.order.columns.map((c) => c.kind));
    if (filter.nameContains !== undefined && (filter.nameContains.length === 0 || filter.nameContains.length > 100)) {
      throw badInput('filter.nameContains', 'must be 1 to 100 characters');
    }
    if (filter.industryCode !== undefined && !/^[A-T]\d{0,4}$/.test(filter.industryCode)) {
      throw badInput('filter.industryCode', `must be a GB/T 4754 code or prefix like C17 or C1713, got "${filter.industryCode}"`);
    }
    if (filter.creditLevel !== undefined && !/^[A-Z]{1,8}$/.test(filter.creditLevel)) {
      throw badInput('filter.creditLevel', `must be a level code like GREEN or A, got "${filter.creditLevel}"`);
    }
    return ctx.read.list(ENTERPRISE.model, info, (q) => {
      const c = jurisdictionCondition(filter.jurisdiction, q);
      if (filter.nameContains) c.push(`t.name ILIKE ${q.p('%' + likeEscape(filter.nameContains) + '%')}`);
      if (filter.industryCode) c.push(`t.industry_code LIKE ${q.p(filter.industryCode + '%')}`);
      if (filter.creditLevel) {
        // The latest evaluation the caller may see decides; hidden credit records never match.
        const scope = scopeCondition(readScope(ctx, RecordType.CREDIT_RECORD), 'c', q);
        c.push(`(SELECT c.level FROM credit_record c WHERE c.enterprise_id = t.id AND c.kind = 'EVALUATION' AND c.withdrawn_at IS NULL AND ${scope}
          ORDER BY c.effective_on DESC LIMIT 1) = ${q.p(filter.creditLevel)}`);
      }
      if (filter.penalizedSince) {
        const scope = scopeCondition(readScope(ctx, RecordType.PENALTY), 'p', q);
        c.push(`EXISTS (SELECT 1 FROM penalty p WHERE p.enterprise_id = t.id AND p.decision_date >= ${q.p(filter.penalizedSince.toISOString().slice(0, 10))}::date AND p.withdrawn_at IS NULL AND ${scope})`);
      }
      return c;
    }, page);
  }
}
