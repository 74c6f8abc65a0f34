import { RecordType } from '../../auth/policy';
import { EiaDecision, EiaDocumentType } from '../../domain/codes';
import { FieldDef, InputProblem, recordInputType } from '../dossier/record-fields';
import { checkRecordInput, ENTERPRISE_REF_FIELD, notAfterAsOf, SOURCE_FIELDS, WriteSpec } from '../dossier/record-writer';

export const EIA_FIELDS: readonly FieldDef[] = [
  { name: 'approvalNo', kind: 'text', column: 'approval_no', required: true, maxLength: 64, description: 'Approval document number (批复文号): the natural key.' },
  ENTERPRISE_REF_FIELD,
  { name: 'projectName', kind: 'text', column: 'project_name', required: true, maxLength: 200, description: 'Project name.' },
  { name: 'documentType', kind: 'enum', enum: EiaDocumentType, column: 'document_type', required: true, description: 'Report, report form or registration form.' },
  { name: 'decision', kind: 'enum', enum: EiaDecision, column: 'decision', required: true, description: 'The decision; FILED exactly for registration forms.' },
  { name: 'decisionDate', kind: 'date', column: 'decision_date', required: true, description: 'Decision date.' },
  { name: 'approvingAuthority', kind: 'text', column: 'approving_authority', required: true, maxLength: 100, description: 'Approving authority.' },
  ...SOURCE_FIELDS,
];

/** How an EIA approval is written: natural key, fields, the rules across them, where its owner comes from. */
export const EIA_WRITE: WriteSpec = {
  name: 'eia',
  recordType: RecordType.EIA_APPROVAL,
  typeName: 'EiaApproval',
  inputName: 'EiaApprovalInput',
  table: 'eia_approval',
  key: 'approvalNo',
  fields: EIA_FIELDS,
  owner: 'enterprise',
  check(v, add) {
    notAfterAsOf(v, add, 'decisionDate');
    // Registration forms are filed (备案), never approved or rejected; reports and report forms are decided.
    const form = v.documentType === EiaDocumentType.REGISTRATION_FORM;
    if (v.documentType && v.decision && form !== (v.decision === EiaDecision.FILED)) {
      add('decision', form ? `must be FILED for a REGISTRATION_FORM, got ${v.decision}` : `FILED is only for a REGISTRATION_FORM, not a ${v.documentType}`);
    }
  },
};

/** The GraphQL input of upsert mutations for an EIA approval, built from its fields. */
export const EiaApprovalInput = recordInputType('EiaApprovalInput', 'An EIA approval (环评审批) as the approving jurisdiction sends it, keyed by approval number.', EIA_FIELDS);

/** Every problem of an EIA approval input that can be found without the database, each under `path`. */
export function validateEiaApprovalInput(input: unknown, path = 'input'): InputProblem[] {
  return checkRecordInput(EIA_WRITE, input, path).problems;
}
