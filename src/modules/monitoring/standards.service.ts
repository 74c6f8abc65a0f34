import Decimal from 'decimal.js';
import { AqiResult, computeAqi } from '../../domain/standards/aqi';
import { assessWater, StandardInputError, WaterAssessment } from '../../domain/standards/water-quality';
import { checkUscc } from '../../domain/uscc';
import { badInput } from '../../graphql/errors';
import { AqiInput, WaterSampleInput } from './monitoring.inputs';
import { AqiPollutantCode, WaterClassCode } from './monitoring.codes';
import { AqiResultType, UsccValidation, WaterAssessmentResult } from './monitoring.types';

/**
 * Runs a standards calculation and turns its input errors into BAD_USER_INPUT naming the field
 * under the GraphQL argument (`input.values[0].parameter`), so a partner sees which value is wrong.
 */
export function withInputErrors<T>(argument: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof StandardInputError) throw badInput(`${argument}.${err.field}`, err.problem);
    throw err;
  }
}

/** Decimal text without exponent or trailing zeros ("0.00005", "1.2"). */
export function plainDecimal(v: string | number): string {
  return new Decimal(v).toFixed();
}

/** The GraphQL shape of a water assessment; `values` are the judged values by parameter. */
export function toWaterResult(a: WaterAssessment, values: ReadonlyMap<string, string>): WaterAssessmentResult {
  return {
    standard: a.standard,
    waterClass: a.waterClass as WaterClassCode,
    grade: a.grade,
    items: a.items.map((i) => ({ parameter: i.parameter, waterClass: i.waterClass as WaterClassCode | null, evaluated: i.evaluated, value: values.get(i.parameter) ?? '' })),
    mainPollutants: a.mainPollutants.map((m) => ({ parameter: m.parameter, waterClass: m.waterClass as WaterClassCode, exceedance: m.exceedance })),
  };
}

/** The GraphQL shape of an AQI result (pollutant names are already the enum's values). */
export function toAqiResult(r: AqiResult): AqiResultType {
  return {
    aqi: r.aqi,
    level: r.level,
    category: r.category,
    primaryPollutants: r.primaryPollutants as AqiPollutantCode[],
    exceedingPollutants: r.exceedingPollutants as AqiPollutantCode[],
    iaqi: r.iaqi.map((e) => ({ pollutant: e.pollutant as AqiPollutantCode, value: e.value })),
    standard: r.standard,
    notes: r.notes,
  };
}

/**
 * The public calculators partner systems call directly: pure functions over the domain code in
 * src/domain, with no database and no principal, so anyone may call them.
 */
export const standardsService = {
  validateUscc(code: string): UsccValidation {
    const c = checkUscc(code);
    return {
      valid: c.valid,
      reason: c.reason ?? null,
      expectedCheckCharacter: c.expectedCheckCharacter ?? null,
      divisionCode: c.divisionCode ?? null,
      jurisdiction: c.jurisdiction ?? null,
    };
  },

  assessWater(input: WaterSampleInput): WaterAssessmentResult {
    const result = withInputErrors('input', () => assessWater({ waterbody: input.waterbody, values: input.values }));
    const values = new Map(input.values.map((v) => [v.parameter.trim(), plainDecimal(v.value)]));
    return toWaterResult(result, values);
  },

  computeAqi(input: AqiInput): AqiResultType {
    const { report, date, ...concentrations } = input;
    const result = withInputErrors('input', () => computeAqi({ report, date: date.toISOString().slice(0, 10), ...concentrations }));
    return toAqiResult(result);
  },
};
