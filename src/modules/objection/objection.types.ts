import { DateResolver, DateTimeResolver, JSONObjectResolver } from 'graphql-scalars';
import { ArgsType, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { RecordType } from '../../auth/policy';
import { Jurisdiction } from '../../domain/jurisdictions';
import { connectionType } from '../../graphql/pagination';
import { ObjectionOutcome, ObjectionStatus, ObjectionStepKind } from './objection.model';

registerEnumType(ObjectionStatus, {
  name: 'ObjectionStatus',
  description: 'Where a data objection stands: RAISED (waiting for the owner), FLAGGED (accepted; the record shows underObjection), VERIFYING (the owner checks it; still flagged), ARCHIVED (resolved, flag removed, kept).',
});
registerEnumType(ObjectionOutcome, { name: 'ObjectionOutcome', description: 'How an objection was resolved: CORRECTED (the corrected record was written) or REJECTED (the record stands, with reasons).' });
registerEnumType(ObjectionStepKind, { name: 'ObjectionStepKind', description: 'One kept step of an objection: RAISED, ACCEPTED, FLAGGED, VERIFYING, CORRECTED or REJECTED, FLAG_REMOVED, ARCHIVED.' });

@ObjectType('ObjectionStep', { description: 'One step of an objection\'s history: what happened, who did it and when. Steps are never changed or removed.' })
export class ObjectionStep {
  @Field(() => ObjectionStepKind) step: ObjectionStepKind;
  @Field({ description: 'The principal (`sub`) who took the step.' }) actor: string;
  @Field(() => String, { nullable: true }) actorOrg: string | null;
  @Field(() => Jurisdiction, { nullable: true }) actorJurisdiction: Jurisdiction | null;
  @Field(() => DateTimeResolver) at: Date;
  @Field(() => String, { nullable: true, description: 'The reason or note given with the step.' }) note: string | null;
}

@ObjectType('DataObjection', { description: 'A data objection (数据异议): a reader\'s dispute of fields of one dossier record, handled by the data steward of the district that owns it.' })
export class DataObjection {
  @Field(() => ID) id: string;
  @Field(() => RecordType) recordType: RecordType;
  @Field({ description: 'The record\'s natural key (a penalty\'s decisionNo, an enterprise\'s USCC, …).' }) key: string;
  @Field(() => Jurisdiction, { description: 'The district that owns the record and handles the objection.' }) ownerJurisdiction: Jurisdiction;
  @Field(() => [String], { description: 'The disputed fields, by their output names.' }) fields: string[];
  @Field() reason: string;
  @Field(() => [String], { description: 'Evidence references (document numbers, links) as the raiser gave them.' }) evidence: string[];
  @Field(() => ObjectionStatus) status: ObjectionStatus;
  @Field(() => ObjectionOutcome, { nullable: true }) outcome: ObjectionOutcome | null;
  @Field(() => String, { nullable: true, description: 'Why the owner corrected or rejected.' }) resolutionReason: string | null;
  @Field() raisedBy: string;
  @Field(() => String, { nullable: true }) raisedByOrg: string | null;
  @Field(() => Jurisdiction, { nullable: true }) raisedByJurisdiction: Jurisdiction | null;
  @Field(() => DateTimeResolver) raisedAt: Date;
  @Field(() => DateTimeResolver, { nullable: true }) acceptedAt: Date | null;
  @Field(() => DateTimeResolver, { nullable: true }) resolvedAt: Date | null;
  @Field(() => DateResolver, { nullable: true, description: 'Last day to verify, where the owner district configured a deadline (objection-rules.json); null otherwise.' })
  verifyDueOn: string | null;
  @Field(() => [ObjectionStep], { description: 'Every step so far, oldest first.' }) history: ObjectionStep[];
}

export const DataObjectionConnection = connectionType(DataObjection, 'DataObjection');

@InputType('ObjectionFilter', { description: 'Narrows the objections list; all given conditions must hold. The list holds only what the caller may see.' })
export class ObjectionFilter {
  @Field(() => ObjectionStatus, { nullable: true }) status?: ObjectionStatus;
  @Field(() => RecordType, { nullable: true }) recordType?: RecordType;
  @Field(() => String, { nullable: true, description: 'The record\'s natural key.' }) key?: string;
  @Field(() => Boolean, { nullable: true, description: 'Only objections the caller raised.' }) raisedByMe?: boolean;
  @Field(() => Boolean, { nullable: true, description: 'Only objections to records of the caller\'s district(s).' }) toMyDistrict?: boolean;
}

@ArgsType()
export class RaiseObjectionArgs {
  @Field(() => RecordType, { description: 'A dossier record type (not MONITORING).' }) recordType: RecordType;
  @Field({ description: 'The record\'s natural key.' }) key: string;
  @Field(() => [String], { description: 'The disputed fields, by their output names (`fineAmount`, `sourceAsOf`).' }) fields: string[];
  @Field({ description: 'What is wrong, in the raiser\'s words.' }) reason: string;
  @Field(() => [String], { nullable: true, description: 'References to the evidence (document numbers, links).' }) evidence?: string[] | null;
}

@ArgsType()
export class ObjectionStepArgs {
  @Field(() => ID) id: string;
  @Field(() => String, { nullable: true, description: 'A note kept with the step.' }) note?: string | null;
}

@ArgsType()
export class ResolveObjectionArgs {
  @Field(() => ID) id: string;
  @Field(() => ObjectionOutcome) outcome: ObjectionOutcome;
  @Field({ description: 'Why the record was corrected, or why it stands.' }) reason: string;
  @Field(() => JSONObjectResolver, { nullable: true, description: 'With CORRECTED: the corrected record, whole, as its type\'s upsert input (same key, a newer asOf), written through the normal write path.' })
  corrected?: Record<string, unknown> | null;
}
