import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import {
  AccessContext, DOSSIER_TYPES, objectionHandlerDenial, objectionRaiseDenial, objectionVisibility, RecordType,
} from '../../auth/policy';
import { publishIn } from '../../db/events';
import { SqlParams } from '../../db/sql';
import { chinaDayOf } from '../../domain/calendar/days';
import { District, districtsCoveredBy, isDistrict } from '../../domain/jurisdictions';
import { badInput, ErrorCode, forbidden, HubError } from '../../graphql/errors';
import { encodeCursor, keysetPage, Page, PageArgs, pageRequest } from '../../graphql/pagination';
import type { DossierRecord } from '../dossier/record-declaration';
import { isPersonalObject, outputNameOf } from '../dossier/record-graphql';
import { RecordWriter, WriteStatus } from '../dossier/record-writer';
import { RECORDS } from '../dossier/write-specs';
import {
  EVIDENCE_ITEM_MAX, EVIDENCE_MAX_ITEMS, OBJECTION_CHANNEL, OBJECTION_CLEARED, OBJECTION_FLAGGED, ObjectionOutcome, ObjectionStatus,
  ObjectionStepKind, REASON_MAX,
} from './objection.model';
import { OBJECTION_RULES, ObjectionRules, verifyDueOn } from './objection-rules';
import type { DataObjection, ObjectionFilter, ObjectionStep, RaiseObjectionArgs, ResolveObjectionArgs } from './objection.types';

/** What the service needs of a request: the caller and the catalog's terms (a HubContext is one). */
export type ObjectionContext = AccessContext;

