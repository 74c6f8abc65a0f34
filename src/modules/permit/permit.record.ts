import { RecordType } from '../../auth/policy';
import { readModel, outputsFromFields, SOURCED_OUTPUTS } from '../../read/model';
import { enterpriseOf } from '../dossier/record-outputs';
import { ENTERPRISE_MODEL } from '../enterprise/enterprise.record';
import { PERMIT_FIELDS } from './permit.inputs';

/** How the read engine reads Permit records. */
export const PERMIT_MODEL = readModel({
  recordType: RecordType.PERMIT,
  typeName: 'Permit',
  table: 'permit',
  key: { field: 'permitNo', column: 'permit_no' },
  order: { columns: [{ column: 'issued_on', kind: 'date' }, { column: 'permit_no', kind: 'text' }], dir: 'DESC' },
  filters: { dateColumn: 'issued_on', dateKind: 'date', statusColumn: 'status' },
  outputs: [...SOURCED_OUTPUTS, ...outputsFromFields(PERMIT_FIELDS), enterpriseOf(() => ENTERPRISE_MODEL)],
});
