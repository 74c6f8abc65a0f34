import { createHash } from 'node:crypto';
import Decimal from 'decimal.js';
import { DataSource, EntityManager } from 'typeorm';
import { enforcementActDenial, enforcementRecordAccess } from '../../auth/policy';
import { Principal, SYSTEM_PRINCIPAL } from '../../auth/principal';
import { todayInChina } from '../../domain/calendar/days';
import { computeDeadlines, ComputedDeadline, DeadlineRequest } from '../../domain/enforcement/deadlines';
import { computeDiscretion } from '../../domain/enforcement/discretion';
import { evaluateMinorViolation, HarmLevel, PriorOffence } from '../../domain/enforcement/minor-violations';
import { enforcementData } from '../../domain/enforcement/registry';
import { District, isDistrict } from '../../domain/jurisdictions';
import { badInput, ErrorCode, forbidden, HubError } from '../../graphql/errors';
import { PenaltyCategory, PenaltyStatus } from '../../domain/codes';
import type { DossierRecord } from '../dossier/record-declaration';
import { fromColumn, Values } from '../dossier/record-fields';
import { RecordWriter } from '../dossier/record-writer';
import { PENALTY } from '../penalty';
import { withEnforcementErrors } from './enforcement.service';
import { CaseState, DeadlineStatus, DecisionKind, FirstOffence, HashCheck, RecognitionResult, SignatureStatus, TransferAttachment, TransferReceiver, TransferStatus } from './case.codes';
import { CASE_TRANSFER, ENFORCEMENT_CASE, EVIDENCE_ITEM, EVIDENCE_RECOGNITION } from './case.records';

/**
 * Joint enforcement's one service (issue 14): opens cases and moves them through their procedure,
 * sends, receives and decides transfers, records evidence and other districts' reviews of it. Each
 * operation checks everything first (policy.ts decides who may act; the procedure's rules here
 * decide what may happen), then writes through the one writer inside one transaction, so a refused
 * step leaves no trace but its error. Every refusal of bad input is BAD_USER_INPUT naming the field
 * and, in `extensions.rule`, the rule.
 */

/** The system name written as the source of records the hub itself keeps. */
const HUB_SOURCE = 'ECO-HUB';

/** The steps of the procedure an officer takes with `moveCase` (transfers have their own operations). */
const NEXT: Readonly<Record<CaseState, readonly CaseState[]>> = {
  [CaseState.LEAD]: [CaseState.PRELIM_REVIEW],
  [CaseState.PRELIM_REVIEW]: [CaseState.FILED, CaseState.NOT_FILED],
  [CaseState.FILED]: [CaseState.INVESTIGATING],
  [CaseState.INVESTIGATING]: [CaseState.CASE_REVIEW],
  [CaseState.CASE_REVIEW]: [CaseState.NOTICE_SENT, CaseState.DECIDED],
  [CaseState.NOTICE_SENT]: [CaseState.HEARING, CaseState.DECIDED],
  [CaseState.HEARING]: [CaseState.DECIDED],
  [CaseState.DECIDED]: [CaseState.SERVED],
  [CaseState.SERVED]: [CaseState.EXECUTING, CaseState.CLOSED],
  [CaseState.EXECUTING]: [CaseState.CLOSED],
  [CaseState.NOT_FILED]: [CaseState.CLOSED],
  [CaseState.TRANSFERRED_OUT]: [CaseState.CLOSED],
  [CaseState.CLOSED]: [],
};

/** The procedure event (as the deadline rules name it) a step records, on the step's day. */
const EVENT_OF: Partial<Record<CaseState, string>> = {
  [CaseState.FILED]: 'FILED',
  [CaseState.NOTICE_SENT]: 'NOTICE_SERVED',
  [CaseState.HEARING]: 'HEARING_DATE',
  [CaseState.DECIDED]: 'DECIDED',
  [CaseState.SERVED]: 'DECISION_SERVED',
};

/**
 * The agency's deadlines and the steps that meet them: the ones whose passing makes a case
 * overdue. The party's own periods (hearing request, payment) and the limitation are shown but do
 * not make the agency late.
 */
const MET_BY: Readonly<Record<string, readonly CaseState[]>> = {
  FILING_DECISION: [CaseState.FILED, CaseState.NOT_FILED, CaseState.TRANSFERRED_OUT],
  DECISION: [CaseState.DECIDED, CaseState.TRANSFERRED_OUT],
  DECISION_SERVICE: [CaseState.SERVED],
};
const PARTY_MET_BY: Readonly<Record<string, readonly CaseState[]>> = {
  HEARING_REQUEST: [CaseState.HEARING, CaseState.DECIDED],
  HEARING_NOTIFICATION: [CaseState.HEARING],
  PAYMENT: [CaseState.EXECUTING, CaseState.CLOSED],
  LIMITATION: [CaseState.FILED],
  LIMITATION_SERIOUS_HARM: [CaseState.FILED],
};

/** States in which evidence is still collected for a case. */
const COLLECTING: readonly CaseState[] = [CaseState.LEAD, CaseState.PRELIM_REVIEW, CaseState.FILED, CaseState.INVESTIGATING, CaseState.CASE_REVIEW, CaseState.NOTICE_SENT, CaseState.HEARING];
/** States from which a case goes to another district, and to the police. */
const TRANSFERABLE_TO_DISTRICT: readonly CaseState[] = [CaseState.LEAD, CaseState.PRELIM_REVIEW, CaseState.FILED, CaseState.INVESTIGATING];
const TRANSFERABLE_TO_POLICE: readonly CaseState[] = [CaseState.FILED, CaseState.INVESTIGATING, CaseState.CASE_REVIEW, CaseState.NOTICE_SENT, CaseState.HEARING];
/** What a transfer to the police must carry (国务院令第310号); OTHER is optional. */
const POLICE_ATTACHMENTS: readonly TransferAttachment[] = [
  TransferAttachment.TRANSFER_DOCUMENT, TransferAttachment.INVESTIGATION_REPORT, TransferAttachment.ITEM_LIST, TransferAttachment.TEST_OR_APPRAISAL_REPORTS,
];

const SHA256 = /^[0-9a-fA-F]{64}$/;

/** Bad input naming the field and the rule that refused it. */
function refuse(field: string, rule: string, problem: string): HubError {
  return badInput(field, problem, { rule });
}

function conflict(message: string, extra: Record<string, unknown> = {}): HubError {
  return new HubError(ErrorCode.CONFLICT, message, extra);
}

function notFound(what: string, key: string): HubError {
  return new HubError(ErrorCode.NOT_FOUND, `no ${what} "${key}" in the hub`, { key });
}

