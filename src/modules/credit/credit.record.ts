import { RecordType } from '../../auth/policy';
import { CREDIT_LEVELS, CreditScheme, creditLevelName } from '../../domain/codes';
import { defineRecord } from '../dossier/record-declaration';
import { inOrder, notAfterAsOf, RecordState } from '../dossier/record-writer';
import { ENTERPRISE } from '../enterprise/enterprise.record';

export enum CreditRecordKind {
  EVALUATION = 'EVALUATION', // 环境信用评价结果
  LISTING = 'LISTING', // 严重失信名单认定
}

/** Why a listing left the list; set with `removedOn`. */
export enum CreditRemovalReason {
  /** Its validity ran out (set by the expiry job, the day after `validUntil`). */
  EXPIRED = 'EXPIRED',
  /** Removed by a decision of the listing authority (sent by the source with `removedOn`). */
  REMOVAL_DECISION = 'REMOVAL_DECISION',
  /** Ended early by an approved credit repair (信用修复); set only by `approveCreditRepair`. */
  REPAIRED = 'REPAIRED',
}

const EVALUATION_ONLY = ['scheme', 'level', 'evaluationYear'];
const LISTING_ONLY = ['listingReason', 'listingLegalBasis', 'validUntil', 'removedOn', 'removalReason'];

/**
 * The credit feed reads these ops: a new or re-sent evaluation is EVALUATED; a new listing LISTED;
 * a changed listing UPDATED; a listing removed (removedOn set) REMOVED, with its removal reason;
 * any credit record withdrawn (entered in error, revoked at its source) WITHDRAWN, with the
 * steward's reason. A listing that arrives already removed is LISTED and then REMOVED, as the
 * feed's backfill logs it: the platform learns that the listing existed, and that it is over.
 */
function creditOps(before: RecordState | null, after: RecordState): Array<{ op: string; state: RecordState }> {
  const v = after.values;
  if (after.withdrawnAt) return [{ op: 'WITHDRAWN', state: after }];
  if (v.kind === CreditRecordKind.EVALUATION) return [{ op: 'EVALUATED', state: after }];
  if (!before || before.withdrawnAt) {
    return v.removedOn
      ? [{ op: 'LISTED', state: { ...after, values: { ...v, removedOn: null, removalReason: null } } }, { op: 'REMOVED', state: after }]
      : [{ op: 'LISTED', state: after }];
  }
  return [{ op: v.removedOn && !before.values.removedOn ? 'REMOVED' : 'UPDATED', state: after }];
}

/**
 * An environmental credit record: either an evaluation result (scheme + level, not one forced enum
 * across provinces) or a serious-dishonesty listing with its decision and validity.
 */
