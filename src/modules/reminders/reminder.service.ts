import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { reminderActionDenial } from '../../auth/policy';
import { reminderScope } from '../../auth/scope';
import type { Principal } from '../../auth/principal';
import type { EventBus } from '../../db/events';
import { publishIn } from '../../db/events';
import { SqlParams } from '../../db/sql';
import { isDistrict } from '../../domain/jurisdictions';
import { badInput, ErrorCode, forbidden, HubError } from '../../graphql/errors';
import { encodeCursor, keysetPage, Page, PageArgs, pageRequest } from '../../graphql/pagination';
import type { ReadContext } from '../dossier/record-store';
import { HUB_TIME_ZONE } from '../monitoring';
import { ReminderEvent, ReminderKind, ReminderStatus, ReminderSubject } from './reminder.codes';
import type { ReminderRule, ReminderRules } from './reminder-rules';
import { ComplianceReminder, ReminderFilter, ReminderLogEntry } from './reminder.types';

export const REMINDERS_CHANNEL = 'eco_hub_reminders' as const;
const REMINDER_TAG = 'REMINDER';
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** The pass kind whose progress `reminder_pass_mark` keeps. */
const PERMIT_PASS = 'PERMITS';
/** The change-log record types a permit reminder reads: the permit itself, its siblings (renewed) and its firm. */
const PERMIT_INPUTS = ['PERMIT', 'ENTERPRISE'];
/** Beyond this many changed firms (a large import), a same-day pass reads every permit instead of looking each firm up. */
const CHANGED_FIRMS_MAX = 5000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the metrics learn from the service (src/http/metrics.ts); optional, so the CLIs and tests run without. */
export interface ReminderObserver {
  created(kind: ReminderKind): void;
}

/** One generation pass: what it filed (by kind) and what it delivered. */
export interface GenerationResult {
  /** The China Standard Time day the rules were applied on. */
  day: string;
  candidates: number;
  /**
   * Permits the pass read: every valid or lapsed one of an active firm, or, where a pass under the
   * same rules already ran on the same day, only those of firms changed since ("What a pass reads").
   */
  permitsRead: number;
  /** Whether the permits were read in full (`ALL`) or only those of changed firms (`CHANGED`). */
  permitScope: 'ALL' | 'CHANGED';
  created: number;
  byKind: Partial<Record<ReminderKind, number>>;
  delivered: number;
}

/** A reminder the rules found, before it is filed. */
interface Candidate {
  kind: ReminderKind;
  ruleId: string;
  subjectType: ReminderSubject;
  subjectKey: string;
  enterpriseId: string | null;
  uscc: string | null;
  enterpriseName: string | null;
  owner: string;
  dueOn: string;
  message: string;
  details: Record<string, unknown>;
}

interface FirmRow {
  enterprise_id: string;
  uscc: string;
  name: string;
  owner: string;
}

/** The China Standard Time day (YYYY-MM-DD) of an instant. */
export function chinaDay(at: Date): string {
  return new Date(at.getTime() + 8 * HOUR_MS).toISOString().slice(0, 10);
}

function isCalendarDay(v: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v;
}

/**
 * Pure functions of days that a pass calls for every permit with the same few arguments (the day,
 * the rules' offsets, period ends): remembered, so a pass over a hundred thousand permits does not
 * build millions of Dates. Bounded; forgotten whole when full.
 */
function remembered<A extends unknown[], R>(f: (...a: A) => R, max = 10_000): (...a: A) => R {
  const memo = new Map<string, R>();
  return (...a: A) => {
    const key = a.join('|');
    let r = memo.get(key);
    if (r === undefined) {
      if (memo.size >= max) memo.clear();
      memo.set(key, (r = f(...a)));
    }
    return r;
  };
}

const addDays = remembered((day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10));

const daysBetween = remembered((from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS));

/** Last days of the reporting periods of a frequency that end within [from, to] (remembered: callers must not change the array). */
export const periodEnds = remembered((frequency: string, from: string, to: string): readonly string[] => {
  const months = frequency === 'ANNUAL' ? 12 : frequency === 'QUARTERLY' ? 3 : frequency === 'MONTHLY' ? 1 : 0;
  if (!months) return [];
  const out: string[] = [];
  const y0 = Number(from.slice(0, 4)) - 1;
  const y1 = Number(to.slice(0, 4)) + 1;
  for (let y = y0; y <= y1; y++) {
    for (let m = months; m <= 12; m += months) {
      const end = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
      if (end >= from && end <= to) out.push(end);
    }
  }
  return out;
});

function who(p: Principal): string {
  return p.kind === 'system' ? 'system' : `${p.sub ?? 'unknown'} (${p.jurisdiction ?? 'public'})`.slice(0, 120);
}

