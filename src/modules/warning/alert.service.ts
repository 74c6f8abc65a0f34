import Decimal from 'decimal.js';
import type { DataSource, EntityManager } from 'typeorm';
import { alertActionDenial } from '../../auth/policy';
import { alertScope } from '../../auth/scope';
import type { Principal } from '../../auth/principal';
import type { EventBus } from '../../db/events';
import { SqlParams } from '../../db/sql';
import { District, isDistrict, provinceOf } from '../../domain/jurisdictions';
import type { WaterClass } from '../../domain/standards/water-quality';
import { badInput, ErrorCode, forbidden, HubError } from '../../graphql/errors';
import { encodeCursor, keysetPage, Page, PageArgs, pageRequest } from '../../graphql/pagination';
import type { ReadContext } from '../dossier/record-store';
import { HUB_TIME_ZONE, StationKind } from '../monitoring';
import { removeListedOnIncident } from '../enforcement/positive-list.events';
import { AlertKind, AlertLevel, AlertPeriod, AlertStatus, levelRank, LEVEL_ORDER, SOURCE_KINDS } from './alert.codes';
import {
  Finding, limitExceeded, mergeFindings, OutletHour, outletDay, PeriodMean, risingTrend, sectionClass, watchedThreshold,
} from './alert-rules';
import { Alert, AlertFilter, AlertValue, ResolveAlertInput } from './alert.types';
import type { OutletRule, SectionGroup, Watch, WarningRules } from './warning-rules';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const ALERT_TAG = 'ALERT';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const ALERTS_CHANNEL = 'eco_hub_alerts' as const;

/** What the metrics learn from the service (src/http/metrics.ts); optional, so the CLIs and tests run without. */
export interface AlertObserver {
  raised(kind: AlertKind, level: AlertLevel): void;
}

/** An evaluation's outcome: what it raised, changed and looked at. */
export interface EvaluationResult {
  stations: number;
  findings: number;
  raised: number;
  changed: number;
}

interface StationRow {
  id: string;
  code: string;
  kind: StationKind;
  owner: District;
  waterbody: 'RIVER' | 'LAKE_RESERVOIR' | null;
  target: WaterClass | null;
}

/** A finding filed under its station, ready to be written. */
interface Candidate {
  station: StationRow;
  catalogResource: string;
  audience: District[];
  dueHours: number | null;
  findings: Finding[];
}

/** Start of the China Standard Time day of an instant, as an ISO instant. */
function localDay(iso: string): string {
  const t = Date.parse(iso) + 8 * HOUR_MS;
  return new Date(t - (t % DAY_MS) - 8 * HOUR_MS).toISOString();
}

function toAlert(r: Record<string, unknown>): Alert {
  const a = new Alert();
  Object.assign(a, {
    id: String(r.id), kind: r.kind, level: r.level, status: r.status, stationCode: r.station_code, ownerJurisdiction: r.owner_jurisdiction,
    reaches: (r.audience as string[]) ?? [], catalogResourceCode: r.catalog_resource_code, parameter: r.parameter ?? null, period: r.period,
    firstPeriodStart: new Date(r.first_period_start as string), lastPeriodStart: new Date(r.last_period_start as string),
    values: ((r.values as Array<Record<string, unknown>>) ?? []).map((v) => Object.assign(new AlertValue(), { ...v, periodStart: new Date(String(v.periodStart)), flags: v.flags ?? [] })),
    message: r.message, rulesVersion: r.rules_version, raisedAt: new Date(r.raised_at as string), updatedAt: new Date(r.updated_at as string),
    dueAt: r.due_at ? new Date(r.due_at as string) : null, escalatedAt: r.escalated_at ? new Date(r.escalated_at as string) : null,
    acknowledgedAt: r.acknowledged_at ? new Date(r.acknowledged_at as string) : null, acknowledgedBy: r.acknowledged_by ?? null,
    resolvedAt: r.resolved_at ? new Date(r.resolved_at as string) : null, resolvedBy: r.resolved_by ?? null,
    verificationResult: r.verification_result ?? null, resolutionNote: r.resolution_note ?? null,
  });
  return a;
}

function who(p: Principal): string {
  return p.kind === 'system' ? 'system' : `${p.sub ?? 'unknown'} (${p.jurisdiction ?? 'public'})`.slice(0, 120);
}

