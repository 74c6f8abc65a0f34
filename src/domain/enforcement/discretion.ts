import Decimal from 'decimal.js';
import { parseDay } from '../calendar';
import { CODE_TEXT, DataPath, DataSource, DAY_TEXT, DECIMAL_TEXT, checkDay, Reporter, reportDuplicates, schemaCheck, TEXT } from './data-files';
import { Money, parseInputDecimal, plain, roundTo, RoundingMode, yuan } from './decimal';
import { EnforcementInputError } from './errors';

/**
 * The discretion ruler (裁量基准): where in its legal range a fine falls, from the factors of a
 * versioned discretion table. Tables are data (data/discretion/*.json); this module validates them
 * and computes, in exact decimals, the fine with its working. Three methods, as enforcement.md §6
 * describes them:
 *
 * - PERCENT (method A, 裁量百分值): each factor level carries a percentage (or a range the officer
 *   picks within); fine = min + (max − min) × Σp, Σp capped at 100 %.
 * - GRADE (method B, graded factors): each level carries grade points; the table maps the total
 *   score to a position in the range through its own bands. The official combining formula was not
 *   found, so the bands are the table's data, never code.
 * - COEFFICIENT (method C, historical Jiangsu): fine = base × (start + Σ adjustments), rounded as
 *   the table says and clamped to the legal range.
 *
 * A legal range is fixed (100,000–1,000,000 yuan) or a rate of a base the case supplies (1–5 % of
 * the investment, EIA law art. 31; 3–5 × the disposal cost with a floor, solid-waste law art. 112).
 */

export type DiscretionMethod = 'PERCENT' | 'GRADE' | 'COEFFICIENT';
export const DISCRETION_METHODS: readonly DiscretionMethod[] = ['PERCENT', 'GRADE', 'COEFFICIENT'];

export interface FactorLevel {
  code: string;
  name: string;
  /** PERCENT: a fixed percentage… */
  percent?: Decimal;
  /** …or a range the officer picks within (inclusive). */
  percentMin?: Decimal;
  percentMax?: Decimal;
  /** GRADE: the level's points. */
  grade?: Decimal;
  /** COEFFICIENT: added to the coefficient (+1, −0.2). */
  adjustment?: Decimal;
}

export interface DiscretionFactor {
  code: string;
  name: string;
  /** A required factor must be selected; an optional one contributes nothing when left out. */
  required: boolean;
  levels: FactorLevel[];
}

export type LegalRange =
  | { kind: 'FIXED'; min: Decimal; max: Decimal }
  | { kind: 'BASE_RATE'; base: { code: string; name: string; floor?: Decimal }; minRate: Decimal; maxRate: Decimal };

export interface ScoreBand {
  fromScore: Decimal;
  percent: Decimal;
}

export interface DiscretionEntry {
  violationCode: string;
  legalBasis: string;
  conduct: string;
  range: LegalRange;
  method: DiscretionMethod;
  factors: DiscretionFactor[];
  /** GRADE: ascending by fromScore; the first covers the lowest possible score. */
  bands?: ScoreBand[];
  /** COEFFICIENT: fine = base × (start + Σ adjustments). */
  coefficient?: { base: Decimal; start: Decimal };
  rounding: { unit: Decimal; mode: RoundingMode };
}

/** One version of a discretion table: a document of one or more jurisdictions, with its entries. */
export interface DiscretionTableSet {
  version: string;
  title: string;
  jurisdictions: string[];
  effectiveFrom: string;
  validTo: string | null;
  source: string;
  /** True until an official table replaces the illustrative one. */
  illustrative: boolean;
  file: string;
  entries: DiscretionEntry[];
}

// ---------------------------------------------------------------------------------------------
// The file format and its validation
// ---------------------------------------------------------------------------------------------

const ROUNDING_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['unit', 'mode'],
  properties: { unit: DECIMAL_TEXT, mode: { enum: ['HALF_UP', 'DOWN', 'UP'] } },
} as const;

const LEVEL_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['code', 'name'],
  properties: {
    code: CODE_TEXT, name: TEXT, nameEn: TEXT, note: TEXT,
    percent: DECIMAL_TEXT, percentMin: DECIMAL_TEXT, percentMax: DECIMAL_TEXT, grade: DECIMAL_TEXT, adjustment: DECIMAL_TEXT,
  },
} as const;

