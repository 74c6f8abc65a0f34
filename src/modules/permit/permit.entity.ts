import { DateResolver } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import type { Relation } from 'typeorm';
import { PermitClass, PermitStatus } from '../../domain/codes';
import { EnterpriseRecord } from '../dossier/sourced-record';
import { Enterprise } from '../enterprise/enterprise.entity';

@ObjectType({ description: 'Pollutant discharge permit (排污许可证).' })
@Entity({ name: 'permit' })
@Index('ix_permit_owner_key', ['ownerJurisdiction', 'permitNo'])
@Index('ix_permit_enterprise', ['enterpriseId', 'issuedOn'])
export class Permit extends EnterpriseRecord {
  @Field({ description: 'Permit number (许可证编号).' })
  @Column({ name: 'permit_no', type: 'varchar', length: 32, unique: true })
  permitNo: string;

  @Field(() => PermitClass, { description: 'Management class: key (重点), simplified (简化) or registration (登记).' })
  @Column({ name: 'management_class', type: 'varchar', length: 16 })
  managementClass: PermitClass;

  @Field(() => DateResolver)
  @Column({ name: 'issued_on', type: 'date' })
  issuedOn: string;

  @Field(() => DateResolver)
  @Column({ name: 'valid_from', type: 'date' })
  validFrom: string;

  @Field(() => DateResolver)
  @Column({ name: 'valid_to', type: 'date' })
  validTo: string;

  @Field(() => PermitStatus)
  @Column({ type: 'varchar', length: 16 })
  status: PermitStatus;

  @Field(() => [String], { description: 'Permitted pollutants by HJ 212-2017 code (e.g. w01018 COD, a21026 SO2).' })
  @Column({ name: 'permitted_pollutants', type: 'text', array: true })
  permittedPollutants: string[];

  @Field()
  @Column({ name: 'issuing_authority', type: 'varchar', length: 100 })
  issuingAuthority: string;

  @ManyToOne(() => Enterprise, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'enterprise_id' })
  enterprise?: Relation<Enterprise>;
}
