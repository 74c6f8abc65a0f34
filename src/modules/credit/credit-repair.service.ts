import { DataSource, EntityManager } from 'typeorm';
import { repairApplicationDenial, repairDecisionDenial } from '../../auth/policy';
import { Principal, SYSTEM_PRINCIPAL } from '../../auth/principal';
import { ErrorCode, forbidden, HubError, badInput } from '../../graphql/errors';
import { RecordWriter, WriteSpec } from '../dossier/record-writer';
import { unstorableText } from '../dossier/record-fields';
import { PENALTY } from '../penalty/penalty.record';
import { CREDIT, CreditRecordKind, CreditRemovalReason } from './credit.record';
import { earliestRepairDay, REPAIR_RULES, RepairKind } from './credit-repair.rules';
import { CreditRepairApplication, CreditRepairStatus } from './credit-repair.types';

/** Most characters of evidence or reasons. */
const MAX_TEXT = 4000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Today in the zone (China Standard Time). */
function zoneToday(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

function dayBefore(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** A record an application may name, as found by its number. */
interface Target {
  spec: WriteSpec;
  kind: RepairKind;
  id: string;
  owner: string;
  enterpriseId: string;
  uscc: string;
  /** The day the minimum period runs from. */
  from: string;
  withdrawn: boolean;
  /** Why its publicity is already over, if it is. */
  over: string | null;
}

function repairDenied(rule: string, reason: string, extra: Record<string, unknown> = {}): HubError {
  return forbidden(reason, { rule, reason, ...extra });
}

function text(field: string, v: string | null | undefined, required: boolean): string | null {
  const t = (v ?? '').trim();
  if (t === '') {
    if (required) throw badInput(field, 'must not be empty');
    return null;
  }
  const bad = unstorableText(t);
  if (bad) throw badInput(field, bad);
  if ([...t].length > MAX_TEXT) throw badInput(field, `must be at most ${MAX_TEXT} characters`);
  return t;
}

/**
 * Credit repair (信用修复, issue 15): the firm's regulator applies for the early end of the
 * publicity of a serious-dishonesty listing or a penalty decision, once the configured minimum
 * period has run (credit-repair.rules.json); the owner district's steward approves or rejects.
 * Approval ends the publicity through the one writer: a listing gets `removedOn` today and
 * `removalReason: REPAIRED` (a REMOVED entry on the credit feed), a penalty's publicity ends
 * yesterday (the public stops seeing it). Every refusal is a typed error and changes nothing.
 */
export class CreditRepairService {
  private readonly writer: RecordWriter;

  constructor(private readonly ds: DataSource) {
    this.writer = new RecordWriter(ds);
  }

  async apply(p: Principal, uscc: string, recordNo: string, evidence: string, today = zoneToday()): Promise<CreditRepairApplication> {
    const roleDenial = repairApplicationDenial(p);
    if (roleDenial) throw repairDenied('repair.regulatorOnly', roleDenial);
    const ev = text('evidence', evidence, true)!;
    return this.ds.transaction(async (m) => {
      const t = await this.target(m, recordNo, true);
      if (!t || t.uscc !== uscc) throw new HubError(ErrorCode.NOT_FOUND, `no listing or penalty ${recordNo} of enterprise ${uscc} in the hub`, { field: 'recordNo' });
      const denial = repairApplicationDenial(p, t.owner);
      if (denial) throw repairDenied('repair.ownDistrictRegulator', denial, { ownerJurisdiction: t.owner });
      const rule = REPAIR_RULES.kinds[t.kind];
      if (!rule.repairable) throw badInput('recordNo', `${t.kind} records cannot be repaired: ${rule.why ?? 'excluded by the repair rules'}`, { kind: t.kind, rulesVersion: REPAIR_RULES.version });
      if (t.withdrawn) throw new HubError(ErrorCode.CONFLICT, `${recordNo} was withdrawn; there is nothing to repair`, { field: 'recordNo' });
      if (t.over) throw new HubError(ErrorCode.CONFLICT, `${recordNo}: ${t.over}; there is nothing to repair`, { field: 'recordNo' });
      const earliest = earliestRepairDay(t.from, rule.minimumMonths!);
      if (today < earliest) {
        throw badInput('recordNo', `may be repaired from ${earliest} (${rule.minimumMonths} months after ${t.from}), not before; today is ${today}`, {
          earliest, minimumMonths: rule.minimumMonths, rulesVersion: REPAIR_RULES.version,
        });
      }
      const open = await m.query(`SELECT id FROM credit_repair WHERE record_type = $1 AND record_key = $2 AND status = 'PENDING'`, [t.spec.recordType, recordNo]);
      if (open.length > 0) throw new HubError(ErrorCode.CONFLICT, `${recordNo} already has an open repair application (${open[0].id})`, { field: 'recordNo', applicationId: open[0].id });
      const [row] = await m.query(
        `INSERT INTO credit_repair (record_type, record_kind, record_key, owner_jurisdiction, enterprise_id, uscc, evidence, applied_by, applied_org)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
        [t.spec.recordType, t.kind, recordNo, t.owner, t.enterpriseId, t.uscc, ev, p.sub, p.org ?? null]);
      return toApplication(row);
    });
  }

  async approve(p: Principal, applicationId: string, reason: string | null | undefined, today = zoneToday()): Promise<CreditRepairApplication> {
    return this.decide(p, applicationId, CreditRepairStatus.APPROVED, text('reason', reason, false), today);
  }

  async reject(p: Principal, applicationId: string, reason: string): Promise<CreditRepairApplication> {
    return this.decide(p, applicationId, CreditRepairStatus.REJECTED, text('reason', reason, true), zoneToday());
  }

  private async decide(p: Principal, id: string, status: CreditRepairStatus, reason: string | null, today: string): Promise<CreditRepairApplication> {
    const roleDenial = repairDecisionDenial(p);
    if (roleDenial) throw repairDenied('repair.ownDistrictSteward', roleDenial);
    if (!UUID.test(id)) throw badInput('applicationId', 'is not an application id');
    return this.ds.transaction(async (m) => {
      const [app] = await m.query('SELECT * FROM credit_repair WHERE id = $1 FOR UPDATE', [id]);
      if (!app) throw new HubError(ErrorCode.NOT_FOUND, `no repair application ${id}`, { field: 'applicationId' });
      const denial = repairDecisionDenial(p, app.owner_jurisdiction, app.applied_by);
      if (denial) throw repairDenied('repair.ownDistrictSteward', denial, { ownerJurisdiction: app.owner_jurisdiction });
      if (app.status !== CreditRepairStatus.PENDING) {
        throw new HubError(ErrorCode.CONFLICT, `repair application ${id} was already ${app.status.toLowerCase()}`, { field: 'applicationId', status: app.status });
      }
      let repairedOn: string | null = null;
      if (status === CreditRepairStatus.APPROVED) {
        const t = await this.target(m, app.record_key, false);
        if (!t || t.withdrawn || t.over) {
          throw new HubError(ErrorCode.CONFLICT, `${app.record_key}: ${t?.withdrawn ? 'withdrawn' : t?.over ?? 'gone'} since the application; reject it instead`, { field: 'applicationId' });
        }
        repairedOn = today;
      }
      // TypeORM answers an UPDATE … RETURNING with [rows, count].
      const [[row]] = await m.query(
        `UPDATE credit_repair SET status = $2, decided_by = $3, decided_at = now(), decision_reason = $4, repaired_on = $5 WHERE id = $1 RETURNING *`,
        [id, status, p.sub, reason, repairedOn]);
      // The record's change goes last: it appends to the change log, which holds the log's lock until commit.
      if (repairedOn) await this.endPublicity(m, p, app.record_kind as RepairKind, app.record_key, repairedOn, id);
      return toApplication(row);
    });
  }

  /** Ends the record's publicity through the one writer, its change-log entry naming the steward and the application. */
  private async endPublicity(m: EntityManager, p: Principal, kind: RepairKind, recordNo: string, today: string, applicationId: string): Promise<void> {
    const listing = kind === 'LISTING';
    const spec = listing ? CREDIT.write : PENALTY.write;
    // The public view hides a penalty from the day after publicity_until; the day before "today" in both the zone and UTC
    // is past wherever the database's current_date is taken.
    const utcToday = new Date().toISOString().slice(0, 10);
    const until = dayBefore(today < utcToday ? today : utcToday);
    const changed = await this.writer.amendIn(m, SYSTEM_PRINCIPAL, spec, {
      where: `t.${listing ? 'record_no' : 'decision_no'} = $1 AND t.withdrawn_at IS NULL`, params: [recordNo], orderBy: 't.id', limit: 1,
    }, () => (listing ? { removedOn: today, removalReason: CreditRemovalReason.REPAIRED } : { publicityUntil: until }),
    { actor: p.sub, note: { repair: { applicationId, status: 'APPROVED' } } });
    if (changed.length !== 1) throw new HubError(ErrorCode.CONFLICT, `${recordNo} is being changed by another writer; try again`, { field: 'applicationId' });
  }

  /** The listing (credit record) or penalty with this number, locked; `lock` false for a read under the application's lock. */
  private async target(m: EntityManager, recordNo: string, lock: boolean): Promise<Target | null> {
    const forUpdate = lock ? ' FOR UPDATE OF t' : '';
    const today = zoneToday();
    const [c] = await m.query(`SELECT t.*, e.uscc FROM credit_record t JOIN enterprise e ON e.id = t.enterprise_id WHERE t.record_no = $1${forUpdate}`, [recordNo]);
    if (c) {
      const isListing = c.kind === CreditRecordKind.LISTING;
      const over = !isListing ? null
        : c.removed_on ? `the listing was removed on ${c.removed_on}` : c.valid_until && c.valid_until < today ? `the listing ran out on ${c.valid_until}` : null;
      return { spec: CREDIT.write, kind: c.kind, id: c.id, owner: c.owner_jurisdiction, enterpriseId: c.enterprise_id, uscc: c.uscc, from: c.effective_on, withdrawn: !!c.withdrawn_at, over };
    }
    const [pe] = await m.query(`SELECT t.*, e.uscc FROM penalty t JOIN enterprise e ON e.id = t.enterprise_id WHERE t.decision_no = $1${forUpdate}`, [recordNo]);
    if (!pe) return null;
    const over = !pe.publicity_until ? 'the decision was never publicised' : pe.publicity_until < today ? `its publicity ended on ${pe.publicity_until}` : null;
    return { spec: PENALTY.write, kind: 'PENALTY', id: pe.id, owner: pe.owner_jurisdiction, enterpriseId: pe.enterprise_id, uscc: pe.uscc, from: pe.decision_date, withdrawn: !!pe.withdrawn_at, over };
  }

  /** The applications of the districts the principal regulates, newest first (the steward's worklist). */
  async list(p: Principal, status: CreditRepairStatus | null): Promise<CreditRepairApplication[]> {
    const roleDenial = repairApplicationDenial(p);
    if (roleDenial) throw repairDenied('repair.regulatorOnly', roleDenial);
    const districts = p.kind === 'system' ? null : [p.jurisdiction];
    const rows = await this.ds.query(
      `SELECT * FROM credit_repair WHERE ($1::varchar[] IS NULL OR owner_jurisdiction = ANY($1::varchar[])) AND ($2::text IS NULL OR status = $2)
       ORDER BY applied_at DESC, id LIMIT 500`, [districts, status]);
    return rows.map(toApplication);
  }
}

function iso(v: unknown): string | null {
  return v === null || v === undefined ? null : new Date(v as string).toISOString();
}

function toApplication(r: Record<string, any>): CreditRepairApplication { // eslint-disable-line @typescript-eslint/no-explicit-any
  return {
    id: r.id, recordNo: r.record_key, recordKind: r.record_kind, uscc: r.uscc, ownerJurisdiction: r.owner_jurisdiction, evidence: r.evidence,
    status: r.status, appliedBy: r.applied_by, appliedAt: iso(r.applied_at)!, decidedBy: r.decided_by, decidedAt: iso(r.decided_at),
    decisionReason: r.decision_reason, repairedOn: r.repaired_on,
  };
}
