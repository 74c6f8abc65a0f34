import 'reflect-metadata';
import { DateResolver, DateTimeResolver } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Jurisdiction } from '../../domain/jurisdictions';

/** The states of a sharing application (reference/sharing.md §7). */
export enum SharingStatus {
  SUBMITTED = 'SUBMITTED',
  UNDER_REVIEW = 'UNDER_REVIEW',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  NEGOTIATION = 'NEGOTIATION',
  COORDINATION = 'COORDINATION',
  FINAL_REJECTED = 'FINAL_REJECTED',
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  EXPIRED = 'EXPIRED',
  REVOKED = 'REVOKED',
}

export enum SharingKind {
  APPLICATION = 'APPLICATION',
  FRAMEWORK = 'FRAMEWORK',
}

/** Which applications a list shows: the caller's agency's own, or those addressed to the caller's jurisdiction. */
export enum SharingScope {
  MINE = 'MINE',
  TO_MY_DISTRICT = 'TO_MY_DISTRICT',
}

registerEnumType(SharingStatus, { name: 'SharingStatus', description: 'SUBMITTED → UNDER_REVIEW → APPROVED | REJECTED → (NEGOTIATION → COORDINATION by ZONE) → ACTIVE → EXPIRED | SUSPENDED | REVOKED.' });
registerEnumType(SharingKind, { name: 'SharingKind', description: 'APPLICATION, or FRAMEWORK: a standing arrangement carried over as a grant when applications began.' });
registerEnumType(SharingScope, { name: 'SharingScope', description: 'MINE: applications of your agency; TO_MY_DISTRICT: applications for data your jurisdiction provides.' });

@ObjectType({ description: 'One change of state of a sharing application: who made it, when, and why.' })
export class SharingTransition {
  @Field(() => SharingStatus, { nullable: true }) from: SharingStatus | null;
  @Field(() => SharingStatus) to: SharingStatus;
  @Field({ description: 'The acting principal (`sub`), or `system:…` for activation and expiry.' }) by: string;
  @Field(() => String, { nullable: true }) byOrg: string | null;
  @Field(() => Jurisdiction, { nullable: true }) byJurisdiction: Jurisdiction | null;
  @Field(() => String, { nullable: true, description: 'The reason or note given.' }) note: string | null;
  @Field(() => DateTimeResolver) at: Date;
}

@ObjectType({ description: 'An application for conditional data (共享申请), and once ACTIVE the grant it became: the grantee agency reads the granted items of the granted districts\' records within the period, without X-Purpose.' })
export class SharingApplication {
  @Field(() => ID) id: string;
  @Field(() => SharingKind) kind: SharingKind;
  @Field({ description: 'The catalog resource applied for (e.g. 211014/0001).' }) resourceCode: string;
  @Field({ description: 'The applying agency (its token `org`); the grant is to this agency only.' }) applicantOrg: string;
  @Field(() => Jurisdiction) applicantJurisdiction: Jurisdiction;
  @Field({ description: 'Who submitted it.' }) applicantSub: string;
  @Field(() => Jurisdiction, { description: 'Who answers: the district whose data is asked for, or ZONE for several districts.' }) providerJurisdiction: Jurisdiction;
  @Field(() => [String], { nullable: true, description: 'Data items (信息项) applied for, by field name; null for every item (framework grants).' }) requestedItems: string[] | null;
  @Field(() => [Jurisdiction], { description: 'Districts whose records are applied for.' }) requestedDistricts: Jurisdiction[];
  @Field({ description: 'The purpose (用途), one the resource lists.' }) purpose: string;
  @Field({ description: 'The application scenario (应用场景).' }) scenario: string;
  @Field({ description: 'The duty that justifies the use (职责依据).' }) legalBasis: string;
  @Field() contact: string;
  @Field({ description: 'The applicant\'s commitment to lawful use, as signed.' }) commitment: string;
  @Field(() => [String], { nullable: true, description: 'Items granted (after a partial approval, fewer than applied for); null before a grant, or every item.' }) grantedItems: string[] | null;
  @Field(() => [Jurisdiction], { nullable: true, description: 'Districts granted; null before a grant.' }) grantedDistricts: Jurisdiction[] | null;
  @Field(() => DateResolver, { description: 'First day of the grant (as applied for until approved).' }) validFrom: string;
  @Field(() => DateResolver, { nullable: true, description: 'Last day of the grant (as applied for until approved); null for an open-ended framework grant.' }) validTo: string | null;
  @Field(() => SharingStatus) status: SharingStatus;
  @Field(() => String, { nullable: true, description: 'Reason of the last decision (required for a rejection, suspension or revocation).' }) decisionReason: string | null;
  @Field(() => String, { nullable: true }) decidedBy: string | null;
  @Field(() => DateTimeResolver, { nullable: true }) decidedAt: Date | null;
  @Field(() => DateTimeResolver) submittedAt: Date;
  @Field(() => DateResolver, { nullable: true, description: 'Last day for the provider\'s answer: the configured working days after submission, on the official calendar (weekends, holidays, 调休).' }) dueAt: string | null;
  @Field({ description: 'Awaiting an answer past dueAt.' }) overdue: boolean;
  @Field(() => [SharingTransition], { description: 'Every change of state, oldest first.' }) history: SharingTransition[];
}

