import { RecordType } from '../../auth/policy';
import { readModel, outputsFromFields, SOURCED_OUTPUTS } from '../../read/model';
import { enterpriseOf } from '../dossier/record-outputs';
import { ENTERPRISE_MODEL } from '../enterprise/enterprise.record';
import { COMPLAINT_FIELDS } from './complaint.inputs';

/** How the read engine reads Complaint records. */
export const COMPLAINT_MODEL = readModel({
  recordType: RecordType.COMPLAINT,
  typeName: 'Complaint',
  table: 'complaint',
  key: { field: 'ticketNo', column: 'ticket_no' },
  order: { columns: [{ column: 'received_at', kind: 'timestamptz' }, { column: 'ticket_no', kind: 'text' }], dir: 'DESC' },
  filters: { dateColumn: 'received_at', dateKind: 'timestamptz', statusColumn: 'status' },
  outputs: [
    ...SOURCED_OUTPUTS, ...outputsFromFields(COMPLAINT_FIELDS), enterpriseOf(() => ENTERPRISE_MODEL),
    {
      kind: 'object',
      name: 'complainant',
      fields: [
        { kind: 'masked', name: 'name', column: 'complainant_name', mask: 'complainant', as: 'name', report: 'Complaint.complainant' },
        { kind: 'masked', name: 'phone', column: 'complainant_phone', mask: 'complainant', as: 'phone', report: 'Complaint.complainant' },
        { kind: 'masked', name: 'idNumber', column: 'complainant_id_number', mask: 'complainant', as: 'id', report: 'Complaint.complainant' },
      ],
    },
  ],
});
