import Decimal from 'decimal.js';
import hj633v2012 from './hj633-2012.json';
import hj633v2026 from './hj633-2026.json';
import { parseMeasuredValue, StandardInputError } from './water-quality';

/**
 * Air Quality Index under HJ 633 (2012 and 2026 revisions). Pure: no database, no GraphQL.
 *
 * Every version-specific fact (breakpoints, which column feeds which report, what happens above a
 * column's top, category bands) lives in `hj633-<version>.json`; the code only interpolates. A new
 * revision is a new data file added to `AQI_TABLE_FILES`.
 *
 * Decisions where the texts leave room:
 * - Table choice: the newest table whose `effectiveFrom` is on or before the observation date. A
 *   date before every table's `effectiveFrom` falls back to the earliest table whose `publishedOn`
 *   is on or before it (HJ 633-2012 was published in 2012 and applied by the first city batch from
 *   2013, years before its formal 2016 date); earlier dates are rejected.
 * - HJ 633-2012, SO2 1-h above 800 µg/m³: the standard reports SO2 from its 24-h mean instead.
 *   An HOURLY caller may pass `so2_24h` for that; without it the IAQI is 200, the 2026 value.
 * - HJ 633-2012, O3 8-h above 800 µg/m³: O3 is reported from its 1-h value. When `o3` is given
 *   its entry already carries that, so the `o3_8h` entry is dropped rather than listed twice;
 *   without `o3` the IAQI is 300, the 2026 value.
 * - `o3_8h` is accepted in HOURLY reports too (the 8-h moving average against the 8-h column).
 * - Every substitution is explained in `notes`, so a reader can see why an IAQI is not the plain
 *   interpolation of the value given.
 */

/** Report kinds: the daily report (日报) and the real-time hourly report (实时报). */
export type AqiReport = 'DAILY' | 'HOURLY';
/** Pollutant inputs, named as the fields of {@link AqiInput}. */
export type AqiPollutant = 'so2' | 'no2' | 'co' | 'o3' | 'o3_8h' | 'pm10' | 'pm25';
export type AqiCategory = '优' | '良' | '轻度污染' | '中度污染' | '重度污染' | '严重污染';

/** Order in which pollutants are reported in `iaqi`. */
export const AQI_POLLUTANTS: readonly AqiPollutant[] = ['so2', 'no2', 'co', 'o3', 'o3_8h', 'pm10', 'pm25'];

type Measured = number | string | null | undefined;

/**
 * Concentrations in µg/m³ (CO in mg/m³). DAILY: 24-h means, `o3` the daily max 1-h, `o3_8h` the
 * daily max 8-h moving average. HOURLY: 1-h values for so2/no2/co/o3, and PM as the version asks
 * (24-h moving average in 2012, hourly mean in 2026), both judged against the 24-h columns.
 */
export interface AqiInput {
  report: AqiReport;
  /** Observation date, `YYYY-MM-DD`: it chooses the HJ 633 revision. */
  date: string;
  so2?: Measured;
  no2?: Measured;
  co?: Measured;
  o3?: Measured;
  o3_8h?: Measured;
  pm10?: Measured;
  pm25?: Measured;
  /** HOURLY only: the SO2 24-h mean HJ 633-2012 falls back on when the 1-h value is above 800. */
  so2_24h?: Measured;
}

export interface AqiResult {
  aqi: number;
  /** 1 (一级) to 6 (六级). */
  level: number;
  category: AqiCategory;
  /** Pollutants whose IAQI equals the AQI, only when the AQI is above 50. */
  primaryPollutants: AqiPollutant[];
  /** Pollutants whose IAQI is above 100. */
  exceedingPollutants: AqiPollutant[];
  iaqi: Array<{ pollutant: AqiPollutant; value: number }>;
  /** The revision applied, e.g. `HJ 633-2026`. */
  standard: string;
  /** Why any IAQI differs from plain interpolation (caps, fallbacks); empty when none apply. */
  notes: string[];
}

type AboveTop =
  | { rule: 'FIXED'; iaqi: number }
  | { rule: 'USE_COLUMN'; column: string; input: string; fallbackIaqi: number };

interface AqiColumn {
  id: string;
  pollutant: string;
  averaging: string;
  unit: string;
  breakpoints: Decimal[];
  aboveTop?: AboveTop;
}

