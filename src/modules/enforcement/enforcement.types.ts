import { DateResolver, DateTimeResolver } from 'graphql-scalars';
import { Field, Int, ObjectType } from 'type-graphql';
import { Jurisdiction } from '../../domain/jurisdictions';
import { DecimalScalar } from '../../graphql/scalars';
import {
  ConditionKindCode, ConditionStatusCode, DayTypeCode, DeadlineUnitCode, DiscretionMethodCode, HarmLevelCode, LegalRangeKind, MinorRuleResultCode,
  MinorViolationModeCode, MinorViolationOutcomeCode, ObligationCode,
} from './enforcement.codes';

// ---------------------------------------------------------------------------------------------
// Discretion
// ---------------------------------------------------------------------------------------------

@ObjectType({ description: 'A level of a discretion factor: a percentage (or a range to pick within), grade points, or a coefficient adjustment, as the method needs.' })
export class DiscretionFactorLevel {
  @Field() code: string;
  @Field() name: string;
  @Field(() => DecimalScalar, { nullable: true }) percent: string | null;
  @Field(() => DecimalScalar, { nullable: true }) percentMin: string | null;
  @Field(() => DecimalScalar, { nullable: true }) percentMax: string | null;
  @Field(() => DecimalScalar, { nullable: true }) grade: string | null;
  @Field(() => DecimalScalar, { nullable: true }) adjustment: string | null;
}

@ObjectType({ description: 'A factor of a discretion table.' })
export class DiscretionFactor {
  @Field() code: string;
  @Field() name: string;
  @Field({ description: 'Whether a level must be selected; an optional factor left out contributes nothing.' }) required: boolean;
  @Field(() => [DiscretionFactorLevel]) levels: DiscretionFactorLevel[];
}

@ObjectType({ description: 'The legal range: fixed in yuan, or rates of a base the case supplies.' })
export class DiscretionLegalRange {
  @Field(() => LegalRangeKind) kind: LegalRangeKind;
  @Field(() => DecimalScalar, { nullable: true, description: 'FIXED: minimum in yuan.' }) min: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'FIXED: maximum in yuan.' }) max: string | null;
  @Field(() => String, { nullable: true, description: 'BASE_RATE: code of the base (INVESTMENT, DISPOSAL_COST).' }) baseCode: string | null;
  @Field(() => String, { nullable: true }) baseName: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'BASE_RATE: a base below this counts as this (solid-waste law art. 112: 200,000).' }) baseFloor: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'BASE_RATE: multiplier of the base for the minimum (0.01 for 1 %).' }) minRate: string | null;
  @Field(() => DecimalScalar, { nullable: true }) maxRate: string | null;
}

@ObjectType({ description: 'GRADE tables: a total score from fromScore up to the next band gives this percentage of the range.' })
export class DiscretionBand {
  @Field(() => DecimalScalar) fromScore: string;
  @Field(() => DecimalScalar) percent: string;
}

@ObjectType({ description: 'One violation\'s entry in one version of a discretion table (裁量基准), with the version\'s provenance.' })
export class DiscretionTable {
  @Field() version: string;
  @Field() title: string;
  @Field({ description: 'True until the provinces\' official tables replace the illustrative ones.' }) illustrative: boolean;
  @Field(() => [Jurisdiction]) jurisdictions: Jurisdiction[];
  @Field(() => DateResolver) effectiveFrom: string;
  @Field(() => DateResolver, { nullable: true }) validTo: string | null;
  @Field() source: string;
  @Field() violationCode: string;
  @Field() legalBasis: string;
  @Field() conduct: string;
  @Field(() => DiscretionMethodCode) method: DiscretionMethodCode;
  @Field(() => DiscretionLegalRange) legalRange: DiscretionLegalRange;
  @Field(() => [DiscretionFactor]) factors: DiscretionFactor[];
  @Field(() => [DiscretionBand], { nullable: true }) bands: DiscretionBand[] | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'COEFFICIENT: fine = coefficientBase × (coefficientStart + Σ adjustments).' }) coefficientBase: string | null;
  @Field(() => DecimalScalar, { nullable: true }) coefficientStart: string | null;
  @Field(() => DecimalScalar, { description: 'Fines are rounded to a multiple of this, in yuan.' }) roundingUnit: string;
  @Field({ description: 'HALF_UP, DOWN or UP; a rounded fine never leaves the legal range.' }) roundingMode: string;
}

