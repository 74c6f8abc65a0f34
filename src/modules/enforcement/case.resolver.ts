import { DateResolver, DateTimeResolver } from 'graphql-scalars';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, Field, Info, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { todayInChina } from '../../domain/calendar/days';
import { Jurisdiction } from '../../domain/jurisdictions';
import type { HubContext } from '../../graphql/context';
import { PageArgs } from '../../graphql/pagination';
import { UsccScalar } from '../../graphql/scalars';
import { computedFieldResolver, createRecordResolver } from '../dossier/record.resolver';
import type { DossierRecord } from '../dossier/record-declaration';
import { CaseState, DecisionKind, EvidenceType, RecognitionResult, SignatureStatus, TransferAttachment, TransferReceiver } from './case.codes';
import { CASE_TRANSFER, ENFORCEMENT_CASE, EVIDENCE_ITEM, EVIDENCE_RECOGNITION } from './case.records';
import { OnlineMonitoring, POSITIVE_LIST_ENTRY, PositiveListStatus } from './positive-list.record';
import { CreditScheme } from '../../domain/codes';
import { HarmLevelCode } from './enforcement.codes';
import { MeasureValueInput } from './enforcement.inputs';

@InputType({ description: 'Narrows the enforcementCases list; all given conditions must hold.' })
class EnforcementCaseFilter {
  @Field(() => Jurisdiction, { nullable: true, description: 'Owner district, or a province / ZONE for the districts it covers.' })
  jurisdiction?: Jurisdiction;

  @Field(() => DateResolver, { nullable: true, description: 'Lead received on or after this date.' })
  from?: Date;

  @Field(() => DateResolver, { nullable: true, description: 'Lead received on or before this date.' })
  to?: Date;

  @Field(() => CaseState, { nullable: true, description: 'Only cases in this state.' })
  state?: CaseState;

  @Field(() => UsccScalar, { nullable: true, description: 'Only cases about this party.' })
  uscc?: string;

  @Field({ nullable: true, description: 'Only cases with an agency deadline (filing, decision, service) that passed unmet: the overdue list.' })
  overdue?: boolean;
}

@InputType({ description: 'A lead that opens a case in the officer\'s own district (state LEAD).' })
class OpenCaseInput {
  @Field() caseNo: string;
  @Field(() => UsccScalar, { description: 'USCC of the party.' }) uscc: string;
  @Field() partyName: string;
  @Field({ description: 'What the lead is about.' }) summary: string;
  @Field({ description: 'Day the lead was received, YYYY-MM-DD: the filing deadline counts from it.' }) leadReceivedOn: string;
  @Field({ nullable: true, description: 'The violation as the discretion tables code it (AIR_LAW_99…), when known.' }) violationCode?: string;
  @Field({ nullable: true, description: 'Day the violation was committed or, if continuing, ended: the limitation counts from it.' }) violationEndedOn?: string;
  @Field({ nullable: true }) note?: string;
}

@InputType({ description: 'A factor of the discretion table with the level chosen.' })
class FactorChoiceInput {
  @Field() factor: string;
  @Field() level: string;
  @Field({ nullable: true, description: 'For a level with a percentage range: the percentage chosen.' }) percent?: string;
}

@InputType({ description: 'How the discretion ruler sets the fine: the table\'s factors with their levels.' })
class DiscretionChoiceInput {
  @Field(() => [FactorChoiceInput]) factors: FactorChoiceInput[];
  @Field({ nullable: true, description: 'A named table version; by default the one in force on the decision day for the district.' }) tableVersion?: string;
  @Field({ nullable: true, description: 'For a range set as a rate of a base (EIA law art. 31): the base in yuan.' }) baseAmount?: string;
}

@InputType({ description: 'The decision document the penalty record is written from.' })
class PenaltyDocumentInput {
  @Field() decisionNo: string;
  @Field() authorityName: string;
  @Field(() => UsccScalar) authorityUscc: string;
  @Field() content: string;
  @Field({ nullable: true }) publicityUntil?: string;
}

