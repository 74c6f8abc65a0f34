import Decimal from 'decimal.js';
import { assessWater, GB3838_2002, StandardInputError, WATER_CLASSES, WaterClass } from '../../domain/standards/water-quality';
import { AlertKind, AlertLevel, AlertPeriod, levelRank } from './alert.codes';
import type { Limit, Threshold, Watch, WarningRules } from './warning-rules';

/**
 * The warning rules as pure functions of period means (issue 17): no SQL, no clock. The service
 * reads the means from the `observation` table and turns what these return into alerts.
 */

/** One triggering value, as stored in the alert's `values`. */
export interface TriggerValue {
  parameter: string | null;
  periodStart: string;
  value: string | null;
  unit: string | null;
  threshold: string | null;
  waterClass: WaterClass | null;
  flags: string[];
}

/** What a rule found for one station and period; the service files it under an episode. */
export interface Finding {
  kind: AlertKind;
  level: AlertLevel;
  parameter: string | null;
  period: AlertPeriod;
  /** Distinguishes episodes of one kind at one station (parameter, and HOUR/DAY for limits). */
  episode: string;
  periodStart: string;
  values: TriggerValue[];
  message: string;
}

/** A period mean of one parameter at one station. */
export interface PeriodMean {
  parameter: string;
  periodStart: string;
  mean: Decimal | null;
  unit: string | null;
}

const value = (v: Decimal | null): string | null => (v === null ? null : v.toDecimalPlaces(6).toString());

/** The highest threshold strictly exceeded, or null. */
export function thresholdReached(thresholds: readonly Threshold[], mean: Decimal): Threshold | null {
  let hit: Threshold | null = null;
  for (const t of thresholds) if (mean.gt(t.above)) hit = t;
  return hit;
}

/** Watched parameter above a threshold, period by period. */
export function watchedThreshold(watch: Watch, series: readonly PeriodMean[]): Finding[] {
  const out: Finding[] = [];
  for (const m of series) {
    if (m.mean === null) continue;
    const t = thresholdReached(watch.thresholds, m.mean);
    if (!t) continue;
    out.push({
      kind: AlertKind.WATCHED_THRESHOLD, level: t.level, parameter: watch.parameter, period: watch.period, episode: watch.parameter, periodStart: m.periodStart,
      values: [{ parameter: watch.parameter, periodStart: m.periodStart, value: value(m.mean), unit: m.unit, threshold: t.above.toString(), waterClass: null, flags: [] }],
      message: `${watch.parameter} ${watch.period === AlertPeriod.HOUR ? 'hourly' : 'daily'} mean ${value(m.mean)} ${m.unit ?? ''} is above the ${t.level} threshold ${t.above}`.replace('  ', ' '),
    });
  }
  return out;
}

/**
 * A rise over `periods` consecutive periods: each mean above the one before, with no period
 * missing between them (series sorted by periodStart; `stepMs` the period length).
 */
export function risingTrend(watch: Watch, series: readonly PeriodMean[], stepMs: number): Finding[] {
  const trend = watch.trend;
  if (!trend) return [];
  const valid = series.filter((m) => m.mean !== null);
  const out: Finding[] = [];
  for (let i = trend.periods - 1; i < valid.length; i++) {
    const run = valid.slice(i - trend.periods + 1, i + 1);
    const rising = run.every((m, k) => k === 0 || (m.mean!.gt(run[k - 1].mean!) && Date.parse(m.periodStart) - Date.parse(run[k - 1].periodStart) === stepMs));
    if (!rising) continue;
    const last = run[run.length - 1];
    out.push({
      kind: AlertKind.RISING_TREND, level: trend.level, parameter: watch.parameter, period: trend.period, episode: watch.parameter, periodStart: last.periodStart,
      values: run.map((m) => ({ parameter: watch.parameter, periodStart: m.periodStart, value: value(m.mean), unit: m.unit, threshold: null, waterClass: null, flags: [] })),
      message: `${watch.parameter} rose over ${trend.periods} ${trend.period === AlertPeriod.HOUR ? 'hours' : 'days'} in a row, to ${value(last.mean)} ${last.unit ?? ''}`.trim(),
    });
  }
  return out;
}

/**
 * A section's daily class worse than its target: the day's means of the GB 3838-2002 items are
 * classified by the single-factor method; the level follows how many classes worse it is.
 */
export function sectionClass(rules: WarningRules, waterbody: 'RIVER' | 'LAKE_RESERVOIR', target: WaterClass, day: string, means: readonly PeriodMean[]): Finding | null {
  const assessable = means.filter((m) => m.mean !== null && GB3838_2002.parameters.has(m.parameter));
  if (assessable.length === 0) return null;
  let result;
  try {
    result = assessWater({ waterbody, values: assessable.map((m) => ({ parameter: m.parameter, value: m.mean!.toString() })) });
  } catch (err) {
    if (err instanceof StandardInputError) return null;
    throw err;
  }
  const worse = WATER_CLASSES.indexOf(result.waterClass) - WATER_CLASSES.indexOf(target);
  if (worse <= 0) return null;
  const levels = rules.sectionClass.levelsByClassesWorse;
  const level = levels[Math.min(worse, levels.length) - 1];
  const byCode = new Map(assessable.map((m) => [m.parameter, m]));
  const values = result.items
    .filter((it) => it.evaluated && it.waterClass !== null && WATER_CLASSES.indexOf(it.waterClass) > WATER_CLASSES.indexOf(target))
    .map((it) => ({ parameter: it.parameter, periodStart: day, value: value(byCode.get(it.parameter)!.mean), unit: byCode.get(it.parameter)!.unit, threshold: null, waterClass: it.waterClass, flags: [] }));
  return {
    kind: AlertKind.SECTION_CLASS, level, parameter: null, period: AlertPeriod.DAY, episode: 'class', periodStart: day, values,
    message: `daily class ${result.waterClass} is ${worse} class${worse > 1 ? 'es' : ''} worse than the target ${target} (${values.map((v) => v.parameter).join(', ')})`,
  };
}