const FACTOR_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['code', 'name', 'levels'],
  properties: { code: CODE_TEXT, name: TEXT, nameEn: TEXT, note: TEXT, required: { type: 'boolean' }, levels: { type: 'array', minItems: 1, items: LEVEL_SCHEMA } },
} as const;

/** JSON Schema of a discretion table file (data/discretion/*.json). */
export const DISCRETION_FILE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'title', 'jurisdictions', 'effectiveFrom', 'source', 'illustrative', 'rounding', 'entries'],
  properties: {
    $comment: { type: 'string' },
    version: { type: 'string', pattern: '^[A-Z0-9][A-Z0-9._-]*$', description: 'an upper-case version id like YRD-ILLUSTRATIVE-1' },
    title: TEXT,
    jurisdictions: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['QINGPU', 'WUJIANG', 'JIASHAN'] } },
    effectiveFrom: DAY_TEXT,
    validTo: DAY_TEXT,
    source: TEXT,
    illustrative: { type: 'boolean' },
    rounding: ROUNDING_SCHEMA,
    factorSets: { type: 'object', additionalProperties: { type: 'array', minItems: 1, items: FACTOR_SCHEMA } },
    entries: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['violationCode', 'legalBasis', 'conduct', 'range', 'method'],
        properties: {
          violationCode: CODE_TEXT,
          legalBasis: TEXT,
          conduct: TEXT,
          note: TEXT,
          range: {
            type: 'object',
            additionalProperties: false,
            required: ['kind'],
            properties: {
              kind: { enum: ['FIXED', 'BASE_RATE'] },
              min: DECIMAL_TEXT, max: DECIMAL_TEXT,
              base: { type: 'object', additionalProperties: false, required: ['code', 'name'], properties: { code: CODE_TEXT, name: TEXT, floor: DECIMAL_TEXT } },
              minRate: DECIMAL_TEXT, maxRate: DECIMAL_TEXT,
            },
          },
          method: { enum: DISCRETION_METHODS },
          factorSet: CODE_TEXT,
          factors: { type: 'array', minItems: 1, items: FACTOR_SCHEMA },
          bands: { type: 'array', minItems: 1, items: { type: 'object', additionalProperties: false, required: ['fromScore', 'percent'], properties: { fromScore: DECIMAL_TEXT, percent: DECIMAL_TEXT } } },
          coefficient: { type: 'object', additionalProperties: false, required: ['base', 'start'], properties: { base: DECIMAL_TEXT, start: DECIMAL_TEXT } },
          rounding: ROUNDING_SCHEMA,
        },
      },
    },
  },
} as const;

interface RawLevel { code: string; name: string; percent?: string; percentMin?: string; percentMax?: string; grade?: string; adjustment?: string }
interface RawFactor { code: string; name: string; required?: boolean; levels: RawLevel[] }
interface RawEntry {
  violationCode: string; legalBasis: string; conduct: string; method: DiscretionMethod;
  range: { kind: 'FIXED' | 'BASE_RATE'; min?: string; max?: string; base?: { code: string; name: string; floor?: string }; minRate?: string; maxRate?: string };
  factorSet?: string; factors?: RawFactor[]; bands?: Array<{ fromScore: string; percent: string }>; coefficient?: { base: string; start: string };
  rounding?: { unit: string; mode: RoundingMode };
}
interface RawTableSet {
  version: string; title: string; jurisdictions: string[]; effectiveFrom: string; validTo?: string; source: string; illustrative: boolean;
  rounding: { unit: string; mode: RoundingMode }; factorSets?: Record<string, RawFactor[]>; entries: RawEntry[];
}

const d = (s: string): Decimal => new Money(s);
const HUNDRED = new Money(100);

/**
 * Validates one discretion table file and returns its typed content, or nothing when any problem
 * was reported. Checks beyond the schema: each level carries exactly what its entry's method needs,
 * percentages lie within −100..100 with min ≤ max, ranges are ordered, GRADE bands cover every
 * score the factors can give, factor sets resolve, codes are unique.
 */
