import { DateResolver } from 'graphql-scalars';
import { Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import type { Relation } from 'typeorm';
import { CreditScheme } from '../../domain/codes';
import { EnterpriseRecord } from '../dossier/sourced-record';
import { Enterprise } from '../enterprise/enterprise.entity';

export enum CreditRecordKind {
  EVALUATION = 'EVALUATION', // 环境信用评价结果
  LISTING = 'LISTING', // 严重失信名单认定
}

/**
 * A credit record: either an environmental credit evaluation (scheme + level, not one forced enum
 * across provinces) or a serious-dishonesty listing with its decision and validity.
 */
@ObjectType({ description: 'Environmental credit record (环境信用): an evaluation result or a serious-dishonesty listing.' })
@Entity({ name: 'credit_record' })
@Index('ix_credit_owner_key', ['ownerJurisdiction', 'recordNo'])
@Index('ix_credit_enterprise', ['enterpriseId', 'kind', 'effectiveOn'])
export class CreditRecord extends EnterpriseRecord {
  @Field({ description: 'Record number: the evaluation or listing decision document number.' })
  @Column({ name: 'record_no', type: 'varchar', length: 64, unique: true })
  recordNo: string;

  @Field(() => CreditRecordKind)
  @Column({ type: 'varchar', length: 16 })
  kind: CreditRecordKind;

  @Field(() => DateResolver, { description: 'Evaluation date or listing date.' })
  @Column({ name: 'effective_on', type: 'date' })
  effectiveOn: string;

  @Field()
  @Column({ type: 'varchar', length: 100 })
  issuer: string;

  @Field(() => CreditScheme, { nullable: true })
  @Column({ type: 'varchar', length: 16, nullable: true })
  scheme: CreditScheme | null;

  @Field(() => String, { nullable: true, description: 'Level code within the scheme (GREEN, BLUE, … or A–E).' })
  @Column({ type: 'varchar', length: 16, nullable: true })
  level: string | null;

  @Field(() => Int, { nullable: true })
  @Column({ name: 'evaluation_year', type: 'int', nullable: true })
  evaluationYear: number | null;

  @Field(() => String, { nullable: true })
  @Column({ name: 'listing_reason', type: 'text', nullable: true })
  listingReason: string | null;

  @Field(() => String, { nullable: true })
  @Column({ name: 'listing_legal_basis', type: 'text', nullable: true })
  listingLegalBasis: string | null;

  @Field(() => DateResolver, { nullable: true })
  @Column({ name: 'valid_until', type: 'date', nullable: true })
  validUntil: string | null;

  @Field(() => DateResolver, { nullable: true, description: 'When the listing was removed (credit repair or decision).' })
  @Column({ name: 'removed_on', type: 'date', nullable: true })
  removedOn: string | null;

  @ManyToOne(() => Enterprise, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'enterprise_id' })
  enterprise?: Relation<Enterprise>;
}
