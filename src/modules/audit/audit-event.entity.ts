import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Jurisdiction } from '../../domain/jurisdictions';

/**
 * One line of the append-only audit log: one request's reads of one record type owned by one
 * district. A trigger rejects UPDATE, DELETE and TRUNCATE (migration Audit1796000000000).
 */
@ObjectType({ description: 'Who read which district\'s records, when, for what purpose, and what was masked or denied.' })
@Entity({ name: 'audit_event' })
@Index('ix_audit_owner_at', ['ownerJurisdiction', 'at'])
@Index('ix_audit_reader_at', ['jurisdiction', 'at'])
export class AuditEvent {
  @Field(() => ID)
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Field(() => DateTimeResolver)
  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;

  @Field()
  @Column({ name: 'request_id', type: 'varchar', length: 64 })
  requestId: string;

  @Field()
  @Column({ type: 'varchar', length: 128 })
  sub: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 64, nullable: true })
  org: string | null;

  @Field(() => Jurisdiction, { nullable: true, description: 'The reader\'s jurisdiction; null for the public.' })
  @Column({ type: 'varchar', length: 16, nullable: true })
  jurisdiction: Jurisdiction | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 32, nullable: true })
  purpose: string | null;

  @Field(() => String, { nullable: true })
  @Column({ name: 'operation_name', type: 'varchar', length: 128, nullable: true })
  operationName: string | null;

  @Field({ description: 'Record type read (ENTERPRISE, PENALTY, …).' })
  @Column({ name: 'resource_type', type: 'varchar', length: 32 })
  resourceType: string;

  @Field(() => Jurisdiction)
  @Column({ name: 'owner_jurisdiction', type: 'varchar', length: 16 })
  ownerJurisdiction: Jurisdiction;

  @Field(() => Int)
  @Column({ name: 'record_count', type: 'int' })
  recordCount: number;

  @Field({ description: 'Some field of these records was masked for the reader.' })
  @Column({ type: 'boolean' })
  masked: boolean;

  @Field({ description: 'The reader asked for a record of this owner that the policy hid.' })
  @Column({ type: 'boolean' })
  denied: boolean;

  @Field(() => [String], { description: 'Natural keys of the records released or refused (a decision number, a ticket number, a station code, a USCC).' })
  @Column({ name: 'record_keys', type: 'text', array: true, default: () => "'{}'" })
  recordKeys: string[];

  @Field(() => String, { nullable: true, description: 'The sharing grant (a sharing application\'s id) these records were read through; null when none was needed.' })
  @Column({ name: 'grant_id', type: 'uuid', nullable: true })
  grantId: string | null;
}
