import type { DataSource } from 'typeorm';
import { AccessContext, assessmentRule, decideRule, denialExtensions, MonitoringAssessment, observationRule, RecordType, SharingRule, stationRule } from '../../auth/policy';
import { monitoringScope } from '../../auth/scope';
import { SqlParams } from '../../db/sql';
import { AqiInput as AqiCalcInput, computeAqi, selectAqiTable } from '../../domain/standards/aqi';
import { assessWater, GB3838_2002, StandardInputError } from '../../domain/standards/water-quality';
import type { HubContext } from '../../graphql/context';
import { badInput } from '../../graphql/errors';
import { encodeCursor, keysetPage, Page, PageArgs, PageRequest, pageRequest } from '../../graphql/pagination';
import { forbiddenRecord, jurisdictionCondition } from '../dossier/dossier.service';
import type { RecordNode } from '../dossier/record-declaration';
import { ENTERPRISE } from '../enterprise/enterprise.record';
import type { GraphQLResolveInfo } from 'graphql';
import { District, isDistrict } from '../../domain/jurisdictions';
import { forbidden } from '../../graphql/errors';
import { noteWithheld } from '../../read/engine';
import { KeyLookup, ReadContext, RecordSpec, RecordStore } from '../dossier/record-store';
import {
  AIR_PARAMETER, AIR_PARAMETERS, AqiPollutantCode, AqiReportKind, AssessmentPeriod, HUB_TIME_ZONE, StationKind, Waterbody,
} from './monitoring.codes';
import { ObservationArgs, StationFilter } from './monitoring.inputs';
import { MonitoringLoaders } from './monitoring.loader';
import { AirQualityPeriod, AqiConcentration, WaterQualityPeriod } from './monitoring.types';
import { Observation } from './observation.entity';
import { MonitoringStation } from './station.entity';
import { plainDecimal, toAqiResult, toWaterResult, withInputErrors } from './standards.service';

/** How stations are stored and listed, for the generic scoped reads of the RecordStore. */
export const STATION_SPEC: RecordSpec<MonitoringStation> = {
  recordType: RecordType.MONITORING,
  entity: MonitoringStation,
  table: 'monitoring_station',
  keyColumn: 'code',
  order: { columns: ['code'], dir: 'ASC' },
  // A station's record is read under the registry resource of its kind (the catalog's `serves`).
  scope: (ctx, alias, q) => monitoringScope(ctx, 'STATIONS', alias, q),
  // A station read through a sharing grant on its registry names the grant in its audit row.
  grantOf: (ctx, s) => monitoringGrant(ctx, stationRule(ctx, s.kind), s.ownerJurisdiction),
};

/**
 * The grant a monitoring read of `owner`'s data under `rule` goes through: the id when the single
 * decision allows it by `sharing.grant`, else null (an unconditional resource, the caller's own
 * district, an emergency read). Audit rows carry it, so the owner's auditor can ask
 * `auditEvents(filter: { grantId })` for every read a grant opened.
 */
export function monitoringGrant(ctx: AccessContext, rule: SharingRule | undefined, owner: string): string | null {
  if (!isDistrict(owner)) return null;
  const d = decideRule(ctx, rule, owner, 'MONITORING');
  return d.allowed && d.grantId ? d.grantId : null;
}

/** Where the water and air assessments read: the aggregate tables, or the raw observations. */
export type AssessmentSource = 'aggregates' | 'raw';

/** Cursor tag of observation lists. */
const OBSERVATION_TAG = 'OBSERVATION';

/** Longest ranges one call may ask for: a year of days, a month of hours (744 = 31 × 24). */
export const MAX_DAILY_DAYS = 366;
export const MAX_HOURLY_HOURS = 744;
/** Water assessments: at most this many periods per call, whatever the period length. */
const MAX_WATER_PERIODS: Record<AssessmentPeriod, number> = { DAY: 366, MONTH: 120, YEAR: 30 };

/**
 * Data validity (GB 3095-2012, Table 4): a 24-h mean needs at least 20 valid hours, an 8-h
 * moving mean at least 6 of its 8 hours. Days or windows short of that give no value.
 */
const MIN_HOURS_PER_DAY = 20;
const MIN_HOURS_PER_8H = 6;

/** Observation filters that, with the page arguments, make one nested list request. */
export interface ObservationQuery {
  parameter: string | null;
  from: Date | null;
  to: Date | null;
}

const POLLUTANT_ORDER: Array<Exclude<AqiPollutantCode, AqiPollutantCode.o3_8h>> = [
  AqiPollutantCode.so2, AqiPollutantCode.no2, AqiPollutantCode.co, AqiPollutantCode.o3, AqiPollutantCode.pm10, AqiPollutantCode.pm25,
];

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included. */
function daysInclusive(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;
}