/** A stored record as the writer's input: every field the declaration stores, nulls left out. */
function valuesOf(r: DossierRecord, row: Record<string, unknown>): Values {
  const v: Values = {};
  for (const f of r.write.fields) {
    if (!f.column) continue;
    const value = fromColumn(f, row[f.column]);
    if (value !== null && value !== undefined) v[f.name] = value;
  }
  v.jurisdiction = row.owner_jurisdiction;
  return v;
}

/** Leaves out nulls: the writer reads an absent optional field as null. */
function compact(v: Values): Values {
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null && x !== undefined));
}

/** A source version newer than the stored one, even within the same millisecond. */
function nextAsOf(before: unknown): string {
  const now = Date.now();
  const prev = typeof before === 'string' ? Date.parse(before) : 0;
  return new Date(Math.max(now, prev + 1)).toISOString();
}

function isDay(v: unknown): v is string {
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v;
}

function assertDay(field: string, v: unknown): string {
  if (!isDay(v)) throw refuse(field, 'DATE_FORMAT', `must be a calendar day YYYY-MM-DD, got ${JSON.stringify(v)}`);
  if (v > todayInChina()) throw refuse(field, 'DATE_IN_FUTURE', `must not be after today (${todayInChina()}), got ${v}`);
  return v;
}

function requireText(field: string, v: unknown, max: number): string {
  const t = typeof v === 'string' ? v.trim() : '';
  if (t === '') throw refuse(field, 'REQUIRED', 'is required and must not be empty');
  if ([...t].length > max) throw refuse(field, 'MAX_LENGTH', `must be at most ${max} characters`);
  return t;
}

export interface OpenCaseInput {
  caseNo: string;
  uscc: string;
  partyName: string;
  summary: string;
  leadReceivedOn: string;
  violationCode?: string | null;
  violationEndedOn?: string | null;
  note?: string | null;
}

export interface DiscretionChoice {
  factors: Array<{ factor: string; level: string; percent?: string | null }>;
  tableVersion?: string | null;
  baseAmount?: string | null;
}

export interface PenaltyDocument {
  decisionNo: string;
  authorityName: string;
  authorityUscc: string;
  content: string;
  publicityUntil?: string | null;
}

/** The facts of the case the minor-violation rules test (evaluateMinorViolation); a fact left out is UNKNOWN, never met. */
export interface MinorCaseFacts {
  conduct?: string | null;
  /** The day the violation was committed; by default the case's VIOLATION_ENDED day. */
  occurredOn?: string | null;
  discoveredAt: Date;
  correctionOrderedAt?: Date | null;
  correctedAt?: Date | null;
  harm?: HarmLevel | null;
  measures?: Array<{ code: string; value: string }> | null;
  circumstances?: string[] | null;
}

export interface DecisionInput {
  kind: DecisionKind;
  minorFacts?: MinorCaseFacts | null;
  discretion?: DiscretionChoice | null;
  fineAmount?: string | null;
  penalty?: PenaltyDocument | null;
  educationNote?: string | null;
}

export interface MoveCaseInput {
  to: CaseState;
  on: string;
  note?: string | null;
  violationCode?: string | null;
  decision?: DecisionInput | null;
}

export interface ExtensionInput {
  timer: string;
  approval: string;
  days: number;
  approvedOn: string;
  reason: string;
}

export interface SuspensionInput {
  timer: string;
  from: string;
  to: string;
  reason: string;
}

export interface TransferInput {
  transferNo: string;
  receiver: TransferReceiver;
  receiverAgency: string;
  reasons: string;
  attachments?: TransferAttachment[] | null;
  on: string;
}

export interface TransferDecisionInput {
  accept: boolean;
  on: string;
  reason?: string | null;
  /** On acceptance: the number of the case the receiver opens. */
  caseNo?: string | null;
}

export interface EvidenceInput {
  evidenceNo: string;
  type: string;
  name: string;
  maker: string;
  madeAt: string;
  place: string;
  method: string;
  proves: string;
  collectedBy: Array<{ name: string; certificateNo: string }>;
  signatureStatus: SignatureStatus;
  signatureNote?: string | null;
  sha256: string;
  contentUri: string;
}

export interface CustodyInput {
  action: string;
  holder: string;
  at: string;
  sha256?: string | null;
}

export interface RecognitionInput {
  recognitionNo: string;
  forCaseNo: string;
  reviewer: string;
  reviewedOn: string;
  result: RecognitionResult;
  reasons: string;
}

export interface ContentCheck {
  evidenceNo: string;
  storedSha256: string;
  computedSha256: string;
  matches: boolean;
}

export interface EvidenceLogEntry {
  seq: string;
  at: string;
  evidenceNo: string;
  ownerJurisdiction: string;
  action: string;
  actor: string;
  actorJurisdiction: string | null;
  sha256: string | null;
  detail: string;
}

/** Who acts, as the services see it (the request context's part they need). */
export interface Actor {
  principal: Principal;
}

export class CaseService {
  constructor(private readonly ds: DataSource, private readonly writer: RecordWriter) {}

  /** A district's officer opens a case on a lead: state LEAD, the filing deadline running from the lead's day. */
  async openCase(ctx: Actor, input: OpenCaseInput): Promise<string> {
    const p = ctx.principal;
    const district = p.jurisdiction ?? '';
    this.assertMayAct(p, district);
    const caseNo = requireText('input.caseNo', input.caseNo, 40);
    const on = assertDay('input.leadReceivedOn', input.leadReceivedOn);
    if (input.violationEndedOn != null) {
      assertDay('input.violationEndedOn', input.violationEndedOn);
      if (input.violationEndedOn > on) throw refuse('input.violationEndedOn', 'DATE_ORDER', `must not be after leadReceivedOn (${on})`);
    }
    return this.ds.transaction(async (m) => {
      await this.assertNew(m, 'enforcement_case', 'case_no', caseNo, 'input.caseNo', 'EnforcementCase');
      const events = [{ event: 'LEAD_RECEIVED', on }, ...(input.violationEndedOn ? [{ event: 'VIOLATION_ENDED', on: input.violationEndedOn }] : [])];
      const values: Values = compact({
        caseNo, uscc: input.uscc, partyName: input.partyName, summary: input.summary, violationCode: input.violationCode, state: CaseState.LEAD,
        leadReceivedOn: on, events, extensions: [], suspensions: [], discretionWorking: [],
        transitions: [this.transition(p, null, CaseState.LEAD, on, input.note)], jurisdiction: district,
      });
      await this.writeCase(m, p, this.withDeadlines(values), null);
      return caseNo;
    });
  }

