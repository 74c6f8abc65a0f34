import { DataSource, EntityMetadata } from 'typeorm';
import { applyMasks, MaskReport } from '../../auth/masking';
import { AccessContext, readScope, ReadScope, RecordType } from '../../auth/policy';
import { scopeCondition } from '../../auth/scope';
import { SqlParams } from '../../db/sql';
import { CursorValueKind, encodeCursor, keysetPage, Page, PageRequest } from '../../graphql/pagination';
import type { AuditTrail } from '../audit/audit-trail';

/** How one record type is stored and listed: the generic reads below work from this. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface RecordSpec<T = any> {
  recordType: RecordType;
  entity: new () => T;
  table: string;
  /** Natural key: its column, and the GraphQL argument that looks a record up by it. */
  keyColumn: string;
  /** Sort columns of lists, the last one unique (the natural key); one direction for all. */
  order: { columns: string[]; dir: 'ASC' | 'DESC' };
  /** Column of the date range filter. */
  dateColumn?: string;
  /** Column of the status filter. */
  statusColumn?: string;
  /** The scope as SQL on `alias`, where it is not the record type's owner districts (monitoring stations: by their kind's resource). */
  scope?: (ctx: AccessContext, alias: string, q: SqlParams) => string;
  /**
   * The sharing grant a released row was read through, for its audit row (`grant_id`), where the
   * record type's own decision does not say it (monitoring stations: their kind's resource).
   */
  grantOf?: (ctx: AccessContext, row: T) => string | null;
}

/** The request-side inputs of every read: who asks, for what, and where masks are reported. */
export interface ReadContext extends AccessContext {
  maskReport?: MaskReport;
  /** Where rows handed out and hidden are tallied for the audit log. */
  audit?: AuditTrail;
}

/** A record looked up by key: the row, or the fact that it exists but may not be seen. */
export type KeyLookup<T> = { visible: true; row: T } | { visible: false; owner: string; scope: ReadScope };

/** Extra WHERE conditions of a list, written against alias `t`. */
export type Conditions = (q: SqlParams) => string[];

/**
 * Generic scoped reads of records kept as TypeORM entities (monitoring stations; dossier records
 * are read by the read engine, src/read/). Every statement is scoped through `scopeCondition` (the
 * policy decides in SQL), every loaded row passes `applyMasks`, and lists use keyset pagination.
 */
export class RecordStore {
  private readonly metas = new Map<Function, EntityMetadata>();

  constructor(private readonly ds: DataSource) {}

  /** One page of a root list, in the spec's order. `totalCount` costs a statement only when asked for. */
  async list<T>(ctx: ReadContext, spec: RecordSpec<T>, conditions: Conditions, page: PageRequest): Promise<Page<T>> {
    const scope = readScope(ctx, spec.recordType);
    const where = (q: SqlParams) => [this.scopeOf(ctx, spec, scope, 't', q), ...this.live(spec, 't'), ...conditions(q)];
    const q = new SqlParams();
    const conds = where(q);
    if (page.after) conds.push(this.afterCondition(spec, page.after, q, 't'));
    const sql = `SELECT t.* FROM ${spec.table} t WHERE ${conds.join(' AND ')} ORDER BY ${this.orderBy(spec, 't')} LIMIT ${page.first + 1}`;
    const raw: Record<string, unknown>[] = await this.ds.query(sql, q.values);
    const count = async () => {
      const cq = new SqlParams();
      const [{ n }] = await this.ds.query(`SELECT count(*)::int AS n FROM ${spec.table} t WHERE ${where(cq).join(' AND ')}`, cq.values);
      return n as number;
    };
    return this.toPage(ctx, spec, raw, page, count);
  }

  /** Records by natural key, for loaders: a row the caller may not see comes back as `visible: false`. */
  async byKeys<T>(ctx: ReadContext, spec: RecordSpec<T>, keys: readonly string[], keyColumn = spec.keyColumn): Promise<Map<string, KeyLookup<T>>> {
    const scope = readScope(ctx, spec.recordType);
    const q = new SqlParams();
    const sql = `SELECT t.*, (${this.scopeOf(ctx, spec, scope, 't', q)}) AS __visible FROM ${spec.table} t WHERE t.${keyColumn}::text = ANY(${q.p(keys)}::text[])`;
    const raw: Record<string, unknown>[] = await this.ds.query(sql, q.values);
    const out = new Map<string, KeyLookup<T>>();
    const visible = raw.filter((r) => r.__visible === true);
    const rows = this.release(ctx, spec, this.hydrate(spec, visible));
    visible.forEach((r, i) => out.set(String(r[keyColumn]), { visible: true, row: rows[i] }));
    for (const r of raw) {
      if (r.__visible !== true) out.set(String(r[keyColumn]), { visible: false, owner: String(r.owner_jurisdiction), scope });
    }
    return out;
  }

