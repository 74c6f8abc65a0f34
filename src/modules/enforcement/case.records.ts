import { RecordType } from '../../auth/policy';
import { DISTRICTS, Jurisdiction } from '../../domain/jurisdictions';
import { connection, defineRecord, RecordField } from '../dossier/record-declaration';
import type { ItemShape } from '../dossier/record-fields';
import { PENALTY } from '../penalty';
import { CaseState, DeadlineStatus, FirstOffence, HashCheck, DecisionKind, EvidenceType, RecognitionResult, SignatureStatus, TransferAttachment, TransferReceiver, TransferStatus } from './case.codes';

/**
 * The joint-enforcement record types (issue 14), each declared once like a dossier type: the read
 * engine scopes, masks and audits them, the one writer (RecordWriter) stores them with their
 * change-log entries, and each is one catalog resource whose terms the policy applies. Unlike
 * dossier records they are not upserted by a source: the case service (case.service.ts) moves them
 * through their procedure and writes each step through the writer.
 */

/** The district that acts: it owns the record (its bureau opened the case, sent the transfer, collected the evidence, made the review). */
const ACTING_DISTRICT: RecordField = {
  name: 'jurisdiction', kind: 'enum', enum: Jurisdiction, allowed: DISTRICTS, only: 'input', required: true,
  description: 'The district whose bureau acts; it owns the record.',
};
const actingDistrict = (v: Record<string, unknown>) => v.jurisdiction as (typeof DISTRICTS)[number] | undefined;

const PARTY_USCC: RecordField = { name: 'uscc', kind: 'uscc', column: 'uscc', required: true, description: 'USCC of the party (the enterprise the case is about).' };

const EVENT: ItemShape = {
  noun: 'an event',
  fields: [
    { name: 'event', kind: 'text', required: true, maxLength: 64, description: 'The procedure event, as the deadline rules name it (FILED, NOTICE_SERVED…).' },
    { name: 'on', kind: 'date', required: true, description: 'The day it happened.' },
  ],
  input: { name: 'CaseEventInput', description: 'A procedure event of a case (written by the case service).' },
  output: { name: 'CaseEventRecord', description: 'A procedure event of a case, with its day: what the statutory deadlines count from.' },
};

const EXTENSION: ItemShape = {
  noun: 'an extension',
  fields: [
    { name: 'timer', kind: 'text', required: true, maxLength: 64, description: 'The deadline extended (DECISION, FILING_DECISION).' },
    { name: 'approval', kind: 'text', required: true, maxLength: 32, description: 'Who approved it, as the deadline rules name it (HEAD, COLLECTIVE).' },
    { name: 'days', kind: 'int', required: true, min: 1, max: 366, description: 'Days added.' },
    { name: 'approvedOn', kind: 'date', required: true, description: 'Day of the approval.' },
    { name: 'reason', kind: 'text', required: true, maxLength: 1000, description: 'Why.' },
  ],
  input: { name: 'CaseExtensionItemInput', description: 'An approved extension of a statutory deadline (written by the case service).' },
  output: { name: 'CaseExtensionRecord', description: 'An approved extension of a statutory deadline.' },
};

const SUSPENSION: ItemShape = {
  noun: 'a suspension',
  fields: [
    { name: 'timer', kind: 'text', required: true, maxLength: 64, description: 'The deadline whose count stops.' },
    { name: 'from', kind: 'date', required: true, description: 'First day not counted.' },
    { name: 'to', kind: 'date', required: true, description: 'Last day not counted.' },
    { name: 'reason', kind: 'text', required: true, maxLength: 1000, description: 'Why (testing, assessment, suspension of the case).' },
  ],
  input: { name: 'CaseSuspensionItemInput', description: 'A period not counted in a statutory deadline (written by the case service).' },
  output: { name: 'CaseSuspensionRecord', description: 'A period not counted in a statutory deadline (suspension, testing, assessment).' },
};

const TRANSITION: ItemShape = {
  noun: 'a transition',
  fields: [
    { name: 'from', kind: 'enum', enum: CaseState, description: 'State before; null for the case\'s opening.' },
    { name: 'to', kind: 'enum', enum: CaseState, required: true, description: 'State after.' },
    { name: 'on', kind: 'date', required: true, description: 'The day the step was taken.' },
    { name: 'at', kind: 'datetime', required: true, description: 'When the hub recorded it.' },
    { name: 'by', kind: 'text', required: true, maxLength: 128, description: 'Who recorded it (the token\'s sub).' },
    { name: 'org', kind: 'text', maxLength: 64, description: 'The agency of who recorded it.' },
    { name: 'note', kind: 'text', maxLength: 2000, description: 'What was decided or done, as the officer stated it.' },
  ],
  input: { name: 'CaseTransitionItemInput', description: 'A step of the case (written by the case service).' },
  output: { name: 'CaseTransitionRecord', description: 'One step of the case\'s procedure, as recorded: states, day, who.' },
};

