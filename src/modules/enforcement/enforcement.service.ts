import Decimal from 'decimal.js';
import { todayInChina } from '../../domain/calendar/days';
import { calendarCoverage } from '../../domain/calendar/working-days';
import { computeDeadlines, DeadlineRules, DeadlineTimer as DomainTimer } from '../../domain/enforcement/deadlines';
import { computeDiscretion, DiscretionEntry, DiscretionTableSet } from '../../domain/enforcement/discretion';
import { EnforcementInputError } from '../../domain/enforcement/errors';
import { Condition, describeCondition, evaluateMinorViolation, MinorViolationList, MinorViolationRule as DomainRule, RuleEvaluation } from '../../domain/enforcement/minor-violations';
import { enforcementData } from '../../domain/enforcement/registry';
import { Jurisdiction } from '../../domain/jurisdictions';
import { badInput } from '../../graphql/errors';
import {
  ConditionKindCode, ConditionStatusCode, DayTypeCode, DeadlineUnitCode, DiscretionMethodCode, HarmLevelCode, LegalRangeKind, MinorRuleResultCode,
  MinorViolationModeCode, MinorViolationOutcomeCode, ObligationCode,
} from './enforcement.codes';
import { DiscretionInput, MinorViolationFactsInput, StatutoryDeadlinesInput } from './enforcement.inputs';
import {
  DeadlineTimer, DiscretionCalculation, DiscretionTable, MinorRuleEvaluation, MinorViolationCondition, MinorViolationEvaluation, MinorViolationRule,
  OfficialCalendarCoverage, StatutoryDeadlineRules, StatutoryDeadlineSchedule,
} from './enforcement.types';

/**
 * Runs an enforcement calculation and turns its input errors into BAD_USER_INPUT naming the field
 * under the GraphQL argument (`input.factors[1].percent`) and the rule (`extensions.rule`).
 */
export function withEnforcementErrors<T>(argument: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof EnforcementInputError) throw badInput(`${argument}.${err.field}`, err.problem, { rule: err.rule });
    throw err;
  }
}

const day = (d: Date | null | undefined): string | null => (d ? d.toISOString().slice(0, 10) : null);
const text = (d: Decimal | null | undefined): string | null => (d ? d.toFixed() : null);

function toTable(set: DiscretionTableSet, e: DiscretionEntry): DiscretionTable {
  const r = e.range;
  return {
    version: set.version, title: set.title, illustrative: set.illustrative, jurisdictions: set.jurisdictions as Jurisdiction[], effectiveFrom: set.effectiveFrom,
    validTo: set.validTo, source: set.source, violationCode: e.violationCode, legalBasis: e.legalBasis, conduct: e.conduct, method: e.method as DiscretionMethodCode,
    legalRange: r.kind === 'FIXED'
      ? { kind: LegalRangeKind.FIXED, min: r.min.toFixed(), max: r.max.toFixed(), baseCode: null, baseName: null, baseFloor: null, minRate: null, maxRate: null }
      : { kind: LegalRangeKind.BASE_RATE, min: null, max: null, baseCode: r.base.code, baseName: r.base.name, baseFloor: text(r.base.floor), minRate: r.minRate.toFixed(), maxRate: r.maxRate.toFixed() },
    factors: e.factors.map((f) => ({
      code: f.code, name: f.name, required: f.required,
      levels: f.levels.map((l) => ({ code: l.code, name: l.name, percent: text(l.percent), percentMin: text(l.percentMin), percentMax: text(l.percentMax), grade: text(l.grade), adjustment: text(l.adjustment) })),
    })),
    bands: e.bands?.map((b) => ({ fromScore: b.fromScore.toFixed(), percent: b.percent.toFixed() })) ?? null,
    coefficientBase: text(e.coefficient?.base), coefficientStart: text(e.coefficient?.start),
    roundingUnit: e.rounding.unit.toFixed(), roundingMode: e.rounding.mode,
  };
}

