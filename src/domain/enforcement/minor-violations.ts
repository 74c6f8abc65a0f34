import Decimal from 'decimal.js';
import { parseDay } from '../calendar';
import { addDays, addMonths, chinaDayOf } from '../calendar/days';
import { addWorkingDays, CalendarCoverageError } from '../calendar/working-days';
import { CODE_TEXT, DataPath, DataSource, DAY_TEXT, DECIMAL_TEXT, checkDay, Reporter, reportDuplicates, schemaCheck, TEXT } from './data-files';
import { Money, parseInputDecimal, plain } from './decimal';
import { EnforcementInputError } from './errors';

/**
 * Minor violations not penalised (轻微违法行为不予处罚): lists of rules as data, and the engine that
 * says which rule applies to a case's facts and why. The modes are the statute's (处罚法 art. 33):
 *
 * - MINOR_NO_HARM: minor, promptly corrected, no harmful consequence → the agency SHALL NOT penalise;
 * - FIRST_OFFENCE: first offence, minor harm, promptly corrected → the agency MAY decide not to.
 *
 * Either way the party must be educated, and a first-offence decision is remembered so that a
 * later look-back counts it. Conditions are a closed set of kinds whose numbers are the list's data:
 * first offence within a look-back window, corrected within N hours / days / working days / the
 * same day, harm at most none or minor, a measured value against a threshold, a circumstance that
 * excludes (a heavy-pollution alert in force), and the conduct the item is about.
 *
 * Each condition evaluates to MET, NOT_MET or UNKNOWN (the fact was not given): a rule applies only
 * when all are MET, so a missing fact never passes for a favourable one.
 */

export type MinorViolationMode = 'MINOR_NO_HARM' | 'FIRST_OFFENCE';
export type Obligation = 'SHALL_NOT_PENALISE' | 'MAY_NOT_PENALISE';
export const OBLIGATION_OF: Record<MinorViolationMode, Obligation> = { MINOR_NO_HARM: 'SHALL_NOT_PENALISE', FIRST_OFFENCE: 'MAY_NOT_PENALISE' };

export type HarmLevel = 'NONE' | 'MINOR' | 'SIGNIFICANT';
const HARM_ORDER: readonly HarmLevel[] = ['NONE', 'MINOR', 'SIGNIFICANT'];

export type CorrectionUnit = 'HOURS' | 'DAYS' | 'WORKING_DAYS' | 'SAME_DAY';
export type Comparator = 'LT' | 'LTE' | 'GT' | 'GTE' | 'EQ';
const COMPARATOR_TEXT: Record<Comparator, string> = { LT: '<', LTE: '≤', GT: '>', GTE: '≥', EQ: '=' };

export type Condition =
  | { kind: 'FIRST_OFFENCE'; lookBackMonths: number; scope: 'SAME_VIOLATION' | 'ANY_VIOLATION' }
  | { kind: 'CORRECTED_WITHIN'; amount: number; unit: CorrectionUnit; from: 'DISCOVERED' | 'ORDERED' }
  | { kind: 'HARM_AT_MOST'; level: 'NONE' | 'MINOR' }
  | { kind: 'THRESHOLD'; measure: string; comparator: Comparator; value: Decimal }
  | { kind: 'NOT_DURING'; circumstance: string };

export type ConditionKind = Condition['kind'] | 'CONDUCT';

export interface MinorViolationRule {
  listId: string;
  itemNo: number;
  violationCode: string;
  /** A finer conduct within the violation code (a missing hazardous-waste label within 固废法 art. 112). */
  conduct: string | null;
  description: string;
  legalBasis: string;
  mode: MinorViolationMode;
  conditions: Condition[];
}

export interface MinorViolationList {
  listId: string;
  title: string;
  issuer: string;
  jurisdictions: string[];
  validFrom: string;
  validTo: string | null;
  source: string;
  /** True for examples that are not an official list. */
  illustrative: boolean;
  measures: Array<{ code: string; name: string; unit: string }>;
  circumstances: Array<{ code: string; name: string }>;
  conducts: Array<{ code: string; name: string }>;
  file: string;
  items: MinorViolationRule[];
}

