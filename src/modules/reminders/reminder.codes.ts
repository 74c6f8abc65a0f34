/** Code lists of the compliance reminders; registered as GraphQL enums in reminder.types.ts. */

/** What a reminder is about. */
export enum ReminderKind {
  /** A valid permit expires within the rule's days: apply for renewal (延续). */
  PERMIT_RENEWAL_DUE = 'PERMIT_RENEWAL_DUE',
  /** A permit expired and the firm holds no valid permit. */
  PERMIT_EXPIRED = 'PERMIT_EXPIRED',
  /** An execution report (执行报告) the permit requires is due within the rule's days. */
  EXECUTION_REPORT_DUE = 'EXECUTION_REPORT_DUE',
  /** An execution report's deadline passed without the report. */
  EXECUTION_REPORT_OVERDUE = 'EXECUTION_REPORT_OVERDUE',
  /** The yearly hazardous-waste management plan (危险废物管理计划) is due. */
  HAZARDOUS_WASTE_PLAN = 'HAZARDOUS_WASTE_PLAN',
  /** The yearly hazardous-waste declaration (危险废物申报) is due. */
  HAZARDOUS_WASTE_DECLARATION = 'HAZARDOUS_WASTE_DECLARATION',
  /** An outlet's automatic monitoring has sent nothing for longer than the rule's window. */
  SELF_MONITORING_MISSING = 'SELF_MONITORING_MISSING',
  /** A positive-list entry lapses within the rule's days. */
  POSITIVE_LIST_EXPIRING = 'POSITIVE_LIST_EXPIRING',
  /** A listed firm has an unresolved automatic-monitoring alert: its place on the list is at risk. */
  POSITIVE_LIST_AT_RISK = 'POSITIVE_LIST_AT_RISK',
}

/** Where a rule takes the due date of its reminders from. */
export enum DeadlineSource {
  /** The permit's last day of validity (`validTo`). */
  PERMIT_VALID_TO = 'PERMIT_VALID_TO',
  /** The permit's own execution-report schedule (`executionReports`: frequency, days after the period). */
  PERMIT_EXECUTION_REPORTS = 'PERMIT_EXECUTION_REPORTS',
  /** A fixed day of every year (`date`, MM-DD). */
  ANNUAL_DATE = 'ANNUAL_DATE',
  /** The station's newest observation plus `windowHours`. */
  LAST_OBSERVATION = 'LAST_OBSERVATION',
  /** The positive-list entry's `validUntil`. */
  POSITIVE_LIST_VALID_UNTIL = 'POSITIVE_LIST_VALID_UNTIL',
  /** An unresolved alert on the firm's outlet: its verification deadline, else the day it was raised. */
  OPEN_ALERT = 'OPEN_ALERT',
}

/** The deadline sources each kind may take its due dates from. */
export const SOURCES_OF_KIND: Readonly<Record<ReminderKind, readonly DeadlineSource[]>> = {
  [ReminderKind.PERMIT_RENEWAL_DUE]: [DeadlineSource.PERMIT_VALID_TO],
  [ReminderKind.PERMIT_EXPIRED]: [DeadlineSource.PERMIT_VALID_TO],
  [ReminderKind.EXECUTION_REPORT_DUE]: [DeadlineSource.PERMIT_EXECUTION_REPORTS],
  [ReminderKind.EXECUTION_REPORT_OVERDUE]: [DeadlineSource.PERMIT_EXECUTION_REPORTS],
  [ReminderKind.HAZARDOUS_WASTE_PLAN]: [DeadlineSource.ANNUAL_DATE],
  [ReminderKind.HAZARDOUS_WASTE_DECLARATION]: [DeadlineSource.ANNUAL_DATE],
  [ReminderKind.SELF_MONITORING_MISSING]: [DeadlineSource.LAST_OBSERVATION],
  [ReminderKind.POSITIVE_LIST_EXPIRING]: [DeadlineSource.POSITIVE_LIST_VALID_UNTIL],
  [ReminderKind.POSITIVE_LIST_AT_RISK]: [DeadlineSource.OPEN_ALERT],
};

/** Kinds that remind ahead of the due date, and so need `remindDaysBefore`. */
export const AHEAD_KINDS: readonly ReminderKind[] = [
  ReminderKind.PERMIT_RENEWAL_DUE, ReminderKind.EXECUTION_REPORT_DUE, ReminderKind.HAZARDOUS_WASTE_PLAN,
  ReminderKind.HAZARDOUS_WASTE_DECLARATION, ReminderKind.POSITIVE_LIST_EXPIRING,
];

/** Kinds that look back at deadlines already passed, and so need `lookbackDays`. */
export const BEHIND_KINDS: readonly ReminderKind[] = [ReminderKind.PERMIT_EXPIRED, ReminderKind.EXECUTION_REPORT_OVERDUE];

/** What a reminder is about: the record its subject key names. */
export enum ReminderSubject {
  PERMIT = 'PERMIT',
  ENTERPRISE = 'ENTERPRISE',
  STATION = 'STATION',
  POSITIVE_LIST_ENTRY = 'POSITIVE_LIST_ENTRY',
}

/** A reminder is OPEN until its addressee acknowledges it. */
export enum ReminderStatus {
  OPEN = 'OPEN',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
}

/** The steps of a reminder's history (append-only). */
export enum ReminderEvent {
  CREATED = 'CREATED',
  DELIVERED = 'DELIVERED',
  READ = 'READ',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
}
