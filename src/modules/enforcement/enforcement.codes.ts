import { registerEnumType } from 'type-graphql';

/**
 * Code lists of the enforcement calculators. The values are the domain's own strings
 * (src/domain/enforcement), so results pass through unchanged.
 */

export enum DiscretionMethodCode {
  PERCENT = 'PERCENT',
  GRADE = 'GRADE',
  COEFFICIENT = 'COEFFICIENT',
}

export enum LegalRangeKind {
  FIXED = 'FIXED',
  BASE_RATE = 'BASE_RATE',
}

export enum MinorViolationModeCode {
  MINOR_NO_HARM = 'MINOR_NO_HARM',
  FIRST_OFFENCE = 'FIRST_OFFENCE',
}

export enum ObligationCode {
  SHALL_NOT_PENALISE = 'SHALL_NOT_PENALISE',
  MAY_NOT_PENALISE = 'MAY_NOT_PENALISE',
}

export enum HarmLevelCode {
  NONE = 'NONE',
  MINOR = 'MINOR',
  SIGNIFICANT = 'SIGNIFICANT',
}

export enum ConditionKindCode {
  CONDUCT = 'CONDUCT',
  FIRST_OFFENCE = 'FIRST_OFFENCE',
  CORRECTED_WITHIN = 'CORRECTED_WITHIN',
  HARM_AT_MOST = 'HARM_AT_MOST',
  THRESHOLD = 'THRESHOLD',
  NOT_DURING = 'NOT_DURING',
}

export enum ConditionStatusCode {
  MET = 'MET',
  NOT_MET = 'NOT_MET',
  UNKNOWN = 'UNKNOWN',
}

export enum MinorRuleResultCode {
  APPLIES = 'APPLIES',
  NOT_MET = 'NOT_MET',
  UNDETERMINED = 'UNDETERMINED',
  NOT_IN_FORCE = 'NOT_IN_FORCE',
}

export enum MinorViolationOutcomeCode {
  NO_PENALTY = 'NO_PENALTY',
  NOT_APPLICABLE = 'NOT_APPLICABLE',
  UNDETERMINED = 'UNDETERMINED',
}

export enum DeadlineUnitCode {
  DAYS = 'DAYS',
  HOURS = 'HOURS',
  MONTHS = 'MONTHS',
  YEARS = 'YEARS',
}

export enum DayTypeCode {
  CALENDAR = 'CALENDAR',
  WORKING = 'WORKING',
}

/**
 * Registers the enforcement enums, once, before the schema is built (called beside
 * `registerEnums()` in src/graphql/schema.ts; they can join src/graphql/enums.ts when it is merged).
 */
export function registerEnforcementEnums(): void {
  const enums: Array<[object, string, string]> = [
    [DiscretionMethodCode, 'DiscretionMethod', 'How a discretion table places a fine in its legal range: PERCENT (裁量百分值, fine = min + (max − min) × Σp), GRADE (graded factors scored into the table\'s bands) or COEFFICIENT (base × coefficient, clamped).'],
    [LegalRangeKind, 'LegalRangeKind', 'FIXED: a range in yuan; BASE_RATE: rates of a base the case supplies (the investment, the disposal cost).'],
    [MinorViolationModeCode, 'MinorViolationMode', 'The no-penalty mode of 处罚法 art. 33: MINOR_NO_HARM (shall not penalise) or FIRST_OFFENCE (may not penalise).'],
    [ObligationCode, 'NoPenaltyObligation', 'SHALL_NOT_PENALISE (应当不予处罚) or MAY_NOT_PENALISE (可以不予处罚).'],
    [HarmLevelCode, 'HarmLevel', 'Harmful consequence of a violation: none, minor, or more than minor.'],
    [ConditionKindCode, 'MinorViolationConditionKind', 'Kinds of condition a minor-violation rule may set.'],
    [ConditionStatusCode, 'ConditionStatus', 'MET, NOT_MET, or UNKNOWN when the fact it needs was not given.'],
    [MinorRuleResultCode, 'MinorRuleResult', 'APPLIES when every condition is met; NOT_MET; UNDETERMINED when facts are missing; NOT_IN_FORCE.'],
    [MinorViolationOutcomeCode, 'MinorViolationOutcome', 'NO_PENALTY (a rule applies), NOT_APPLICABLE, or UNDETERMINED (facts missing).'],
    [DeadlineUnitCode, 'DeadlineUnit', 'Unit of a statutory period.'],
    [DayTypeCode, 'DayType', 'CALENDAR days, or WORKING days of the official Chinese calendar (holidays and 调休 included).'],
  ];
  for (const [e, name, description] of enums) registerEnumType(e, { name, description });
}