/**
 * Early warning (issue 17): evaluates the warning rules over the `observation` table (plain SQL on
 * that name, whatever its physical layout), files what they find as alert episodes, publishes
 * every raised or changed alert on `eco_hub_alerts` inside the writing transaction, serves the
 * scoped alert list and the owner's acknowledge / resolve, and escalates overdue alerts.
 */
export class AlertService {
  private readonly byStation = new Map<string, { group?: SectionGroup; outlet?: OutletRule }>();

  constructor(
    private readonly ds: DataSource,
    readonly rules: WarningRules,
    private readonly events?: Pick<EventBus, 'publish'>,
    private readonly observer?: AlertObserver,
  ) {
    for (const g of rules.sections) for (const s of g.stations) this.byStation.set(s, { group: g });
    for (const o of rules.sources.outlets) for (const s of o.stations) this.byStation.set(s, { outlet: o });
  }

  // ------------------------------------------------------------------------------------------
  // Evaluation

  /**
   * Evaluates the rules for the stations (all when `stationIds` is null) over the periods that
   * start in [from, to), reading back as far as the longest trend needs, and writes the alerts in
   * one transaction. Idempotent: the same data raises nothing new.
   */
  async evaluate(stationIds: readonly string[] | null, from: Date, to: Date, now: Date = new Date()): Promise<EvaluationResult> {
    const stations: StationRow[] = await this.ds.query(
      `SELECT id, code, kind, owner_jurisdiction AS owner, waterbody, target_class AS target FROM monitoring_station
       WHERE ($1::uuid[] IS NULL OR id = ANY($1::uuid[])) ORDER BY code`, [stationIds ? [...stationIds] : null]);
    const candidates: Candidate[] = [];
    const sections = stations.filter((s) => s.kind === StationKind.SURFACE_WATER);
    const outlets = stations.filter((s) => s.kind === StationKind.POLLUTION_SOURCE && this.byStation.get(s.code)?.outlet);
    if (sections.length) candidates.push(...(await this.evaluateSections(sections, from, to)));
    if (outlets.length) candidates.push(...(await this.evaluateOutlets(outlets, from, new Date(Math.min(to.getTime(), now.getTime())))));
    const result = await this.write(candidates);
    if (stations.length) {
      await this.ds.query(
        `INSERT INTO alert_evaluation (station_id, evaluated_through, evaluated_at)
         SELECT s.id, LEAST($2::timestamptz, coalesce(n.newest, $2::timestamptz)), now() FROM monitoring_station s
         LEFT JOIN LATERAL (SELECT o.observed_at AS newest FROM observation o WHERE o.station_id = s.id ORDER BY o.observed_at DESC LIMIT 1) n ON true
         WHERE s.id = ANY($1::uuid[])
         ON CONFLICT (station_id) DO UPDATE SET evaluated_through = GREATEST(alert_evaluation.evaluated_through, EXCLUDED.evaluated_through), evaluated_at = now()`,
        [stations.map((s) => s.id), to.toISOString()]);
    }
    return { stations: stations.length, findings: candidates.reduce((n, c) => n + c.findings.length, 0), ...result };
  }

  /** What stored HJ 212 data triggers: the station's rules over the (China Standard Time) days its DataTimes fall on. */
  evaluateStored(stationId: string, from: Date, to: Date): Promise<EvaluationResult> {
    const first = Date.parse(localDay(from.toISOString()));
    const last = Date.parse(localDay(to.toISOString()));
    return this.evaluate([stationId], new Date(first), new Date(last + DAY_MS));
  }

