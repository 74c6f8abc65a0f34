import { RecordType } from '../../auth/policy';
import { readModel, outputsFromFields, SOURCED_OUTPUTS } from '../../read/model';
import { enterpriseOf } from '../dossier/record-outputs';
import { ENTERPRISE_MODEL } from '../enterprise/enterprise.record';
import { CREDIT_FIELDS } from './credit.inputs';

/** How the read engine reads CreditRecord records. */
export const CREDIT_MODEL = readModel({
  recordType: RecordType.CREDIT_RECORD,
  typeName: 'CreditRecord',
  table: 'credit_record',
  key: { field: 'recordNo', column: 'record_no' },
  order: { columns: [{ column: 'effective_on', kind: 'date' }, { column: 'record_no', kind: 'text' }], dir: 'DESC' },
  filters: { dateColumn: 'effective_on', dateKind: 'date', statusColumn: 'kind' },
  outputs: [...SOURCED_OUTPUTS, ...outputsFromFields(CREDIT_FIELDS), enterpriseOf(() => ENTERPRISE_MODEL)],
});
