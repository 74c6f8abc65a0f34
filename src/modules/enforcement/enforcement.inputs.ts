import { DateResolver, DateTimeResolver } from 'graphql-scalars';
import { Field, InputType, Int } from 'type-graphql';
import { Jurisdiction } from '../../domain/jurisdictions';
import { DecimalScalar } from '../../graphql/scalars';
import { HarmLevelCode } from './enforcement.codes';

@InputType({ description: 'One factor of a discretion table as the officer selected it.' })
export class DiscretionFactorInput {
  @Field({ description: 'Factor code of the table version (IMPACT, DURATION…).' })
  factor: string;

  @Field({ description: 'Level code within the factor (MEDIUM, MONTHS_3_TO_6…).' })
  level: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'Percentage chosen within a level that spans a range (PERCENT tables); omit for a fixed level.' })
  percent?: string | null;
}

@InputType({ description: 'What computeDiscretion needs: the violation, the selected factors and, where the range is a rate, the base.' })
export class DiscretionInput {
  @Field({ description: 'Violation code of the discretion tables (AIR_LAW_99, EIA_LAW_31…; see discretionTables).' })
  violationCode: string;

  @Field(() => [DiscretionFactorInput])
  factors: DiscretionFactorInput[];

  @Field(() => String, { nullable: true, description: 'A table version to use; by default the newest version in force on asOf that has the violation code.' })
  tableVersion?: string | null;

  @Field(() => DateResolver, { nullable: true, description: 'The day whose table applies; today (China time) by default. Ignored when tableVersion is given.' })
  asOf?: Date | null;

  @Field(() => Jurisdiction, { nullable: true, description: 'Only tables that apply to this district.' })
  jurisdiction?: Jurisdiction | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Base of a BASE_RATE range in yuan: the total investment (EIA law art. 31), the disposal cost (solid-waste law art. 112).' })
  baseAmount?: string | null;
}

@InputType({ description: 'An earlier violation of the same party.' })
export class PriorOffenceInput {
  @Field()
  violationCode: string;

  @Field(() => DateResolver, { description: 'The day it was committed.' })
  on: Date;

  @Field(() => Boolean, { nullable: true, description: 'True when it ended in a first-offence no-penalty decision.' })
  firstOffenceUsed?: boolean | null;
}

@InputType({ description: 'A measured value a rule may compare against a threshold.' })
export class MeasureValueInput {
  @Field({ description: 'Measure code a list declares (EXCEEDANCE_PERCENT, POLLUTANTS_EXCEEDING…).' })
  code: string;

  @Field(() => DecimalScalar)
  value: string;
}

@InputType({ description: 'The facts of a case that the minor-violation rules test. A fact left out makes the conditions needing it UNKNOWN, never met.' })
export class MinorViolationFactsInput {
  @Field()
  violationCode: string;

  @Field(() => String, { nullable: true, description: 'Finer conduct within the violation code, as the lists name it (HW_LABEL_MISSING…).' })
  conduct?: string | null;

  @Field(() => DateResolver, { description: 'The day the violation was committed.' })
  occurredOn: Date;

  @Field(() => DateTimeResolver)
  discoveredAt: Date;

  @Field(() => DateTimeResolver, { nullable: true })
  correctionOrderedAt?: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When the violation was corrected; omit if it has not been.' })
  correctedAt?: Date | null;

  @Field(() => HarmLevelCode, { nullable: true })
  harm?: HarmLevelCode | null;

  @Field(() => [PriorOffenceInput], { nullable: true, description: 'Earlier violations of the party; [] says there were none, omitted says it is not known.' })
  priorOffences?: PriorOffenceInput[] | null;

  @Field(() => [MeasureValueInput], { nullable: true })
  measures?: MeasureValueInput[] | null;

  @Field(() => [String], { nullable: true, description: 'Circumstances in force (HEAVY_POLLUTION_ALERT); [] says none, omitted says it is not known.' })
  circumstances?: string[] | null;

  @Field(() => DateResolver, { nullable: true, description: 'The day of the decision; today (China time) by default. A list in force then also counts (处罚法 art. 37).' })
  decidingOn?: Date | null;

  @Field(() => Jurisdiction, { nullable: true, description: 'Only lists that apply to this district.' })
  jurisdiction?: Jurisdiction | null;
}

@InputType({ description: 'A case event a deadline runs from.' })
export class CaseEventInput {
  @Field({ description: 'Event code of the deadline rules (FILED, NOTICE_SERVED…; see statutoryDeadlineRules).' })
  event: string;

  @Field(() => DateResolver, { nullable: true, description: 'The day it happened.' })
  on?: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'The instant it happened; needed by hour periods.' })
  at?: Date | null;
}

@InputType({ description: 'An approved extension of a deadline.' })
export class DeadlineExtensionInput {
  @Field()
  timer: string;

  @Field({ description: 'Who approved it, as the rule names it (HEAD, COLLECTIVE).' })
  approval: string;

  @Field(() => Int)
  days: number;
}

@InputType({ description: 'A period not counted in a deadline (suspension, testing, assessment), first and last day inclusive.' })
export class DeadlineSuspensionInput {
  @Field()
  timer: string;

  @Field(() => DateResolver)
  from: Date;

  @Field(() => DateResolver)
  to: Date;
}

@InputType({ description: 'A case\'s events, approved extensions, suspensions and flags.' })
export class StatutoryDeadlinesInput {
  @Field(() => [CaseEventInput])
  events: CaseEventInput[];

  @Field(() => [DeadlineExtensionInput], { nullable: true })
  extensions?: DeadlineExtensionInput[] | null;

  @Field(() => [DeadlineSuspensionInput], { nullable: true })
  suspensions?: DeadlineSuspensionInput[] | null;

  @Field(() => [String], { nullable: true, description: 'Flags of the rules (SERIOUS_HARM selects the 5-year limitation).' })
  flags?: string[] | null;
}