// ---------------------------------------------------------------------------------------------
// File format and validation
// ---------------------------------------------------------------------------------------------

const NAMED = (extra: Record<string, object> = {}) => ({
  type: 'array',
  items: { type: 'object', additionalProperties: false, required: ['code', 'name', ...Object.keys(extra)], properties: { code: CODE_TEXT, name: TEXT, nameEn: TEXT, ...extra } },
});

const CONDITION_SCHEMA = {
  type: 'object',
  required: ['kind'],
  properties: {
    kind: { enum: ['FIRST_OFFENCE', 'CORRECTED_WITHIN', 'HARM_AT_MOST', 'THRESHOLD', 'NOT_DURING'] },
    lookBack: { type: 'object', additionalProperties: false, properties: { years: { type: 'integer', minimum: 1 }, months: { type: 'integer', minimum: 1 } } },
    scope: { enum: ['SAME_VIOLATION', 'ANY_VIOLATION'] },
    within: { type: 'object', additionalProperties: false, required: ['unit'], properties: { amount: { type: 'integer', minimum: 1 }, unit: { enum: ['HOURS', 'DAYS', 'WORKING_DAYS', 'SAME_DAY'] } } },
    from: { enum: ['DISCOVERED', 'ORDERED'] },
    level: { enum: ['NONE', 'MINOR'] },
    measure: CODE_TEXT,
    comparator: { enum: ['LT', 'LTE', 'GT', 'GTE', 'EQ'] },
    value: DECIMAL_TEXT,
    circumstance: CODE_TEXT,
    note: TEXT,
  },
  additionalProperties: false,
} as const;

/** JSON Schema of a minor-violation list file (data/minor-violations/*.json, or an official list as YAML). */
export const MINOR_VIOLATION_FILE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['listId', 'title', 'issuer', 'jurisdictions', 'validFrom', 'source', 'illustrative', 'items'],
  properties: {
    $comment: { type: 'string' },
    listId: { type: 'string', pattern: '^[A-Z0-9][A-Z0-9._-]*$', description: 'an upper-case list id like YRD-2023' },
    title: TEXT,
    issuer: TEXT,
    jurisdictions: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['QINGPU', 'WUJIANG', 'JIASHAN'] } },
    validFrom: DAY_TEXT,
    validTo: DAY_TEXT,
    source: TEXT,
    illustrative: { type: 'boolean' },
    measures: NAMED({ unit: TEXT }),
    circumstances: NAMED(),
    conducts: NAMED(),
    items: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['itemNo', 'violationCode', 'description', 'legalBasis', 'mode', 'conditions'],
        properties: {
          itemNo: { type: 'integer', minimum: 1 },
          violationCode: CODE_TEXT,
          conduct: CODE_TEXT,
          description: TEXT,
          legalBasis: TEXT,
          mode: { enum: ['MINOR_NO_HARM', 'FIRST_OFFENCE'] },
          note: TEXT,
          conditions: { type: 'array', minItems: 1, items: CONDITION_SCHEMA },
        },
      },
    },
  },
} as const;

type RawCondition = {
  kind: Condition['kind']; lookBack?: { years?: number; months?: number }; scope?: 'SAME_VIOLATION' | 'ANY_VIOLATION';
  within?: { amount?: number; unit: CorrectionUnit }; from?: 'DISCOVERED' | 'ORDERED'; level?: 'NONE' | 'MINOR';
  measure?: string; comparator?: Comparator; value?: string; circumstance?: string;
};
interface RawItem { itemNo: number; violationCode: string; conduct?: string; description: string; legalBasis: string; mode: MinorViolationMode; conditions: RawCondition[] }
interface RawList {
  listId: string; title: string; issuer: string; jurisdictions: string[]; validFrom: string; validTo?: string; source: string; illustrative: boolean;
  measures?: Array<{ code: string; name: string; unit: string }>; circumstances?: Array<{ code: string; name: string }>; conducts?: Array<{ code: string; name: string }>;
  items: RawItem[];
}

