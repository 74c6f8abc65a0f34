import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Jurisdiction } from '../../domain/jurisdictions';

/**
 * Columns every shared record carries: its owner district (the policy's anchor), where it came
 * from (source system, record id and as-of time) and when the hub stored and last changed it.
 */
// Decorated so subclasses inherit the fields; never referenced, so it is not emitted in the schema.
@ObjectType()
export abstract class SourcedRecord {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => Jurisdiction, { description: 'The district that owns the record and decides who else may read it.' })
  @Column({ name: 'owner_jurisdiction', type: 'varchar', length: 16 })
  ownerJurisdiction: Jurisdiction;

  @Field({ description: 'The system the record was taken from.' })
  @Column({ name: 'source_system', type: 'varchar', length: 64 })
  sourceSystem: string;

  @Field({ description: 'The record id in the source system.' })
  @Column({ name: 'source_record_id', type: 'varchar', length: 64 })
  sourceRecordId: string;

  @Field(() => DateTimeResolver, { description: 'When the source system last changed the record.' })
  @Column({ name: 'source_as_of', type: 'timestamptz' })
  sourceAsOf: Date;

  @Field(() => DateTimeResolver)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => DateTimeResolver)
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * A dossier record that its source can withdraw (revoked or corrected at the source): the row is
 * kept with when and why, lists leave it out, and a lookup by key still finds it, so a partner
 * holding the key learns that it was withdrawn instead of meeting a silent null.
 */
@ObjectType()
export abstract class WithdrawableRecord extends SourcedRecord {
  @Field(() => DateTimeResolver, { nullable: true, description: 'When the record was withdrawn at its source (revoked or corrected); null while it stands.' })
  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true })
  withdrawnAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the record was withdrawn, as its source stated it.' })
  @Column({ name: 'withdrawal_reason', type: 'text', nullable: true })
  withdrawalReason: string | null;
}

/** A dossier record that belongs to one enterprise. */
@ObjectType()
export abstract class EnterpriseRecord extends WithdrawableRecord {
  @Column({ name: 'enterprise_id', type: 'uuid' })
  enterpriseId: string;
}
