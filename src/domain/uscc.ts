import { District, districtByDivisionCode } from './jurisdictions';

/**
 * Unified Social Credit Code (统一社会信用代码), GB 32100-2015: 18 characters from a 31-character
 * alphabet (no I, O, S, V, Z), positions 3–8 the registering authority's division code (digits),
 * position 18 a mod-31 check character over positions 1–17 with weights 3^(i-1) mod 31.
 */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export interface UsccCheck {
  valid: boolean;
  /** What is wrong, in one sentence naming the position; absent when valid. */
  reason?: string;
  /** The check character the first 17 characters call for, when they are well formed. */
  expectedCheckCharacter?: string;
  divisionCode?: string;
  /** The zone district whose division code the code carries, if any. */
  jurisdiction?: District;
}

/** The check character for the first 17 characters of a code (which must be in the alphabet). */
export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(first17[i]) * WEIGHTS[i];
  const c = (31 - (sum % 31)) % 31;
  return USCC_ALPHABET[c];
}

export function checkUscc(input: string): UsccCheck {
  const code = input;
  if (code.length !== 18) return { valid: false, reason: `must be 18 characters, got ${code.length}` };
  for (let i = 0; i < 17; i++) {
    const ch = code[i];
    if (!USCC_ALPHABET.includes(ch)) {
      const hint = /[a-z]/.test(ch) ? ' (letters must be upper case)' : /[IOSVZ]/.test(ch) ? ' (I, O, S, V and Z are not used)' : '';
      return { valid: false, reason: `character ${i + 1} "${ch}" is not allowed${hint}` };
    }
  }
  const divisionCode = code.slice(2, 8);
  if (!/^\d{6}$/.test(divisionCode)) {
    const pos = [...divisionCode].findIndex((c) => !/\d/.test(c)) + 3;
    return { valid: false, reason: `positions 3-8 are the division code and must be digits; position ${pos} is "${code[pos - 1]}"` };
  }
  // The check character is reported as a mismatch even when it is outside the alphabet (…Y4Z → "should be 3, got Z").
  const expected = usccCheckCharacter(code.slice(0, 17));
  const base = { expectedCheckCharacter: expected, divisionCode, jurisdiction: districtByDivisionCode(divisionCode) };
  if (code[17] !== expected) {
    return { valid: false, reason: `check character should be ${expected}, got ${code[17]}`, ...base };
  }
  return { valid: true, ...base };
}

export function isValidUscc(code: string): boolean {
  return checkUscc(code).valid;
}

/** Completes 17 characters with their check character: used by the demo data generator and tests. */
export function withCheckCharacter(first17: string): string {
  if (first17.length !== 17) throw new Error('withCheckCharacter needs 17 characters');
  return first17 + usccCheckCharacter(first17);
}
