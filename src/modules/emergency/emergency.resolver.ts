import { DateResolver } from 'graphql-scalars';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, Field, FieldResolver, Float, Info, InputType, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Jurisdiction } from '../../domain/jurisdictions';
import type { HubContext } from '../../graphql/context';
import { PageArgs } from '../../graphql/pagination';
import { UsccScalar } from '../../graphql/scalars';
import type { RecordNode } from '../dossier/record-declaration';
import { computedFieldResolver, keyArgType } from '../dossier/record.resolver';
import { createWriteResolver } from '../dossier/write.resolver';
import { EMERGENCY_RESOURCE } from './emergency-resource.record';
import { EmergencyResourceKind, RISK_LEVEL_CODES } from './emergency.codes';
import { MAX_RADIUS_KM, MAX_SPATIAL_RESULTS } from './emergency.service';
import type { Nearby } from './emergency.service';
import { RISK_SOURCE } from './risk-source.record';

@InputType({ description: 'Narrows the riskSources list; all given conditions must hold.' })
class RiskSourceFilter {
  @Field(() => Jurisdiction, { nullable: true, description: 'Owner district, or a province / ZONE for the districts it covers.' })
  jurisdiction?: Jurisdiction;

  @Field({ nullable: true, description: `Risk level code (${RISK_LEVEL_CODES.join(', ')}); an unknown code is BAD_USER_INPUT.` })
  riskLevel?: string;

  @Field(() => UsccScalar, { nullable: true, description: 'Only the risk sources of this enterprise.' })
  uscc?: string;

  @Field({ nullable: true, description: 'Only sources draining to this water body (受纳水体), as registered.' })
  receivingWater?: string;

  @Field({ nullable: true, description: 'Only sources holding this substance, by its name or CAS number exactly as listed.' })
  substance?: string;

  @Field(() => DateResolver, { nullable: true, description: 'Emergency plan filed on or after this date.' })
  from?: Date;

  @Field(() => DateResolver, { nullable: true, description: 'Emergency plan filed on or before this date.' })
  to?: Date;
}

@InputType({ description: 'Narrows the emergencyResources list; all given conditions must hold.' })
class EmergencyResourceFilter {
  @Field(() => Jurisdiction, { nullable: true, description: 'Keeping district, or a province / ZONE for the districts it covers.' })
  jurisdiction?: Jurisdiction;

  @Field(() => EmergencyResourceKind, { nullable: true })
  kind?: EmergencyResourceKind;

  @Field({ nullable: true, description: 'Equipment or material type code (OIL_BOOM…).' })
  equipmentType?: string;

  @Field({ nullable: true, description: 'Only resources listing this capability or field, exactly as listed.' })
  capability?: string;
}

@ObjectType({ description: 'A risk source found near a section, with its great-circle distance from it.' })
class RiskSourceNearby {
  @Field(() => Float, { description: 'Great-circle (haversine) distance from the section, km, straight line (not along the river).' })
  distanceKm: number;

  /** The key, read back through the read engine by the field resolver. */
  key: string;
}

@ObjectType({ description: 'An emergency resource found near a point, with its great-circle distance from it.' })
class EmergencyResourceNearby {
  @Field(() => Float, { description: 'Great-circle (haversine) distance from the point, km.' })
  distanceKm: number;

  key: string;
}

/** Risk sources: lookup, filtered list, the upstream query; the record itself is always read by the read engine. */
@Resolver(() => RiskSourceNearby)
class RiskSourceResolver {
  @Query(() => RISK_SOURCE.type, { nullable: true, description: 'One RiskSource by its risk source number; null when there is none, FORBIDDEN when the policy hides it.' })
  riskSource(@Arg('sourceNo', () => keyArgType(RISK_SOURCE)) key: string, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo): Promise<unknown> {
    return ctx.services.dossier.get(ctx, RISK_SOURCE.model, key, info);
  }

  @Query(() => RISK_SOURCE.connection, { description: 'Environmental risk sources across the districts, by source number, as far as the catalog\'s terms let the caller see (resource 211010/0002: conditional).' })
  riskSources(@Arg('filter', () => RiskSourceFilter, { nullable: true }) filter: RiskSourceFilter | undefined, @Args() page: PageArgs, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo) {
    return ctx.services.emergency.riskSources(ctx, filter ?? {}, page, info);
  }

