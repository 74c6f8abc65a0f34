import { DateResolver, DateTimeResolver } from 'graphql-scalars';
import { ArgsType, Field, InputType, Int, ObjectType } from 'type-graphql';
import { CreditScheme } from '../../domain/codes';
import { Jurisdiction } from '../../domain/jurisdictions';
import { CreditRecordKind, CreditRemovalReason } from '../credit/credit.record';

/** What happened to a credit record; registered as the GraphQL enum `CreditFeedOp`. */
export enum CreditFeedOp {
  LISTED = 'LISTED',
  UPDATED = 'UPDATED',
  REMOVED = 'REMOVED',
  /** Withdrawn as entered in error or revoked at its source: the record never stood (new in issue 15). */
  WITHDRAWN = 'WITHDRAWN',
  EVALUATED = 'EVALUATED',
  /** A data objection to the record was accepted: it is under objection until OBJECTION_CLEARED (docs/objections.md). */
  OBJECTION_FLAGGED = 'OBJECTION_FLAGGED',
  /** The objection was resolved (corrected or rejected) and the flag removed. */
  OBJECTION_CLEARED = 'OBJECTION_CLEARED',
}

export const FEED_DEFAULT_PAGE = 100;

// The feed's object types take `simpleResolvers`: their values are plain properties of answers
// PostgreSQL shaped, with no middleware or rule per field, so the compiled executor reads them
// directly instead of calling a resolver (with its info object) for each of a page's ~20,000 fields.
export const FEED_MAX_PAGE = 1000;

@ObjectType({ simpleResolvers: true, description: 'A serious-dishonesty listing (严重失信名单) as the change left it.' })
export class CreditFeedListing {
  @Field(() => String, { nullable: true, description: 'Reason for listing (列入事由).' }) reason: string | null;
  @Field(() => String, { nullable: true, description: 'Legal basis of the decision (认定依据).' }) legalBasis: string | null;
  @Field({ description: 'Decision document number (认定文书号).' }) decisionNo: string;
  @Field(() => String, { nullable: true, description: 'The deciding authority (认定部门).' }) authority: string | null;
  @Field(() => String, { nullable: true, description: 'The deciding authority\'s USCC (认定部门统一社会信用代码), when the source sent it.' }) authorityUscc: string | null;
  @Field(() => DateResolver, { nullable: true, description: 'Listing date (列入日期).' }) listedAt: string | null;
  @Field(() => DateResolver, { nullable: true, description: 'Last day the listing is in force (有效期至).' }) validUntil: string | null;
  @Field(() => DateResolver, { nullable: true, description: 'Removal or repair date (移出日期), on REMOVED entries.' }) removedOn: string | null;
  @Field(() => CreditRemovalReason, { nullable: true, description: 'Why it was removed, on REMOVED entries: EXPIRED, REMOVAL_DECISION or REPAIRED (信用修复).' })
  removalReason: CreditRemovalReason | null;
}

@ObjectType({ simpleResolvers: true, description: 'An environmental credit evaluation result as the change left it.' })
export class CreditFeedEvaluation {
  @Field(() => CreditScheme, { nullable: true }) scheme: CreditScheme | null;
  @Field(() => String, { nullable: true, description: 'Level code within the scheme.' }) level: string | null;
  @Field(() => String, { nullable: true, description: 'The level\'s name in its scheme (e.g. 绿色, 环保不良企业).' }) levelName: string | null;
  @Field(() => Int, { nullable: true, description: 'Evaluation year.' }) year: number | null;
  @Field(() => String, { nullable: true, description: 'The evaluating authority.' }) issuer: string | null;
  @Field(() => String, { nullable: true, description: 'The evaluating authority\'s USCC, when the source sent it.' }) issuerUscc: string | null;
}

@ObjectType({ simpleResolvers: true, description: 'The data objection an OBJECTION_FLAGGED or OBJECTION_CLEARED entry is about.' })
export class CreditFeedObjection {
  @Field({ description: 'The objection\'s id (`objections` lists it).' }) id: string;
  @Field(() => [String], { description: 'The disputed fields.' }) fields: string[];
  @Field(() => String, { nullable: true, description: 'On OBJECTION_CLEARED: CORRECTED or REJECTED.' }) outcome: string | null;
}

@ObjectType({ simpleResolvers: true, description: 'An enterprise\'s legal representative (法定代表人): the ID number is masked outside the owner\'s jurisdiction.' })
export class CreditFeedLegalRepresentative {
  @Field(() => String, { nullable: true }) name: string | null;
  @Field(() => String, { nullable: true, description: 'ID number; masked (3101**********1234) unless the reader\'s jurisdiction covers the owner district.' })
  idNumber: string | null;
}

