import { RecordType } from '../../auth/policy';
import { ComplaintChannel, ComplaintStatus, EnvironmentalElement } from '../../domain/codes';
import { DISTRICTS, Jurisdiction } from '../../domain/jurisdictions';
import { FieldDef, InputProblem, recordInputType } from '../dossier/record-fields';
import { checkRecordInput, ENTERPRISE_REF_FIELD, inOrder, notAfterAsOf, SOURCE_FIELDS, WriteSpec } from '../dossier/record-writer';

export const COMPLAINT_FIELDS: readonly FieldDef[] = [
  { name: 'ticketNo', kind: 'text', column: 'ticket_no', required: true, maxLength: 40, description: 'Ticket number: the natural key.' },
  ENTERPRISE_REF_FIELD,
  { name: 'receivedAt', kind: 'datetime', column: 'received_at', required: true, description: 'When the complaint came in.' },
  { name: 'channel', kind: 'enum', enum: ComplaintChannel, column: 'channel', required: true, description: 'Channel it came in by.' },
  { name: 'element', kind: 'enum', enum: EnvironmentalElement, column: 'element', required: true, description: 'Environmental element concerned.' },
  { name: 'content', kind: 'text', column: 'content', required: true, maxLength: 5000, description: 'What the complainant reported.' },
  { name: 'handlingJurisdiction', kind: 'enum', enum: Jurisdiction, allowed: DISTRICTS, column: 'handling_jurisdiction', required: true, description: 'District handling the complaint.' },
  { name: 'status', kind: 'enum', enum: ComplaintStatus, column: 'status', required: true, description: 'Handling status; CLOSED exactly when closedAt is set.' },
  { name: 'reply', kind: 'text', column: 'reply', maxLength: 5000, description: 'Reply to the complainant; required once REPLIED or CLOSED.' },
  { name: 'closedAt', kind: 'datetime', column: 'closed_at', description: 'When the complaint was closed; not before receivedAt.' },
  { name: 'complainantName', kind: 'text', column: 'complainant_name', maxLength: 64, personal: true, description: 'Complainant\'s name (personal data).' },
  {
    name: 'complainantPhone', kind: 'text', column: 'complainant_phone', maxLength: 32, personal: true,
    pattern: { re: /^[0-9+\-() ]+$/, hint: 'must be digits, spaces and + - ( ) only' }, description: 'Complainant\'s phone (personal data).',
  },
  {
    name: 'complainantIdNumber', kind: 'text', column: 'complainant_id_number', maxLength: 32, personal: true,
    pattern: { re: /^[0-9A-Za-z]+$/, hint: 'must be letters and digits only' }, description: 'Complainant\'s ID number (personal data).',
  },
  ...SOURCE_FIELDS,
];

/** How a complaint is written: natural key, fields, the rules across them, where its owner comes from. */
export const COMPLAINT_WRITE: WriteSpec = {
  name: 'complaint',
  recordType: RecordType.COMPLAINT,
  typeName: 'Complaint',
  inputName: 'ComplaintInput',
  table: 'complaint',
  key: 'ticketNo',
  fields: COMPLAINT_FIELDS,
  owner: 'enterprise',
  check(v, add) {
    inOrder(v, add, 'receivedAt', 'closedAt');
    notAfterAsOf(v, add, 'receivedAt');
    notAfterAsOf(v, add, 'closedAt');
    if (v.status === ComplaintStatus.CLOSED && v.closedAt === null) add('closedAt', 'is required when the status is CLOSED');
    if (v.status && v.status !== ComplaintStatus.CLOSED && typeof v.closedAt === 'string') add('closedAt', `must be empty while the status is ${v.status}`);
    if ((v.status === ComplaintStatus.REPLIED || v.status === ComplaintStatus.CLOSED) && v.reply === null) add('reply', `is required when the status is ${v.status}`);
  },
};

/** The GraphQL input of upsert mutations for a complaint, built from its fields. */
export const ComplaintInput = recordInputType('ComplaintInput', 'A complaint or petition (信访举报) as the receiving jurisdiction sends it, keyed by ticket number.', COMPLAINT_FIELDS);

/** Every problem of a complaint input that can be found without the database, each under `path`. */
export function validateComplaintInput(input: unknown, path = 'input'): InputProblem[] {
  return checkRecordInput(COMPLAINT_WRITE, input, path).problems;
}
