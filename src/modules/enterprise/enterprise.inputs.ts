import { RecordType } from '../../auth/policy';
import { RegistrationStatus } from '../../domain/codes';
import { District, DISTRICTS, Jurisdiction } from '../../domain/jurisdictions';
import { checkUscc } from '../../domain/uscc';
import { AddProblem, FieldDef, InputProblem, recordInputType, Values } from '../dossier/record-fields';
import { checkRecordInput, notAfterAsOf, SOURCE_FIELDS, WriteSpec } from '../dossier/record-writer';

/** What a jurisdiction sends for an enterprise: its registration, keyed by USCC. */
export const ENTERPRISE_FIELDS: readonly FieldDef[] = [
  { name: 'uscc', kind: 'uscc', column: 'uscc', required: true, description: 'Unified Social Credit Code: the natural key.' },
  { name: 'name', kind: 'text', column: 'name', required: true, maxLength: 200, description: 'Registered name.' },
  {
    name: 'industryCode', kind: 'text', column: 'industry_code', required: true, maxLength: 8,
    pattern: { re: /^[A-T]\d{2,4}$/, hint: 'must be a GB/T 4754-2017 code such as C1713' }, description: 'Industry code, GB/T 4754-2017.',
  },
  { name: 'industryName', kind: 'text', column: 'industry_name', maxLength: 100, description: 'Industry name.' },
  { name: 'address', kind: 'text', column: 'address', required: true, maxLength: 300, description: 'Registered address.' },
  { name: 'registrationStatus', kind: 'enum', enum: RegistrationStatus, column: 'registration_status', required: true, description: 'Business registration status.' },
  { name: 'establishedOn', kind: 'date', column: 'established_on', description: 'Date of establishment.' },
  { name: 'legalRepName', kind: 'text', column: 'legal_rep_name', maxLength: 64, personal: true, description: 'Legal representative\'s name (personal data).' },
  {
    name: 'legalRepIdNumber', kind: 'text', column: 'legal_rep_id_number', maxLength: 32, personal: true,
    pattern: { re: /^[0-9A-Za-z]+$/, hint: 'must be letters and digits only' }, description: 'Legal representative\'s ID number (personal data, masked outside the owner district).',
  },
  {
    name: 'jurisdiction', kind: 'enum', enum: Jurisdiction, allowed: DISTRICTS,
    description: 'Owner district. Needed only when the USCC\'s division code (positions 3-8) is not one of the three districts\'; when it is, this must agree.',
  },
  ...SOURCE_FIELDS,
];

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

/** How an enterprise is written: natural key, fields, the rules across them, where its owner comes from. */
export const ENTERPRISE_WRITE: WriteSpec = {
  name: 'enterprise',
  recordType: RecordType.ENTERPRISE,
  typeName: 'Enterprise',
  inputName: 'EnterpriseInput',
  table: 'enterprise',
  key: 'uscc',
  fields: ENTERPRISE_FIELDS,
  owner: enterpriseOwner,
  check(v, add) {
    notAfterAsOf(v, add, 'establishedOn');
  },
};

/** The GraphQL input of upsert mutations for an enterprise, built from its fields. */
export const EnterpriseInput = recordInputType('EnterpriseInput', 'An enterprise as its registering jurisdiction sends it, keyed by USCC.', ENTERPRISE_FIELDS);

/** Every problem of an enterprise input that can be found without the database, each under `path`. */
export function validateEnterpriseInput(input: unknown, path = 'input'): InputProblem[] {
  return checkRecordInput(ENTERPRISE_WRITE, input, path).problems;
}
