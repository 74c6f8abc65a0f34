import { RecordType } from '../../auth/policy';
import { ExecutionReportFrequency, PermitClass, PermitStatus } from '../../domain/codes';
import { defineRecord } from '../dossier/record-declaration';
import type { ItemShape } from '../dossier/record-fields';
import { inOrder, notAfterAsOf } from '../dossier/record-writer';
import { ENTERPRISE } from '../enterprise/enterprise.record';

/** One execution report a permit requires: how often, and by how many days after the period's end it is due. */
const EXECUTION_REPORT: ItemShape = {
  noun: 'an execution report',
  fields: [
    { name: 'frequency', kind: 'enum', enum: ExecutionReportFrequency, required: true, description: 'How often the report is due: ANNUAL, QUARTERLY or MONTHLY.' },
    { name: 'dueDaysAfterPeriodEnd', kind: 'int', min: 1, max: 366, required: true, description: 'Days after the last day of the reporting period by which the report is due, as the permit states it.' },
    { name: 'reportedThrough', kind: 'date', description: 'Last day of the latest period a report of this frequency was submitted for (null: none known to the hub).' },
  ],
  input: { name: 'ExecutionReportScheduleInput', description: 'One execution report the permit requires (frequency, submission deadline, and how far reports were submitted).' },
  output: { name: 'ExecutionReportSchedule', description: 'One execution report the permit requires: its frequency and the days after the period\'s end by which it is due.' },
};

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
    {
      name: 'executionReports', kind: 'objectList', items: EXECUTION_REPORT, column: 'execution_reports',
      description: 'The execution reports (执行报告) the permit requires, each with its deadline; the compliance reminders read their deadlines from here.',
    },
  ],
  check(v, add) {
    inOrder(v, add, 'validFrom', 'validTo');
    inOrder(v, add, 'issuedOn', 'validTo');
    notAfterAsOf(v, add, 'issuedOn');
    const reports = v.executionReports as Array<{ frequency: string }> | undefined;
    reports?.forEach((r, i) => {
      if (reports.findIndex((x) => x.frequency === r.frequency) !== i) add(`executionReports.${i}.frequency`, `${r.frequency} is listed twice; a permit states each frequency once`);
    });
  },
});
