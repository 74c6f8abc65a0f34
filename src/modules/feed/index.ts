export { CreditFeedResolver, creditFeedShaper } from './credit-feed.resolver';
export { CreditFeedOp, CreditFeedPage, CreditFeedEntry } from './credit-feed.types';
export { CreditFeedService, decodeFeedCursor, feedCursor } from './credit-feed.service';
export { creditFeedRouter } from './credit-feed.router';
export { expireListings, startCreditExpiryJob, CREDIT_EXPIRY_LOCK } from './credit-expiry.job';
export type { ExpiryJob, ExpiryRun } from './credit-expiry.job';
export { backfillCreditChanges } from './credit-backfill';