function toCondition(c: Condition, violationCode: string): MinorViolationCondition {
  const out: MinorViolationCondition = {
    kind: c.kind as ConditionKindCode, description: describeCondition(c, violationCode), lookBackMonths: null, scope: null, amount: null, unit: null, from: null,
    level: null, measure: null, comparator: null, value: null, circumstance: null,
  };
  if (c.kind === 'FIRST_OFFENCE') Object.assign(out, { lookBackMonths: c.lookBackMonths, scope: c.scope });
  else if (c.kind === 'CORRECTED_WITHIN') Object.assign(out, { amount: c.unit === 'SAME_DAY' ? null : c.amount, unit: c.unit, from: c.from });
  else if (c.kind === 'HARM_AT_MOST') out.level = c.level as HarmLevelCode;
  else if (c.kind === 'THRESHOLD') Object.assign(out, { measure: c.measure, comparator: c.comparator, value: c.value.toFixed() });
  else out.circumstance = c.circumstance;
  return out;
}

function toRule(list: MinorViolationList, r: DomainRule): MinorViolationRule {
  return {
    listId: list.listId, listTitle: list.title, issuer: list.issuer, illustrative: list.illustrative, validFrom: list.validFrom, validTo: list.validTo,
    jurisdictions: list.jurisdictions as Jurisdiction[], source: list.source, itemNo: r.itemNo, violationCode: r.violationCode, conduct: r.conduct,
    conductName: list.conducts.find((c) => c.code === r.conduct)?.name ?? null, description: r.description, legalBasis: r.legalBasis,
    mode: r.mode as MinorViolationModeCode, obligation: (r.mode === 'MINOR_NO_HARM' ? ObligationCode.SHALL_NOT_PENALISE : ObligationCode.MAY_NOT_PENALISE),
    conditions: r.conditions.map((c) => toCondition(c, r.violationCode)),
  };
}

function toRuleEvaluation(e: RuleEvaluation): MinorRuleEvaluation {
  return {
    rule: toRule(e.list, e.rule), result: e.result as MinorRuleResultCode, explanation: e.explanation,
    conditions: e.conditions.map((c) => ({ kind: c.kind as ConditionKindCode, requirement: c.requirement, status: c.status as ConditionStatusCode, actual: c.actual })),
  };
}

function toTimer(t: DomainTimer): DeadlineTimer {
  return {
    code: t.code, name: t.name, nameEn: t.nameEn, basis: t.basis, label: t.label, fromEvent: t.from, direction: t.direction, amount: t.amount,
    unit: t.unit as DeadlineUnitCode, dayType: t.dayType as DayTypeCode, endOnRestDay: t.endOnRestDay, extensions: t.extensions.map((x) => ({ ...x })),
    maxTotalDays: t.maxTotalDays, excludesSuspensions: t.excludesSuspensions, onlyIf: t.onlyIf, unless: t.unless,
  };
}

const calendar = (): OfficialCalendarCoverage => {
  const c = calendarCoverage();
  return { firstDay: c.firstDay, lastDay: c.lastDay, source: c.source };
};
const deadlineRules = (): DeadlineRules => enforcementData().deadlineRules[0];

/**
 * The public enforcement calculators and the data behind them: pure functions over the bundled,
 * validated data files, no database and no principal (discretion benchmarks are to be published,
 * 处罚法 art. 34), so anyone may call them.
 */