/** Fields the hub itself sets: nothing to dispute in them. */
const NOT_DISPUTABLE = new Set(['id', 'createdAt', 'updatedAt']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LIST_TAG = 'DataObjection';

interface ObjectionRow {
  id: string;
  record_type: RecordType;
  record_key: string;
  owner_jurisdiction: District;
  fields: string[];
  status: ObjectionStatus;
}

/** The declared record type of a dossier RecordType. */
function declarationOf(t: RecordType): DossierRecord {
  const r = Object.values(RECORDS).find((x) => x.recordType === t);
  if (!r || !DOSSIER_TYPES.includes(t)) throw badInput('recordType', `objections are raised on dossier records (${DOSSIER_TYPES.join(', ')}), got ${t}`);
  return r;
}

/** The fields of a type one may dispute: its stored outputs, by output name. */
export function disputableFields(r: DossierRecord): string[] {
  return r.outputs.map((f) => (isPersonalObject(f) ? f.object : outputNameOf(f))).filter((n) => !NOT_DISPUTABLE.has(n));
}

function text(field: string, v: string | null | undefined, required: boolean, max: number): string | null {
  const t = (v ?? '').trim();
  if (t === '') {
    if (required) throw badInput(field, 'must not be empty');
    return null;
  }
  if (t.includes('\u0000')) throw badInput(field, 'must not contain NUL characters');
  if ([...t].length > max) throw badInput(field, `must be at most ${max} characters`);
  return t;
}

function stateError(o: ObjectionRow, action: string, allowed: readonly ObjectionStatus[]): HubError {
  return new HubError(ErrorCode.CONFLICT, `objection ${o.id} is ${o.status}: it can be ${action} only when ${allowed.join(' or ')}`, {
    field: 'id', rule: 'objection.state', status: o.status, allowedStatuses: allowed,
  });
}

/**
 * Data objections (数据异议): a reader disputes fields of a record, the owner's data steward
 * accepts (the record is flagged for every reader), verifies, and resolves it as corrected (the
 * corrected record written by RecordWriter in the same transaction) or rejected; every step is
 * kept. Who may do what is decided in src/auth/policy.ts; each change is one transaction that also
 * notifies `eco_hub_objections` and, for a credit record, appends its credit-feed entry.
 */
export class ObjectionService {
  constructor(private readonly ds: DataSource, private readonly writer: RecordWriter, private readonly rules: ObjectionRules = OBJECTION_RULES) {}

  async raise(cx: ObjectionContext, a: RaiseObjectionArgs): Promise<DataObjection> {
    const r = declarationOf(a.recordType);
    const key = text('key', a.key, true, 64)!;
    const allowed = disputableFields(r);
    if (!a.fields.length) throw badInput('fields', 'must name at least one field');
    const fields = [...new Set(a.fields.map((f) => f.trim()))];
    const unknown = fields.filter((f) => !allowed.includes(f));
    if (unknown.length) throw badInput('fields', `${r.typeName} has no disputable field ${unknown.map((f) => `"${f}"`).join(', ')}; its fields are ${allowed.join(', ')}`, { unknownFields: unknown });
    const reason = text('reason', a.reason, true, REASON_MAX)!;
    const evidence = (a.evidence ?? []).map((e, i) => text(`evidence.${i}`, e, true, EVIDENCE_ITEM_MAX)!);
    if (evidence.length > EVIDENCE_MAX_ITEMS) throw badInput('evidence', `must hold at most ${EVIDENCE_MAX_ITEMS} items, got ${evidence.length}`);
    const p = cx.principal;
    const id = randomUUID();
    await this.ds.transaction(async (m) => {
      // One raiser at a time per record, so two cannot both pass the one-open-objection check.
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`objection:${r.recordType}:${key}`]);
      const [row] = await m.query(`SELECT id, owner_jurisdiction, withdrawn_at FROM ${r.table} WHERE ${r.model.key.column} = $1`, [key]);
      if (!row) throw badInput('key', `no ${r.typeName} with ${r.key.field} "${key}" in the hub`);
      const owner = String(row.owner_jurisdiction);
      if (!isDistrict(owner)) throw badInput('key', `${r.typeName} ${key} has no district owner`);
      const denial = objectionRaiseDenial(cx, r.recordType, owner);
      if (denial) throw forbidden(`may not object to ${r.typeName} ${key}: ${denial.reason}`, { rule: denial.rule, reason: denial.reason, recordType: r.recordType, ownerJurisdiction: owner });
      if (row.withdrawn_at) throw badInput('key', `${r.typeName} ${key} was withdrawn at its source; only a standing record can be disputed`);
      const open: Array<{ id: string; fields: string[] }> = await m.query(
        `SELECT id, fields FROM data_objection WHERE record_type = $1 AND record_key = $2 AND status <> 'ARCHIVED' AND fields && $3::text[]`, [r.recordType, key, fields]);
      if (open.length) {
        const clash = fields.filter((f) => open.some((o) => o.fields.includes(f)));
        throw new HubError(ErrorCode.CONFLICT, `fields: ${clash.join(', ')} of ${r.typeName} ${key} already under open objection ${open[0].id}`, {
          field: 'fields', rule: 'objection.oneOpenPerField', objectionId: open[0].id, fields: clash,
        });
      }
      await m.query(
        `INSERT INTO data_objection (id, record_type, record_key, record_id, owner_jurisdiction, fields, reason, evidence, status, raised_by, raised_org, raised_jurisdiction)
         VALUES ($1, $2, $3, $4, $5, $6::text[], $7, $8::text[], $9, $10, $11, $12)`,
        [id, r.recordType, key, row.id, owner, fields, reason, evidence, ObjectionStatus.RAISED, p.sub, p.org, p.jurisdiction]);
      await this.step(m, cx, id, ObjectionStepKind.RAISED, null);
      await this.publish(m, { id, recordType: r.recordType, key, ownerJurisdiction: owner, status: ObjectionStatus.RAISED });
    });
    return this.loaded(id);
  }

  /** The owner's steward accepts: the record is flagged (underObjection) for every reader. */
  async accept(cx: ObjectionContext, id: string, note?: string | null): Promise<DataObjection> {
    const n = text('note', note, false, REASON_MAX);
    await this.ds.transaction(async (m) => {
      const o = await this.handled(m, cx, id, 'accepted', [ObjectionStatus.RAISED]);
      const [{ now }] = await m.query('SELECT now() AS now');
      const due = verifyDueOn(this.rules, o.owner_jurisdiction, chinaDayOf(new Date(now)));
      await m.query(`UPDATE data_objection SET status = $2, accepted_by = $3, accepted_at = now(), verify_due_on = $4, updated_at = now() WHERE id = $1`,
        [id, ObjectionStatus.FLAGGED, cx.principal.sub, due]);
      await this.step(m, cx, id, ObjectionStepKind.ACCEPTED, n);
      await this.step(m, cx, id, ObjectionStepKind.FLAGGED, null);
      await this.publish(m, { id, recordType: o.record_type, key: o.record_key, ownerJurisdiction: o.owner_jurisdiction, status: ObjectionStatus.FLAGGED });
      await this.creditNote(m, cx, o, OBJECTION_FLAGGED, { id, fields: o.fields, status: ObjectionStatus.FLAGGED });
    });
    return this.loaded(id);
  }

  /** The owner's steward starts verifying (异议核实); the record stays flagged. */
  async verify(cx: ObjectionContext, id: string, note?: string | null): Promise<DataObjection> {
    const n = text('note', note, false, REASON_MAX);
    await this.ds.transaction(async (m) => {
      const o = await this.handled(m, cx, id, 'verified', [ObjectionStatus.FLAGGED]);
      await m.query(`UPDATE data_objection SET status = $2, updated_at = now() WHERE id = $1`, [id, ObjectionStatus.VERIFYING]);
      await this.step(m, cx, id, ObjectionStepKind.VERIFYING, n);
      await this.publish(m, { id, recordType: o.record_type, key: o.record_key, ownerJurisdiction: o.owner_jurisdiction, status: ObjectionStatus.VERIFYING });
    });
    return this.loaded(id);
  }

  /**
   * Resolves as CORRECTED (the corrected record written through RecordWriter, with its change-log
   * entry) or REJECTED with reasons; then the flag is removed and the file archived, all in one
   * transaction with one kept step each.
   */
  async resolve(cx: ObjectionContext, a: ResolveObjectionArgs): Promise<DataObjection> {
    const reason = text('reason', a.reason, true, REASON_MAX)!;
    if (a.outcome === ObjectionOutcome.CORRECTED && !a.corrected) throw badInput('corrected', 'is required when the outcome is CORRECTED: send the corrected record');
    if (a.outcome === ObjectionOutcome.REJECTED && a.corrected) throw badInput('corrected', 'is taken only when the outcome is CORRECTED; a rejected objection leaves the record as it is');
    await this.ds.transaction(async (m) => {
      const o = await this.handled(m, cx, a.id, 'resolved', [ObjectionStatus.FLAGGED, ObjectionStatus.VERIFYING]);
      const r = declarationOf(o.record_type);
      if (a.outcome === ObjectionOutcome.CORRECTED) {
        const sent = a.corrected![r.key.field];
        if (sent !== o.record_key) throw badInput(`corrected.${r.key.field}`, `must be the disputed record's key "${o.record_key}", got ${JSON.stringify(sent ?? null)}`);
        const written = await this.writer.upsertIn(m, cx.principal, r.write, a.corrected, 'corrected');
        if (written.status === WriteStatus.UNCHANGED) throw badInput('corrected', 'is the stored version: a correction must change the record, with a newer asOf');
      }
      await m.query(`UPDATE data_objection SET status = $2, outcome = $3, resolution_reason = $4, resolved_by = $5, resolved_at = now(), updated_at = now() WHERE id = $1`,
        [o.id, ObjectionStatus.ARCHIVED, a.outcome, reason, cx.principal.sub]);
      await this.step(m, cx, o.id, a.outcome === ObjectionOutcome.CORRECTED ? ObjectionStepKind.CORRECTED : ObjectionStepKind.REJECTED, reason);
      await this.step(m, cx, o.id, ObjectionStepKind.FLAG_REMOVED, null);
      await this.step(m, cx, o.id, ObjectionStepKind.ARCHIVED, null);
      await this.publish(m, { id: o.id, recordType: o.record_type, key: o.record_key, ownerJurisdiction: o.owner_jurisdiction, status: ObjectionStatus.ARCHIVED, outcome: a.outcome });
      await this.creditNote(m, cx, o, OBJECTION_CLEARED, { id: o.id, fields: o.fields, status: ObjectionStatus.ARCHIVED, outcome: a.outcome, reason });
    });
    return this.loaded(a.id);
  }

  /** The objections the caller may see (policy.objectionVisibility), newest first, in one statement. */
  async list(cx: ObjectionContext, filter: ObjectionFilter, page: PageArgs): Promise<Page<DataObjection>> {
    const req = pageRequest(page, LIST_TAG, ['timestamptz', 'uuid']);
    const q = new SqlParams();
    const where = [this.visible(cx, q)];
    if (filter.status) where.push(`o.status = ${q.p(filter.status)}`);
    if (filter.recordType) where.push(`o.record_type = ${q.p(filter.recordType)}`);
    if (filter.key) where.push(`o.record_key = ${q.p(filter.key)}`);
    if (filter.raisedByMe) where.push(`o.raised_by = ${q.p(cx.principal.sub)}`);
    if (filter.toMyDistrict) {
      const mine = cx.principal.jurisdiction ? districtsCoveredBy(cx.principal.jurisdiction) : [];
      where.push(`o.owner_jurisdiction = ANY(${q.p(mine)}::varchar[])`);
    }
    const base = where.join(' AND ');
    const after = req.after ? ` AND (o.raised_at, o.id) < (${q.p(req.after[0])}::timestamptz, ${q.p(req.after[1])}::uuid)` : '';
    const sql = `WITH page AS (${this.selectSql(`${base}${after}`)} ORDER BY o.raised_at DESC, o.id DESC LIMIT ${req.first + 1})
      SELECT (SELECT count(*)::int FROM data_objection o WHERE ${base}) AS total,
        (SELECT coalesce(json_agg(p ORDER BY p.raised_at DESC, p.id DESC), '[]'::json) FROM page p) AS rows`;
    const [{ total, rows }] = await this.ds.query(sql, q.values);
    const pageRows = (rows as RawObjection[]).slice(0, req.first);
    // The cursor holds raised_at to the microsecond (cursor_at), which the node's Date does not keep.
    // The count came with the page, in the same statement.
    return keysetPage(pageRows.map(toObjection), rows.length, req, (_, i) => encodeCursor(LIST_TAG, [pageRows[i].cursor_at, pageRows[i].id]),
      () => Promise.resolve(total as number));
  }

  /** The visibility of policy.objectionVisibility as a SQL condition on alias `o`. */
  private visible(cx: ObjectionContext, q: SqlParams): string {
    const v = objectionVisibility(cx);
    if (v.all) return 'true';
    const any: string[] = [];
    if (v.raisedBy) any.push(`o.raised_by = ${q.p(v.raisedBy)}`);
    if (v.handledDistricts.length) any.push(`o.owner_jurisdiction = ANY(${q.p(v.handledDistricts)}::varchar[])`);
    for (const [t, districts] of v.readable) {
      any.push(`(o.record_type = ${q.p(t)} AND o.owner_jurisdiction = ANY(${q.p(districts)}::varchar[]) AND o.status <> '${ObjectionStatus.RAISED}')`);
    }
    return any.length ? `(${any.join(' OR ')})` : 'false';
  }

  private selectSql(where: string): string {
    return `SELECT o.*, to_char(o.raised_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at,
      (SELECT coalesce(json_agg(json_build_object('step', s.step, 'actor', s.actor, 'actorOrg', s.actor_org, 'actorJurisdiction', s.actor_jurisdiction, 'at', s.at, 'note', s.note) ORDER BY s.seq), '[]'::json)
        FROM data_objection_step s WHERE s.objection_id = o.id) AS history
      FROM data_objection o WHERE ${where}`;
  }

  /** One objection as just written (the caller raised or handled it, so may see it). */
  private async loaded(id: string): Promise<DataObjection> {
    const [row] = await this.ds.query(this.selectSql('o.id = $1'), [id]);
    return toObjection(row);
  }

  /** An objection locked for a handling step: it exists, the caller handles its district, it is in one of `allowed`. */
  private async handled(m: EntityManager, cx: ObjectionContext, id: string, action: string, allowed: readonly ObjectionStatus[]): Promise<ObjectionRow> {
    if (!UUID.test(id)) throw badInput('id', `is not an objection id, got ${JSON.stringify(id)}`);
    const [o]: ObjectionRow[] = await m.query('SELECT id, record_type, record_key, owner_jurisdiction, fields, status FROM data_objection WHERE id = $1 FOR UPDATE', [id]);
    if (!o) throw new HubError(ErrorCode.NOT_FOUND, `no objection ${id}`, { field: 'id' });
    const denial = objectionHandlerDenial(cx.principal, o.owner_jurisdiction);
    if (denial) throw forbidden(`may not handle objection ${id}: ${denial.reason}`, { rule: denial.rule, reason: denial.reason, ownerJurisdiction: o.owner_jurisdiction });
    if (!allowed.includes(o.status)) throw stateError(o, action, allowed);
    return o;
  }

  private async step(m: EntityManager, cx: ObjectionContext, id: string, step: ObjectionStepKind, note: string | null): Promise<void> {
    const p = cx.principal;
    await m.query('INSERT INTO data_objection_step (objection_id, step, actor, actor_org, actor_jurisdiction, note) VALUES ($1, $2, $3, $4, $5, $6)',
      [id, step, p.sub, p.org, p.jurisdiction, note]);
  }

  private publish(m: EntityManager, payload: Record<string, unknown>): Promise<void> {
    return publishIn(m, OBJECTION_CHANNEL, payload);
  }

  /** A credit record's flag set or lifted is a credit-feed entry (docs/credit-feed.md); appended last, as change-log appends are. */
  private async creditNote(m: EntityManager, cx: ObjectionContext, o: ObjectionRow, op: string, objection: Record<string, unknown>): Promise<void> {
    if (o.record_type !== RecordType.CREDIT_RECORD) return;
    await this.writer.noteIn(m, cx.principal.sub, declarationOf(o.record_type).write, o.record_key, op, { objection });
  }
}

