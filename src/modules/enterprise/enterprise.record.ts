import { RecordType } from '../../auth/policy';
import { RegistrationStatus } from '../../domain/codes';
import { District, DISTRICTS, Jurisdiction } from '../../domain/jurisdictions';
import { checkUscc } from '../../domain/uscc';
import { COMPLAINT } from '../complaint/complaint.record';
import { CreditStatus } from '../credit/credit-status';
import { CREDIT } from '../credit/credit.record';
import { connection, defineRecord } from '../dossier/record-declaration';
import type { AddProblem, Values } from '../dossier/record-fields';
import { notAfterAsOf } from '../dossier/record-writer';
import { EIA } from '../eia/eia.record';
import { INSPECTION } from '../inspection/inspection.record';
import { PENALTY } from '../penalty/penalty.record';
import { PERMIT } from '../permit/permit.record';

/**
 * The owner of an enterprise: the district its USCC's division code names; otherwise the given
 * `jurisdiction` (or the import's district). A given district that contradicts the code is wrong.
 */
function enterpriseOwner(v: Values, add: AddProblem, fallback?: District): District | undefined {
  if (typeof v.uscc !== 'string') return undefined;
  const division = v.uscc.slice(2, 8);
  const inferred = checkUscc(v.uscc).jurisdiction;
  const given = (v.jurisdiction as District | null | undefined) ?? undefined;
  if (inferred && given && given !== inferred) {
    add('jurisdiction', `must agree with the USCC, whose division code ${division} is ${inferred}'s; got ${given}`);
    return undefined;
  }
  const owner = inferred ?? given ?? fallback;
  if (!owner && v.jurisdiction !== undefined) {
    add('jurisdiction', `is required: the USCC's division code ${division} is none of ${DISTRICTS.join(', ')}'s`);
  }
  return owner;
}

/** An enterprise (企业), keyed by USCC: the dossier's root, with its six record lists and its credit status. */
export const ENTERPRISE = defineRecord({
  name: 'enterprise',
  recordType: RecordType.ENTERPRISE,
  typeName: 'Enterprise',
  description: 'An enterprise (企业), keyed by its Unified Social Credit Code.',
  inputDescription: 'An enterprise as its registering jurisdiction sends it, keyed by USCC.',
  directives: ['@key(fields: "uscc")'],
  table: 'enterprise',
  plural: 'enterprises',
  key: { field: 'uscc', describedAs: 'USCC' },
  order: { by: ['uscc'], dir: 'ASC' },
  owner: enterpriseOwner,
  fields: [
    { name: 'uscc', kind: 'uscc', column: 'uscc', required: true, description: 'Unified Social Credit Code: the natural key.' },
    { name: 'name', kind: 'text', column: 'name', required: true, maxLength: 200, description: 'Registered name.' },
    {
      name: 'industryCode', kind: 'text', column: 'industry_code', required: true, maxLength: 8,
      pattern: { re: /^[A-T]\d{2,4}$/, hint: 'must be a GB/T 4754-2017 code such as C1713' }, description: 'Industry code, GB/T 4754-2017 (e.g. C1713 dyeing of cotton).',
    },
    { name: 'industryName', kind: 'text', column: 'industry_name', maxLength: 100, description: 'Industry name.' },
    { name: 'address', kind: 'text', column: 'address', required: true, maxLength: 300, description: 'Registered address.' },
    { name: 'registrationStatus', kind: 'enum', enum: RegistrationStatus, column: 'registration_status', required: true, description: 'Business registration status.' },
    { name: 'establishedOn', kind: 'date', column: 'established_on', description: 'Date of establishment.' },
    {
      object: 'legalRepresentative',
      description: 'Filled by the policy after loading; null when not visible.',
      typeName: 'LegalRepresentative',
      typeDescription: 'Legal representative (法定代表人); personal data, masked by the sharing policy.',
      members: [
        { as: 'name', name: 'legalRepName', kind: 'text', column: 'legal_rep_name', maxLength: 64, description: 'Legal representative\'s name (personal data).' },
        {
          as: 'idNumber', name: 'legalRepIdNumber', kind: 'text', column: 'legal_rep_id_number', maxLength: 32, mask: { rule: 'legalRepresentativeId', as: 'id' },
          pattern: { re: /^[0-9A-Za-z]+$/, hint: 'must be letters and digits only' }, description: 'Legal representative\'s ID number (personal data, masked outside the owner district).',
        },
      ],
    },
    // Sent: checked against the USCC (enterpriseOwner). Read: the owner district it decided.
    {
      name: 'jurisdiction', kind: 'enum', enum: Jurisdiction, allowed: DISTRICTS, only: 'input',
      description: 'Owner district. Needed only when the USCC\'s division code (positions 3-8) is not one of the three districts\'; when it is, this must agree.',
    },
    {
      name: 'jurisdiction', kind: 'enum', enum: Jurisdiction, column: 'owner_jurisdiction', only: 'output', nullable: false,
      description: 'The district the enterprise is registered in (its owner jurisdiction).',
    },
  ],
  computed: [
    connection('eiaApprovals', () => EIA, 'EIA approvals, newest first.'),
    connection('permits', () => PERMIT, 'Discharge permits, newest first.'),
    connection('inspections', () => INSPECTION, 'Inspections, newest first.'),
    connection('penalties', () => PENALTY, 'Administrative penalties, newest first.'),
    connection('complaints', () => COMPLAINT, 'Complaints and petitions, newest first.'),
    connection('creditRecords', () => CREDIT, 'Credit evaluations and listings, newest first.'),
    {
      kind: 'computed', name: 'creditStatus', compiler: 'creditStatus', type: () => CreditStatus, nullable: true,
      description: 'Latest evaluation and any serious-dishonesty listing in force; null when the caller may not read the owner\'s credit records (extensions.policy.withheld says why).',
    },
  ],
  check(v, add) {
    notAfterAsOf(v, add, 'establishedOn');
  },
});
