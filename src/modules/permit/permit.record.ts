import { RecordType } from '../../auth/policy';
import { PermitClass, PermitStatus } from '../../domain/codes';
import { defineRecord } from '../dossier/record-declaration';
import { inOrder, notAfterAsOf } from '../dossier/record-writer';
import { ENTERPRISE } from '../enterprise/enterprise.record';

/** A pollutant discharge permit (排污许可证). */
export const PERMIT = defineRecord({
  name: 'permit',
  recordType: RecordType.PERMIT,
  typeName: 'Permit',
  description: 'Pollutant discharge permit (排污许可证).',
  inputDescription: 'A pollutant discharge permit (排污许可证) as the issuing jurisdiction sends it, keyed by permit number.',
  table: 'permit',
  plural: 'permits',
  key: { field: 'permitNo', describedAs: 'permit number' },
  order: { by: ['issuedOn', 'permitNo'], dir: 'DESC' },
  filters: { date: 'issuedOn', dateLabel: 'Issue date', status: 'status' },
  belongsTo: () => ENTERPRISE,
  fields: [
    { name: 'permitNo', kind: 'text', column: 'permit_no', required: true, maxLength: 32, description: 'Permit number (许可证编号): the natural key.' },
    {
      name: 'managementClass', kind: 'enum', enum: PermitClass, column: 'management_class', required: true,
      description: 'Management class: key (重点), simplified (简化) or registration (登记).',
    },
    { name: 'issuedOn', kind: 'date', column: 'issued_on', required: true, description: 'Issue date.' },
    { name: 'validFrom', kind: 'date', column: 'valid_from', required: true, description: 'First day of validity.' },
    { name: 'validTo', kind: 'date', column: 'valid_to', required: true, description: 'Last day of validity; not before validFrom.' },
    { name: 'status', kind: 'enum', enum: PermitStatus, column: 'status', required: true, description: 'Permit status.' },
    {
      name: 'permittedPollutants', kind: 'textList', column: 'permitted_pollutants', maxLength: 16,
      pattern: { re: /^[a-z]\d{5}$/, hint: 'must be an HJ 212-2017 pollutant code such as w01018' },
      description: 'Permitted pollutants by HJ 212-2017 code (e.g. w01018 COD, a21026 SO2).',
    },
    { name: 'issuingAuthority', kind: 'text', column: 'issuing_authority', required: true, maxLength: 100, description: 'Issuing authority.' },
  ],
  check(v, add) {
    inOrder(v, add, 'validFrom', 'validTo');
    inOrder(v, add, 'issuedOn', 'validTo');
    notAfterAsOf(v, add, 'issuedOn');
  },
});