export function validateDiscretionFile(source: DataSource, report: Reporter): DiscretionTableSet | undefined {
  const before = { count: 0 };
  const rep: Reporter = (at, message) => {
    before.count++;
    report(at, message);
  };
  if (!schemaCheck(source.data, DISCRETION_FILE_SCHEMA, rep)) return undefined;
  const raw = source.data as RawTableSet;

  checkDay(raw.effectiveFrom, ['effectiveFrom'], rep);
  checkDay(raw.validTo, ['validTo'], rep);
  if (raw.validTo !== undefined && parseDay(raw.validTo) && parseDay(raw.effectiveFrom) && raw.validTo < raw.effectiveFrom) rep(['validTo'], `validTo ${raw.validTo} is before effectiveFrom ${raw.effectiveFrom}`);
  checkRounding(raw.rounding, ['rounding'], rep);
  reportDuplicates(raw.entries.map((e, i) => ({ key: e.violationCode, at: ['entries', i, 'violationCode'] })), 'violationCode', rep);

  const entries: DiscretionEntry[] = [];
  const sharedFactors = new Map<string, DiscretionFactor[] | undefined>();
  raw.entries.forEach((e, i) => {
    const at = (...p: DataPath): DataPath => ['entries', i, ...p];
    let rawFactors: RawFactor[] | undefined;
    let factorsAt: DataPath;
    if ((e.factorSet === undefined) === (e.factors === undefined)) {
      rep(at(), `entry ${e.violationCode}: give either factors or factorSet, not ${e.factors ? 'both' : 'neither'}`);
      return;
    }
    if (e.factorSet !== undefined) {
      rawFactors = raw.factorSets?.[e.factorSet];
      factorsAt = ['factorSets', e.factorSet];
      if (!rawFactors) {
        rep(at('factorSet'), `entry ${e.violationCode}: factorSet ${e.factorSet} is not defined under factorSets`);
        return;
      }
    } else {
      rawFactors = e.factors!;
      factorsAt = at('factors');
    }
    const range = checkRange(e.range, at('range'), rep);
    // A shared factor set is checked once per method, so one mistake in it is reported once.
    const key = e.factorSet === undefined ? undefined : `${e.factorSet}|${e.method}`;
    const factors = key !== undefined && sharedFactors.has(key) ? sharedFactors.get(key) : checkFactors(e, rawFactors, factorsAt, rep);
    if (key !== undefined) sharedFactors.set(key, factors);
    if (e.rounding) checkRounding(e.rounding, at('rounding'), rep);

    let bands: ScoreBand[] | undefined;
    if (e.method === 'GRADE') {
      if (!e.bands) rep(at('method'), `entry ${e.violationCode}: method GRADE needs bands mapping the total score to a percentage of the range`);
      else if (factors) bands = checkBands(e, factors, at('bands'), rep);
    } else if (e.bands) rep(at('bands'), `entry ${e.violationCode}: bands belong to method GRADE only`);

    let coefficient: DiscretionEntry['coefficient'];
    if (e.method === 'COEFFICIENT') {
      if (!e.coefficient) rep(at('method'), `entry ${e.violationCode}: method COEFFICIENT needs coefficient { base, start }`);
      else {
        coefficient = { base: d(e.coefficient.base), start: d(e.coefficient.start) };
        if (coefficient.base.lte(0)) rep(at('coefficient', 'base'), 'coefficient.base must be a positive amount');
        if (e.range.kind !== 'FIXED') rep(at('range', 'kind'), `entry ${e.violationCode}: method COEFFICIENT works on a FIXED range`);
      }
    } else if (e.coefficient) rep(at('coefficient'), `entry ${e.violationCode}: coefficient belongs to method COEFFICIENT only`);

    if (range && factors) {
      const rounding = e.rounding ?? raw.rounding;
      entries.push({ violationCode: e.violationCode, legalBasis: e.legalBasis, conduct: e.conduct, range, method: e.method, factors, bands, coefficient, rounding: { unit: d(rounding.unit), mode: rounding.mode } });
    }
  });

  if (before.count > 0) return undefined;
  return {
    version: raw.version, title: raw.title, jurisdictions: raw.jurisdictions, effectiveFrom: raw.effectiveFrom, validTo: raw.validTo ?? null,
    source: raw.source, illustrative: raw.illustrative, file: source.file, entries,
  };
}

function checkRounding(r: { unit: string; mode: string }, at: DataPath, report: Reporter): void {
  const unit = d(r.unit);
  // Money is kept to the fen: a unit finer than 0.01 yuan, or not a whole number of fen, is no unit.
  if (unit.lte(0) || !unit.mul(100).isInteger()) report([...at, 'unit'], `rounding unit ${r.unit} must be a positive whole number of fen (0.01, 1, 100…)`);
}