const DEADLINE: ItemShape = {
  noun: 'a deadline',
  fields: [
    { name: 'timer', kind: 'text', required: true, maxLength: 64, description: 'The timer of the deadline rules (FILING_DECISION, DECISION, DECISION_SERVICE…).' },
    { name: 'name', kind: 'text', required: true, maxLength: 200, description: 'Its name.' },
    { name: 'basis', kind: 'text', required: true, maxLength: 500, description: 'Its legal basis.' },
    { name: 'startsOn', kind: 'date', required: true, description: 'The day it counts from.' },
    { name: 'dueOn', kind: 'date', description: 'The last day to act (null when the official calendar does not cover it).' },
    { name: 'extensionDays', kind: 'int', min: 0, max: 100000, description: 'Days added by recorded extensions.' },
    { name: 'suspendedDays', kind: 'int', min: 0, max: 100000, description: 'Days not counted.' },
    { name: 'status', kind: 'enum', enum: DeadlineStatus, required: true, description: 'OPEN (running), MET, or MISSED (met after it passed).' },
    { name: 'metOn', kind: 'date', description: 'The day the step it asks for was taken.' },
    { name: 'rulesVersion', kind: 'text', required: true, maxLength: 64, description: 'Version of the deadline rules that computed it.' },
  ],
  input: { name: 'CaseDeadlineItemInput', description: 'A computed statutory deadline (written by the case service).' },
  output: { name: 'CaseDeadline', description: 'A statutory deadline of the case, computed by the deadline rules from its events, extensions and suspensions.' },
};

const OFFICER: ItemShape = {
  noun: 'an officer',
  fields: [
    { name: 'name', kind: 'text', required: true, maxLength: 50, description: 'The officer\'s name.' },
    { name: 'certificateNo', kind: 'text', required: true, maxLength: 40, description: 'The officer\'s enforcement certificate number.' },
  ],
  input: { name: 'CollectingOfficerInput', description: 'An officer who collected the evidence, with the enforcement certificate number.' },
  output: { name: 'CollectingOfficer', description: 'An officer who collected the evidence, with the enforcement certificate number.' },
};

const CUSTODY: ItemShape = {
  noun: 'a custody step',
  fields: [
    { name: 'action', kind: 'text', required: true, maxLength: 32, description: 'What happened (COLLECTED, SEALED, HANDED_OVER, STORED, RETURNED…).' },
    { name: 'holder', kind: 'text', required: true, maxLength: 100, description: 'Who holds the item after the step.' },
    { name: 'at', kind: 'datetime', required: true, description: 'When.' },
    { name: 'hashRechecked', kind: 'enum', enum: HashCheck, required: true, description: 'MATCHED when the content was hashed again at this step and matched.' },
  ],
  input: { name: 'CustodyStepItemInput', description: 'A step of an evidence item\'s custody chain (written by the case service).' },
  output: { name: 'CustodyStep', description: 'A step of the evidence item\'s custody chain.' },
};

