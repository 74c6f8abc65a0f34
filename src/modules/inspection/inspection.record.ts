import { RecordType } from '../../auth/policy';
import { readModel, outputsFromFields, SOURCED_OUTPUTS } from '../../read/model';
import { enterpriseOf } from '../dossier/record-outputs';
import { ENTERPRISE_MODEL } from '../enterprise/enterprise.record';
import { INSPECTION_FIELDS } from './inspection.inputs';

/** How the read engine reads Inspection records. */
export const INSPECTION_MODEL = readModel({
  recordType: RecordType.INSPECTION,
  typeName: 'Inspection',
  table: 'inspection',
  key: { field: 'inspectionNo', column: 'inspection_no' },
  order: { columns: [{ column: 'inspected_on', kind: 'date' }, { column: 'inspection_no', kind: 'text' }], dir: 'DESC' },
  filters: { dateColumn: 'inspected_on', dateKind: 'date', statusColumn: 'status' },
  outputs: [
    ...SOURCED_OUTPUTS, ...outputsFromFields(INSPECTION_FIELDS), enterpriseOf(() => ENTERPRISE_MODEL),
    { kind: 'masked', name: 'findings', column: 'findings', mask: 'findings', as: 'withheld', report: 'Inspection.findings' },
  ],
});
