import Decimal from 'decimal.js';
import gb3838Data from './gb3838-2002.json';

/**
 * Surface-water section assessment under GB 3838-2002 Table 1 and the 2011 evaluation method
 * (环办〔2011〕22号). Pure: no database, no GraphQL. The limits live in `gb3838-2002.json`, so a
 * revised table is a data change, not a code change.
 *
 * Decisions where the texts leave room (also listed in the module's tests):
 * - Water temperature has no class limit (the standard bounds only man-made change), so its item
 *   has `waterClass: null` and `evaluated: false`.
 * - TN (w21001) and fecal coliform (w02003) get an item class from Table 1 but never count towards
 *   the section class. Table 1 gives TN for lakes and reservoirs only; for a river it is still
 *   classified against the same column, for reference.
 * - pH and DO can be main pollutants (bulletins do name 溶解氧), but the method computes no
 *   exceedance ratio for them: `exceedance` is null and, within one class, they rank after the
 *   items that have a ratio.
 * - The method says exceeding cyanide or heavy metals are "also" named as main pollutants: any such
 *   item worse than class III that did not make the top three is appended after it.
 * - A list holding only excluded items (e.g. water temperature alone) cannot give a section class
 *   and is rejected.
 * - Negative values are rejected for every item, water temperature included: fresh surface water
 *   below 0 °C is not liquid, so a negative reading is an instrument fault.
 */

/** Section and item classes; `WORSE_THAN_V` is 劣V (coded 6 in national systems). */
export type WaterClass = 'I' | 'II' | 'III' | 'IV' | 'V' | 'WORSE_THAN_V';
/** TP has separate river and lake/reservoir columns, so the caller must say which it is. */
export type Waterbody = 'RIVER' | 'LAKE_RESERVOIR';
/** Qualitative grades of 表1 of the 2011 method. */
export type WaterGrade = '优' | '良好' | '轻度污染' | '中度污染' | '重度污染';

/** Ordered best to worst; the index + 1 is the national numeric class code (劣V = 6). */
export const WATER_CLASSES: readonly WaterClass[] = ['I', 'II', 'III', 'IV', 'V', 'WORSE_THAN_V'];

const GRADE_BY_CLASS: Record<WaterClass, WaterGrade> = {
  I: '优',
  II: '优',
  III: '良好',
  IV: '轻度污染',
  V: '中度污染',
  WORSE_THAN_V: '重度污染',
};

/**
 * Bad input to a standards calculation, naming the offending field (`values[2].value`) so the
 * GraphQL layer can answer BAD_USER_INPUT with `badInput(err.field, err.problem)` unchanged.
 */
