import type { Logger } from '../../logger';
import { startPeriodicJob, type PeriodicJob } from '../../db/periodic-job';
import type { GenerationResult, ReminderService } from './reminder.service';

export type ReminderJob = PeriodicJob<GenerationResult>;

/**
 * The scheduled side of the reminder rules: every `intervalSeconds` the rules are applied on the
 * hub clock's day, new reminders filed and everything undelivered delivered. No lock between
 * instances: filing is idempotent (unique rule + subject + due date) and delivery takes the rows
 * it sends with SKIP LOCKED, so two instances neither duplicate nor double-deliver.
 */
export function startReminderJob(service: ReminderService, opts: { intervalSeconds: number; log: Logger; onSuccess?: (at: Date) => void }): ReminderJob {
  return startPeriodicJob(() => service.generate(), {
    name: 'compliance reminders', intervalSeconds: opts.intervalSeconds, log: opts.log, onSuccess: opts.onSuccess,
    report: (r) => (r.created > 0 || r.delivered > 0 ? 'compliance reminders: filed or delivered' : null),
  });
}
