import type { GraphQLResolveInfo } from 'graphql';
import type { DataSource } from 'typeorm';
import { readScope, RecordType } from '../../auth/policy';
import { monitoringScope, scopeCondition } from '../../auth/scope';
import { SqlParams } from '../../db/sql';
import type { Jurisdiction } from '../../domain/jurisdictions';
import { badInput, ErrorCode, HubError } from '../../graphql/errors';
import type { HubContext } from '../../graphql/context';
import type { PageArgs } from '../../graphql/pagination';
import { unstorableText } from '../dossier/record-fields';
import { EMERGENCY_RESOURCE } from './emergency-resource.record';
import { RISK_LEVEL_CODES, UPSTREAM_REACHES, UPSTREAM_VERSION } from './emergency.codes';
import { RISK_SOURCE } from './risk-source.record';

/**
 * Risk sources and emergency resources: the filtered lists (one read-engine statement each) and
 * the two spatial queries. A spatial query is two statements: the candidates, scoped by the
 * policy like any list and ordered by great-circle distance (haversine in SQL: PGlite has no
 * PostGIS), then the records themselves, read by key through the read engine (masks and audit
 * as everywhere). The distance is prefiltered by a bounding box on the indexed (latitude,
 * longitude) columns, so the index narrows the rows before any trigonometry.
 */

/** Mean Earth radius, km (IUGG): the haversine's sphere. */
export const EARTH_RADIUS_KM = 6371.0088;
/** Km per degree of latitude on that sphere. */
const KM_PER_DEGREE = (EARTH_RADIUS_KM * Math.PI) / 180;
/** Largest radius a spatial query takes: beyond it, a list is the better tool. */
export const MAX_RADIUS_KM = 500;
/** Most results of a spatial query. */
export const MAX_SPATIAL_RESULTS = 200;
/** Radii the nearest search tries in turn before it drops the box (km). */
const NEAREST_RADII_KM = [5, 20, 80, MAX_RADIUS_KM];

export interface RiskSourceFilter {
  jurisdiction?: Jurisdiction;
  riskLevel?: string;
  uscc?: string;
  receivingWater?: string;
  substance?: string;
  from?: Date | string;
  to?: Date | string;
}

export interface EmergencyResourceFilter {
  jurisdiction?: Jurisdiction;
  kind?: string;
  equipmentType?: string;
  capability?: string;
}

/** A record found by a spatial query: its key and its distance, km. */
export interface Nearby {
  key: string;
  distanceKm: number;
}

/** The great-circle distance in km from ($lat, $lon) to a row's coordinates (alias `a`), as SQL. */
export function haversineSql(a: string, lat: string, lon: string): string {
  const dLat = `radians(${a}.latitude::float8 - ${lat}::float8)`;
  const dLon = `radians(${a}.longitude::float8 - ${lon}::float8)`;
  return `(2 * ${EARTH_RADIUS_KM} * asin(least(1::float8, sqrt(power(sin(${dLat} / 2), 2) + cos(radians(${lat}::float8)) * cos(radians(${a}.latitude::float8)) * power(sin(${dLon} / 2), 2)))))`;
}

