import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { RecordType, writeDenial, writeRoleDenial } from '../../auth/policy';
import { Principal } from '../../auth/principal';
import { District, isDistrict } from '../../domain/jurisdictions';
import { ErrorCode, forbidden, HubError } from '../../graphql/errors';
import { appendChanges, CHANGE_LOG_LOCK, ChangeEntry } from '../changes/change-log';
import type { RecordField, RecordName } from './record-declaration';
import { AddProblem, fromColumn, InputProblem, joinPath, readFields, sqlTypeOf, toParam, unstorableText, Values } from './record-fields';
import type { ReadContext } from './record-store';

/**
 * The one way dossier records are written: by their natural key, for the upsert and withdraw
 * mutations, the bulk import, and, as the system principal, the seed, the test factories and the
 * jobs; driven by the `WriteSpec` each record type's declaration derives (record-declaration.ts).
 *
 * A batch is decided before anything is written: every record is checked on its own (fields,
 * referenced enterprise, rule 6, stored version), then the accepted ones are written with one
 * INSERT and one UPDATE, and their change-log entries appended last, all in one transaction.
 * Rejected records leave no trace; an unexpected failure rolls the whole batch back, so no record
 * is ever stored without its change-log entry or the other way round.
 */

/** What a write did to one record. */
export enum WriteStatus {
  INSERTED = 'INSERTED',
  UPDATED = 'UPDATED',
  UNCHANGED = 'UNCHANGED',
  WITHDRAWN = 'WITHDRAWN',
  REJECTED = 'REJECTED',
}

/** Most records one batch mutation takes; the import sends batches of this size at most. */
export const MAX_BATCH = 1000;

/** The stored version of a record, or the version an earlier record of the same batch left. */
export interface RecordState {
  id: string;
  values: Values;
  owner: District;
  /** The enterprise the record belongs to (an enterprise's own id), with its USCC and name. */
  enterpriseId: string;
  uscc: string;
  enterpriseName: string;
  /** ISO instant of the withdrawal, null while the record stands. */
  withdrawnAt: string | null;
  withdrawalReason: string | null;
}

/** How a record type is written (derived from its declaration). */
export interface WriteSpec {
  /** The name of the record type (as in the registry, write-specs.ts). */
  name: RecordName;
  recordType: RecordType;
  typeName: string;
  inputName: string;
  table: string;
  /** Input field of the natural key. */
  key: string;
  /** The input fields; those with a column are stored as sent. */
  fields: readonly RecordField[];
  /** The columns of the type's list order, for writing its records oldest first. */
  order: readonly string[];
  /** Tables of the records that belong to one of this type (an enterprise's), which must be withdrawn before it. */
  dependents?(): string[];
  /** Rules across fields, beyond what each field's definition says. */
  check?(v: Values, add: AddProblem): void;
  /**
   * Enterprise-owned types take their owner district from the enterprise that `uscc` names; an
   * enterprise finds its own (from its USCC, or given), with `fallback` for an import's district.
   */
  owner: 'enterprise' | ((v: Values, add: AddProblem, fallback?: District) => District | undefined);
  /**
   * The change-log entries of a change, in order: by default one, INSERTED, UPDATED or WITHDRAWN.
   * A type may log one write as several events, each with the state it stands for (a listing
   * that arrives already removed is LISTED, then REMOVED).
   */
  changeOps?(before: RecordState | null, after: RecordState): Array<{ op: string; state: RecordState }>;
  /** Extra change-log payload fields beyond the public fields (the credit feed's names). */
  payload?(after: RecordState): Record<string, unknown>;
  /**
   * What a committed write of this type sets off, in the same transaction and after its change-log
   * entries, through this writer (a new penalty decision removes its firm from the positive list):
   * event-driven, whatever road the record took (API, import, a case's decision, a system load).
   */
  afterWrite?(m: EntityManager, written: { inserted: readonly RecordState[]; updated: readonly RecordState[] }, actor: string): Promise<void>;
}

/** The outcome of one record of a batch. */
export interface RecordOutcome {
  index: number;
  key: string | null;
  status: WriteStatus;
  /** For a rejected record: BAD_USER_INPUT, FORBIDDEN or CONFLICT. */
  code: ErrorCode | null;
  /** For a FORBIDDEN record: the district whose records the caller may not write. */
  ownerJurisdiction?: string;
  problems: InputProblem[];
}

/** Where a batch's records sit in the request, and the import's district. */
export interface BatchOptions {
  /** Where a record's fields sit in the request: `records.3` in a batch, `input` alone, '' in a file. */
  pathOf(index: number): string;
  /** For the import: the district an enterprise belongs to when its USCC does not say. */
  fallbackOwner?: District;
}

/** A record a system load writes: its input, and the id a new record takes (the seed's, reproducible), random otherwise. */
export interface LoadRecord {
  input: unknown;
  id?: string;
}

