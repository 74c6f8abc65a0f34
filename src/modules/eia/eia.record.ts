import { RecordType } from '../../auth/policy';
import { readModel, outputsFromFields, SOURCED_OUTPUTS } from '../../read/model';
import { enterpriseOf } from '../dossier/record-outputs';
import { ENTERPRISE_MODEL } from '../enterprise/enterprise.record';
import { EIA_FIELDS } from './eia.inputs';

/** How the read engine reads EiaApproval records. */
export const EIA_MODEL = readModel({
  recordType: RecordType.EIA_APPROVAL,
  typeName: 'EiaApproval',
  table: 'eia_approval',
  key: { field: 'approvalNo', column: 'approval_no' },
  order: { columns: [{ column: 'decision_date', kind: 'date' }, { column: 'approval_no', kind: 'text' }], dir: 'DESC' },
  filters: { dateColumn: 'decision_date', dateKind: 'date', statusColumn: 'decision' },
  outputs: [...SOURCED_OUTPUTS, ...outputsFromFields(EIA_FIELDS), enterpriseOf(() => ENTERPRISE_MODEL)],
});