/** The same distance in TypeScript, for checks and tests. */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = (d: number) => (d * Math.PI) / 180;
  const h = Math.sin(r(lat2 - lat1) / 2) ** 2 + Math.cos(r(lat1)) * Math.cos(r(lat2)) * Math.sin(r(lon2 - lon1) / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * A box around (lat, lon) that holds every point within `km`, as SQL on alias `a`'s indexed
 * columns. Near a pole or across the antimeridian the longitude part is dropped (the box would
 * wrap); the distance condition still decides.
 */
export function boundingBoxSql(a: string, lat: number, lon: number, km: number, q: SqlParams): string {
  const dLat = km / KM_PER_DEGREE;
  const latMin = Math.max(-90, lat - dLat);
  const latMax = Math.min(90, lat + dLat);
  const parts = [`${a}.latitude BETWEEN ${q.p(latMin.toFixed(6))}::numeric AND ${q.p(latMax.toFixed(6))}::numeric`];
  const widest = Math.max(Math.abs(latMin), Math.abs(latMax));
  if (widest < 89) {
    const dLon = km / (KM_PER_DEGREE * Math.cos((widest * Math.PI) / 180));
    if (lon - dLon >= -180 && lon + dLon <= 180) parts.push(`${a}.longitude BETWEEN ${q.p((lon - dLon).toFixed(6))}::numeric AND ${q.p((lon + dLon).toFixed(6))}::numeric`);
  }
  return parts.join(' AND ');
}

/** A text argument PostgreSQL could not even compare (a NUL, a lone surrogate) is the caller's mistake, said as such. */
function checkText(field: string, value: string | undefined): void {
  const problem = value === undefined ? null : unstorableText(value);
  if (problem) throw badInput(field, problem);
}

function checkCoordinates(lat: number, lon: number): void {
  if (!Number.isFinite(lat) || lat < -90 || lat > 90) throw badInput('lat', `must be between -90 and 90, got ${lat}`);
  if (!Number.isFinite(lon) || lon < -180 || lon > 180) throw badInput('lon', `must be between -180 and 180, got ${lon}`);
}

function checkFirst(first: number | undefined, fallback: number): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > MAX_SPATIAL_RESULTS) throw badInput('first', `must be between 1 and ${MAX_SPATIAL_RESULTS}, got ${n}`);
  return n;
}

export class EmergencyService {
  constructor(private readonly ds: DataSource) {}

  /** Risk sources as far as the caller may see, filtered; one statement of the read engine. */
  riskSources(ctx: HubContext, filter: RiskSourceFilter, page: PageArgs, info: GraphQLResolveInfo) {
    if (filter.riskLevel !== undefined && !RISK_LEVEL_CODES.includes(filter.riskLevel)) {
      throw badInput('filter.riskLevel', `unknown risk level "${filter.riskLevel}": must be one of ${RISK_LEVEL_CODES.join(', ')}`);
    }
    const { riskLevel, receivingWater, substance, ...common } = filter;
    checkText('filter.receivingWater', receivingWater);
    checkText('filter.substance', substance);
    return ctx.services.dossier.list(ctx, RISK_SOURCE.model, { ...common, status: riskLevel }, page, info, (q) => [
      ...(receivingWater ? [`t.receiving_water = ${q.p(receivingWater)}`] : []),
      // A substance by name or CAS number, exactly as listed.
      ...(substance ? [`t.risk_substances @> ANY(ARRAY[${q.p(JSON.stringify([{ substance }]))}::jsonb, ${q.p(JSON.stringify([{ casNo: substance }]))}::jsonb])`] : []),
    ]);
  }

  /** Emergency resources as far as the caller may see, filtered; one statement of the read engine. */
  emergencyResources(ctx: HubContext, filter: EmergencyResourceFilter, page: PageArgs, info: GraphQLResolveInfo) {
    const { kind, equipmentType, capability, jurisdiction } = filter;
    checkText('filter.equipmentType', equipmentType);
    checkText('filter.capability', capability);
    return ctx.services.dossier.list(ctx, EMERGENCY_RESOURCE.model, { jurisdiction }, page, info, (q) => [
      ...(kind ? [`t.kind = ${q.p(kind)}`] : []),
      ...(equipmentType ? [`t.equipment_type = ${q.p(equipmentType)}`] : []),
      ...(capability ? [`${q.p(capability)} = ANY(t.capabilities)`] : []),
    ]);
  }