/** An enforcement case (执法案件) from lead to closure. */
export const ENFORCEMENT_CASE = defineRecord({
  name: 'enforcementCase',
  recordType: RecordType.ENFORCEMENT_CASE,
  typeName: 'EnforcementCase',
  description: 'An enforcement case (执法案件) from lead to closure: its state, every step recorded, its statutory deadlines computed, its evidence, transfers and decision.',
  inputDescription: 'An enforcement case as the case service stores it.',
  table: 'enforcement_case',
  plural: 'enforcementCases',
  key: { field: 'caseNo', describedAs: 'case number' },
  order: { by: ['leadReceivedOn', 'caseNo'], dir: 'DESC' },
  filters: { date: 'leadReceivedOn', dateLabel: 'Day the lead was received', status: 'state' },
  owner: actingDistrict,
  fields: [
    { name: 'caseNo', kind: 'text', column: 'case_no', required: true, maxLength: 40, description: 'Case number: the natural key.' },
    PARTY_USCC,
    { name: 'partyName', kind: 'text', column: 'party_name', required: true, maxLength: 200, description: 'Name of the party.' },
    { name: 'violationCode', kind: 'text', column: 'violation_code', maxLength: 64, description: 'The violation, as the discretion tables code it (AIR_LAW_99…), once known.' },
    { name: 'summary', kind: 'text', column: 'summary', required: true, maxLength: 5000, description: 'What the lead or case is about.' },
    { name: 'state', kind: 'enum', enum: CaseState, column: 'state', required: true, description: 'Where the case stands.' },
    { name: 'leadReceivedOn', kind: 'date', column: 'lead_received_on', required: true, description: 'Day the lead was received (the filing deadline counts from it).' },
    { name: 'filedOn', kind: 'date', column: 'filed_on', description: 'Day the case was filed (立案).' },
    { name: 'decidedOn', kind: 'date', column: 'decided_on', description: 'Day of the decision.' },
    { name: 'closedOn', kind: 'date', column: 'closed_on', description: 'Day the case was closed.' },
    { name: 'decisionKind', kind: 'enum', enum: DecisionKind, column: 'decision_kind', description: 'The decision: penalty, no penalty (minor or not established), or transfer to judicial organs.' },
    { name: 'penaltyDecisionNo', kind: 'text', column: 'penalty_decision_no', maxLength: 64, description: 'Decision number of the penalty record the decision produced (read it as `penalty`).' },
    { name: 'discretionTableVersion', kind: 'text', column: 'discretion_table_version', maxLength: 64, description: 'Version of the discretion table that set the fine, so any district can see how it was reached.' },
    { name: 'discretionWorking', kind: 'textList', column: 'discretion_working', maxLength: 1000, description: 'The discretion calculation\'s working, one step a line.' },
    { name: 'fineAmount', kind: 'decimal', column: 'fine_amount', description: 'The fine decided, in yuan.' },
    { name: 'minorRuleId', kind: 'text', column: 'minor_rule_id', maxLength: 80, description: 'For a NO_PENALTY_MINOR decision: the minor-violation rule that allowed it, "LIST-ID/item" (evaluateMinorViolation on the case\'s facts).' },
    { name: 'firstOffence', kind: 'enum', enum: FirstOffence, column: 'first_offence', description: 'For a NO_PENALTY_MINOR decision: USED when the rule was a first-offence one (a later case\'s look-back counts it), NOT_USED otherwise.' },
    { name: 'educationNote', kind: 'text', column: 'education_note', maxLength: 2000, description: 'For a NO_PENALTY_MINOR decision: the education given to the party (处罚法 art. 33).' },
    { name: 'transferredFrom', kind: 'text', column: 'transferred_from', maxLength: 40, description: 'For a case opened on a transfer: the transfer number. Such a case is not transferred to another district again.' },
    { name: 'events', kind: 'objectList', items: EVENT, column: 'events', description: 'The procedure events with their days, as the deadlines count them.' },
    { name: 'extensions', kind: 'objectList', items: EXTENSION, column: 'extensions', description: 'Recorded, approved extensions of deadlines.' },
    { name: 'suspensions', kind: 'objectList', items: SUSPENSION, column: 'suspensions', description: 'Periods not counted in deadlines.' },
    { name: 'transitions', kind: 'objectList', items: TRANSITION, column: 'transitions', description: 'Every step of the procedure, in order, with who recorded it.' },
    { name: 'deadlines', kind: 'objectList', items: DEADLINE, column: 'deadlines', description: 'The statutory deadlines, computed from the events by the deadline rules at the case\'s last step.' },
    { name: 'nextDueOn', kind: 'date', column: 'next_due_on', description: 'The earliest deadline still open (null when none): the case is overdue once it has passed.' },
    { name: 'nextDueTimer', kind: 'text', column: 'next_due_timer', maxLength: 64, description: 'Which deadline nextDueOn is.' },
    ACTING_DISTRICT,
  ],
  computed: [
    connection('evidence', () => EVIDENCE_ITEM, 'The evidence items collected for this case.', { parentColumn: 'case_no', childColumn: 'case_no' }),
    connection('recognitions', () => EVIDENCE_RECOGNITION, 'Reviews of other districts\' evidence made for this case; the ACCEPTED ones count as this case\'s evidence.', { parentColumn: 'case_no', childColumn: 'for_case_no' }),
    connection('transfers', () => CASE_TRANSFER, 'Transfers of this case to another district or to the police.', { parentColumn: 'case_no', childColumn: 'case_no' }),
    {
      kind: 'link', name: 'penalty', target: () => PENALTY, parentColumn: 'penalty_decision_no', childColumn: 'decision_no',
      description: 'The penalty decision this case produced; null before a PENALTY decision, or when the caller may not read it.',
    },
  ],
  payload: (after) => ({ enterpriseName: after.values.partyName }),
});

