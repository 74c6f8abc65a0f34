import { DateResolver, DateTimeResolver } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { Jurisdiction } from '../../domain/jurisdictions';

/** Where a repair application stands. */
export enum CreditRepairStatus {
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
}

@ObjectType({ description: 'An application for credit repair (信用修复): early end of the publicity of a listing or penalty, made by the firm\'s regulator.' })
export class CreditRepairApplication {
  @Field(() => ID) id: string;
  @Field({ description: 'The record\'s number: a listing\'s record number or a penalty\'s decision number.' }) recordNo: string;
  @Field({ description: 'LISTING or PENALTY.' }) recordKind: string;
  @Field() uscc: string;
  @Field(() => Jurisdiction, { description: 'The district that owns the record, whose steward decides.' }) ownerJurisdiction: Jurisdiction;
  @Field({ description: 'What the firm did to correct its conduct (整改), as the regulator states it.' }) evidence: string;
  @Field(() => CreditRepairStatus) status: CreditRepairStatus;
  @Field() appliedBy: string;
  @Field(() => DateTimeResolver) appliedAt: string;
  @Field(() => String, { nullable: true }) decidedBy: string | null;
  @Field(() => DateTimeResolver, { nullable: true }) decidedAt: string | null;
  @Field(() => String, { nullable: true, description: 'The steward\'s reasons.' }) decisionReason: string | null;
  @Field(() => DateResolver, { nullable: true, description: 'On approval: the day publicity ended (a listing\'s removedOn).' }) repairedOn: string | null;
}