@InputType({ description: 'The facts of a case the minor-violation rules test for a NO_PENALTY_MINOR decision (violation code and district are the case\'s; earlier violations are the hub\'s). A fact left out is UNKNOWN, never met.' })
class MinorCaseFactsInput {
  @Field(() => String, { nullable: true, description: 'Finer conduct within the violation code, as the lists name it (HW_LABEL_MISSING…).' }) conduct?: string | null;
  @Field(() => String, { nullable: true, description: 'The day the violation was committed, YYYY-MM-DD; by default the case\'s violationEndedOn.' }) occurredOn?: string | null;
  @Field(() => DateTimeResolver) discoveredAt: Date;
  @Field(() => DateTimeResolver, { nullable: true }) correctionOrderedAt?: Date | null;
  @Field(() => DateTimeResolver, { nullable: true, description: 'When the violation was corrected; omit if it has not been.' }) correctedAt?: Date | null;
  @Field(() => HarmLevelCode, { nullable: true }) harm?: HarmLevelCode | null;
  @Field(() => [MeasureValueInput], { nullable: true }) measures?: MeasureValueInput[] | null;
  @Field(() => [String], { nullable: true, description: 'Circumstances in force (HEAVY_POLLUTION_ALERT); [] says none, omitted says it is not known.' }) circumstances?: string[] | null;
}

@InputType({ description: 'The decision of a case.' })
class DecisionInput {
  @Field(() => DecisionKind) kind: DecisionKind;
  @Field(() => MinorCaseFactsInput, { nullable: true, description: 'Required for NO_PENALTY_MINOR: the facts evaluateMinorViolation tests; the decision is refused unless a rule applies.' }) minorFacts?: MinorCaseFactsInput;
  @Field(() => DiscretionChoiceInput, { nullable: true, description: 'Required for PENALTY.' }) discretion?: DiscretionChoiceInput;
  @Field({ nullable: true, description: 'A fine other than the ruler\'s, within the legal range (yuan).' }) fineAmount?: string;
  @Field(() => PenaltyDocumentInput, { nullable: true, description: 'Required for PENALTY: the penalty record is written from it.' }) penalty?: PenaltyDocumentInput;
  @Field({ nullable: true, description: 'Required for NO_PENALTY_MINOR: the education given to the party.' }) educationNote?: string;
}

@InputType({ description: 'One step of a case\'s procedure.' })
class MoveCaseInput {
  @Field(() => CaseState) to: CaseState;
  @Field({ description: 'Day of the step, YYYY-MM-DD.' }) on: string;
  @Field({ nullable: true }) note?: string;
  @Field({ nullable: true, description: 'Sets the violation code (AIR_LAW_99…).' }) violationCode?: string;
  @Field(() => DecisionInput, { nullable: true, description: 'With to: DECIDED.' }) decision?: DecisionInput;
}

@InputType({ description: 'An approved extension of a statutory deadline.' })
class CaseExtensionInput {
  @Field({ description: 'The deadline (DECISION, FILING_DECISION).' }) timer: string;
  @Field({ description: 'Who approved it (HEAD, COLLECTIVE), as the deadline rules allow.' }) approval: string;
  @Field(() => Int) days: number;
  @Field() approvedOn: string;
  @Field() reason: string;
}

@InputType({ description: 'A period not counted in a statutory deadline.' })
class CaseSuspensionInput {
  @Field() timer: string;
  @Field() from: string;
  @Field() to: string;
  @Field() reason: string;
}

@InputType({ description: 'A transfer of a case to another district\'s bureau or to the police.' })
class TransferCaseInput {
  @Field() transferNo: string;
  @Field(() => TransferReceiver) receiver: TransferReceiver;
  @Field() receiverAgency: string;
  @Field() reasons: string;
  @Field(() => [TransferAttachment], { nullable: true }) attachments?: TransferAttachment[];
  @Field({ description: 'Day it is sent.' }) on: string;
}

@InputType({ description: 'The receiver\'s acceptance or refusal of a transfer.' })
class DecideTransferInput {
  @Field() accept: boolean;
  @Field() on: string;
  @Field({ nullable: true, description: 'Required for a refusal.' }) reason?: string;
  @Field({ nullable: true, description: 'On acceptance of a district transfer: the number of the case the receiver opens.' }) caseNo?: string;
}

@InputType({ description: 'An officer who collected evidence.' })
class OfficerInput {
  @Field() name: string;
  @Field() certificateNo: string;
}

