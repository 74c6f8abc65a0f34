import Decimal from 'decimal.js';
import { EnforcementInputError } from './errors';

/** decimal.js configured for money: 40 significant digits, so no sum or product of a fine is ever rounded by accident. */
export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -30, toExpPos: 40 });
export type Money = Decimal;

const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** A decimal from input (number or decimal string), refused with the field and rule when it is not one. */
export function parseInputDecimal(field: string, value: unknown): Decimal {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new EnforcementInputError(field, 'NOT_A_NUMBER', `must be a finite number, got ${String(value)}`);
    return new Money(String(value));
  }
  if (typeof value === 'string' && DECIMAL_TEXT.test(value.trim())) return new Money(value.trim());
  throw new EnforcementInputError(field, 'NOT_A_NUMBER', `must be a decimal number, got ${JSON.stringify(value)}`);
}

/** Plain decimal text without exponent or trailing zeros: "6", "0.05", "199000". */
export function plain(d: Decimal): string {
  return d.toFixed();
}

/** Yuan with two decimals, as the hub writes money everywhere ("199000.00"). */
export function yuan(d: Decimal): string {
  return d.toFixed(2);
}

export type RoundingMode = 'HALF_UP' | 'DOWN' | 'UP';

const MODES: Record<RoundingMode, Decimal.Rounding> = { HALF_UP: Decimal.ROUND_HALF_UP, DOWN: Decimal.ROUND_DOWN, UP: Decimal.ROUND_UP };

/** `value` rounded to a multiple of `unit` (0.01, 1, 100) by `mode`. */
export function roundTo(value: Decimal, unit: Decimal, mode: RoundingMode): Decimal {
  return value.div(unit).toDecimalPlaces(0, MODES[mode]).mul(unit);
}
