import { RecordType } from '../../auth/policy';
import { EiaDecision, EiaDocumentType } from '../../domain/codes';
import { defineRecord } from '../dossier/record-declaration';
import { notAfterAsOf } from '../dossier/record-writer';
import { ENTERPRISE } from '../enterprise/enterprise.record';

/** An EIA approval (环评审批): the decision on a project's environmental impact assessment. */
export const EIA = defineRecord({
  name: 'eia',
  recordType: RecordType.EIA_APPROVAL,
  typeName: 'EiaApproval',
  description: 'EIA approval (环评审批): the decision on a project\'s environmental impact assessment.',
  inputDescription: 'An EIA approval (环评审批) as the approving jurisdiction sends it, keyed by approval number.',
  table: 'eia_approval',
  plural: 'eiaApprovals',
  key: { field: 'approvalNo', describedAs: 'approval document number' },
  order: { by: ['decisionDate', 'approvalNo'], dir: 'DESC' },
  filters: { date: 'decisionDate', dateLabel: 'Decision date', status: 'decision' },
  belongsTo: () => ENTERPRISE,
  fields: [
    { name: 'approvalNo', kind: 'text', column: 'approval_no', required: true, maxLength: 64, description: 'Approval document number (批复文号): the natural key.' },
    { name: 'projectName', kind: 'text', column: 'project_name', required: true, maxLength: 200, description: 'Project name.' },
    { name: 'documentType', kind: 'enum', enum: EiaDocumentType, column: 'document_type', required: true, description: 'Report, report form or registration form.' },
    { name: 'decision', kind: 'enum', enum: EiaDecision, column: 'decision', required: true, description: 'The decision; FILED exactly for registration forms.' },
    { name: 'decisionDate', kind: 'date', column: 'decision_date', required: true, description: 'Decision date.' },
    { name: 'approvingAuthority', kind: 'text', column: 'approving_authority', required: true, maxLength: 100, description: 'Approving authority.' },
  ],
  check(v, add) {
    notAfterAsOf(v, add, 'decisionDate');
    // Registration forms are filed (备案), never approved or rejected; reports and report forms are decided.
    const form = v.documentType === EiaDocumentType.REGISTRATION_FORM;
    if (v.documentType && v.decision && form !== (v.decision === EiaDecision.FILED)) {
      add('decision', form ? `must be FILED for a REGISTRATION_FORM, got ${v.decision}` : `FILED is only for a REGISTRATION_FORM, not a ${v.documentType}`);
    }
  },
});