function checkRange(r: RawEntry['range'], at: DataPath, report: Reporter): LegalRange | undefined {
  if (r.kind === 'FIXED') {
    if (r.min === undefined || r.max === undefined || r.base || r.minRate || r.maxRate) {
      report(at, 'a FIXED range gives min and max (yuan) and nothing else');
      return undefined;
    }
    const [min, max] = [d(r.min), d(r.max)];
    if (min.lt(0) || max.lt(min)) {
      report(at, `legal range ${r.min}..${r.max} must satisfy 0 ≤ min ≤ max`);
      return undefined;
    }
    return { kind: 'FIXED', min, max };
  }
  if (!r.base || r.minRate === undefined || r.maxRate === undefined || r.min !== undefined || r.max !== undefined) {
    report(at, 'a BASE_RATE range gives base { code, name, floor? }, minRate and maxRate (multipliers: 0.01 for 1 %, 3 for three times)');
    return undefined;
  }
  const [minRate, maxRate] = [d(r.minRate), d(r.maxRate)];
  if (minRate.lt(0) || maxRate.lt(minRate)) {
    report(at, `rates ${r.minRate}..${r.maxRate} must satisfy 0 ≤ minRate ≤ maxRate`);
    return undefined;
  }
  const floor = r.base.floor === undefined ? undefined : d(r.base.floor);
  if (floor?.lt(0)) report([...at, 'base', 'floor'], 'base.floor must not be negative');
  return { kind: 'BASE_RATE', base: { code: r.base.code, name: r.base.name, floor }, minRate, maxRate };
}

function checkFactors(e: RawEntry, raw: RawFactor[], at: DataPath, report: Reporter): DiscretionFactor[] | undefined {
  let ok = true;
  const rep: Reporter = (p, m) => {
    ok = false;
    report(p, m);
  };
  reportDuplicates(raw.map((f, i) => ({ key: f.code, at: [...at, i, 'code'] })), `factor code in ${e.violationCode}`, rep);
  const factors = raw.map((f, i): DiscretionFactor => {
    reportDuplicates(f.levels.map((l, j) => ({ key: l.code, at: [...at, i, 'levels', j, 'code'] })), `level code in factor ${f.code}`, rep);
    const levels = f.levels.map((l, j): FactorLevel => {
      const lat: DataPath = [...at, i, 'levels', j];
      const where = `${e.violationCode} ${f.code}.${l.code}`;
      const present = (['percent', 'percentMin', 'percentMax', 'grade', 'adjustment'] as const).filter((k) => l[k] !== undefined);
      const wanted: Record<DiscretionMethod, string> = { PERCENT: 'percent, or percentMin and percentMax', GRADE: 'grade', COEFFICIENT: 'adjustment' };
      const fits =
        e.method === 'PERCENT' ? (present.join() === 'percent' || present.join() === 'percentMin,percentMax')
        : e.method === 'GRADE' ? present.join() === 'grade'
        : present.join() === 'adjustment';
      if (!fits) rep(lat, `${where}: a level of a ${e.method} table gives ${wanted[e.method]}, this one gives ${present.join(', ') || 'nothing'}`);
      const level: FactorLevel = { code: l.code, name: l.name };
      if (l.percent !== undefined) level.percent = d(l.percent);
      if (l.percentMin !== undefined) level.percentMin = d(l.percentMin);
      if (l.percentMax !== undefined) level.percentMax = d(l.percentMax);
      if (l.grade !== undefined) level.grade = d(l.grade);
      if (l.adjustment !== undefined) level.adjustment = d(l.adjustment);
      for (const k of ['percent', 'percentMin', 'percentMax'] as const) {
        if (level[k] && level[k]!.abs().gt(HUNDRED)) rep([...lat, k], `${where}: ${k} ${l[k]} is outside −100..100`);
      }
      if (level.percentMin && level.percentMax && level.percentMin.gt(level.percentMax)) rep([...lat, 'percentMin'], `${where}: percentMin ${l.percentMin} is above percentMax ${l.percentMax}`);
      if (level.grade?.lt(0)) rep([...lat, 'grade'], `${where}: grade must not be negative`);
      return level;
    });
    return { code: f.code, name: f.name, required: f.required !== false, levels };
  });
  return ok ? factors : undefined;
}

