/**
 * The objection workflow's states and steps (docs/objections.md; reference: sharing.md §5, the
 * 淮安 standard's 异议提出 → 异议受理 → 异议标注 → 异议核实与处理 → 标注撤销 → 档案管理).
 */

/** Where an objection stands. */
export enum ObjectionStatus {
  /** Raised by a reader; waiting for the owner's data steward (异议提出). */
  RAISED = 'RAISED',
  /** Accepted by the owner and the record flagged for every reader (异议受理, 异议标注). */
  FLAGGED = 'FLAGGED',
  /** The owner is checking the record (异议核实). Still flagged. */
  VERIFYING = 'VERIFYING',
  /** Resolved (corrected or rejected), flag removed, file closed and kept (标注撤销, 档案管理). */
  ARCHIVED = 'ARCHIVED',
}

/** How an objection was resolved. */
export enum ObjectionOutcome {
  /** The record was wrong; the corrected version was written (数据修正). */
  CORRECTED = 'CORRECTED',
  /** The record stands; the owner said why. */
  REJECTED = 'REJECTED',
}

/** One kept step of an objection's history. */
export enum ObjectionStepKind {
  RAISED = 'RAISED',
  ACCEPTED = 'ACCEPTED',
  FLAGGED = 'FLAGGED',
  VERIFYING = 'VERIFYING',
  CORRECTED = 'CORRECTED',
  REJECTED = 'REJECTED',
  FLAG_REMOVED = 'FLAG_REMOVED',
  ARCHIVED = 'ARCHIVED',
}

/** The states in which the record carries `underObjection: true`. */
export const OPEN_FLAG_STATUSES: readonly ObjectionStatus[] = [ObjectionStatus.FLAGGED, ObjectionStatus.VERIFYING];

/** Change-log ops a credit record's objection appends (the credit feed shows them). */
export const OBJECTION_FLAGGED = 'OBJECTION_FLAGGED';
export const OBJECTION_CLEARED = 'OBJECTION_CLEARED';

/** The event-bus channel of objection state changes (src/db/events.ts). */
export const OBJECTION_CHANNEL = 'eco_hub_objections' as const;

/** Limits on what an objection carries (the hub's, not a legal rule). */
export const REASON_MAX = 2000;
export const EVIDENCE_MAX_ITEMS = 20;
export const EVIDENCE_ITEM_MAX = 1000;
