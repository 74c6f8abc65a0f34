import { StationKind } from '../monitoring';

/**
 * What the hub needs to store an HJ 212 value that the packet does not carry: its unit, and for a
 * 2005-version packet the 2017 code of its parameter.
 *
 * Source: HJ 212-2017 appendix code tables (water and gas), as listed in the zone's reference notes
 * (standards.md §7.5, from alltobs-hj212 PollutionWater/PollutionGas); units as the appendix gives
 * them for real-time and mean values [recalled, not checked against the printed text]. Version
 * HJ 212-2017, in force 2017-05-01. Ambient-air units follow GB 3095-2012 (µg/m³, CO in mg/m³),
 * the same units the rest of the hub stores.
 */
export const HJ212_PARAMETERS_VERSION = { standard: 'HJ 212-2017', effective: '2017-05-01' } as const;

/** Units of water parameters, at a pollution-source outlet or a surface-water station. */
const WATER: Record<string, string> = {
  w00000: 'L/s', w01001: '无量纲', w01009: 'mg/L', w01010: '℃', w01012: 'mg/L', w01014: 'μS/cm', w01017: 'mg/L', w01018: 'mg/L',
  w01019: 'mg/L', w01020: 'mg/L', w02003: '个/L', w19002: 'mg/L', w20111: 'mg/L', w20115: 'mg/L', w20116: 'mg/L', w20117: 'mg/L',
  w20119: 'mg/L', w20120: 'mg/L', w20121: 'mg/L', w20122: 'mg/L', w20123: 'mg/L', w20124: 'mg/L', w20125: 'mg/L', w20128: 'mg/L',
  w21001: 'mg/L', w21003: 'mg/L', w21011: 'mg/L', w21016: 'mg/L', w21017: 'mg/L', w21019: 'mg/L', w21022: 'mg/L', w21038: 'mg/L',
  w22001: 'mg/L', w23002: 'mg/L',
};

/** Units of flue-gas parameters at a pollution-source outlet (concentrations in mg/m³). */
const FLUE_GAS: Record<string, string> = {
  a00000: 'm³/s', a01011: 'm/s', a01012: '℃', a01013: 'kPa', a01014: '%', a19001: '%', a21026: 'mg/m³', a21002: 'mg/m³', a21003: 'mg/m³',
  a21004: 'mg/m³', a21005: 'mg/m³', a21024: 'mg/m³', a21028: 'mg/m³', a24087: 'mg/m³', a24088: 'mg/m³', a25002: 'mg/m³', a25003: 'mg/m³',
  a25005: 'mg/m³', a34013: 'mg/m³', a34002: 'mg/m³', a34004: 'mg/m³', a34001: 'mg/m³',
};

/** Units of ambient-air parameters at an air-quality station (GB 3095-2012). */
const AMBIENT_AIR: Record<string, string> = {
  a21026: 'µg/m³', a21004: 'µg/m³', a21005: 'mg/m³', a05024: 'µg/m³', a34002: 'µg/m³', a34004: 'µg/m³', a34001: 'µg/m³',
  a01001: '℃', a01002: '%', a01006: 'kPa', a01007: 'm/s', a01008: '°',
};

/** HJ/T 212-2005 codes and their HJ 212-2017 successors (standards.md §7.5, the bracketed codes). */
export const CODES_2005: Readonly<Record<string, string>> = {
  B01: 'w00000', '001': 'w01001', '003': 'w01012', '010': 'w01017', '011': 'w01018', '015': 'w01020', '065': 'w21001', '060': 'w21003', '101': 'w21011',
  B02: 'a00000', S02: 'a01011', S03: 'a01012', S08: 'a01013', S05: 'a01014', S01: 'a19001', '02': 'a21026', '03': 'a21002', '04': 'a21005',
  '08': 'a21024', '05': 'a21028', '25': 'a24087', '17': 'a25003', '18': 'a25005', '01': 'a34013',
};

/** A 2017 parameter code: one letter (w water, a gas, …) and five digits. */
export const CODE_2017 = /^[a-z]\d{5}$/;

/**
 * The unit of a parameter at a station of this kind, or null when the hub does not know the code.
 * The kind matters: SO2 is µg/m³ in ambient air and mg/m³ in flue gas.
 */
export function unitOf(kind: StationKind, code: string): string | null {
  if (code.startsWith('w')) return WATER[code] ?? null;
  if (kind === StationKind.AIR) return AMBIENT_AIR[code] ?? null;
  return FLUE_GAS[code] ?? null;
}