function toReminder(r: Record<string, unknown>, history: ReminderLogEntry[] = []): ComplianceReminder {
  const t = (v: unknown) => (v ? new Date(v as string) : null);
  return Object.assign(new ComplianceReminder(), {
    id: String(r.id), kind: r.kind, ruleId: r.rule_id, subjectType: r.subject_type, subjectKey: r.subject_key, uscc: r.uscc ?? null,
    enterpriseName: r.enterprise_name ?? null, ownerJurisdiction: r.owner_jurisdiction, catalogResourceCode: r.catalog_resource_code,
    dueOn: String(r.due_on), message: r.message, details: r.details ?? {}, rulesVersion: r.rules_version, status: r.status,
    createdAt: new Date(r.created_at as string), deliveredAt: t(r.delivered_at), readAt: t(r.read_at), readBy: r.read_by ?? null,
    acknowledgedAt: t(r.acknowledged_at), acknowledgedBy: r.acknowledged_by ?? null, acknowledgementNote: r.acknowledgement_note ?? null, history,
  });
}

function toLogEntry(r: Record<string, unknown>): ReminderLogEntry {
  return Object.assign(new ReminderLogEntry(), { event: r.event, at: new Date(r.at as string), actor: r.actor, channel: r.channel ?? null, note: r.note ?? null });
}

/**
 * Compliance reminders (issue 17, item 3): applies the reminder rules to the dossier (permits and
 * their execution-report schedules, enterprises, outlets' observations, the positive list, open
 * alerts) on a day, files one reminder per rule, subject and due date (a unique index makes every
 * pass idempotent), delivers what is filed on `eco_hub_reminders`, and serves the addressee's
 * read and acknowledgement. Every step is a row of the reminder's append-only history.
 */
export class ReminderService {
  /** Permits read and filed per chunk of a pass. */
  permitChunk = 2000;
  /** The rules' identity for `reminder_pass_mark`: a pass under other rules reads every permit again. */
  private readonly rulesFingerprint: string;

  constructor(
    private readonly ds: DataSource,
    readonly rules: ReminderRules,
    private readonly events?: Pick<EventBus, 'publish'>,
    private readonly observer?: ReminderObserver,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.rulesFingerprint = createHash('sha256').update(JSON.stringify(rules)).digest('hex');
  }

  // ------------------------------------------------------------------------------------------
  // Generation

  /**
   * One pass: the rules on the clock's day (China Standard Time), what they find filed, then
   * everything undelivered delivered. Permits are read and filed a chunk at a time (by permit
   * number), so a zone of a hundred thousand firms never sits in memory at once; each chunk commits
   * on its own, and a pass that stops half way is completed by the next (filing is idempotent).
   *
   * What a pass reads. A permit's reminders on a day follow from the permit, its firm's other
   * permits and the firm, all written through the record writer, which logs every change. So once
   * a pass has filed what a day's permits call for, a later pass on the same day under the same
   * rules (the next interval, a restart, a second instance) reads only the permits of firms with a
   * permit or enterprise change logged since; the first pass of a day, under changed rules, or after
   * changes to more than CHANGED_FIRMS_MAX firms, reads them all. `reminder_pass_mark` keeps the
   * day, the rules' fingerprint and the change-log number read up to, written only when the permits
   * are all filed. A value changed around the writer (by hand in SQL) is seen by the next day's
   * first pass.
   */
  async generate(now: Date = this.clock()): Promise<GenerationResult> {
    const day = chinaDay(now);
    const { changed, upTo } = await this.permitMark(day);
    let permitsRead = 0;
    let candidates = 0;
    let created = 0;
    const byKind: Partial<Record<ReminderKind, number>> = {};
    const take = async (found: Candidate[]): Promise<void> => {
      candidates += found.length;
      for (const c of await this.file(found, now)) {
        byKind[c.kind] = (byKind[c.kind] ?? 0) + 1;
        created++;
      }
    };
    for (let after: string | null = null; ;) {
      const chunk = await this.permitReminders(day, after, changed);
      if (!chunk) break;
      permitsRead += chunk.read;
      await take(chunk.candidates);
      after = chunk.last;
    }
    await this.markPermits(day, upTo, now);
    await take(await this.hazardousWasteReminders(day));
    await take(await this.selfMonitoringReminders(now));
    await take(await this.positiveListReminders(day));
    const delivered = await this.deliverPending(now);
    return { day, candidates, permitsRead, permitScope: changed === null ? 'ALL' : 'CHANGED', created, byKind, delivered };
  }

