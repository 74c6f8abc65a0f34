import Decimal from 'decimal.js';
import { RecordType } from '../../auth/policy';
import { PenaltyCategory, PenaltyStatus } from '../../domain/codes';
import { FieldDef, InputProblem, recordInputType } from '../dossier/record-fields';
import { checkRecordInput, ENTERPRISE_REF_FIELD, inOrder, notAfterAsOf, SOURCE_FIELDS, WriteSpec } from '../dossier/record-writer';

/** An administrative penalty decision as the 双公示 data items describe it (CF_* in brackets). */
export const PENALTY_FIELDS: readonly FieldDef[] = [
  { name: 'decisionNo', kind: 'text', column: 'decision_no', required: true, maxLength: 64, description: 'Decision document number (CF_WSH): the natural key.' },
  ENTERPRISE_REF_FIELD,
  { name: 'violationType', kind: 'text', column: 'violation_type', required: true, maxLength: 200, description: 'Type of violation (CF_WFXW).' },
  { name: 'facts', kind: 'text', column: 'facts', required: true, maxLength: 5000, description: 'Facts of the violation (CF_SY).' },
  { name: 'legalBasis', kind: 'text', column: 'legal_basis', required: true, maxLength: 2000, description: 'Legal basis of the penalty (CF_YJ).' },
  { name: 'categories', kind: 'enumList', enum: PenaltyCategory, column: 'categories', required: true, description: 'Penalty categories (CF_CFLB), at least one.' },
  { name: 'content', kind: 'text', column: 'content', required: true, maxLength: 5000, description: 'Content of the penalty (CF_NR).' },
  { name: 'fineAmount', kind: 'decimal', column: 'fine_amount', default: '0.00', description: 'Fine in CNY yuan (CF_NR_FK is in 10k yuan).' },
  { name: 'confiscationAmount', kind: 'decimal', column: 'confiscation_amount', default: '0.00', description: 'Confiscated illegal gains and property in CNY yuan (CF_NR_WFFF is in 10k yuan).' },
  { name: 'decisionDate', kind: 'date', column: 'decision_date', required: true, description: 'Decision date (CF_JDRQ).' },
  { name: 'authorityName', kind: 'text', column: 'authority_name', required: true, maxLength: 100, description: 'Penalising authority (CF_CFJG).' },
  { name: 'authorityUscc', kind: 'uscc', column: 'authority_uscc', required: true, description: 'USCC of the penalising authority (CF_CFJGDM).' },
  { name: 'publicityUntil', kind: 'date', column: 'publicity_until', description: 'End of the publicity period (CF_GSJZQ); 2099-12-31 means long-term.' },
  { name: 'status', kind: 'enum', enum: PenaltyStatus, column: 'status', required: true, description: 'Decision status.' },
  ...SOURCE_FIELDS,
];

const CONFISCATIONS: readonly string[] = [PenaltyCategory.CONFISCATION_OF_ILLEGAL_GAINS, PenaltyCategory.CONFISCATION_OF_ILLEGAL_PROPERTY];

/** How a penalty is written: natural key, fields, the rules across them, where its owner comes from. */
export const PENALTY_WRITE: WriteSpec = {
  name: 'penalty',
  recordType: RecordType.PENALTY,
  typeName: 'Penalty',
  inputName: 'PenaltyInput',
  table: 'penalty',
  key: 'decisionNo',
  fields: PENALTY_FIELDS,
  owner: 'enterprise',
  check(v, add) {
    inOrder(v, add, 'decisionDate', 'publicityUntil');
    notAfterAsOf(v, add, 'decisionDate');
    const categories = Array.isArray(v.categories) ? (v.categories as string[]) : null;
    // An amount needs its category and a fine its amount: otherwise one of them is a typo.
    if (categories && typeof v.fineAmount === 'string') {
      const fined = new Decimal(v.fineAmount).gt(0);
      if (fined && !categories.includes(PenaltyCategory.FINE)) add('categories', `must include FINE, as fineAmount is ${v.fineAmount}`);
      if (!fined && categories.includes(PenaltyCategory.FINE)) add('fineAmount', 'must be above 0, as categories include FINE');
    }
    if (categories && typeof v.confiscationAmount === 'string' && new Decimal(v.confiscationAmount).gt(0) && !categories.some((c) => CONFISCATIONS.includes(c))) {
      add('categories', `must include ${CONFISCATIONS.join(' or ')}, as confiscationAmount is ${v.confiscationAmount}`);
    }
  },
};

/** The GraphQL input of upsert mutations for a penalty, built from its fields. */
export const PenaltyInput = recordInputType('PenaltyInput', 'An administrative penalty decision (行政处罚) as the penalising jurisdiction sends it, keyed by decision number.', PENALTY_FIELDS);

/** Every problem of a penalty input that can be found without the database, each under `path`. */
export function validatePenaltyInput(input: unknown, path = 'input'): InputProblem[] {
  return checkRecordInput(PENALTY_WRITE, input, path).problems;
}