/** Which condition fields each kind takes; anything else on a condition is a mistake in the file. */
const CONDITION_FIELDS: Record<Condition['kind'], { required: string[]; optional: string[] }> = {
  FIRST_OFFENCE: { required: ['lookBack'], optional: ['scope'] },
  CORRECTED_WITHIN: { required: ['within'], optional: ['from'] },
  HARM_AT_MOST: { required: ['level'], optional: [] },
  THRESHOLD: { required: ['measure', 'comparator', 'value'], optional: [] },
  NOT_DURING: { required: ['circumstance'], optional: [] },
};

/**
 * Validates one list file and returns its typed content, or nothing when any problem was reported.
 * Beyond the schema: each condition carries exactly its kind's fields; measures, circumstances and
 * conducts are declared by the list; item numbers are unique; and every item has what its statutory
 * mode requires (art. 33: prompt correction for both modes, no harm for MINOR_NO_HARM, a first-offence
 * look-back and at most minor harm for FIRST_OFFENCE).
 */
export function validateMinorViolationFile(source: DataSource, report: Reporter): MinorViolationList | undefined {
  let problems = 0;
  const rep: Reporter = (at, message) => {
    problems++;
    report(at, message);
  };
  if (!schemaCheck(source.data, MINOR_VIOLATION_FILE_SCHEMA, rep)) return undefined;
  const raw = source.data as RawList;
  checkDay(raw.validFrom, ['validFrom'], rep);
  checkDay(raw.validTo, ['validTo'], rep);
  if (raw.validTo !== undefined && parseDay(raw.validTo) && parseDay(raw.validFrom) && raw.validTo < raw.validFrom) rep(['validTo'], `validTo ${raw.validTo} is before validFrom ${raw.validFrom}`);
  const measures = raw.measures ?? [];
  const circumstances = raw.circumstances ?? [];
  const conducts = raw.conducts ?? [];
  reportDuplicates(measures.map((m, i) => ({ key: m.code, at: ['measures', i, 'code'] })), 'measure', rep);
  reportDuplicates(circumstances.map((c, i) => ({ key: c.code, at: ['circumstances', i, 'code'] })), 'circumstance', rep);
  reportDuplicates(conducts.map((c, i) => ({ key: c.code, at: ['conducts', i, 'code'] })), 'conduct', rep);
  reportDuplicates(raw.items.map((it, i) => ({ key: String(it.itemNo), at: ['items', i, 'itemNo'] })), 'itemNo', rep);

  const items = raw.items.map((it, i): MinorViolationRule => {
    const at = (...p: DataPath): DataPath => ['items', i, ...p];
    if (it.conduct !== undefined && !conducts.some((c) => c.code === it.conduct)) rep(at('conduct'), `item ${it.itemNo}: conduct ${it.conduct} is not declared under conducts`);
    const conditions = it.conditions.flatMap((c, j): Condition[] => {
      const cat = at('conditions', j);
      const fields = CONDITION_FIELDS[c.kind];
      const given = Object.keys(c).filter((k) => k !== 'kind' && k !== 'note');
      for (const k of fields.required) if (!given.includes(k)) rep(cat, `item ${it.itemNo}: a ${c.kind} condition needs ${k}`);
      for (const k of given) if (!fields.required.includes(k) && !fields.optional.includes(k)) rep([...cat, k], `item ${it.itemNo}: ${k} does not belong to a ${c.kind} condition`);
      switch (c.kind) {
        case 'FIRST_OFFENCE': {
          const lb = c.lookBack ?? {};
          if ((lb.years === undefined) === (lb.months === undefined)) {
            rep([...cat, 'lookBack'], `item ${it.itemNo}: lookBack gives years or months, one of them`);
            return [];
          }
          return [{ kind: 'FIRST_OFFENCE', lookBackMonths: lb.years !== undefined ? lb.years * 12 : lb.months!, scope: c.scope ?? 'SAME_VIOLATION' }];
        }
        case 'CORRECTED_WITHIN': {
          if (!c.within) return [];
          const { unit, amount } = c.within;
          if ((unit === 'SAME_DAY') !== (amount === undefined)) {
            rep([...cat, 'within'], `item ${it.itemNo}: within gives an amount for ${unit === 'SAME_DAY' ? 'HOURS, DAYS or WORKING_DAYS, none for SAME_DAY' : unit}`);
            return [];
          }
          return [{ kind: 'CORRECTED_WITHIN', amount: amount ?? 0, unit, from: c.from ?? 'DISCOVERED' }];
        }
        case 'HARM_AT_MOST':
          return c.level ? [{ kind: 'HARM_AT_MOST', level: c.level }] : [];
        case 'THRESHOLD':
          if (c.measure !== undefined && !measures.some((m) => m.code === c.measure)) rep([...cat, 'measure'], `item ${it.itemNo}: measure ${c.measure} is not declared under measures`);
          return c.measure && c.comparator && c.value !== undefined ? [{ kind: 'THRESHOLD', measure: c.measure, comparator: c.comparator, value: new Money(c.value) }] : [];
        case 'NOT_DURING':
          if (c.circumstance !== undefined && !circumstances.some((m) => m.code === c.circumstance)) rep([...cat, 'circumstance'], `item ${it.itemNo}: circumstance ${c.circumstance} is not declared under circumstances`);
          return c.circumstance ? [{ kind: 'NOT_DURING', circumstance: c.circumstance }] : [];
      }
    });
    // Presence is judged on the conditions as written, so a malformed one is not also reported missing.
    const has = (k: Condition['kind']) => it.conditions.filter((c) => c.kind === k);
    for (const k of ['FIRST_OFFENCE', 'CORRECTED_WITHIN', 'HARM_AT_MOST'] as const) {
      if (has(k).length > 1) rep(at('conditions'), `item ${it.itemNo}: more than one ${k} condition`);
    }
    if (has('CORRECTED_WITHIN').length === 0) rep(at('conditions'), `item ${it.itemNo}: both modes of 处罚法 art. 33 require prompt correction: add a CORRECTED_WITHIN condition`);
    const harm = has('HARM_AT_MOST')[0];
    if (it.mode === 'MINOR_NO_HARM') {
      if (harm?.level !== 'NONE') rep(at('mode'), `item ${it.itemNo}: mode MINOR_NO_HARM (处罚法 art. 33 para. 1, no harmful consequence) needs a HARM_AT_MOST NONE condition`);
      if (has('FIRST_OFFENCE').length > 0) rep(at('mode'), `item ${it.itemNo}: a FIRST_OFFENCE condition makes this the first-offence mode: set mode FIRST_OFFENCE`);
    } else {
      if (has('FIRST_OFFENCE').length === 0) rep(at('mode'), `item ${it.itemNo}: mode FIRST_OFFENCE (处罚法 art. 33 para. 1, 初次违法) needs a FIRST_OFFENCE condition with its look-back`);
      if (!harm) rep(at('mode'), `item ${it.itemNo}: mode FIRST_OFFENCE needs a HARM_AT_MOST condition (MINOR or NONE)`);
    }
    return { listId: raw.listId, itemNo: it.itemNo, violationCode: it.violationCode, conduct: it.conduct ?? null, description: it.description, legalBasis: it.legalBasis, mode: it.mode, conditions };
  });

  if (problems > 0) return undefined;
  return {
    listId: raw.listId, title: raw.title, issuer: raw.issuer, jurisdictions: raw.jurisdictions, validFrom: raw.validFrom, validTo: raw.validTo ?? null,
    source: raw.source, illustrative: raw.illustrative, measures, circumstances, conducts, file: source.file, items,
  };
}