  /** Means per station, parameter and period (hour, or China Standard Time day) from N-flag data. */
  private async means(stationIds: string[], parameters: string[] | null, period: AlertPeriod, from: Date, to: Date): Promise<Map<string, PeriodMean[]>> {
    const bucket = period === AlertPeriod.HOUR ? `date_trunc('hour', o.observed_at)` : `(date_trunc('day', o.observed_at AT TIME ZONE $5) AT TIME ZONE $5)`;
    const rows: Array<{ station_id: string; parameter: string; p: Date; mean: string | null; unit: string }> = await this.ds.query(
      `SELECT o.station_id, o.parameter, ${bucket} AS p, avg(o.value) FILTER (WHERE o.flag = 'N')::text AS mean, max(o.unit) AS unit
       FROM observation o
       WHERE o.station_id = ANY($1::uuid[]) AND ($2::varchar[] IS NULL OR o.parameter = ANY($2::varchar[]))
         AND o.observed_at >= $3::timestamptz AND o.observed_at < $4::timestamptz
       GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      [stationIds, parameters, from.toISOString(), to.toISOString(), ...(period === AlertPeriod.DAY ? [HUB_TIME_ZONE] : [])]);
    const out = new Map<string, PeriodMean[]>();
    for (const r of rows) {
      const key = `${r.station_id}|${r.parameter}`;
      const list = out.get(key) ?? [];
      list.push({ parameter: r.parameter, periodStart: new Date(r.p).toISOString(), mean: r.mean === null ? null : new Decimal(r.mean), unit: r.unit });
      out.set(key, list);
    }
    return out;
  }

  private async evaluateSections(sections: StationRow[], from: Date, to: Date): Promise<Candidate[]> {
    const groupOf = (s: StationRow) => this.byStation.get(s.code)?.group;
    const watches = sections.flatMap((s) => (groupOf(s)?.watch ?? []).map((w) => ({ s, w })));
    const back = (w: Watch) => (w.trend ? w.trend.periods * (w.trend.period === AlertPeriod.HOUR ? HOUR_MS : DAY_MS) : 0);
    const reach = Math.max(DAY_MS, ...watches.map(({ w }) => back(w)));
    const ids = sections.map((s) => s.id);
    const start = new Date(from.getTime() - reach);
    const hourly = watches.some(({ w }) => w.period === AlertPeriod.HOUR || w.trend?.period === AlertPeriod.HOUR)
      ? await this.means(ids, [...new Set(watches.map(({ w }) => w.parameter))], AlertPeriod.HOUR, start, to) : new Map<string, PeriodMean[]>();
    // Daily means of every parameter: the class rule and the daily watches.
    const daily = await this.means(ids, null, AlertPeriod.DAY, new Date(Date.parse(localDay(start.toISOString()))), to);
    const inWindow = (f: Finding) => Date.parse(f.periodStart) >= from.getTime() - (f.period === AlertPeriod.DAY ? DAY_MS - 1 : 0) && Date.parse(f.periodStart) < to.getTime();

    const out: Candidate[] = [];
    for (const s of sections) {
      const g = groupOf(s);
      const findings: Finding[] = [];
      for (const w of g?.watch ?? []) {
        const series = (p: AlertPeriod) => (p === AlertPeriod.HOUR ? hourly : daily).get(`${s.id}|${w.parameter}`) ?? [];
        findings.push(...watchedThreshold(w, series(w.period)));
        if (w.trend) findings.push(...risingTrend(w, series(w.trend.period), w.trend.period === AlertPeriod.HOUR ? HOUR_MS : DAY_MS));
      }
      const target = (g?.targetClass as WaterClass | undefined) ?? s.target;
      if (target && s.waterbody) {
        const days = new Map<string, PeriodMean[]>();
        for (const [key, list] of daily) {
          if (!key.startsWith(`${s.id}|`)) continue;
          for (const m of list) days.set(m.periodStart, [...(days.get(m.periodStart) ?? []), m]);
        }
        for (const [day, means] of days) {
          const f = sectionClass(this.rules, s.waterbody, target, day, means);
          if (f) findings.push(f);
        }
      }
      const kept = findings.filter(inWindow);
      if (kept.length) {
        out.push({ station: s, catalogResource: g?.catalogResource ?? this.rules.otherSections.catalogResource, audience: g?.downstream ?? this.rules.otherSections.downstream, dueHours: null, findings: kept });
      }
    }
    return out;
  }

  private async evaluateOutlets(outlets: StationRow[], from: Date, to: Date): Promise<Candidate[]> {
    const dayStart = new Date(Date.parse(localDay(from.toISOString())));
    const out: Candidate[] = [];
    for (const s of outlets) {
      const rule = this.byStation.get(s.code)!.outlet!;
      const params = rule.limits.map((l) => l.parameter);
      // Hours from the station's first observation (or the window's start) to the last full hour, per parameter.
      const rows: Array<{ parameter: string; h: Date; mean: string | null; unit: string | null; flags: string[] | null }> = await this.ds.query(
        `WITH first AS (SELECT o.observed_at AS t FROM observation o WHERE o.station_id = $1 ORDER BY o.observed_at LIMIT 1),
         hours AS (SELECT generate_series(date_trunc('hour', GREATEST($3::timestamptz, (SELECT t FROM first))), $4::timestamptz - interval '1 hour', interval '1 hour') AS h
                   WHERE EXISTS (SELECT 1 FROM first)),
         obs AS (SELECT o.parameter, date_trunc('hour', o.observed_at) AS h, avg(o.value) FILTER (WHERE o.flag = 'N')::text AS mean, max(o.unit) AS unit,
                   array_agg(DISTINCT o.flag::text) AS flags
                 FROM observation o WHERE o.station_id = $1 AND o.parameter = ANY($2::varchar[]) AND o.interval <> 'DAY'
                   AND o.observed_at >= $3::timestamptz AND o.observed_at < $4::timestamptz GROUP BY 1, 2)
         SELECT p.parameter, hours.h, obs.mean, obs.unit, obs.flags FROM unnest($2::varchar[]) AS p(parameter) CROSS JOIN hours
         LEFT JOIN obs ON obs.parameter = p.parameter AND obs.h = hours.h ORDER BY hours.h, p.parameter`,
        [s.id, params, dayStart.toISOString(), new Date(Math.floor(to.getTime() / HOUR_MS) * HOUR_MS).toISOString()]);
      const findings: Finding[] = [];
      const byDay = new Map<string, OutletHour[]>();
      const dailyMeans = new Map<string, Decimal[]>();
      const units = new Map<string, string | null>();
      for (const r of rows) {
        const hour = new Date(r.h).toISOString();
        const day = localDay(hour);
        byDay.set(day, [...(byDay.get(day) ?? []), { parameter: r.parameter, hour, missing: r.flags === null, flags: (r.flags ?? []).map((f) => f.trim()) }]);
        if (r.unit) units.set(r.parameter, r.unit);
        if (r.mean === null) continue;
        const mean = new Decimal(r.mean);
        const limit = rule.limits.find((l) => l.parameter === r.parameter)!;
        if (Date.parse(hour) >= from.getTime()) {
          const f = limitExceeded(this.rules, limit, AlertPeriod.HOUR, { parameter: r.parameter, periodStart: hour, mean, unit: r.unit });
          if (f) findings.push(f);
        }
        const k = `${day}|${r.parameter}`;
        dailyMeans.set(k, [...(dailyMeans.get(k) ?? []), mean]);
      }
      for (const [day, hours] of byDay) {
        // Only whole days are judged: a day still running has hours to come.
        const complete = Date.parse(day) + DAY_MS <= to.getTime();
        if (!complete) continue;
        findings.push(...outletDay(this.rules, day, hours));
        for (const limit of rule.limits) {
          const means = dailyMeans.get(`${day}|${limit.parameter}`) ?? [];
          if (means.length < this.rules.evaluation.minValidHoursPerDay) continue;
          const mean = means.reduce((a, b) => a.plus(b), new Decimal(0)).div(means.length);
          const f = limitExceeded(this.rules, limit, AlertPeriod.DAY, { parameter: limit.parameter, periodStart: day, mean, unit: units.get(limit.parameter) ?? null });
          if (f) findings.push(f);
        }
      }
      if (findings.length) {
        const hours = this.rules.sources.verificationHours[provinceOf(s.owner)];
        out.push({ station: s, catalogResource: this.rules.sources.catalogResource, audience: [], dueHours: hours ? (rule.keyUnit ? hours.keyUnit : hours.other) : null, findings });
      }
    }
    return out;
  }

  /** Files the findings as episodes, in one transaction with their notifications. */
  private async write(candidates: Candidate[]): Promise<{ raised: number; changed: number }> {
    const rows: Array<Record<string, unknown>> = [];
    for (const c of candidates) {
      const episodes = new Map<string, Finding[]>();
      for (const f of c.findings) episodes.set(`${f.kind}|${f.episode}`, [...(episodes.get(`${f.kind}|${f.episode}`) ?? []), f]);
      for (const list of episodes.values()) {
        const { finding: f, firstPeriodStart, lastPeriodStart } = mergeFindings(list);
        rows.push({
          kind: f.kind, level: f.level, rank: levelRank(f.level), station_id: c.station.id, code: c.station.code, owner: c.station.owner, audience: `{${c.audience.join(',')}}`,
          resource: c.catalogResource, parameter: f.parameter, period: f.period, key: `${f.kind}|${c.station.code}|${f.episode}`, first: firstPeriodStart, last: lastPeriodStart,
          values: JSON.stringify(f.values), message: f.message, due: c.dueHours,
        });
      }
    }
    if (rows.length === 0) return { raised: 0, changed: 0 };
    const col = (k: string) => rows.map((r) => r[k]);
    return this.ds.transaction(async (m) => {
      const written: Array<Record<string, unknown>> = await m.query(
        `INSERT INTO alert AS a (kind, level, level_rank, station_id, station_code, owner_jurisdiction, audience, catalog_resource_code, parameter, period,
           episode_key, first_period_start, last_period_start, "values", message, rules_version, due_at)
         SELECT x.kind, x.level, x.rank, x.station_id, x.code, x.owner, x.audience::varchar[], x.resource, x.parameter, x.period, x.key, x.first, x.last, x.vals::jsonb, x.message, $16,
           CASE WHEN x.due IS NULL THEN NULL ELSE now() + x.due * interval '1 hour' END
         FROM unnest($1::varchar[], $2::varchar[], $3::int[], $4::uuid[], $5::varchar[], $6::varchar[], $7::text[], $8::varchar[], $9::varchar[], $10::varchar[],
           $11::varchar[], $12::timestamptz[], $13::timestamptz[], $14::text[], $15::text[], $17::int[])
           AS x(kind, level, rank, station_id, code, owner, audience, resource, parameter, period, key, first, last, vals, message, due)
         -- A period an earlier, resolved episode already covered is not raised again.
         WHERE NOT EXISTS (SELECT 1 FROM alert r WHERE r.episode_key = x.key AND r.status = 'RESOLVED' AND r.last_period_start >= x.last)
         ON CONFLICT (episode_key) WHERE status <> 'RESOLVED' DO UPDATE SET
           level = CASE WHEN EXCLUDED.level_rank > a.level_rank THEN EXCLUDED.level ELSE a.level END,
           level_rank = GREATEST(a.level_rank, EXCLUDED.level_rank),
           first_period_start = LEAST(a.first_period_start, EXCLUDED.first_period_start),
           last_period_start = GREATEST(a.last_period_start, EXCLUDED.last_period_start),
           "values" = CASE WHEN EXCLUDED.level_rank >= a.level_rank THEN EXCLUDED."values" ELSE a."values" END,
           message = CASE WHEN EXCLUDED.level_rank >= a.level_rank THEN EXCLUDED.message ELSE a.message END,
           rules_version = EXCLUDED.rules_version,
           updated_at = now()
         WHERE EXCLUDED.level_rank > a.level_rank OR EXCLUDED.last_period_start > a.last_period_start OR EXCLUDED.first_period_start < a.first_period_start
         RETURNING a.id, a.kind, a.level, a.status, a.station_code, a.owner_jurisdiction, a.audience, a.catalog_resource_code, (a.xmax = 0) AS inserted`,
        [col('kind'), col('level'), col('rank'), col('station_id'), col('code'), col('owner'), col('audience'), col('resource'), col('parameter'), col('period'),
          col('key'), col('first'), col('last'), col('values'), col('message'), this.rules.version, col('due')]);
      let raised = 0;
      for (const w of written) {
        const inserted = w.inserted === true;
        if (inserted) raised++;
        await this.publish(m, w, inserted ? 'RAISED' : 'UPDATED');
      }
      for (const w of written) if (w.inserted === true) this.observer?.raised(w.kind as AlertKind, w.level as AlertLevel);
      return { raised, changed: written.length - raised };
    });
  }

  /** One small notification per raised or changed alert; a listener re-reads it under its own caller's rights. */
  private async publish(m: EntityManager, a: Record<string, unknown>, change: 'RAISED' | 'UPDATED' | 'ACKNOWLEDGED' | 'RESOLVED' | 'ESCALATED'): Promise<void> {
    const payload = {
      id: a.id, change, kind: a.kind, level: a.level, status: a.status, stationCode: a.station_code,
      ownerJurisdiction: a.owner_jurisdiction, audience: a.audience ?? [], catalogResourceCode: a.catalog_resource_code,
    };
    if (this.events) await this.events.publish(ALERTS_CHANNEL, payload, m);
    else await m.query('SELECT pg_notify($1, $2)', [ALERTS_CHANNEL, JSON.stringify(payload)]);
  }

  /**
   * Escalation: every unresolved alert past its verification deadline, not escalated yet, goes one
   * level up (RED stays RED) and is published again; returns how many.
   */
  async escalateOverdue(now: Date = new Date()): Promise<number> {
    return this.ds.transaction(async (m) => {
      const rows: Array<Record<string, unknown>> = await m.query(
        `UPDATE alert SET escalated_at = $1, updated_at = $1,
           level_rank = LEAST(level_rank + 1, ${LEVEL_ORDER.length - 1}),
           level = ($2::varchar[])[LEAST(level_rank + 1, ${LEVEL_ORDER.length - 1}) + 1]
         WHERE status <> 'RESOLVED' AND due_at IS NOT NULL AND due_at < $1 AND escalated_at IS NULL
         RETURNING id, kind, level, status, station_code, owner_jurisdiction, audience, catalog_resource_code`,
        [now.toISOString(), LEVEL_ORDER]);
      for (const r of rows) await this.publish(m, r, 'ESCALATED');
      return rows.length;
    });
  }

  // ------------------------------------------------------------------------------------------
  // Reads and actions

  /** The alerts the caller may read, newest first, keyset-paginated on (raisedAt, id). */
  async list(ctx: ReadContext, filter: AlertFilter, args: PageArgs): Promise<Page<Alert>> {
    const page = pageRequest(args, ALERT_TAG, ['timestamptz', 'uuid']);
    if (filter.jurisdiction !== undefined && filter.jurisdiction !== null && !isDistrict(filter.jurisdiction)) throw badInput('filter.jurisdiction', `must be QINGPU, WUJIANG or JIASHAN, got "${filter.jurisdiction}"`);
    if (filter.raisedFrom && filter.raisedTo && filter.raisedTo < filter.raisedFrom) throw badInput('filter.raisedTo', 'must not be before filter.raisedFrom');
    const q = new SqlParams();
    const conds = [alertScope(ctx, 'a', q)];
    if (filter.kinds?.length) conds.push(`a.kind = ANY(${q.p(filter.kinds)}::varchar[])`);
    if (filter.levels?.length) conds.push(`a.level = ANY(${q.p(filter.levels)}::varchar[])`);
    if (filter.statuses?.length) conds.push(`a.status = ANY(${q.p(filter.statuses)}::varchar[])`);
    if (filter.stationCode) conds.push(`a.station_code = ${q.p(filter.stationCode)}`);
    if (filter.jurisdiction) conds.push(`a.owner_jurisdiction = ${q.p(filter.jurisdiction)}`);
    if (filter.raisedFrom) conds.push(`a.raised_at >= ${q.p(filter.raisedFrom.toISOString())}::timestamptz`);
    if (filter.raisedTo) conds.push(`a.raised_at <= ${q.p(filter.raisedTo.toISOString())}::timestamptz`);
    if (filter.overdue === true) conds.push(`a.status <> 'RESOLVED' AND a.due_at < now()`);
    const countSql = `SELECT count(*)::int AS n FROM alert a WHERE ${conds.join(' AND ')}`;
    const countValues = [...q.values];
    if (page.after) conds.push(`(a.raised_at, a.id) < (${q.p(page.after[0])}::timestamptz, ${q.p(page.after[1])}::uuid)`);
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT a.* FROM alert a WHERE ${conds.join(' AND ')} ORDER BY a.raised_at DESC, a.id DESC LIMIT ${page.first + 1}`, q.values);
    const nodes = rows.slice(0, page.first).map(toAlert);
    ctx.audit?.returned('ALERT', nodes.map((a) => ({ ownerJurisdiction: a.ownerJurisdiction, key: a.id })));
    return keysetPage(nodes, rows.length, page, (node) => encodeCursor(ALERT_TAG, [node.raisedAt.toISOString(), node.id]),
      () => this.ds.query(countSql, countValues).then((r: Array<{ n: number }>) => r[0].n));
  }

