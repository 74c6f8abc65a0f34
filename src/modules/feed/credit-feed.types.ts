import { DateResolver, DateTimeResolver } from 'graphql-scalars';
import { ArgsType, Field, Int, ObjectType } from 'type-graphql';
import { CreditScheme } from '../../domain/codes';
import { Jurisdiction } from '../../domain/jurisdictions';

/** What happened to a credit record; registered as the GraphQL enum `CreditFeedOp`. */
export enum CreditFeedOp {
  LISTED = 'LISTED',
  UPDATED = 'UPDATED',
  REMOVED = 'REMOVED',
  EVALUATED = 'EVALUATED',
  /** A data objection to the record was accepted: it is under objection until OBJECTION_CLEARED (docs/objections.md). */
  OBJECTION_FLAGGED = 'OBJECTION_FLAGGED',
  /** The objection was resolved (corrected or rejected) and the flag removed. */
  OBJECTION_CLEARED = 'OBJECTION_CLEARED',
}

export const FEED_DEFAULT_PAGE = 100;
export const FEED_MAX_PAGE = 1000;

@ObjectType({ description: 'A serious-dishonesty listing (严重失信名单) as the change left it.' })
export class CreditFeedListing {
  @Field(() => String, { nullable: true, description: 'Reason for listing (列入事由).' }) reason: string | null;
  @Field(() => String, { nullable: true, description: 'Legal basis of the decision (认定依据).' }) legalBasis: string | null;
  @Field({ description: 'Decision document number (认定文书号).' }) decisionNo: string;
  @Field(() => DateResolver, { nullable: true, description: 'Listing date (列入日期).' }) listedAt: string | null;
  @Field(() => DateResolver, { nullable: true, description: 'Last day the listing is in force (有效期至).' }) validUntil: string | null;
  @Field(() => DateResolver, { nullable: true, description: 'Removal date (移出日期), on REMOVED entries.' }) removedOn: string | null;
}

@ObjectType({ description: 'An environmental credit evaluation result as the change left it.' })
export class CreditFeedEvaluation {
  @Field(() => CreditScheme, { nullable: true }) scheme: CreditScheme | null;
  @Field(() => String, { nullable: true, description: 'Level code within the scheme.' }) level: string | null;
  @Field(() => Int, { nullable: true, description: 'Evaluation year.' }) year: number | null;
  @Field(() => String, { nullable: true }) issuer: string | null;
}

@ObjectType({ description: 'The data objection an OBJECTION_FLAGGED or OBJECTION_CLEARED entry is about.' })
export class CreditFeedObjection {
  @Field({ description: 'The objection\'s id (`objections` lists it).' }) id: string;
  @Field(() => [String], { description: 'The disputed fields.' }) fields: string[];
  @Field(() => String, { nullable: true, description: 'On OBJECTION_CLEARED: CORRECTED or REJECTED.' }) outcome: string | null;
}

@ObjectType({ description: 'One committed credit change, in commit order.' })
export class CreditFeedEntry {
  @Field({ description: 'Resume after this entry by passing it as `after`.' }) cursor: string;
  @Field(() => CreditFeedOp) op: CreditFeedOp;
  @Field(() => String, { nullable: true }) uscc: string | null;
  @Field(() => String, { nullable: true }) enterpriseName: string | null;
  @Field(() => Jurisdiction, { description: 'The district that owns the credit record.' }) jurisdiction: Jurisdiction;
  @Field({ description: 'The credit record\'s number (the decision or evaluation document number).' }) recordNo: string;
  @Field(() => CreditFeedListing, { nullable: true, description: 'Set when the record is a listing.' }) listing: CreditFeedListing | null;
  @Field(() => CreditFeedEvaluation, { nullable: true, description: 'Set when the record is an evaluation.' }) evaluation: CreditFeedEvaluation | null;
  @Field(() => DateTimeResolver, { description: 'When the writing transaction started.' }) at: Date;
  @Field(() => CreditFeedObjection, { nullable: true, description: 'Set on OBJECTION_FLAGGED and OBJECTION_CLEARED entries.' }) objection?: CreditFeedObjection | null;
}

@ObjectType({ description: 'A page of the credit feed.' })
export class CreditFeedPage {
  @Field(() => [CreditFeedEntry]) entries: CreditFeedEntry[];
  @Field({ description: 'Where the next pull starts: the last entry\'s cursor, or `after` itself when the page is empty. Store it.' })
  endCursor: string;
  @Field({ description: 'Whether more changes were committed after this page when it was read.' }) hasMore: boolean;
}

@ArgsType()
export class CreditFeedArgs {
  @Field(() => String, { nullable: true, description: 'The endCursor of the previous pull; omit to start at the first change.' })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: `Entries per page, ${FEED_DEFAULT_PAGE} by default, at most ${FEED_MAX_PAGE}.` })
  first?: number | null;
}