  /**
   * Risk sources within `withinKm` of a surface-water section and upstream of it: owned by a
   * district and draining to a water that the section's upstream reaches name
   * (data/upstream-reaches.json), nearest first. The section must be a surface-water station the
   * caller may read; one with no reaches configured is refused, not answered with everything near it.
   */
  async riskSourcesUpstream(ctx: HubContext, stationCode: string, withinKm: number, first?: number): Promise<Nearby[]> {
    if (!Number.isFinite(withinKm) || withinKm <= 0 || withinKm > MAX_RADIUS_KM) throw badInput('withinKm', `must be greater than 0 and at most ${MAX_RADIUS_KM}, got ${withinKm}`);
    const limit = checkFirst(first, 50);
    checkText('stationCode', stationCode);
    const sq = new SqlParams();
    const [station]: Array<{ kind: string; latitude: string | null; longitude: string | null }> = await this.ds.query(
      `SELECT s.kind, s.latitude, s.longitude FROM monitoring_station s WHERE s.code = ${sq.p(stationCode)} AND ${monitoringScope(ctx, 'STATIONS', 's', sq)}`, sq.values);
    if (!station) throw new HubError(ErrorCode.NOT_FOUND, `stationCode: no monitoring station "${stationCode}" the caller may read`, { field: 'stationCode' });
    if (station.kind !== 'SURFACE_WATER') throw badInput('stationCode', `${stationCode} is a ${station.kind} station, not a surface-water section`);
    if (station.latitude === null || station.longitude === null) throw badInput('stationCode', `${stationCode} has no coordinates`);
    const reaches = UPSTREAM_REACHES.get(stationCode);
    if (!reaches) {
      throw badInput('stationCode', `no upstream reaches are configured for ${stationCode} (${UPSTREAM_VERSION}, src/modules/emergency/data/upstream-reaches.json)`, {
        configured: [...UPSTREAM_REACHES.keys()],
      });
    }
    const lat = Number(station.latitude);
    const lon = Number(station.longitude);
    const q = new SqlParams();
    const upstream = reaches.map((r) => `(t.owner_jurisdiction = ${q.p(r.district)} AND t.receiving_water = ANY(${q.p(r.waters)}::text[]))`).join(' OR ');
    return this.nearby(ctx, RecordType.RISK_SOURCE, 'risk_source', 'source_no', lat, lon, withinKm, limit, q, [`(${upstream})`]);
  }

  /**
   * The emergency resources nearest a point, of a kind and equipment type if given, nearest first.
   * The box grows (5, 20, 80, 500 km) until it holds enough resources within its radius, then
   * gives way to a scan without one: the nearest are found wherever they are.
   */
  async nearestEmergencyResources(ctx: HubContext, lat: number, lon: number, kind?: string, equipmentType?: string, first?: number): Promise<Nearby[]> {
    checkCoordinates(lat, lon);
    const limit = checkFirst(first, 10);
    checkText('equipmentType', equipmentType);
    const conditions = (q: SqlParams) => [
      ...(kind ? [`t.kind = ${q.p(kind)}`] : []),
      ...(equipmentType ? [`t.equipment_type = ${q.p(equipmentType)}`] : []),
    ];
    for (const km of NEAREST_RADII_KM) {
      const q = new SqlParams();
      const found = await this.nearby(ctx, RecordType.EMERGENCY_RESOURCE, 'emergency_resource', 'resource_no', lat, lon, km, limit, q, conditions(q));
      if (found.length >= limit) return found;
    }
    const q = new SqlParams();
    return this.nearby(ctx, RecordType.EMERGENCY_RESOURCE, 'emergency_resource', 'resource_no', lat, lon, null, limit, q, conditions(q));
  }

  /** Keys and distances of the caller's readable rows within `km` of a point (any distance for null), nearest first. */
  private async nearby(ctx: HubContext, type: RecordType, table: string, keyColumn: string, lat: number, lon: number, km: number | null, limit: number, q: SqlParams, extra: string[]): Promise<Nearby[]> {
    const where = [scopeCondition(readScope(ctx, type), 't', q), 't.withdrawn_at IS NULL', ...extra];
    if (km !== null) where.push(boundingBoxSql('t', lat, lon, km, q));
    const distance = haversineSql('t', q.p(lat), q.p(lon));
    const within = km !== null ? ` WHERE x.d <= ${q.p(km)}::float8` : '';
    const rows: Array<{ k: string; d: number }> = await this.ds.query(
      `SELECT x.k, x.d FROM (SELECT t.${keyColumn} AS k, ${distance} AS d FROM ${table} t WHERE ${where.join(' AND ')}) x${within} ORDER BY x.d, x.k LIMIT ${limit}`, q.values);
    return rows.map((r) => ({ key: r.k, distanceKm: Number(r.d) }));
  }
}
