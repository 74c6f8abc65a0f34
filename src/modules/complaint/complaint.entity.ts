import { DateTimeResolver } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import type { Relation } from 'typeorm';
import { ComplaintChannel, ComplaintStatus, EnvironmentalElement } from '../../domain/codes';
import { Jurisdiction } from '../../domain/jurisdictions';
import { EnterpriseRecord } from '../dossier/sourced-record';
import { Enterprise } from '../enterprise/enterprise.entity';

@ObjectType({ description: 'The person who complained; personal data, masked by the sharing policy.' })
export class Complainant {
  @Field({ nullable: true }) name?: string;
  @Field({ nullable: true }) phone?: string;
  @Field({ nullable: true }) idNumber?: string;
}

@ObjectType({ description: 'Complaint or petition (信访举报) about an enterprise.' })
@Entity({ name: 'complaint' })
@Index('ix_complaint_owner_key', ['ownerJurisdiction', 'ticketNo'])
@Index('ix_complaint_enterprise', ['enterpriseId', 'receivedAt'])
export class Complaint extends EnterpriseRecord {
  @Field()
  @Column({ name: 'ticket_no', type: 'varchar', length: 40, unique: true })
  ticketNo: string;

  @Field(() => DateTimeResolver)
  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  @Field(() => ComplaintChannel)
  @Column({ type: 'varchar', length: 16 })
  channel: ComplaintChannel;

  @Field(() => EnvironmentalElement)
  @Column({ type: 'varchar', length: 16 })
  element: EnvironmentalElement;

  @Field()
  @Column({ type: 'text' })
  content: string;

  @Field(() => Jurisdiction)
  @Column({ name: 'handling_jurisdiction', type: 'varchar', length: 16 })
  handlingJurisdiction: Jurisdiction;

  @Field(() => ComplaintStatus)
  @Column({ type: 'varchar', length: 16 })
  status: ComplaintStatus;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  reply: string | null;

  @Field(() => DateTimeResolver, { nullable: true })
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  // Personal data: stored here, shown only through `complainant`, which the masking module fills.
  @Column({ name: 'complainant_name', type: 'varchar', length: 64, nullable: true })
  complainantName: string | null;

  @Column({ name: 'complainant_phone', type: 'varchar', length: 32, nullable: true })
  complainantPhone: string | null;

  @Column({ name: 'complainant_id_number', type: 'varchar', length: 32, nullable: true })
  complainantIdNumber: string | null;

  @Field(() => Complainant, { nullable: true, description: 'Filled by the policy after loading; masked unless the caller handles the complaint.' })
  complainant?: Complainant;

  @ManyToOne(() => Enterprise, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'enterprise_id' })
  enterprise?: Relation<Enterprise>;
}
