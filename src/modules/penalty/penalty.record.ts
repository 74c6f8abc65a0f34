import Decimal from 'decimal.js';
import { RecordType } from '../../auth/policy';
import { PenaltyCategory, PenaltyStatus } from '../../domain/codes';
import { defineRecord } from '../dossier/record-declaration';
import { inOrder, notAfterAsOf } from '../dossier/record-writer';
import { ENTERPRISE } from '../enterprise/enterprise.record';
import { removeListedOnPenalty } from '../enforcement/positive-list.events';
import { PENALTY_SHUANGGONGSHI } from './penalty.dialect';

const CONFISCATIONS: readonly string[] = [PenaltyCategory.CONFISCATION_OF_ILLEGAL_GAINS, PenaltyCategory.CONFISCATION_OF_ILLEGAL_PROPERTY];

/** An administrative penalty decision (行政处罚决定), fields after the national 双公示 data items (CF_* in brackets). */
export const PENALTY = defineRecord({
  name: 'penalty',
  recordType: RecordType.PENALTY,
  typeName: 'Penalty',
  description: 'Administrative penalty decision (行政处罚), after the national 双公示 data items.',
  inputDescription: 'An administrative penalty decision (行政处罚) as the penalising jurisdiction sends it, keyed by decision number.',
  table: 'penalty',
  plural: 'penalties',
  key: { field: 'decisionNo', describedAs: 'decision document number' },
  order: { by: ['decisionDate', 'decisionNo'], dir: 'DESC' },
  filters: { date: 'decisionDate', dateLabel: 'Decision date', status: 'status' },
  belongsTo: () => ENTERPRISE,
  fields: [
    { name: 'decisionNo', kind: 'text', column: 'decision_no', required: true, maxLength: 64, description: 'Decision document number (CF_WSH, 行政处罚决定书文号): the natural key.' },
    { name: 'violationType', kind: 'text', column: 'violation_type', required: true, maxLength: 200, description: 'Type of violation (CF_WFXW).' },
    { name: 'facts', kind: 'text', column: 'facts', required: true, maxLength: 5000, description: 'Facts of the violation (CF_SY).' },
    { name: 'legalBasis', kind: 'text', column: 'legal_basis', required: true, maxLength: 2000, description: 'Legal basis of the penalty (CF_YJ).' },
    {
      name: 'categories', kind: 'enumList', enum: PenaltyCategory, column: 'categories', required: true,
      description: 'Penalty categories (CF_CFLB) of the Administrative Penalty Law, Art. 9; at least one.',
    },
    { name: 'content', kind: 'text', column: 'content', required: true, maxLength: 5000, description: 'Content of the penalty (CF_NR).' },
    { name: 'fineAmount', kind: 'decimal', column: 'fine_amount', default: '0.00', description: 'Fine in CNY yuan (CF_NR_FK is in 10k yuan; the hub stores yuan).' },
    {
      name: 'confiscationAmount', kind: 'decimal', column: 'confiscation_amount', default: '0.00',
      description: 'Confiscated illegal gains and property in CNY yuan (CF_NR_WFFF is in 10k yuan; the hub stores yuan).',
    },
    { name: 'decisionDate', kind: 'date', column: 'decision_date', required: true, description: 'Decision date (CF_JDRQ).' },
    { name: 'authorityName', kind: 'text', column: 'authority_name', required: true, maxLength: 100, description: 'Penalising authority (CF_CFJG).' },
    { name: 'authorityUscc', kind: 'uscc', column: 'authority_uscc', required: true, description: 'USCC of the penalising authority (CF_CFJGDM).' },
    { name: 'publicityUntil', kind: 'date', column: 'publicity_until', description: 'End of the publicity period (CF_GSJZQ); 2099-12-31 means long-term.' },
    { name: 'status', kind: 'enum', enum: PenaltyStatus, column: 'status', required: true, description: 'Decision status.' },
  ],
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
  importDialect: PENALTY_SHUANGGONGSHI,
  // A penalised firm leaves the positive list at once (issue 14 item 6).
  afterWrite: removeListedOnPenalty,
});
