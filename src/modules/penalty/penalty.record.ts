import { RecordType } from '../../auth/policy';
import { readModel, outputsFromFields, SOURCED_OUTPUTS } from '../../read/model';
import { enterpriseOf } from '../dossier/record-outputs';
import { ENTERPRISE_MODEL } from '../enterprise/enterprise.record';
import { PENALTY_FIELDS } from './penalty.inputs';

/** How the read engine reads Penalty records. */
export const PENALTY_MODEL = readModel({
  recordType: RecordType.PENALTY,
  typeName: 'Penalty',
  table: 'penalty',
  key: { field: 'decisionNo', column: 'decision_no' },
  order: { columns: [{ column: 'decision_date', kind: 'date' }, { column: 'decision_no', kind: 'text' }], dir: 'DESC' },
  filters: { dateColumn: 'decision_date', dateKind: 'date', statusColumn: 'status' },
  outputs: [...SOURCED_OUTPUTS, ...outputsFromFields(PENALTY_FIELDS), enterpriseOf(() => ENTERPRISE_MODEL)],
});