/** Lowest and highest total grade the factors can give (an optional factor may be left out: 0). */
function scoreSpan(factors: DiscretionFactor[]): { low: Decimal; high: Decimal } {
  let low = new Money(0);
  let high = new Money(0);
  for (const f of factors) {
    const grades = f.levels.map((l) => l.grade ?? new Money(0));
    const min = Decimal.min(...grades);
    const max = Decimal.max(...grades);
    low = low.add(f.required ? min : Decimal.min(min, 0));
    high = high.add(f.required ? max : Decimal.max(max, 0));
  }
  return { low, high };
}

function checkBands(e: RawEntry, factors: DiscretionFactor[], at: DataPath, report: Reporter): ScoreBand[] | undefined {
  const bands = e.bands!.map((b) => ({ fromScore: d(b.fromScore), percent: d(b.percent) }));
  let ok = true;
  bands.forEach((b, i) => {
    if (i > 0 && !b.fromScore.gt(bands[i - 1].fromScore)) {
      ok = false;
      report([...at, i, 'fromScore'], `${e.violationCode}: bands must ascend by fromScore (${plain(b.fromScore)} follows ${plain(bands[i - 1].fromScore)})`);
    }
    if (b.percent.lt(0) || b.percent.gt(HUNDRED)) {
      ok = false;
      report([...at, i, 'percent'], `${e.violationCode}: a band's percent must lie within 0..100, got ${plain(b.percent)}`);
    }
  });
  const { low } = scoreSpan(factors);
  if (bands[0].fromScore.gt(low)) {
    ok = false;
    report([...at, 0, 'fromScore'], `${e.violationCode}: the first band starts at ${plain(bands[0].fromScore)}, but the factors can score as low as ${plain(low)}`);
  }
  return ok ? bands : undefined;
}

// ---------------------------------------------------------------------------------------------
// Choosing a table and computing
// ---------------------------------------------------------------------------------------------

/** One factor as the officer selected it. */
export interface FactorSelection {
  factor: string;
  level: string;
  /** Required for a level with a percentage range; may repeat a fixed level's percentage. */
  percent?: string | number | null;
}

export interface DiscretionRequest {
  violationCode: string;
  factors: FactorSelection[];
  /** A named table version; without it, the newest version in force on `asOf` that has the code. */
  tableVersion?: string | null;
  /** The day whose table applies (YYYY-MM-DD); today in China by default. Ignored with tableVersion. */
  asOf?: string | null;
  /** Only tables that apply to this district. */
  jurisdiction?: string | null;
  /** The base of a BASE_RATE range, in yuan (the investment, the disposal cost). */
  baseAmount?: string | number | null;
}

export interface FactorContribution {
  factor: string;
  factorName: string;
  level: string;
  levelName: string;
  /** PERCENT: the percentage used. */
  percent: Decimal | null;
  /** GRADE: the level's points. */
  grade: Decimal | null;
  /** COEFFICIENT: the level's adjustment. */
  adjustment: Decimal | null;
  /** Yuan this factor adds (PERCENT: (max − min) × p before any cap; COEFFICIENT: base × adjustment); null for GRADE. */
  amount: Decimal | null;
}

export interface DiscretionResult {
  violationCode: string;
  legalBasis: string;
  conduct: string;
  method: DiscretionMethod;
  table: DiscretionTableSet;
  legalMin: Decimal;
  legalMax: Decimal;
  base: { code: string; name: string; given: Decimal; applied: Decimal; floorApplied: boolean } | null;
  factors: FactorContribution[];
  /** PERCENT: Σp as the factors give it, and as used (capped at 100). */
  percentSum: Decimal | null;
  percentUsed: Decimal | null;
  capped: boolean;
  /** GRADE: the total score and the percentage its band gives. */
  score: Decimal | null;
  bandPercent: Decimal | null;
  /** COEFFICIENT: start + Σ adjustments. */
  coefficient: Decimal | null;
  /** The fine before rounding, and after rounding (and, for COEFFICIENT, clamping). */
  exactFine: Decimal;
  fine: Decimal;
  clamped: boolean;
  rounding: { unit: Decimal; mode: RoundingMode };
  /** The working, one step a line, for the case file. */
  working: string[];
}

const err = (field: string, rule: string, problem: string): EnforcementInputError => new EnforcementInputError(field, rule, problem);

/**
 * Picks the table version for a request. A named version must exist and hold the code; otherwise
 * the candidates are the versions holding the code, in force on `asOf`, applying to the district
 * if one is named; the latest effectiveFrom wins, and a tie is refused rather than guessed.
 */