  /**
   * Where the permit pass stands on `day`, in one statement: the firms (by USCC) with a permit or
   * enterprise change logged after the number a finished pass of that day under these rules read up
   * to (`changed`; null when there is no such pass, or when more than CHANGED_FIRMS_MAX changed), and
   * the number this pass reads up to (`upTo`), taken before any permit is read. Appends take the
   * change log's lock until they commit, so every change numbered up to `upTo` is visible to the
   * reads that follow, and any later one is numbered above it.
   */
  private async permitMark(day: string): Promise<{ changed: string[] | null; upTo: string }> {
    const [row]: Array<{ up_to: string; since: string | null; changed: string[] }> = await this.ds.query(
      `WITH m AS (SELECT through_seq FROM reminder_pass_mark WHERE pass = $1 AND day = $2::date AND rules_fingerprint = $3)
       SELECT (SELECT coalesce(max(seq), 0) FROM change_log)::text AS up_to, (SELECT through_seq::text FROM m) AS since,
         ARRAY(SELECT DISTINCT c.uscc FROM change_log c, m WHERE c.record_type = ANY($4::varchar[]) AND c.seq > m.through_seq AND c.uscc IS NOT NULL LIMIT $5)::text[] AS changed`,
      [PERMIT_PASS, day, this.rulesFingerprint, PERMIT_INPUTS, CHANGED_FIRMS_MAX + 1]);
    return { changed: row.since === null || row.changed.length > CHANGED_FIRMS_MAX ? null : row.changed, upTo: row.up_to };
  }

  /** Records that every permit reminder of `day` under these rules is filed, as of change-log number `upTo`. */
  private async markPermits(day: string, upTo: string, at: Date): Promise<void> {
    await this.ds.query(
      `INSERT INTO reminder_pass_mark (pass, day, rules_fingerprint, through_seq, completed_at) VALUES ($1, $2::date, $3, $4::bigint, $5::timestamptz)
       ON CONFLICT (pass) DO UPDATE SET day = excluded.day, rules_fingerprint = excluded.rules_fingerprint, through_seq = excluded.through_seq, completed_at = excluded.completed_at`,
      [PERMIT_PASS, day, this.rulesFingerprint, upTo, at.toISOString()]);
  }

  private rulesOf(...kinds: ReminderKind[]): ReminderRule[] {
    return this.rules.rules.filter((r) => kinds.includes(r.kind));
  }

