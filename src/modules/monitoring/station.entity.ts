import { Check, Column, Entity, Index, Unique } from 'typeorm';
import { Directive, Field, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../../graphql/scalars';
import { SourcedRecord } from '../dossier/sourced-record';
import { ControlLevel, StationKind, Waterbody, WaterClassCode } from './monitoring.codes';

/**
 * A monitoring station: an ambient-air station, a surface-water section or lake point, or a
 * pollution-source outlet. It carries the owner district like every shared record, so the same
 * scoping applies to it and, through it, to its observations.
 */
@Directive('@key(fields: "code")')
@ObjectType({ description: 'A monitoring station (监测站点): air station, surface-water section or pollution-source outlet, keyed by its code.' })
@Entity({ name: 'monitoring_station' })
@Index('ix_station_owner_code', ['ownerJurisdiction', 'code'])
@Index('ix_station_enterprise', ['enterpriseId'])
// Only sections have a waterbody type and target class, and every section has both.
@Check('ck_station_water', `("kind" = 'SURFACE_WATER') = ("waterbody" IS NOT NULL AND "target_class" IS NOT NULL)`)
@Check('ck_station_enterprise', `"enterprise_id" IS NULL OR "kind" = 'POLLUTION_SOURCE'`)
@Check('ck_station_device', `("mn" IS NULL) = ("pw_hash" IS NULL)`)
@Unique('uq_station_mn', ['mn'])
export class MonitoringStation extends SourcedRecord {
  @Field({ description: 'Station code, unique in the hub (e.g. W-QP-01).' })
  @Column({ type: 'varchar', length: 32, unique: true })
  code: string;

  @Field()
  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Field(() => StationKind)
  @Column({ type: 'varchar', length: 16 })
  kind: StationKind;

  @Field(() => ControlLevel, { nullable: true, description: 'National, provincial, municipal or district control point; null for pollution sources.' })
  @Column({ name: 'control_level', type: 'varchar', length: 16, nullable: true })
  controlLevel: ControlLevel | null;

  @Field(() => Waterbody, { nullable: true, description: 'River, or lake/reservoir (GB 3838-2002 TP column); sections only.' })
  @Column({ type: 'varchar', length: 16, nullable: true })
  waterbody: Waterbody | null;

  @Field(() => String, { nullable: true, description: 'The river or lake the section lies on (太浦河, 淀山湖…); sections only.' })
  @Column({ name: 'water_name', type: 'varchar', length: 50, nullable: true })
  waterName: string | null;

  @Field(() => WaterClassCode, { nullable: true, description: 'The water class the section must meet (水质目标); sections only.' })
  @Column({ name: 'target_class', type: 'varchar', length: 16, nullable: true })
  targetClass: WaterClassCode | null;

  @Field({ description: 'Whether the section guards a drinking-water source (饮用水水源地).' })
  @Column({ name: 'drinking_water_source', type: 'boolean', default: false })
  drinkingWaterSource: boolean;

  @Field({ description: 'Code of the catalog resource the station\'s data is shared under.' })
  @Column({ name: 'catalog_resource_code', type: 'varchar', length: 24 })
  catalogResourceCode: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'WGS 84 longitude, decimal degrees.' })
  @Column({ type: 'numeric', precision: 9, scale: 6, nullable: true })
  longitude: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'WGS 84 latitude, decimal degrees.' })
  @Column({ type: 'numeric', precision: 9, scale: 6, nullable: true })
  latitude: string | null;

  /** The discharging enterprise of a pollution-source outlet; shown through `enterprise`, which the policy scopes. */
  @Column({ name: 'enterprise_id', type: 'uuid', nullable: true })
  enterpriseId: string | null;

  /** HJ 212 device id (MN) of the point's data logger, when one is registered (migration Hj212Devices1796300000000). Not in the schema: it is half a credential. */
  @Column({ type: 'varchar', length: 24, nullable: true })
  mn: string | null;

  /** Salted scrypt hash of the logger's 6-character PW (src/modules/ingest/device-password.ts); never selected by default. */
  @Column({ name: 'pw_hash', type: 'varchar', length: 160, nullable: true, select: false })
  pwHash?: string | null;
}
