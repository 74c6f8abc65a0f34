import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One committed change of a shared record (migration ChangeLog1796100000000). */
@Entity({ name: 'change_log' })
@Index('ix_change_log_type_seq', ['recordType', 'seq'])
@Index('ix_change_log_key', ['recordType', 'recordKey', 'seq'])
export class ChangeLogEntry {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  seq: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;

  @Column({ name: 'record_type', type: 'varchar', length: 32 })
  recordType: string;

  @Column({ name: 'record_key', type: 'varchar', length: 64 })
  recordKey: string;

  /** INSERTED, UPDATED, WITHDRAWN; for credit records also LISTED, REMOVED, EVALUATED, OBJECTION_FLAGGED, OBJECTION_CLEARED. */
  @Column({ type: 'varchar', length: 32 })
  op: string;

  @Column({ name: 'owner_jurisdiction', type: 'varchar', length: 16 })
  ownerJurisdiction: string;

  @Column({ name: 'enterprise_id', type: 'uuid', nullable: true })
  enterpriseId: string | null;

  @Column({ type: 'varchar', length: 18, nullable: true })
  uscc: string | null;

  @Column({ type: 'varchar', length: 128 })
  actor: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  payload: Record<string, unknown>;
}