export function selectTable(sets: readonly DiscretionTableSet[], req: DiscretionRequest, today: string): { set: DiscretionTableSet; entry: DiscretionEntry } {
  const code = req.violationCode;
  const known = sets.some((s) => s.entries.some((e) => e.violationCode === code));
  if (req.tableVersion != null) {
    const set = sets.find((s) => s.version === req.tableVersion);
    if (!set) throw err('tableVersion', 'UNKNOWN_TABLE_VERSION', `no discretion table version ${req.tableVersion} (known: ${sets.map((s) => s.version).join(', ')})`);
    const entry = set.entries.find((e) => e.violationCode === code);
    if (!entry) throw err('violationCode', 'UNKNOWN_VIOLATION_CODE', `table version ${set.version} has no entry for ${code} (it has ${set.entries.map((e) => e.violationCode).join(', ')})`);
    return { set, entry };
  }
  if (!known) {
    const codes = [...new Set(sets.flatMap((s) => s.entries.map((e) => e.violationCode)))].sort();
    throw err('violationCode', 'UNKNOWN_VIOLATION_CODE', `no discretion table has violation code ${code} (known: ${codes.join(', ')})`);
  }
  const asOf = req.asOf ?? today;
  if (parseDay(asOf) === null) throw err('asOf', 'NOT_A_DAY', `must be a day YYYY-MM-DD, got ${JSON.stringify(asOf)}`);
  const candidates = sets.filter(
    (s) => s.entries.some((e) => e.violationCode === code)
      && s.effectiveFrom <= asOf && (s.validTo === null || s.validTo >= asOf)
      && (req.jurisdiction == null || s.jurisdictions.includes(req.jurisdiction)),
  );
  if (candidates.length === 0) {
    const where = req.jurisdiction == null ? '' : ` for ${req.jurisdiction}`;
    throw err('asOf', 'NO_TABLE_IN_FORCE', `no discretion table with ${code} is in force on ${asOf}${where}`);
  }
  const newest = candidates.reduce((a, b) => (b.effectiveFrom > a.effectiveFrom ? b : a)).effectiveFrom;
  const tied = candidates.filter((s) => s.effectiveFrom === newest);
  if (tied.length > 1) throw err('tableVersion', 'AMBIGUOUS_TABLE_VERSION', `several table versions with ${code} took effect on ${newest} (${tied.map((s) => s.version).join(', ')}); name one`);
  return { set: tied[0], entry: tied[0].entries.find((e) => e.violationCode === code)! };
}

/** The legal range for a request: fixed, or the rates applied to the case's base (with its floor). */
function resolveRange(entry: DiscretionEntry, baseAmount: DiscretionRequest['baseAmount']): { min: Decimal; max: Decimal; base: DiscretionResult['base'] } {
  const range = entry.range;
  if (range.kind === 'FIXED') {
    if (baseAmount != null) throw err('baseAmount', 'BASE_NOT_USED', `${entry.violationCode} has a fixed legal range (${plain(range.min)} to ${plain(range.max)} yuan); it takes no base amount`);
    return { min: range.min, max: range.max, base: null };
  }
  if (baseAmount == null) throw err('baseAmount', 'BASE_REQUIRED', `${entry.violationCode} sets the fine as a rate of the ${range.base.name} (${range.base.code}): give it in yuan`);
  const given = parseInputDecimal('baseAmount', baseAmount);
  if (given.lte(0)) throw err('baseAmount', 'BASE_NOT_POSITIVE', `must be a positive amount in yuan, got ${plain(given)}`);
  const floorApplied = range.base.floor !== undefined && given.lt(range.base.floor);
  const applied = floorApplied ? range.base.floor! : given;
  return { min: applied.mul(range.minRate), max: applied.mul(range.maxRate), base: { code: range.base.code, name: range.base.name, given, applied, floorApplied } };
}

