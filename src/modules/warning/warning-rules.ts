import { readFileSync } from 'node:fs';
import Decimal from 'decimal.js';
import { DISTRICTS, District, Jurisdiction, provinceOf } from '../../domain/jurisdictions';
import { WATER_CLASSES } from '../../domain/standards/water-quality';
import { ErrorCode, HubError } from '../../graphql/errors';
import { AlertLevel, AlertPeriod, LEVEL_ORDER } from './alert.codes';
import bundled from './data/warning-rules.json';

/**
 * The early-warning rules as data (issue 17): which sections are watched jointly and for what,
 * their thresholds and levels, who is downstream, the outlets' limits and the provinces'
 * verification deadlines. The numbers the law leaves open, or that the reference notes mark [M]
 * or NOT FOUND, live in `data/warning-rules.json`, never in code. `parseWarningRules` checks a
 * rules object completely and either returns it typed or throws one `WarningRulesError` naming
 * every problem; nothing is used (or stored) from a file with a problem.
 */

export interface Threshold {
  level: AlertLevel;
  /** The level is reached when the period mean is strictly above this value. */
  above: Decimal;
}

export interface Watch {
  parameter: string;
  period: AlertPeriod;
  thresholds: Threshold[];
  trend?: { periods: number; period: AlertPeriod; level: AlertLevel };
}

export interface SectionGroup {
  name: string;
  stations: string[];
  downstream: District[];
  catalogResource: string;
  /** The target class agreed for these sections, when it differs from the station record's. */
  targetClass?: string;
  watch: Watch[];
}

export interface Limit {
  parameter: string;
  hourly?: { min?: Decimal; max?: Decimal };
  daily?: { min?: Decimal; max?: Decimal };
}

export interface OutletRule {
  stations: string[];
  keyUnit: boolean;
  limits: Limit[];
}

export interface WarningRules {
  version: string;
  effectiveFrom: string;
  /** Units of parameters the HJ 212 code table of the ingest does not know, which the rules watch. */
  parameterUnits: Record<string, string>;
  evaluation: { lookbackHours: number; intervalSeconds: number; minValidHoursPerDay: number };
  sectionClass: { levelsByClassesWorse: AlertLevel[] };
  sections: SectionGroup[];
  otherSections: { catalogResource: string; downstream: District[] };
  sources: {
    catalogResource: string;
    verificationHours: Partial<Record<Jurisdiction, { keyUnit: number; other: number }>>;
    exceedanceBands: Array<{ level: AlertLevel; upToRatio?: Decimal }>;
    dataGap: { flags: string[]; minHours: number; level: AlertLevel };
    abnormalFlags: { flags: string[]; level: AlertLevel };
    outlets: OutletRule[];
  };
}

export interface RulesProblem {
  field: string;
  rule: string;
  problem: string;
}

/** Bad warning rules: BAD_USER_INPUT, naming the first problem's field and listing every problem. */
export class WarningRulesError extends HubError {
  constructor(readonly problems: RulesProblem[]) {
    super(ErrorCode.BAD_USER_INPUT, `${problems[0].field}: ${problems[0].problem}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`,
      { field: problems[0].field, rule: problems[0].rule, problems });
  }
}

const CODE = /^[a-z]\d{5}$/;
const RESOURCE = /^2\d{5}\/\d{4}$/;
const DECIMAL = /^(\d+(\.\d*)?|\.\d+)$/;
const FLAGS = new Set(['N', 'F', 'M', 'S', 'D', 'C', 'T', 'B']);
/** No concentration the hub stores reaches this; a threshold beyond it is a typing error. */
const MAX_VALUE = new Decimal('1e7');
const PROVINCES = [...new Set(DISTRICTS.map(provinceOf))];

/* eslint-disable @typescript-eslint/no-explicit-any -- the rules arrive as parsed JSON and are checked field by field */
class Checker {
  problems: RulesProblem[] = [];

  fail(field: string, rule: string, problem: string): void {
    this.problems.push({ field, rule, problem });
  }

  text(v: any, field: string): string {
    if (typeof v !== 'string' || v.trim() === '') this.fail(field, 'required', 'must be a non-empty string');
    return String(v ?? '');
  }

  int(v: any, field: string, min: number, max: number): number {
    if (!Number.isInteger(v) || v < min || v > max) this.fail(field, 'outOfRange', `must be a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`);
    return Number(v);
  }