  /**
   * One alert as the caller may read it, or null when it may not (or the alert is gone): the
   * `alerts` query's scope on one id, audited like it. The live subscription and the webhooks
   * re-read each alert they are told of through this, under their own principal.
   */
  async readOne(ctx: ReadContext, id: string): Promise<Alert | null> {
    if (typeof id !== 'string' || !UUID.test(id)) return null;
    const q = new SqlParams();
    const idP = q.p(id);
    const rows: Array<Record<string, unknown>> = await this.ds.query(`SELECT a.* FROM alert a WHERE a.id = ${idP}::uuid AND ${alertScope(ctx, 'a', q)}`, q.values);
    if (!rows[0]) return null;
    const alert = toAlert(rows[0]);
    ctx.audit?.returned('ALERT', [{ ownerJurisdiction: alert.ownerJurisdiction, key: alert.id }]);
    return alert;
  }

  /** The owner acknowledges an open alert. */
  acknowledge(ctx: ReadContext & { principal: Principal }, id: string, note: string | undefined): Promise<Alert> {
    return this.act(ctx, id, 'ACKNOWLEDGED', async (m, a) => {
      if (a.status !== AlertStatus.OPEN) throw new HubError(ErrorCode.CONFLICT, `alert ${id} is ${a.status}; only an OPEN alert is acknowledged`, { field: 'id', rule: 'alert.transition' });
      return m.query(
        `UPDATE alert SET status = 'ACKNOWLEDGED', acknowledged_at = now(), acknowledged_by = $2, acknowledgement_note = $3, updated_at = now() WHERE id = $1 RETURNING *`,
        [id, who(ctx.principal), note ?? null]);
    }, note);
  }