  /** One step of the procedure (not a transfer): checked against the state machine, the step's day and, for a decision, its deadline, evidence and discretion. */
  async moveCase(ctx: Actor, caseNo: string, input: MoveCaseInput): Promise<string> {
    const p = ctx.principal;
    return this.ds.transaction(async (m) => {
      const row = await this.lockCase(m, caseNo);
      this.assertMayAct(p, row.owner_jurisdiction as string);
      const v = valuesOf(ENFORCEMENT_CASE, row);
      const from = v.state as CaseState;
      const allowed = NEXT[from];
      if (!allowed.includes(input.to)) {
        throw refuse('input.to', 'STATE_TRANSITION', `a case in ${from} moves to ${allowed.join(' or ') || 'nothing (it is closed)'}, not ${input.to}; transfers use transferCase`);
      }
      const on = assertDay('input.on', input.on);
      const last = (v.transitions as Array<{ on: string }>).at(-1)?.on ?? (v.leadReceivedOn as string);
      if (on < last) throw refuse('input.on', 'DATE_ORDER', `must not be before the case's last step (${last}), got ${on}`);
      if (input.violationCode) v.violationCode = input.violationCode;
      if (input.decision && input.to !== CaseState.DECIDED) throw refuse('input.decision', 'DECISION_ONLY_WHEN_DECIDING', `is given only with to: DECIDED, not ${input.to}`);

      const event = EVENT_OF[input.to];
      if (event) v.events = [...(v.events as Values[]), { event, on }];
      if (input.to === CaseState.FILED) v.filedOn = on;
      if (input.to === CaseState.CLOSED) v.closedOn = on;

      let penaltyInput: Values | null = null;
      if (input.to === CaseState.DECIDED) {
        if (!input.decision) throw refuse('input.decision', 'REQUIRED', 'is required to decide a case');
        penaltyInput = await this.decide(m, v, row.owner_jurisdiction as District, from, on, input.decision);
      }
      v.transitions = [...(v.transitions as Values[]), this.transition(p, from, input.to, on, input.note)];
      v.state = input.to;
      // The penalty first: the case then names a record that exists, both in this transaction.
      if (penaltyInput) await this.writer.writeIn(m, SYSTEM_PRINCIPAL, PENALTY.write, [penaltyInput], { actor: p.sub, path: 'input.decision.penalty' });
      await this.writeCase(m, p, this.withDeadlines(v), row);
      return caseNo;
    });
  }

  /** An approved extension of a deadline, as the deadline rules allow it (which approvals, how many days in all). */
  async recordExtension(ctx: Actor, caseNo: string, input: ExtensionInput): Promise<string> {
    const p = ctx.principal;
    return this.ds.transaction(async (m) => {
      const row = await this.lockCase(m, caseNo);
      this.assertMayAct(p, row.owner_jurisdiction as string);
      const v = valuesOf(ENFORCEMENT_CASE, row);
      assertDay('input.approvedOn', input.approvedOn);
      const reason = requireText('input.reason', input.reason, 1000);
      v.extensions = [...(v.extensions as Values[]), { timer: input.timer, approval: input.approval, days: input.days, approvedOn: input.approvedOn, reason }];
      await this.writeCase(m, p, this.withDeadlines(v, 'input', (v.extensions as unknown[]).length - 1), row);
      return caseNo;
    });
  }

  /** A period not counted in a deadline (suspension, testing, assessment). */
  async recordSuspension(ctx: Actor, caseNo: string, input: SuspensionInput): Promise<string> {
    const p = ctx.principal;
    return this.ds.transaction(async (m) => {
      const row = await this.lockCase(m, caseNo);
      this.assertMayAct(p, row.owner_jurisdiction as string);
      const v = valuesOf(ENFORCEMENT_CASE, row);
      assertDay('input.from', input.from);
      if (!isDay(input.to)) throw refuse('input.to', 'DATE_FORMAT', `must be a calendar day YYYY-MM-DD, got ${JSON.stringify(input.to)}`);
      if (input.to < input.from) throw refuse('input.to', 'DATE_ORDER', `must not be before input.from (${input.from})`);
      const reason = requireText('input.reason', input.reason, 1000);
      v.suspensions = [...(v.suspensions as Values[]), { timer: input.timer, from: input.from, to: input.to, reason }];
      await this.writeCase(m, p, this.withDeadlines(v, 'input', undefined, (v.suspensions as unknown[]).length - 1), row);
      return caseNo;
    });
  }

  /**
   * Sends a case to another district's bureau or to the police. Refused: a transfer to the
   * case's own district, a second transfer (of a case opened on a transfer, or one already sent),
   * a transfer to the police without its mandatory attachments.
   */
  async transferCase(ctx: Actor, caseNo: string, input: TransferInput): Promise<string> {
    const p = ctx.principal;
    return this.ds.transaction(async (m) => {
      const row = await this.lockCase(m, caseNo);
      const owner = row.owner_jurisdiction as District;
      this.assertMayAct(p, owner);
      const v = valuesOf(ENFORCEMENT_CASE, row);
      const state = v.state as CaseState;
      const toPolice = input.receiver === TransferReceiver.POLICE;
      if ((input.receiver as string) === owner) {
        throw refuse('input.receiver', 'TRANSFER_TO_OWN_DISTRICT', `is the case's own district (${owner}); a case is transferred to another district's bureau or to the police`);
      }
      if (!toPolice && v.transferredFrom) {
        throw refuse('caseNo', 'NO_SECOND_TRANSFER', `case ${caseNo} was opened on transfer ${v.transferredFrom as string}; a receiver that lacks jurisdiction asks the common superior to designate one, it does not transfer again`);
      }
      const [open] = await m.query(`SELECT transfer_no, receiver, status FROM case_transfer WHERE case_no = $1 AND status <> 'REFUSED' AND withdrawn_at IS NULL LIMIT 1`, [caseNo]);
      if (open || state === CaseState.TRANSFERRED_OUT) {
        throw refuse('caseNo', 'NO_SECOND_TRANSFER', `case ${caseNo} is already transferred${open ? ` (${open.transfer_no} to ${open.receiver}, ${open.status})` : ''}; it is not transferred a second time`);
      }
      const states = toPolice ? TRANSFERABLE_TO_POLICE : TRANSFERABLE_TO_DISTRICT;
      if (!states.includes(state)) {
        throw refuse('caseNo', 'STATE_TRANSITION', `a case in ${state} is not transferred to ${toPolice ? 'the police' : 'another district'} (only from ${states.join(', ')})`);
      }
      const attachments = input.attachments ?? [];
      if (toPolice) {
        const missing = POLICE_ATTACHMENTS.filter((a) => !attachments.includes(a));
        if (missing.length) throw refuse('input.attachments', 'POLICE_ATTACHMENTS_REQUIRED', `a transfer to the police must carry ${POLICE_ATTACHMENTS.join(', ')}; missing ${missing.join(', ')}`);
      }
      const on = assertDay('input.on', input.on);
      const last = (v.transitions as Array<{ on: string }>).at(-1)?.on ?? (v.leadReceivedOn as string);
      if (on < last) throw refuse('input.on', 'DATE_ORDER', `must not be before the case's last step (${last}), got ${on}`);
      const transferNo = requireText('input.transferNo', input.transferNo, 40);
      await this.assertNew(m, 'case_transfer', 'transfer_no', transferNo, 'input.transferNo', 'CaseTransfer');
      await this.writer.writeIn(m, SYSTEM_PRINCIPAL, CASE_TRANSFER.write, [compact({
        transferNo, caseNo, uscc: v.uscc, receiver: input.receiver, receiverAgency: input.receiverAgency, reasons: input.reasons, attachments,
        sentOn: on, status: TransferStatus.SENT, jurisdiction: owner, sourceSystem: HUB_SOURCE, sourceRecordId: transferNo, asOf: nextAsOf(null),
      })], { actor: p.sub });
      v.transitions = [...(v.transitions as Values[]), this.transition(p, state, CaseState.TRANSFERRED_OUT, on, `transfer ${transferNo} to ${input.receiver}: ${input.reasons}`)];
      v.state = CaseState.TRANSFERRED_OUT;
      await this.writeCase(m, p, this.withDeadlines(v), row);
      return transferNo;
    });
  }

