import { DateResolver, DateTimeResolver, JSONObjectResolver } from 'graphql-scalars';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { connectionType } from '../../graphql/pagination';
import { UsccScalar } from '../../graphql/scalars';
import { ReminderEvent, ReminderKind, ReminderStatus, ReminderSubject } from './reminder.codes';

registerEnumType(ReminderKind, { name: 'ReminderKind', description: 'What a compliance reminder is about: permit renewal or expiry, execution reports due or overdue, the hazardous-waste plan and declaration, missing self-monitoring data, a positive-list entry lapsing or at risk.' });
registerEnumType(ReminderStatus, { name: 'ReminderStatus', description: 'OPEN until the addressee acknowledges it, then ACKNOWLEDGED.' });
registerEnumType(ReminderSubject, { name: 'ReminderSubject', description: 'The kind of record a reminder\'s subjectKey names.' });
registerEnumType(ReminderEvent, { name: 'ReminderEvent', description: 'A step of a reminder\'s history: CREATED, DELIVERED, READ, ACKNOWLEDGED.' });

@ObjectType({ description: 'One step of a compliance reminder\'s history (append-only).' })
export class ReminderLogEntry {
  @Field(() => ReminderEvent) event: ReminderEvent;
  @Field(() => DateTimeResolver) at: Date;
  @Field({ description: 'Who: "system" for creation and delivery, else the account (sub) and its jurisdiction.' }) actor: string;
  @Field(() => String, { nullable: true, description: 'DELIVERED: the channel it was sent on (eco_hub_reminders).' }) channel: string | null;
  @Field(() => String, { nullable: true, description: 'ACKNOWLEDGED: the addressee\'s note.' }) note: string | null;
}

@ObjectType({ description: 'A compliance reminder (合规提醒) to a firm\'s regulator, generated from the dossier by the reminder rules, with its history.' })
export class ComplianceReminder {
  @Field(() => ID) id: string;
  @Field(() => ReminderKind) kind: ReminderKind;
  @Field({ description: 'The rule of the reminder rules file that filed it.' }) ruleId: string;
  @Field(() => ReminderSubject) subjectType: ReminderSubject;
  @Field({ description: 'The subject: a permit number (with ":FREQUENCY" for an execution report), a USCC, a station code or a positive-list entry number.' }) subjectKey: string;
  @Field(() => String, { nullable: true }) uscc: string | null;
  @Field(() => String, { nullable: true }) enterpriseName: string | null;
  @Field({ description: 'The district the reminder is addressed to: the enterprise\'s regulator.' }) ownerJurisdiction: string;
  @Field({ description: 'The catalog resource the reminder is shared under.' }) catalogResourceCode: string;
  @Field(() => DateResolver, { description: 'The due date: the deadline the reminder is about.' }) dueOn: string;
  @Field() message: string;
  @Field(() => JSONObjectResolver, { description: 'The figures behind the reminder (permit dates, report period, last observation, alert…).' }) details: Record<string, unknown>;
  @Field({ description: 'Version of the reminder rules that filed it.' }) rulesVersion: string;
  @Field(() => ReminderStatus) status: ReminderStatus;
  @Field(() => DateTimeResolver) createdAt: Date;
  @Field(() => DateTimeResolver, { nullable: true, description: 'When a delivery channel sent it (published on eco_hub_reminders).' }) deliveredAt: Date | null;
  @Field(() => DateTimeResolver, { nullable: true, description: 'When the addressee first marked it read.' }) readAt: Date | null;
  @Field(() => String, { nullable: true }) readBy: string | null;
  @Field(() => DateTimeResolver, { nullable: true }) acknowledgedAt: Date | null;
  @Field(() => String, { nullable: true }) acknowledgedBy: string | null;
  @Field(() => String, { nullable: true }) acknowledgementNote: string | null;
  @Field(() => [ReminderLogEntry], { description: 'Created, delivered, read, acknowledged: every step, oldest first.' }) history: ReminderLogEntry[];
}

export const ComplianceReminderConnection = connectionType(ComplianceReminder, 'ComplianceReminder');

@InputType({ description: 'Narrows a reminder list; every field is optional.' })
export class ReminderFilter {
  @Field(() => [ReminderKind], { nullable: true }) kinds?: ReminderKind[];
  @Field(() => [ReminderStatus], { nullable: true }) statuses?: ReminderStatus[];
  @Field(() => String, { nullable: true, description: 'Addressed district (owner).' }) jurisdiction?: string;
  @Field(() => UsccScalar, { nullable: true }) uscc?: string;
  @Field(() => String, { nullable: true, description: 'A permit number (with :FREQUENCY), USCC, station code or entry number.' }) subjectKey?: string;
  @Field(() => String, { nullable: true, description: 'Due on or after (YYYY-MM-DD).' }) dueFrom?: string;
  @Field(() => String, { nullable: true, description: 'Due on or before (YYYY-MM-DD).' }) dueTo?: string;
  @Field(() => Boolean, { nullable: true, description: 'true: not read yet; false: read.' }) unread?: boolean;
}