  private scopeOf(ctx: ReadContext, spec: RecordSpec, scope: ReadScope, alias: string, q: SqlParams): string {
    return spec.scope ? spec.scope(ctx, alias, q) : scopeCondition(scope, alias, q);
  }

  /** Turns raw rows (first + 1 of them at most) into a page, masking what the caller may not see. */
  private toPage<T>(ctx: ReadContext, spec: RecordSpec<T>, raw: Record<string, unknown>[], page: PageRequest, count: () => Promise<number>): Page<T> {
    const pageRows = raw.slice(0, page.first);
    const nodes = this.release(ctx, spec, this.hydrate(spec, pageRows));
    return keysetPage(nodes, raw.length, page, (_, i) => this.cursorOf(spec, pageRows[i]), count);
  }

  /** Every row leaves the store through here: masked as the policy says, and tallied for the audit. */
  private release<T>(ctx: ReadContext, spec: RecordSpec<T>, rows: T[]): T[] {
    const masked = applyMasks(ctx.principal, spec.recordType, rows as object[], ctx.maskReport);
    // Tallied with each record's natural key, so the owner can ask who read it.
    const keyProp = this.meta(spec).findColumnWithDatabaseName(spec.keyColumn)?.propertyName;
    const read = (rows as Array<T & { ownerJurisdiction: string }>).map((r) => ({
      row: r, ownerJurisdiction: r.ownerJurisdiction, key: keyProp ? String((r as Record<string, unknown>)[keyProp]) : undefined, grantId: spec.grantOf?.(ctx, r) ?? null,
    }));
    ctx.audit?.returned(spec.recordType, read, new Set(read.filter((x) => masked.has(x.row as object))));
    return rows;
  }

  private orderBy(spec: RecordSpec, alias: string): string {
    return spec.order.columns.map((c) => `${alias}.${c} ${spec.order.dir}`).join(', ');
  }

  /** Keyset condition: the row tuple after the cursor's tuple in the list's direction. */
  private afterCondition(spec: RecordSpec, values: unknown[], q: SqlParams, alias: string): string {
    const cols = spec.order.columns.map((c) => `${alias}.${c}`).join(', ');
    const params = spec.order.columns.map((c, i) => `${q.p(values[i])}::${this.sqlType(spec, c)}`).join(', ');
    return `(${cols}) ${spec.order.dir === 'ASC' ? '>' : '<'} (${params})`;
  }

  private cursorOf(spec: RecordSpec, raw: Record<string, unknown>): string {
    return encodeCursor(spec.recordType, spec.order.columns.map((c) => {
      const v = raw[c];
      return v instanceof Date ? v.toISOString() : String(v);
    }));
  }

  /** The kinds of a list's cursor values, from its sort columns' types, for `pageRequest`. */
  cursorKinds(spec: RecordSpec): CursorValueKind[] {
    return spec.order.columns.map((c) => this.sqlType(spec, c) as CursorValueKind);
  }

  private sqlType(spec: RecordSpec, column: string): 'timestamptz' | 'date' | 'uuid' | 'text' {
    const col = this.meta(spec).columns.find((c) => c.databaseName === column);
    const t = String(col?.type ?? 'text');
    if (t === 'timestamptz' || t === 'timestamp with time zone') return 'timestamptz';
    if (t === 'date') return 'date';
    if (t === 'uuid') return 'uuid';
    return 'text';
  }

  /**
   * Withdrawn records leave lists: types whose table has `withdrawn_at` list only records that
   * stand. `byKeys` does not use it on purpose: a record asked for by key is returned with
   * `withdrawnAt` set, so whoever holds the key learns that it was withdrawn and why.
   */
  private live(spec: RecordSpec, alias: string): string[] {
    return this.meta(spec).findColumnWithDatabaseName('withdrawn_at') ? [`${alias}.withdrawn_at IS NULL`] : [];
  }

  private meta(spec: RecordSpec): EntityMetadata {
    let m = this.metas.get(spec.entity);
    if (!m) {
      m = this.ds.getMetadata(spec.entity);
      this.metas.set(spec.entity, m);
    }
    return m;
  }

  /** Raw rows (snake_case columns) to entity instances, through the entity's column metadata. */
  hydrate<T>(spec: RecordSpec<T>, raw: Record<string, unknown>[]): T[] {
    const meta = this.meta(spec);
    return raw.map((r) => {
      const o = meta.create() as Record<string, unknown>;
      for (const c of meta.columns) {
        if (c.databaseName in r) o[c.propertyName] = r[c.databaseName];
      }
      return o as T;
    });
  }
}
