import type { GraphQLResolveInfo } from 'graphql';
import { DateResolver } from 'graphql-scalars';
import { Arg, Args, Ctx, FieldResolver, Info, Query, Resolver, Root } from 'type-graphql';
import type { HubContext } from '../../graphql/context';
import { Page, PageArgs } from '../../graphql/pagination';
import type { RecordNode } from '../dossier/record-declaration';
import { ENTERPRISE } from '../enterprise/enterprise.record';
import { AqiReportKind, AssessmentPeriod } from './monitoring.codes';
import { ObservationArgs, StationFilter } from './monitoring.inputs';
import { AirQualityPeriod, MonitoringStationConnection, ObservationConnection, WaterQualityPeriod } from './monitoring.types';
import { Observation } from './observation.entity';
import { MonitoringStation } from './station.entity';

/** Path prefix for argument errors of a nested list, e.g. `monitoringStations.edges.node.observations.`. */
function argPath(info: GraphQLResolveInfo): string {
  const parts: string[] = [];
  for (let p: GraphQLResolveInfo['path'] | undefined = info.path; p; p = p.prev) if (typeof p.key === 'string') parts.unshift(p.key);
  return parts.join('.') + '.';
}

/** Stations, their observations and the assessments over stored data; rules and SQL live in MonitoringService. */
@Resolver(() => MonitoringStation)
export class MonitoringResolver {
  @Query(() => MonitoringStationConnection, { description: 'Monitoring stations the caller may see, by code.' })
  monitoringStations(@Arg('filter', () => StationFilter, { nullable: true }) filter: StationFilter | undefined, @Args() page: PageArgs, @Ctx() ctx: HubContext) {
    return ctx.services.monitoring.listStations(ctx, filter ?? {}, page);
  }

  @Query(() => MonitoringStation, { nullable: true, description: 'One station by code; null when there is none, FORBIDDEN when the policy hides it.' })
  monitoringStation(@Arg('code', () => String) code: string, @Ctx() ctx: HubContext): Promise<MonitoringStation | null> {
    return ctx.services.monitoring.getStation(ctx, code);
  }

  @Query(() => [WaterQualityPeriod], {
    nullable: true,
    description: 'Water class of a section per period (GB 3838-2002 single-factor method over period means of N-flag data); null for an unknown station.',
  })
  waterQuality(
    @Arg('stationCode', () => String) stationCode: string,
    @Arg('from', () => DateResolver, { description: 'First day, China Standard Time.' }) from: Date,
    @Arg('to', () => DateResolver, { description: 'Last day, included.' }) to: Date,
    @Arg('period', () => AssessmentPeriod, { defaultValue: AssessmentPeriod.MONTH }) period: AssessmentPeriod,
    @Ctx() ctx: HubContext,
  ): Promise<WaterQualityPeriod[] | null> {
    return ctx.services.monitoring.waterQualityOf(ctx, stationCode, from, to, period);
  }

  @Query(() => [AirQualityPeriod], {
    nullable: true,
    description: 'AQI of an air station per day (at most 366) or hour (at most 744) under HJ 633, from N-flag data; null for an unknown station.',
  })
  airQuality(
    @Arg('stationCode', () => String) stationCode: string,
    @Arg('from', () => DateResolver, { description: 'First day, China Standard Time.' }) from: Date,
    @Arg('to', () => DateResolver, { description: 'Last day, included.' }) to: Date,
    @Arg('report', () => AqiReportKind, { defaultValue: AqiReportKind.DAILY }) report: AqiReportKind,
    @Ctx() ctx: HubContext,
  ): Promise<AirQualityPeriod[] | null> {
    return ctx.services.monitoring.airQualityOf(ctx, stationCode, from, to, report);
  }

  @FieldResolver(() => ObservationConnection, { description: 'Observations, newest first (then by parameter code, descending).' })
  observations(@Root() station: MonitoringStation, @Args() args: ObservationArgs, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo): Promise<Page<Observation>> {
    return ctx.services.monitoring.stationObservations(ctx, station, args, argPath(info));
  }

  @FieldResolver(() => ENTERPRISE.type, { nullable: true, description: 'The discharging enterprise of a pollution-source outlet; null otherwise or when the caller may not see it.' })
  enterprise(@Root() station: MonitoringStation, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo): Promise<RecordNode | null> {
    return ctx.services.monitoring.enterpriseOf(ctx, station, info);
  }
}
