import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { HubContext } from '../../graphql/context';
import { CreditFeedArgs, CreditFeedPage } from './credit-feed.types';

/** The credit feed's one query; the rules are in CreditFeedService and policy.feedAccess. */
@Resolver()
export class CreditFeedResolver {
  @Query(() => CreditFeedPage, {
    description: 'Every committed credit change (listings, removals, evaluations) once, in commit order: pass the last endCursor as `after` to resume. '
      + 'For the Credit Yangtze Delta platform (CREDIT_FEED) and ZONE. A full initial load streams faster from GET /feeds/credit.ndjson.',
  })
  creditFeed(@Args() args: CreditFeedArgs, @Ctx() ctx: HubContext): Promise<CreditFeedPage> {
    return ctx.services.feed.page(ctx, args);
  }
}