  @Query(() => [RiskSourceNearby], {
    description: `Risk sources upstream of a surface-water section and within withinKm (at most ${MAX_RADIUS_KM}) of it, nearest first (at most \`first\`, ${MAX_SPATIAL_RESULTS} at most). Upstream is configured data per section (docs/risk-sources.md); only the sources the caller may read.`,
  })
  // Arguments are declared last first because type-graphql lists them in reverse: the schema reads (stationCode, withinKm, first).
  riskSourcesUpstream(
    @Arg('first', () => Int, { nullable: true, description: 'Most sources returned, 50 by default.' }) first: number | undefined,
    @Arg('withinKm', () => Float, { description: 'Radius around the section, km (great-circle).' }) withinKm: number,
    @Arg('stationCode', { description: 'Code of a surface-water section (W-QP-01).' }) stationCode: string,
    @Ctx() ctx: HubContext,
  ): Promise<Nearby[]> {
    return ctx.services.emergency.riskSourcesUpstream(ctx, stationCode, withinKm, first);
  }

  @FieldResolver(() => RISK_SOURCE.type, { name: 'riskSource', nullable: true, description: 'The risk source, read as the caller may read it.' })
  async riskSourceOf(@Root() n: Nearby, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo): Promise<RecordNode | null> {
    const found = await ctx.read.byKey(RISK_SOURCE.model, n.key, info);
    return found?.visible ? found.node : null;
  }
}

/** Emergency resources: lookup, filtered list, the nearest query. */
@Resolver(() => EmergencyResourceNearby)
class EmergencyResourceResolver {
  @Query(() => EMERGENCY_RESOURCE.type, { nullable: true, description: 'One EmergencyResource by its resource number; null when there is none, FORBIDDEN when the policy hides it.' })
  emergencyResource(@Arg('resourceNo', () => keyArgType(EMERGENCY_RESOURCE)) key: string, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo): Promise<unknown> {
    return ctx.services.dossier.get(ctx, EMERGENCY_RESOURCE.model, key, info);
  }

  @Query(() => EMERGENCY_RESOURCE.connection, { description: 'Emergency resources the districts keep and lend (resource 211010/0003), by resource number; experts\' personal data masked outside the owner.' })
  emergencyResources(@Arg('filter', () => EmergencyResourceFilter, { nullable: true }) filter: EmergencyResourceFilter | undefined, @Args() page: PageArgs, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo) {
    return ctx.services.emergency.emergencyResources(ctx, filter ?? {}, page, info);
  }

  @Query(() => [EmergencyResourceNearby], { description: `The emergency resources nearest a point (WGS 84), of a kind and equipment type when given, nearest first (at most \`first\`: 10 by default, ${MAX_SPATIAL_RESULTS} at most); only those the caller may read.` })
  // Declared in reverse (see riskSourcesUpstream): the schema reads (lat, lon, kind, equipmentType, first).
  nearestEmergencyResources(
    @Arg('first', () => Int, { nullable: true, description: 'Most resources returned, 10 by default.' }) first: number | undefined,
    @Arg('equipmentType', () => String, { nullable: true, description: 'Only this equipment or material type code (OIL_BOOM).' }) equipmentType: string | undefined,
    @Arg('kind', () => EmergencyResourceKind, { nullable: true, description: 'Only this kind of resource.' }) kind: EmergencyResourceKind | undefined,
    @Arg('lon', () => Float, { description: 'Longitude, -180 to 180.' }) lon: number,
    @Arg('lat', () => Float, { description: 'Latitude, -90 to 90.' }) lat: number,
    @Ctx() ctx: HubContext,
  ): Promise<Nearby[]> {
    return ctx.services.emergency.nearestEmergencyResources(ctx, lat, lon, kind, equipmentType, first);
  }

  @FieldResolver(() => EMERGENCY_RESOURCE.type, { nullable: true, description: 'The resource, read as the caller may read it.' })
  async resource(@Root() n: Nearby, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo): Promise<RecordNode | null> {
    const found = await ctx.read.byKey(EMERGENCY_RESOURCE.model, n.key, info);
    return found?.visible ? found.node : null;
  }
}

/** The schema's resolvers of risk sources and emergency resources: reads, spatial queries, computed fields and upserts. */
export const emergencyResolvers: Function[] = [
  RiskSourceResolver,
  EmergencyResourceResolver,
  computedFieldResolver(RISK_SOURCE),
  computedFieldResolver(EMERGENCY_RESOURCE),
  ...createWriteResolver(RISK_SOURCE),
  ...createWriteResolver(EMERGENCY_RESOURCE),
];