/** How a system write is stamped. */
export interface SystemWriteOptions {
  /** Who the change log names: the system principal's `sub` by default, or a job's name under it (`system:credit-expiry`). */
  actor?: string;
  /** The instant stored as the records' created_at and updated_at (the seed's "loaded at"); the transaction's time by default. */
  at?: string;
  /** Records per transaction of a load (5,000 by default): one INSERT, one lookup of the stored versions and one append each. */
  batchSize?: number;
}

/** Records per transaction of a system load. */
export const LOAD_BATCH = 5000;

interface Prepared {
  index: number;
  path: string;
  values: Values;
  problems: InputProblem[];
  key: string | null;
  owner?: District;
  /** The id a new record takes (system loads only). */
  id?: string;
}

/** A column of an INSERT or UPDATE from `unnest`: its array parameter's type, the cast per row, the value of a record. */
interface Column {
  column: string;
  param: string;
  cast: string;
  value: (s: RecordState) => unknown;
}

/** How a decided batch is written. */
interface Stamp {
  actor: string;
  at?: string;
}

interface EnterpriseRef {
  id: string;
  uscc: string;
  name: string;
  owner: string;
  withdrawnAt: Date | null;
}

function problemsMessage(typeName: string, problems: readonly InputProblem[]): string {
  const n = problems.length;
  return `${typeName} has ${n} problem${n === 1 ? '' : 's'}: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`;
}

/** BAD_USER_INPUT carrying every problem of an input, each with its field path. */
export function inputProblemsError(typeName: string, problems: InputProblem[]): HubError {
  return new HubError(ErrorCode.BAD_USER_INPUT, problemsMessage(typeName, problems), { problems });
}

/**
 * Failures another writer's transaction causes, after which the batch is simply decided again: a
 * concurrent insert of the same key (unique violation), a deadlock, a serialization failure.
 */