export const CREDIT = defineRecord({
  name: 'credit',
  recordType: RecordType.CREDIT_RECORD,
  typeName: 'CreditRecord',
  description: 'Environmental credit record (环境信用): an evaluation result or a serious-dishonesty listing.',
  inputDescription: 'A credit evaluation result or serious-dishonesty listing as the issuing jurisdiction sends it, keyed by record number.',
  table: 'credit_record',
  plural: 'creditRecords',
  key: { field: 'recordNo', describedAs: 'record number' },
  order: { by: ['effectiveOn', 'recordNo'], dir: 'DESC' },
  filters: { date: 'effectiveOn', dateLabel: 'Effective date', status: 'kind' },
  belongsTo: () => ENTERPRISE,
  fields: [
    {
      name: 'recordNo', kind: 'text', column: 'record_no', required: true, maxLength: 64,
      description: 'Record number: the evaluation or listing decision document number; the natural key.',
    },
    { name: 'kind', kind: 'enum', enum: CreditRecordKind, column: 'kind', required: true, description: 'EVALUATION (环境信用评价) or LISTING (严重失信名单).' },
    { name: 'effectiveOn', kind: 'date', column: 'effective_on', required: true, description: 'Evaluation date or listing date.' },
    { name: 'issuer', kind: 'text', column: 'issuer', required: true, maxLength: 100, description: 'Evaluating or listing authority.' },
    { name: 'issuerUscc', kind: 'uscc', column: 'issuer_uscc', description: 'The evaluating or listing authority\'s USCC (an agency\'s code, 11…).' },
    { name: 'scheme', kind: 'enum', enum: CreditScheme, column: 'scheme', description: 'EVALUATION only: the evaluation scheme.' },
    { name: 'level', kind: 'text', column: 'level', maxLength: 16, description: 'EVALUATION only: the level code within the scheme (GREEN, BLUE, … or A–E).' },
    { name: 'evaluationYear', kind: 'int', column: 'evaluation_year', min: 1990, max: 2100, description: 'EVALUATION only: the year evaluated.' },
    { name: 'listingReason', kind: 'text', column: 'listing_reason', maxLength: 2000, description: 'LISTING only: reason for listing (列入事由).' },
    { name: 'listingLegalBasis', kind: 'text', column: 'listing_legal_basis', maxLength: 2000, description: 'LISTING only: legal basis (认定依据).' },
    { name: 'validUntil', kind: 'date', column: 'valid_until', description: 'LISTING only: end of the listing period.' },
    { name: 'removedOn', kind: 'date', column: 'removed_on', description: 'LISTING only: when the listing was removed (credit repair or decision).' },
    {
      name: 'removalReason', kind: 'enum', enum: CreditRemovalReason, column: 'removal_reason',
      description: 'LISTING only, with removedOn: why it was removed (EXPIRED or REMOVAL_DECISION, the default; REPAIRED is set by approveCreditRepair only).',
    },
  ],
  check(v, add) {
    notAfterAsOf(v, add, 'effectiveOn');
    if (v.kind === CreditRecordKind.EVALUATION) {
      for (const f of EVALUATION_ONLY) if (v[f] === null) add(f, 'is required for an EVALUATION');
      for (const f of LISTING_ONLY) if (v[f] !== null && v[f] !== undefined) add(f, 'must be empty for an EVALUATION');
      const scheme = v.scheme as CreditScheme | null | undefined;
      if (scheme && typeof v.level === 'string' && !creditLevelName(scheme, v.level)) {
        add('level', `must be a level of ${scheme} (${Object.keys(CREDIT_LEVELS[scheme]).join(', ')}), got ${v.level}`);
      }
      if (typeof v.evaluationYear === 'number' && typeof v.effectiveOn === 'string' && v.evaluationYear > Number(v.effectiveOn.slice(0, 4))) {
        add('evaluationYear', `must not be after the year of effectiveOn (${v.effectiveOn}), got ${v.evaluationYear}`);
      }
    }
    if (v.kind === CreditRecordKind.LISTING) {
      for (const f of ['listingReason', 'listingLegalBasis']) if (v[f] === null) add(f, 'is required for a LISTING');
      for (const f of EVALUATION_ONLY) if (v[f] !== null && v[f] !== undefined) add(f, 'must be empty for a LISTING');
      inOrder(v, add, 'effectiveOn', 'validUntil');
      inOrder(v, add, 'effectiveOn', 'removedOn');
      notAfterAsOf(v, add, 'removedOn');
      if (v.removalReason && !v.removedOn) add('removalReason', 'needs removedOn');
      if (v.removalReason === CreditRemovalReason.REPAIRED) add('removalReason', 'REPAIRED is set by approveCreditRepair, not sent');
    }
  },
  changeOps: creditOps,
  // The names the credit feed publishes, beside the record's own.
  payload(after) {
    const v = after.values;
    const scheme = v.scheme as CreditScheme | null;
    return {
      removalReason: v.kind === CreditRecordKind.LISTING && v.removedOn ? v.removalReason ?? CreditRemovalReason.REMOVAL_DECISION : null,
      reason: v.listingReason,
      legalBasis: v.listingLegalBasis,
      decisionNo: v.recordNo,
      listedAt: v.effectiveOn,
      year: v.evaluationYear,
      levelName: scheme && typeof v.level === 'string' ? creditLevelName(scheme, v.level) ?? null : null,
    };
  },
});
