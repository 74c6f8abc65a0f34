import { Arg, Args, Ctx, FieldResolver, Info, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { HubContext } from '../../graphql/context';
import { connectionType, Page, PageArgs } from '../../graphql/pagination';
import { UsccScalar } from '../../graphql/scalars';
import { complaint } from '../complaint';
import { credit, CreditStatus } from '../credit';
import type { SpecName } from '../dossier/specs';
import { eia } from '../eia';
import { inspection } from '../inspection';
import { penalty } from '../penalty';
import { permit } from '../permit';
import { Enterprise } from './enterprise.entity';
import { EnterpriseFilter } from './enterprise.service';

const EnterpriseConnection = connectionType(Enterprise, 'Enterprise');

/** Path prefix for argument errors of a nested list, e.g. `enterprises.edges.node.penalties.`. */
function argPath(info: GraphQLResolveInfo): string {
  const parts: string[] = [];
  for (let p: GraphQLResolveInfo['path'] | undefined = info.path; p; p = p.prev) if (typeof p.key === 'string') parts.unshift(p.key);
  return parts.join('.') + '.';
}

@Resolver(() => Enterprise)
export class EnterpriseResolver {
  @Query(() => Enterprise, { nullable: true, description: 'One enterprise by USCC; null when there is none, FORBIDDEN when the policy hides it.' })
  enterprise(@Arg('uscc', () => UsccScalar) uscc: string, @Ctx() ctx: HubContext): Promise<Enterprise | null> {
    return ctx.services.enterprises.get(ctx, uscc);
  }

  @Query(() => EnterpriseConnection, { description: 'Enterprises the caller may see, by USCC.' })
  enterprises(@Arg('filter', () => EnterpriseFilter, { nullable: true }) filter: EnterpriseFilter | undefined, @Args() page: PageArgs, @Ctx() ctx: HubContext) {
    return ctx.services.enterprises.list(ctx, filter ?? {}, page);
  }

  @FieldResolver(() => eia.Connection, { description: 'EIA approvals, newest first.' })
  eiaApprovals(@Root() e: Enterprise, @Args() page: PageArgs, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo) {
    return this.records(ctx, 'eia', e, page, info);
  }

  @FieldResolver(() => permit.Connection, { description: 'Discharge permits, newest first.' })
  permits(@Root() e: Enterprise, @Args() page: PageArgs, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo) {
    return this.records(ctx, 'permit', e, page, info);
  }

  @FieldResolver(() => inspection.Connection, { description: 'Inspections, newest first.' })
  inspections(@Root() e: Enterprise, @Args() page: PageArgs, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo) {
    return this.records(ctx, 'inspection', e, page, info);
  }

  @FieldResolver(() => penalty.Connection, { description: 'Administrative penalties, newest first.' })
  penalties(@Root() e: Enterprise, @Args() page: PageArgs, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo) {
    return this.records(ctx, 'penalty', e, page, info);
  }

  @FieldResolver(() => complaint.Connection, { description: 'Complaints and petitions, newest first.' })
  complaints(@Root() e: Enterprise, @Args() page: PageArgs, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo) {
    return this.records(ctx, 'complaint', e, page, info);
  }

  @FieldResolver(() => credit.Connection, { description: 'Credit evaluations and listings, newest first.' })
  creditRecords(@Root() e: Enterprise, @Args() page: PageArgs, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo) {
    return this.records(ctx, 'credit', e, page, info);
  }

  @FieldResolver(() => CreditStatus, { nullable: true, description: 'Latest evaluation and any serious-dishonesty listing in force; null when the caller may not see credit records.' })
  creditStatus(@Root() e: Enterprise, @Ctx() ctx: HubContext): Promise<CreditStatus | null> {
    return ctx.loaders.creditStatus.load(e.id);
  }

  private records(ctx: HubContext, name: SpecName, e: Enterprise, page: PageArgs, info: GraphQLResolveInfo): Promise<Page<unknown>> {
    return ctx.loaders.recordsOf(name, page, argPath(info)).load(e.id);
  }
}
