import { RecordType } from '../../auth/policy';
import { ComplaintChannel, ComplaintStatus, EnvironmentalElement } from '../../domain/codes';
import { DISTRICTS, Jurisdiction } from '../../domain/jurisdictions';
import { defineRecord } from '../dossier/record-declaration';
import { inOrder, notAfterAsOf } from '../dossier/record-writer';
import { ENTERPRISE } from '../enterprise/enterprise.record';

/** A complaint or petition (信访举报) about an enterprise; who complained is personal data. */
export const COMPLAINT = defineRecord({
  name: 'complaint',
  recordType: RecordType.COMPLAINT,
  typeName: 'Complaint',
  description: 'Complaint or petition (信访举报) about an enterprise.',
  inputDescription: 'A complaint or petition (信访举报) as the receiving jurisdiction sends it, keyed by ticket number.',
  table: 'complaint',
  plural: 'complaints',
  key: { field: 'ticketNo', describedAs: 'ticket number' },
  order: { by: ['receivedAt', 'ticketNo'], dir: 'DESC' },
  filters: { date: 'receivedAt', dateLabel: 'Date received', status: 'status' },
  belongsTo: () => ENTERPRISE,
  fields: [
    { name: 'ticketNo', kind: 'text', column: 'ticket_no', required: true, maxLength: 40, description: 'Ticket number: the natural key.' },
    { name: 'receivedAt', kind: 'datetime', column: 'received_at', required: true, description: 'When the complaint came in.' },
    { name: 'channel', kind: 'enum', enum: ComplaintChannel, column: 'channel', required: true, description: 'Channel it came in by.' },
    { name: 'element', kind: 'enum', enum: EnvironmentalElement, column: 'element', required: true, description: 'Environmental element concerned.' },
    { name: 'content', kind: 'text', column: 'content', required: true, maxLength: 5000, description: 'What the complainant reported.' },
    {
      name: 'handlingJurisdiction', kind: 'enum', enum: Jurisdiction, allowed: DISTRICTS, column: 'handling_jurisdiction', required: true,
      description: 'District handling the complaint.',
    },
    { name: 'status', kind: 'enum', enum: ComplaintStatus, column: 'status', required: true, description: 'Handling status; CLOSED exactly when closedAt is set.' },
    { name: 'reply', kind: 'text', column: 'reply', maxLength: 5000, description: 'Reply to the complainant; required once REPLIED or CLOSED.' },
    { name: 'closedAt', kind: 'datetime', column: 'closed_at', description: 'When the complaint was closed; not before receivedAt.' },
    {
      object: 'complainant',
      description: 'Filled by the policy after loading; masked unless the caller handles the complaint.',
      typeName: 'Complainant',
      typeDescription: 'The person who complained; personal data, masked by the sharing policy.',
      reportWhole: true,
      members: [
        {
          as: 'name', name: 'complainantName', kind: 'text', column: 'complainant_name', maxLength: 64, mask: { rule: 'complainant', as: 'name' },
          description: 'Complainant\'s name (personal data).',
        },
        {
          as: 'phone', name: 'complainantPhone', kind: 'text', column: 'complainant_phone', maxLength: 32, mask: { rule: 'complainant', as: 'phone' },
          pattern: { re: /^[0-9+\-() ]+$/, hint: 'must be digits, spaces and + - ( ) only' }, description: 'Complainant\'s phone (personal data).',
        },
        {
          as: 'idNumber', name: 'complainantIdNumber', kind: 'text', column: 'complainant_id_number', maxLength: 32, mask: { rule: 'complainant', as: 'id' },
          pattern: { re: /^[0-9A-Za-z]+$/, hint: 'must be letters and digits only' }, description: 'Complainant\'s ID number (personal data).',
        },
      ],
    },
  ],
  check(v, add) {
    inOrder(v, add, 'receivedAt', 'closedAt');
    notAfterAsOf(v, add, 'receivedAt');
    notAfterAsOf(v, add, 'closedAt');
    if (v.status === ComplaintStatus.CLOSED && v.closedAt === null) add('closedAt', 'is required when the status is CLOSED');
    if (v.status && v.status !== ComplaintStatus.CLOSED && typeof v.closedAt === 'string') add('closedAt', `must be empty while the status is ${v.status}`);
    if ((v.status === ComplaintStatus.REPLIED || v.status === ComplaintStatus.CLOSED) && v.reply === null) add('reply', `is required when the status is ${v.status}`);
  },
});
