import { Arg, Args, Ctx, FieldResolver, Info, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { HubContext } from '../../graphql/context';
import { connectionType, Page, PageArgs } from '../../graphql/pagination';
import { UsccScalar } from '../../graphql/scalars';
import { complaint } from '../complaint';
import { credit, CreditStatus } from '../credit';
import { eia } from '../eia';
import { inspection } from '../inspection';
import { penalty } from '../penalty';
import { permit } from '../permit';
import { Enterprise } from './enterprise.entity';
import { EnterpriseFilter } from './enterprise.service';

const EnterpriseConnection = connectionType(Enterprise, 'Enterprise');

/**
 * A connection the read engine already built into the enterprise's JSON, under the field's
 * response key (two aliases may ask for different pages).
 */
function built(e: Enterprise, info: GraphQLResolveInfo): Page<unknown> {
  return (e as unknown as Record<string, Page<unknown>>)[info.path.key as string];
}

@Resolver(() => Enterprise)
export class EnterpriseResolver {
  @Query(() => Enterprise, { nullable: true, description: 'One enterprise by USCC; null when there is none, FORBIDDEN when the policy hides it.' })
  enterprise(@Arg('uscc', () => UsccScalar) uscc: string, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo): Promise<Enterprise | null> {
    return ctx.services.enterprises.get(ctx, uscc, info);
  }

  @Query(() => EnterpriseConnection, { description: 'Enterprises the caller may see, by USCC.' })
  enterprises(@Arg('filter', () => EnterpriseFilter, { nullable: true }) filter: EnterpriseFilter | undefined, @Args() page: PageArgs, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo) {
    return ctx.services.enterprises.list(ctx, filter ?? {}, page, info);
  }

  @FieldResolver(() => eia.Connection, { description: 'EIA approvals, newest first.' })
  eiaApprovals(@Root() e: Enterprise, @Args() _page: PageArgs, @Info() info: GraphQLResolveInfo) {
    return built(e, info);
  }

  @FieldResolver(() => permit.Connection, { description: 'Discharge permits, newest first.' })
  permits(@Root() e: Enterprise, @Args() _page: PageArgs, @Info() info: GraphQLResolveInfo) {
    return built(e, info);
  }

  @FieldResolver(() => inspection.Connection, { description: 'Inspections, newest first.' })
  inspections(@Root() e: Enterprise, @Args() _page: PageArgs, @Info() info: GraphQLResolveInfo) {
    return built(e, info);
  }

  @FieldResolver(() => penalty.Connection, { description: 'Administrative penalties, newest first.' })
  penalties(@Root() e: Enterprise, @Args() _page: PageArgs, @Info() info: GraphQLResolveInfo) {
    return built(e, info);
  }

  @FieldResolver(() => complaint.Connection, { description: 'Complaints and petitions, newest first.' })
  complaints(@Root() e: Enterprise, @Args() _page: PageArgs, @Info() info: GraphQLResolveInfo) {
    return built(e, info);
  }

  @FieldResolver(() => credit.Connection, { description: 'Credit evaluations and listings, newest first.' })
  creditRecords(@Root() e: Enterprise, @Args() _page: PageArgs, @Info() info: GraphQLResolveInfo) {
    return built(e, info);
  }

  @FieldResolver(() => CreditStatus, { nullable: true, description: 'Latest evaluation and any serious-dishonesty listing in force; null when the caller may not read the owner\'s credit records (extensions.policy.withheld says why).' })
  creditStatus(@Root() e: Enterprise): CreditStatus | null {
    return (e as unknown as { creditStatus: CreditStatus | null }).creditStatus;
  }
}