/** A transfer of a case or lead (案件移送) to another district's bureau or to the police. */
export const CASE_TRANSFER = defineRecord({
  name: 'caseTransfer',
  recordType: RecordType.CASE_TRANSFER,
  typeName: 'CaseTransfer',
  description: 'A transfer of a case or lead (案件移送) to another district\'s bureau or to the police: sender, receiver, reasons, attachments, receipt, acceptance or refusal with reasons.',
  inputDescription: 'A case transfer as the case service stores it.',
  table: 'case_transfer',
  plural: 'caseTransfers',
  key: { field: 'transferNo', describedAs: 'transfer number' },
  order: { by: ['sentOn', 'transferNo'], dir: 'DESC' },
  filters: { date: 'sentOn', dateLabel: 'Day the transfer was sent', status: 'status' },
  owner: actingDistrict,
  fields: [
    { name: 'transferNo', kind: 'text', column: 'transfer_no', required: true, maxLength: 40, description: 'Transfer number: the natural key.' },
    { name: 'caseNo', kind: 'text', column: 'case_no', required: true, maxLength: 40, description: 'The case transferred (the sender\'s).' },
    PARTY_USCC,
    { name: 'receiver', kind: 'enum', enum: TransferReceiver, column: 'receiver', required: true, description: 'Where it goes: another district\'s bureau, or the police.' },
    { name: 'receiverAgency', kind: 'text', column: 'receiver_agency', required: true, maxLength: 100, description: 'The receiving agency.' },
    { name: 'reasons', kind: 'text', column: 'reasons', required: true, maxLength: 2000, description: 'Why the case is transferred.' },
    { name: 'attachments', kind: 'enumList', enum: TransferAttachment, column: 'attachments', description: 'Documents sent with it.' },
    { name: 'sentOn', kind: 'date', column: 'sent_on', required: true, description: 'Day it was sent.' },
    { name: 'status', kind: 'enum', enum: TransferStatus, column: 'status', required: true, description: 'Where it stands.' },
    { name: 'receivedOn', kind: 'date', column: 'received_on', description: 'Day the receiver signed for it.' },
    { name: 'decidedOn', kind: 'date', column: 'decided_on', description: 'Day the receiver accepted or refused it.' },
    { name: 'decisionReason', kind: 'text', column: 'decision_reason', maxLength: 2000, description: 'The receiver\'s reasons (required for a refusal).' },
    { name: 'receivedCaseNo', kind: 'text', column: 'received_case_no', maxLength: 40, description: 'The case the receiver opened on accepting it.' },
    ACTING_DISTRICT,
  ],
  computed: [
    {
      kind: 'link', name: 'case', target: () => ENFORCEMENT_CASE, parentColumn: 'case_no', childColumn: 'case_no',
      description: 'The case transferred, readable by the receiver under the transfer (audited).',
    },
  ],
});