@InputType({ description: 'An evidence item: its metadata and the SHA-256 of its content; the file stays in the district\'s store at contentUri.' })
class EvidenceInput {
  @Field() evidenceNo: string;
  @Field(() => EvidenceType) type: string;
  @Field() name: string;
  @Field() maker: string;
  @Field({ description: 'When it was made, ISO 8601 with offset.' }) madeAt: string;
  @Field() place: string;
  @Field() method: string;
  @Field() proves: string;
  @Field(() => [OfficerInput], { description: 'At least two officers, each with a certificate number.' }) collectedBy: OfficerInput[];
  @Field(() => SignatureStatus) signatureStatus: SignatureStatus;
  @Field({ nullable: true }) signatureNote?: string;
  @Field({ description: 'SHA-256 of the content: 64 hexadecimal characters.' }) sha256: string;
  @Field({ description: 'Where the content is kept in the district\'s evidence store.' }) contentUri: string;
}

@InputType({ description: 'A step of an evidence item\'s custody.' })
class CustodyInput {
  @Field() action: string;
  @Field() holder: string;
  @Field() at: string;
  @Field({ nullable: true, description: 'The content hashed again at this step; must match.' }) sha256?: string;
}

@InputType({ description: 'A receiving district\'s review of another district\'s evidence.' })
class RecognitionInput {
  @Field() recognitionNo: string;
  @Field({ description: 'The reviewing district\'s case (opened on the transfer).' }) forCaseNo: string;
  @Field() reviewer: string;
  @Field() reviewedOn: string;
  @Field(() => RecognitionResult) result: RecognitionResult;
  @Field() reasons: string;
}

@ObjectType({ description: 'Content hashed again and compared with the hash recorded at collection.' })
class EvidenceContentCheck {
  @Field() evidenceNo: string;
  @Field() storedSha256: string;
  @Field() computedSha256: string;
  @Field() matches: boolean;
}

@ObjectType({ description: 'One entry of the append-only evidence log.' })
class EvidenceLogEntry {
  @Field() seq: string;
  @Field() at: string;
  @Field() evidenceNo: string;
  @Field(() => Jurisdiction) ownerJurisdiction: string;
  @Field({ description: 'COLLECTED, CUSTODY, VERIFIED, MISMATCH, RECOGNISED, NOT_RECOGNISED.' }) action: string;
  @Field() actor: string;
  @Field(() => String, { nullable: true }) actorJurisdiction: string | null;
  @Field(() => String, { nullable: true }) sha256: string | null;
  @Field({ description: 'The entry\'s details as JSON.' }) detail: string;
}

@InputType({ description: 'A firm proposed for the positive list, with the criteria as they stand; the eligibility rules decide.' })
class ProposePositiveListInput {
  @Field() entryNo: string;
  @Field(() => UsccScalar) uscc: string;
  @Field() basis: string;
  @Field(() => CreditScheme) creditScheme: CreditScheme;
  @Field() creditLevel: string;
  @Field(() => OnlineMonitoring) onlineMonitoring: OnlineMonitoring;
  @Field({ description: 'Online-monitoring compliance rate, percent.' }) complianceRate: string;
  @Field({ description: 'The firm\'s category (the rules exclude some).' }) category: string;
  @Field({ description: 'Day of the proposal.' }) on: string;
}

/** A record after a write, as the caller may read it (through the read engine: scoped and audited). */
function readBack(ctx: HubContext, r: DossierRecord, key: string, info: GraphQLResolveInfo) {
  return ctx.read.get(r.model, key, info);
}

/**
 * Joint enforcement's GraphQL: the case list with its overdue filter, and every step of the
 * procedure as a mutation returning the record as the caller may read it. Thin: one service call
 * each; the rules are in CaseService and policy.ts.
 */
@Resolver()
class CaseResolver {
  @Query(() => ENFORCEMENT_CASE.type, { nullable: true, description: 'One enforcement case by case number; null when there is none, FORBIDDEN when the policy hides it (another district\'s case is read only under a transfer to the caller\'s district).' })
  enforcementCase(@Arg('caseNo') caseNo: string, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo) {
    return ctx.services.dossier.get(ctx, ENFORCEMENT_CASE.model, caseNo, info);
  }

