import { DataSource, EntityManager } from 'typeorm';
import {
  emergencyReviewDistricts, SharingDenial, SharingGrant, sharingApplicantDenial, sharingApplyDenial, sharingCoordinatorDenial, sharingDecisionDenial,
  sharingProvider, sharingSupervisorDenial, sharingVisibility,
} from '../../auth/policy';
import { Principal, SYSTEM_PRINCIPAL } from '../../auth/principal';
import type { EventBus } from '../../db/events';
import { SqlParams } from '../../db/sql';
import { parseDay } from '../../domain/calendar';
import { chinaDayOf, daysBetween } from '../../domain/calendar/days';
import { addWorkingDays, CalendarCoverageError } from '../../domain/calendar/working-days';
import { District, DISTRICTS, districtsCoveredBy, isDistrict, Jurisdiction, JURISDICTIONS } from '../../domain/jurisdictions';
import { badInput, ErrorCode, forbidden, HubError } from '../../graphql/errors';
import { encodeCursor, keysetPage, Page, PageArgs, pageRequest } from '../../graphql/pagination';
import { answerWorkingDays, SHARING_RULES, SharingRules } from './sharing-rules';
import {
  ApplyForSharingInput, ApproveSharingInput, EmergencyRead, SharingApplication, SharingApplicationFilter, SharingKind, SharingScope, SharingStatus,
  SharingTransition,
} from './sharing.types';

/** The channel every change of an application is told on (src/db/events.ts); the subscription `sharingApplicationChanged` listens there. */
export const SHARING_CHANNEL = 'eco_hub_sharing';

/** What a caller of the service is: the principal acting (the request context's). */
export interface SharingRequest {
  principal: Principal;
}

type Row = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- rows of sharing_application, mapped in toApplication

/** One change of state the service makes, written as an UPDATE and a transition row. */
interface Step {
  to: SharingStatus;
  patch?: Record<string, unknown>;
  note: string | null;
  /** Who the transition names; the acting principal by default. */
  actor?: Principal;
}