function describeSelections(entry: DiscretionEntry, selections: FactorSelection[]): Array<{ factor: DiscretionFactor; level: FactorLevel; percent: Decimal | null }> {
  const seen = new Map<string, number>();
  const chosen = selections.map((s, i) => {
    const field = `factors[${i}]`;
    const factor = entry.factors.find((f) => f.code === s.factor);
    if (!factor) throw err(`${field}.factor`, 'FACTOR_NOT_IN_TABLE', `${s.factor} is not a factor of ${entry.violationCode} in this table version (factors: ${entry.factors.map((f) => f.code).join(', ')})`);
    if (seen.has(s.factor)) throw err(`${field}.factor`, 'DUPLICATE_FACTOR', `${s.factor} is already selected at factors[${seen.get(s.factor)}]`);
    seen.set(s.factor, i);
    const level = factor.levels.find((l) => l.code === s.level);
    if (!level) throw err(`${field}.level`, 'UNKNOWN_FACTOR_LEVEL', `${s.level} is not a level of ${factor.code} (levels: ${factor.levels.map((l) => l.code).join(', ')})`);
    let percent: Decimal | null = null;
    if (entry.method === 'PERCENT') {
      if (level.percent) {
        percent = level.percent;
        if (s.percent != null && !parseInputDecimal(`${field}.percent`, s.percent).eq(level.percent)) {
          throw err(`${field}.percent`, 'PERCENT_OUT_OF_RANGE', `level ${factor.code}.${level.code} has the fixed percentage ${plain(level.percent)}, got ${plain(parseInputDecimal(`${field}.percent`, s.percent))}`);
        }
      } else {
        if (s.percent == null) throw err(`${field}.percent`, 'PERCENT_REQUIRED', `level ${factor.code}.${level.code} spans ${plain(level.percentMin!)} to ${plain(level.percentMax!)} %: give the percentage chosen within it`);
        percent = parseInputDecimal(`${field}.percent`, s.percent);
        if (percent.lt(level.percentMin!) || percent.gt(level.percentMax!)) {
          throw err(`${field}.percent`, 'PERCENT_OUT_OF_RANGE', `${plain(percent)} is outside ${plain(level.percentMin!)} to ${plain(level.percentMax!)} %, the range of level ${factor.code}.${level.code}`);
        }
      }
    } else if (s.percent != null) {
      throw err(`${field}.percent`, 'PERCENT_NOT_APPLICABLE', `a ${entry.method} table takes no percentage; the level decides`);
    }
    return { factor, level, percent };
  });
  const missing = entry.factors.filter((f) => f.required && !seen.has(f.code));
  if (missing.length > 0) {
    throw err('factors', 'MISSING_FACTOR', `${entry.violationCode} needs a level for ${missing.map((f) => `${f.code} (${f.levels.map((l) => l.code).join(' | ')})`).join(', ')}`);
  }
  return chosen;
}

/** Rounds toward the range: a rounded fine never leaves the legal range it was computed within. */
function roundWithin(value: Decimal, min: Decimal, max: Decimal, rounding: DiscretionEntry['rounding']): Decimal {
  const r = roundTo(value, rounding.unit, rounding.mode);
  if (r.gt(max)) return roundTo(max, rounding.unit, 'DOWN');
  if (r.lt(min)) return roundTo(min, rounding.unit, 'UP');
  return r;
}

/**
 * Computes a fine from a discretion table. Bad input (an unknown violation code or table version,
 * a factor or level not in the table version, a percentage outside its level's range, a missing
 * base, a result outside the legal range) is an `EnforcementInputError` naming the field and rule.
 */
