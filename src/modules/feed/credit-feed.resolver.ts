import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { HubContext } from '../../graphql/context';
import type { PreShaper } from '../../graphql/preshaped';
import { CreditFeedArgs, CreditFeedPage, CreditListingsInForce, CreditListingsInForceArgs } from './credit-feed.types';

/** The credit feed's queries; the rules are in CreditFeedService and policy.feedAccess. */
@Resolver()
export class CreditFeedResolver {
  @Query(() => CreditFeedPage, {
    description: 'Every committed credit change (listings, removals, withdrawals, evaluations) once, in commit order: pass the last endCursor as `after` to resume. '
      + 'For the Credit Yangtze Delta platform (CREDIT_FEED) and ZONE. A full initial load streams faster from GET /feeds/credit.ndjson.',
  })
  creditFeed(@Args() args: CreditFeedArgs, @Ctx() ctx: HubContext): Promise<CreditFeedPage> {
    return ctx.services.feed.page(ctx, args);
  }

  @Query(() => CreditListingsInForce, {
    description: 'The credit records in force on a day (listings in force, standing evaluations), stamped with the feed cursor they are consistent with: '
      + 'load it, then follow creditFeed(after: feedCursor) with no gap and no duplicate. NDJSON twin: GET /feeds/credit-in-force.ndjson.',
  })
  creditListingsInForce(@Args() args: CreditListingsInForceArgs, @Ctx() ctx: HubContext): Promise<CreditListingsInForce> {
    return ctx.services.feed.listingsInForce(ctx, args);
  }
}

/** `creditFeed` pre-shaped: the page as JSON text PostgreSQL writes for the selection (src/graphql/preshaped.ts). */
export const creditFeedShaper: PreShaper<HubContext> = (ctx, args, req) => ctx.services.feed.pageShaped(ctx, args as CreditFeedArgs, req);
