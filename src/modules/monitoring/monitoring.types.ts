import { DateResolver, DateTimeResolver } from 'graphql-scalars';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Jurisdiction } from '../../domain/jurisdictions';
import { connectionType } from '../../graphql/pagination';
import { DecimalScalar } from '../../graphql/scalars';
import { AqiPollutantCode, WaterClassCode } from './monitoring.codes';
import { Observation } from './observation.entity';
import { MonitoringStation } from './station.entity';

export const MonitoringStationConnection = connectionType(MonitoringStation, 'MonitoringStation');
export const ObservationConnection = connectionType(Observation, 'Observation');

@ObjectType({ description: 'The check of a Unified Social Credit Code (GB 32100-2015).' })
export class UsccValidation {
  @Field() valid: boolean;

  @Field(() => String, { nullable: true, description: 'What is wrong, naming the position; null when valid.' })
  reason: string | null;

  @Field(() => String, { nullable: true, description: 'The check character the first 17 characters call for, when they are well formed.' })
  expectedCheckCharacter: string | null;

  @Field(() => String, { nullable: true, description: 'Positions 3-8: the registering authority\'s administrative division code.' })
  divisionCode: string | null;

  @Field(() => Jurisdiction, { nullable: true, description: 'The zone district whose division code the code carries, if any.' })
  jurisdiction: Jurisdiction | null;
}

@ObjectType({ description: 'One item of a water assessment and the class it meets on its own.' })
export class WaterItem {
  @Field({ description: 'HJ 212-2017 parameter code.' })
  parameter: string;

  @Field(() => WaterClassCode, { nullable: true, description: 'Null only for water temperature, which has no class limit.' })
  waterClass: WaterClassCode | null;

  @Field({ description: 'Whether the item takes part in the section class (TN, fecal coliform and temperature are reference items).' })
  evaluated: boolean;

  @Field(() => DecimalScalar, { description: 'The value judged: as given, or the period mean of valid data.' })
  value: string;
}

@ObjectType({ description: 'A main pollutant (主要污染物) of a section worse than class III.' })
export class WaterMainPollutant {
  @Field() parameter: string;

  @Field(() => WaterClassCode) waterClass: WaterClassCode;

  @Field(() => DecimalScalar, { nullable: true, description: 'Exceedance ratio over the class III limit, (C − limit) / limit; null for pH and DO.' })
  exceedance: string | null;
}

@ObjectType('WaterAssessment', { description: 'A surface-water sample classified by the single-factor method (GB 3838-2002, 环办〔2011〕22号).' })
export class WaterAssessmentResult {
  @Field({ description: 'The standard applied.' })
  standard: string;

  @Field(() => WaterClassCode, { description: 'The worst class among the evaluated items.' })
  waterClass: WaterClassCode;

  @Field({ description: 'Qualitative grade: 优, 良好, 轻度污染, 中度污染 or 重度污染.' })
  grade: string;

  @Field(() => [WaterItem]) items: WaterItem[];

  @Field(() => [WaterMainPollutant], { description: 'Empty unless the class is worse than III.' })
  mainPollutants: WaterMainPollutant[];
}

@ObjectType({ description: 'The individual air quality index of one pollutant.' })
export class Iaqi {
  @Field(() => AqiPollutantCode) pollutant: AqiPollutantCode;
  @Field(() => Int) value: number;
}

@ObjectType({ description: 'A concentration that went into an AQI (µg/m³; CO in mg/m³).' })
export class AqiConcentration {
  @Field(() => AqiPollutantCode) pollutant: AqiPollutantCode;
  @Field(() => DecimalScalar) value: string;
}

@ObjectType('AqiResult', { description: 'An air quality index under HJ 633 (2012 or 2026 revision, by date).' })
export class AqiResultType {
  @Field(() => Int) aqi: number;

  @Field(() => Int, { description: '1 (一级) to 6 (六级).' })
  level: number;

  @Field({ description: '优, 良, 轻度污染, 中度污染, 重度污染 or 严重污染.' })
  category: string;

  @Field(() => [AqiPollutantCode], { description: 'Pollutants whose IAQI equals the AQI; empty when the AQI is 50 or less.' })
  primaryPollutants: AqiPollutantCode[];

  @Field(() => [AqiPollutantCode], { description: 'Pollutants whose IAQI is above 100.' })
  exceedingPollutants: AqiPollutantCode[];

  @Field(() => [Iaqi]) iaqi: Iaqi[];

  @Field({ description: 'The revision applied, e.g. HJ 633-2026.' })
  standard: string;

  @Field(() => [String], { description: 'Why an IAQI differs from plain interpolation (caps, fallbacks).' })
  notes: string[];
}

@ObjectType({ description: 'The water class of a section over one period, from the period means of its valid (N-flag) data.' })
export class WaterQualityPeriod {
  @Field(() => DateResolver, { description: 'First day of the period (China Standard Time), clipped to the requested range.' })
  periodStart: string;

  @Field(() => WaterClassCode, { nullable: true, description: 'Null when the period has no valid value of an evaluated item.' })
  waterClass: WaterClassCode | null;

  @Field(() => String, { nullable: true })
  grade: string | null;

  @Field(() => [WaterItem], { description: 'GB 3838-2002 items with valid data in the period, each with its period mean.' })
  items: WaterItem[];

  @Field(() => [WaterMainPollutant]) mainPollutants: WaterMainPollutant[];

  @Field(() => Float, { description: 'Share of the period\'s observations flagged N (0 to 1).' })
  validShare: number;

  @Field(() => Int, { description: 'Sampling times in the period with at least one valid value.' })
  sampleCount: number;

  @Field(() => String, { nullable: true, description: 'The standard applied; null with waterClass.' })
  standard: string | null;
}

@ObjectType({ description: 'The AQI of a station for one day or hour, computed from its valid (N-flag) data.' })
export class AirQualityPeriod {
  @Field(() => DateTimeResolver, { description: 'Start of the day (00:00 China Standard Time) or of the hour.' })
  at: Date;

  @Field(() => DateResolver, { description: 'The calendar day in China Standard Time.' })
  date: string;

  @Field(() => Int, { nullable: true, description: 'Null when no pollutant has enough valid data.' })
  aqi: number | null;

  @Field(() => Int, { nullable: true }) level: number | null;
  @Field(() => String, { nullable: true }) category: string | null;
  @Field(() => [AqiPollutantCode]) primaryPollutants: AqiPollutantCode[];
  @Field(() => [Iaqi]) iaqi: Iaqi[];

  @Field(() => [AqiConcentration], { description: 'The concentrations the AQI was computed from.' })
  concentrations: AqiConcentration[];

  @Field(() => Float, { description: 'Share of the period\'s observations of the six pollutants flagged N (0 to 1).' })
  validShare: number;

  @Field(() => String, { nullable: true }) standard: string | null;
}