  /** The receiver signs for a transfer (for the police, the sender records the police's signed receipt). */
  async receiveTransfer(ctx: Actor, transferNo: string, on: string): Promise<string> {
    const p = ctx.principal;
    return this.ds.transaction(async (m) => {
      const row = await this.lockTransfer(m, transferNo);
      this.assertMayAct(p, this.transferActor(row));
      const v = valuesOf(CASE_TRANSFER, row);
      if (v.status !== TransferStatus.SENT) throw refuse('transferNo', 'STATE_TRANSITION', `transfer ${transferNo} is ${v.status as string}; only a SENT transfer is received`);
      const day = assertDay('on', on);
      if (day < (v.sentOn as string)) throw refuse('on', 'DATE_ORDER', `must not be before the day it was sent (${v.sentOn as string})`);
      v.status = TransferStatus.RECEIVED;
      v.receivedOn = day;
      await this.writeTransfer(m, p, v, row);
      return transferNo;
    });
  }

  /**
   * The receiver accepts (opening its own case on it, in LEAD, which may not be transferred to a
   * district again) or refuses with its reasons (the sender's case goes back to where it stood).
   */
  async decideTransfer(ctx: Actor, transferNo: string, input: TransferDecisionInput): Promise<string> {
    const p = ctx.principal;
    return this.ds.transaction(async (m) => {
      const row = await this.lockTransfer(m, transferNo);
      const actor = this.transferActor(row);
      this.assertMayAct(p, actor);
      const v = valuesOf(CASE_TRANSFER, row);
      if (v.status !== TransferStatus.RECEIVED) throw refuse('transferNo', 'STATE_TRANSITION', `transfer ${transferNo} is ${v.status as string}; it is accepted or refused once received`);
      const on = assertDay('input.on', input.on);
      if (on < (v.receivedOn as string)) throw refuse('input.on', 'DATE_ORDER', `must not be before the day it was received (${v.receivedOn as string})`);
      const sender = await this.lockCase(m, v.caseNo as string);
      const sv = valuesOf(ENFORCEMENT_CASE, sender);
      if (input.accept) {
        if (input.reason != null) requireText('input.reason', input.reason, 2000);
        let received: string | null = null;
        if (v.receiver !== TransferReceiver.POLICE) {
          received = requireText('input.caseNo', input.caseNo, 40);
          await this.assertNew(m, 'enforcement_case', 'case_no', received, 'input.caseNo', 'EnforcementCase');
          await this.writeCase(m, p, this.withDeadlines(compact({
            caseNo: received, uscc: sv.uscc, partyName: sv.partyName, summary: sv.summary, violationCode: sv.violationCode, state: CaseState.LEAD,
            leadReceivedOn: on, transferredFrom: transferNo, events: [{ event: 'LEAD_RECEIVED', on }, ...(sv.events as Array<{ event: string }>).filter((e) => e.event === 'VIOLATION_ENDED')],
            extensions: [], suspensions: [], discretionWorking: [], transitions: [this.transition(p, null, CaseState.LEAD, on, `opened on transfer ${transferNo} from ${sender.owner_jurisdiction as string} case ${sv.caseNo as string}`)],
            jurisdiction: actor,
          })), null);
        }
        Object.assign(v, { status: TransferStatus.ACCEPTED, decidedOn: on, decisionReason: input.reason ?? undefined, receivedCaseNo: received ?? undefined });
        await this.writeTransfer(m, p, compact(v), row);
      } else {
        const reason = requireText('input.reason', input.reason, 2000);
        Object.assign(v, { status: TransferStatus.REFUSED, decidedOn: on, decisionReason: reason });
        await this.writeTransfer(m, p, v, row);
        // The sender's case goes back to the state it was transferred from, on the day of the refusal.
        const transitions = sv.transitions as Array<{ from: CaseState | null; to: CaseState }>;
        const before = [...transitions].reverse().find((t) => t.to === CaseState.TRANSFERRED_OUT)?.from ?? CaseState.PRELIM_REVIEW;
        sv.transitions = [...transitions, this.transition(p, CaseState.TRANSFERRED_OUT, before, on, `transfer ${transferNo} refused by ${actor}: ${reason}`)];
        sv.state = before;
        await this.writeCase(m, p, this.withDeadlines(sv), sender);
      }
      return transferNo;
    });
  }

