import { registerEnumType } from 'type-graphql';
import { RecordType } from '../../auth/policy';
import { CreditScheme } from '../../domain/codes';
import { defineRecord } from '../dossier/record-declaration';
import { ENTERPRISE } from '../enterprise/enterprise.record';

/** Where a positive-list entry stands: proposed by the rules, publicised, active, then removed or expired. */
export enum PositiveListStatus {
  PROPOSED = 'PROPOSED',
  PUBLICISED = 'PUBLICISED',
  ACTIVE = 'ACTIVE',
  REMOVED = 'REMOVED',
  EXPIRED = 'EXPIRED',
}

/** Why an entry left the list: a penalty decision, an incident, a bureau's decision, or its validity ran out. */
export enum RemovalCause {
  PENALTY = 'PENALTY',
  INCIDENT = 'INCIDENT',
  DECISION = 'DECISION',
  EXPIRED = 'EXPIRED',
}

export enum OnlineMonitoring {
  CONNECTED = 'CONNECTED',
  NOT_CONNECTED = 'NOT_CONNECTED',
}

/** The statuses in which an entry still stands, and a penalty removes it. */
export const STANDING_STATUSES: readonly PositiveListStatus[] = [PositiveListStatus.PROPOSED, PositiveListStatus.PUBLICISED, PositiveListStatus.ACTIVE];

export function registerPositiveListEnums(): void {
  registerEnumType(PositiveListStatus, { name: 'PositiveListStatus', description: 'A positive-list entry: PROPOSED → PUBLICISED → ACTIVE → REMOVED or EXPIRED.' });
  registerEnumType(RemovalCause, { name: 'PositiveListRemovalCause', description: 'Why an entry left the list: PENALTY (a penalty decision), INCIDENT (a confirmed pollution-source alert), DECISION (the bureau removed it) or EXPIRED (past validUntil).' });
  registerEnumType(OnlineMonitoring, { name: 'OnlineMonitoring', description: 'Whether the firm\'s online monitoring is connected to the bureau.' });
}

/** A firm on the positive list (监督执法正面清单): supervised off-site, removed at once by a penalty decision. */
export const POSITIVE_LIST_ENTRY = defineRecord({
  name: 'positiveListEntry',
  recordType: RecordType.POSITIVE_LIST_ENTRY,
  typeName: 'PositiveListEntry',
  description: 'A firm on the positive list (监督执法正面清单), supervised mainly off-site: the criteria as they stood when it was proposed, its dates and status. A penalty decision against it removes it at once, through the change log.',
  inputDescription: 'A positive-list entry as the positive-list service stores it.',
  table: 'positive_list_entry',
  plural: 'positiveList',
  key: { field: 'entryNo', describedAs: 'entry number' },
  order: { by: ['proposedOn', 'entryNo'], dir: 'DESC' },
  filters: { date: 'proposedOn', dateLabel: 'Day the entry was proposed', status: 'status' },
  belongsTo: () => ENTERPRISE,
  fields: [
    { name: 'entryNo', kind: 'text', column: 'entry_no', required: true, maxLength: 40, description: 'Entry number: the natural key.' },
    { name: 'basis', kind: 'text', column: 'basis', required: true, maxLength: 500, description: 'Why the firm is listed (the list\'s rules, the proposing bureau\'s note).' },
    { name: 'creditScheme', kind: 'enum', enum: CreditScheme, column: 'credit_scheme', required: true, description: 'Criteria snapshot: the credit scheme of the level.' },
    { name: 'creditLevel', kind: 'text', column: 'credit_level', required: true, maxLength: 16, description: 'Criteria snapshot: the firm\'s credit level when proposed.' },
    { name: 'lastPenaltyOn', kind: 'date', column: 'last_penalty_on', description: 'Criteria snapshot: the firm\'s last penalty in the hub when proposed (null: none).' },
    { name: 'onlineMonitoring', kind: 'enum', enum: OnlineMonitoring, column: 'online_monitoring', required: true, description: 'Criteria snapshot: online monitoring connection.' },
    { name: 'complianceRate', kind: 'decimal', column: 'compliance_rate', required: true, description: 'Criteria snapshot: online-monitoring compliance rate, percent.' },
    { name: 'category', kind: 'text', column: 'category', required: true, maxLength: 64, description: 'Criteria snapshot: the firm\'s category (some are never eligible).' },
    { name: 'rulesVersion', kind: 'text', column: 'rules_version', required: true, maxLength: 64, description: 'Version of the eligibility rules that proposed it.' },
    { name: 'proposedOn', kind: 'date', column: 'proposed_on', required: true, description: 'Day it was proposed.' },
    { name: 'includedOn', kind: 'date', column: 'included_on', description: 'Day it became active.' },
    { name: 'validUntil', kind: 'date', column: 'valid_until', description: 'Last day it is valid (the rules\' validity, 3 years by default).' },
    { name: 'status', kind: 'enum', enum: PositiveListStatus, column: 'status', required: true, description: 'Where it stands.' },
    { name: 'removedOn', kind: 'date', column: 'removed_on', description: 'Day it was removed.' },
    { name: 'removalReason', kind: 'text', column: 'removal_reason', maxLength: 1000, description: 'Why it was removed.' },
    { name: 'removalCause', kind: 'enum', enum: RemovalCause, column: 'removal_cause', description: 'Why it left the list (null while it stands).' },
    { name: 'removalTrigger', kind: 'text', column: 'removal_trigger', maxLength: 64, description: 'For an event-driven removal: the penalty decision number (PENALTY) or the alert id (INCIDENT) that removed it.' },
  ],
  changeOps: (before, after) => {
    const entered = (status: PositiveListStatus) => after.values.status === status && before?.values.status !== status;
    return [{ op: !before ? 'INSERTED' : entered(PositiveListStatus.REMOVED) ? 'REMOVED' : entered(PositiveListStatus.EXPIRED) ? 'EXPIRED' : 'UPDATED', state: after }];
  },
});