  /**
   * Renewal, expiry and execution reports: each VALID (or lapsed) permit of an active firm, with its
   * own dates and schedule; the chunk of permits after `after` (by permit number), or null past the last.
   */
  private async permitReminders(day: string, after: string | null, firms: readonly string[] | null): Promise<{ candidates: Candidate[]; last: string; read: number } | null> {
    const renewal = this.rulesOf(ReminderKind.PERMIT_RENEWAL_DUE);
    const expired = this.rulesOf(ReminderKind.PERMIT_EXPIRED);
    const due = this.rulesOf(ReminderKind.EXECUTION_REPORT_DUE);
    const overdue = this.rulesOf(ReminderKind.EXECUTION_REPORT_OVERDUE);
    if ((!renewal.length && !expired.length && !due.length && !overdue.length) || firms?.length === 0) return null;
    const rows: Array<FirmRow & { permit_no: string; valid_from: string; valid_to: string; status: string; execution_reports: Array<{ frequency: string; dueDaysAfterPeriodEnd: number; reportedThrough?: string | null }>; renewed: boolean }> = await this.ds.query(
      `SELECT p.permit_no, p.valid_from::text AS valid_from, p.valid_to::text AS valid_to, p.status, p.execution_reports,
         e.id AS enterprise_id, e.uscc, e.name, e.owner_jurisdiction AS owner,
         EXISTS (SELECT 1 FROM permit q WHERE q.enterprise_id = p.enterprise_id AND q.id <> p.id AND q.withdrawn_at IS NULL AND q.status = 'VALID' AND q.valid_to > p.valid_to) AS renewed
       FROM permit p JOIN enterprise e ON e.id = p.enterprise_id
       WHERE p.withdrawn_at IS NULL AND e.withdrawn_at IS NULL AND e.registration_status = 'ACTIVE' AND p.status IN ('VALID', 'EXPIRED')
         AND ($1::varchar IS NULL OR p.permit_no > $1::varchar)
         AND ($3::varchar[] IS NULL OR e.uscc = ANY($3::varchar[]))
       ORDER BY p.permit_no LIMIT $2`, [after, this.permitChunk, firms]);
    if (!rows.length) return null;
    const out: Candidate[] = [];
    const firm = (r: FirmRow) => ({ enterpriseId: r.enterprise_id, uscc: r.uscc, enterpriseName: r.name, owner: r.owner });
    for (const p of rows) {
      const left = daysBetween(day, p.valid_to);
      if (!p.renewed && p.status === 'VALID' && left >= 0) {
        // The tightest stage reached only: 30 days before expiry is the 60-day reminder, not the 90-day one as well.
        const stage = renewal.filter((r) => left <= r.remindDaysBefore!).sort((a, b) => a.remindDaysBefore! - b.remindDaysBefore!)[0];
        if (stage) {
          out.push({ kind: stage.kind, ruleId: stage.id, subjectType: ReminderSubject.PERMIT, subjectKey: p.permit_no, ...firm(p), dueOn: p.valid_to,
            message: `Permit ${p.permit_no} of ${p.name} expires on ${p.valid_to} (${left} days left): the firm applies for renewal before then.`,
            details: { permitNo: p.permit_no, validTo: p.valid_to, daysLeft: left, remindDaysBefore: stage.remindDaysBefore } });
        }
      }
      for (const r of expired) {
        if (p.renewed || left >= 0 || -left > r.lookbackDays!) continue;
        out.push({ kind: r.kind, ruleId: r.id, subjectType: ReminderSubject.PERMIT, subjectKey: p.permit_no, ...firm(p), dueOn: p.valid_to,
          message: `Permit ${p.permit_no} of ${p.name} expired on ${p.valid_to} and the firm holds no later valid permit.`,
          details: { permitNo: p.permit_no, validTo: p.valid_to, daysSince: -left } });
      }
      if (p.status !== 'VALID' || left < 0) continue;
      for (const s of p.execution_reports ?? []) {
        const submitted = (end: string) => !!s.reportedThrough && s.reportedThrough >= end;
        const subjectKey = `${p.permit_no}:${s.frequency}`;
        const base = { subjectType: ReminderSubject.PERMIT, subjectKey, ...firm(p) };
        for (const r of overdue) {
          // The latest period whose deadline (the permit's) has passed, within the look-back, with no report.
          const ends = periodEnds(s.frequency, addDays(day, -r.lookbackDays! - s.dueDaysAfterPeriodEnd), day)
            .filter((end) => end >= p.valid_from && addDays(end, s.dueDaysAfterPeriodEnd) < day && daysBetween(addDays(end, s.dueDaysAfterPeriodEnd), day) <= r.lookbackDays!);
          const end = ends[ends.length - 1];
          if (!end || submitted(end)) continue;
          const dueOn = addDays(end, s.dueDaysAfterPeriodEnd);
          out.push({ kind: r.kind, ruleId: r.id, ...base, dueOn,
            message: `The ${s.frequency.toLowerCase()} execution report of permit ${p.permit_no} (${p.name}) for the period ending ${end} was due on ${dueOn} and has not been submitted.`,
            details: { permitNo: p.permit_no, frequency: s.frequency, periodEnd: end, dueDaysAfterPeriodEnd: s.dueDaysAfterPeriodEnd, reportedThrough: s.reportedThrough ?? null } });
        }
        for (const r of due) {
          const ends = periodEnds(s.frequency, addDays(day, -s.dueDaysAfterPeriodEnd), addDays(day, r.remindDaysBefore!))
            .filter((end) => end >= p.valid_from && addDays(end, s.dueDaysAfterPeriodEnd) >= day && daysBetween(day, addDays(end, s.dueDaysAfterPeriodEnd)) <= r.remindDaysBefore!);
          for (const end of ends) {
            if (submitted(end)) continue;
            const dueOn = addDays(end, s.dueDaysAfterPeriodEnd);
            out.push({ kind: r.kind, ruleId: r.id, ...base, dueOn,
              message: `The ${s.frequency.toLowerCase()} execution report of permit ${p.permit_no} (${p.name}) for the period ending ${end} is due on ${dueOn}.`,
              details: { permitNo: p.permit_no, frequency: s.frequency, periodEnd: end, dueDaysAfterPeriodEnd: s.dueDaysAfterPeriodEnd, reportedThrough: s.reportedThrough ?? null } });
          }
        }
      }
    }
    return { candidates: out, last: rows[rows.length - 1].permit_no, read: rows.length };
  }

  /** The yearly hazardous-waste plan and declaration: firms the rules file says produce hazardous waste, within the days before the date. */
  private async hazardousWasteReminders(day: string): Promise<Candidate[]> {
    const rules = this.rulesOf(ReminderKind.HAZARDOUS_WASTE_PLAN, ReminderKind.HAZARDOUS_WASTE_DECLARATION);
    const dueNow = rules.flatMap((r) => {
      const y = Number(day.slice(0, 4));
      const dueOn = [y, y + 1].map((yy) => `${yy}-${r.deadline.date}`).find((d) => d >= day && daysBetween(day, d) <= r.remindDaysBefore!);
      return dueOn ? [{ r, dueOn }] : [];
    });
    if (!dueNow.length) return [];
    const hw = this.rules.hazardousWaste;
    const firms: FirmRow[] = await this.ds.query(
      `SELECT e.id AS enterprise_id, e.uscc, e.name, e.owner_jurisdiction AS owner FROM enterprise e
       WHERE e.withdrawn_at IS NULL AND e.registration_status = 'ACTIVE'
         AND (e.industry_code LIKE ANY($2::text[])
           OR EXISTS (SELECT 1 FROM permit p WHERE p.enterprise_id = e.id AND p.withdrawn_at IS NULL AND p.status = 'VALID' AND p.management_class = ANY($1::varchar[])))
       ORDER BY e.uscc`, [hw.permitClasses, hw.industryCodePrefixes.map((c) => `${c}%`)]);
    return dueNow.flatMap(({ r, dueOn }) => firms.map((f) => ({
      kind: r.kind, ruleId: r.id, subjectType: ReminderSubject.ENTERPRISE, subjectKey: f.uscc, enterpriseId: f.enterprise_id, uscc: f.uscc, enterpriseName: f.name, owner: f.owner, dueOn,
      message: r.kind === ReminderKind.HAZARDOUS_WASTE_PLAN
        ? `${f.name} files its hazardous-waste management plan for ${dueOn.slice(0, 4)} by ${dueOn}.`
        : `${f.name} files its hazardous-waste declaration for ${Number(dueOn.slice(0, 4)) - 1} by ${dueOn}.`,
      details: { daysLeft: daysBetween(day, dueOn) },
    })));
  }