export function computeDiscretion(sets: readonly DiscretionTableSet[], req: DiscretionRequest, today: string): DiscretionResult {
  const { set, entry } = selectTable(sets, req, today);
  const { min, max, base } = resolveRange(entry, req.baseAmount);
  const chosen = describeSelections(entry, req.factors);
  const working: string[] = [];
  const tag = set.illustrative ? ' (illustrative)' : '';
  working.push(`table ${set.version}${tag}, ${entry.violationCode} ${entry.legalBasis}: method ${entry.method}`);
  if (base) {
    const r = entry.range as Extract<LegalRange, { kind: 'BASE_RATE' }>;
    const floorNote = base.floorApplied ? ` (${plain(base.given)} is below the floor, so ${plain(base.applied)} is used)` : '';
    working.push(`${base.code} ${plain(base.given)} yuan${floorNote}: legal range ${plain(base.applied)} × ${plain(r.minRate)} to ${plain(base.applied)} × ${plain(r.maxRate)} = ${plain(min)} to ${plain(max)} yuan`);
  } else {
    working.push(`legal range ${plain(min)} to ${plain(max)} yuan`);
  }

  const span = max.sub(min);
  const result: Omit<DiscretionResult, 'exactFine' | 'fine' | 'clamped'> = {
    violationCode: entry.violationCode, legalBasis: entry.legalBasis, conduct: entry.conduct, method: entry.method, table: set,
    legalMin: min, legalMax: max, base, factors: [], percentSum: null, percentUsed: null, capped: false, score: null, bandPercent: null,
    coefficient: null, rounding: entry.rounding, working,
  };

  let exact: Decimal;
  let clamped = false;
  if (entry.method === 'PERCENT') {
    result.factors = chosen.map(({ factor, level, percent }) => ({
      factor: factor.code, factorName: factor.name, level: level.code, levelName: level.name, percent, grade: null, adjustment: null, amount: span.mul(percent!).div(HUNDRED),
    }));
    const sum = chosen.reduce((acc, c) => acc.add(c.percent!), new Money(0));
    const used = Decimal.min(sum, HUNDRED);
    result.percentSum = sum;
    result.percentUsed = used;
    result.capped = sum.gt(HUNDRED);
    working.push(`factors: ${result.factors.map((f) => `${f.factor} ${f.level} ${plain(f.percent!)} %`).join('; ') || 'none'}`);
    working.push(`Σp = ${chosen.map((c) => plain(c.percent!)).join(' + ') || '0'} = ${plain(sum)} %${result.capped ? `, capped at 100 %` : ''}`);
    exact = min.add(span.mul(used).div(HUNDRED));
    working.push(`fine = ${plain(min)} + (${plain(max)} − ${plain(min)}) × ${plain(used)} % = ${plain(exact)}`);
  } else if (entry.method === 'GRADE') {
    result.factors = chosen.map(({ factor, level }) => ({
      factor: factor.code, factorName: factor.name, level: level.code, levelName: level.name, percent: null, grade: level.grade!, adjustment: null, amount: null,
    }));
    const score = chosen.reduce((acc, c) => acc.add(c.level.grade!), new Money(0));
    const band = [...entry.bands!].reverse().find((b) => b.fromScore.lte(score))!;
    result.score = score;
    result.bandPercent = band.percent;
    working.push(`grades: ${result.factors.map((f) => `${f.factor} ${f.level} ${plain(f.grade!)}`).join('; ')}; score = ${plain(score)}`);
    working.push(`score ${plain(score)} falls in the band from ${plain(band.fromScore)}: ${plain(band.percent)} % of the range`);
    exact = min.add(span.mul(band.percent).div(HUNDRED));
    working.push(`fine = ${plain(min)} + (${plain(max)} − ${plain(min)}) × ${plain(band.percent)} % = ${plain(exact)}`);
  } else {
    const { base: cBase, start } = entry.coefficient!;
    result.factors = chosen.map(({ factor, level }) => ({
      factor: factor.code, factorName: factor.name, level: level.code, levelName: level.name, percent: null, grade: null, adjustment: level.adjustment!, amount: cBase.mul(level.adjustment!),
    }));
    const coefficient = chosen.reduce((acc, c) => acc.add(c.level.adjustment!), start);
    result.coefficient = coefficient;
    working.push(`coefficient = ${[plain(start), ...chosen.map((c) => signed(c.level.adjustment!))].join(' ')} = ${plain(coefficient)}`);
    exact = cBase.mul(coefficient);
    working.push(`fine = ${plain(cBase)} × ${plain(coefficient)} = ${plain(exact)}`);
  }

  if (entry.method !== 'COEFFICIENT' && (exact.lt(min) || exact.gt(max))) {
    throw err('factors', 'FINE_OUT_OF_LEGAL_RANGE', `the factors give ${plain(exact)} yuan, outside the legal range ${plain(min)} to ${plain(max)} yuan of ${entry.legalBasis}`);
  }
  let fine: Decimal;
  if (entry.method === 'COEFFICIENT') {
    const rounded = roundTo(exact, entry.rounding.unit, entry.rounding.mode);
    fine = roundWithin(rounded, min, max, entry.rounding);
    clamped = !fine.eq(rounded);
    working.push(`rounded to ${plain(entry.rounding.unit)} yuan (${entry.rounding.mode}): ${plain(rounded)}${clamped ? `; clamped to the legal range: ${plain(fine)}` : ''}`);
  } else {
    fine = roundWithin(exact, min, max, entry.rounding);
    if (!fine.eq(exact)) working.push(`rounded to ${plain(entry.rounding.unit)} yuan (${entry.rounding.mode}, never past the legal range): ${plain(fine)}`);
  }
  working.push(`fine: ${yuan(fine)} yuan`);
  return { ...result, exactFine: exact, fine, clamped };
}

function signed(v: Decimal): string {
  return v.isNegative() ? `− ${plain(v.abs())}` : `+ ${plain(v)}`;
}