export const enforcementService = {
  discretionTables(filter: { violationCode?: string | null; version?: string | null; asOf?: Date | null; jurisdiction?: Jurisdiction | null }): DiscretionTable[] {
    const asOf = day(filter.asOf);
    return enforcementData().discretionTables
      .filter((s) => (filter.version == null || s.version === filter.version)
        && (asOf === null || (s.effectiveFrom <= asOf && (s.validTo === null || s.validTo >= asOf)))
        && (filter.jurisdiction == null || s.jurisdictions.includes(filter.jurisdiction)))
      .flatMap((s) => s.entries.filter((e) => filter.violationCode == null || e.violationCode === filter.violationCode).map((e) => toTable(s, e)));
  },

  computeDiscretion(input: DiscretionInput, now: Date = new Date()): DiscretionCalculation {
    const r = withEnforcementErrors('input', () => computeDiscretion(enforcementData().discretionTables, {
      violationCode: input.violationCode, factors: input.factors, tableVersion: input.tableVersion, asOf: day(input.asOf), jurisdiction: input.jurisdiction, baseAmount: input.baseAmount,
    }, todayInChina(now)));
    return {
      violationCode: r.violationCode, legalBasis: r.legalBasis, conduct: r.conduct, method: r.method as DiscretionMethodCode,
      tableVersion: r.table.version, tableTitle: r.table.title, illustrative: r.table.illustrative, tableSource: r.table.source,
      legalMin: r.legalMin.toFixed(), legalMax: r.legalMax.toFixed(),
      base: r.base && { code: r.base.code, name: r.base.name, given: r.base.given.toFixed(), applied: r.base.applied.toFixed(), floorApplied: r.base.floorApplied },
      factors: r.factors.map((f) => ({ factor: f.factor, factorName: f.factorName, level: f.level, levelName: f.levelName, percent: text(f.percent), grade: text(f.grade), adjustment: text(f.adjustment), amount: text(f.amount) })),
      percentSum: text(r.percentSum), percentUsed: text(r.percentUsed), capped: r.capped, score: text(r.score), bandPercent: text(r.bandPercent), coefficient: text(r.coefficient),
      exactFine: r.exactFine.toFixed(), fine: r.fine.toFixed(2), clamped: r.clamped, working: r.working,
    };
  },

  minorViolationRules(filter: { violationCode?: string | null; listId?: string | null; asOf?: Date | null; jurisdiction?: Jurisdiction | null }): MinorViolationRule[] {
    const asOf = day(filter.asOf);
    return enforcementData().minorViolationLists
      .filter((l) => (filter.listId == null || l.listId === filter.listId)
        && (asOf === null || (l.validFrom <= asOf && (l.validTo === null || l.validTo >= asOf)))
        && (filter.jurisdiction == null || l.jurisdictions.includes(filter.jurisdiction)))
      .flatMap((l) => l.items.filter((r) => filter.violationCode == null || r.violationCode === filter.violationCode).map((r) => toRule(l, r)));
  },

  evaluateMinorViolation(input: MinorViolationFactsInput, now: Date = new Date()): MinorViolationEvaluation {
    const r = withEnforcementErrors('input', () => evaluateMinorViolation(enforcementData().minorViolationLists, {
      violationCode: input.violationCode, conduct: input.conduct, occurredOn: day(input.occurredOn)!, discoveredAt: input.discoveredAt,
      correctionOrderedAt: input.correctionOrderedAt, correctedAt: input.correctedAt, harm: input.harm,
      priorOffences: input.priorOffences?.map((p) => ({ violationCode: p.violationCode, on: day(p.on)!, firstOffenceUsed: p.firstOffenceUsed })),
      measures: input.measures, circumstances: input.circumstances, decidingOn: day(input.decidingOn), jurisdiction: input.jurisdiction,
    }, todayInChina(now)));
    return {
      outcome: r.outcome as MinorViolationOutcomeCode, applied: r.applied && toRuleEvaluation(r.applied), obligation: r.obligation as ObligationCode | null,
      educationRequired: r.educationRequired, firstOffenceUsed: r.firstOffenceUsed, candidates: r.candidates.map(toRuleEvaluation), explanation: r.explanation, decidingOn: r.decidingOn,
    };
  },

  statutoryDeadlineRules(): StatutoryDeadlineRules {
    const rules = deadlineRules();
    return {
      version: rules.version, title: rules.title, effectiveFrom: rules.effectiveFrom, source: rules.source,
      events: rules.events, flags: rules.flags, timers: rules.timers.map(toTimer), calendar: calendar(),
    };
  },

  statutoryDeadlines(input: StatutoryDeadlinesInput): StatutoryDeadlineSchedule {
    const rules = deadlineRules();
    const s = withEnforcementErrors('input', () => computeDeadlines(rules, {
      events: input.events.map((e) => ({ event: e.event, on: day(e.on), at: e.at })),
      extensions: input.extensions, suspensions: input.suspensions?.map((x) => ({ timer: x.timer, from: day(x.from)!, to: day(x.to)! })), flags: input.flags,
    }));
    return {
      rulesVersion: rules.version, calendar: calendar(),
      deadlines: s.deadlines.map((x) => ({
        timer: toTimer(x.timer), startsOn: x.startsOn, startsAt: x.startsAt, extensionDays: x.extensionDays, suspendedDays: x.suspendedDays,
        nominalDueOn: x.nominalDueOn, dueOn: x.dueOn, dueAt: x.dueAt, rolledForward: x.rolledForward, refusal: x.refusal, working: x.working,
      })),
      pending: s.pending.map((p) => ({ timer: toTimer(p.timer), reason: p.reason })),
    };
  },
};