// ---------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------

export interface PriorOffence {
  violationCode: string;
  /** The day the earlier violation was committed. */
  on: string;
  /** True when it ended in a first-offence no-penalty decision ("first offence used"). */
  firstOffenceUsed?: boolean | null;
}

/** What a case establishes; a fact left out (null or undefined) makes the conditions needing it UNKNOWN. */
export interface MinorViolationFacts {
  violationCode: string;
  conduct?: string | null;
  occurredOn: string;
  discoveredAt: Date;
  correctionOrderedAt?: Date | null;
  correctedAt?: Date | null;
  harm?: HarmLevel | null;
  /** Earlier violations of the party; an empty list says there were none, null that it is not known. */
  priorOffences?: PriorOffence[] | null;
  measures?: Array<{ code: string; value: string | number }> | null;
  /** Circumstances in force at the time (HEAVY_POLLUTION_ALERT); empty says none, null not known. */
  circumstances?: string[] | null;
  /** The day of the decision; today in China by default. */
  decidingOn?: string | null;
  jurisdiction?: string | null;
}

export type ConditionStatus = 'MET' | 'NOT_MET' | 'UNKNOWN';
export type RuleResult = 'APPLIES' | 'NOT_MET' | 'UNDETERMINED' | 'NOT_IN_FORCE';
export type MinorViolationOutcome = 'NO_PENALTY' | 'NOT_APPLICABLE' | 'UNDETERMINED';