@ObjectType({ description: 'The base a BASE_RATE range was applied to.' })
export class DiscretionBaseUsed {
  @Field() code: string;
  @Field() name: string;
  @Field(() => DecimalScalar) given: string;
  @Field(() => DecimalScalar) applied: string;
  @Field({ description: 'True when the given base was below the floor and the floor was used.' }) floorApplied: boolean;
}

@ObjectType({ description: 'One selected factor and what it contributed.' })
export class DiscretionFactorContribution {
  @Field() factor: string;
  @Field() factorName: string;
  @Field() level: string;
  @Field() levelName: string;
  @Field(() => DecimalScalar, { nullable: true }) percent: string | null;
  @Field(() => DecimalScalar, { nullable: true }) grade: string | null;
  @Field(() => DecimalScalar, { nullable: true }) adjustment: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'Yuan it adds: PERCENT (max − min) × p before any cap; COEFFICIENT base × adjustment; null for GRADE.' }) amount: string | null;
}

@ObjectType({ description: 'A fine computed by the discretion ruler, with the table version and the working.' })
export class DiscretionCalculation {
  @Field() violationCode: string;
  @Field() legalBasis: string;
  @Field() conduct: string;
  @Field(() => DiscretionMethodCode) method: DiscretionMethodCode;
  @Field({ description: 'The table version used: store it with the case decision.' }) tableVersion: string;
  @Field() tableTitle: string;
  @Field() illustrative: boolean;
  @Field() tableSource: string;
  @Field(() => DecimalScalar) legalMin: string;
  @Field(() => DecimalScalar) legalMax: string;
  @Field(() => DiscretionBaseUsed, { nullable: true }) base: DiscretionBaseUsed | null;
  @Field(() => [DiscretionFactorContribution]) factors: DiscretionFactorContribution[];
  @Field(() => DecimalScalar, { nullable: true, description: 'PERCENT: Σp as the factors give it.' }) percentSum: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'PERCENT: Σp as used, capped at 100.' }) percentUsed: string | null;
  @Field() capped: boolean;
  @Field(() => DecimalScalar, { nullable: true, description: 'GRADE: total score.' }) score: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'GRADE: the percentage of the range the score\'s band gives.' }) bandPercent: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'COEFFICIENT: start + Σ adjustments.' }) coefficient: string | null;
  @Field(() => DecimalScalar, { description: 'The fine before rounding, exact.' }) exactFine: string;
  @Field(() => DecimalScalar, { description: 'The fine in yuan.' }) fine: string;
  @Field({ description: 'COEFFICIENT: true when the fine was clamped to the legal range.' }) clamped: boolean;
  @Field(() => [String], { description: 'The working, one step a line.' }) working: string[];
}

// ---------------------------------------------------------------------------------------------
// Minor violations
// ---------------------------------------------------------------------------------------------