  /** The owner closes an acknowledged alert with the officer's verification (required for pollution-source alerts). */
  resolve(ctx: ReadContext & { principal: Principal }, id: string, input: ResolveAlertInput): Promise<Alert> {
    return this.act(ctx, id, 'RESOLVED', async (m, a) => {
      if (a.status !== AlertStatus.ACKNOWLEDGED) throw new HubError(ErrorCode.CONFLICT, `alert ${id} is ${a.status}; only an ACKNOWLEDGED alert is resolved`, { field: 'id', rule: 'alert.transition' });
      if (SOURCE_KINDS.includes(a.kind as AlertKind) && !input.result) throw badInput('input.result', 'a pollution-source alert is closed with the officer\'s verification result', { rule: 'alert.verificationRequired' });
      const result = await m.query(
        `UPDATE alert SET status = 'RESOLVED', resolved_at = now(), resolved_by = $2, verification_result = $3, resolution_note = $4, updated_at = now() WHERE id = $1 RETURNING *`,
        [id, who(ctx.principal), input.result ?? null, input.note ?? null]);
      // A confirmed pollution-source alert is an incident: the firm leaves the positive list at once, in this transaction.
      const rows = (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as Array<Record<string, unknown>>;
      await removeListedOnIncident(m, rows[0], ctx.principal.sub ?? 'system');
      return result;
    }, input.note);
  }

  /**
   * One action on one alert, in one transaction: input checked, the alert locked and read under the
   * caller's scope (NOT_FOUND / FORBIDDEN), the policy asked, the change written and published.
   */
  private async act(ctx: ReadContext & { principal: Principal }, id: string, change: 'ACKNOWLEDGED' | 'RESOLVED',
    apply: (m: EntityManager, a: Record<string, unknown>) => Promise<unknown>, note: string | undefined): Promise<Alert> {
    if (!UUID.test(id)) throw badInput('id', 'must be an alert id (a UUID)');
    if (note !== undefined && note !== null && note.length > 2000) throw badInput('note', 'must be at most 2,000 characters');
    return this.ds.transaction(async (m) => {
      const q = new SqlParams();
      const idP = q.p(id);
      const scope = alertScope(ctx, 'a', q);
      const [a]: Array<Record<string, unknown>> = await m.query(`SELECT a.*, ${scope} AS visible FROM alert a WHERE a.id = ${idP} FOR UPDATE`, q.values);
      if (!a) throw new HubError(ErrorCode.NOT_FOUND, `no alert has the id ${id}`, { field: 'id' });
      if (a.visible !== true) throw forbidden(`alert ${id} is not one this principal may read`, { rule: 'alert.notAddressed', ownerJurisdiction: a.owner_jurisdiction });
      const denial = alertActionDenial(ctx.principal, String(a.owner_jurisdiction));
      if (denial) throw forbidden(denial.reason, { rule: denial.rule, ownerJurisdiction: a.owner_jurisdiction });
      const result = (await apply(m, a)) as unknown;
      // TypeORM answers an UPDATE … RETURNING with [rows, count].
      const updated = (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as Array<Record<string, unknown>>;
      await this.publish(m, updated[0], change);
      return toAlert(updated[0]);
    });
  }
}