export interface ConditionEvaluation {
  kind: ConditionKind;
  /** The condition in words: "corrected within 24 hours of discovery". */
  requirement: string;
  status: ConditionStatus;
  /** The value compared: "corrected 20 h 30 min after discovery", or what fact is missing. */
  actual: string;
}

export interface RuleEvaluation {
  rule: MinorViolationRule;
  list: MinorViolationList;
  obligation: Obligation;
  result: RuleResult;
  conditions: ConditionEvaluation[];
  explanation: string;
}

export interface MinorViolationEvaluation {
  outcome: MinorViolationOutcome;
  /** The rule that applies: a SHALL_NOT rule before a MAY_NOT one, then the newest list, then the item number. */
  applied: RuleEvaluation | null;
  obligation: Obligation | null;
  /** 处罚法 art. 33: a party not penalised is to be educated. */
  educationRequired: boolean;
  /** Whether the decision uses up the party's first offence for later look-backs. */
  firstOffenceUsed: boolean;
  /** Every rule for the violation code, with its result. */
  candidates: RuleEvaluation[];
  /** Why this outcome, in a sentence. */
  explanation: string;
  decidingOn: string;
}

const err = (field: string, rule: string, problem: string): EnforcementInputError => new EnforcementInputError(field, rule, problem);

