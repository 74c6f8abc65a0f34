import { Arg, Args, Ctx, Info, Query, Resolver } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { HubContext } from '../../graphql/context';
import { PageArgs } from '../../graphql/pagination';
import { UsccScalar } from '../../graphql/scalars';
import { RecordNode } from '../dossier/record-declaration';
import { ENTERPRISE } from './enterprise.record';
import { EnterpriseFilter } from './enterprise.service';

/**
 * The enterprise's root fields: the lookup by USCC and the list with its own filter (name, industry,
 * credit level, penalties). Its record lists and credit status are computed outputs of its
 * declaration (enterprise.record.ts), resolved from what the read engine built.
 */
@Resolver(() => ENTERPRISE.type)
export class EnterpriseResolver {
  @Query(() => ENTERPRISE.type, { nullable: true, description: 'One enterprise by USCC; null when there is none, FORBIDDEN when the policy hides it.' })
  enterprise(@Arg('uscc', () => UsccScalar) uscc: string, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo): Promise<RecordNode | null> {
    return ctx.services.enterprises.get(ctx, uscc, info);
  }

  @Query(() => ENTERPRISE.connection, { description: 'Enterprises the caller may see, by USCC.' })
  enterprises(@Arg('filter', () => EnterpriseFilter, { nullable: true }) filter: EnterpriseFilter | undefined, @Args() page: PageArgs, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo) {
    return ctx.services.enterprises.list(ctx, filter ?? {}, page, info);
  }
}