/** One HJ 633 revision, validated when the module loads. */
export interface AqiTable {
  standard: string;
  version: string;
  effectiveFrom: string;
  publishedOn?: string;
  iaqi: number[];
  columns: Record<string, AqiColumn>;
  reports: Record<AqiReport, Record<AqiPollutant, string>>;
  levels: Array<{ maxAqi: number | null; level: number; category: AqiCategory }>;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** Checks a table file's shape once at load: a broken data file must fail loudly, not skew an AQI. */
function loadTable(raw: unknown): AqiTable {
  const t = raw as Record<string, any>;
  const name = String(t?.standard ?? '(unnamed HJ 633 table)');
  const fail = (what: string): never => {
    throw new Error(`${name}: ${what}`);
  };
  if (typeof t.standard !== 'string' || typeof t.version !== 'string') fail('standard and version are required');
  if (typeof t.effectiveFrom !== 'string' || !isCalendarDate(t.effectiveFrom)) fail('effectiveFrom must be YYYY-MM-DD');
  if (t.publishedOn !== undefined && (typeof t.publishedOn !== 'string' || !isCalendarDate(t.publishedOn))) fail('publishedOn must be YYYY-MM-DD');
  const iaqi: number[] = t.iaqi;
  if (!Array.isArray(iaqi) || iaqi.length < 2 || iaqi.some((v, i) => !Number.isInteger(v) || (i > 0 && v <= iaqi[i - 1]))) fail('iaqi must be increasing integers');
  const columns: Record<string, AqiColumn> = {};
  for (const [id, c] of Object.entries<any>(t.columns ?? {})) {
    const bps: Decimal[] = (c.breakpoints as string[]).map((s) => new Decimal(s));
    if (bps.length < 2 || bps.length > iaqi.length) fail(`${id} must have 2..${iaqi.length} breakpoints`);
    if (!bps[0].isZero() || bps.some((b, i) => i > 0 && b.lte(bps[i - 1]))) fail(`${id} breakpoints must start at 0 and increase`);
    if (bps.length < iaqi.length && !c.aboveTop) fail(`${id} stops below the top IAQI and needs an aboveTop rule`);
    columns[id] = { id, pollutant: c.pollutant, averaging: c.averaging, unit: c.unit, breakpoints: bps, aboveTop: c.aboveTop };
  }
  for (const c of Object.values(columns)) {
    const a = c.aboveTop;
    if (!a) continue;
    if (a.rule === 'USE_COLUMN') {
      if (!columns[a.column]) fail(`${c.id} falls back on unknown column ${a.column}`);
      if (!Number.isInteger(a.fallbackIaqi)) fail(`${c.id} needs an integer fallbackIaqi`);
    } else if (a.rule !== 'FIXED' || !Number.isInteger(a.iaqi)) {
      fail(`${c.id} has an unknown aboveTop rule`);
    }
  }
  const reports = t.reports as AqiTable['reports'];
  for (const report of ['DAILY', 'HOURLY'] as const) {
    for (const p of AQI_POLLUTANTS) {
      if (!columns[reports?.[report]?.[p]]) fail(`${report} report has no valid column for ${p}`);
    }
  }
  const levels = t.levels as AqiTable['levels'];
  if (!Array.isArray(levels) || levels.length === 0 || levels[levels.length - 1].maxAqi !== null) fail('levels must end with an open band');
  return { standard: t.standard, version: t.version, effectiveFrom: t.effectiveFrom, publishedOn: t.publishedOn, iaqi, columns, reports, levels };
}

/** Every HJ 633 revision the hub knows; add a revision's JSON here. */
const AQI_TABLE_FILES: unknown[] = [hj633v2012, hj633v2026];

/** The known HJ 633 revisions, oldest first. */
export const AQI_TABLES: readonly AqiTable[] = AQI_TABLE_FILES.map(loadTable).sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));

/**
 * The HJ 633 revision that applies to an observation date, chosen from the tables' own dates so
 * that a result for a date in 2025 stays reproducible after the 2026 table arrived.
 */
export function selectAqiTable(date: string): AqiTable {
  if (typeof date !== 'string' || !isCalendarDate(date)) {
    throw new StandardInputError('date', `must be a calendar date YYYY-MM-DD, got ${JSON.stringify(date)}`);
  }
  const inForce = AQI_TABLES.filter((t) => t.effectiveFrom <= date);
  if (inForce.length > 0) return inForce[inForce.length - 1];
  const adopted = AQI_TABLES.find((t) => t.publishedOn !== undefined && t.publishedOn <= date);
  if (adopted) return adopted;
  throw new StandardInputError('date', `${date} is before any HJ 633 revision the hub knows (earliest ${AQI_TABLES[0].standard})`);
}

