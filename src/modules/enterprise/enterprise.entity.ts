import { DateResolver } from 'graphql-scalars';
import { Directive, Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { Jurisdiction } from '../../domain/jurisdictions';
import { RegistrationStatus } from '../../domain/codes';
import { UsccScalar } from '../../graphql/scalars';
import { WithdrawableRecord } from '../dossier/sourced-record';

/** The legal representative as the policy lets the caller see them (ID number masked outside the owner district). */
@ObjectType({ description: 'Legal representative (法定代表人); personal data, masked by the sharing policy.' })
export class LegalRepresentative {
  @Field({ nullable: true }) name?: string;
  @Field({ nullable: true }) idNumber?: string;
}

@Directive('@key(fields: "uscc")')
@ObjectType({ description: 'An enterprise (企业), keyed by its Unified Social Credit Code.' })
@Entity({ name: 'enterprise' })
@Index('ix_enterprise_owner_uscc', ['ownerJurisdiction', 'uscc'])
export class Enterprise extends WithdrawableRecord {
  @Field(() => UsccScalar)
  @Column({ type: 'varchar', length: 18, unique: true })
  uscc: string;

  @Field()
  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Field({ description: 'Industry code, GB/T 4754-2017 (e.g. C1713 dyeing of cotton).' })
  @Column({ name: 'industry_code', type: 'varchar', length: 8 })
  industryCode: string;

  @Field(() => String, { nullable: true })
  @Column({ name: 'industry_name', type: 'varchar', length: 100, nullable: true })
  industryName: string | null;

  @Field()
  @Column({ type: 'varchar', length: 300 })
  address: string;

  @Field(() => RegistrationStatus)
  @Column({ name: 'registration_status', type: 'varchar', length: 16 })
  registrationStatus: RegistrationStatus;

  @Field(() => DateResolver, { nullable: true })
  @Column({ name: 'established_on', type: 'date', nullable: true })
  establishedOn: string | null;

  // Personal data: stored here, shown only through `legalRepresentative`, which the masking module fills.
  @Column({ name: 'legal_rep_name', type: 'varchar', length: 64, nullable: true })
  legalRepName: string | null;

  @Column({ name: 'legal_rep_id_number', type: 'varchar', length: 32, nullable: true })
  legalRepIdNumber: string | null;

  @Field(() => LegalRepresentative, { nullable: true, description: 'Filled by the policy after loading; null when not visible.' })
  legalRepresentative?: LegalRepresentative;

  @Field(() => Jurisdiction, { description: 'The district the enterprise is registered in (its owner jurisdiction).' })
  jurisdiction?: Jurisdiction;
}