  /**
   * Records an evidence item of a case: at least two collecting officers with certificate numbers,
   * the SHA-256 of its content (the file stays in the district's store at contentUri), and its
   * first custody step; logged in the append-only evidence log.
   */
  async addEvidence(ctx: Actor, caseNo: string, input: EvidenceInput): Promise<string> {
    const p = ctx.principal;
    return this.ds.transaction(async (m) => {
      const row = await this.lockCase(m, caseNo);
      const owner = row.owner_jurisdiction as District;
      this.assertMayAct(p, owner);
      if (!COLLECTING.includes(row.state as CaseState)) throw refuse('caseNo', 'STATE_TRANSITION', `case ${caseNo} is ${row.state as string}; evidence is collected up to the decision`);
      const officers = Array.isArray(input.collectedBy) ? input.collectedBy : [];
      const certificates = new Set(officers.map((o) => (o.certificateNo ?? '').trim()).filter((c) => c !== ''));
      if (officers.length < 2 || certificates.size < 2) {
        throw refuse('input.collectedBy', 'TWO_OFFICERS_REQUIRED', `evidence is collected by at least two officers, each with an enforcement certificate number (Administrative Penalty Law art. 42); got ${officers.length} officer(s) with ${certificates.size} distinct certificate number(s)`);
      }
      if (typeof input.sha256 !== 'string' || !SHA256.test(input.sha256)) {
        throw refuse('input.sha256', 'SHA256_FORMAT', `must be the SHA-256 of the content as 64 hexadecimal characters, got ${typeof input.sha256 === 'string' ? `${input.sha256.length} characters` : 'no text'}`);
      }
      if (input.signatureStatus === SignatureStatus.REFUSED && !input.signatureNote?.trim()) {
        throw refuse('input.signatureNote', 'SIGNATURE_NOTE_REQUIRED', 'says why the party did not sign, as the signature was REFUSED');
      }
      const evidenceNo = requireText('input.evidenceNo', input.evidenceNo, 40);
      await this.assertNew(m, 'evidence_item', 'evidence_no', evidenceNo, 'input.evidenceNo', 'EvidenceItem');
      const sha256 = input.sha256.toLowerCase();
      await this.writer.writeIn(m, SYSTEM_PRINCIPAL, EVIDENCE_ITEM.write, [compact({
        evidenceNo, caseNo, uscc: row.uscc, type: input.type, name: input.name, maker: input.maker, madeAt: input.madeAt, place: input.place, method: input.method,
        proves: input.proves, collectedBy: officers, signatureStatus: input.signatureStatus, signatureNote: input.signatureNote, sha256, contentUri: input.contentUri,
        custodyChain: [{ action: 'COLLECTED', holder: owner, at: input.madeAt, hashRechecked: HashCheck.NOT_CHECKED }],
        jurisdiction: owner, sourceSystem: HUB_SOURCE, sourceRecordId: evidenceNo, asOf: nextAsOf(null),
      })], { actor: p.sub });
      await this.log(m, evidenceNo, owner, 'COLLECTED', p, sha256, { caseNo, contentUri: input.contentUri, officers: officers.map((o) => o.certificateNo) });
      return evidenceNo;
    });
  }

  /** A custody step: appended to the item's chain (the database refuses any other change) and logged; a hash given must match. */
  async recordCustody(ctx: Actor, evidenceNo: string, input: CustodyInput): Promise<string> {
    const p = ctx.principal;
    return this.ds.transaction(async (m) => {
      const [row] = await m.query('SELECT * FROM evidence_item WHERE evidence_no = $1 FOR UPDATE', [evidenceNo]);
      if (!row) throw notFound('evidence item', evidenceNo);
      this.assertMayAct(p, row.owner_jurisdiction as string);
      if (input.sha256 != null && !SHA256.test(input.sha256)) throw refuse('input.sha256', 'SHA256_FORMAT', 'must be 64 hexadecimal characters');
      if (input.sha256 != null && input.sha256.toLowerCase() !== row.sha256) {
        throw refuse('input.sha256', 'HASH_MISMATCH', `does not match the hash recorded at collection (${row.sha256 as string}): the content changed; record it with verifyEvidenceContent`);
      }
      const v = valuesOf(EVIDENCE_ITEM, row);
      const step = { action: requireText('input.action', input.action, 32), holder: requireText('input.holder', input.holder, 100), at: input.at, hashRechecked: input.sha256 ? HashCheck.MATCHED : HashCheck.NOT_CHECKED };
      v.custodyChain = [...(v.custodyChain as Values[]), step];
      await this.writer.writeIn(m, SYSTEM_PRINCIPAL, EVIDENCE_ITEM.write, [{ ...v, sourceSystem: HUB_SOURCE, sourceRecordId: evidenceNo, asOf: nextAsOf(v.asOf) }], { actor: p.sub });
      await this.log(m, evidenceNo, row.owner_jurisdiction as string, 'CUSTODY', p, row.sha256 as string, step);
      return evidenceNo;
    });
  }

  /**
   * Hashes content again and compares it with the hash recorded at collection: the owner's side or
   * a receiver under a transfer may check; the outcome (VERIFIED or MISMATCH) is logged either way.
   */
  async verifyContent(ctx: Actor, evidenceNo: string, contentBase64: string): Promise<ContentCheck> {
    const p = ctx.principal;
    if (typeof contentBase64 !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(contentBase64) || contentBase64.length % 4 !== 0) {
      throw refuse('contentBase64', 'BASE64_FORMAT', 'must be the content in standard base64');
    }
    return this.ds.transaction(async (m) => {
      const row = await this.evidenceFor(m, p, evidenceNo);
      const computed = createHash('sha256').update(Buffer.from(contentBase64, 'base64')).digest('hex');
      const matches = computed === row.sha256;
      await this.log(m, evidenceNo, row.owner_jurisdiction as string, matches ? 'VERIFIED' : 'MISMATCH', p, computed, { recorded: row.sha256 });
      return { evidenceNo, storedSha256: row.sha256 as string, computedSha256: computed, matches };
    });
  }