/** Linear interpolation of Table 1, rounded up; undefined when the value is above a truncated column's top. */
function interpolate(table: AqiTable, column: AqiColumn, c: Decimal): number | undefined {
  const bps = column.breakpoints;
  const top = bps[bps.length - 1];
  if (c.gt(top)) return bps.length === table.iaqi.length ? table.iaqi[table.iaqi.length - 1] : undefined;
  for (let i = 1; i < bps.length; i++) {
    if (c.lte(bps[i])) {
      const span = new Decimal(table.iaqi[i] - table.iaqi[i - 1]);
      // Multiply before dividing so that values landing on an integer stay exact before ceil.
      const value = span.times(c.minus(bps[i - 1])).div(bps[i].minus(bps[i - 1])).plus(table.iaqi[i - 1]);
      return value.ceil().toNumber();
    }
  }
  return 0; // c is 0, the first breakpoint
}

/**
 * Computes the AQI, its level and category, and the primary and exceeding pollutants for one
 * daily or hourly report, using the HJ 633 revision in force on `date`.
 */
export function computeAqi(input: AqiInput): AqiResult {
  if (input.report !== 'DAILY' && input.report !== 'HOURLY') {
    throw new StandardInputError('report', `must be DAILY or HOURLY, got ${String(input.report)}`);
  }
  const table = selectAqiTable(input.date);

  const given = new Map<string, Decimal>();
  for (const field of [...AQI_POLLUTANTS, 'so2_24h'] as const) {
    const v = input[field];
    if (v === undefined || v === null) continue;
    given.set(field, parseMeasuredValue(field, v));
  }
  if (given.has('so2_24h') && input.report !== 'HOURLY') {
    throw new StandardInputError('so2_24h', 'is only used by HOURLY reports; a DAILY report takes the 24-h mean as so2');
  }
  if (!AQI_POLLUTANTS.some((p) => given.has(p))) {
    throw new StandardInputError('pollutants', 'give at least one of so2, no2, co, o3, o3_8h, pm10, pm25');
  }

  const notes: string[] = [];
  const iaqi: AqiResult['iaqi'] = [];
  for (const pollutant of AQI_POLLUTANTS) {
    const c = given.get(pollutant);
    if (c === undefined) continue;
    const column = table.columns[table.reports[input.report][pollutant]];
    let value = interpolate(table, column, c);
    if (value === undefined) {
      const top = column.breakpoints[column.breakpoints.length - 1].toString();
      const rule = column.aboveTop!;
      if (rule.rule === 'FIXED') {
        value = rule.iaqi;
        notes.push(`${pollutant}: above the ${column.averaging} top breakpoint ${top}, ${table.standard} sets IAQI ${rule.iaqi}`);
      } else {
        const alt = given.get(rule.input);
        const altIsOwnEntry = (AQI_POLLUTANTS as readonly string[]).includes(rule.input);
        if (alt !== undefined && altIsOwnEntry) {
          notes.push(`${pollutant}: above the ${column.averaging} top breakpoint ${top}, ${table.standard} does not compute this IAQI; ${rule.input} stands for ${column.pollutant}`);
          continue;
        }
        if (alt !== undefined) {
          value = interpolate(table, table.columns[rule.column], alt) ?? rule.fallbackIaqi;
          notes.push(`${pollutant}: above the ${column.averaging} top breakpoint ${top}, IAQI taken from ${rule.input} per ${table.standard}`);
        } else {
          value = rule.fallbackIaqi;
          notes.push(`${pollutant}: above the ${column.averaging} top breakpoint ${top} and no ${rule.input} given, IAQI set to ${rule.fallbackIaqi}`);
        }
      }
    }
    iaqi.push({ pollutant, value });
  }

  const aqi = Math.max(...iaqi.map((e) => e.value));
  const band = table.levels.find((l) => l.maxAqi === null || aqi <= l.maxAqi)!;
  return {
    aqi,
    level: band.level,
    category: band.category,
    primaryPollutants: aqi > 50 ? iaqi.filter((e) => e.value === aqi).map((e) => e.pollutant) : [],
    exceedingPollutants: iaqi.filter((e) => e.value > 100).map((e) => e.pollutant),
    iaqi,
    standard: table.standard,
    notes,
  };
}
