import type { Logger } from '../../logger';
import { startPeriodicJob, type PeriodicJob } from '../../db/periodic-job';
import type { AlertService, EvaluationResult } from './alert.service';

/** One pass: the rules over the last `lookbackHours` of every station, then escalation. */
export type AlertJob = PeriodicJob<EvaluationResult & { escalated: number }>;

/**
 * The scheduled side of the warning rules (issue 17): the class of a section per day and the
 * watched parameters per hour are judged again every `intervalSeconds` over the last
 * `lookbackHours`, so data that arrived by batch import, or a day that just ended, is seen even
 * when no packet triggered an evaluation; overdue alerts are escalated in the same pass. No lock is
 * taken between instances: a pass is idempotent (one unresolved episode per condition, enforced by
 * a unique index), so two instances agree.
 */
export function startAlertJob(service: AlertService, opts: { intervalSeconds: number; lookbackHours: number; log: Logger; onSuccess?: (at: Date) => void }): AlertJob {
  return startPeriodicJob(async () => {
    const now = new Date();
    const r = await service.evaluate(null, new Date(now.getTime() - opts.lookbackHours * 3_600_000), now, now);
    const escalated = await service.escalateOverdue(now);
    return { ...r, escalated };
  }, {
    name: 'warning rules', intervalSeconds: opts.intervalSeconds, log: opts.log, onSuccess: opts.onSuccess,
    report: (r) => (r.raised > 0 || r.escalated > 0 ? 'warning rules: alerts raised or escalated' : null),
  });
}