interface RawObjection {
  id: string;
  record_type: RecordType;
  record_key: string;
  owner_jurisdiction: string;
  fields: string[];
  reason: string;
  evidence: string[];
  status: ObjectionStatus;
  outcome: ObjectionOutcome | null;
  resolution_reason: string | null;
  raised_by: string;
  raised_org: string | null;
  raised_jurisdiction: string | null;
  raised_at: string | Date;
  accepted_at: string | Date | null;
  resolved_at: string | Date | null;
  verify_due_on: string | null;
  cursor_at: string;
  history: Array<Omit<ObjectionStep, 'at'> & { at: string }>;
}

const instant = (v: string | Date | null): Date | null => (v === null ? null : new Date(v));

function toObjection(r: RawObjection): DataObjection {
  return {
    id: r.id,
    recordType: r.record_type,
    key: r.record_key,
    ownerJurisdiction: r.owner_jurisdiction as DataObjection['ownerJurisdiction'],
    fields: r.fields,
    reason: r.reason,
    evidence: r.evidence,
    status: r.status,
    outcome: r.outcome,
    resolutionReason: r.resolution_reason,
    raisedBy: r.raised_by,
    raisedByOrg: r.raised_org,
    raisedByJurisdiction: r.raised_jurisdiction as DataObjection['raisedByJurisdiction'],
    raisedAt: instant(r.raised_at)!,
    acceptedAt: instant(r.accepted_at),
    resolvedAt: instant(r.resolved_at),
    verifyDueOn: r.verify_due_on ? String(r.verify_due_on).slice(0, 10) : null,
    history: r.history.map((s) => ({ ...s, at: new Date(s.at) })),
  };
}
