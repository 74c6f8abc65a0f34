export { DeadlineSource, ReminderEvent, ReminderKind, ReminderStatus, ReminderSubject } from './reminder.codes';
export { ComplianceReminder, ReminderLogEntry } from './reminder.types';
export { ReminderResolver } from './reminder.resolver';
export { chinaDay, ReminderService, REMINDERS_CHANNEL } from './reminder.service';
export type { GenerationResult, ReminderObserver } from './reminder.service';
export { startReminderJob } from './reminder.job';
export type { ReminderJob } from './reminder.job';
export { bundledReminderRulesJson, loadReminderRules, parseReminderRules, reminderRulesFromFile, ReminderRulesError } from './reminder-rules';
export type { ReminderRules, ReminderRule } from './reminder-rules';