  /** Outlets of a firm whose automatic monitoring sent nothing for longer than the window: due on the day the window ran out. */
  private async selfMonitoringReminders(now: Date): Promise<Candidate[]> {
    const out: Candidate[] = [];
    for (const r of this.rulesOf(ReminderKind.SELF_MONITORING_MISSING)) {
      const hours = r.deadline.windowHours!;
      const rows: Array<FirmRow & { code: string; last: Date; due_on: string }> = await this.ds.query(
        `SELECT s.code, e.id AS enterprise_id, e.uscc, e.name, e.owner_jurisdiction AS owner, l.t AS last,
           to_char((l.t + $2::int * interval '1 hour') AT TIME ZONE $3, 'YYYY-MM-DD') AS due_on
         FROM monitoring_station s JOIN enterprise e ON e.id = s.enterprise_id
         CROSS JOIN LATERAL (SELECT o.observed_at AS t FROM observation o WHERE o.station_id = s.id ORDER BY o.observed_at DESC LIMIT 1) l
         WHERE s.kind = 'POLLUTION_SOURCE' AND e.withdrawn_at IS NULL AND l.t < $1::timestamptz - $2::int * interval '1 hour'
         ORDER BY s.code`, [now.toISOString(), hours, HUB_TIME_ZONE]);
      for (const s of rows) {
        out.push({ kind: r.kind, ruleId: r.id, subjectType: ReminderSubject.STATION, subjectKey: s.code, enterpriseId: s.enterprise_id, uscc: s.uscc, enterpriseName: s.name, owner: s.owner,
          dueOn: s.due_on, message: `Outlet ${s.code} of ${s.name} has sent no monitoring data since ${new Date(s.last).toISOString()} (more than ${hours} hours).`,
          details: { stationCode: s.code, lastObservation: new Date(s.last).toISOString(), windowHours: hours } });
      }
    }
    return out;
  }

  /** Active positive-list entries about to lapse, and listed firms with an unresolved alert on an outlet. */
  private async positiveListReminders(day: string): Promise<Candidate[]> {
    const out: Candidate[] = [];
    for (const r of this.rulesOf(ReminderKind.POSITIVE_LIST_EXPIRING)) {
      const rows: Array<FirmRow & { entry_no: string; valid_until: string }> = await this.ds.query(
        `SELECT pl.entry_no, pl.valid_until::text AS valid_until, e.id AS enterprise_id, e.uscc, e.name, e.owner_jurisdiction AS owner
         FROM positive_list_entry pl JOIN enterprise e ON e.id = pl.enterprise_id
         WHERE pl.withdrawn_at IS NULL AND pl.status = 'ACTIVE' AND pl.valid_until >= $1::date AND pl.valid_until <= $1::date + $2::int
         ORDER BY pl.entry_no`, [day, r.remindDaysBefore]);
      for (const e of rows) {
        out.push({ kind: r.kind, ruleId: r.id, subjectType: ReminderSubject.POSITIVE_LIST_ENTRY, subjectKey: e.entry_no, enterpriseId: e.enterprise_id, uscc: e.uscc, enterpriseName: e.name, owner: e.owner,
          dueOn: e.valid_until, message: `Positive-list entry ${e.entry_no} of ${e.name} lapses after ${e.valid_until}.`, details: { entryNo: e.entry_no, validUntil: e.valid_until, daysLeft: daysBetween(day, e.valid_until) } });
      }
    }
    for (const r of this.rulesOf(ReminderKind.POSITIVE_LIST_AT_RISK)) {
      const rows: Array<FirmRow & { entry_no: string; alert_id: string; alert_kind: string; level: string; station_code: string; due_on: string }> = await this.ds.query(
        `SELECT pl.entry_no, e.id AS enterprise_id, e.uscc, e.name, e.owner_jurisdiction AS owner, a.id AS alert_id, a.kind AS alert_kind, a.level, a.station_code,
           to_char(coalesce(a.due_at, a.raised_at) AT TIME ZONE $1, 'YYYY-MM-DD') AS due_on
         FROM positive_list_entry pl JOIN enterprise e ON e.id = pl.enterprise_id
         JOIN monitoring_station s ON s.enterprise_id = e.id
         JOIN alert a ON a.station_id = s.id AND a.status <> 'RESOLVED'
         WHERE pl.withdrawn_at IS NULL AND pl.status = 'ACTIVE'
         ORDER BY pl.entry_no, a.raised_at`, [HUB_TIME_ZONE]);
      for (const e of rows) {
        out.push({ kind: r.kind, ruleId: r.id, subjectType: ReminderSubject.POSITIVE_LIST_ENTRY, subjectKey: e.entry_no, enterpriseId: e.enterprise_id, uscc: e.uscc, enterpriseName: e.name, owner: e.owner,
          dueOn: e.due_on, message: `${e.name} is on the positive list (${e.entry_no}) and has an unresolved ${e.alert_kind} alert (${e.level}) on outlet ${e.station_code}: verify it by ${e.due_on}.`,
          details: { entryNo: e.entry_no, alertId: e.alert_id, alertKind: e.alert_kind, level: e.level, stationCode: e.station_code } });
      }
    }
    return out;
  }

