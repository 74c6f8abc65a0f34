import type { Compiler, FieldSql, LevelRef } from '../../read/compile';
import { OPEN_FLAG_STATUSES } from './objection.model';

/**
 * `underObjection` as the read engine computes it: an EXISTS over the open, accepted objections to
 * the row's record (by type and natural key), in the JSON of the record's own statement. The
 * partial index `ix_data_objection_open` answers it; no statement is added per request.
 */
export function compileUnderObjection(c: Compiler, parent: LevelRef): FieldSql {
  const m = parent.model;
  const statuses = OPEN_FLAG_STATUSES.map((s) => `'${s}'`).join(', ');
  return {
    expr: `EXISTS (SELECT 1 FROM data_objection o WHERE o.record_type = '${m.recordType}' AND o.record_key = r.${m.key.column}::text AND o.status IN (${statuses}))`,
    joins: [],
  };
}
