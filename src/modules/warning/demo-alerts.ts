import type { DataSource } from 'typeorm';
import { AlertService, EvaluationResult } from './alert.service';
import { loadWarningRules } from './load-rules';

/**
 * Runs the warning rules once over every observation already stored (the demo data set after
 * seeding, or a batch import), through the same service the ingest and the schedule use.
 */
export async function evaluateStoredData(ds: DataSource, service = new AlertService(ds, loadWarningRules())): Promise<EvaluationResult> {
  const [r]: Array<{ first: Date | null; last: Date | null }> = await ds.query(
    `SELECT min(f.t) AS first, max(l.t) AS last FROM monitoring_station s
     CROSS JOIN LATERAL (SELECT o.observed_at AS t FROM observation o WHERE o.station_id = s.id ORDER BY o.observed_at LIMIT 1) f
     CROSS JOIN LATERAL (SELECT o.observed_at AS t FROM observation o WHERE o.station_id = s.id ORDER BY o.observed_at DESC LIMIT 1) l`);
  if (!r?.first || !r.last) return { stations: 0, findings: 0, raised: 0, changed: 0 };
  const to = new Date(new Date(r.last).getTime() + 3_600_000);
  return service.evaluate(null, new Date(r.first), to, to);
}
