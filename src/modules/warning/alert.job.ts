import type { Logger } from '../../logger';
import type { AlertService, EvaluationResult } from './alert.service';

export interface AlertJob {
  /** One pass now: the rules over the last `lookbackHours` of every station, then escalation. */
  runNow(): Promise<EvaluationResult & { escalated: number }>;
  stop(): Promise<void>;
  /** When the last pass finished without error (the metrics' last successful run). */
  lastSuccess(): Date | null;
}

/**
 * The scheduled side of the warning rules (issue 17): the class of a section per day and the
 * watched parameters per hour are judged again every `intervalSeconds` over the last
 * `lookbackHours`, so data that arrived by batch import, or a day that just ended, is seen even
 * when no packet triggered an evaluation; overdue alerts are escalated in the same pass. Passes
 * never overlap within an instance. No lock is taken between instances: a pass is idempotent (one
 * unresolved episode per condition, enforced by a unique index), so two instances agree.
 */
export function startAlertJob(service: AlertService, opts: { intervalSeconds: number; lookbackHours: number; log: Logger; onSuccess?: (at: Date) => void }): AlertJob {
  let current: Promise<EvaluationResult & { escalated: number }> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let last: Date | null = null;

  const runNow = async () => {
    while (current) await current.catch(() => undefined);
    const now = new Date();
    const p = (async () => {
      const r = await service.evaluate(null, new Date(now.getTime() - opts.lookbackHours * 3_600_000), now, now);
      const escalated = await service.escalateOverdue(now);
      return { ...r, escalated };
    })();
    current = p;
    try {
      const r = await p;
      last = new Date();
      opts.onSuccess?.(last);
      if (r.raised > 0 || r.escalated > 0) opts.log.info({ ...r }, 'warning rules: alerts raised or escalated');
      return r;
    } finally {
      current = null;
    }
  };

  const tick = () => {
    timer = null;
    runNow()
      .catch((err) => opts.log.error({ err }, 'warning rules: scheduled evaluation failed; retrying next interval'))
      .finally(() => {
        if (!stopped) {
          timer = setTimeout(tick, opts.intervalSeconds * 1000);
          timer.unref();
        }
      });
  };
  if (opts.intervalSeconds > 0) {
    timer = setTimeout(tick, 0);
    timer.unref();
  }
  return {
    runNow,
    lastSuccess: () => last,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      if (current) await current.catch(() => undefined);
    },
  };
}
