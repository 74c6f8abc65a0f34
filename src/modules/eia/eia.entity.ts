import { DateResolver } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import type { Relation } from 'typeorm';
import { EiaDecision, EiaDocumentType } from '../../domain/codes';
import { EnterpriseRecord } from '../dossier/sourced-record';
import { Enterprise } from '../enterprise/enterprise.entity';

@ObjectType({ description: 'EIA approval (环评审批): the decision on a project\'s environmental impact assessment.' })
@Entity({ name: 'eia_approval' })
@Index('ix_eia_owner_key', ['ownerJurisdiction', 'approvalNo'])
@Index('ix_eia_enterprise', ['enterpriseId', 'decisionDate'])
export class EiaApproval extends EnterpriseRecord {
  @Field({ description: 'Approval document number (批复文号).' })
  @Column({ name: 'approval_no', type: 'varchar', length: 64, unique: true })
  approvalNo: string;

  @Field()
  @Column({ name: 'project_name', type: 'varchar', length: 200 })
  projectName: string;

  @Field(() => EiaDocumentType)
  @Column({ name: 'document_type', type: 'varchar', length: 24 })
  documentType: EiaDocumentType;

  @Field(() => EiaDecision)
  @Column({ type: 'varchar', length: 32 })
  decision: EiaDecision;

  @Field(() => DateResolver)
  @Column({ name: 'decision_date', type: 'date' })
  decisionDate: string;

  @Field()
  @Column({ name: 'approving_authority', type: 'varchar', length: 100 })
  approvingAuthority: string;

  @ManyToOne(() => Enterprise, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'enterprise_id' })
  enterprise?: Relation<Enterprise>;
}