  @Query(() => ENFORCEMENT_CASE.connection, { description: 'Enforcement cases, newest lead first, as far as the caller may see: its district\'s (a province\'s or ZONE\'s: all they cover), and those transferred to its district. `overdue: true` lists the cases with an agency deadline passed unmet.' })
  enforcementCases(@Arg('filter', () => EnforcementCaseFilter, { nullable: true }) filter: EnforcementCaseFilter | undefined, @Args() page: PageArgs, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo) {
    const f = filter ?? {};
    return ctx.services.dossier.list(ctx, ENFORCEMENT_CASE.model, { ...f, status: f.state }, page, info, (q) => (f.overdue === undefined || f.overdue === null ? []
      : f.overdue ? [`t.next_due_on < ${q.p(todayInChina())}::date`] : [`(t.next_due_on IS NULL OR t.next_due_on >= ${q.p(todayInChina())}::date)`]));
  }

  @Query(() => [EvidenceLogEntry], { description: 'The append-only log of one evidence item: collection, custody, content checks, reviews. For the owner\'s side and a receiver under a transfer.' })
  evidenceLog(@Arg('evidenceNo') evidenceNo: string, @Ctx() ctx: HubContext) {
    return ctx.services.cases.evidenceLog(ctx, evidenceNo).then((r) => {
      ctx.audit.returned('EVIDENCE_ITEM', [{ ownerJurisdiction: r.owner, key: evidenceNo }]);
      return r.entries;
    });
  }

  @Mutation(() => ENFORCEMENT_CASE.type, { nullable: true, description: 'Opens a case on a lead, in the officer\'s own district (ENFORCEMENT role).' })
  async openEnforcementCase(@Arg('input', () => OpenCaseInput) input: OpenCaseInput, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo) {
    return readBack(ctx, ENFORCEMENT_CASE, await ctx.services.cases.openCase(ctx, input), info);
  }

  @Mutation(() => ENFORCEMENT_CASE.type, { nullable: true, description: 'Moves a case one step through its procedure (a decision with its penalty record, discretion working and table version). Every step is recorded in `transitions` and the change log; the deadlines are computed again.' })
  async moveEnforcementCase(@Arg('input', () => MoveCaseInput) input: MoveCaseInput, @Arg('caseNo') caseNo: string, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo) {
    return readBack(ctx, ENFORCEMENT_CASE, await ctx.services.cases.moveCase(ctx, caseNo, input), info);
  }

  @Mutation(() => ENFORCEMENT_CASE.type, { nullable: true, description: 'Records an approved extension of a case\'s deadline, within what the deadline rules allow.' })
  async recordCaseExtension(@Arg('input', () => CaseExtensionInput) input: CaseExtensionInput, @Arg('caseNo') caseNo: string, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo) {
    return readBack(ctx, ENFORCEMENT_CASE, await ctx.services.cases.recordExtension(ctx, caseNo, input), info);
  }

  @Mutation(() => ENFORCEMENT_CASE.type, { nullable: true, description: 'Records a period not counted in a case\'s deadline (suspension, testing, assessment).' })
  async recordCaseSuspension(@Arg('input', () => CaseSuspensionInput) input: CaseSuspensionInput, @Arg('caseNo') caseNo: string, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo) {
    return readBack(ctx, ENFORCEMENT_CASE, await ctx.services.cases.recordSuspension(ctx, caseNo, input), info);
  }

  @Mutation(() => CASE_TRANSFER.type, { nullable: true, description: 'Transfers a case to another district\'s bureau or to the police (with the mandatory attachments). Not to its own district, and never a second time.' })
  async transferEnforcementCase(@Arg('input', () => TransferCaseInput) input: TransferCaseInput, @Arg('caseNo') caseNo: string, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo) {
    return readBack(ctx, CASE_TRANSFER, await ctx.services.cases.transferCase(ctx, caseNo, input), info);
  }

  @Mutation(() => CASE_TRANSFER.type, { nullable: true, description: 'The receiving district signs for a transfer (for the police, the sender records their receipt).' })
  async receiveCaseTransfer(@Arg('on') on: string, @Arg('transferNo') transferNo: string, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo) {
    return readBack(ctx, CASE_TRANSFER, await ctx.services.cases.receiveTransfer(ctx, transferNo, on), info);
  }