  level(v: any, field: string): AlertLevel {
    if (!LEVEL_ORDER.includes(v)) this.fail(field, 'unknownLevel', `must be one of ${LEVEL_ORDER.join(', ')}, got ${JSON.stringify(v)}`);
    return v as AlertLevel;
  }

  /** A positive decimal written as text, below MAX_VALUE. */
  value(v: any, field: string): Decimal {
    if (typeof v !== 'string' || !DECIMAL.test(v)) {
      this.fail(field, 'notDecimal', `must be a non-negative decimal written as a string, got ${JSON.stringify(v)}`);
      return new Decimal(0);
    }
    const d = new Decimal(v);
    if (d.lte(0) || d.gte(MAX_VALUE)) this.fail(field, 'outOfRange', `must be above 0 and below ${MAX_VALUE.toString()}, got ${v}`);
    return d;
  }

  parameter(v: any, field: string, known: (c: string) => boolean): string {
    if (typeof v !== 'string' || !CODE.test(v)) this.fail(field, 'unknownParameter', `must be an HJ 212-2017 parameter code like w21003, got ${JSON.stringify(v)}`);
    else if (!known(v)) this.fail(field, 'unknownParameter', `${v} has no unit: add it to "parameters" or use a code the HJ 212 ingest knows`);
    return String(v);
  }

  districts(v: any, field: string): District[] {
    if (!Array.isArray(v)) {
      this.fail(field, 'required', 'must be a list of districts');
      return [];
    }
    v.forEach((d, i) => {
      if (!(DISTRICTS as readonly string[]).includes(d)) this.fail(`${field}[${i}]`, 'unknownDistrict', `must be one of ${DISTRICTS.join(', ')}, got ${JSON.stringify(d)}`);
    });
    return v as District[];
  }

  resource(v: any, field: string): string {
    if (typeof v !== 'string' || !RESOURCE.test(v)) this.fail(field, 'unknownResource', `must be a catalog resource code like 211003/0002, got ${JSON.stringify(v)}`);
    return String(v);
  }

  period(v: any, field: string): AlertPeriod {
    if (v !== 'HOUR' && v !== 'DAY') this.fail(field, 'unknownPeriod', `must be HOUR or DAY, got ${JSON.stringify(v)}`);
    return v as AlertPeriod;
  }

  flags(v: any, field: string): string[] {
    if (!Array.isArray(v) || v.length === 0) this.fail(field, 'required', 'must list at least one HJ 212 data flag');
    (Array.isArray(v) ? v : []).forEach((f, i) => {
      if (!FLAGS.has(f) || f === 'N') this.fail(`${field}[${i}]`, 'unknownFlag', `must be an HJ 212 data flag other than N (F M S D C T B), got ${JSON.stringify(f)}`);
    });
    return Array.isArray(v) ? v : [];
  }

  bounds(v: any, field: string): { min?: Decimal; max?: Decimal } | undefined {
    if (v === undefined) return undefined;
    const min = v?.min === undefined ? undefined : this.value(v.min, `${field}.min`);
    const max = v?.max === undefined ? undefined : this.value(v.max, `${field}.max`);
    if (!min && !max) this.fail(field, 'required', 'must give min, max or both');
    if (min && max && min.gte(max)) this.fail(field, 'outOfRange', `min ${min} must be below max ${max}`);
    return { min, max };
  }
}

/**
 * Checks a rules object (the parsed JSON file) and returns it typed; throws `WarningRulesError`
 * with every problem found. `knownUnit(code)` says whether the HJ 212 ingest can store a
 * parameter; codes listed under "parameters" are known too.
 */
