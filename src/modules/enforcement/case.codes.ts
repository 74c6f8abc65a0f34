import { registerEnumType } from 'type-graphql';
import { registerPositiveListEnums } from './positive-list.record';

/**
 * The codes of joint enforcement's records (issue 14; /work/shared/reference/enforcement.md §1–4).
 * The lifecycle follows the derived procedure of the reference: LEAD → PRELIM_REVIEW → FILED |
 * NOT_FILED | TRANSFERRED_OUT → INVESTIGATING → CASE_REVIEW → NOTICE_SENT → [HEARING] → DECIDED →
 * SERVED → EXECUTING → CLOSED.
 */
export enum CaseState {
  LEAD = 'LEAD',
  PRELIM_REVIEW = 'PRELIM_REVIEW',
  FILED = 'FILED',
  NOT_FILED = 'NOT_FILED',
  TRANSFERRED_OUT = 'TRANSFERRED_OUT',
  INVESTIGATING = 'INVESTIGATING',
  CASE_REVIEW = 'CASE_REVIEW',
  NOTICE_SENT = 'NOTICE_SENT',
  HEARING = 'HEARING',
  DECIDED = 'DECIDED',
  SERVED = 'SERVED',
  EXECUTING = 'EXECUTING',
  CLOSED = 'CLOSED',
}

/** The outcomes of a decision (处罚法 art. 57). */
export enum DecisionKind {
  PENALTY = 'PENALTY',
  NO_PENALTY_MINOR = 'NO_PENALTY_MINOR',
  NO_PENALTY_NOT_ESTABLISHED = 'NO_PENALTY_NOT_ESTABLISHED',
  TRANSFER_JUDICIAL = 'TRANSFER_JUDICIAL',
}

/** Where a case goes: one of the other two districts' bureaus, or the police (行刑衔接). */
export enum TransferReceiver {
  QINGPU = 'QINGPU',
  WUJIANG = 'WUJIANG',
  JIASHAN = 'JIASHAN',
  POLICE = 'POLICE',
}

export enum TransferStatus {
  SENT = 'SENT',
  RECEIVED = 'RECEIVED',
  ACCEPTED = 'ACCEPTED',
  REFUSED = 'REFUSED',
}

/** The attachments a transfer to the police must carry (国务院令第310号): the fifth, other materials, is optional. */
export enum TransferAttachment {
  TRANSFER_DOCUMENT = 'TRANSFER_DOCUMENT',
  INVESTIGATION_REPORT = 'INVESTIGATION_REPORT',
  ITEM_LIST = 'ITEM_LIST',
  TEST_OR_APPRAISAL_REPORTS = 'TEST_OR_APPRAISAL_REPORTS',
  OTHER = 'OTHER',
  TRANSFER_LETTER = 'TRANSFER_LETTER',
  CASE_FILE = 'CASE_FILE',
  EVIDENCE_LIST = 'EVIDENCE_LIST',
}

/** The eight statutory kinds of evidence (处罚法 art. 46), plus the reports the 2023 办法 adds. */
export enum EvidenceType {
  DOCUMENTARY = 'DOCUMENTARY',
  MATERIAL = 'MATERIAL',
  AUDIO_VISUAL = 'AUDIO_VISUAL',
  ELECTRONIC_DATA = 'ELECTRONIC_DATA',
  WITNESS_TESTIMONY = 'WITNESS_TESTIMONY',
  PARTY_STATEMENT = 'PARTY_STATEMENT',
  EXPERT_OPINION = 'EXPERT_OPINION',
  ON_SITE_RECORD = 'ON_SITE_RECORD',
  TEST_REPORT = 'TEST_REPORT',
  ASSESSMENT_REPORT = 'ASSESSMENT_REPORT',
  APPRAISAL_REPORT = 'APPRAISAL_REPORT',
  DETERMINATION_REPORT = 'DETERMINATION_REPORT',
}

export enum SignatureStatus {
  SIGNED = 'SIGNED',
  REFUSED = 'REFUSED',
  NOT_APPLICABLE = 'NOT_APPLICABLE',
}

export enum RecognitionResult {
  ACCEPTED = 'ACCEPTED',
  REJECTED = 'REJECTED',
}

/** Whether a custody step hashed the content again and found it unchanged. */
export enum HashCheck {
  MATCHED = 'MATCHED',
  NOT_CHECKED = 'NOT_CHECKED',
}

/** Whether a statutory deadline of a case is still running, was met, or passed unmet. */
export enum DeadlineStatus {
  OPEN = 'OPEN',
  MET = 'MET',
  MISSED = 'MISSED',
}

/** Whether a NO_PENALTY_MINOR decision used up the party's first offence (a FIRST_OFFENCE rule: later look-backs count it). */
export enum FirstOffence {
  USED = 'USED',
  NOT_USED = 'NOT_USED',
}

export function registerCaseEnums(): void {
  const enums: Array<[object, string, string]> = [
    [CaseState, 'CaseState', 'Where an enforcement case stands in its procedure.'],
    [DecisionKind, 'DecisionKind', 'The outcome of a decided case (Administrative Penalty Law art. 57).'],
    [TransferReceiver, 'TransferReceiver', 'Where a case is transferred: another district\'s bureau, or the police.'],
    [TransferStatus, 'TransferStatus', 'Where a transfer stands: sent, received, accepted or refused.'],
    [TransferAttachment, 'TransferAttachment', 'Documents a transfer carries; a transfer to the police must carry the first four.'],
    [EvidenceType, 'EvidenceType', 'The eight statutory kinds of evidence, plus test, assessment, appraisal and determination reports.'],
    [SignatureStatus, 'SignatureStatus', 'Whether the party signed the evidence record, refused (with the reason noted), or no signature applies.'],
    [RecognitionResult, 'RecognitionResult', 'A receiving district\'s review of another district\'s evidence: accepted or rejected.'],
    [HashCheck, 'HashCheck', 'Whether a custody step hashed the content again and found it unchanged (MATCHED), or did not check.'],
    [DeadlineStatus, 'DeadlineStatus', 'A statutory deadline of a case: running, met, or passed unmet.'],
    [FirstOffence, 'FirstOffence', 'Whether a no-penalty decision for a minor violation used up the party\'s first offence (USED) or not (NOT_USED, a "shall not penalise" rule).'],
  ];
  for (const [e, name, description] of enums) registerEnumType(e, { name, description });
  registerPositiveListEnums();
}