/** An evidence item (证据) of a case: metadata and the SHA-256 of its content; the file stays in the owner's store. */
export const EVIDENCE_ITEM = defineRecord({
  name: 'evidenceItem',
  recordType: RecordType.EVIDENCE_ITEM,
  typeName: 'EvidenceItem',
  description: 'An evidence item of a case: what it is, who collected it how, what it proves, and the SHA-256 of its content. The hub keeps the hash and metadata; the file stays in the owning district\'s store at contentUri.',
  inputDescription: 'An evidence item as the case service stores it.',
  table: 'evidence_item',
  plural: 'evidenceItems',
  key: { field: 'evidenceNo', describedAs: 'evidence number' },
  order: { by: ['madeAt', 'evidenceNo'], dir: 'DESC' },
  filters: { date: 'madeAt', dateLabel: 'Time the evidence was made', status: 'type' },
  owner: actingDistrict,
  fields: [
    { name: 'evidenceNo', kind: 'text', column: 'evidence_no', required: true, maxLength: 40, description: 'Evidence number: the natural key.' },
    { name: 'caseNo', kind: 'text', column: 'case_no', required: true, maxLength: 40, description: 'The case it was collected for.' },
    PARTY_USCC,
    { name: 'type', kind: 'enum', enum: EvidenceType, column: 'type', required: true, description: 'Kind of evidence.' },
    { name: 'name', kind: 'text', column: 'name', required: true, maxLength: 200, description: 'What the item is.' },
    { name: 'maker', kind: 'text', column: 'maker', required: true, maxLength: 100, description: 'Who made it (the officer, the laboratory, the device).' },
    { name: 'madeAt', kind: 'datetime', column: 'made_at', required: true, description: 'When it was made.' },
    { name: 'place', kind: 'text', column: 'place', required: true, maxLength: 200, description: 'Where (address or coordinates).' },
    { name: 'method', kind: 'text', column: 'method', required: true, maxLength: 500, description: 'How it was collected.' },
    { name: 'proves', kind: 'text', column: 'proves', required: true, maxLength: 2000, description: 'What it proves.' },
    { name: 'collectedBy', kind: 'objectList', items: OFFICER, column: 'collected_by', required: true, description: 'The collecting officers: at least two, with their certificate numbers.' },
    { name: 'signatureStatus', kind: 'enum', enum: SignatureStatus, column: 'signature_status', required: true, description: 'Whether the party signed.' },
    { name: 'signatureNote', kind: 'text', column: 'signature_note', maxLength: 500, description: 'Why the party did not sign, when it refused.' },
    { name: 'sha256', kind: 'text', column: 'sha256', required: true, maxLength: 64, description: 'SHA-256 of the content, 64 lower-case hex characters.' },
    { name: 'contentUri', kind: 'text', column: 'content_uri', required: true, maxLength: 1000, description: 'Where the content is kept: the owning district\'s evidence store.' },
    { name: 'custodyChain', kind: 'objectList', items: CUSTODY, column: 'custody_chain', description: 'Who held it, from collection on (append-only).' },
    ACTING_DISTRICT,
  ],
  computed: [
    connection('recognitions', () => EVIDENCE_RECOGNITION, 'Other districts\' reviews of this item.', { parentColumn: 'evidence_no', childColumn: 'evidence_no' }),
  ],
});

/** A receiving district's review of another district's evidence (证据互认, zone regulation art. 57). */
export const EVIDENCE_RECOGNITION = defineRecord({
  name: 'evidenceRecognition',
  recordType: RecordType.EVIDENCE_RECOGNITION,
  typeName: 'EvidenceRecognition',
  description: 'A receiving district\'s review of evidence another district collected (zone regulation art. 57): accepted or rejected with reasons; only accepted items count as the receiving case\'s evidence.',
  inputDescription: 'A recognition review as the case service stores it.',
  table: 'evidence_recognition',
  plural: 'evidenceRecognitions',
  key: { field: 'recognitionNo', describedAs: 'recognition number' },
  order: { by: ['reviewedOn', 'recognitionNo'], dir: 'DESC' },
  filters: { date: 'reviewedOn', dateLabel: 'Day of the review', status: 'result' },
  owner: actingDistrict,
  fields: [
    { name: 'recognitionNo', kind: 'text', column: 'recognition_no', required: true, maxLength: 40, description: 'Recognition number: the natural key.' },
    { name: 'evidenceNo', kind: 'text', column: 'evidence_no', required: true, maxLength: 40, description: 'The evidence item reviewed.' },
    { name: 'forCaseNo', kind: 'text', column: 'for_case_no', required: true, maxLength: 40, description: 'The reviewing district\'s case it is reviewed for.' },
    PARTY_USCC,
    { name: 'reviewer', kind: 'text', column: 'reviewer', required: true, maxLength: 100, description: 'Who reviewed it.' },
    { name: 'reviewedOn', kind: 'date', column: 'reviewed_on', required: true, description: 'Day of the review.' },
    { name: 'result', kind: 'enum', enum: RecognitionResult, column: 'result', required: true, description: 'ACCEPTED or REJECTED.' },
    { name: 'reasons', kind: 'text', column: 'reasons', required: true, maxLength: 2000, description: 'Why: what was checked (legality, seal, hash, signatures) and found.' },
    { name: 'sha256Reviewed', kind: 'text', column: 'sha256_reviewed', required: true, maxLength: 64, description: 'The content hash the reviewer saw: a later change of content would not match it.' },
    ACTING_DISTRICT,
  ],
  computed: [
    {
      kind: 'link', name: 'evidence', target: () => EVIDENCE_ITEM, parentColumn: 'evidence_no', childColumn: 'evidence_no',
      description: 'The evidence item reviewed.',
    },
  ],
});