  /** Files the candidates (one per rule, subject and due date; those already filed change nothing) with their CREATED history, in one transaction. */
  private async file(candidates: Candidate[], at: Date): Promise<Array<{ id: string; kind: ReminderKind }>> {
    // Two findings of one pass for the same key (two open alerts due the same day) are one reminder.
    const unique = [...new Map(candidates.map((c) => [`${c.ruleId}|${c.subjectType}|${c.subjectKey}|${c.dueOn}`, c])).values()];
    if (!unique.length) return [];
    const col = <K extends keyof Candidate>(k: K) => unique.map((c) => c[k]);
    const filed = await this.ds.transaction(async (m) => {
      const rows: Array<{ id: string; kind: ReminderKind }> = await m.query(
        `INSERT INTO compliance_reminder (kind, rule_id, subject_type, subject_key, enterprise_id, uscc, enterprise_name, owner_jurisdiction, catalog_resource_code,
           due_on, message, details, rules_version, created_at)
         SELECT x.kind, x.rule_id, x.subject_type, x.subject_key, x.enterprise_id, x.uscc, x.name, x.owner, $12, x.due_on, x.message, x.details::jsonb, $13, $14::timestamptz
         FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[], $5::uuid[], $6::varchar[], $7::varchar[], $8::varchar[], $9::date[], $10::text[], $11::text[])
           AS x(kind, rule_id, subject_type, subject_key, enterprise_id, uscc, name, owner, due_on, message, details)
         ON CONFLICT (rule_id, subject_type, subject_key, due_on) DO NOTHING
         RETURNING id, kind`,
        [col('kind'), col('ruleId'), col('subjectType'), col('subjectKey'), col('enterpriseId'), col('uscc'), col('enterpriseName'), col('owner'), col('dueOn'), col('message'),
          unique.map((c) => JSON.stringify(c.details)), this.rules.catalogResource, this.rules.version, at.toISOString()]);
      if (rows.length) {
        await m.query(
          `INSERT INTO compliance_reminder_log (reminder_id, event, at, actor, note) SELECT id, 'CREATED', $2::timestamptz, $3, NULL FROM unnest($1::uuid[]) AS id`,
          [rows.map((r) => r.id), at.toISOString(), `system (reminder rules ${this.rules.version})`]);
      }
      return rows;
    });
    // Counted once committed: a rolled-back pass filed nothing.
    for (const r of filed) this.observer?.created(r.kind);
    return filed;
  }

  /**
   * The delivery channel: every reminder not delivered yet is published on `eco_hub_reminders`
   * (keys only; a listener re-reads it under its own rights) and marked DELIVERED in the same
   * transaction, so the mark and the notification commit together. Returns how many.
   */
  async deliverPending(at: Date = this.clock()): Promise<number> {
    return this.ds.transaction(async (m) => {
      const rows: Array<Record<string, unknown>> = await m.query(
        `SELECT id, kind, rule_id, subject_type, subject_key, owner_jurisdiction, catalog_resource_code, due_on::text AS due_on
         FROM compliance_reminder WHERE delivered_at IS NULL ORDER BY created_at, id LIMIT 5000 FOR UPDATE SKIP LOCKED`);
      if (!rows.length) return 0;
      for (const r of rows) {
        const payload = { id: r.id, change: ReminderEvent.DELIVERED, kind: r.kind, ruleId: r.rule_id, subjectType: r.subject_type, subjectKey: r.subject_key,
          ownerJurisdiction: r.owner_jurisdiction, catalogResourceCode: r.catalog_resource_code, dueOn: r.due_on };
        await this.publish(m, payload);
      }
      const ids = rows.map((r) => r.id);
      await m.query(`UPDATE compliance_reminder SET delivered_at = $2::timestamptz WHERE id = ANY($1::uuid[])`, [ids, at.toISOString()]);
      await m.query(
        `INSERT INTO compliance_reminder_log (reminder_id, event, at, actor, channel) SELECT id, 'DELIVERED', $2::timestamptz, 'system', $3 FROM unnest($1::uuid[]) AS id`,
        [ids, at.toISOString(), REMINDERS_CHANNEL]);
      return rows.length;
    });
  }