export class StandardInputError extends Error {
  /** Path of the offending input, e.g. `values[2].value` or `pm25`. */
  readonly field: string;
  /** What is wrong, without the field name. */
  readonly problem: string;

  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`);
    this.name = 'StandardInputError';
    this.field = field;
    this.problem = problem;
  }
}

const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Turns a measured value (number or decimal string) into a Decimal, rejecting what no instrument
 * reports: blanks, NaN, infinities, hex or other notations, and negatives. Shared by the water and
 * air calculations so both refuse the same things with the same wording.
 */
export function parseMeasuredValue(field: string, value: unknown): Decimal {
  let d: Decimal;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new StandardInputError(field, `must be a finite number, got ${String(value)}`);
    d = new Decimal(value);
  } else if (typeof value === 'string') {
    const text = value.trim();
    if (!DECIMAL_TEXT.test(text)) throw new StandardInputError(field, `must be a decimal number, got "${value}"`);
    d = new Decimal(text);
  } else {
    throw new StandardInputError(field, `must be a number or a decimal string, got ${value === null ? 'null' : typeof value}`);
  }
  if (d.lt(0)) throw new StandardInputError(field, `must not be negative, got ${value}`);
  // -0 and 0 are the same reading.
  return d.isZero() ? new Decimal(0) : d;
}

type Comparison = 'MAX' | 'MIN' | 'RANGE' | 'NONE';

/** One Table 1 item as read from the data file, with its limits already as Decimals. */
export interface WaterParameter {
  code: string;
  nameZh: string;
  nameEn: string;
  unit: string;
  comparison: Comparison;
  /** False for the reference indicators the 2011 method keeps out of the section class. */
  inSectionClass: boolean;
  /** Cyanide and heavy metals, which the method names as main pollutants whenever they exceed III. */
  heavyMetalOrCyanide: boolean;
  /** Class I..V limits for MAX/MIN items (river column for TP). */
  limits?: readonly Decimal[];
  /** Lake/reservoir column, where Table 1 has one (TP). */
  lakeReservoirLimits?: readonly Decimal[];
  range?: { min: Decimal; max: Decimal };
}

interface RawParameter {
  nameZh: string;
  nameEn: string;
  unit: string;
  comparison: string;
  inSectionClass: boolean;
  heavyMetalOrCyanide?: boolean;
  limits?: string[];
  lakeReservoirLimits?: string[];
  range?: { min: string; max: string };
}

function loadLimits(code: string, raw: string[] | undefined, comparison: Comparison): Decimal[] | undefined {
  if (raw === undefined) return undefined;
  if (raw.length !== 5) throw new Error(`gb3838-2002.json: ${code} needs 5 class limits, has ${raw.length}`);
  const limits = raw.map((s) => new Decimal(s));
  for (let i = 1; i < limits.length; i++) {
    // Later classes are looser: never stricter than the class before.
    const ok = comparison === 'MIN' ? limits[i].lte(limits[i - 1]) : limits[i].gte(limits[i - 1]);
    if (!ok) throw new Error(`gb3838-2002.json: ${code} limits are not monotonic at class ${WATER_CLASSES[i]}`);
  }
  return limits;
}

function loadTable(): { standard: string; version: string; effectiveFrom: string; parameters: ReadonlyMap<string, WaterParameter> } {
  const params = new Map<string, WaterParameter>();
  for (const [code, p] of Object.entries(gb3838Data.parameters as Record<string, RawParameter>)) {
    const comparison = p.comparison as Comparison;
    if (!['MAX', 'MIN', 'RANGE', 'NONE'].includes(comparison)) throw new Error(`gb3838-2002.json: ${code} has unknown comparison ${p.comparison}`);
    const param: WaterParameter = {
      code,
      nameZh: p.nameZh,
      nameEn: p.nameEn,
      unit: p.unit,
      comparison,
      inSectionClass: p.inSectionClass,
      heavyMetalOrCyanide: p.heavyMetalOrCyanide === true,
      limits: loadLimits(code, p.limits, comparison),
      lakeReservoirLimits: loadLimits(code, p.lakeReservoirLimits, comparison),
      range: p.range ? { min: new Decimal(p.range.min), max: new Decimal(p.range.max) } : undefined,
    };
    if ((comparison === 'MAX' || comparison === 'MIN') && !param.limits) throw new Error(`gb3838-2002.json: ${code} has no limits`);
    if (comparison === 'RANGE' && !param.range) throw new Error(`gb3838-2002.json: ${code} has no range`);
    params.set(code, param);
  }
  return { standard: gb3838Data.standard, version: gb3838Data.version, effectiveFrom: gb3838Data.effectiveFrom, parameters: params };
}

const TABLE = loadTable();

/** The GB 3838-2002 Table 1 items by HJ 212 code, for catalogs and input forms. */
export const GB3838_2002 = TABLE;

/** One measured item of a section sample; the value is in the item's Table 1 unit. */
export interface WaterValueInput {
  /** HJ 212-2017 parameter code, e.g. `w01018` for COD. */
  parameter: string;
  value: string | number;
}

export interface WaterAssessmentInput {
  waterbody: Waterbody;
  values: readonly WaterValueInput[];
}

export interface WaterItemResult {
  parameter: string;
  /** Null only for water temperature, which has no class limit. */
  waterClass: WaterClass | null;
  /** Whether the item takes part in the section class. */
  evaluated: boolean;
}

export interface MainPollutant {
  parameter: string;
  waterClass: WaterClass;
  /** (C − class III limit) / class III limit to 2 decimals, half up; null for pH and DO. */
  exceedance: string | null;
}

export interface WaterAssessment {
  standard: string;
  waterClass: WaterClass;
  grade: WaterGrade;
  items: WaterItemResult[];
  /** Empty unless the section is worse than class III. */
  mainPollutants: MainPollutant[];
}

function classIndexAgainst(limits: readonly Decimal[], value: Decimal, comparison: 'MAX' | 'MIN'): number {
  // Scanning from class I makes a shared limit (COD I = II = 15) give the better class.
  for (let i = 0; i < limits.length; i++) {
    if (comparison === 'MAX' ? value.lte(limits[i]) : value.gte(limits[i])) return i;
  }
  return WATER_CLASSES.length - 1;
}

/** Index into WATER_CLASSES for one item, or null where the item has no class (water temperature). */
function itemClassIndex(param: WaterParameter, value: Decimal, waterbody: Waterbody): number | null {
  switch (param.comparison) {
    case 'NONE':
      return null;
    case 'RANGE': {
      const { min, max } = param.range!;
      return value.gte(min) && value.lte(max) ? 0 : WATER_CLASSES.length - 1;
    }
    case 'MIN':
    case 'MAX': {
      const limits = waterbody === 'LAKE_RESERVOIR' && param.lakeReservoirLimits ? param.lakeReservoirLimits : param.limits!;
      return classIndexAgainst(limits, value, param.comparison);
    }
  }
}

const CLASS_III = 2;

/**
 * Classifies one section sample by the single-factor method: each item against Table 1, the
 * section taking the worst class among the items the 2011 method evaluates, then the qualitative
 * grade and, for sections worse than III, the main pollutants with their exceedance ratios.
 */
export function assessWater(input: WaterAssessmentInput): WaterAssessment {
  if (input.waterbody !== 'RIVER' && input.waterbody !== 'LAKE_RESERVOIR') {
    throw new StandardInputError('waterbody', `must be RIVER or LAKE_RESERVOIR, got ${String(input.waterbody)}`);
  }
  if (!Array.isArray(input.values) || input.values.length === 0) {
    throw new StandardInputError('values', 'must list at least one measured parameter');
  }
  const seen = new Map<string, number>();
  const measured: Array<{ param: WaterParameter; value: Decimal; classIndex: number | null; order: number }> = [];
  input.values.forEach((v, i) => {
    const code = typeof v?.parameter === 'string' ? v.parameter.trim() : v?.parameter;
    const param = typeof code === 'string' ? TABLE.parameters.get(code) : undefined;
    if (!param) {
      throw new StandardInputError(`values[${i}].parameter`, `unknown GB 3838-2002 Table 1 parameter code ${JSON.stringify(v?.parameter)}`);
    }
    const first = seen.get(param.code);
    if (first !== undefined) {
      throw new StandardInputError(`values[${i}].parameter`, `${param.code} is already given at values[${first}]`);
    }
    seen.set(param.code, i);
    const value = parseMeasuredValue(`values[${i}].value`, v.value);
    measured.push({ param, value, classIndex: itemClassIndex(param, value, input.waterbody), order: i });
  });

  const evaluated = measured.filter((m) => m.param.inSectionClass && m.classIndex !== null);
  if (evaluated.length === 0) {
    throw new StandardInputError('values', 'no parameter that takes part in the section class (water temperature, TN and fecal coliform are reference items only)');
  }
  const sectionIndex = Math.max(...evaluated.map((m) => m.classIndex!));
  const waterClass = WATER_CLASSES[sectionIndex];

  const items: WaterItemResult[] = measured.map((m) => ({
    parameter: m.param.code,
    waterClass: m.classIndex === null ? null : WATER_CLASSES[m.classIndex],
    evaluated: m.param.inSectionClass && m.classIndex !== null,
  }));

  let mainPollutants: MainPollutant[] = [];
  if (sectionIndex > CLASS_III) {
    const candidates = evaluated
      .filter((m) => m.classIndex! > CLASS_III)
      .map((m) => ({ ...m, ratio: exceedanceRatio(m.param, m.value, input.waterbody) }))
      .sort((a, b) => {
        if (a.classIndex !== b.classIndex) return b.classIndex! - a.classIndex!;
        if (a.ratio && b.ratio) {
          const c = b.ratio.cmp(a.ratio);
          if (c !== 0) return c;
        } else if (a.ratio || b.ratio) {
          return a.ratio ? -1 : 1;
        }
        return a.order - b.order;
      });
    const chosen = candidates.slice(0, 3);
    const extraToxics = candidates.slice(3).filter((m) => m.param.heavyMetalOrCyanide);
    mainPollutants = [...chosen, ...extraToxics].map((m) => ({
      parameter: m.param.code,
      waterClass: WATER_CLASSES[m.classIndex!],
      exceedance: m.ratio ? m.ratio.toFixed(2, Decimal.ROUND_HALF_UP) : null,
    }));
  }

  return { standard: TABLE.standard, waterClass, grade: GRADE_BY_CLASS[waterClass], items, mainPollutants };
}

/** (C − III limit) / III limit for "≤" items; null where the method computes none (pH, DO). */
function exceedanceRatio(param: WaterParameter, value: Decimal, waterbody: Waterbody): Decimal | null {
  if (param.comparison !== 'MAX') return null;
  const limits = waterbody === 'LAKE_RESERVOIR' && param.lakeReservoirLimits ? param.lakeReservoirLimits : param.limits!;
  const limit = limits[CLASS_III];
  return value.minus(limit).div(limit);
}