@ObjectType({ description: 'A condition of a minor-violation rule; only the fields of its kind are set.' })
export class MinorViolationCondition {
  @Field(() => ConditionKindCode) kind: ConditionKindCode;
  @Field({ description: 'The condition in words.' }) description: string;
  @Field(() => Int, { nullable: true, description: 'FIRST_OFFENCE: look-back window in months.' }) lookBackMonths: number | null;
  @Field(() => String, { nullable: true, description: 'FIRST_OFFENCE: SAME_VIOLATION or ANY_VIOLATION.' }) scope: string | null;
  @Field(() => Int, { nullable: true, description: 'CORRECTED_WITHIN: the amount of unit.' }) amount: number | null;
  @Field(() => String, { nullable: true, description: 'CORRECTED_WITHIN: HOURS, DAYS, WORKING_DAYS or SAME_DAY.' }) unit: string | null;
  @Field(() => String, { nullable: true, description: 'CORRECTED_WITHIN: counted from DISCOVERED or ORDERED.' }) from: string | null;
  @Field(() => HarmLevelCode, { nullable: true, description: 'HARM_AT_MOST: the worst harm allowed.' }) level: HarmLevelCode | null;
  @Field(() => String, { nullable: true }) measure: string | null;
  @Field(() => String, { nullable: true, description: 'THRESHOLD: LT, LTE, GT, GTE or EQ.' }) comparator: string | null;
  @Field(() => DecimalScalar, { nullable: true }) value: string | null;
  @Field(() => String, { nullable: true, description: 'NOT_DURING: the excluding circumstance.' }) circumstance: string | null;
}

@ObjectType({ description: 'One item of a minor-violation no-penalty list, with its list\'s provenance.' })
export class MinorViolationRule {
  @Field() listId: string;
  @Field() listTitle: string;
  @Field() issuer: string;
  @Field({ description: 'True for examples that are not an official list.' }) illustrative: boolean;
  @Field(() => DateResolver) validFrom: string;
  @Field(() => DateResolver, { nullable: true }) validTo: string | null;
  @Field(() => [Jurisdiction]) jurisdictions: Jurisdiction[];
  @Field() source: string;
  @Field(() => Int) itemNo: number;
  @Field() violationCode: string;
  @Field(() => String, { nullable: true }) conduct: string | null;
  @Field(() => String, { nullable: true }) conductName: string | null;
  @Field() description: string;
  @Field() legalBasis: string;
  @Field(() => MinorViolationModeCode) mode: MinorViolationModeCode;
  @Field(() => ObligationCode) obligation: ObligationCode;
  @Field(() => [MinorViolationCondition]) conditions: MinorViolationCondition[];
}

@ObjectType({ description: 'A condition tested against the facts: the requirement, the value compared, the status.' })
export class MinorConditionEvaluation {
  @Field(() => ConditionKindCode) kind: ConditionKindCode;
  @Field() requirement: string;
  @Field(() => ConditionStatusCode) status: ConditionStatusCode;
  @Field({ description: 'The value compared, or which fact is missing.' }) actual: string;
}

@ObjectType({ description: 'A rule for the violation code and how the facts fare against it.' })
export class MinorRuleEvaluation {
  @Field(() => MinorViolationRule) rule: MinorViolationRule;
  @Field(() => MinorRuleResultCode) result: MinorRuleResultCode;
  @Field(() => [MinorConditionEvaluation]) conditions: MinorConditionEvaluation[];
  @Field() explanation: string;
}

@ObjectType({ description: 'Whether a minor-violation rule spares the party a penalty, which, and why (or why none does).' })
export class MinorViolationEvaluation {
  @Field(() => MinorViolationOutcomeCode) outcome: MinorViolationOutcomeCode;
  @Field(() => MinorRuleEvaluation, { nullable: true, description: 'The rule that applies: SHALL_NOT before MAY_NOT, then the newest list, then the item number.' }) applied: MinorRuleEvaluation | null;
  @Field(() => ObligationCode, { nullable: true }) obligation: ObligationCode | null;
  @Field({ description: '处罚法 art. 33: a party not penalised is to be educated; record it.' }) educationRequired: boolean;
  @Field({ description: 'True when the decision uses up the party\'s first offence (record it for later look-backs).' }) firstOffenceUsed: boolean;
  @Field(() => [MinorRuleEvaluation], { description: 'Every rule for the violation code, applying or not.' }) candidates: MinorRuleEvaluation[];
  @Field() explanation: string;
  @Field(() => DateResolver) decidingOn: string;
}

// ---------------------------------------------------------------------------------------------
// Deadlines
// ---------------------------------------------------------------------------------------------

@ObjectType({ description: 'An extension a timer allows, and whose approval it needs.' })
export class DeadlineExtensionRule {
  @Field() approval: string;
  @Field(() => Int) maxDays: number;
}

