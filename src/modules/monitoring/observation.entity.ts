import { DateTimeResolver } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { Relation } from 'typeorm';
import { DecimalScalar } from '../../graphql/scalars';
import { DataFlag, ObservationInterval } from './monitoring.codes';
import { MonitoringStation } from './station.entity';

/**
 * One measured value of one parameter at one station and time. It has no owner column of its
 * own: every read joins its station and scopes on the station's owner district.
 *
 * The unique constraint on (station, parameter, time) is also the index that serves per-parameter
 * series and the assessments; the second index serves a station's newest-first list across
 * parameters, which is the order of `MonitoringStation.observations`.
 */
@ObjectType({ description: 'An observation (监测数据): one parameter\'s value at one station and time, with its HJ 212 data flag.' })
@Entity({ name: 'observation' })
@Unique('uq_observation_station_parameter_time', ['stationId', 'parameter', 'observedAt'])
@Index('ix_observation_station_time', ['stationId', 'observedAt', 'parameter'])
export class Observation {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ name: 'station_id', type: 'uuid' })
  stationId: string;

  @ManyToOne(() => MonitoringStation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'station_id' })
  station?: Relation<MonitoringStation>;

  @Field({ description: 'HJ 212-2017 parameter code, e.g. a34004 (PM2.5) or w21003 (NH3-N).' })
  @Column({ type: 'varchar', length: 16 })
  parameter: string;

  @Field(() => DateTimeResolver, { description: 'Start of the period the value stands for (HJ 212 DataTime).' })
  @Column({ name: 'observed_at', type: 'timestamptz' })
  observedAt: Date;

  @Field(() => ObservationInterval)
  @Column({ type: 'varchar', length: 16 })
  interval: ObservationInterval;

  @Field(() => DecimalScalar, { description: 'The value as reported, in `unit`.' })
  @Column({ type: 'numeric' })
  value: string;

  @Field({ description: 'Unit of the value (µg/m³, mg/m³, mg/L, 无量纲…).' })
  @Column({ type: 'varchar', length: 16 })
  unit: string;

  @Field(() => DataFlag, { description: 'HJ 212 data flag; only N (instrument normal) counts in assessments.' })
  @Column({ type: 'char', length: 1 })
  flag: DataFlag;
}