  /**
   * A receiving district's review of evidence another district collected (zone regulation art.
   * 57), for a case of its own opened on the transfer. Refused: a review by the collecting
   * district (BAD_USER_INPUT), a review by a district the case was not transferred to (FORBIDDEN).
   */
  async reviewEvidence(ctx: Actor, evidenceNo: string, input: RecognitionInput): Promise<string> {
    const p = ctx.principal;
    const reviewer = p.jurisdiction ?? '';
    this.assertMayAct(p, reviewer);
    return this.ds.transaction(async (m) => {
      const [item] = await m.query('SELECT * FROM evidence_item WHERE evidence_no = $1', [evidenceNo]);
      if (!item) throw notFound('evidence item', evidenceNo);
      if (item.owner_jurisdiction === reviewer) {
        throw refuse('evidenceNo', 'RECOGNITION_BY_COLLECTING_DISTRICT', `evidence ${evidenceNo} was collected by ${reviewer}; a recognition review is made by a receiving district, not the collecting one`);
      }
      const receivers: Array<{ receiver: string }> = await m.query(`SELECT receiver FROM case_transfer WHERE case_no = $1 AND status = 'ACCEPTED' AND withdrawn_at IS NULL`, [item.case_no]);
      if (enforcementRecordAccess(p, item.owner_jurisdiction as string, receivers.map((r) => r.receiver)) !== 'transfer') {
        throw forbidden(`evidence ${evidenceNo} belongs to ${item.owner_jurisdiction as string}; ${reviewer} reviews it only once it has accepted a transfer of case ${item.case_no as string}`, {
          rule: 'transfer.required', recordType: 'EVIDENCE_ITEM', ownerJurisdiction: item.owner_jurisdiction,
        });
      }
      const [own] = await m.query('SELECT owner_jurisdiction, state FROM enforcement_case WHERE case_no = $1 FOR UPDATE', [input.forCaseNo]);
      if (!own || own.owner_jurisdiction !== reviewer) throw refuse('input.forCaseNo', 'RECOGNITION_FOR_OWN_CASE', `must be a case of ${reviewer} (the reviewing district), got ${JSON.stringify(input.forCaseNo)}`);
      const reviewedOn = assertDay('input.reviewedOn', input.reviewedOn);
      const reasons = requireText('input.reasons', input.reasons, 2000);
      const recognitionNo = requireText('input.recognitionNo', input.recognitionNo, 40);
      await this.assertNew(m, 'evidence_recognition', 'recognition_no', recognitionNo, 'input.recognitionNo', 'EvidenceRecognition');
      await this.writer.writeIn(m, SYSTEM_PRINCIPAL, EVIDENCE_RECOGNITION.write, [compact({
        recognitionNo, evidenceNo, forCaseNo: input.forCaseNo, uscc: item.uscc, reviewer: input.reviewer, reviewedOn, result: input.result, reasons,
        sha256Reviewed: item.sha256, jurisdiction: reviewer, sourceSystem: HUB_SOURCE, sourceRecordId: recognitionNo, asOf: nextAsOf(null),
      })], { actor: p.sub });
      await this.log(m, evidenceNo, item.owner_jurisdiction as string, input.result === RecognitionResult.ACCEPTED ? 'RECOGNISED' : 'NOT_RECOGNISED', p, item.sha256 as string, { recognitionNo, forCaseNo: input.forCaseNo, reasons });
      return recognitionNo;
    });
  }