const ACTIVATION: Principal = { ...SYSTEM_PRINCIPAL, sub: 'system:activation' };
const EXPIRY: Principal = { ...SYSTEM_PRINCIPAL, sub: 'system:expiry' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TAG = 'SHARING';
const EMERGENCY_TAG = 'EMERGENCY_READ';
const AWAITING = [SharingStatus.SUBMITTED, SharingStatus.UNDER_REVIEW];

/** The answer deadline of an application submitted at `submittedAt`: working days after its China day, on the official calendar. */
export function sharingDueOn(submittedAt: Date, provider: string, rules: SharingRules = SHARING_RULES): string {
  return addWorkingDays(chinaDayOf(submittedAt), answerWorkingDays(rules, provider));
}

function refused(d: SharingDenial): HubError {
  return forbidden(d.message, { rule: d.rule, ...(d.requiredRoles ? { requiredRoles: d.requiredRoles } : {}) });
}

function wrongState(app: Row, action: string, allowed: readonly SharingStatus[]): HubError {
  return new HubError(ErrorCode.CONFLICT, `status: ${action} needs an application in ${allowed.join(' or ')}, this one is ${app.status}`, {
    field: 'status', rule: 'sharing.transition', status: app.status, allowedFrom: allowed,
  });
}

function text(field: string, v: string | null | undefined, max: number): string {
  const t = (v ?? '').trim();
  if (t.length === 0) throw badInput(field, 'is required and may not be blank');
  if (t.length > max) throw badInput(field, `may be at most ${max} characters, got ${t.length}`);
  return t;
}

function day(field: string, v: string | Date): string {
  // The Date scalar hands a Date at UTC midnight; a string is checked as a day.
  const s = v instanceof Date ? (Number.isNaN(v.getTime()) ? '' : v.toISOString()) : String(v);
  const d = parseDay(s.slice(0, 10));
  if (!d) throw badInput(field, `must be a calendar day YYYY-MM-DD, got ${JSON.stringify(v)}`);
  return d;
}

function districtsOf(field: string, list: readonly string[]): District[] {
  if (list.length === 0) throw badInput(field, 'name at least one district');
  const out: District[] = [];
  for (const d of list) {
    if (!isDistrict(d)) throw badInput(field, `${d} is not a district (${DISTRICTS.join(', ')})`);
    if (!out.includes(d)) out.push(d);
  }
  return out;
}

/**
 * Sharing applications (issue 12): conditional data is applied for by an agency, answered by the
 * provider within configured working days, negotiated and coordinated by ZONE when refused, and
 * once ACTIVE read through as a grant the policy decides with (`decideRule`, road
 * `sharing.grant`). Who may do what is decided in src/auth/policy.ts; this service checks input,
 * keeps the state machine, writes each change with its transition row in one transaction, tells
 * other instances on `eco_hub_sharing`, and keeps the active grants in memory for the policy.
 */
export class SharingService {
  private active: readonly SharingGrant[] = [];
  private bus: EventBus | undefined;

  constructor(private readonly ds: DataSource, private readonly o: { rules?: SharingRules; now?: () => Date } = {}) {}

  private get rules(): SharingRules {
    return this.o.rules ?? SHARING_RULES;
  }

  private now(): Date {
    return this.o.now?.() ?? new Date();
  }

  /** Today's day for grant periods: the hub's day (`todayIso`, as the read engine counts validity). */
  private today(): string {
    return this.now().toISOString().slice(0, 10);
  }

  /** The bus changes are published on; without one the notification is sent on the transaction directly. */
  attachEvents(bus: EventBus): void {
    this.bus = bus;
  }

  // -------------------------------------------------------------------------------------------
  // Grants for the policy

  /** Reloads the ACTIVE grants (after a change here, or told by another instance). */
  async refresh(): Promise<void> {
    const rows: Row[] = await this.ds.query(
      `SELECT id, applicant_org, resource_code, purpose, granted_districts, granted_items, granted_from, granted_to FROM sharing_application WHERE status = 'ACTIVE'`,
    );
    this.active = Object.freeze(rows.map((r) => Object.freeze({
      id: r.id, org: r.applicant_org, catalogCode: r.resource_code, purpose: r.purpose,
      districts: Object.freeze([...(r.granted_districts ?? [])]) as District[], items: r.granted_items ? Object.freeze([...r.granted_items]) : null,
      validFrom: String(r.granted_from), validTo: r.granted_to === null ? null : String(r.granted_to),
    })));
  }

  /** The ACTIVE grants of the principal's agency. */
  grantsFor(p: Principal): readonly SharingGrant[] {
    if (p.kind !== 'user' || !p.org) return [];
    return this.active.filter((g) => g.org === p.org);
  }

  // -------------------------------------------------------------------------------------------
  // The workflow

  /** `applyForSharing`: an agency applies for a conditional resource's items of other districts, for a purpose and a period. */
  async apply(ctx: SharingRequest, input: ApplyForSharingInput): Promise<SharingApplication> {
    const p = ctx.principal;
    const denial = sharingApplyDenial(p);
    if (denial) throw refused(denial);
    const code = text('input.resourceCode', input.resourceCode, 32);
    const [resource]: Row[] = await this.ds.query('SELECT code, sharing_type, sharing_conditions, sharing_basis, data_items FROM catalog_resource WHERE code = $1', [code]);
    if (!resource) throw badInput('input.resourceCode', `${code} is not a resource of the catalog`);
    if (resource.sharing_type === 'UNCONDITIONAL') throw badInput('input.resourceCode', `${code} is shared unconditionally: read it without applying`, { rule: 'sharing.unconditional' });
    if (resource.sharing_type !== 'CONDITIONAL') {
      throw badInput('input.resourceCode', `${code} is not shared (不予共享)${resource.sharing_basis ? `: ${resource.sharing_basis}` : ''}; it cannot be applied for`, { rule: 'sharing.notShared' });
    }
    const known: string[] = ((resource.data_items as Array<{ field?: string }> | null) ?? []).flatMap((d) => (d.field ? [d.field] : []));
    if (input.items.length === 0) throw badInput('input.items', 'name at least one data item');
    const items = [...new Set(input.items)];
    const unknown = items.filter((i) => !known.includes(i));
    if (unknown.length) throw badInput('input.items', `${unknown.join(', ')} ${unknown.length === 1 ? 'is not a data item' : 'are not data items'} of ${code} (its items: ${known.join(', ')})`);
    const districts = districtsOf('input.districts', input.districts);
    const own = p.jurisdiction ? districtsCoveredBy(p.jurisdiction) : [];
    const mine = districts.filter((d) => own.includes(d));
    if (mine.length) throw badInput('input.districts', `${mine.join(', ')} ${mine.length === 1 ? 'is' : 'are'} within your own jurisdiction: you read ${mine.length === 1 ? 'its' : 'their'} records already`);
    const purposes: string[] = (resource.sharing_conditions as { purposes?: string[] } | null)?.purposes ?? [];
    const purpose = text('input.purpose', input.purpose, 32);
    if (!purposes.includes(purpose)) throw badInput('input.purpose', `${code} may be applied for for ${purposes.join(', ')}, not ${purpose}`);
    const scenario = text('input.scenario', input.scenario, 2000);
    const legalBasis = text('input.legalBasis', input.legalBasis, 2000);
    const contact = text('input.contact', input.contact, 200);
    const commitment = text('input.commitment', input.commitment, 2000);
    const validFrom = day('input.validFrom', input.validFrom);
    const validTo = day('input.validTo', input.validTo);
    const now = this.now();
    const today = this.today();
    if (validFrom < today) throw badInput('input.validFrom', `is in the past (${validFrom}, today is ${today})`);
    if (validTo < validFrom) throw badInput('input.validTo', `must not be before validFrom (${validFrom})`);
    const days = daysBetween(validFrom, validTo) + 1;
    if (days > this.rules.maxPeriodDays) throw badInput('input.validTo', `the period may be at most ${this.rules.maxPeriodDays} days (sharing-rules.json maxPeriodDays), got ${days}`, { rule: 'sharing.maxPeriod' });
    const provider = sharingProvider(districts);
    let dueOn: string;
    try {
      dueOn = sharingDueOn(now, provider, this.rules);
    } catch (err) {
      // Not the applicant's fault and not a guess: the hub does not know that year's holidays yet. The
      // error names the year so the applicant can tell the operator which notice to load.
      if (err instanceof CalendarCoverageError) {
        throw new HubError(ErrorCode.CONFLICT, `dueAt: the answer deadline falls on or after ${err.day}, in ${err.year}, and ${err.message}. Applications open again once ${err.year} is added to the hub's official calendar.`, {
          field: 'dueAt', rule: 'calendar.coverage', year: err.year, calendarEnds: err.coverage.lastDay,
        });
      }
      throw err;
    }
    const id = await this.ds.transaction(async (em) => {
      const [row]: Row[] = await em.query(
        `INSERT INTO sharing_application (kind, resource_code, applicant_org, applicant_jurisdiction, applicant_sub, provider_jurisdiction, items, districts, purpose,
           scenario, legal_basis, contact, commitment, valid_from, valid_to, status, submitted_at, due_on, updated_at)
         VALUES ('APPLICATION', $1, $2, $3, $4, $5, $6::text[], $7::varchar[], $8, $9, $10, $11, $12, $13, $14, 'SUBMITTED', $15, $16, $15) RETURNING *`,
        [code, p.org, p.jurisdiction, p.sub, provider, items, districts, purpose, scenario, legalBasis, contact, commitment, validFrom, validTo, now, dueOn],
      );
      await this.record(em, row, null, SharingStatus.SUBMITTED, p, null);
      await this.publish(em, row, SharingStatus.SUBMITTED);
      return row.id as string;
    });
    return this.get(ctx, id);
  }

  /** The provider opens the review (SUBMITTED → UNDER_REVIEW). */
  review(ctx: SharingRequest, id: string): Promise<SharingApplication> {
    return this.act(ctx, id, (app) => {
      this.assertDecider(ctx.principal, app);
      if (app.status !== SharingStatus.SUBMITTED) throw wrongState(app, 'reviewing', [SharingStatus.SUBMITTED]);
      return [{ to: SharingStatus.UNDER_REVIEW, note: null }];
    });
  }

  /** `approveSharingApplication`: the provider grants all or part of what was applied for; the grant is ACTIVE from its first day. */
  approve(ctx: SharingRequest, id: string, input: ApproveSharingInput = {}): Promise<SharingApplication> {
    return this.act(ctx, id, (app) => {
      this.assertDecider(ctx.principal, app);
      const from = [SharingStatus.SUBMITTED, SharingStatus.UNDER_REVIEW, SharingStatus.NEGOTIATION];
      if (!from.includes(app.status)) throw wrongState(app, 'approving', from);
      return [...(app.status === SharingStatus.SUBMITTED ? [{ to: SharingStatus.UNDER_REVIEW, note: null }] : []), ...this.grantSteps(ctx.principal, app, input)];
    });
  }

  /** `rejectSharingApplication`: the provider refuses, with reasons (then the applicant may negotiate). */
  reject(ctx: SharingRequest, id: string, reason: string): Promise<SharingApplication> {
    return this.act(ctx, id, (app) => {
      this.assertDecider(ctx.principal, app);
      const why = text('reason', reason, 2000);
      if (!AWAITING.includes(app.status)) throw wrongState(app, 'rejecting', AWAITING);
      return [
        ...(app.status === SharingStatus.SUBMITTED ? [{ to: SharingStatus.UNDER_REVIEW, note: null }] : []),
        { to: SharingStatus.REJECTED, note: why, patch: this.decided(ctx.principal, why) },
      ];
    });
  }

  /** The applicant contests a rejection (REJECTED → NEGOTIATION); the provider may then approve after all. */
  negotiate(ctx: SharingRequest, id: string, note: string): Promise<SharingApplication> {
    return this.act(ctx, id, (app) => {
      const d = sharingApplicantDenial(ctx.principal, this.parties(app));
      if (d) throw refused(d);
      const why = text('note', note, 2000);
      if (app.status !== SharingStatus.REJECTED) throw wrongState(app, 'negotiating', [SharingStatus.REJECTED]);
      return [{ to: SharingStatus.NEGOTIATION, note: why }];
    });
  }

  /** Negotiation failed: the applicant or the provider takes it to ZONE (NEGOTIATION → COORDINATION). */
  escalate(ctx: SharingRequest, id: string, note: string): Promise<SharingApplication> {
    return this.act(ctx, id, (app) => {
      if (sharingApplicantDenial(ctx.principal, this.parties(app)) && sharingDecisionDenial(ctx.principal, this.parties(app))) {
        throw refused({ rule: 'sharing.partiesOnly', message: 'only the applicant or the provider\'s data steward takes an application to coordination' });
      }
      const why = text('note', note, 2000);
      if (app.status !== SharingStatus.NEGOTIATION) throw wrongState(app, 'escalating', [SharingStatus.NEGOTIATION]);
      return [{ to: SharingStatus.COORDINATION, note: why }];
    });
  }

  /** ZONE decides a dispute: approve (in full or in part) or reject finally, with reasons. */
  coordinate(ctx: SharingRequest, id: string, approve: boolean, reason: string, input: ApproveSharingInput = {}): Promise<SharingApplication> {
    return this.act(ctx, id, (app) => {
      const d = sharingCoordinatorDenial(ctx.principal);
      if (d) throw refused(d);
      const why = text('reason', reason, 2000);
      if (app.status !== SharingStatus.COORDINATION) throw wrongState(app, 'coordinating', [SharingStatus.COORDINATION]);
      if (!approve) return [{ to: SharingStatus.FINAL_REJECTED, note: why, patch: this.decided(ctx.principal, why) }];
      return this.grantSteps(ctx.principal, app, { ...input, note: why });
    });
  }

  /** The provider (or ZONE) suspends a grant, with reasons: reads stop until it is resumed. */
  suspend(ctx: SharingRequest, id: string, reason: string): Promise<SharingApplication> {
    return this.act(ctx, id, (app) => {
      this.assertProviderOrZone(ctx.principal, app);
      const why = text('reason', reason, 2000);
      if (app.status !== SharingStatus.ACTIVE) throw wrongState(app, 'suspending', [SharingStatus.ACTIVE]);
      return [{ to: SharingStatus.SUSPENDED, note: why, patch: this.decided(ctx.principal, why) }];
    });
  }

  /** A suspended grant runs again (within its period). */
  resume(ctx: SharingRequest, id: string): Promise<SharingApplication> {
    return this.act(ctx, id, (app) => {
      this.assertProviderOrZone(ctx.principal, app);
      if (app.status !== SharingStatus.SUSPENDED) throw wrongState(app, 'resuming', [SharingStatus.SUSPENDED]);
      if (app.granted_to !== null && String(app.granted_to) < this.today()) throw wrongState({ status: 'past its period' }, 'resuming', [SharingStatus.SUSPENDED]);
      return [{ to: SharingStatus.ACTIVE, note: null }];
    });
  }

  /** `revokeSharingApplication`: the provider or ZONE ends a grant at once, with reasons (use beyond scope, reclassified data, an incident). */
  revoke(ctx: SharingRequest, id: string, reason: string): Promise<SharingApplication> {
    return this.act(ctx, id, (app) => {
      this.assertProviderOrZone(ctx.principal, app);
      const why = text('reason', reason, 2000);
      const from = [SharingStatus.APPROVED, SharingStatus.ACTIVE, SharingStatus.SUSPENDED];
      if (!from.includes(app.status)) throw wrongState(app, 'revoking', from);
      return [{ to: SharingStatus.REVOKED, note: why, patch: this.decided(ctx.principal, why) }];
    });
  }

  /**
   * The clock's part of the machine, run by the hub's timer and at start: approved grants whose
   * first day has come become ACTIVE, grants past their last day EXPIRED. Returns how many moved.
   */
  async sweep(): Promise<{ activated: number; expired: number }> {
    const today = this.today();
    const ids = async (sql: string): Promise<string[]> => ((await this.ds.query(sql, [today])) as Row[]).map((r) => r.id);
    const toActivate = await ids(`SELECT id FROM sharing_application WHERE status = 'APPROVED' AND granted_from <= $1 AND (granted_to IS NULL OR granted_to >= $1)`);
    const toExpire = await ids(`SELECT id FROM sharing_application WHERE status IN ('APPROVED', 'ACTIVE', 'SUSPENDED') AND granted_to < $1`);
    const sys: SharingRequest = { principal: SYSTEM_PRINCIPAL };
    for (const id of toActivate) await this.act(sys, id, (app) => (app.status === SharingStatus.APPROVED ? [{ to: SharingStatus.ACTIVE, note: 'first day of the grant', actor: ACTIVATION }] : []));
    for (const id of toExpire) await this.act(sys, id, (app) => ([SharingStatus.APPROVED, SharingStatus.ACTIVE, SharingStatus.SUSPENDED].includes(app.status) ? [{ to: SharingStatus.EXPIRED, note: 'last day of the grant passed', actor: EXPIRY }] : []));
    return { activated: toActivate.length, expired: toExpire.length };
  }

  // -------------------------------------------------------------------------------------------
  // Queries

  /** `sharingApplication(id)`: one application the caller is party to (or supervises). */
  async get(ctx: SharingRequest, id: string): Promise<SharingApplication> {
    if (typeof id !== 'string' || !UUID.test(id)) throw badInput('id', `is not a sharing application id: ${JSON.stringify(id).slice(0, 80)}`);
    const [row] = await this.rows(this.ds, id);
    if (!row) throw new HubError(ErrorCode.NOT_FOUND, `id: no sharing application ${id}`, { field: 'id' });
    if (!this.visible(ctx.principal, row)) throw forbidden(`sharing application ${id} is neither your agency's nor addressed to your jurisdiction`, { rule: 'sharing.notParty' });
    return (await this.withHistory(this.ds, [row]))[0];
  }

  /** `sharingApplications(filter, first, after)`: newest first, those the caller is party to. */
  async list(ctx: SharingRequest, filter: SharingApplicationFilter, args: PageArgs): Promise<Page<SharingApplication>> {
    const page = pageRequest(args, TAG, ['timestamptz', 'uuid']);
    const q = new SqlParams();
    const where = [...this.visibilityWhere(ctx.principal, q)];
    const v = sharingVisibility(ctx.principal);
    if (filter.scope === SharingScope.MINE) where.push(`applicant_org = ${q.p(ctx.principal.org ?? '')}`);
    if (filter.scope === SharingScope.TO_MY_DISTRICT) {
      where.push(v && 'all' in v ? 'true' : `(provider_jurisdiction = ${q.p(ctx.principal.jurisdiction ?? '')} OR districts && ${q.p(v ? v.districts : [])}::varchar[])`);
    }
    if (filter.status) where.push(`status = ${q.p(filter.status)}`);
    if (filter.resourceCode) where.push(`resource_code = ${q.p(filter.resourceCode)}`);
    if (filter.kind) where.push(`kind = ${q.p(filter.kind)}`);
    const base = [...where];
    const countParams = [...q.values];
    if (page.after) where.push(`(submitted_at, id) < (${q.p(page.after[0])}::timestamptz, ${q.p(page.after[1])}::uuid)`);
    const rows: Row[] = await this.ds.query(`SELECT * FROM sharing_application WHERE ${where.join(' AND ')} ORDER BY submitted_at DESC, id DESC LIMIT ${page.first + 1}`, q.values);
    const nodes = await this.withHistory(this.ds, rows.slice(0, page.first));
    return keysetPage(nodes, rows.length, page, (n) => encodeCursor(TAG, [n.submittedAt.toISOString(), n.id]),
      () => this.ds.query(`SELECT count(*)::int AS n FROM sharing_application WHERE ${base.join(' AND ')}`, countParams).then((r: Row[]) => r[0].n));
  }

  /** `overdueSharingApplications`: awaiting an answer past their due day, for ZONE's supervision (督办), oldest due first. */
  async overdue(ctx: SharingRequest): Promise<SharingApplication[]> {
    const d = sharingSupervisorDenial(ctx.principal);
    if (d) throw refused(d);
    const rows: Row[] = await this.ds.query(
      `SELECT * FROM sharing_application WHERE status = ANY($1::varchar[]) AND due_on < $2 ORDER BY due_on, submitted_at LIMIT 500`,
      [AWAITING, chinaDayOf(this.now())],
    );
    return this.withHistory(this.ds, rows);
  }

  /** `emergencyReads`: reads of the caller's districts' conditional data under EMERGENCY without a grant, newest first, for review afterwards. */
  async emergencyReads(ctx: SharingRequest, args: PageArgs): Promise<Page<EmergencyRead>> {
    const owners = emergencyReviewDistricts(ctx.principal);
    if (owners.length === 0) throw forbidden('reviewing emergency reads needs the AUDITOR or DATA_STEWARD role of the owner district, its province or ZONE', { rule: 'sharing.emergencyReview', requiredRoles: ['AUDITOR', 'DATA_STEWARD'] });
    const page = pageRequest(args, EMERGENCY_TAG, ['timestamptz', 'bigint']);
    const q = new SqlParams();
    // Reads by a jurisdiction that covers the owner needed no emergency: they are not listed.
    const covering = JURISDICTIONS.flatMap((j) => districtsCoveredBy(j.code).map((d) => `${d}:${j.code}`));
    const where = [
      `purpose = 'EMERGENCY'`, `owner_jurisdiction = ANY(${q.p(owners)}::varchar[])`, 'record_count > 0', 'grant_id IS NULL',
      `NOT ((owner_jurisdiction || ':' || coalesce(jurisdiction, '')) = ANY(${q.p(covering)}::text[]))`,
    ];
    const base = [...where];
    const countParams = [...q.values];
    if (page.after) where.push(`(at, id) < (${q.p(page.after[0])}::timestamptz, ${q.p(page.after[1])}::bigint)`);
    const rows: Row[] = await this.ds.query(`SELECT * FROM audit_event WHERE ${where.join(' AND ')} ORDER BY at DESC, id DESC LIMIT ${page.first + 1}`, q.values);
    const nodes: EmergencyRead[] = rows.slice(0, page.first).map((r) => ({
      auditEventId: String(r.id), at: r.at, sub: r.sub, org: r.org, jurisdiction: r.jurisdiction, resourceType: r.resource_type, ownerJurisdiction: r.owner_jurisdiction,
      recordCount: r.record_count, recordKeys: r.record_keys ?? [], operationName: r.operation_name,
    }));
    return keysetPage(nodes, rows.length, page, (n) => encodeCursor(EMERGENCY_TAG, [n.at.toISOString(), n.auditEventId]),
      () => this.ds.query(`SELECT count(*)::int AS n FROM audit_event WHERE ${base.join(' AND ')}`, countParams).then((r: Row[]) => r[0].n));
  }

  // -------------------------------------------------------------------------------------------
  // Inside

  private parties(app: Row): { providerJurisdiction: string; applicantOrg: string } {
    return { providerJurisdiction: app.provider_jurisdiction, applicantOrg: app.applicant_org };
  }

  private assertDecider(p: Principal, app: Row): void {
    const d = sharingDecisionDenial(p, this.parties(app));
    if (d) throw refused(d);
  }

  private assertProviderOrZone(p: Principal, app: Row): void {
    const d = sharingDecisionDenial(p, this.parties(app));
    if (d && sharingCoordinatorDenial(p)) throw refused(d);
  }

  private decided(p: Principal, reason: string | null): Record<string, unknown> {
    return { decision_reason: reason, decided_by: p.sub, decided_at: this.now() };
  }

  /** APPROVED with the granted scope, then ACTIVE when its first day has come. */
  private grantSteps(p: Principal, app: Row, input: ApproveSharingInput): Step[] {
    const requestedItems: string[] = app.items ?? [];
    const items = input.items == null ? requestedItems : [...new Set(input.items)];
    if (items.length === 0) throw badInput('input.items', 'grant at least one item, or reject the application');
    const extra = items.filter((i) => !requestedItems.includes(i));
    if (extra.length) throw badInput('input.items', `${extra.join(', ')} ${extra.length === 1 ? 'was' : 'were'} not applied for (applied for: ${requestedItems.join(', ')})`);
    const requestedDistricts: string[] = app.districts ?? [];
    const districts = input.districts == null ? requestedDistricts : districtsOf('input.districts', input.districts);
    const outside = districts.filter((d) => !requestedDistricts.includes(d));
    if (outside.length) throw badInput('input.districts', `${outside.join(', ')} ${outside.length === 1 ? 'was' : 'were'} not applied for (applied for: ${requestedDistricts.join(', ')})`);
    const from = String(app.valid_from);
    const to = input.validTo == null ? String(app.valid_to) : day('input.validTo', input.validTo);
    if (to > String(app.valid_to)) throw badInput('input.validTo', `may shorten the period applied for (to ${app.valid_to}), not extend it`);
    if (to < from) throw badInput('input.validTo', `must not be before the first day (${from})`);
    const today = this.today();
    if (to < today) throw badInput('input.validTo', `is in the past (today is ${today})`);
    const note = input.note?.trim() || null;
    const steps: Step[] = [{
      to: SharingStatus.APPROVED, note,
      patch: { granted_items: items, granted_districts: districts, granted_from: from, granted_to: to, ...this.decided(p, note) },
    }];
    if (from <= today) steps.push({ to: SharingStatus.ACTIVE, note: 'first day of the grant', actor: ACTIVATION });
    return steps;
  }

  /**
   * One action on one application, in one transaction: the row locked, the steps checked by `fn`
   * (which throws, changing nothing, when the caller or the state is wrong), each written with its
   * transition row and told on the channel; then this instance's grants are reloaded.
   */
  private async act(ctx: SharingRequest, id: string, fn: (app: Row) => Step[]): Promise<SharingApplication> {
    if (typeof id !== 'string' || !UUID.test(id)) throw badInput('id', `is not a sharing application id: ${JSON.stringify(id).slice(0, 80)}`);
    let changed = false;
    await this.ds.transaction(async (em) => {
      const [app] = await this.rows(em, id, true);
      if (!app) throw new HubError(ErrorCode.NOT_FOUND, `id: no sharing application ${id}`, { field: 'id' });
      // Each action checks its own actor first (policy.ts), so a steward of another district hears `sharing.otherProvider`.
      let current = app;
      for (const step of fn(app)) {
        const q = new SqlParams();
        const sets = [`status = ${q.p(step.to)}`, `updated_at = ${q.p(this.now())}`];
        for (const [col, v] of Object.entries(step.patch ?? {})) {
          const cast = col === 'granted_items' ? '::text[]' : col === 'granted_districts' ? '::varchar[]' : '';
          sets.push(`${col} = ${q.p(v)}${cast}`);
        }
        const [next]: Row[] = (await em.query(`UPDATE sharing_application SET ${sets.join(', ')} WHERE id = ${q.p(id)} RETURNING *`, q.values))[0];
        await this.record(em, next, current.status, step.to, step.actor ?? ctx.principal, step.note);
        await this.publish(em, next, step.to);
        current = next;
        changed = true;
      }
    });
    if (changed) await this.refresh();
    return ctx.principal.kind === 'system' ? (await this.withHistory(this.ds, await this.rows(this.ds, id)))[0] : this.get(ctx, id);
  }

  private async record(em: EntityManager, app: Row, from: string | null, to: SharingStatus, actor: Principal, note: string | null): Promise<void> {
    await em.query(
      `INSERT INTO sharing_transition (application_id, from_status, to_status, actor_sub, actor_org, actor_jurisdiction, note, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [app.id, from, to, actor.sub, actor.org, actor.jurisdiction, note, this.now()],
    );
  }

  /** Told to every instance when the transaction commits: small, keys only (the listener re-reads under its caller's rights). */
  private async publish(em: EntityManager, app: Row, status: SharingStatus): Promise<void> {
    const payload = {
      id: app.id, status, resourceCode: app.resource_code, applicantOrg: app.applicant_org, requesterJurisdiction: app.applicant_jurisdiction,
      providerJurisdiction: app.provider_jurisdiction, districts: app.districts,
    };
    if (this.bus) await this.bus.publish(SHARING_CHANNEL, payload, em);
    else await em.query('SELECT pg_notify($1, $2)', [SHARING_CHANNEL, JSON.stringify(payload)]);
  }

  private rows(m: DataSource | EntityManager, id: string, lock = false): Promise<Row[]> {
    return m.query(`SELECT * FROM sharing_application WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  }

  private visible(p: Principal, app: Row): boolean {
    const v = sharingVisibility(p);
    if (!v) return false;
    if ('all' in v) return true;
    return (v.org !== null && app.applicant_org === v.org) || app.provider_jurisdiction === v.jurisdiction
      || (app.districts as string[]).some((d) => (v.districts as string[]).includes(d));
  }

  private visibilityWhere(p: Principal, q: SqlParams): string[] {
    const v = sharingVisibility(p);
    if (!v) return ['false'];
    if ('all' in v) return [];
    return [`(applicant_org = ${q.p(v.org ?? '')} OR provider_jurisdiction = ${q.p(v.jurisdiction)} OR districts && ${q.p(v.districts)}::varchar[])`];
  }

  private async withHistory(m: DataSource | EntityManager, rows: Row[]): Promise<SharingApplication[]> {
    if (rows.length === 0) return [];
    const hist: Row[] = await m.query('SELECT * FROM sharing_transition WHERE application_id = ANY($1::uuid[]) ORDER BY id', [rows.map((r) => r.id)]);
    const today = chinaDayOf(this.now());
    return rows.map((r) => Object.assign(new SharingApplication(), {
      id: r.id, kind: r.kind as SharingKind, resourceCode: r.resource_code, applicantOrg: r.applicant_org, applicantJurisdiction: r.applicant_jurisdiction as Jurisdiction,
      applicantSub: r.applicant_sub, providerJurisdiction: r.provider_jurisdiction as Jurisdiction, requestedItems: r.items, requestedDistricts: r.districts,
      purpose: r.purpose, scenario: r.scenario, legalBasis: r.legal_basis, contact: r.contact, commitment: r.commitment,
      grantedItems: r.granted_items, grantedDistricts: r.granted_districts,
      validFrom: String(r.granted_from ?? r.valid_from), validTo: (r.granted_to ?? r.valid_to) === null ? null : String(r.granted_to ?? r.valid_to),
      status: r.status as SharingStatus, decisionReason: r.decision_reason, decidedBy: r.decided_by, decidedAt: r.decided_at, submittedAt: r.submitted_at,
      dueAt: r.due_on === null ? null : String(r.due_on), overdue: AWAITING.includes(r.status) && r.due_on !== null && String(r.due_on) < today,
      history: hist.filter((h) => h.application_id === r.id).map((h): SharingTransition => ({
        from: h.from_status, to: h.to_status, by: h.actor_sub, byOrg: h.actor_org, byJurisdiction: h.actor_jurisdiction, note: h.note, at: h.at,
      })),
    }));
  }
}
