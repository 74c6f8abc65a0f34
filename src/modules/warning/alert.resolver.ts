import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { HubContext } from '../../graphql/context';
import { Page, PageArgs } from '../../graphql/pagination';
import { Alert, AlertConnection, AlertFilter, ResolveAlertInput } from './alert.types';

/** Early-warning alerts: the scoped list and the owner's two actions; rules and SQL live in AlertService. */
@Resolver(() => Alert)
export class AlertResolver {
  @Query(() => AlertConnection, { description: 'Early-warning alerts the caller is addressed by (owner district, its province, ZONE, or a district downstream), newest first.' })
  alerts(@Arg('filter', () => AlertFilter, { nullable: true }) filter: AlertFilter | undefined, @Args() page: PageArgs, @Ctx() ctx: HubContext): Promise<Page<Alert>> {
    return ctx.services.alerts.list(ctx, filter ?? {}, page);
  }

  @Mutation(() => Alert, { description: 'The owner (district, its province or ZONE; ENFORCEMENT, DATA_STEWARD or ADMIN) acknowledges an OPEN alert.' })
  acknowledgeAlert(@Arg('id', () => ID) id: string, @Arg('note', () => String, { nullable: true }) note: string | undefined, @Ctx() ctx: HubContext): Promise<Alert> {
    return ctx.services.alerts.acknowledge(ctx, id, note ?? undefined);
  }

  @Mutation(() => Alert, { description: 'The owner closes an ACKNOWLEDGED alert with the officer\'s verification result (required for pollution-source alerts).' })
  resolveAlert(@Arg('id', () => ID) id: string, @Arg('input', () => ResolveAlertInput) input: ResolveAlertInput, @Ctx() ctx: HubContext): Promise<Alert> {
    return ctx.services.alerts.resolve(ctx, id, input);
  }
}
