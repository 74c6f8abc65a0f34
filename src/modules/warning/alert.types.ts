import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { DecimalScalar } from '../../graphql/scalars';
import { connectionType } from '../../graphql/pagination';
import { WaterClassCode } from '../monitoring';
import { AlertKind, AlertLevel, AlertPeriod, AlertStatus, VerificationResult } from './alert.codes';

registerEnumType(AlertKind, { name: 'AlertKind', description: 'What raised an alert: a section class worse than its target, a watched parameter over its threshold or rising, an outlet over its limit, its data missing or flagged abnormal.' });
registerEnumType(AlertLevel, { name: 'AlertLevel', description: 'Warning level, as the warning rules set it: BLUE, YELLOW, ORANGE, RED (mildest first).' });
registerEnumType(AlertStatus, { name: 'AlertStatus', description: 'Alert lifecycle: OPEN, then ACKNOWLEDGED by the owner, then RESOLVED with the verification result.' });
registerEnumType(AlertPeriod, { name: 'AlertPeriod', description: 'The period a triggering value stands for: an hour or a (China Standard Time) day.' });
registerEnumType(VerificationResult, { name: 'VerificationResult', description: 'What the officer found on verifying an alert (核查结果).' });

@ObjectType({ description: 'One value that triggered an alert: a period mean, its unit and the threshold or limit it was compared with.' })
export class AlertValue {
  @Field(() => String, { nullable: true, description: 'HJ 212 parameter code; null for a value about the station as a whole (hours of missing data).' })
  parameter: string | null;

  @Field(() => DateTimeResolver, { description: 'Start of the period the value stands for.' })
  periodStart: Date;

  @Field(() => DecimalScalar, { nullable: true, description: 'The period mean (N-flag data only), or the count for a data gap.' })
  value: string | null;

  @Field(() => String, { nullable: true })
  unit: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'The threshold or limit the value was compared with.' })
  threshold: string | null;

  @Field(() => WaterClassCode, { nullable: true, description: 'The GB 3838-2002 class of the value (section-class alerts).' })
  waterClass: WaterClassCode | null;

  @Field(() => [String], { description: 'HJ 212 data flags seen in the period (data-gap and abnormal-flag alerts).' })
  flags: string[];
}

@ObjectType({ description: 'An early-warning alert (预警): raised by the warning rules from monitoring data, with its level, the triggering values and its lifecycle.' })
export class Alert {
  @Field(() => ID) id: string;
  @Field(() => AlertKind) kind: AlertKind;
  @Field(() => AlertLevel, { description: 'The highest level the episode reached (raised one step when escalated).' }) level: AlertLevel;
  @Field(() => AlertStatus) status: AlertStatus;
  @Field({ description: 'Code of the station the alert is about.' }) stationCode: string;
  @Field({ description: 'The district that owns the station.' }) ownerJurisdiction: string;
  @Field(() => [String], { description: 'Districts downstream that the alert reaches besides its owner (and ZONE).' }) reaches: string[];
  @Field({ description: 'The catalog resource the alert is shared under.' }) catalogResourceCode: string;
  @Field(() => String, { nullable: true }) parameter: string | null;
  @Field(() => AlertPeriod) period: AlertPeriod;
  @Field(() => DateTimeResolver, { description: 'First period the condition held in this episode.' }) firstPeriodStart: Date;
  @Field(() => DateTimeResolver, { description: 'Latest period the condition held in this episode.' }) lastPeriodStart: Date;
  @Field(() => [AlertValue], { description: 'The triggering values of the latest (or highest-level) period.' }) values: AlertValue[];
  @Field() message: string;
  @Field({ description: 'Version of the warning rules that raised it.' }) rulesVersion: string;
  @Field(() => DateTimeResolver) raisedAt: Date;
  @Field(() => DateTimeResolver) updatedAt: Date;
  @Field(() => DateTimeResolver, { nullable: true, description: 'Verification deadline (pollution-source alerts): raisedAt plus the province\'s hours for a key or other unit.' }) dueAt: Date | null;
  @Field(() => DateTimeResolver, { nullable: true, description: 'When the alert was escalated for being past its deadline.' }) escalatedAt: Date | null;
  @Field(() => DateTimeResolver, { nullable: true }) acknowledgedAt: Date | null;
  @Field(() => String, { nullable: true, description: 'Who acknowledged: the account (sub) and its jurisdiction.' }) acknowledgedBy: string | null;
  @Field(() => DateTimeResolver, { nullable: true }) resolvedAt: Date | null;
  @Field(() => String, { nullable: true }) resolvedBy: string | null;
  @Field(() => VerificationResult, { nullable: true }) verificationResult: VerificationResult | null;
  @Field(() => String, { nullable: true }) resolutionNote: string | null;
}

export const AlertConnection = connectionType(Alert, 'Alert');

@InputType({ description: 'Narrows an alert list; every field is optional.' })
export class AlertFilter {
  @Field(() => [AlertKind], { nullable: true }) kinds?: AlertKind[];
  @Field(() => [AlertLevel], { nullable: true }) levels?: AlertLevel[];
  @Field(() => [AlertStatus], { nullable: true }) statuses?: AlertStatus[];
  @Field(() => String, { nullable: true }) stationCode?: string;
  @Field(() => String, { nullable: true, description: 'Owner district.' }) jurisdiction?: string;
  @Field(() => DateTimeResolver, { nullable: true, description: 'Raised at or after.' }) raisedFrom?: Date;
  @Field(() => DateTimeResolver, { nullable: true, description: 'Raised at or before.' }) raisedTo?: Date;
  @Field(() => Boolean, { nullable: true, description: 'Only unresolved alerts past their verification deadline.' }) overdue?: boolean;
}

@InputType({ description: 'The officer\'s verification that closes an alert.' })
export class ResolveAlertInput {
  @Field(() => VerificationResult, { nullable: true, description: 'Required for pollution-source alerts.' }) result?: VerificationResult;
  @Field(() => String, { nullable: true, description: 'What was found and done (at most 2,000 characters).' }) note?: string;
}