export function parseWarningRules(raw: any, knownUnit: (code: string) => boolean = () => true): WarningRules {
  const c = new Checker();
  if (!raw || typeof raw !== 'object') throw new WarningRulesError([{ field: '(file)', rule: 'required', problem: 'the rules must be a JSON object' }]);
  const version = c.text(raw.version, 'version');
  const effectiveFrom = c.text(raw.effectiveFrom, 'effectiveFrom');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(effectiveFrom)) c.fail('effectiveFrom', 'notDate', 'must be a date YYYY-MM-DD');

  const parameterUnits: Record<string, string> = {};
  for (const [code, p] of Object.entries<any>(raw.parameters ?? {})) {
    if (!CODE.test(code)) c.fail(`parameters.${code}`, 'unknownParameter', 'must be an HJ 212-2017 parameter code like w20141');
    parameterUnits[code] = c.text(p?.unit, `parameters.${code}.unit`);
  }
  const known = (code: string) => code in parameterUnits || knownUnit(code);

  const ev = raw.evaluation ?? {};
  const evaluation = {
    lookbackHours: c.int(ev.lookbackHours, 'evaluation.lookbackHours', 1, 24 * 31),
    intervalSeconds: c.int(ev.intervalSeconds, 'evaluation.intervalSeconds', 10, 86_400),
    minValidHoursPerDay: c.int(ev.minValidHoursPerDay, 'evaluation.minValidHoursPerDay', 1, 24),
  };

  const levelsRaw = raw.sectionClass?.levelsByClassesWorse;
  if (!Array.isArray(levelsRaw) || levelsRaw.length === 0) c.fail('sectionClass.levelsByClassesWorse', 'required', 'must list the level for one class worse than the target, two, …');
  const levelsByClassesWorse = (Array.isArray(levelsRaw) ? levelsRaw : []).map((l, i) => c.level(l, `sectionClass.levelsByClassesWorse[${i}]`));

  const seenStations = new Map<string, string>();
  const station = (code: any, field: string) => {
    const s = c.text(code, field);
    if (seenStations.has(s)) c.fail(field, 'duplicateStation', `${s} is already ruled at ${seenStations.get(s)}; a station belongs to one group`);
    else seenStations.set(s, field);
    return s;
  };

  const watch = (w: any, field: string): Watch => {
    const parameter = c.parameter(w?.parameter, `${field}.parameter`, known);
    const period = c.period(w?.period, `${field}.period`);
    if (!Array.isArray(w?.thresholds) || w.thresholds.length === 0) c.fail(`${field}.thresholds`, 'required', 'must list at least one threshold');
    const thresholds: Threshold[] = (Array.isArray(w?.thresholds) ? w.thresholds : []).map((t: any, i: number) =>
      ({ level: c.level(t?.level, `${field}.thresholds[${i}].level`), above: c.value(t?.above, `${field}.thresholds[${i}].above`) }));
    thresholds.forEach((t, i) => {
      if (i === 0) return;
      const prev = thresholds[i - 1];
      if (LEVEL_ORDER.indexOf(t.level) <= LEVEL_ORDER.indexOf(prev.level)) c.fail(`${field}.thresholds[${i}].level`, 'levelOrder', `levels must rise: ${t.level} follows ${prev.level}`);
      if (t.above.lte(prev.above)) c.fail(`${field}.thresholds[${i}].above`, 'outOfRange', `thresholds must rise with the level: ${t.above} is not above ${prev.above}`);
    });
    const trend = w?.trend === undefined ? undefined : {
      periods: c.int(w.trend?.periods, `${field}.trend.periods`, 2, 48),
      period: c.period(w.trend?.period, `${field}.trend.period`),
      level: c.level(w.trend?.level, `${field}.trend.level`),
    };
    return { parameter, period, thresholds, ...(trend ? { trend } : {}) };
  };

  const sections: SectionGroup[] = (Array.isArray(raw.sections) ? raw.sections : []).map((g: any, gi: number) => {
    const f = `sections[${gi}]`;
    if (g?.targetClass !== undefined && !(WATER_CLASSES as readonly string[]).includes(g.targetClass)) {
      c.fail(`${f}.targetClass`, 'unknownTargetClass', `must be a GB 3838-2002 class (${WATER_CLASSES.join(', ')}), got ${JSON.stringify(g.targetClass)}`);
    }
    if (!Array.isArray(g?.stations) || g.stations.length === 0) c.fail(`${f}.stations`, 'required', 'must list at least one station code');
    return {
      name: c.text(g?.name, `${f}.name`),
      stations: (Array.isArray(g?.stations) ? g.stations : []).map((s: any, i: number) => station(s, `${f}.stations[${i}]`)),
      downstream: c.districts(g?.downstream ?? [], `${f}.downstream`),
      catalogResource: c.resource(g?.catalogResource, `${f}.catalogResource`),
      ...(g?.targetClass !== undefined ? { targetClass: g.targetClass } : {}),
      watch: (Array.isArray(g?.watch) ? g.watch : []).map((w: any, i: number) => watch(w, `${f}.watch[${i}]`)),
    };
  });
  const otherSections = {
    catalogResource: c.resource(raw.otherSections?.catalogResource, 'otherSections.catalogResource'),
    downstream: c.districts(raw.otherSections?.downstream ?? [], 'otherSections.downstream'),
  };

  const s = raw.sources ?? {};
  const verificationHours: WarningRules['sources']['verificationHours'] = {};
  // Fail closed: every province of the zone needs its deadlines; a missing one is a problem, not a default.
  for (const p of PROVINCES) {
    const v = s.verificationHours?.[p];
    if (!v) {
      c.fail(`sources.verificationHours.${p}`, 'required', `the verification deadlines of ${p} are missing`);
      continue;
    }
    verificationHours[p] = { keyUnit: c.int(v.keyUnit, `sources.verificationHours.${p}.keyUnit`, 1, 720), other: c.int(v.other, `sources.verificationHours.${p}.other`, 1, 720) };
  }
  const bandsRaw = s.exceedanceLevels?.bands;
  if (!Array.isArray(bandsRaw) || bandsRaw.length === 0) c.fail('sources.exceedanceLevels.bands', 'required', 'must list at least one band');
  const exceedanceBands = (Array.isArray(bandsRaw) ? bandsRaw : []).map((b: any, i: number, all: any[]) => {
    const f = `sources.exceedanceLevels.bands[${i}]`;
    const last = i === all.length - 1;
    if (last && b?.upToRatio !== undefined) c.fail(`${f}.upToRatio`, 'outOfRange', 'the last band has no upper ratio: it takes every larger exceedance');
    if (!last && b?.upToRatio === undefined) c.fail(`${f}.upToRatio`, 'required', 'every band but the last needs upToRatio');
    const upToRatio = b?.upToRatio === undefined ? undefined : c.value(b.upToRatio, `${f}.upToRatio`);
    if (upToRatio && upToRatio.lte(1)) c.fail(`${f}.upToRatio`, 'outOfRange', 'a ratio to the limit must be above 1');
    return { level: c.level(b?.level, `${f}.level`), ...(upToRatio ? { upToRatio } : {}) };
  });
  const dataGap = {
    flags: c.flags(s.dataGap?.flags, 'sources.dataGap.flags'),
    minHours: c.int(s.dataGap?.minHours, 'sources.dataGap.minHours', 1, 24),
    level: c.level(s.dataGap?.level, 'sources.dataGap.level'),
  };
  const abnormalFlags = { flags: c.flags(s.abnormalFlags?.flags, 'sources.abnormalFlags.flags'), level: c.level(s.abnormalFlags?.level, 'sources.abnormalFlags.level') };
  const outlets: OutletRule[] = (Array.isArray(s.outlets) ? s.outlets : []).map((o: any, oi: number) => {
    const f = `sources.outlets[${oi}]`;
    if (typeof o?.keyUnit !== 'boolean') c.fail(`${f}.keyUnit`, 'required', 'must say whether the outlet is a key discharge unit (true or false)');
    return {
      stations: (Array.isArray(o?.stations) ? o.stations : []).map((x: any, i: number) => station(x, `${f}.stations[${i}]`)),
      keyUnit: o?.keyUnit === true,
      limits: (Array.isArray(o?.limits) ? o.limits : []).map((l: any, li: number) => ({
        parameter: c.parameter(l?.parameter, `${f}.limits[${li}].parameter`, known),
        hourly: c.bounds(l?.hourly, `${f}.limits[${li}].hourly`),
        daily: c.bounds(l?.daily, `${f}.limits[${li}].daily`),
      })),
    };
  });

  const sourcesResource = c.resource(s.catalogResource, 'sources.catalogResource');
  if (c.problems.length > 0) throw new WarningRulesError(c.problems);
  return {
    version, effectiveFrom, parameterUnits, evaluation, sectionClass: { levelsByClassesWorse }, sections, otherSections,
    sources: { catalogResource: sourcesResource, verificationHours, exceedanceBands, dataGap, abnormalFlags, outlets },
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** The rules of a JSON file (HUB_WARNING_RULES_FILE); refused as a whole when anything in it is wrong. */
export function warningRulesFromFile(file: string, knownUnit?: (code: string) => boolean): WarningRules {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new WarningRulesError([{ field: '(file)', rule: 'unreadable', problem: `${file} is not readable JSON: ${(err as Error).message}` }]);
  }
  return parseWarningRules(raw, knownUnit);
}

/** The rules shipped with the hub. */
export function bundledWarningRules(knownUnit?: (code: string) => boolean): WarningRules {
  return parseWarningRules(bundled, knownUnit);
}

/** The raw bundled file, for tests that change one value and check the refusal. */
export function bundledWarningRulesJson(): unknown {
  return JSON.parse(JSON.stringify(bundled));
}
