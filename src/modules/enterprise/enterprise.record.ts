import { RecordType } from '../../auth/policy';
import { outputsFromFields, readModel, SOURCED_OUTPUTS } from '../../read/model';
import { COMPLAINT_MODEL } from '../complaint/complaint.record';
import { CREDIT_MODEL } from '../credit/credit.record';
import { recordsOfEnterprise } from '../dossier/record-outputs';
import { EIA_MODEL } from '../eia/eia.record';
import { INSPECTION_MODEL } from '../inspection/inspection.record';
import { PENALTY_MODEL } from '../penalty/penalty.record';
import { PERMIT_MODEL } from '../permit/permit.record';
import { ENTERPRISE_FIELDS } from './enterprise.inputs';

/** How the read engine reads enterprises: the dossier's root, with its six record lists and credit status. */
export const ENTERPRISE_MODEL = readModel({
  recordType: RecordType.ENTERPRISE,
  typeName: 'Enterprise',
  table: 'enterprise',
  key: { field: 'uscc', column: 'uscc' },
  order: { columns: [{ column: 'uscc', kind: 'text' }], dir: 'ASC' },
  filters: {},
  outputs: [
    ...SOURCED_OUTPUTS,
    ...outputsFromFields(ENTERPRISE_FIELDS),
    { kind: 'column', name: 'jurisdiction', column: 'owner_jurisdiction', value: 'jurisdiction' },
    {
      kind: 'object',
      name: 'legalRepresentative',
      fields: [
        { kind: 'column', name: 'name', column: 'legal_rep_name', value: 'text' },
        { kind: 'masked', name: 'idNumber', column: 'legal_rep_id_number', mask: 'legalRepresentativeId', as: 'id', report: 'Enterprise.legalRepresentative.idNumber' },
      ],
    },
    recordsOfEnterprise('eiaApprovals', () => EIA_MODEL),
    recordsOfEnterprise('permits', () => PERMIT_MODEL),
    recordsOfEnterprise('inspections', () => INSPECTION_MODEL),
    recordsOfEnterprise('penalties', () => PENALTY_MODEL),
    recordsOfEnterprise('complaints', () => COMPLAINT_MODEL),
    recordsOfEnterprise('creditRecords', () => CREDIT_MODEL),
    { kind: 'computed', name: 'creditStatus', computed: 'creditStatus' },
  ],
});