@ObjectType({ simpleResolvers: true, description: 'One committed credit change, in commit order.' })
export class CreditFeedEntry {
  @Field({ description: 'Resume after this entry by passing it as `after`.' }) cursor: string;
  @Field(() => CreditFeedOp) op: CreditFeedOp;
  @Field(() => CreditRecordKind, { description: 'LISTING or EVALUATION.' }) kind: CreditRecordKind;
  @Field(() => String, { nullable: true }) uscc: string | null;
  @Field(() => String, { nullable: true }) enterpriseName: string | null;
  @Field(() => CreditFeedLegalRepresentative, { nullable: true, description: 'The enterprise\'s legal representative as the hub holds it now (not as of the change).' })
  legalRepresentative: CreditFeedLegalRepresentative | null;
  @Field(() => Jurisdiction, { description: 'The district that owns the credit record.' }) jurisdiction: Jurisdiction;
  @Field(() => String, { nullable: true, description: 'Admin division code of the owner district\'s province (310000, 320000, 330000).' }) provinceCode: string | null;
  @Field({ description: 'The credit record\'s number (the decision or evaluation document number).' }) recordNo: string;
  @Field(() => DateTimeResolver, { nullable: true, description: 'On WITHDRAWN entries: when the steward withdrew the record.' }) withdrawnAt: string | null;
  @Field(() => String, { nullable: true, description: 'On WITHDRAWN entries: the steward\'s reason.' }) withdrawalReason: string | null;
  @Field(() => CreditFeedListing, { nullable: true, description: 'Set when the record is a listing.' }) listing: CreditFeedListing | null;
  @Field(() => CreditFeedEvaluation, { nullable: true, description: 'Set when the record is an evaluation.' }) evaluation: CreditFeedEvaluation | null;
  @Field(() => DateTimeResolver, { description: 'When the writing transaction started.' }) at: string;
  @Field(() => CreditFeedObjection, { nullable: true, description: 'Set on OBJECTION_FLAGGED and OBJECTION_CLEARED entries: the data objection the entry is about.' }) objection?: CreditFeedObjection | null;
}

@ObjectType({ simpleResolvers: true, description: 'A page of the credit feed.' })
export class CreditFeedPage {
  @Field(() => [CreditFeedEntry]) entries: CreditFeedEntry[];
  @Field({ description: 'Where the next pull starts: the last entry\'s cursor, or `after` itself when the page is empty. Store it.' })
  endCursor: string;
  @Field({ description: 'Whether more changes (matching the filter) were committed after this page when it was read.' }) hasMore: boolean;
}

@InputType({ description: 'Narrows the credit feed or snapshot; parts combine with AND, values within a part with OR.' })
export class CreditFeedFilterInput {
  @Field(() => [String], { nullable: true, description: 'Owner jurisdictions: districts, or a province or ZONE for its districts.' })
  jurisdictions?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Provinces by admin division code (310000, 320000, 330000) or name (SHANGHAI, JIANGSU, ZHEJIANG).' })
  provinces?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Ops (CreditFeedOp values). On the snapshot: the op of each record\'s latest entry.' })
  ops?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Record kinds: LISTING, EVALUATION.' })
  kinds?: string[] | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'Only changes committed at or after this instant (the snapshot: latest entry at or after it).' })
  since?: Date | string | null;
}

@ArgsType()
export class CreditFeedArgs {
  @Field(() => String, { nullable: true, description: 'The endCursor of the previous pull; omit to start at the first change.' })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: `Entries per page, ${FEED_DEFAULT_PAGE} by default, at most ${FEED_MAX_PAGE}.` })
  first?: number | null;

  @Field(() => CreditFeedFilterInput, { nullable: true, description: 'Only the entries matching it; the cursor still walks the whole feed.' })
  filter?: CreditFeedFilterInput | null;
}

@ObjectType({ simpleResolvers: true, description: 'One credit record in force in a snapshot: its latest feed entry at the snapshot\'s feed cursor.' })
export class CreditSnapshotEdge {
  @Field({ description: 'Pass as `after` for the next page of the same snapshot.' }) cursor: string;
  @Field(() => CreditFeedEntry) node: CreditFeedEntry;
}

@ObjectType({ simpleResolvers: true, description: 'Relay page information of a snapshot page.' })
export class CreditSnapshotPageInfo {
  @Field() hasNextPage: boolean;
  @Field(() => String, { nullable: true }) endCursor: string | null;
}

@ObjectType({ simpleResolvers: true, description: 'The credit records in force on a day, exactly as the feed stood at `feedCursor`: load it, then pull `creditFeed(after: feedCursor)`.' })
export class CreditListingsInForce {
  @Field({ description: 'The feed cursor this snapshot is consistent with: every entry up to it is reflected, none after it. The same on every page.' })
  feedCursor: string;
  @Field(() => DateResolver, { description: 'The day the records are in force on.' }) asOf: string;
  @Field(() => [CreditSnapshotEdge]) edges: CreditSnapshotEdge[];
  @Field(() => CreditSnapshotPageInfo) pageInfo: CreditSnapshotPageInfo;
}

@ArgsType()
export class CreditListingsInForceArgs {
  @Field(() => String, { nullable: true, description: 'The day (YYYY-MM-DD, China Standard Time) the records are in force on; today by default, never in the future.' })
  asOf?: string | null;

  @Field(() => CreditFeedFilterInput, { nullable: true }) filter?: CreditFeedFilterInput | null;

  @Field(() => Int, { nullable: true, description: `Records per page, ${FEED_DEFAULT_PAGE} by default, at most ${FEED_MAX_PAGE}.` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page of this snapshot.' }) after?: string | null;
}