/** 00:00 China Standard Time of a calendar day, as an instant (the zone keeps UTC+8 all year). */
function cstMidnight(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`);
}

function checkRange(from: string, to: string): number {
  if (to < from) throw badInput('to', `must not be before from (${from})`);
  return daysInclusive(from, to);
}

/** Bounds a water assessment's range by its number of periods. */
function checkWaterRange(from: string, to: string, period: AssessmentPeriod): void {
  const days = checkRange(from, to);
  const months = (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7)) + 1;
  const periods = period === AssessmentPeriod.DAY ? days : period === AssessmentPeriod.MONTH ? months : Number(to.slice(0, 4)) - Number(from.slice(0, 4)) + 1;
  if (periods > MAX_WATER_PERIODS[period]) {
    throw badInput('to', `a ${period} assessment covers at most ${MAX_WATER_PERIODS[period]} periods per call; ${from}..${to} spans ${periods}`);
  }
}

/** Bounds an AQI report's range: 366 days DAILY, 744 hours HOURLY; the start must have an HJ 633 revision. */
function checkAirRange(from: string, to: string, report: AqiReportKind): void {
  const days = checkRange(from, to);
  if (report === AqiReportKind.DAILY && days > MAX_DAILY_DAYS) {
    throw badInput('to', `a DAILY report covers at most ${MAX_DAILY_DAYS} days per call; ${from}..${to} spans ${days}`);
  }
  if (report === AqiReportKind.HOURLY && days * 24 > MAX_HOURLY_HOURS) {
    throw badInput('to', `an HOURLY report covers at most ${MAX_HOURLY_HOURS} hours per call; ${from}..${to} spans ${days * 24}`);
  }
  withInputErrors('from', () => selectAqiTable(from));
}

/** Raw observation row (snake_case) to the GraphQL object. */
function toObservation(r: Record<string, unknown>): Observation {
  const o = new Observation();
  o.stationId = String(r.station_id);
  o.parameter = String(r.parameter);
  o.observedAt = r.observed_at as Date;
  o.interval = r.interval as Observation['interval'];
  o.value = String(r.value);
  o.unit = String(r.unit);
  o.flag = String(r.flag).trim() as Observation['flag'];
  return o;
}

/**
 * Reads of monitoring stations and observations, and the standard assessments over them. Every
 * statement scopes through `monitoringScope`: each part of the data under the catalog resource that governs it
 * read scope, so observations are never read past the policy; aggregation happens in SQL.
 */
export class MonitoringService {
  private readonly requests = new WeakMap<object, MonitoringLoaders>();

  /**
   * `readFrom` says where the assessments read: the hourly and daily aggregates (the hub), or the
   * raw observations (the plain-table baseline of the bench, and the reference the equivalence
   * tests compare the aggregates with). Both give the same answers.
   */
  constructor(private readonly store: RecordStore, private readonly ds: DataSource, private readonly readFrom: AssessmentSource = 'aggregates') {}

  /** The monitoring loaders of one request, made on first use and dropped with the request's context. */
  loaders(ctx: HubContext): MonitoringLoaders {
    let l = this.requests.get(ctx);
    if (!l) {
      l = new MonitoringLoaders(this, ctx);
      this.requests.set(ctx, l);
    }
    return l;
  }

  /** One station by code: null when there is none, FORBIDDEN when the policy hides it. */
  async getStation(ctx: HubContext, code: string): Promise<MonitoringStation | null> {
    const found = await this.loaders(ctx).stationByCode.load(code);
    if (!found) return null;
    if (!found.visible) {
      // Which resource hid it depends on the station's kind; only the kind is read, never the record.
      const [row] = await this.ds.query('SELECT kind FROM monitoring_station WHERE code = $1', [code]);
      throw this.forbiddenMonitoring(ctx, `station ${code}`, stationRule(ctx, String(row?.kind)), found.owner, 'STATIONS');
    }
    return found.row;
  }

  /** FORBIDDEN for monitoring data the policy hides, explained like a hidden record (the rule, the purposes and roles that would open it). */
  private forbiddenMonitoring(ctx: HubContext, what: string, rule: SharingRule | undefined, owner: string, data: string): Error {
    const d = isDistrict(owner) ? decideRule(ctx, rule, owner, 'MONITORING') : undefined;
    ctx.audit?.denied(RecordType.MONITORING, owner);
    return forbidden(`${what} belongs to ${owner}, whose ${data.toLowerCase().replace('_', ' ')} this principal may not read (${d?.rule ?? 'not a district'})`, {
      rule: d?.rule ?? 'unknownOwner', recordType: RecordType.MONITORING, catalogCode: rule?.catalogCode ?? null, ownerJurisdiction: owner,
      ...denialExtensions(d),
    });
  }

  /**
   * The assessment of a visible station is read under its own resource: FORBIDDEN (explained) where
   * that resource is closed; where it is open, `tally` records the read for the audit log once the
   * assessment is computed: as the assessment (`WATER_CLASS`, `AQI`) of the station, with the grant
   * that opened it, if one did.
   */
  private assertAssessment(ctx: HubContext, station: MonitoringStation, assessment: MonitoringAssessment): { tally: () => void } {
    const rule = assessmentRule(ctx, assessment, station.kind, station.drinkingWaterSource);
    if (!decideRule(ctx, rule, station.ownerJurisdiction as District, 'MONITORING').allowed) {
      throw this.forbiddenMonitoring(ctx, `station ${station.code}`, rule, station.ownerJurisdiction, assessment);
    }
    const grantId = monitoringGrant(ctx, rule, station.ownerJurisdiction);
    return { tally: () => ctx.audit?.returned(assessment, [{ ownerJurisdiction: station.ownerJurisdiction, key: station.code, grantId }]) };
  }

  /** A station's observations, newest first; siblings in a station list share one statement. */
  async stationObservations(ctx: HubContext, station: MonitoringStation, args: ObservationArgs, path: string): Promise<Page<Observation>> {
    const stationId = station.id;
    const { query, page } = this.observationRequest(args, path);
    // A station the caller sees whose observations it may not read: an empty list, and the reason in extensions.policy.withheld.
    const rule = observationRule(ctx, station.catalogResourceCode);
    const d = decideRule(ctx, rule, station.ownerJurisdiction as District, 'MONITORING');
    if (!d.allowed) noteWithheld(ctx, 'MonitoringStation.observations', station.ownerJurisdiction, d, rule?.catalogCode);
    const loaders = this.loaders(ctx);
    const p = await loaders.observationsOf(query, page).load(stationId);
    let total: Promise<number> | undefined;
    return {
      edges: p.edges,
      pageInfo: p.pageInfo,
      get totalCount() {
        return (total ??= loaders.observationCount(query).load(stationId));
      },
    };
  }

  /** The enterprise of a pollution-source outlet through the request's enterprise loader (null when hidden or none). */
  async enterpriseOf(ctx: HubContext, station: MonitoringStation, info: GraphQLResolveInfo): Promise<RecordNode | null> {
    if (!station.enterpriseId) return null;
    const found = await ctx.read.byKey(ENTERPRISE.model, station.enterpriseId, info, 'id');
    return found?.visible ? found.node : null;
  }

  /**
   * `waterQuality` of a section by code: arguments checked first (no SQL for bad input), then the
   * station (null when unknown, FORBIDDEN when hidden, like the dossier lookups), then one aggregate statement.
   */
  async waterQualityOf(ctx: HubContext, code: string, from: Date, to: Date, period: AssessmentPeriod): Promise<WaterQualityPeriod[] | null> {
    checkWaterRange(isoDay(from), isoDay(to), period);
    const station = await this.getStation(ctx, code);
    if (!station) return null;
    const read = station.kind === StationKind.SURFACE_WATER ? this.assertAssessment(ctx, station, 'WATER_CLASS') : null;
    const out = await this.waterQuality(ctx, station, from, to, period);
    read?.tally();
    return out;
  }

  /** `airQuality` of an air station by code, in the same steps as `waterQualityOf`. */
  async airQualityOf(ctx: HubContext, code: string, from: Date, to: Date, report: AqiReportKind): Promise<AirQualityPeriod[] | null> {
    checkAirRange(isoDay(from), isoDay(to), report);
    const station = await this.getStation(ctx, code);
    if (!station) return null;
    const read = station.kind === StationKind.AIR ? this.assertAssessment(ctx, station, 'AQI') : null;
    const out = await this.airQuality(ctx, station, from, to, report);
    read?.tally();
    return out;
  }

  /** Stations by code, hidden ones marked, for the per-request loader. */
  stationsByCode(ctx: ReadContext, codes: readonly string[]): Promise<Map<string, KeyLookup<MonitoringStation>>> {
    return this.store.byKeys(ctx, STATION_SPEC, codes);
  }

  /** The scoped station list, in code order. */
  listStations(ctx: ReadContext, filter: StationFilter, args: PageArgs): Promise<Page<MonitoringStation>> {
    const page = pageRequest(args, STATION_SPEC.recordType, this.store.cursorKinds(STATION_SPEC));
    return this.store.list(ctx, STATION_SPEC, (q) => {
      const c = jurisdictionCondition(filter.jurisdiction, q);
      if (filter.kind) c.push(`t.kind = ${q.p(filter.kind)}`);
      if (filter.waterbody) c.push(`t.waterbody = ${q.p(filter.waterbody)}`);
      return c;
    }, page);
  }

  /** Validates the arguments of an observation list; `path` prefixes field names of nested lists. */
  observationRequest(args: PageArgs & Partial<ObservationQuery>, path = ''): { query: ObservationQuery; page: PageRequest } {
    if (args.parameter !== undefined && args.parameter !== null && !/^[A-Za-z0-9]{1,16}$/.test(args.parameter)) {
      throw badInput(`${path}parameter`, `must be an HJ 212 parameter code like a34004 or w21003, got "${args.parameter}"`);
    }
    if (args.from && args.to && args.to < args.from) throw badInput(`${path}to`, `must not be before ${path}from (${args.from.toISOString()})`);
    const page = pageRequest(args, OBSERVATION_TAG, ['timestamptz', 'text'], path);
    return { query: { parameter: args.parameter ?? null, from: args.from ?? null, to: args.to ?? null }, page };
  }

  private observationConditions(query: ObservationQuery, q: SqlParams): string[] {
    const c: string[] = [];
    if (query.parameter) c.push(`o.parameter = ${q.p(query.parameter)}`);
    if (query.from) c.push(`o.observed_at >= ${q.p(query.from.toISOString())}::timestamptz`);
    if (query.to) c.push(`o.observed_at <= ${q.p(query.to.toISOString())}::timestamptz`);
    return c;
  }

  /**
   * Per catalog resource, the first and last observation time of the stations it covers that the
   * caller may read (the DCAT export's dct:temporal): two index probes per station on the
   * (station, time) index, never a scan of the observations. Nothing for a caller who may not read
   * monitoring data, since a period is derived from the data.
   */
  async coverageByCatalogResource(ctx: AccessContext): Promise<Array<{ catalogResourceCode: string; start: Date; end: Date }>> {
    const q = new SqlParams();
    const scope = monitoringScope(ctx, 'OBSERVATIONS', 's', q);
    if (scope === 'false') return [];
    const rows: Array<{ code: string; start: Date; end: Date }> = await this.ds.query(
      `SELECT s.catalog_resource_code AS code, min(f.observed_at) AS start, max(l.observed_at) AS "end"
       FROM monitoring_station s
       CROSS JOIN LATERAL (SELECT o.observed_at FROM observation o WHERE o.station_id = s.id ORDER BY o.observed_at LIMIT 1) f
       CROSS JOIN LATERAL (SELECT o.observed_at FROM observation o WHERE o.station_id = s.id ORDER BY o.observed_at DESC LIMIT 1) l
       WHERE ${scope}
       GROUP BY s.catalog_resource_code ORDER BY s.catalog_resource_code`,
      q.values,
    );
    return rows.map((r) => ({ catalogResourceCode: r.code, start: new Date(r.start), end: new Date(r.end) }));
  }

  /**
   * One page of observations for each of many stations in one statement: a LATERAL subquery
   * walks each station's (station, time) index newest first and stops after `first + 1` rows, so
   * a nested list costs one statement however many stations, and no station's history is sorted.
   */
  async observationPages(ctx: AccessContext, stationIds: readonly string[], query: ObservationQuery, page: PageRequest): Promise<Map<string, Page<Observation>>> {
    const q = new SqlParams();
    const scope = monitoringScope(ctx, 'OBSERVATIONS', 's', q);
    const conds = this.observationConditions(query, q);
    if (page.after) conds.push(`(o.observed_at, o.parameter) < (${q.p(page.after[0])}::timestamptz, ${q.p(page.after[1])}::varchar)`);
    const sql = `SELECT o.*, s.owner_jurisdiction, s.code AS station_code, s.catalog_resource_code AS resource_code, row_number() OVER (PARTITION BY o.station_id ORDER BY o.observed_at DESC, o.parameter DESC) AS rn FROM monitoring_station s
      CROSS JOIN LATERAL (
        SELECT o.station_id, o.parameter, o.observed_at, o.interval, o.value, o.unit, o.flag FROM observation o
        WHERE ${['o.station_id = s.id', ...conds].join(' AND ')}
        ORDER BY o.observed_at DESC, o.parameter DESC LIMIT ${page.first + 1}
      ) o
      WHERE s.id = ANY(${q.p(stationIds)}::uuid[]) AND ${scope}`;
    const raw: Record<string, unknown>[] = await this.ds.query(sql, q.values);
    const groups = new Map<string, Record<string, unknown>[]>();
    // Observations handed out are shared data read: tallied by the station's owner for the audit log.
    const released = raw.filter((r) => Number(r.rn) <= page.first);
    // A read through a sharing grant names it: the decision of the station's resource for its owner.
    const grantOf = (code: unknown, owner: unknown) => monitoringGrant(ctx, observationRule(ctx, String(code)), String(owner));
    (ctx as ReadContext).audit?.returned('OBSERVATION', released.map((r) => ({ ownerJurisdiction: String(r.owner_jurisdiction), key: String(r.station_code), grantId: grantOf(r.resource_code, r.owner_jurisdiction) })));
    for (const r of raw) {
      const id = String(r.station_id);
      groups.set(id, [...(groups.get(id) ?? []), r]);
    }
    const out = new Map<string, Page<Observation>>();
    for (const id of stationIds) {
      const rows = groups.get(id) ?? [];
      const nodes = rows.slice(0, page.first).map(toObservation);
      out.set(id, keysetPage(nodes, rows.length, page, (_, i) => encodeCursor(OBSERVATION_TAG, [(rows[i].observed_at as Date).toISOString(), String(rows[i].parameter)]),
        // Never read: the caller (stationObservations) counts lazily through a loader of its own.
        () => Promise.resolve(0)));
    }
    return out;
  }

  /** How many observations each station has under the filter: one grouped statement for all stations. */
  async observationCounts(ctx: AccessContext, stationIds: readonly string[], query: ObservationQuery): Promise<Map<string, number>> {
    const q = new SqlParams();
    const scope = monitoringScope(ctx, 'OBSERVATIONS', 's', q);
    const conds = ['s.id = o.station_id', `o.station_id = ANY(${q.p(stationIds)}::uuid[])`, scope, ...this.observationConditions(query, q)];
    const raw: Array<{ station_id: string; n: number }> = await this.ds.query(
      `SELECT o.station_id, count(*)::int AS n FROM observation o, monitoring_station s WHERE ${conds.join(' AND ')} GROUP BY o.station_id`,
      q.values,
    ) as never;
    return new Map(raw.map((r) => [String(r.station_id), Number(r.n)]));
  }

  /**
   * The water class of a section per day, month or year: each parameter is averaged over the
   * period in SQL from N-flag data only, then the period means are classified with the section's
   * waterbody type. A period whose data has no valid value of an evaluated item has no class.
   */
  async waterQuality(ctx: ReadContext, station: MonitoringStation, fromDate: Date, toDate: Date, period: AssessmentPeriod): Promise<WaterQualityPeriod[]> {
    const from = isoDay(fromDate);
    const to = isoDay(toDate);
    checkWaterRange(from, to, period);
    if (station.kind !== StationKind.SURFACE_WATER || !station.waterbody) {
      throw badInput('stationCode', `${station.code} is a ${station.kind} station; waterQuality assesses SURFACE_WATER sections`);
    }

    const q = new SqlParams();
    const sql = this.readFrom === 'raw' ? this.rawWaterSql(ctx, station, q, from, to, period) : this.aggregateWaterSql(ctx, station, q, from, to, period);
    const raw: Array<{ period_start: string; parameter: string | null; mean: string | null; valid: number; total: number; samples: number }> =
      await this.ds.query(sql, q.values) as never;

    const out: WaterQualityPeriod[] = [];
    let current: WaterQualityPeriod | null = null;
    let means: Array<{ parameter: string; value: string }> = [];
    const finish = () => {
      if (!current) return;
      const assessable = means.filter((m) => GB3838_2002.parameters.has(m.parameter));
      try {
        const a = assessWater({ waterbody: station.waterbody as Waterbody, values: assessable });
        const shaped = toWaterResult(a, new Map(assessable.map((m) => [m.parameter, m.value])));
        Object.assign(current, { waterClass: shaped.waterClass, grade: shaped.grade, items: shaped.items, mainPollutants: shaped.mainPollutants, standard: shaped.standard });
      } catch (err) {
        // A period without a valid value of an evaluated item has no class; it still reports its shares.
        if (!(err instanceof StandardInputError)) throw err;
      }
      out.push(current);
    };
    for (const r of raw) {
      if (r.parameter === null) {
        finish();
        current = {
          periodStart: r.period_start, waterClass: null, grade: null, items: [], mainPollutants: [], standard: null,
          validShare: r.total === 0 ? 0 : Math.round((r.valid / r.total) * 10000) / 10000,
          sampleCount: r.samples,
        };
        means = [];
      } else if (r.mean !== null) {
        means.push({ parameter: r.parameter, value: plainDecimal(r.mean) });
      }
    }
    finish();
    return out;
  }

  /**
   * Per period and parameter (and per period over all parameters): the mean of the N-flag values,
   * the number of valid and of all values, and the distinct N-flag times — from the daily aggregates.
   * The mean is the sum of the N-flag values over their count, the same division as `avg`, so it
   * equals the raw mean digit for digit.
   */
  private aggregateWaterSql(ctx: ReadContext, station: MonitoringStation, q: SqlParams, from: string, to: string, period: AssessmentPeriod): string {
    const fromP = q.p(from);
    const toP = q.p(to);
    const unit = q.p(period.toLowerCase());
    const stationP = q.p(station.id);
    return `WITH g AS (
        SELECT greatest(date_trunc(${unit}, a.day::timestamp), ${fromP}::date::timestamp) AS period_start, a.parameter, a.n_total, a.n_valid, a.sum_valid
        FROM observation_daily a JOIN monitoring_station s ON s.id = a.station_id
        WHERE s.id = ${stationP} AND ${monitoringScope(ctx, 'WATER_CLASS', 's', q)} AND a.day >= ${fromP}::date AND a.day <= ${toP}::date
      ),
      smp AS (
        SELECT greatest(date_trunc(${unit}, a.day::timestamp), ${fromP}::date::timestamp) AS period_start, sum(a.samples)::int AS samples
        FROM observation_daily_samples a WHERE a.station_id = ${stationP} AND a.day >= ${fromP}::date AND a.day <= ${toP}::date GROUP BY 1
      ),
      r AS (
        SELECT g.period_start, g.parameter,
          round(sum(g.sum_valid) / nullif(sum(g.n_valid), 0), 6)::text AS mean,
          sum(g.n_valid)::int AS valid, sum(g.n_total)::int AS total
        FROM g GROUP BY GROUPING SETS ((g.period_start, g.parameter), (g.period_start))
      )
      SELECT to_char(r.period_start, 'YYYY-MM-DD') AS period_start, r.parameter, r.mean, r.valid, r.total,
        CASE WHEN r.parameter IS NULL THEN coalesce(smp.samples, 0) ELSE 0 END AS samples
      FROM r LEFT JOIN smp ON smp.period_start = r.period_start
      ORDER BY r.period_start, r.parameter NULLS FIRST`;
  }

  /** The same figures as `aggregateWaterSql`, from the raw observations. */
  private rawWaterSql(ctx: ReadContext, station: MonitoringStation, q: SqlParams, from: string, to: string, period: AssessmentPeriod): string {
    const tz = q.p(HUB_TIME_ZONE);
    const fromP = q.p(from);
    return `SELECT to_char(g.period_start, 'YYYY-MM-DD') AS period_start, g.parameter,
        round(avg(g.value) FILTER (WHERE g.flag = 'N'), 6)::text AS mean,
        count(*) FILTER (WHERE g.flag = 'N')::int AS valid,
        count(*)::int AS total,
        count(DISTINCT g.observed_at) FILTER (WHERE g.flag = 'N')::int AS samples
      FROM (
        SELECT greatest(date_trunc(${q.p(period.toLowerCase())}, o.observed_at AT TIME ZONE ${tz}), ${fromP}::date::timestamp) AS period_start,
          o.parameter, o.value, o.flag, o.observed_at
        FROM observation o JOIN monitoring_station s ON s.id = o.station_id
        WHERE s.id = ${q.p(station.id)} AND ${monitoringScope(ctx, 'WATER_CLASS', 's', q)}
          AND o.observed_at >= (${fromP}::date::timestamp AT TIME ZONE ${tz})
          AND o.observed_at < ((${q.p(to)}::date + 1)::timestamp AT TIME ZONE ${tz})
      ) g
      GROUP BY GROUPING SETS ((g.period_start, g.parameter), (g.period_start))
      ORDER BY g.period_start, g.parameter NULLS FIRST`;
  }

  /**
   * The AQI of an air station per day (DAILY: 24-h means, daily max 1-h O3 and daily max 8-h
   * moving O3, computed in SQL from N-flag hourly data, or taken from stored daily statistics
   * where no hourly data is kept) or per hour (HOURLY: 1-h values, PM as the revision in force
   * asks). Ranges are capped at 366 days / 744 hours.
   */
  async airQuality(ctx: ReadContext, station: MonitoringStation, fromDate: Date, toDate: Date, report: AqiReportKind): Promise<AirQualityPeriod[]> {
    const from = isoDay(fromDate);
    const to = isoDay(toDate);
    checkAirRange(from, to, report);
    if (station.kind !== StationKind.AIR) {
      throw badInput('stationCode', `${station.code} is a ${station.kind} station; airQuality assesses AIR stations`);
    }
    return report === AqiReportKind.DAILY ? this.dailyAqi(ctx, station, from, to) : this.hourlyAqi(ctx, station, from, to);
  }

  /** Common head of the air statements: the station's air observations in [start, end), scoped. */
  private airSource(ctx: ReadContext, station: MonitoringStation, q: SqlParams, start: string, end: string, extra = ''): string {
    return `SELECT o.parameter, o.interval, o.flag, o.value, o.observed_at FROM observation o JOIN monitoring_station s ON s.id = o.station_id
      WHERE s.id = ${q.p(station.id)} AND ${monitoringScope(ctx, 'AQI', 's', q)}
        AND o.parameter = ANY(${q.p(AIR_PARAMETERS)}::varchar[]) AND o.observed_at >= ${start} AND o.observed_at < ${end} ${extra}`;
  }

  /**
   * Per day: the 24-h means of the N-flag hourly values (and how many), the daily max 1-h O3, the
   * daily max 8-h moving O3 (from the hourly aggregates), the stored daily values, and the share
   * of N-flag values — read from the daily and hourly aggregates, never the minutes.
   */
  private aggregateDailyAqiSql(ctx: ReadContext, station: MonitoringStation, q: SqlParams, from: string, to: string): string {
    const tz = q.p(HUB_TIME_ZONE);
    const fromP = q.p(from);
    const toP = q.p(to);
    const P = AIR_PARAMETER;
    const hourOf = (k: string) => `interval = 'HOUR' AND parameter = '${k}'`;
    const means = (['so2', 'no2', 'co', 'pm10', 'pm25'] as const).map((k) =>
      `sum(sum_valid) FILTER (WHERE ${hourOf(P[k])}) / nullif(sum(n_valid) FILTER (WHERE ${hourOf(P[k])}), 0) AS ${k}, coalesce(sum(n_valid) FILTER (WHERE ${hourOf(P[k])}), 0) AS ${k}_n`).join(',\n        ');
    const stored = (['so2', 'no2', 'co', 'pm10', 'pm25'] as const).map((k) => `max(max_valid) FILTER (WHERE interval = 'DAY' AND parameter = '${P[k]}') AS ${k}`).join(', ');
    const pick = (['so2', 'no2', 'co', 'pm10', 'pm25'] as const).map((k) =>
      `coalesce(CASE WHEN h.${k}_n >= ${MIN_HOURS_PER_DAY} THEN round(h.${k}, 6) END, d.${k})::text AS ${k}`).join(',\n        ');
    // Parameter codes and thresholds above are constants of this module, never request input.
    return `WITH a AS (
        SELECT x.day, x.parameter, x.interval, x.n_total, x.n_valid, x.sum_valid, x.max_valid
        FROM observation_daily x JOIN monitoring_station s ON s.id = x.station_id
        WHERE s.id = ${q.p(station.id)} AND ${monitoringScope(ctx, 'AQI', 's', q)}
          AND x.parameter = ANY(${q.p(AIR_PARAMETERS)}::varchar[]) AND x.day >= ${fromP}::date AND x.day <= ${toP}::date
      ),
      h AS (
        SELECT day, ${means},
          max(max_valid) FILTER (WHERE ${hourOf(P.o3)}) AS o3
        FROM a GROUP BY day
      ),
      w AS (
        SELECT day, max(m8) FILTER (WHERE n8 >= ${MIN_HOURS_PER_8H} AND local_at::time >= '07:00') AS o3_8h FROM (
          SELECT local_at::date AS day, local_at,
            sum(sum_valid) OVER win / nullif(sum(n_valid) OVER win, 0) AS m8,
            sum(n_valid) OVER win AS n8
          FROM (
            SELECT x.hour_start AT TIME ZONE ${tz} AS local_at, x.sum_valid, x.n_valid
            FROM observation_hourly x JOIN monitoring_station s ON s.id = x.station_id
            WHERE s.id = ${q.p(station.id)} AND ${monitoringScope(ctx, 'AQI', 's', q)} AND x.parameter = '${P.o3}' AND x.interval = 'HOUR'
              AND x.hour_start >= (${fromP}::date::timestamp AT TIME ZONE ${tz}) AND x.hour_start < ((${toP}::date + 1)::timestamp AT TIME ZONE ${tz})
          ) y
          WINDOW win AS (PARTITION BY local_at::date ORDER BY local_at RANGE BETWEEN INTERVAL '7 hours' PRECEDING AND CURRENT ROW)
        ) x GROUP BY day
      ),
      d AS (
        SELECT day, ${stored}, max(max_valid) FILTER (WHERE interval = 'DAY' AND parameter = '${P.o3}') AS o3_8h FROM a GROUP BY day
      ),
      days AS (SELECT day, sum(n_valid)::float8 / sum(n_total) AS valid_share FROM a GROUP BY day)
      SELECT to_char(days.day, 'YYYY-MM-DD') AS day, days.valid_share,
        ${pick},
        h.o3::text AS o3,
        coalesce(round(w.o3_8h, 6), d.o3_8h)::text AS o3_8h
      FROM days LEFT JOIN h ON h.day = days.day LEFT JOIN w ON w.day = days.day LEFT JOIN d ON d.day = days.day
      ORDER BY days.day`;
  }

  /** The daily concentrations of `aggregateDailyAqiSql`, from the raw observations. */
  private rawDailyAqiSql(ctx: ReadContext, station: MonitoringStation, q: SqlParams, from: string, to: string): string {
    const tz = q.p(HUB_TIME_ZONE);
    const start = `(${q.p(from)}::date::timestamp AT TIME ZONE ${tz})`;
    const end = `((${q.p(to)}::date + 1)::timestamp AT TIME ZONE ${tz})`;
    const P = AIR_PARAMETER;
    const means = (['so2', 'no2', 'co', 'pm10', 'pm25'] as const).map((k) =>
      `avg(value) FILTER (WHERE parameter = '${P[k]}') AS ${k}, count(*) FILTER (WHERE parameter = '${P[k]}') AS ${k}_n`).join(',\n        ');
    const stored = (['so2', 'no2', 'co', 'pm10', 'pm25'] as const).map((k) => `max(value) FILTER (WHERE parameter = '${P[k]}') AS ${k}`).join(', ');
    const pick = (['so2', 'no2', 'co', 'pm10', 'pm25'] as const).map((k) =>
      `coalesce(CASE WHEN h.${k}_n >= ${MIN_HOURS_PER_DAY} THEN round(h.${k}, 6) END, d.${k})::text AS ${k}`).join(',\n        ');
    // Parameter codes and thresholds above are constants of this module, never request input.
    return `WITH o AS (
        SELECT x.parameter, x.interval, x.flag, x.value, (x.observed_at AT TIME ZONE ${tz}) AS local_at FROM (${this.airSource(ctx, station, q, start, end)}) x
      ),
      v AS (SELECT parameter, local_at, local_at::date AS day, value FROM o WHERE flag = 'N' AND interval = 'HOUR'),
      h AS (
        SELECT day, ${means},
          max(value) FILTER (WHERE parameter = '${P.o3}') AS o3
        FROM v GROUP BY day
      ),
      w AS (
        SELECT day, max(m8) FILTER (WHERE n8 >= ${MIN_HOURS_PER_8H} AND local_at::time >= '07:00') AS o3_8h FROM (
          SELECT local_at::date AS day, local_at,
            avg(value) FILTER (WHERE flag = 'N') OVER win AS m8,
            count(*) FILTER (WHERE flag = 'N') OVER win AS n8
          FROM o WHERE parameter = '${P.o3}' AND interval = 'HOUR'
          WINDOW win AS (PARTITION BY local_at::date ORDER BY local_at RANGE BETWEEN INTERVAL '7 hours' PRECEDING AND CURRENT ROW)
        ) x GROUP BY day
      ),
      d AS (
        SELECT local_at::date AS day, ${stored}, max(value) FILTER (WHERE parameter = '${P.o3}') AS o3_8h
        FROM o WHERE flag = 'N' AND interval = 'DAY' GROUP BY 1
      ),
      days AS (SELECT local_at::date AS day, count(*) FILTER (WHERE flag = 'N')::float8 / count(*) AS valid_share FROM o GROUP BY 1)
      SELECT to_char(days.day, 'YYYY-MM-DD') AS day, days.valid_share,
        ${pick},
        h.o3::text AS o3,
        coalesce(round(w.o3_8h, 6), d.o3_8h)::text AS o3_8h
      FROM days LEFT JOIN h ON h.day = days.day LEFT JOIN w ON w.day = days.day LEFT JOIN d ON d.day = days.day
      ORDER BY days.day`;
  }

  private async dailyAqi(ctx: ReadContext, station: MonitoringStation, from: string, to: string): Promise<AirQualityPeriod[]> {
    const q = new SqlParams();
    const sql = this.readFrom === 'raw' ? this.rawDailyAqiSql(ctx, station, q, from, to) : this.aggregateDailyAqiSql(ctx, station, q, from, to);
    const raw: Array<Record<string, string | number | null>> = await this.ds.query(sql, q.values) as never;
    return raw.map((r) => {
      const day = String(r.day);
      const values: Partial<Record<AqiPollutantCode, string>> = {};
      for (const k of [...POLLUTANT_ORDER, AqiPollutantCode.o3_8h]) if (r[k] !== null && r[k] !== undefined) values[k] = plainDecimal(String(r[k]));
      return this.aqiPeriod(cstMidnight(day), day, 'DAILY', values, Number(r.valid_share));
    });
  }

  /**
   * Per hour: the share of N-flag values, each pollutant's N-flag 1-h value, and the 24-h moving
   * means of SO2 and PM (sum of the N-flag values over their count in the 24 hours) — from the
   * hourly aggregates of reported hourly values (HJ 212 2061, stamped at the hour's start).
   */
  private aggregateHourlyAqiSql(ctx: ReadContext, station: MonitoringStation, q: SqlParams, from: string, to: string): string {
    const tz = q.p(HUB_TIME_ZONE);
    const startP = `(${q.p(from)}::date::timestamp AT TIME ZONE ${tz})`;
    const start = `(${startP} - INTERVAL '23 hours')`;
    const end = `((${q.p(to)}::date + 1)::timestamp AT TIME ZONE ${tz})`;
    const P = AIR_PARAMETER;
    const hourly = POLLUTANT_ORDER.map((k) => `max(max_valid) FILTER (WHERE parameter = '${P[k]}')::text AS ${k}`).join(',\n        ');
    const moving = (['so2', 'pm10', 'pm25'] as const).map((k) =>
      `max(round(m24, 6)) FILTER (WHERE n24 >= ${MIN_HOURS_PER_DAY} AND parameter = '${P[k]}')::text AS ${k}_24h`).join(',\n        ');
    return `WITH m AS (
        SELECT parameter, hour_start, n_total, n_valid, max_valid,
          sum(sum_valid) OVER win / nullif(sum(n_valid) OVER win, 0) AS m24,
          sum(n_valid) OVER win AS n24
        FROM (
          SELECT x.parameter, x.hour_start, x.n_total, x.n_valid, x.sum_valid, x.max_valid
          FROM observation_hourly x JOIN monitoring_station s ON s.id = x.station_id
          WHERE s.id = ${q.p(station.id)} AND ${monitoringScope(ctx, 'AQI', 's', q)} AND x.interval = 'HOUR'
            AND x.parameter = ANY(${q.p(AIR_PARAMETERS)}::varchar[]) AND x.hour_start >= ${start} AND x.hour_start < ${end}
        ) y
        WINDOW win AS (PARTITION BY parameter ORDER BY hour_start RANGE BETWEEN INTERVAL '23 hours' PRECEDING AND CURRENT ROW)
      )
      SELECT hour_start AS at, to_char(hour_start AT TIME ZONE ${tz}, 'YYYY-MM-DD') AS day,
        sum(n_valid)::float8 / sum(n_total) AS valid_share,
        ${hourly},
        ${moving}
      FROM m WHERE hour_start >= ${startP}
      GROUP BY hour_start ORDER BY hour_start`;
  }

  /** The hourly figures of `aggregateHourlyAqiSql`, from the raw observations. */
  private rawHourlyAqiSql(ctx: ReadContext, station: MonitoringStation, q: SqlParams, from: string, to: string): string {
    const tz = q.p(HUB_TIME_ZONE);
    const startP = `(${q.p(from)}::date::timestamp AT TIME ZONE ${tz})`;
    // 23 hours before the range feed the 24-h moving means of its first hours.
    const start = `(${startP} - INTERVAL '23 hours')`;
    const end = `((${q.p(to)}::date + 1)::timestamp AT TIME ZONE ${tz})`;
    const P = AIR_PARAMETER;
    const hourly = POLLUTANT_ORDER.map((k) => `max(value) FILTER (WHERE flag = 'N' AND parameter = '${P[k]}')::text AS ${k}`).join(',\n        ');
    const moving = (['so2', 'pm10', 'pm25'] as const).map((k) =>
      `max(round(m24, 6)) FILTER (WHERE n24 >= ${MIN_HOURS_PER_DAY} AND parameter = '${P[k]}')::text AS ${k}_24h`).join(',\n        ');
    return `WITH m AS (
        SELECT parameter, flag, value, observed_at,
          avg(value) FILTER (WHERE flag = 'N') OVER win AS m24,
          count(*) FILTER (WHERE flag = 'N') OVER win AS n24
        FROM (${this.airSource(ctx, station, q, start, end, `AND o.interval = 'HOUR'`)}) x
        WINDOW win AS (PARTITION BY parameter ORDER BY observed_at RANGE BETWEEN INTERVAL '23 hours' PRECEDING AND CURRENT ROW)
      )
      SELECT observed_at AS at, to_char(observed_at AT TIME ZONE ${tz}, 'YYYY-MM-DD') AS day,
        count(*) FILTER (WHERE flag = 'N')::float8 / count(*) AS valid_share,
        ${hourly},
        ${moving}
      FROM m WHERE observed_at >= ${startP}
      GROUP BY observed_at ORDER BY observed_at`;
  }

  private async hourlyAqi(ctx: ReadContext, station: MonitoringStation, from: string, to: string): Promise<AirQualityPeriod[]> {
    const q = new SqlParams();
    const sql = this.readFrom === 'raw' ? this.rawHourlyAqiSql(ctx, station, q, from, to) : this.aggregateHourlyAqiSql(ctx, station, q, from, to);
    const raw: Array<Record<string, unknown>> = await this.ds.query(sql, q.values);
    return raw.map((r) => {
      const day = String(r.day);
      // HJ 633-2012 judges PM in the real-time report by its 24-h moving mean; HJ 633-2026 by the 1-h mean.
      const pmMoving = selectAqiTable(day).version === '2012';
      const pick = (k: string) => (r[k] === null || r[k] === undefined ? undefined : plainDecimal(String(r[k])));
      const values: Partial<Record<AqiPollutantCode, string>> = {};
      for (const k of POLLUTANT_ORDER) {
        const v = (k === AqiPollutantCode.pm10 || k === AqiPollutantCode.pm25) && pmMoving ? pick(`${k}_24h`) : pick(k);
        if (v !== undefined) values[k] = v;
      }
      return this.aqiPeriod(r.at as Date, day, 'HOURLY', values, Number(r.valid_share), pick('so2_24h'));
    });
  }

  /** One day's or hour's AQI from its concentrations; no concentration at all gives a null AQI. */
  private aqiPeriod(at: Date, day: string, report: 'DAILY' | 'HOURLY', values: Partial<Record<AqiPollutantCode, string>>, validShare: number, so2Of24h?: string): AirQualityPeriod {
    const concentrations: AqiConcentration[] = Object.entries(values).map(([pollutant, value]) => ({ pollutant: pollutant as AqiPollutantCode, value: value! }));
    const base: AirQualityPeriod = {
      at, date: day, aqi: null, level: null, category: null, primaryPollutants: [], iaqi: [], concentrations, standard: null,
      validShare: Math.round(validShare * 10000) / 10000,
    };
    if (concentrations.length === 0) return base;
    const input: AqiCalcInput = { report, date: day, ...values };
    if (report === 'HOURLY' && so2Of24h !== undefined) input.so2_24h = so2Of24h;
    const r = toAqiResult(computeAqi(input));
    return { ...base, aqi: r.aqi, level: r.level, category: r.category, primaryPollutants: r.primaryPollutants, iaqi: r.iaqi, standard: r.standard };
  }
}