function isRetryable(err: unknown): boolean {
  return ['23505', '40P01', '40001'].includes((err as { code?: string } | undefined)?.code ?? '');
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** How late an asOf may be against the hub's clock: a version from the future would block every later one. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The checks of one input that need no database, in the order a writer reads them: each field,
 * then the rules across fields (which only compare fields that passed their own checks), then the
 * owner where the record itself says it. Every problem is reported, each under `path`.
 */
export function checkRecordInput(spec: WriteSpec, raw: unknown, path: string, fallbackOwner?: District) {
  const problems: InputProblem[] = [];
  const values = readFields(spec.fields, raw, path, spec.inputName, problems);
  const add: AddProblem = (field, message) => problems.push({ field: joinPath(path, field), message });
  if (typeof values.asOf === 'string' && Date.parse(values.asOf) > Date.now() + CLOCK_SKEW_MS) add('asOf', `is in the future (${values.asOf})`);
  spec.check?.(values, add);
  const key = typeof values[spec.key] === 'string' ? (values[spec.key] as string) : null;
  const owner = spec.owner === 'enterprise' ? undefined : spec.owner(values, add, fallbackOwner);
  return { values, problems, key, owner };
}

/** The calendar day in Beijing (UTC+8) of an ISO instant: the day a source in the zone dated it. */
export function beijingDay(iso: string): string {
  // A UTC instant before 16:00 falls on the same day in Beijing (the checked inputs are all UTC).
  if (iso.length >= 20 && iso.endsWith('Z') && iso[10] === 'T' && iso.slice(11, 13) < '16') return iso.slice(0, 10);
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Adds a problem unless `early` (a day or instant) is on or before `late`; absent values pass. */
export function inOrder(v: Values, add: AddProblem, early: string, late: string, what = 'must not be before'): void {
  const a = v[early];
  const b = v[late];
  if (typeof a === 'string' && typeof b === 'string' && a > b) add(late, `${what} ${early} (${a}), got ${b}`);
}

/** A record cannot be dated after its source's asOf: that catches swapped or mistyped dates. */
export function notAfterAsOf(v: Values, add: AddProblem, field: string): void {
  const d = v[field];
  if (typeof d !== 'string' || typeof v.asOf !== 'string') return;
  const late = d.length === 10 ? beijingDay(v.asOf) : v.asOf;
  if (d > late) add(field, `must not be after asOf (${v.asOf}), got ${d}`);
}

/**
 * The enterprise a record that belongs to none names: an enterprise itself (its USCC and name), a
 * record about a party (an enforcement case's `uscc`, no name), or nothing (an emergency resource,
 * whose `name` may be an expert's and never goes into the change log as an enterprise's name).
 */
function ownReference(spec: WriteSpec, values: Values): { uscc: string; enterpriseName: string } {
  if (spec.name === 'enterprise') return { uscc: String(values.uscc), enterpriseName: String(values.name) };
  return { uscc: typeof values.uscc === 'string' ? values.uscc : '', enterpriseName: '' };
}

/** Refuses a system write by anyone but the system principal. */
function assertSystem(principal: Principal): void {
  if (principal.kind !== 'system') throw new Error('loads, amendments and backfills are written as the system principal only');
}

/** The column of a type's natural key. */
function keyColumn(spec: WriteSpec): string {
  return spec.fields.find((f) => f.name === spec.key)!.column!;
}

/** Which stored records an amendment changes: a condition on alias `t`, its parameters, the order to take them in, and how many. */
export interface AmendSelection {
  where: string;
  params: unknown[];
  orderBy: string;
  limit: number;
}

/** The one way dossier records are written; see the file's comment. */
export class RecordWriter {
  constructor(private readonly ds: DataSource) {}

  /**
   * Upserts one record; a rejected record is the GraphQL error of its code (BAD_USER_INPUT with
   * every problem, FORBIDDEN by rule 6, CONFLICT for a stale or clashing version). The record
   * is read back by the read engine for the `record` field of the result.
   */
  async upsert(ctx: ReadContext, spec: WriteSpec, input: unknown): Promise<{ status: WriteStatus; key: string }> {
    const [outcome] = await this.writeBatch(ctx.principal, spec, [input], { pathOf: () => 'input' });
    if (outcome.status === WriteStatus.REJECTED) throw this.rejection(spec, outcome);
    return { status: outcome.status, key: outcome.key! };
  }

  /** Upserts up to MAX_BATCH records, each accepted or rejected on its own. */
  async upsertMany(ctx: ReadContext, spec: WriteSpec, records: readonly unknown[]) {
    if (records.length > MAX_BATCH) {
      throw inputProblemsError(`${spec.inputName} list`, [{ field: 'records', message: `must hold at most ${MAX_BATCH} records, got ${records.length}` }]);
    }
    const results = await this.writeBatch(ctx.principal, spec, records, { pathOf: (i) => `records.${i}` });
    const count = (s: WriteStatus) => results.filter((r) => r.status === s).length;
    return {
      results,
      inserted: count(WriteStatus.INSERTED),
      updated: count(WriteStatus.UPDATED),
      unchanged: count(WriteStatus.UNCHANGED),
      rejected: count(WriteStatus.REJECTED),
    };
  }

  /**
   * Withdraws a record revoked or corrected at its source: the row stays, with when and why, and
   * leaves every list. Withdrawing it again for the same reason changes nothing; an enterprise is
   * withdrawn only once none of its records stands.
   */
  async withdraw(ctx: ReadContext, spec: WriteSpec, key: string, reason: string): Promise<{ status: WriteStatus; key: string }> {
    this.assertMayWrite(ctx.principal);
    // No stored key holds what PostgreSQL cannot store; said as such rather than as a database error.
    const badKey = unstorableText(key);
    if (badKey) throw inputProblemsError(`withdraw${spec.typeName}`, [{ field: spec.key, message: badKey }]);
    const status = await this.ds.transaction(async (m) => {
      const [row] = await m.query(this.storedSql(spec, `t.${keyColumn(spec)} = $1`), [key]);
      if (!row) throw new HubError(ErrorCode.NOT_FOUND, `no ${spec.typeName} with ${spec.key} "${key}" in the hub`, { key });
      const denial = writeDenial(ctx.principal, String(row.owner_jurisdiction));
      if (denial) throw this.denied(spec, String(row.owner_jurisdiction), denial);
      const text = reason.trim();
      const problem = unstorableText(text) ?? (text === '' ? 'must not be empty' : [...text].length > 500 ? 'must be at most 500 characters' : null);
      if (problem) throw inputProblemsError(`withdraw${spec.typeName}`, [{ field: 'reason', message: problem }]);
      if (row.withdrawn_at) {
        if (row.withdrawal_reason === text) return WriteStatus.UNCHANGED;
        throw new HubError(ErrorCode.CONFLICT, `${spec.typeName} ${key} was already withdrawn on ${new Date(row.withdrawn_at).toISOString()} for: ${row.withdrawal_reason}`, {
          key, withdrawnAt: new Date(row.withdrawn_at).toISOString(), withdrawalReason: row.withdrawal_reason,
        });
      }
      if (spec.dependents) await this.assertNoStandingRecords(m, spec.dependents(), String(row.id), key);
      const before = this.stateOf(spec, row);
      // now(): the transaction's time, the same for the row and its change-log entry.
      const [{ at }] = await m.query('SELECT now() AS at');
      await m.query(`UPDATE ${spec.table} SET withdrawn_at = $2, withdrawal_reason = $3, updated_at = $2 WHERE id = $1`, [row.id, at, text]);
      const after: RecordState = { ...before, withdrawnAt: new Date(at).toISOString(), withdrawalReason: text };
      await appendChanges(m, this.changeEntries(spec, ctx.principal.sub, key, before, after));
      return WriteStatus.WITHDRAWN;
    });
    return { status, key };
  }

  /**
   * The engine of upserts: checks each record, decides it against the stored version (and against
   * earlier records of the same batch with the same key), then writes the accepted ones and their
   * change-log entries in one transaction. A concurrent insert of the same key makes the batch run
   * again, deciding against what the other writer stored.
   */
  async writeBatch(principal: Principal, spec: WriteSpec, inputs: readonly unknown[], opts: BatchOptions): Promise<RecordOutcome[]> {
    this.assertMayWrite(principal);
    const prepared = inputs.map((raw, index) => this.prepare(spec, raw, index, opts));
    return (await this.decided(principal, spec, prepared, { actor: principal.sub }, false)).outcomes;
  }

  /**
   * Writes records as the system (the seed, the test factories): the same checks, decisions, rows
   * and change-log entries as any write, in transactions of `batchSize` records (bulk loads take
   * far more than an API batch, in fewer round trips). A record the writer rejects fails its
   * batch, with every problem: a system load never writes around a bad record. Returns the
   * records as stored.
   */
  async load(principal: Principal, spec: WriteSpec, records: readonly LoadRecord[], opts: SystemWriteOptions = {}): Promise<RecordState[]> {
    assertSystem(principal);
    const size = opts.batchSize ?? LOAD_BATCH;
    const stamp: Stamp = { actor: opts.actor ?? principal.sub, at: opts.at };
    const written: RecordState[] = [];
    for (let start = 0; start < records.length; start += size) {
      const prepared = records.slice(start, start + size).map((r, i) => ({ ...this.prepare(spec, r.input, start + i, { pathOf: (k) => `records.${k}` }), id: r.id }));
      written.push(...(await this.decided(principal, spec, prepared, stamp, true)).written);
    }
    return written;
  }

  /**
   * Writes records inside the caller's transaction, for a service of the hub that has decided who
   * may write them itself (the enforcement case's state machine, which asks policy.ts
   * `enforcementActDenial`): the same checks, versions, rows and change-log entries as an upsert,
   * with `actor` named in the change log. A rejected record throws its typed error (BAD_USER_INPUT
   * with every problem, CONFLICT), and the caller's transaction rolls back with it.
   */
  async writeIn(m: EntityManager, principal: Principal, spec: WriteSpec, inputs: readonly unknown[], opts: { actor: string; path?: string }): Promise<RecordState[]> {
    assertSystem(principal);
    const prepared = inputs.map((raw, index) => this.prepare(spec, raw, index, { pathOf: (i) => (inputs.length === 1 ? opts.path ?? 'input' : `records.${i}`) }));
    const { outcomes, written } = await this.decideAndWrite(m, principal, spec, prepared, { actor: opts.actor }, false);
    const rejected = outcomes.find((o) => o.status === WriteStatus.REJECTED);
    if (rejected) throw this.rejection(spec, rejected);
    return written;
  }

  /**
   * Upserts one record inside the caller's transaction (an objection resolved as corrected writes
   * the corrected record with the objection's own steps): the same checks, rule 6, version rules,
   * row and change-log entry as `upsert`; a rejected record is thrown as `upsert` throws it, under
   * `path` (`corrected`), and the caller's transaction rolls back.
   */
  async upsertIn(m: EntityManager, principal: Principal, spec: WriteSpec, input: unknown, path: string): Promise<{ status: WriteStatus; key: string }> {
    this.assertMayWrite(principal);
    const prepared = this.prepare(spec, input, 0, { pathOf: () => path });
    const { outcomes } = await this.decideAndWrite(m, principal, spec, [prepared], { actor: principal.sub }, false);
    const [outcome] = outcomes;
    if (outcome.status === WriteStatus.REJECTED) throw this.rejection(spec, outcome);
    return { status: outcome.status, key: outcome.key! };
  }

  /**
   * Logs an event about a stored record that is not a change of its values (an objection flagged
   * or cleared), inside the caller's transaction: one change-log entry with `op`, the record's
   * public fields as stored (so a feed entry reads like any other of the record) and `note`.
   */
  async noteIn(m: EntityManager, actor: string, spec: WriteSpec, key: string, op: string, note: Record<string, unknown>): Promise<void> {
    const [row] = await m.query(this.storedSql(spec, `t.${keyColumn(spec)} = $1`), [key]);
    if (!row) throw new Error(`${spec.typeName} ${key} is not stored`);
    await appendChanges(m, [this.changeEntry(spec, actor, key, op, this.stateOf(spec, row), note)]);
  }

  /**
   * Changes stored records as the hub itself decides (a job: a listing past its validity is
   * removed), inside the caller's transaction: the records `select` finds are locked, those
   * another transaction holds skipped, `change` gives each the fields it changes, and the rows and
   * their change-log entries (with `note` in the payload) are written as an upsert writes them. The
   * source's version (asOf) stays: the source did not send this change. Returns the records as changed.
   */
  async amendIn(
    m: EntityManager, principal: Principal, spec: WriteSpec, select: AmendSelection, change: (s: RecordState) => Values,
    opts: SystemWriteOptions & { note?: Record<string, unknown> } = {},
  ): Promise<RecordState[]> {
    assertSystem(principal);
    const rows: Record<string, unknown>[] = await m.query(
      this.storedSql(spec, select.where, { order: select.orderBy, limit: select.limit, lock: 'skip' }), select.params);
    const actor = opts.actor ?? principal.sub;
    const changed = new Set<string>();
    const after = rows.map((row) => {
      const before = this.stateOf(spec, row);
      const values = change(before);
      for (const name of Object.keys(values)) changed.add(name);
      return { before, after: { ...before, values: { ...before.values, ...values } } };
    });
    // Only the changed columns are written: the rest stays exactly as stored.
    await this.updateRows(m, spec, after.map((a) => a.after), { actor, at: opts.at }, spec.fields.filter((f) => changed.has(f.name)));
    await appendChanges(m, after.flatMap((a) => this.changeEntries(spec, actor, String(a.before.values[spec.key]), a.before, a.after, opts.note)));
    return after.map((a) => a.after);
  }

  /**
   * Appends the first change-log entries of a type's standing records that have none (stored
   * before the change log existed), as the type logs a new record, oldest first. The change-log
   * lock is taken before looking, so two instances starting at once cannot both append. Returns
   * the number of entries appended.
   */
  async logUnlogged(principal: Principal, spec: WriteSpec, opts: SystemWriteOptions = {}): Promise<number> {
    assertSystem(principal);
    const actor = opts.actor ?? principal.sub;
    return this.ds.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [CHANGE_LOG_LOCK]);
      const rows: Record<string, unknown>[] = await m.query(this.storedSql(spec,
        `t.withdrawn_at IS NULL AND NOT EXISTS (SELECT 1 FROM change_log l WHERE l.record_type = $1 AND l.record_key = t.${keyColumn(spec)})`,
        { order: spec.order.map((c) => `t.${c}`).join(', '), lock: false }), [spec.recordType]);
      const entries = rows.flatMap((row) => {
        const state = this.stateOf(spec, row);
        return this.changeEntries(spec, actor, String(state.values[spec.key]), null, state);
      });
      await appendChanges(m, entries);
      return entries.length;
    });
  }

  private prepare(spec: WriteSpec, raw: unknown, index: number, opts: BatchOptions): Prepared {
    const path = opts.pathOf(index);
    return { index, path, ...checkRecordInput(spec, raw, path, opts.fallbackOwner) };
  }

  /** Decides and writes prepared records in one transaction, run again after a concurrent writer's conflict. */
  private async decided(principal: Principal, spec: WriteSpec, prepared: readonly Prepared[], stamp: Stamp, strict: boolean) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.ds.transaction((m) => this.decideAndWrite(m, principal, spec, prepared, stamp, strict));
      } catch (err) {
        if (attempt < 3 && isRetryable(err)) continue;
        throw err;
      }
    }
  }

  /** With `strict` (system loads), a rejected record fails the batch before anything is written. */
  private async decideAndWrite(
    m: EntityManager, principal: Principal, spec: WriteSpec, prepared: readonly Prepared[], stamp: Stamp, strict: boolean,
  ): Promise<{ outcomes: RecordOutcome[]; written: RecordState[] }> {
    const keyCol = keyColumn(spec);
    const keys = [...new Set(prepared.map((p) => p.key).filter((k): k is string => k !== null))];
    const usccs = spec.owner === 'enterprise'
      ? [...new Set(prepared.map((p) => p.values.uscc).filter((u): u is string => typeof u === 'string'))]
      : [];
    const enterprises = new Map<string, EnterpriseRef>();
    if (usccs.length > 0) {
      const rows: Array<{ id: string; uscc: string; name: string; owner_jurisdiction: string; withdrawn_at: Date | null }> = await m.query(
        'SELECT id, uscc, name, owner_jurisdiction, withdrawn_at FROM enterprise WHERE uscc = ANY($1::text[])', [usccs]);
      for (const r of rows) enterprises.set(r.uscc, { id: r.id, uscc: r.uscc, name: r.name, owner: r.owner_jurisdiction, withdrawnAt: r.withdrawn_at });
    }
    // The stored versions, locked until commit so that no other writer decides against them meanwhile.
    const current = new Map<string, RecordState>();
    if (keys.length > 0) {
      const rows: Record<string, unknown>[] = await m.query(this.storedSql(spec, `t.${keyCol} = ANY($1::text[])`), [keys]);
      for (const row of rows) current.set(String(row[keyCol]), this.stateOf(spec, row));
    }
    const inDb = new Set(current.keys());
    const dirty = new Set<string>();
    const entries: ChangeEntry[] = [];
    const outcomes: RecordOutcome[] = [];

    for (const p of prepared) {
      const problems = [...p.problems];
      const reject = (code: ErrorCode, extra: InputProblem[] = []): void => {
        outcomes.push({ index: p.index, key: p.key, status: WriteStatus.REJECTED, code, problems: [...extra, ...(code === ErrorCode.BAD_USER_INPUT ? problems : [])] });
      };
      let owner = p.owner;
      let ent: EnterpriseRef | undefined;
      if (spec.owner === 'enterprise' && typeof p.values.uscc === 'string') {
        ent = enterprises.get(p.values.uscc);
        const field = joinPath(p.path, 'uscc');
        if (!ent) problems.push({ field, message: `no enterprise with USCC ${p.values.uscc} is in the hub; write the enterprise first` });
        else if (ent.withdrawnAt) problems.push({ field, message: `enterprise ${ent.uscc} was withdrawn on ${ent.withdrawnAt.toISOString()}; it takes no records` });
        else if (isDistrict(ent.owner)) owner = ent.owner;
        else problems.push({ field, message: `enterprise ${ent.uscc} has no district owner (${ent.owner})` });
      }
      const before = p.key !== null ? current.get(p.key) : undefined;

      // Rule 6 first: a caller who may not write a district's records learns nothing more about them.
      const denial = (owner && writeDenial(principal, owner)) || (before && writeDenial(principal, before.owner));
      if (denial) {
        outcomes.push({
          index: p.index, key: p.key, status: WriteStatus.REJECTED, code: ErrorCode.FORBIDDEN,
          ownerJurisdiction: owner && writeDenial(principal, owner) ? owner : before!.owner, problems: [{ field: p.path || '(record)', message: denial }],
        });
        continue;
      }
      if (problems.length > 0 || !owner || p.key === null) {
        reject(ErrorCode.BAD_USER_INPUT);
        continue;
      }
      const key = p.key;
      const id = before?.id ?? p.id ?? randomUUID();
      // An upsert is the source's current version: it stands, even where an older one was withdrawn.
      const after: RecordState = ent
        ? { id, values: p.values, owner, enterpriseId: ent.id, uscc: ent.uscc, enterpriseName: ent.name, withdrawnAt: null, withdrawalReason: null }
        : { id, values: p.values, owner, enterpriseId: id, ...ownReference(spec, p.values), withdrawnAt: null, withdrawalReason: null };

      let status: WriteStatus;
      if (!before) {
        status = WriteStatus.INSERTED;
      } else {
        const conflict = this.conflictOf(spec, p, before, after);
        if (conflict) {
          reject(ErrorCode.CONFLICT, [conflict]);
          continue;
        }
        const cmp = Date.parse(after.values.asOf as string) - Date.parse(before.values.asOf as string);
        const same = this.sameContent(spec, before, after);
        if (cmp < 0) {
          reject(ErrorCode.CONFLICT, [{ field: joinPath(p.path, 'asOf'), message: `is older than the stored version's (${before.values.asOf}): the record is stale` }]);
          continue;
        }
        if (cmp === 0 && !same) {
          reject(ErrorCode.CONFLICT, [{
            field: joinPath(p.path, 'asOf'),
            message: `equals the stored version's (${before.values.asOf}) but the content differs: send a change with a newer asOf`,
          }]);
          continue;
        }
        // Same version sent again: nothing to do, also when the record has since been withdrawn.
        status = cmp === 0 ? WriteStatus.UNCHANGED : WriteStatus.UPDATED;
      }
      if (status !== WriteStatus.UNCHANGED) {
        entries.push(...this.changeEntries(spec, stamp.actor, key, before ?? null, after));
        current.set(key, after);
        dirty.add(key);
      }
      outcomes.push({ index: p.index, key, status, code: null, problems: [] });
    }

    if (strict) {
      const rejected = outcomes.filter((o) => o.status === WriteStatus.REJECTED);
      if (rejected.length > 0) {
        throw new Error(`${spec.typeName}: ${rejected.length} of ${prepared.length} records rejected by the writer: `
          + rejected.slice(0, 5).map((o) => `${o.key ?? `#${o.index}`} ${o.code} (${o.problems.map((x) => `${x.field}: ${x.message}`).join('; ')})`).join(' | '));
      }
    }
    const toInsert = [...dirty].filter((k) => !inDb.has(k)).map((k) => current.get(k)!);
    const toUpdate = [...dirty].filter((k) => inDb.has(k)).map((k) => current.get(k)!);
    await this.insertRows(m, spec, toInsert, stamp);
    await this.updateRows(m, spec, toUpdate, stamp);
    await appendChanges(m, entries);
    if (spec.afterWrite && toInsert.length + toUpdate.length > 0) await spec.afterWrite(m, { inserted: toInsert, updated: toUpdate }, stamp.actor);
    return { outcomes, written: [...toInsert, ...toUpdate] };
  }

  /** A change the stored record cannot take, whatever the versions: it would move or change kind. */
  private conflictOf(spec: WriteSpec, p: Prepared, before: RecordState, after: RecordState): InputProblem | null {
    if (spec.name === 'enterprise' && before.owner !== after.owner) {
      return { field: joinPath(p.path, 'jurisdiction'), message: `the enterprise is owned by ${before.owner}; an enterprise does not move to ${after.owner} by an upsert` };
    }
    if ('kind' in before.values && before.values.kind !== after.values.kind) {
      return { field: joinPath(p.path, 'kind'), message: `the stored record is an ${before.values.kind}; a record does not change its kind` };
    }
    return null;
  }

  private sameContent(spec: WriteSpec, a: RecordState, b: RecordState): boolean {
    if (a.owner !== b.owner || a.enterpriseId !== b.enterpriseId) return false;
    return spec.fields.every((f) => !f.column || sameJson(a.values[f.name], b.values[f.name]));
  }

  /**
   * Stored rows by a condition on alias `t`, locked until commit so that no other writer decides
   * against them meanwhile (in id order by default, so two batches never wait on each other
   * crosswise; `skip` passes over rows another transaction holds); records of an enterprise come
   * with its USCC and name.
   */
  private storedSql(spec: WriteSpec, condition: string, o: { order?: string; limit?: number; lock?: 'wait' | 'skip' | false } = {}): string {
    const owned = spec.owner === 'enterprise';
    const from = owned
      ? `SELECT t.*, e.uscc AS __uscc, e.name AS __enterprise_name FROM ${spec.table} t JOIN enterprise e ON e.id = t.enterprise_id`
      : `SELECT t.* FROM ${spec.table} t`;
    const lock = o.lock === false ? '' : ` FOR UPDATE${owned ? ' OF t' : ''}${o.lock === 'skip' ? ' SKIP LOCKED' : ''}`;
    return `${from} WHERE ${condition} ORDER BY ${o.order ?? 't.id'}${o.limit !== undefined ? ` LIMIT ${o.limit}` : ''}${lock}`;
  }

  /** A stored row (from `storedSql`) as a record state. */
  private stateOf(spec: WriteSpec, row: Record<string, unknown>): RecordState {
    const values: Values = {};
    for (const f of spec.fields) if (f.column) values[f.name] = fromColumn(f, row[f.column]);
    const child = spec.owner === 'enterprise';
    if (child) values.uscc = String(row.__uscc);
    const { uscc, enterpriseName } = child ? { uscc: String(values.uscc), enterpriseName: String(row.__enterprise_name) } : ownReference(spec, values);
    return {
      id: String(row.id),
      values,
      owner: row.owner_jurisdiction as District,
      enterpriseId: child ? String(row.enterprise_id) : String(row.id),
      uscc,
      enterpriseName,
      withdrawnAt: row.withdrawn_at ? new Date(row.withdrawn_at as string).toISOString() : null,
      withdrawalReason: (row.withdrawal_reason as string | null) ?? null,
    };
  }

  /** The change-log entries of one change; payloads hold the record's public fields as the change left it. */
  private changeEntries(spec: WriteSpec, actor: string, key: string, before: RecordState | null, after: RecordState, note?: Record<string, unknown>): ChangeEntry[] {
    const ops = spec.changeOps?.(before, after)
      ?? [{ op: !before ? 'INSERTED' : after.withdrawnAt && !before.withdrawnAt ? 'WITHDRAWN' : 'UPDATED', state: after }];
    return ops.map(({ op, state }) => this.changeEntry(spec, actor, key, op, state, note));
  }

  private changeEntry(spec: WriteSpec, actor: string, key: string, op: string, after: RecordState, note?: Record<string, unknown>): ChangeEntry {
    const payload: Record<string, unknown> = {};
    for (const f of spec.fields) {
      if (f.personal || (!f.column && f.name !== 'uscc')) continue;
      payload[f.outputName ?? f.name] = after.values[f.name];
    }
    Object.assign(payload, {
      // A record about no enterprise (an emergency resource) names none.
      ...(after.uscc ? { uscc: after.uscc } : {}),
      ...(after.enterpriseName ? { enterpriseName: after.enterpriseName } : {}),
      ownerJurisdiction: after.owner,
      withdrawnAt: after.withdrawnAt,
      withdrawalReason: after.withdrawalReason,
      ...spec.payload?.(after),
      ...note,
    });
    // An enforcement record is about an enterprise by its USCC but does not belong to one (its owner is the acting district).
    const aboutEnterprise = spec.owner === 'enterprise' || spec.name === 'enterprise';
    return {
      recordType: spec.recordType, recordKey: key, op, ownerJurisdiction: after.owner, enterpriseId: aboutEnterprise ? after.enterpriseId : null,
      uscc: after.uscc || null, actor, payload,
    };
  }

  /**
   * The columns a write sets: id, then owner, enterprise (for its records), the fields' and the
   * withdrawal as the state has them (or only the fields `only` names), and with `at` the change time.
   */
  private columns(spec: WriteSpec, stamp: Stamp, only?: readonly RecordField[]): Column[] {
    const cols: Column[] = [{ column: 'id', param: 'uuid', cast: '', value: (s) => s.id }];
    if (!only) {
      cols.push({ column: 'owner_jurisdiction', param: 'text', cast: '', value: (s) => s.owner });
      if (spec.owner === 'enterprise') cols.push({ column: 'enterprise_id', param: 'uuid', cast: '', value: (s) => s.enterpriseId });
    }
    for (const f of only ?? spec.fields) {
      if (!f.column) continue;
      const t = sqlTypeOf(f.kind);
      cols.push({ column: f.column, param: t.param, cast: t.cast, value: (s) => toParam(f.kind, s.values[f.name]) });
    }
    if (!only) {
      cols.push(
        { column: 'withdrawn_at', param: 'timestamptz', cast: '', value: (s) => s.withdrawnAt },
        { column: 'withdrawal_reason', param: 'text', cast: '', value: (s) => s.withdrawalReason },
      );
    }
    const at = stamp.at;
    if (at !== undefined) cols.push({ column: 'updated_at', param: 'timestamptz', cast: '', value: () => at });
    return cols;
  }

  /** One INSERT for all new records: one array parameter per column, rows from `unnest`. */
  private async insertRows(m: EntityManager, spec: WriteSpec, rows: readonly RecordState[], stamp: Stamp): Promise<void> {
    if (rows.length === 0) return;
    const cols = this.columns(spec, stamp);
    const at = stamp.at;
    if (at !== undefined) cols.push({ column: 'created_at', param: 'timestamptz', cast: '', value: () => at });
    await m.query(
      `INSERT INTO ${spec.table} (${cols.map((c) => `"${c.column}"`).join(', ')})
       SELECT ${cols.map((c, i) => `c${i}${c.cast}`).join(', ')}
       FROM unnest(${cols.map((c, i) => `$${i + 1}::${c.param}[]`).join(', ')}) AS u(${cols.map((_, i) => `c${i}`).join(', ')})`,
      cols.map((c) => rows.map((r) => c.value(r))),
    );
  }

  /** One UPDATE for all changed records, the withdrawal as their state has it (an upsert with a newer version lifts one). */
  private async updateRows(m: EntityManager, spec: WriteSpec, rows: readonly RecordState[], stamp: Stamp, only?: readonly RecordField[]): Promise<void> {
    if (rows.length === 0) return;
    const cols = this.columns(spec, stamp, only);
    const sets = cols.slice(1).map((c, i) => `"${c.column}" = u.c${i + 1}${c.cast}`);
    await m.query(
      `UPDATE ${spec.table} t SET ${sets.join(', ')}${stamp.at === undefined ? ', updated_at = now()' : ''}
       FROM unnest(${cols.map((c, i) => `$${i + 1}::${c.param}[]`).join(', ')}) AS u(${cols.map((_, i) => `c${i}`).join(', ')})
       WHERE t.id = u.c0`,
      cols.map((c) => rows.map((r) => c.value(r))),
    );
  }

  private async assertNoStandingRecords(m: EntityManager, tables: readonly string[], enterpriseId: string, uscc: string): Promise<void> {
    if (tables.length === 0) return;
    const counts: Array<{ t: string; n: number }> = await m.query(
      tables.map((t) => `SELECT '${t}' AS t, count(*)::int AS n FROM ${t} WHERE enterprise_id = $1 AND withdrawn_at IS NULL`).join(' UNION ALL '),
      [enterpriseId],
    );
    const standing = counts.filter((c) => c.n > 0);
    if (standing.length > 0) {
      throw new HubError(ErrorCode.CONFLICT, `enterprise ${uscc} still has records that stand (${standing.map((c) => `${c.n} ${c.t}`).join(', ')}): withdraw them first`, {
        key: uscc, standingRecords: Object.fromEntries(standing.map((c) => [c.t, c.n])),
      });
    }
  }

  private assertMayWrite(principal: Principal): void {
    const denial = writeRoleDenial(principal);
    if (denial) throw forbidden(denial, { rule: 'write.ownDistrictOnly', reason: denial });
  }

  private denied(spec: WriteSpec, owner: string, reason: string): HubError {
    return forbidden(`${spec.typeName} records of ${owner} may be written only by a data steward of ${owner}: ${reason}`, {
      rule: 'write.ownDistrictOnly', reason, recordType: spec.recordType, ownerJurisdiction: owner,
    });
  }

  /** The GraphQL error for a rejected single upsert. */
  private rejection(spec: WriteSpec, o: RecordOutcome): HubError {
    if (o.code === ErrorCode.FORBIDDEN) {
      return this.denied(spec, o.ownerJurisdiction ?? '', o.problems[0].message);
    }
    if (o.code === ErrorCode.CONFLICT) {
      return new HubError(ErrorCode.CONFLICT, `${spec.typeName} ${o.key}: ${o.problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, { key: o.key, problems: o.problems });
    }
    return inputProblemsError(spec.inputName, o.problems);
  }
}
