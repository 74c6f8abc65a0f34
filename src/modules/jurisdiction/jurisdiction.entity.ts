import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Jurisdiction } from '../../domain/jurisdictions';

@ObjectType('JurisdictionInfo', { description: 'A jurisdiction of the zone, with its admin division code.' })
@Entity({ name: 'jurisdiction' })
export class JurisdictionEntity {
  @Field(() => Jurisdiction)
  @PrimaryColumn({ type: 'varchar', length: 16 })
  code: Jurisdiction;

  @Field()
  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Field()
  @Column({ name: 'name_zh', type: 'varchar', length: 50 })
  nameZh: string;

  @Field()
  @Column({ type: 'varchar', length: 16 })
  level: string;

  @Field(() => String, { nullable: true })
  @Column({ name: 'division_code', type: 'varchar', length: 6, nullable: true })
  divisionCode: string | null;

  @Field(() => Jurisdiction, { nullable: true })
  @Column({ name: 'parent_code', type: 'varchar', length: 16, nullable: true })
  parent: Jurisdiction | null;
}
