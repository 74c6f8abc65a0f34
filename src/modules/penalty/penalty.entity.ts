import { DateResolver } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import type { Relation } from 'typeorm';
import { PenaltyCategory, PenaltyStatus } from '../../domain/codes';
import { DecimalScalar, UsccScalar } from '../../graphql/scalars';
import { EnterpriseRecord } from '../dossier/sourced-record';
import { Enterprise } from '../enterprise/enterprise.entity';

/** Administrative penalty decision (行政处罚决定), fields after the national 双公示 standard (CF_*). */
@ObjectType({ description: 'Administrative penalty decision (行政处罚), after the national 双公示 data items.' })
@Entity({ name: 'penalty' })
@Index('ix_penalty_owner_key', ['ownerJurisdiction', 'decisionNo'])
@Index('ix_penalty_enterprise', ['enterpriseId', 'decisionDate'])
@Index('ix_penalty_owner_date', ['ownerJurisdiction', 'decisionDate'])
export class Penalty extends EnterpriseRecord {
  @Field({ description: 'Decision document number (CF_WSH, 行政处罚决定书文号).' })
  @Column({ name: 'decision_no', type: 'varchar', length: 64, unique: true })
  decisionNo: string;

  @Field({ description: 'Type of violation (CF_WFXW).' })
  @Column({ name: 'violation_type', type: 'varchar', length: 200 })
  violationType: string;

  @Field({ description: 'Facts of the violation (CF_SY).' })
  @Column({ type: 'text' })
  facts: string;

  @Field({ description: 'Legal basis of the penalty (CF_YJ).' })
  @Column({ name: 'legal_basis', type: 'text' })
  legalBasis: string;

  @Field(() => [PenaltyCategory], { description: 'Penalty categories (CF_CFLB), Administrative Penalty Law Art. 9.' })
  @Column({ type: 'text', array: true })
  categories: PenaltyCategory[];

  @Field({ description: 'Content of the penalty (CF_NR).' })
  @Column({ type: 'text' })
  content: string;

  @Field(() => DecimalScalar, { description: 'Fine in CNY yuan (CF_NR_FK is in 10k yuan; the hub stores yuan).' })
  @Column({ name: 'fine_amount', type: 'numeric', precision: 16, scale: 2, default: 0 })
  fineAmount: string;

  @Field(() => DecimalScalar, { description: 'Confiscated illegal gains and property in CNY yuan (CF_NR_WFFF).' })
  @Column({ name: 'confiscation_amount', type: 'numeric', precision: 16, scale: 2, default: 0 })
  confiscationAmount: string;

  @Field(() => DateResolver, { description: 'Decision date (CF_JDRQ).' })
  @Column({ name: 'decision_date', type: 'date' })
  decisionDate: string;

  @Field({ description: 'Penalising authority (CF_CFJG).' })
  @Column({ name: 'authority_name', type: 'varchar', length: 100 })
  authorityName: string;

  @Field(() => UsccScalar, { description: 'USCC of the penalising authority (CF_CFJGDM).' })
  @Column({ name: 'authority_uscc', type: 'varchar', length: 18 })
  authorityUscc: string;

  @Field(() => DateResolver, { nullable: true, description: 'End of the publicity period (CF_GSJZQ).' })
  @Column({ name: 'publicity_until', type: 'date', nullable: true })
  publicityUntil: string | null;

  @Field(() => PenaltyStatus)
  @Column({ type: 'varchar', length: 16 })
  status: PenaltyStatus;

  @ManyToOne(() => Enterprise, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'enterprise_id' })
  enterprise?: Relation<Enterprise>;
}