function checkFacts(lists: readonly MinorViolationList[], f: MinorViolationFacts, today: string): { decidingOn: string; measures: Map<string, Decimal> } {
  if (parseDay(f.occurredOn) === null) throw err('occurredOn', 'NOT_A_DAY', `must be a day YYYY-MM-DD, got ${JSON.stringify(f.occurredOn)}`);
  const decidingOn = f.decidingOn ?? today;
  if (parseDay(decidingOn) === null) throw err('decidingOn', 'NOT_A_DAY', `must be a day YYYY-MM-DD, got ${JSON.stringify(decidingOn)}`);
  const discoveredOn = chinaDayOf(f.discoveredAt);
  if (discoveredOn < f.occurredOn) throw err('discoveredAt', 'BEFORE_OCCURRENCE', `discovered on ${discoveredOn}, before the violation occurred on ${f.occurredOn}`);
  if (f.correctedAt && f.correctedAt < f.discoveredAt) throw err('correctedAt', 'BEFORE_DISCOVERY', `${f.correctedAt.toISOString()} is before the discovery at ${f.discoveredAt.toISOString()}`);
  if (f.correctionOrderedAt && f.correctionOrderedAt < f.discoveredAt) throw err('correctionOrderedAt', 'BEFORE_DISCOVERY', `${f.correctionOrderedAt.toISOString()} is before the discovery at ${f.discoveredAt.toISOString()}`);
  if (decidingOn < f.occurredOn) throw err('decidingOn', 'BEFORE_OCCURRENCE', `${decidingOn} is before the violation occurred on ${f.occurredOn}`);
  f.priorOffences?.forEach((p, i) => {
    if (parseDay(p.on) === null) throw err(`priorOffences[${i}].on`, 'NOT_A_DAY', `must be a day YYYY-MM-DD, got ${JSON.stringify(p.on)}`);
  });
  const knownMeasures = new Set(lists.flatMap((l) => l.measures.map((m) => m.code)));
  const measures = new Map<string, Decimal>();
  f.measures?.forEach((m, i) => {
    if (!knownMeasures.has(m.code)) throw err(`measures[${i}].code`, 'UNKNOWN_MEASURE', `no list measures ${m.code} (known: ${[...knownMeasures].sort().join(', ') || 'none'})`);
    if (measures.has(m.code)) throw err(`measures[${i}].code`, 'DUPLICATE_MEASURE', `${m.code} is given twice`);
    measures.set(m.code, parseInputDecimal(`measures[${i}].value`, m.value));
  });
  const knownCircumstances = new Set(lists.flatMap((l) => l.circumstances.map((c) => c.code)));
  f.circumstances?.forEach((c, i) => {
    if (!knownCircumstances.has(c)) throw err(`circumstances[${i}]`, 'UNKNOWN_CIRCUMSTANCE', `no list names the circumstance ${c} (known: ${[...knownCircumstances].sort().join(', ') || 'none'})`);
  });
  if (f.conduct != null) {
    const knownConducts = new Set(lists.flatMap((l) => l.conducts.map((c) => c.code)));
    if (!knownConducts.has(f.conduct)) throw err('conduct', 'UNKNOWN_CONDUCT', `no list names the conduct ${f.conduct} (known: ${[...knownConducts].sort().join(', ') || 'none'})`);
  }
  return { decidingOn, measures };
}