@InputType({ description: 'An application for a conditional catalog resource.' })
export class ApplyForSharingInput {
  @Field({ description: 'Catalog resource code, e.g. 211014/0001.' }) resourceCode: string;
  @Field(() => [String], { description: 'Data items wanted, by the field names the catalog lists.' }) items: string[];
  @Field(() => [Jurisdiction], { description: 'Districts whose records are wanted (outside your own jurisdiction).' }) districts: Jurisdiction[];
  @Field({ description: 'Purpose (用途): one the resource lists.' }) purpose: string;
  @Field({ description: 'Application scenario (应用场景).' }) scenario: string;
  @Field({ description: 'The duty that needs the data (职责依据).' }) legalBasis: string;
  @Field({ description: 'Contact person and phone.' }) contact: string;
  @Field({ description: 'Commitment to lawful use: used only for the stated duty, within scope and period, never passed on.' }) commitment: string;
  @Field(() => DateResolver, { description: 'First day wanted (today or later).' }) validFrom: string | Date;
  @Field(() => DateResolver, { description: 'Last day wanted; at most the configured maximum period after validFrom.' }) validTo: string | Date;
}

@InputType({ description: 'An approval, in full or in part: fewer items, fewer districts or a shorter period than applied for.' })
export class ApproveSharingInput {
  @Field(() => [String], { nullable: true, description: 'Items granted (a subset of those applied for); all when omitted.' }) items?: string[] | null;
  @Field(() => [Jurisdiction], { nullable: true, description: 'Districts granted (a subset); all when omitted.' }) districts?: Jurisdiction[] | null;
  @Field(() => DateResolver, { nullable: true, description: "Last day granted (not after the one applied for)." }) validTo?: string | Date | null;
  @Field(() => String, { nullable: true, description: 'Why less was granted, or a note.' }) note?: string | null;
}

@InputType({ description: 'Narrows a list of sharing applications.' })
export class SharingApplicationFilter {
  @Field(() => SharingScope, { nullable: true, description: 'MINE or TO_MY_DISTRICT; both when omitted.' }) scope?: SharingScope | null;
  @Field(() => SharingStatus, { nullable: true }) status?: SharingStatus | null;
  @Field(() => String, { nullable: true }) resourceCode?: string | null;
  @Field(() => SharingKind, { nullable: true }) kind?: SharingKind | null;
}

@ObjectType({ description: 'A read of conditional data under the EMERGENCY purpose, without a grant, listed for the owner to review.' })
export class EmergencyRead {
  @Field(() => ID) auditEventId: string;
  @Field(() => DateTimeResolver) at: Date;
  @Field() sub: string;
  @Field(() => String, { nullable: true }) org: string | null;
  @Field(() => Jurisdiction, { nullable: true }) jurisdiction: Jurisdiction | null;
  @Field() resourceType: string;
  @Field(() => Jurisdiction) ownerJurisdiction: Jurisdiction;
  @Field(() => Int) recordCount: number;
  @Field(() => [String]) recordKeys: string[];
  @Field(() => String, { nullable: true }) operationName: string | null;
}