  private async publish(m: EntityManager, payload: Record<string, unknown>): Promise<void> {
    if (this.events) await this.events.publish(REMINDERS_CHANNEL, payload, m);
    else await publishIn(m, REMINDERS_CHANNEL, payload);
  }

  // ------------------------------------------------------------------------------------------
  // Reads and actions

  /** The reminders the caller may read, most urgent first (due date, then id), keyset-paginated, each with its history. */
  async list(ctx: ReadContext, filter: ReminderFilter, args: PageArgs): Promise<Page<ComplianceReminder>> {
    const page = pageRequest(args, REMINDER_TAG, ['date', 'uuid']);
    if (filter.jurisdiction !== undefined && filter.jurisdiction !== null && !isDistrict(filter.jurisdiction)) throw badInput('filter.jurisdiction', `must be QINGPU, WUJIANG or JIASHAN, got "${filter.jurisdiction}"`);
    for (const k of ['dueFrom', 'dueTo'] as const) {
      const v = filter[k];
      if (v !== undefined && v !== null && !isCalendarDay(v)) throw badInput(`filter.${k}`, `must be a calendar date YYYY-MM-DD, got "${v}"`);
    }
    if (filter.dueFrom && filter.dueTo && filter.dueTo < filter.dueFrom) throw badInput('filter.dueTo', 'must not be before filter.dueFrom');
    const q = new SqlParams();
    const conds = [reminderScope(ctx, 'r', q)];
    if (filter.kinds?.length) conds.push(`r.kind = ANY(${q.p(filter.kinds)}::varchar[])`);
    if (filter.statuses?.length) conds.push(`r.status = ANY(${q.p(filter.statuses)}::varchar[])`);
    if (filter.jurisdiction) conds.push(`r.owner_jurisdiction = ${q.p(filter.jurisdiction)}`);
    if (filter.uscc) conds.push(`r.uscc = ${q.p(filter.uscc)}`);
    if (filter.subjectKey) conds.push(`r.subject_key = ${q.p(filter.subjectKey)}`);
    if (filter.dueFrom) conds.push(`r.due_on >= ${q.p(filter.dueFrom)}::date`);
    if (filter.dueTo) conds.push(`r.due_on <= ${q.p(filter.dueTo)}::date`);
    if (filter.unread === true) conds.push('r.read_at IS NULL');
    if (filter.unread === false) conds.push('r.read_at IS NOT NULL');
    const countSql = `SELECT count(*)::int AS n FROM compliance_reminder r WHERE ${conds.join(' AND ')}`;
    const countValues = [...q.values];
    if (page.after) conds.push(`(r.due_on, r.id) > (${q.p(page.after[0])}::date, ${q.p(page.after[1])}::uuid)`);
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT r.*, r.due_on::text AS due_on,
         (SELECT coalesce(json_agg(json_build_object('event', l.event, 'at', l.at, 'actor', l.actor, 'channel', l.channel, 'note', l.note) ORDER BY l.id), '[]'::json)
          FROM compliance_reminder_log l WHERE l.reminder_id = r.id) AS history
       FROM compliance_reminder r WHERE ${conds.join(' AND ')} ORDER BY r.due_on, r.id LIMIT ${page.first + 1}`, q.values);
    const nodes = rows.slice(0, page.first).map((r) => toReminder(r, (r.history as Array<Record<string, unknown>>).map(toLogEntry)));
    ctx.audit?.returned('COMPLIANCE_REMINDER', nodes.map((n) => ({ ownerJurisdiction: n.ownerJurisdiction, key: n.id })));
    return keysetPage(nodes, rows.length, page, (node) => encodeCursor(REMINDER_TAG, [node.dueOn, node.id]),
      () => this.ds.query(countSql, countValues).then((r: Array<{ n: number }>) => r[0].n));
  }

  /**
   * One reminder as the caller may read it (the `complianceReminders` scope, `reminderScope`), with
   * its history, audited as a read; null when it is unknown or not the caller's to read. The live
   * subscription and the webhook worker re-read each event through it, so neither carries more than
   * the list would.
   */
  async readOne(ctx: ReadContext, id: string): Promise<ComplianceReminder | null> {
    if (typeof id !== 'string' || !UUID.test(id)) return null;
    const q = new SqlParams();
    const idP = q.p(id);
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT r.*, r.due_on::text AS due_on,
         (SELECT coalesce(json_agg(json_build_object('event', l.event, 'at', l.at, 'actor', l.actor, 'channel', l.channel, 'note', l.note) ORDER BY l.id), '[]'::json)
          FROM compliance_reminder_log l WHERE l.reminder_id = r.id) AS history
       FROM compliance_reminder r WHERE r.id = ${idP}::uuid AND ${reminderScope(ctx, 'r', q)}`, q.values);
    if (!rows[0]) return null;
    const reminder = toReminder(rows[0], (rows[0].history as Array<Record<string, unknown>>).map(toLogEntry));
    ctx.audit?.returned('COMPLIANCE_REMINDER', [{ ownerJurisdiction: reminder.ownerJurisdiction, key: reminder.id }]);
    return reminder;
  }

  /** The addressee marks a reminder read: the first time is recorded (READ), later marks change nothing. */
  markRead(ctx: ReadContext & { principal: Principal }, id: string): Promise<ComplianceReminder> {
    return this.act(ctx, id, undefined, async (m, r, at) => {
      if (r.read_at) return false;
      await m.query(`UPDATE compliance_reminder SET read_at = $2::timestamptz, read_by = $3 WHERE id = $1`, [id, at.toISOString(), who(ctx.principal)]);
      await m.query(`INSERT INTO compliance_reminder_log (reminder_id, event, at, actor) VALUES ($1, 'READ', $2::timestamptz, $3)`, [id, at.toISOString(), who(ctx.principal)]);
      return true;
    });
  }

  /** The addressee acknowledges an OPEN reminder (a second acknowledgement is CONFLICT); unread, it is marked read first. */
  acknowledge(ctx: ReadContext & { principal: Principal }, id: string, note: string | undefined): Promise<ComplianceReminder> {
    return this.act(ctx, id, note, async (m, r, at) => {
      if (r.status !== ReminderStatus.OPEN) {
        throw new HubError(ErrorCode.CONFLICT, `reminder ${id} is already ACKNOWLEDGED (${String(r.acknowledged_by)}); it is acknowledged once`, { field: 'id', rule: 'reminder.transition' });
      }
      const actor = who(ctx.principal);
      if (!r.read_at) {
        await m.query(`UPDATE compliance_reminder SET read_at = $2::timestamptz, read_by = $3 WHERE id = $1`, [id, at.toISOString(), actor]);
        await m.query(`INSERT INTO compliance_reminder_log (reminder_id, event, at, actor) VALUES ($1, 'READ', $2::timestamptz, $3)`, [id, at.toISOString(), actor]);
      }
      await m.query(
        `UPDATE compliance_reminder SET status = 'ACKNOWLEDGED', acknowledged_at = $2::timestamptz, acknowledged_by = $3, acknowledgement_note = $4 WHERE id = $1`,
        [id, at.toISOString(), actor, note ?? null]);
      await m.query(`INSERT INTO compliance_reminder_log (reminder_id, event, at, actor, note) VALUES ($1, 'ACKNOWLEDGED', $2::timestamptz, $3, $4)`, [id, at.toISOString(), actor, note ?? null]);
      return true;
    });
  }

  /**
   * One action on one reminder, in one transaction: input checked, the reminder locked and read
   * under the caller's scope (NOT_FOUND / FORBIDDEN `reminder.notReadable`), the policy asked
   * (`reminderActionDenial`), the change and its history row written. A refusal changes nothing.
   */
  private async act(ctx: ReadContext & { principal: Principal }, id: string, note: string | undefined,
    apply: (m: EntityManager, r: Record<string, unknown>, at: Date) => Promise<boolean>): Promise<ComplianceReminder> {
    if (!UUID.test(id)) throw badInput('id', 'must be a reminder id (a UUID)');
    if (note !== undefined && note !== null && note.length > 2000) throw badInput('note', 'must be at most 2,000 characters');
    const at = this.clock();
    return this.ds.transaction(async (m) => {
      const q = new SqlParams();
      const idP = q.p(id);
      const scope = reminderScope(ctx, 'r', q);
      const [r]: Array<Record<string, unknown>> = await m.query(`SELECT r.*, ${scope} AS visible FROM compliance_reminder r WHERE r.id = ${idP} FOR UPDATE`, q.values);
      if (!r) throw new HubError(ErrorCode.NOT_FOUND, `no compliance reminder has the id ${id}`, { field: 'id' });
      if (r.visible !== true) throw forbidden(`compliance reminder ${id} is not one this principal may read`, { rule: 'reminder.notReadable', ownerJurisdiction: r.owner_jurisdiction });
      const denial = reminderActionDenial(ctx.principal, String(r.owner_jurisdiction));
      if (denial) throw forbidden(denial.reason, { rule: denial.rule, ownerJurisdiction: r.owner_jurisdiction });
      await apply(m, r, at);
      const [after]: Array<Record<string, unknown>> = await m.query(
        `SELECT r.*, r.due_on::text AS due_on,
           (SELECT coalesce(json_agg(json_build_object('event', l.event, 'at', l.at, 'actor', l.actor, 'channel', l.channel, 'note', l.note) ORDER BY l.id), '[]'::json)
            FROM compliance_reminder_log l WHERE l.reminder_id = r.id) AS history
         FROM compliance_reminder r WHERE r.id = $1`, [id]);
      return toReminder(after, (after.history as Array<Record<string, unknown>>).map(toLogEntry));
    });
  }
}

