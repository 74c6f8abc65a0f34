import { DateResolver, DateTimeResolver } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import type { Relation } from 'typeorm';
import { InspectionOutcome, InspectionStatus, InspectionStep, InspectionType } from '../../domain/codes';
import { Jurisdiction } from '../../domain/jurisdictions';
import { EnterpriseRecord } from '../dossier/sourced-record';
import { Enterprise } from '../enterprise/enterprise.entity';

@ObjectType({ description: 'One of the eight on-site steps, with the time it was done.' })
export class InspectionStepRecord {
  @Field(() => InspectionStep) step: InspectionStep;
  @Field(() => DateTimeResolver) at: string;
}

@ObjectType({ description: 'Enforcement inspection (执法检查) with the eight-step on-site procedure.' })
@Entity({ name: 'inspection' })
@Index('ix_inspection_owner_key', ['ownerJurisdiction', 'inspectionNo'])
@Index('ix_inspection_enterprise', ['enterpriseId', 'inspectedOn'])
export class Inspection extends EnterpriseRecord {
  @Field()
  @Column({ name: 'inspection_no', type: 'varchar', length: 40, unique: true })
  inspectionNo: string;

  @Field(() => DateResolver)
  @Column({ name: 'inspected_on', type: 'date' })
  inspectedOn: string;

  @Field(() => InspectionType)
  @Column({ type: 'varchar', length: 24 })
  type: InspectionType;

  @Field()
  @Column({ name: 'lead_agency', type: 'varchar', length: 100 })
  leadAgency: string;

  @Field(() => [Jurisdiction], { description: 'For joint cross-border inspections, the districts taking part.' })
  @Column({ name: 'joint_jurisdictions', type: 'text', array: true, default: () => "'{}'" })
  jointJurisdictions: Jurisdiction[];

  @Field(() => [InspectionStepRecord])
  @Column({ type: 'jsonb', default: () => "'[]'" })
  steps: InspectionStepRecord[];

  @Field(() => InspectionOutcome)
  @Column({ type: 'varchar', length: 32 })
  outcome: InspectionOutcome;

  @Field(() => InspectionStatus)
  @Column({ type: 'varchar', length: 16 })
  status: InspectionStatus;

  // Enforcement-sensitive: stored here, shown only through `findings`, which the masking module fills.
  @Column({ name: 'findings', type: 'text', nullable: true })
  findingsText: string | null;

  @Field(() => String, { nullable: true, description: 'What the inspectors found; visible with the ENFORCEMENT role only.' })
  findings?: string;

  @ManyToOne(() => Enterprise, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'enterprise_id' })
  enterprise?: Relation<Enterprise>;
}