@ObjectType({ description: 'A statutory timer of the case procedure, as data.' })
export class DeadlineTimer {
  @Field() code: string;
  @Field() name: string;
  @Field() nameEn: string;
  @Field() basis: string;
  @Field({ description: 'The weakest mark of the rule in the reference: V checked, S one secondary source, M from memory.' }) label: string;
  @Field({ description: 'The event the period runs from.' }) fromEvent: string;
  @Field({ description: 'AFTER, or BEFORE (the latest day that is the period before the event).' }) direction: string;
  @Field(() => Int) amount: number;
  @Field(() => DeadlineUnitCode) unit: DeadlineUnitCode;
  @Field(() => DayTypeCode) dayType: DayTypeCode;
  @Field({ description: 'AS_IS, or NEXT_WORKING_DAY when a period ending on a rest day ends on the next working day.' }) endOnRestDay: string;
  @Field(() => [DeadlineExtensionRule]) extensions: DeadlineExtensionRule[];
  @Field(() => Int, { nullable: true }) maxTotalDays: number | null;
  @Field() excludesSuspensions: boolean;
  @Field(() => String, { nullable: true, description: 'Counts only when the case has this flag.' }) onlyIf: string | null;
  @Field(() => String, { nullable: true, description: 'Does not count when the case has this flag.' }) unless: string | null;
}

@ObjectType({ description: 'A code of the deadline rules (event or flag).' })
export class DeadlineCode {
  @Field() code: string;
  @Field() name: string;
  @Field() nameEn: string;
}

@ObjectType({ description: 'The years of the official calendar the hub can count working days in.' })
export class OfficialCalendarCoverage {
  @Field(() => DateResolver) firstDay: string;
  @Field(() => DateResolver) lastDay: string;
  @Field() source: string;
}

@ObjectType({ description: 'The statutory time limits of the case procedure, as data.' })
export class StatutoryDeadlineRules {
  @Field() version: string;
  @Field() title: string;
  @Field(() => DateResolver) effectiveFrom: string;
  @Field() source: string;
  @Field(() => [DeadlineCode]) events: DeadlineCode[];
  @Field(() => [DeadlineCode]) flags: DeadlineCode[];
  @Field(() => [DeadlineTimer]) timers: DeadlineTimer[];
  @Field(() => OfficialCalendarCoverage) calendar: OfficialCalendarCoverage;
}

@ObjectType({ description: 'A deadline computed for a case.' })
export class StatutoryDeadline {
  @Field(() => DeadlineTimer) timer: DeadlineTimer;
  @Field(() => DateResolver) startsOn: string;
  @Field(() => DateTimeResolver, { nullable: true }) startsAt: Date | null;
  @Field(() => Int) extensionDays: number;
  @Field(() => Int) suspendedDays: number;
  @Field(() => DateResolver, { nullable: true, description: 'The end before the rest-day rule.' }) nominalDueOn: string | null;
  @Field(() => DateResolver, { nullable: true, description: 'The last day to act; null when the official calendar does not cover the days needed (see refusal).' }) dueOn: string | null;
  @Field(() => DateTimeResolver, { nullable: true, description: 'Hour periods: the instant the period ends.' }) dueAt: Date | null;
  @Field() rolledForward: boolean;
  @Field(() => String, { nullable: true }) refusal: string | null;
  @Field(() => [String]) working: string[];
}

@ObjectType({ description: 'A timer not computed, and why.' })
export class PendingDeadline {
  @Field(() => DeadlineTimer) timer: DeadlineTimer;
  @Field() reason: string;
}

@ObjectType({ description: 'Every deadline a case\'s events start.' })
export class StatutoryDeadlineSchedule {
  @Field() rulesVersion: string;
  @Field(() => OfficialCalendarCoverage) calendar: OfficialCalendarCoverage;
  @Field(() => [StatutoryDeadline]) deadlines: StatutoryDeadline[];
  @Field(() => [PendingDeadline]) pending: PendingDeadline[];
}