  /** The evidence log of one item, oldest first, for its owner's side and a receiver under a transfer. */
  async evidenceLog(ctx: Actor, evidenceNo: string): Promise<{ owner: string; entries: EvidenceLogEntry[] }> {
    const row = await this.evidenceFor(this.ds.manager, ctx.principal, evidenceNo);
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      'SELECT seq, at, evidence_no, owner_jurisdiction, action, actor, actor_jurisdiction, sha256, detail FROM evidence_log WHERE evidence_no = $1 ORDER BY seq', [evidenceNo]);
    return {
      owner: row.owner_jurisdiction as string,
      entries: rows.map((r) => ({
        seq: String(r.seq), at: new Date(r.at as string).toISOString(), evidenceNo: r.evidence_no as string, ownerJurisdiction: r.owner_jurisdiction as string,
        action: r.action as string, actor: r.actor as string, actorJurisdiction: (r.actor_jurisdiction as string | null) ?? null, sha256: (r.sha256 as string | null) ?? null,
        detail: JSON.stringify(r.detail),
      })),
    };
  }

  // -------------------------------------------------------------------------------------------

  /** The decision: its deadline, its evidence, the discretion ruler and the penalty record it produces. Returns the penalty's input, or null. */
  private async decide(m: EntityManager, v: Values, owner: District, from: CaseState, on: string, d: DecisionInput): Promise<Values | null> {
    const kinds = Object.values(DecisionKind) as string[];
    if (!kinds.includes(d.kind)) throw refuse('input.decision.kind', 'ENUM', `must be one of ${kinds.join(', ')}`);
    if (d.kind === DecisionKind.PENALTY && from === CaseState.CASE_REVIEW) {
      throw refuse('input.to', 'NOTICE_BEFORE_PENALTY', 'a penalty is decided only after the notice of the proposed penalty (Administrative Penalty Law art. 62): move the case to NOTICE_SENT first');
    }
    // The decision deadline: 90 days from filing, plus recorded extensions, suspended days not counted.
    const due = this.schedule(v).deadlines.find((x) => x.timer.code === 'DECISION');
    if (due?.dueOn && on > due.dueOn) {
      throw refuse('input.on', 'DECISION_AFTER_DEADLINE', `${on} is after the decision deadline ${due.dueOn} (from filing on ${due.startsOn}, ${due.extensionDays} extension day(s) recorded, ${due.suspendedDays} day(s) suspended); record an approved extension with recordCaseExtension first`);
    }
    v.decisionKind = d.kind;
    v.decidedOn = on;
    if (d.kind === DecisionKind.NO_PENALTY_MINOR) {
      await this.decideMinor(m, v, owner, on, d);
      return null;
    }
    if (d.kind !== DecisionKind.PENALTY) return null;

    const [{ own, accepted }] = await m.query(
      `SELECT (SELECT count(*)::int FROM evidence_item WHERE case_no = $1) AS own,
              (SELECT count(*)::int FROM evidence_recognition WHERE for_case_no = $1 AND result = 'ACCEPTED' AND withdrawn_at IS NULL) AS accepted`, [v.caseNo]);
    if (own + accepted === 0) {
      throw refuse('input.decision.kind', 'EVIDENCE_REQUIRED', `case ${v.caseNo as string} has no evidence of its own and no other district's evidence accepted by review; a penalty needs evidence`);
    }
    if (!d.discretion) throw refuse('input.decision.discretion', 'REQUIRED', 'is required for a PENALTY: the fine is set by the discretion ruler');
    if (!v.violationCode) throw refuse('input.violationCode', 'REQUIRED', 'the case has no violation code; give it to decide a penalty');
    if (!d.penalty) throw refuse('input.decision.penalty', 'REQUIRED', 'is required for a PENALTY: the decision document the penalty record is written from');
    const result = withEnforcementErrors('input.decision.discretion', () => computeDiscretion(enforcementData().discretionTables, {
      violationCode: v.violationCode as string, factors: d.discretion!.factors, tableVersion: d.discretion!.tableVersion, baseAmount: d.discretion!.baseAmount,
      asOf: on, jurisdiction: owner,
    }, todayInChina()));
    let fine = result.fine;
    const working = [...result.working];
    if (d.fineAmount != null) {
      let given: Decimal;
      try {
        given = new Decimal(d.fineAmount);
      } catch {
        throw refuse('input.decision.fineAmount', 'DECIMAL_FORMAT', `must be a decimal amount in yuan, got ${JSON.stringify(d.fineAmount)}`);
      }
      if (given.lt(result.legalMin) || given.gt(result.legalMax)) {
        throw refuse('input.decision.fineAmount', 'FINE_OUTSIDE_LEGAL_RANGE', `${given.toFixed(2)} yuan is outside the legal range of ${result.violationCode} (${result.legalBasis}): ${result.legalMin.toFixed(2)} to ${result.legalMax.toFixed(2)} yuan`);
      }
      if (!given.eq(fine)) working.push(`fine set by the deciding body at ${given.toFixed(2)} yuan, within the legal range, against the ruler's ${fine.toFixed(2)}`);
      fine = given;
    }
    v.fineAmount = fine.toFixed(2);
    v.discretionTableVersion = result.table.version;
    v.discretionWorking = working;
    v.penaltyDecisionNo = d.penalty.decisionNo;
    return compact({
      decisionNo: d.penalty.decisionNo, uscc: v.uscc, violationType: result.conduct.slice(0, 200), facts: v.summary, legalBasis: result.legalBasis,
      categories: [PenaltyCategory.FINE], content: d.penalty.content, fineAmount: fine.toFixed(2), decisionDate: on, authorityName: d.penalty.authorityName,
      authorityUscc: d.penalty.authorityUscc, publicityUntil: d.penalty.publicityUntil, status: PenaltyStatus.DECIDED,
      sourceSystem: HUB_SOURCE, sourceRecordId: v.caseNo, asOf: nextAsOf(null),
    });
  }

  /**
   * A no-penalty decision for a minor violation (处罚法 art. 33): the minor-violation rules are
   * asked with the case's facts — its violation code and district, the facts given, and the
   * party's earlier violations as the hub knows them (decided cases of the party in any district,
   * and penalties that no case produced) — and the decision is refused, naming the rule
   * MINOR_VIOLATION_RULE_NOT_MET, unless one applies. When one does, the case keeps the rule, the
   * education given and whether the first offence was used; no penalty is written, so no penalty
   * change (nor credit event) follows.
   */
  private async decideMinor(m: EntityManager, v: Values, owner: District, on: string, d: DecisionInput): Promise<void> {
    const education = requireText('input.decision.educationNote', d.educationNote, 2000);
    if (!v.violationCode) throw refuse('input.violationCode', 'REQUIRED', 'the case has no violation code; give it to decide on the minor-violation rules');
    const f = d.minorFacts;
    if (!f) throw refuse('input.decision.minorFacts', 'REQUIRED', 'is required for NO_PENALTY_MINOR: the facts the minor-violation rules test');
    const ended = (v.events as Array<{ event: string; on: string }>).find((e) => e.event === 'VIOLATION_ENDED')?.on ?? null;
    const occurredOn = f.occurredOn ?? ended;
    if (occurredOn == null) throw refuse('input.decision.minorFacts.occurredOn', 'REQUIRED', 'the case records no day of the violation (violationEndedOn); give the day it was committed');
    if (!isDay(occurredOn)) throw refuse('input.decision.minorFacts.occurredOn', 'DATE_FORMAT', `must be a calendar day YYYY-MM-DD, got ${JSON.stringify(occurredOn)}`);
    const earlier: Array<{ code: string; on: string; used: string | null }> = await m.query(
      `SELECT c.violation_code AS code, COALESCE((SELECT e->>'on' FROM jsonb_array_elements(c.events) e WHERE e->>'event' = 'VIOLATION_ENDED' LIMIT 1), c.lead_received_on::text) AS on, c.first_offence AS used
         FROM enforcement_case c
        WHERE c.uscc = $1 AND c.case_no <> $2 AND c.violation_code IS NOT NULL AND c.decision_kind IN ('PENALTY', 'NO_PENALTY_MINOR') AND c.withdrawn_at IS NULL
       UNION ALL
       SELECT p.violation_type, p.decision_date::text, NULL
         FROM penalty p JOIN enterprise e ON e.id = p.enterprise_id
        WHERE e.uscc = $1 AND p.withdrawn_at IS NULL AND p.status <> 'REVOKED'
          AND NOT EXISTS (SELECT 1 FROM enforcement_case c WHERE c.penalty_decision_no = p.decision_no)`, [v.uscc, v.caseNo]);
    const priorOffences: PriorOffence[] = earlier.map((r) => ({ violationCode: r.code, on: r.on, firstOffenceUsed: r.used === FirstOffence.USED }));
    const result = withEnforcementErrors('input.decision.minorFacts', () => evaluateMinorViolation(enforcementData().minorViolationLists, {
      violationCode: v.violationCode as string, conduct: f.conduct, occurredOn, discoveredAt: f.discoveredAt, correctionOrderedAt: f.correctionOrderedAt,
      correctedAt: f.correctedAt, harm: f.harm, priorOffences, measures: f.measures, circumstances: f.circumstances, decidingOn: on, jurisdiction: owner,
    }, todayInChina()));
    if (!result.applied) {
      throw badInput('input.decision.kind', `no minor-violation rule allows a no-penalty decision for ${v.violationCode as string}: ${result.explanation}`, {
        rule: 'MINOR_VIOLATION_RULE_NOT_MET', outcome: result.outcome,
      });
    }
    const a = result.applied;
    v.minorRuleId = `${a.list.listId}/${a.rule.itemNo}`;
    v.firstOffence = result.firstOffenceUsed ? FirstOffence.USED : FirstOffence.NOT_USED;
    v.educationNote = education;
    v.discretionWorking = [
      `no penalty as a minor violation: ${result.explanation}${a.list.illustrative ? ' (an illustrative list, not an official one)' : ''}`,
      ...a.conditions.map((c) => `${c.requirement}: ${c.status} (${c.actual})`),
      `education of the party: ${education}`,
      result.firstOffenceUsed ? 'first offence used' : 'first offence not used (a rule that shall not penalise)',
    ].map((line) => line.slice(0, 1000));
  }

  /** The schedule of the case's deadlines by the deadline rules; bad extensions or suspensions are the caller's input errors. */
  private schedule(v: Values, field = 'input') {
    const rules = enforcementData().deadlineRules[0];
    const req: DeadlineRequest = {
      events: (v.events as Array<{ event: string; on: string }>).map((e) => ({ event: e.event, on: e.on })),
      extensions: (v.extensions as Array<{ timer: string; approval: string; days: number }>).map((e) => ({ timer: e.timer, approval: e.approval, days: e.days })),
      suspensions: (v.suspensions as Array<{ timer: string; from: string; to: string }>).map((s) => ({ timer: s.timer, from: s.from, to: s.to })),
    };
    return withEnforcementErrors(field, () => computeDeadlines(rules, req));
  }

  /** The case's deadlines, each OPEN, MET or MISSED, and its earliest open agency deadline. */
  private withDeadlines(v: Values, field = 'input', extension?: number, suspension?: number): Values {
    let schedule;
    try {
      schedule = this.schedule(v, '__');
    } catch (err) {
      // Point the engine's complaint at the item just added (input.days, input.timer…).
      const e = err as HubError;
      const f = String(e.extensions?.field ?? '');
      const inner = f.replace(/^__\.(extensions|suspensions)\[\d+\]\.?/, '');
      if ((extension !== undefined || suspension !== undefined) && inner !== f) throw refuse(`${field}.${inner || 'timer'}`, String(e.extensions?.rule ?? 'DEADLINE_RULES'), e.message.replace(/^[^:]*: /, ''));
      throw err;
    }
    const transitions = v.transitions as Array<{ to: CaseState; on: string }>;
    const metOn = (timer: string): string | null => {
      const states = MET_BY[timer] ?? PARTY_MET_BY[timer];
      if (!states) return null;
      return transitions.find((t) => states.includes(t.to))?.on ?? null;
    };
    const version = schedule.rules.version;
    const deadlines = schedule.deadlines.map((d: ComputedDeadline) => {
      const met = metOn(d.timer.code);
      const status = met ? (d.dueOn && met > d.dueOn ? DeadlineStatus.MISSED : DeadlineStatus.MET) : DeadlineStatus.OPEN;
      return compact({
        timer: d.timer.code, name: `${d.timer.name} ${d.timer.nameEn}`.slice(0, 200), basis: d.timer.basis.slice(0, 500), startsOn: d.startsOn, dueOn: d.dueOn,
        extensionDays: d.extensionDays, suspendedDays: d.suspendedDays, status, metOn: met, rulesVersion: version,
      });
    });
    const open = deadlines.filter((d) => d.status === DeadlineStatus.OPEN && MET_BY[d.timer as string] && typeof d.dueOn === 'string')
      .sort((a, b) => ((a.dueOn as string) < (b.dueOn as string) ? -1 : 1));
    const closed = v.state === CaseState.CLOSED || v.state === CaseState.TRANSFERRED_OUT || v.state === CaseState.NOT_FILED;
    return { ...v, deadlines, nextDueOn: closed ? undefined : open[0]?.dueOn, nextDueTimer: closed ? undefined : open[0]?.timer };
  }

  private transition(p: Principal, from: CaseState | null, to: CaseState, on: string, note?: string | null): Values {
    return compact({ from, to, on, at: new Date().toISOString(), by: p.sub.slice(0, 128), org: p.org?.slice(0, 64), note: note?.slice(0, 2000) });
  }

  private async writeCase(m: EntityManager, p: Principal, v: Values, before: Record<string, unknown> | null): Promise<void> {
    const input = compact({ ...v, sourceSystem: HUB_SOURCE, sourceRecordId: v.caseNo, asOf: nextAsOf(before ? fromColumn({ name: 'asOf', kind: 'datetime', description: '' }, before.source_as_of) : null) });
    await this.writer.writeIn(m, SYSTEM_PRINCIPAL, ENFORCEMENT_CASE.write, [input], { actor: p.sub });
  }

  private async writeTransfer(m: EntityManager, p: Principal, v: Values, before: Record<string, unknown>): Promise<void> {
    const asOf = nextAsOf(fromColumn({ name: 'asOf', kind: 'datetime', description: '' }, before.source_as_of));
    await this.writer.writeIn(m, SYSTEM_PRINCIPAL, CASE_TRANSFER.write, [compact({ ...v, sourceSystem: HUB_SOURCE, sourceRecordId: v.transferNo, asOf })], { actor: p.sub });
  }

  private async lockCase(m: EntityManager, caseNo: string): Promise<Record<string, unknown>> {
    const [row] = await m.query('SELECT * FROM enforcement_case WHERE case_no = $1 FOR UPDATE', [caseNo]);
    if (!row) throw notFound('enforcement case', caseNo);
    return row;
  }

  private async lockTransfer(m: EntityManager, transferNo: string): Promise<Record<string, unknown>> {
    const [row] = await m.query('SELECT * FROM case_transfer WHERE transfer_no = $1 FOR UPDATE', [transferNo]);
    if (!row) throw notFound('case transfer', transferNo);
    return row;
  }

  /** Who acts on a transfer's receipt and decision: the receiving district, or for the police the sender (recording the police's answer). */
  private transferActor(row: Record<string, unknown>): string {
    return row.receiver === TransferReceiver.POLICE ? (row.owner_jurisdiction as string) : (row.receiver as string);
  }

  /** An evidence item the principal may use: its owner's side, or a receiver under a transfer not refused. */
  private async evidenceFor(m: EntityManager, p: Principal, evidenceNo: string): Promise<Record<string, unknown>> {
    const [row] = await m.query('SELECT * FROM evidence_item WHERE evidence_no = $1', [evidenceNo]);
    if (!row) throw notFound('evidence item', evidenceNo);
    const receivers: Array<{ receiver: string }> = await m.query(`SELECT receiver FROM case_transfer WHERE case_no = $1 AND status <> 'REFUSED' AND withdrawn_at IS NULL`, [row.case_no]);
    if (!enforcementRecordAccess(p, row.owner_jurisdiction as string, receivers.map((r) => r.receiver))) {
      throw forbidden(`EVIDENCE_ITEM ${evidenceNo} belongs to ${row.owner_jurisdiction as string}, which this principal may not read (no transfer of its case to the principal's district)`, {
        rule: 'sharing.notShared', recordType: 'EVIDENCE_ITEM', ownerJurisdiction: row.owner_jurisdiction,
      });
    }
    return row;
  }

  private assertMayAct(p: Principal, district: string): void {
    const denial = enforcementActDenial(p, district);
    if (denial) throw forbidden(denial, { rule: 'enforcement.ownDistrictOnly', reason: denial, ownerJurisdiction: isDistrict(district) ? district : null });
  }

  private async assertNew(m: EntityManager, table: string, column: string, key: string, field: string, type: string): Promise<void> {
    const [found] = await m.query(`SELECT 1 FROM ${table} WHERE ${column} = $1`, [key]);
    if (found) throw conflict(`${field}: ${type} ${key} already exists; its number is used once`, { field, rule: 'KEY_USED' });
  }

  private async log(m: EntityManager, evidenceNo: string, owner: string, action: string, p: Principal, sha256: string | null, detail: object): Promise<void> {
    await m.query(
      'INSERT INTO evidence_log (evidence_no, owner_jurisdiction, action, actor, actor_jurisdiction, sha256, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [evidenceNo, owner, action, p.sub, p.jurisdiction ?? null, sha256, JSON.stringify(detail)],
    );
  }
}