/** The level of an exceedance by its ratio to the limit (the rules' bands). */
export function exceedanceLevel(rules: WarningRules, ratio: Decimal): AlertLevel {
  for (const b of rules.sources.exceedanceBands) if (!b.upToRatio || ratio.lte(b.upToRatio)) return b.level;
  return rules.sources.exceedanceBands[rules.sources.exceedanceBands.length - 1].level;
}

/** An outlet's period mean against its hourly or daily bounds. */
export function limitExceeded(rules: WarningRules, limit: Limit, period: AlertPeriod, m: PeriodMean): Finding | null {
  const bounds = period === AlertPeriod.HOUR ? limit.hourly : limit.daily;
  if (!bounds || m.mean === null) return null;
  let ratio: Decimal | null = null;
  let bound: Decimal | null = null;
  if (bounds.max && m.mean.gt(bounds.max)) {
    ratio = m.mean.div(bounds.max);
    bound = bounds.max;
  } else if (bounds.min && m.mean.lt(bounds.min)) {
    ratio = m.mean.isZero() ? new Decimal(Infinity) : bounds.min.div(m.mean);
    bound = bounds.min;
  }
  if (!ratio || !bound) return null;
  const level = exceedanceLevel(rules, ratio);
  const word = period === AlertPeriod.HOUR ? 'hourly' : 'daily';
  return {
    kind: AlertKind.SOURCE_EXCEEDANCE, level, parameter: limit.parameter, period, episode: `${limit.parameter}:${period}`, periodStart: m.periodStart,
    values: [{ parameter: limit.parameter, periodStart: m.periodStart, value: value(m.mean), unit: m.unit, threshold: bound.toString(), waterClass: null, flags: [] }],
    message: `${limit.parameter} ${word} mean ${value(m.mean)} ${m.unit ?? ''} is outside the limit (${bounds.min ? `min ${bounds.min}` : ''}${bounds.min && bounds.max ? ', ' : ''}${bounds.max ? `max ${bounds.max}` : ''})`.replace('  ', ' '),
  };
}

/** One hour of one outlet parameter: whether valid data came, and the flags seen. */
export interface OutletHour {
  parameter: string;
  hour: string;
  /** No row at all for this hour. */
  missing: boolean;
  flags: string[];
}

/** A day's data gaps (hours missing or flagged as not measured) and abnormal flags at an outlet. */
export function outletDay(rules: WarningRules, day: string, hours: readonly OutletHour[]): Finding[] {
  const gap = new Set(rules.sources.dataGap.flags);
  const abnormal = new Set(rules.sources.abnormalFlags.flags);
  const gapHours = new Set<string>();
  const gapFlags = new Set<string>();
  const abnormalHours: OutletHour[] = [];
  for (const h of hours) {
    const flagged = h.flags.filter((f) => gap.has(f));
    if (h.missing || (flagged.length > 0 && !h.flags.includes('N'))) {
      gapHours.add(h.hour);
      for (const f of flagged) gapFlags.add(f);
      if (h.missing) gapFlags.add('missing');
    }
    if (h.flags.some((f) => abnormal.has(f))) abnormalHours.push(h);
  }
  const out: Finding[] = [];
  if (gapHours.size >= rules.sources.dataGap.minHours) {
    out.push({
      kind: AlertKind.SOURCE_DATA_GAP, level: rules.sources.dataGap.level, parameter: null, period: AlertPeriod.DAY, episode: 'gap', periodStart: day,
      values: [{ parameter: null, periodStart: day, value: String(gapHours.size), unit: 'h', threshold: String(rules.sources.dataGap.minHours), waterClass: null, flags: [...gapFlags].sort() }],
      message: `${gapHours.size} hour${gapHours.size > 1 ? 's' : ''} of the day without valid data (${[...gapFlags].sort().join(', ')})`,
    });
  }
  if (abnormalHours.length > 0) {
    const flags = [...new Set(abnormalHours.flatMap((h) => h.flags.filter((f) => abnormal.has(f))))].sort();
    out.push({
      kind: AlertKind.SOURCE_ABNORMAL_FLAG, level: rules.sources.abnormalFlags.level, parameter: null, period: AlertPeriod.DAY, episode: 'abnormal', periodStart: day,
      values: abnormalHours.slice(0, 24).map((h) => ({ parameter: h.parameter, periodStart: h.hour, value: null, unit: null, threshold: null, waterClass: null, flags: h.flags })),
      message: `values flagged ${flags.join(', ')} in ${abnormalHours.length} parameter-hour${abnormalHours.length > 1 ? 's' : ''}`,
    });
  }
  return out;
}

/** Merges findings of one episode into one: earliest and latest period, highest level, values of the highest-level latest period. */
export function mergeFindings(findings: readonly Finding[]): { finding: Finding; firstPeriodStart: string; lastPeriodStart: string } {
  const sorted = [...findings].sort((a, b) => Date.parse(a.periodStart) - Date.parse(b.periodStart));
  const top = sorted.reduce((best, f) => (levelRank(f.level) >= levelRank(best.level) ? f : best), sorted[0]);
  return { finding: top, firstPeriodStart: sorted[0].periodStart, lastPeriodStart: sorted[sorted.length - 1].periodStart };
}