function hoursAndMinutes(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function evaluateCondition(c: Condition, f: MinorViolationFacts, measures: Map<string, Decimal>): ConditionEvaluation {
  const requirement = describeCondition(c, f.violationCode);
  const result = (status: ConditionStatus, actual: string): ConditionEvaluation => ({ kind: c.kind, requirement, status, actual });
  switch (c.kind) {
    case 'FIRST_OFFENCE': {
      if (f.priorOffences == null) return result('UNKNOWN', 'priorOffences not given');
      const windowStart = addMonths(f.occurredOn, -c.lookBackMonths);
      const counted = f.priorOffences.filter((p) => p.on >= windowStart && p.on < f.occurredOn && (c.scope === 'ANY_VIOLATION' || p.violationCode === f.violationCode));
      if (counted.length === 0) return result('MET', `no counted offence from ${windowStart} to ${addDays(f.occurredOn, -1)}`);
      const shown = counted.map((p) => `${p.violationCode} on ${p.on}${p.firstOffenceUsed ? ' (first offence used)' : ''}`).join(', ');
      return result('NOT_MET', `${counted.length} earlier from ${windowStart} to ${addDays(f.occurredOn, -1)}: ${shown}`);
    }
    case 'CORRECTED_WITHIN': {
      const fromName = c.from === 'DISCOVERED' ? 'discovery' : 'the correction order';
      const start = c.from === 'DISCOVERED' ? f.discoveredAt : f.correctionOrderedAt;
      if (!start) return result('UNKNOWN', 'correctionOrderedAt not given');
      if (!f.correctedAt) return result('UNKNOWN', 'correctedAt not given (not corrected yet?)');
      const elapsed = f.correctedAt.getTime() - start.getTime();
      const [startDay, correctedDay] = [chinaDayOf(start), chinaDayOf(f.correctedAt)];
      if (c.unit === 'HOURS') return result(elapsed <= c.amount * 3_600_000 ? 'MET' : 'NOT_MET', `corrected ${hoursAndMinutes(elapsed)} after ${fromName}`);
      if (c.unit === 'SAME_DAY') return result(correctedDay === startDay ? 'MET' : 'NOT_MET', `${fromName} on ${startDay}, corrected on ${correctedDay}`);
      let lastDay: string;
      try {
        lastDay = c.unit === 'DAYS' ? addDays(startDay, c.amount) : addWorkingDays(startDay, c.amount);
      } catch (e) {
        if (e instanceof CalendarCoverageError) throw err(c.from === 'DISCOVERED' ? 'discoveredAt' : 'correctionOrderedAt', 'OUTSIDE_CALENDAR', e.message);
        throw e;
      }
      return result(correctedDay <= lastDay ? 'MET' : 'NOT_MET', `${fromName} on ${startDay}, corrected on ${correctedDay}; the last day allowed is ${lastDay}`);
    }
    case 'HARM_AT_MOST':
      if (f.harm == null) return result('UNKNOWN', 'harm not given');
      return result(HARM_ORDER.indexOf(f.harm) <= HARM_ORDER.indexOf(c.level) ? 'MET' : 'NOT_MET', `harm ${f.harm}`);
    case 'THRESHOLD': {
      const v = measures.get(c.measure);
      if (v === undefined) return result('UNKNOWN', `${c.measure} not given`);
      const cmp = v.cmp(c.value);
      const met = { LT: cmp < 0, LTE: cmp <= 0, GT: cmp > 0, GTE: cmp >= 0, EQ: cmp === 0 }[c.comparator];
      return result(met ? 'MET' : 'NOT_MET', `${c.measure} = ${plain(v)}`);
    }
    case 'NOT_DURING': {
      if (f.circumstances == null) return result('UNKNOWN', 'circumstances not given');
      const present = f.circumstances.includes(c.circumstance);
      return result(present ? 'NOT_MET' : 'MET', present ? `${c.circumstance} in force` : `${c.circumstance} not in force`);
    }
  }
}

/** A condition in words, for listing a rule ("corrected within 24 hours of discovery"). */
export function describeCondition(c: Condition, violationCode: string): string {
  switch (c.kind) {
    case 'FIRST_OFFENCE': {
      const span = c.lookBackMonths % 12 === 0 ? `${c.lookBackMonths / 12} year(s)` : `${c.lookBackMonths} month(s)`;
      return `first offence: no earlier ${c.scope === 'SAME_VIOLATION' ? violationCode : 'violation'} in the ${span} before the violation`;
    }
    case 'CORRECTED_WITHIN': {
      const fromName = c.from === 'DISCOVERED' ? 'discovery' : 'the correction order';
      return c.unit === 'SAME_DAY' ? `corrected on the day of ${fromName}` : `corrected within ${c.amount} ${c.unit === 'HOURS' ? 'hours' : c.unit === 'DAYS' ? 'days' : 'working days'} of ${fromName}`;
    }
    case 'HARM_AT_MOST':
      return c.level === 'NONE' ? 'no harmful consequence' : 'harmful consequence at most minor';
    case 'THRESHOLD':
      return `${c.measure} ${COMPARATOR_TEXT[c.comparator]} ${plain(c.value)}`;
    case 'NOT_DURING':
      return `not during ${c.circumstance}`;
  }
}

function inForce(list: MinorViolationList, day: string): boolean {
  return list.validFrom <= day && (list.validTo === null || list.validTo >= day);
}

/**
 * Says which no-penalty rule applies to a case's facts, and why. A list counts when it is in force
 * on the day of the violation or on the day of the decision: a rule not to penalise is the lighter
 * rule, which 处罚法 art. 37 lets the later text give (从旧兼从轻). Bad facts (a correction before the
 * discovery, an unknown measure or circumstance) are an `EnforcementInputError` naming the field.
 */
export function evaluateMinorViolation(lists: readonly MinorViolationList[], facts: MinorViolationFacts, today: string): MinorViolationEvaluation {
  const { decidingOn, measures } = checkFacts(lists, facts, today);
  const candidates: RuleEvaluation[] = [];
  for (const list of lists) {
    if (facts.jurisdiction != null && !list.jurisdictions.includes(facts.jurisdiction)) continue;
    for (const rule of list.items) {
      if (rule.violationCode !== facts.violationCode) continue;
      const obligation = OBLIGATION_OF[rule.mode];
      if (!inForce(list, facts.occurredOn) && !inForce(list, decidingOn)) {
        const validity = `${list.validFrom} to ${list.validTo ?? 'open'}`;
        candidates.push({ rule, list, obligation, result: 'NOT_IN_FORCE', conditions: [], explanation: `list ${list.listId} (valid ${validity}) is in force neither on ${facts.occurredOn} nor on ${decidingOn}` });
        continue;
      }
      const conditions: ConditionEvaluation[] = [];
      if (rule.conduct !== null) {
        const requirement = `conduct ${rule.conduct}`;
        conditions.push(facts.conduct == null
          ? { kind: 'CONDUCT', requirement, status: 'UNKNOWN', actual: 'conduct not given' }
          : { kind: 'CONDUCT', requirement, status: facts.conduct === rule.conduct ? 'MET' : 'NOT_MET', actual: `conduct ${facts.conduct}` });
      }
      conditions.push(...rule.conditions.map((c) => evaluateCondition(c, facts, measures)));
      const notMet = conditions.filter((c) => c.status === 'NOT_MET');
      const unknown = conditions.filter((c) => c.status === 'UNKNOWN');
      const result: RuleResult = notMet.length > 0 ? 'NOT_MET' : unknown.length > 0 ? 'UNDETERMINED' : 'APPLIES';
      const explanation =
        result === 'APPLIES' ? `every condition of ${list.listId} item ${rule.itemNo} is met`
        : result === 'NOT_MET' ? `not met: ${notMet.map((c) => `${c.requirement} (${c.actual})`).join('; ')}`
        : `not known: ${unknown.map((c) => `${c.requirement} (${c.actual})`).join('; ')}`;
      candidates.push({ rule, list, obligation, result, conditions, explanation });
    }
  }

  const applying = candidates
    .filter((c) => c.result === 'APPLIES')
    .sort((a, b) =>
      (a.obligation === b.obligation ? 0 : a.obligation === 'SHALL_NOT_PENALISE' ? -1 : 1)
      || (a.list.validFrom === b.list.validFrom ? 0 : a.list.validFrom > b.list.validFrom ? -1 : 1)
      || a.rule.itemNo - b.rule.itemNo);
  const applied = applying[0] ?? null;
  if (applied) {
    const verb = applied.obligation === 'SHALL_NOT_PENALISE' ? 'shall not be penalised' : 'may be left unpenalised';
    return {
      outcome: 'NO_PENALTY', applied, obligation: applied.obligation, educationRequired: true, firstOffenceUsed: applied.rule.mode === 'FIRST_OFFENCE', candidates,
      explanation: `${applied.list.listId} item ${applied.rule.itemNo} applies: the party ${verb} (处罚法 art. 33) and is to be educated`, decidingOn,
    };
  }
  const undetermined = candidates.filter((c) => c.result === 'UNDETERMINED');
  let explanation: string;
  if (candidates.length === 0) {
    const where = facts.jurisdiction == null ? '' : ` applying to ${facts.jurisdiction}`;
    explanation = `no minor-violation list${where} has an item for ${facts.violationCode}`;
  } else if (undetermined.length > 0) {
    explanation = `no rule is met yet; ${undetermined.map((c) => `${c.list.listId} item ${c.rule.itemNo} needs facts: ${c.conditions.filter((x) => x.status === 'UNKNOWN').map((x) => x.actual).join(', ')}`).join('; ')}`;
  } else {
    explanation = `no rule applies: ${candidates.map((c) => `${c.list.listId} item ${c.rule.itemNo}: ${c.explanation}`).join('; ')}`;
  }
  return {
    outcome: undetermined.length > 0 ? 'UNDETERMINED' : 'NOT_APPLICABLE', applied: null, obligation: null, educationRequired: false, firstOffenceUsed: false, candidates, explanation, decidingOn,
  };
}
