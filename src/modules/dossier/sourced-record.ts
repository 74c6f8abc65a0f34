import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Jurisdiction } from '../../domain/jurisdictions';

/**
 * Columns a shared record kept as a TypeORM entity carries (a monitoring station): its owner
 * district (the policy's anchor), where it came from (source system, record id and as-of time) and
 * when the hub stored and last changed it. Dossier record types are declared instead
 * (record-declaration.ts, SOURCED_FIELDS).
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
