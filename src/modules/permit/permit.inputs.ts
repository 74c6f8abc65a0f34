import { RecordType } from '../../auth/policy';
import { PermitClass, PermitStatus } from '../../domain/codes';
import { FieldDef, InputProblem, recordInputType } from '../dossier/record-fields';
import { checkRecordInput, ENTERPRISE_REF_FIELD, inOrder, notAfterAsOf, SOURCE_FIELDS, WriteSpec } from '../dossier/record-writer';

export const PERMIT_FIELDS: readonly FieldDef[] = [
  { name: 'permitNo', kind: 'text', column: 'permit_no', required: true, maxLength: 32, description: 'Permit number (许可证编号): the natural key.' },
  ENTERPRISE_REF_FIELD,
  { name: 'managementClass', kind: 'enum', enum: PermitClass, column: 'management_class', required: true, description: 'Key, simplified or registration management.' },
  { name: 'issuedOn', kind: 'date', column: 'issued_on', required: true, description: 'Issue date.' },
  { name: 'validFrom', kind: 'date', column: 'valid_from', required: true, description: 'First day of validity.' },
  { name: 'validTo', kind: 'date', column: 'valid_to', required: true, description: 'Last day of validity; not before validFrom.' },
  { name: 'status', kind: 'enum', enum: PermitStatus, column: 'status', required: true, description: 'Permit status.' },
  {
    name: 'permittedPollutants', kind: 'textList', column: 'permitted_pollutants', maxLength: 16,
    pattern: { re: /^[a-z]\d{5}$/, hint: 'must be an HJ 212-2017 pollutant code such as w01018' }, description: 'Permitted pollutants by HJ 212-2017 code.',
  },
  { name: 'issuingAuthority', kind: 'text', column: 'issuing_authority', required: true, maxLength: 100, description: 'Issuing authority.' },
  ...SOURCE_FIELDS,
];

/** How a permit is written: natural key, fields, the rules across them, where its owner comes from. */
export const PERMIT_WRITE: WriteSpec = {
  name: 'permit',
  recordType: RecordType.PERMIT,
  typeName: 'Permit',
  inputName: 'PermitInput',
  table: 'permit',
  key: 'permitNo',
  fields: PERMIT_FIELDS,
  owner: 'enterprise',
  check(v, add) {
    inOrder(v, add, 'validFrom', 'validTo');
    inOrder(v, add, 'issuedOn', 'validTo');
    notAfterAsOf(v, add, 'issuedOn');
  },
};

/** The GraphQL input of upsert mutations for a permit, built from its fields. */
export const PermitInput = recordInputType('PermitInput', 'A pollutant discharge permit (排污许可证) as the issuing jurisdiction sends it, keyed by permit number.', PERMIT_FIELDS);

/** Every problem of a permit input that can be found without the database, each under `path`. */
export function validatePermitInput(input: unknown, path = 'input'): InputProblem[] {
  return checkRecordInput(PERMIT_WRITE, input, path).problems;
}
