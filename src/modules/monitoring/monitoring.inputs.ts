import { DateResolver, DateTimeResolver } from 'graphql-scalars';
import { ArgsType, Field, InputType } from 'type-graphql';
import { Jurisdiction } from '../../domain/jurisdictions';
import { PageArgs } from '../../graphql/pagination';
import { DecimalScalar } from '../../graphql/scalars';
import { AqiReportKind, StationKind, Waterbody } from './monitoring.codes';

@InputType({ description: 'Narrows the monitoring station list; all given conditions must hold.' })
export class StationFilter {
  @Field(() => Jurisdiction, { nullable: true, description: 'Owner district, or a province / ZONE for the districts it covers.' })
  jurisdiction?: Jurisdiction;

  @Field(() => StationKind, { nullable: true })
  kind?: StationKind;

  @Field(() => Waterbody, { nullable: true, description: 'Sections on rivers, or on lakes and reservoirs.' })
  waterbody?: Waterbody;
}

@ArgsType()
export class ObservationArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Only this HJ 212-2017 parameter code.' })
  parameter?: string;

  @Field(() => DateTimeResolver, { nullable: true, description: 'Observed at or after this time.' })
  from?: Date;

  @Field(() => DateTimeResolver, { nullable: true, description: 'Observed at or before this time.' })
  to?: Date;
}

@InputType({ description: 'One measured item of a water sample.' })
export class WaterValueInput {
  @Field({ description: 'HJ 212-2017 parameter code of a GB 3838-2002 Table 1 item, e.g. w21003 (NH3-N).' })
  parameter: string;

  @Field(() => DecimalScalar, { description: 'Value in the item\'s Table 1 unit (mg/L for most; pH dimensionless; fecal coliform per litre).' })
  value: string;
}

@InputType({ description: 'A surface-water sample to classify under GB 3838-2002.' })
export class WaterSampleInput {
  @Field(() => Waterbody)
  waterbody: Waterbody;

  @Field(() => [WaterValueInput])
  values: WaterValueInput[];
}

@InputType({ description: 'Concentrations for one AQI report (µg/m³; CO in mg/m³). Give at least one pollutant.' })
export class AqiInput {
  @Field(() => AqiReportKind)
  report: AqiReportKind;

  @Field(() => DateResolver, { description: 'Observation date; it chooses the HJ 633 revision.' })
  date: Date;

  @Field(() => DecimalScalar, { nullable: true, description: 'SO2: 24-h mean (DAILY) or 1-h mean (HOURLY).' })
  so2?: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'NO2: 24-h mean (DAILY) or 1-h mean (HOURLY).' })
  no2?: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'CO in mg/m³: 24-h mean (DAILY) or 1-h mean (HOURLY).' })
  co?: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'O3: daily maximum 1-h mean (DAILY) or 1-h mean (HOURLY).' })
  o3?: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'O3: daily maximum 8-h moving mean (DAILY) or the 8-h moving mean (HOURLY).' })
  o3_8h?: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'PM10: 24-h mean (DAILY); HOURLY as the revision asks (24-h moving mean in 2012, 1-h mean in 2026).' })
  pm10?: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'PM2.5: 24-h mean (DAILY); HOURLY as the revision asks (24-h moving mean in 2012, 1-h mean in 2026).' })
  pm25?: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'HOURLY only: the SO2 24-h mean HJ 633-2012 falls back on when the 1-h SO2 is above 800.' })
  so2_24h?: string;
}