  @Mutation(() => CASE_TRANSFER.type, { nullable: true, description: 'The receiving district accepts a transfer (opening its own case on it) or refuses it with reasons.' })
  async decideCaseTransfer(@Arg('input', () => DecideTransferInput) input: DecideTransferInput, @Arg('transferNo') transferNo: string, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo) {
    return readBack(ctx, CASE_TRANSFER, await ctx.services.cases.decideTransfer(ctx, transferNo, input), info);
  }

  @Mutation(() => EVIDENCE_ITEM.type, { nullable: true, description: 'Records an evidence item of a case: two or more officers, the SHA-256 of its content; logged in the append-only evidence log.' })
  async addEvidenceItem(@Arg('input', () => EvidenceInput) input: EvidenceInput, @Arg('caseNo') caseNo: string, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo) {
    return readBack(ctx, EVIDENCE_ITEM, await ctx.services.cases.addEvidence(ctx, caseNo, input), info);
  }

  @Mutation(() => EVIDENCE_ITEM.type, { nullable: true, description: 'Appends a custody step to an evidence item; a hash given must match the one recorded at collection.' })
  async recordEvidenceCustody(@Arg('input', () => CustodyInput) input: CustodyInput, @Arg('evidenceNo') evidenceNo: string, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo) {
    return readBack(ctx, EVIDENCE_ITEM, await ctx.services.cases.recordCustody(ctx, evidenceNo, input), info);
  }

  @Mutation(() => EvidenceContentCheck, { description: 'Hashes the content again (base64) and compares it with the hash recorded at collection; the outcome is logged.' })
  verifyEvidenceContent(@Arg('contentBase64') contentBase64: string, @Arg('evidenceNo') evidenceNo: string, @Ctx() ctx: HubContext) {
    return ctx.services.cases.verifyContent(ctx, evidenceNo, contentBase64);
  }

  @Mutation(() => EVIDENCE_RECOGNITION.type, { nullable: true, description: 'A receiving district reviews another district\'s evidence for its own case: ACCEPTED items count as its evidence.' })
  async reviewEvidenceItem(@Arg('input', () => RecognitionInput) input: RecognitionInput, @Arg('evidenceNo') evidenceNo: string, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo) {
    return readBack(ctx, EVIDENCE_RECOGNITION, await ctx.services.cases.reviewEvidence(ctx, evidenceNo, input), info);
  }
}

/** The positive list's steps: thin, one service call each; removal by a penalty needs no call (positive-list.events.ts). */
@Resolver()
class PositiveListResolver {
  @Mutation(() => POSITIVE_LIST_ENTRY.type, { nullable: true, description: 'Proposes a firm for the positive list: refused, naming the rule, when the eligibility rules do not admit it.' })
  async proposePositiveListEntry(@Arg('input', () => ProposePositiveListInput) input: ProposePositiveListInput, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo) {
    return readBack(ctx, POSITIVE_LIST_ENTRY, await ctx.services.positiveList.propose(ctx, input), info);
  }

  @Mutation(() => POSITIVE_LIST_ENTRY.type, { nullable: true, description: 'Moves an entry: PROPOSED → PUBLICISED → ACTIVE (valid for the rules\' years), or REMOVED with a reason.' })
  async movePositiveListEntry(
    @Arg('reason', () => String, { nullable: true }) reason: string | null, @Arg('on') on: string, @Arg('to', () => PositiveListStatus) to: PositiveListStatus,
    @Arg('entryNo') entryNo: string, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo,
  ) {
    return readBack(ctx, POSITIVE_LIST_ENTRY, await ctx.services.positiveList.move(ctx, entryNo, to, on, reason), info);
  }
}

/** The schema's resolvers of joint enforcement's records. */
export const caseResolvers: Function[] = [
  CaseResolver,
  computedFieldResolver(ENFORCEMENT_CASE),
  ...createRecordResolver(CASE_TRANSFER),
  ...createRecordResolver(EVIDENCE_ITEM),
  ...createRecordResolver(EVIDENCE_RECOGNITION),
  PositiveListResolver,
  ...createRecordResolver(POSITIVE_LIST_ENTRY),
];
