import type { FieldNode } from 'graphql';
import { getNamedType, GraphQLEnumType, GraphQLNamedType, GraphQLObjectType, isEnumType, isNonNullType, isObjectType } from 'graphql';
import { AccessContext, conditionColumns, decideRule, itemWithheldFor, MASK_RULES, readScope, RecordType, RowCondition } from '../auth/policy';
import { scopeCondition } from '../auth/scope';
import { SqlParams } from '../db/sql';
import { DISTRICTS } from '../domain/jurisdictions';
import { PageRequest, pageRequest } from '../graphql/pagination';
import { ColumnOutput, ConnectionOutput, CursorKind, MaskedOutput, Output, ParentOutput, ReadModel, RowOutput } from './model';
import { DocumentInfo, objectTypeOf, SelectedField, Selection, selectOn, subSelection } from './selection';
import type { FieldKind } from '../modules/dossier/record-fields';

/**
 * The read engine's compiler: from a root field's selection, one SQL statement that finds the
 * rows of every level (the policy's scope in each WHERE), builds the whole answer as JSON with
 * the masks as SQL expressions, and writes the audit rows of what it released in a
 * data-modifying CTE of the same statement, so nothing leaves unaudited and the read costs one
 * round trip.
 *
 * Each level of records is two CTEs: `lN` holds the rows (only the columns the query needs, plus
 * `__p` the parent's key, `__rn` the row's place in its page, `__v` for lookups by key), `gN`
 * their JSON, grouped by parent; a parent level joins its children's `gN` by key. Levels are
 * written bottom-up, so the statement reads top to bottom as: rows, children, JSON, audit.
 */

/** Who the audit rows name: the request's principal, purpose and operation. */
export interface AuditStamp {
  requestId: string;
  sub: string;
  org: string | null;
  jurisdiction: string | null;
  purpose: string | null;
  operationName: string | null;
}

export interface CompileContext {
  doc: DocumentInfo;
  access: AccessContext;
  /** Today's calendar day (YYYY-MM-DD) for validity checks, so one request sees one day. */
  today: string;
  /** Where the audit rows are written; null writes none (system reads). */
  audit: AuditStamp | null;
  /** `deferred`: the statement's own commit does not wait for the WAL flush (HUB_AUDIT_COMMIT). */
  auditCommit?: 'durable' | 'deferred';
  computed: Readonly<Record<string, ComputedCompiler>>;
  /**
   * Write the answer as the response itself (src/graphql/shaped-json.ts): selections keyed by
   * response key, `__typename` included, leaves as their scalars serialize them, each non-null
   * field guarded by `hub_missing`. What cannot be written so throws NotText at compile time.
   */
  asResponse?: boolean;
}

/** The selection asks for something the engine does not write as the response itself: read it the usual way. */
export class NotText extends Error {}

/** The SQLSTATE `hub_missing` raises (migration RequiredValueGuard1810000000000). */
export const MISSING_VALUE = 'HB001';

/** A level of rows already written as a CTE, as its children and computed fields see it. */
export interface LevelRef {
  rows: string;
  model: ReadModel;
  /** SQL condition on a row (alias given) that the level releases to the caller. */
  released: (alias: string) => string;
}

/** What a field contributes to its row's JSON: an expression, and the joins it needs. */
export interface FieldSql {
  expr: string;
  joins: string[];
}

/** Compiles a computed output (an enterprise's credit status) under a level of parent rows. */
export type ComputedCompiler = (c: Compiler, parent: LevelRef, field: SelectedField, path: string) => FieldSql;

/** What a root list is asked for: its extra WHERE conditions (alias `t`) and its page. */
export interface ListSource {
  kind: 'list';
  conditions: (q: SqlParams) => string[];
  page: PageRequest;
}

/** Records by natural key (or by id). */
export interface KeysSource {
  kind: 'keys';
  column: string;
  keys: readonly string[];
  /** The SQL type the keys are compared as (`uuid` for ids, so the primary key's index serves). */
  keyType: 'text' | 'uuid';
}

export interface CompiledStatement {
  sql: string;
  params: unknown[];
  /**
   * The parameters that hold this request's own values and nothing of its shape: the keys of a
   * lookup and the request id of the audit rows (indexes into `params`). A statement of the same
   * shape for another request is this one with those two replaced (ReadEngine, "Compiled once per shape").
   */
  keysAt?: number;
  requestAt?: number;
}

/**
 * Splits long json_build_object argument lists (PostgreSQL takes 100 arguments per call). Joined
 * as jsonb, which reorders keys; `ordered` joins the texts instead, keeping the keys in order.
 */
function jsonObject(pairs: ReadonlyArray<[string, string]>, ordered = false): string {
  if (pairs.length === 0) return `'{}'::json`;
  const chunks: string[] = [];
  for (let i = 0; i < pairs.length; i += 40) {
    chunks.push(`json_build_object(${pairs.slice(i, i + 40).map(([k, v]) => `${literal(k)}, ${v}`).join(', ')})`);
  }
  if (chunks.length === 1) return chunks[0];
  if (!ordered) return `(${chunks.map((c) => `${c}::jsonb`).join(' || ')})::json`;
  // Each chunk is `{…}`: the first without its `}`, the middle ones without both braces, the last without its `{`.
  return `(${chunks.map((c, i) => `${i > 0 ? 'substr(' : ''}${i < chunks.length - 1 ? 'left(' : ''}${c}::text${i < chunks.length - 1 ? ', -1)' : ''}${i > 0 ? ', 2)' : ''}`).join(` || ', ' || `)})::json`;
}

/** `YYYY-MM-DDTHH:MM:SS.sssZ`, as the DateTime scalar writes an instant (milliseconds cut, not rounded, as a JS Date keeps them). */
function isoInstant(expr: string): string {
  return `to_char(${expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** Whether an enum's values are written as their names (then a stored value is its own serialization). */
const SELF_NAMED = new WeakMap<GraphQLEnumType, boolean>();
function selfNamed(t: GraphQLEnumType): boolean {
  let v = SELF_NAMED.get(t);
  if (v === undefined) SELF_NAMED.set(t, (v = t.getValues().every((x) => x.value === x.name)));
  return v;
}

/** NotText where `t` is an enum whose values are not its names: a stored value is then not its own serialization. */
function assertWrittenAsStored(t: GraphQLNamedType, path: string): void {
  if (isEnumType(t) && !selfNamed(t)) throw new NotText(`${path}: enum ${t.name} is not written as its values`);
}

function literal(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

const MASK_FUNCTIONS: Record<Exclude<MaskedOutput['as'], 'withheld'>, string> = { name: 'hub_mask_name', phone: 'hub_mask_phone', id: 'hub_mask_id' };

export class Compiler {
  readonly q = new SqlParams();
  private readonly ctes: string[] = [];
  private readonly auditRows: string[] = [];
  /** Masks applied to what the statement released: report field → rule and the SQL that says whether it fired. */
  private readonly maskFlags = new Map<string, { rule: string; conditions: string[] }>();
  /** Values withheld from parts of the answer (credit status of an owner the caller may not read), by field. */
  private readonly withheld = new Map<string, string[]>();
  private counter = 0;
  private readonly scopes = new Map<RecordType, string>();
  /** Where `rootKeys` put the keys among the parameters (CompiledStatement.keysAt). */
  private keysAt: number | undefined;

  constructor(readonly cx: CompileContext) {}

  /** A fresh CTE name. */
  name(prefix: string): string {
    return `${prefix}${this.counter++}`;
  }

  addCte(name: string, body: string): void {
    this.ctes.push(`${name} AS (${body})`);
  }

  /** The selection `nodes` make on `type` (a root field's), keyed as this statement writes its JSON. */
  select(type: GraphQLObjectType, nodes: readonly FieldNode[]): Selection {
    return selectOn(this.cx.doc, type, nodes, this.cx.asResponse === true);
  }

  /** The selection under `f`, keyed as this statement writes its JSON. */
  sub(f: SelectedField, type?: GraphQLNamedType): Selection {
    return subSelection(this.cx.doc, f, type, this.cx.asResponse);
  }

  /** A JSON object of `pairs` (key, SQL), its keys in order where the answer is the response itself. */
  object(pairs: ReadonlyArray<[string, string]>): string {
    return jsonObject(pairs, this.cx.asResponse);
  }

  /** `hub_missing`: stops the statement, naming the field at `path`, where `expr` has no value the response may hold. */
  private missing(expr: string, path: string): string {
    return `hub_missing(${expr}, ${literal(path.replace(/\.$/, ''))})`;
  }

  /**
   * A field's value as the response needs it: where the field is non-null and the answer is the
   * response itself, a null stops the statement (`hub_missing`) instead of going out.
   */
  private required(f: SelectedField, expr: string, path: string): string {
    if (!this.cx.asResponse || !isNonNullType(f.field.type)) return expr;
    return `coalesce(${expr}, ${this.missing(expr, path)})`;
  }

  /**
   * A stored enum value as the response writes it: one outside `t` (`known` says, given the SQL
   * array of its values) stops the statement, as graphql-js refuses to serialize it.
   */
  private knownEnum(t: GraphQLEnumType, expr: string, known: (values: string) => string, path: string): string {
    // The enum's values are the schema's, the same for every request: written into the statement
    // (its text, and so its prepared plan, stays one per shape), not serialized as a parameter each time.
    const values = `ARRAY[${t.getValues().map((v) => literal(v.name)).join(', ')}]::text[]`;
    return `CASE WHEN ${expr} IS NULL OR ${known(values)} THEN ${expr} ELSE ${this.missing(expr, path)} END`;
  }

  /**
   * A leaf a computed output writes (`expr`, already its scalar's JSON form but for enums): as the
   * response, an enum must be written as its values, and a non-null field is guarded.
   */
  leaf(f: SelectedField, expr: string, path: string): string {
    if (!this.cx.asResponse) return expr;
    assertWrittenAsStored(getNamedType(f.field.type), path);
    return this.required(f, expr, path);
  }

  /** `__typename` of the object a selected field `f` returns, as SQL. */
  typename(f: SelectedField): string {
    return literal(getNamedType(f.field.type).name);
  }

  /** The fields of `sel` named `name` (aliases of it); as the response, at most one (each would need its own aggregate). */
  private only(sel: Selection, name: string): SelectedField | undefined {
    const found = [...sel.values()].filter((s) => s.field.name === name);
    if (found.length > 1 && this.cx.asResponse) throw new NotText(`${name} asked for under two response keys`);
    return found[0];
  }

  /** The scope of a record type as a SQL condition on `alias` (one parameter per type and statement). */
  scope(recordType: RecordType, alias: string): string {
    const scope = readScope(this.cx.access, recordType);
    // Row rules (the public's publicised penalties, what a transfer opened) go through the one helper that writes them.
    if (scope.rowRule) return scopeCondition(scope, alias, this.q);
    if (scope.districts.length === 0) return 'false';
    let param = this.scopes.get(recordType);
    if (!param) {
      param = this.q.p(scope.districts);
      this.scopes.set(recordType, param);
    }
    return `${alias}.owner_jurisdiction = ANY(${param}::varchar[])`;
  }

  /** Audit rows of a level: `SELECT type, owner, masked, denied` for the rows it released (and the ones it refused). */
  audit(recordType: RecordType, sql: string): void {
    this.auditRows.push(sql.replaceAll('$TYPE', literal(recordType)));
  }

  /** A mask that fired on some released row when `condition` (an aggregate query) is true. */
  maskFired(report: string, rule: string, condition: string): void {
    const m = this.maskFlags.get(report) ?? { rule, conditions: [] };
    m.conditions.push(condition);
    this.maskFlags.set(report, m);
  }

  /** A field withheld for some owners (an aggregate query returning their array). */
  withheldFor(field: string, owners: string): void {
    this.withheld.set(field, [...(this.withheld.get(field) ?? []), owners]);
  }

  // -------------------------------------------------------------------------------------------
  // Levels

  /**
   * The rows CTE and JSON CTE of one level. `from` writes the FROM/WHERE part that finds the rows
   * (its columns are on alias `t`), `extra` the level's bookkeeping columns.
   */
  private level(model: ReadModel, sel: Selection, path: string, rowsSql: (cols: string) => string, released: (alias: string) => string): { rows: string; ref: LevelRef; fields: FieldSql[]; keys: string[] } {
    const rows = this.name('l');
    const ref: LevelRef = { rows, model, released };
    const columns = new Set<string>(['id', model.ownerColumn, model.key.column, ...model.order.columns.map((c) => c.column), ...(model.enterpriseColumn ? [model.enterpriseColumn] : [])]);
    const fieldSql: FieldSql[] = [];
    const keys: string[] = [];
    // Children are compiled after the rows CTE is declared, so reserve its place.
    const placeholder = this.ctes.length;
    this.ctes.push('');
    for (const f of sel.values()) {
      keys.push(f.key);
      if (f.field.name === '__typename') {
        fieldSql.push({ expr: literal(model.typeName), joins: [] });
        continue;
      }
      const out = model.outputs.get(f.field.name);
      if (!out) throw new Error(`${model.typeName}.${f.field.name} has no output in the read model`);
      // As the response, each alias is its own key; a record or computed value under two would be read and audited twice.
      if (out.kind === 'parent' || out.kind === 'computed') this.only(sel, f.field.name);
      const at = `${path}${f.responseKey}.`;
      const x = this.output(out, f, ref, columns, at);
      // A connection's JSON is never null: no guard (it would repeat the whole expression).
      fieldSql.push({ expr: out.kind === 'connection' ? x.expr : this.required(f, x.expr, at), joins: x.joins });
    }
    this.ctes[placeholder] = `${rows} AS (${rowsSql([...columns].map((c) => `t.${c}`).join(', '))})`;
    this.recordMasks(model, sel, ref);
    return { rows, ref, fields: fieldSql, keys };
  }

  /** The masks the selection would show, each recorded for the report and the audit's `masked`. */
  private recordMasks(model: ReadModel, sel: Selection, ref: LevelRef): void {
    const conds: string[] = [];
    const visit = (outputs: ReadonlyMap<string, Output> | readonly RowOutput[], s: Selection): void => {
      for (const f of s.values()) {
        const out: Output | undefined = outputs instanceof Map ? outputs.get(f.field.name) : (outputs as readonly RowOutput[]).find((o) => o.name === f.field.name);
        if (!out) continue;
        if ((out.kind === 'column' || out.kind === 'masked') && out.withholdable) {
          // A data item the caller's grant leaves out (grantedItem): masked on those districts' rows.
          const hidden = itemWithheldFor(this.cx.access, (this.cx.access.terms?.rules ?? new Map()).get(model.recordType), out.name, 'RECORDS');
          if (hidden.length > 0) {
            const fired = `(r.${model.ownerColumn} = ANY(${this.q.p(hidden)}::varchar[]) AND r.${out.column} IS NOT NULL)`;
            conds.push(fired);
            this.maskFired(`${model.typeName}.${out.name}`, 'sharing.grant.items', `(SELECT bool_or(${fired}) FROM ${ref.rows} r WHERE ${ref.released('r')})`);
          }
        }
        if (out.kind === 'masked') {
          const full = this.condition(MASK_RULES[out.mask].fullWhen(this.cx.access.principal), 'r');
          if (full === 'true') continue;
          const fired = `(NOT ${full} AND r.${out.column} IS NOT NULL)`;
          conds.push(fired);
          this.maskFired(out.report, MASK_RULES[out.mask].rule, `(SELECT bool_or(${fired}) FROM ${ref.rows} r WHERE ${ref.released('r')})`);
        } else if (out.kind === 'object') {
          visit(out.fields, this.sub(f));
        }
      }
    };
    visit(model.outputs, sel);
    const masked = conds.length ? conds.join(' OR ') : 'false';
    this.audit(model.recordType, `SELECT $TYPE AS t, r.${model.ownerColumn} AS o, (${masked}) AS m, false AS d, ${this.auditKeys(model, 'r')} FROM ${ref.rows} r WHERE ${ref.released('r')}`);
  }

  /** The record's natural key and the enterprise it is about, as the audit rows keep them (`k`, `e`). */
  private auditKeys(model: ReadModel, a: string): string {
    return `${a}.${model.key.column}::text AS k, ${model.enterpriseColumn ? `${a}.${model.enterpriseColumn}` : 'NULL::uuid'} AS e`;
  }

  /** A row condition as SQL on alias `a`. */
  condition(c: RowCondition, a: string): string {
    if ('always' in c) return 'true';
    if ('never' in c) return 'false';
    if ('any' in c) {
      const parts = c.any.map((x) => this.condition(x, a));
      return parts.includes('true') ? 'true' : parts.every((x) => x === 'false') ? 'false' : `(${parts.filter((x) => x !== 'false').join(' OR ')})`;
    }
    return `${a}.${c.column} = ANY(${this.q.p(c.in)}::varchar[])`;
  }

  /** JSON of one output field of a row (alias `r` in the level's JSON CTE). */
  private output(out: Output, f: SelectedField, ref: LevelRef, columns: Set<string>, path: string): FieldSql {
    switch (out.kind) {
      case 'column':
      case 'masked':
        return { expr: this.grantedItem(ref.model, out, this.rowValue(out, f, columns, path), columns), joins: [] };
      case 'object':
        return { expr: this.rowValue(out, f, columns, path), joins: [] };
      case 'connection':
        return this.connection(out, f, ref, columns, path);
      case 'parent':
        return this.parent(out, f, ref, columns, path);
      case 'computed': {
        // A computed output's compiler writes its value through `sub`, `leaf` and `object`, so it is written as the response needs it.
        const compile = this.cx.computed[out.computed];
        if (!compile) throw new Error(`no compiler for computed output ${out.computed}`);
        columns.add('id');
        return compile(this, ref, f, path);
      }
    }
  }

  /**
   * A data item read through a grant that leaves it out is withheld (null) on the rows of the
   * districts that grant covers; the owner column decides, so the value never leaves PostgreSQL.
   */
  private grantedItem(model: ReadModel, out: RowOutput, expr: string, columns: Set<string>): string {
    if (out.kind === 'object' || !out.withholdable) return expr;
    const rule = (this.cx.access.terms?.rules ?? new Map()).get(model.recordType);
    const hidden = itemWithheldFor(this.cx.access, rule, out.name, 'RECORDS');
    if (hidden.length === 0) return expr;
    columns.add(model.ownerColumn);
    return `CASE WHEN r.${model.ownerColumn} = ANY(${this.q.p(hidden)}::varchar[]) THEN NULL ELSE ${expr} END`;
  }

  private rowValue(out: RowOutput, f: SelectedField, columns: Set<string>, path: string): string {
    if (out.kind === 'column') {
      columns.add(out.column);
      if (out.value === 'decimal') return `r.${out.column}::text`;
      return this.cx.asResponse ? this.responseLeaf(out.value, `r.${out.column}`, f, out.items, path) : `r.${out.column}`;
    }
    if (out.kind === 'masked') {
      columns.add(out.column);
      const full = MASK_RULES[out.mask].fullWhen(this.cx.access.principal);
      for (const column of conditionColumns(full)) columns.add(column);
      const cond = this.condition(full, 'r');
      const masked = out.as === 'withheld' ? 'NULL::text' : `${MASK_FUNCTIONS[out.as]}(r.${out.column})`;
      if (cond === 'true') return `r.${out.column}`;
      if (cond === 'false') return masked;
      return `CASE WHEN ${cond} THEN r.${out.column} ELSE ${masked} END`;
    }
    const pairs: Array<[string, string]> = [];
    for (const s of this.sub(f).values()) {
      if (s.field.name === '__typename') {
        pairs.push([s.key, this.typename(f)]);
        continue;
      }
      const o = out.fields.find((x) => x.name === s.field.name);
      if (!o) throw new Error(`${out.name}.${s.field.name} has no output in the read model`);
      const at = `${path}${s.responseKey}.`;
      pairs.push([s.key, this.required(s, this.rowValue(o, s, columns, at), at)]);
    }
    return this.object(pairs);
  }

  /**
   * A stored value (`expr`, of kind `kind`) as the response writes it: what PostgreSQL's JSON of it
   * already is for text, numbers, dates, lists of text and enums named as their values; instants
   * in the DateTime scalar's form; an item list rebuilt with the items' selected fields in order.
   * Anything else is NotText.
   */
  private responseLeaf(kind: FieldKind, expr: string, f: SelectedField, items: ColumnOutput['items'], path: string): string {
    const named = getNamedType(f.field.type);
    assertWrittenAsStored(named, path);
    switch (kind) {
      case 'text': case 'uscc': case 'id': case 'int': case 'date': case 'textList':
        return expr;
      case 'enum': case 'enumList':
        if (!isEnumType(named)) throw new NotText(`${path}: not an enum`);
        return this.knownEnum(named, expr, (values) => (kind === 'enum' ? `${expr}::text = ANY(${values})` : `${expr}::text[] <@ ${values}`), path);
      case 'datetime':
        return isoInstant(expr);
      case 'objectList': {
        if (!items) throw new NotText(`${path}: no item shape`);
        const pairs: Array<[string, string]> = [];
        for (const s of this.sub(f).values()) {
          if (s.field.name === '__typename') {
            pairs.push([s.key, this.typename(f)]);
            continue;
          }
          const item = items.find((i) => i.name === s.field.name);
          const k = item?.kind;
          const at = `${path}${s.responseKey}.`;
          const v = k === 'datetime' ? isoInstant(`(e.v ->> ${literal(s.field.name)})::timestamptz`)
            // A stored JSON null is SQL NULL here, so the non-null guard sees it.
            : k === 'text' || k === 'uscc' || k === 'enum' || k === 'date' || k === 'int' ? `nullif(e.v -> ${literal(s.field.name)}, 'null'::jsonb)`
              : null;
          if (v === null) throw new NotText(`${at}: items of kind ${k ?? 'unknown'} are read the usual way`);
          let value = v;
          if (k === 'enum') {
            const t = getNamedType(s.field.type);
            if (!isEnumType(t)) throw new NotText(`${at}: not an enum`);
            assertWrittenAsStored(t, at);
            value = this.knownEnum(t, v, (values) => `(${v} #>> '{}') = ANY(${values})`, at);
          }
          pairs.push([s.key, this.required(s, value, at)]);
        }
        return `CASE WHEN ${expr} IS NULL THEN NULL ELSE coalesce((SELECT json_agg(${this.object(pairs)} ORDER BY e.o) FROM jsonb_array_elements(${expr}) WITH ORDINALITY e(v, o)), '[]'::json) END`;
      }
      default:
        throw new NotText(`${path}: values of kind ${kind} are read the usual way`);
    }
  }

  /** A page of child records under each released parent row. */
  private connection(out: ConnectionOutput, f: SelectedField, parent: LevelRef, parentColumns: Set<string>, path: string): FieldSql {
    const model = out.target();
    parentColumns.add(out.parentColumn);
    const page = pageRequest(f.args as { first?: number; after?: string }, model.recordType, model.order.columns.map((c) => c.kind), path);
    const conn = this.sub(f);
    const where = (alias: string, parentAlias: string) => [
      `${alias}.${out.childColumn} = ${parentAlias}.${out.parentColumn}`,
      this.scope(model.recordType, alias),
      ...(model.withdrawable ? [`${alias}.withdrawn_at IS NULL`] : []),
    ];
    const g = this.pageLevel(model, conn, `${path}`, page, (cols) => {
      const after = page.after ? ` AND ${this.afterCondition(model, page.after, 't')}` : '';
      return `SELECT p.${out.parentColumn} AS __p, x.* FROM ${parent.rows} p CROSS JOIN LATERAL (
        SELECT ${cols}, row_number() OVER (ORDER BY ${this.orderBy(model, 't')}) AS __rn FROM ${model.table} t
        WHERE ${where('t', 'p').join(' AND ')}${after} ORDER BY ${this.orderBy(model, 't')} LIMIT ${page.first + 1}) x
        WHERE ${parent.released('p')}`;
    });
    const total = () => `(SELECT count(*)::int FROM ${model.table} c WHERE ${where('c', 'r').join(' AND ')})`;
    return { expr: this.connectionJson(getNamedType(f.field.type), conn, g, page, total), joins: g ? [`LEFT JOIN ${g} ON ${g}.__p = r.${out.parentColumn}`] : [] };
  }

  /** The record a row points at (its enterprise): one row per distinct target, null when hidden. */
  private parent(out: ParentOutput, f: SelectedField, child: LevelRef, childColumns: Set<string>, path: string): FieldSql {
    const model = out.target();
    childColumns.add(out.parentColumn);
    const sel = this.sub(f, objectTypeOf(f));
    const lv = this.level(model, sel, path, (cols) => `SELECT ${cols} FROM ${model.table} t
      WHERE t.${out.childColumn} IN (SELECT r.${out.parentColumn} FROM ${child.rows} r WHERE ${child.released('r')}) AND ${this.scope(model.recordType, 't')}`, () => 'true');
    const g = this.name('g');
    this.addCte(g, `SELECT r.${out.childColumn} AS __id, ${this.nodeJson(lv.keys, lv.fields)} AS j FROM ${lv.rows} r ${lv.fields.flatMap((x) => x.joins).join(' ')}`);
    return { expr: `${g}.j`, joins: [`LEFT JOIN ${g} ON ${g}.__id = r.${out.parentColumn}`] };
  }

  private nodeJson(keys: readonly string[], fields: readonly FieldSql[]): string {
    return this.object(keys.map((k, i) => [k, fields[i].expr]));
  }

  /**
   * The rows of a paged level and its JSON CTE grouped by parent (`__p`): edges in order, whether
   * there is a next page, first and last cursor. Returns the JSON CTE's name.
   */
  private pageLevel(model: ReadModel, conn: Selection, path: string, page: PageRequest, rowsSql: (cols: string) => string): string | null {
    // A count alone needs no rows, and releases none.
    const edgesField = this.only(conn, 'edges');
    const pageInfoField = this.only(conn, 'pageInfo');
    if (!edgesField && !pageInfoField) return null;
    const edgeSel = edgesField ? this.sub(edgesField) : new Map<string, SelectedField>();
    const nodeField = this.only(edgeSel, 'node');
    const nodeSel = nodeField ? this.sub(nodeField) : new Map<string, SelectedField>();
    const lv = this.level(model, nodeSel, `${path}edges.node.`, (cols) => rowsSql(cols), (a) => `${a}.__rn <= ${page.first}`);
    const cursor = this.cursorExpr(model, 'r');
    const n = page.first;
    const aggs: string[] = ['r.__p'];
    if (edgesField) {
      const edge: Array<[string, string]> = [];
      for (const s of edgeSel.values()) {
        const name = s.field.name;
        edge.push([s.key, name === 'cursor' ? cursor : name === '__typename' ? this.typename(edgesField) : this.nodeJson(lv.keys, lv.fields)]);
      }
      aggs.push(`json_agg(${this.object(edge)} ORDER BY r.__rn) FILTER (WHERE r.__rn <= ${n}) AS edges`);
    }
    // Only what pageInfo asks for: a page's two cursors cost two sorted aggregates per parent row.
    const info = new Set<string>();
    if (pageInfoField) for (const i of this.sub(pageInfoField).values()) info.add(i.field.name);
    if (info.has('hasNextPage')) aggs.push(`count(*) > ${n} AS more`);
    if (info.has('startCursor')) aggs.push(`(array_agg(${cursor} ORDER BY r.__rn) FILTER (WHERE r.__rn <= ${n}))[1] AS sc`);
    if (info.has('endCursor')) aggs.push(`(array_agg(${cursor} ORDER BY r.__rn DESC) FILTER (WHERE r.__rn <= ${n}))[1] AS ec`);
    const g = this.name('g');
    this.addCte(g, `SELECT ${aggs.join(', ')} FROM ${lv.rows} r ${lv.fields.flatMap((x) => x.joins).join(' ')} GROUP BY r.__p`);
    return g;
  }

  /** A connection's JSON from its grouped level `g`; `total` counts what the caller may see. */
  private connectionJson(type: GraphQLNamedType, conn: Selection, g: string | null, page: PageRequest, total: () => string): string {
    const pairs: Array<[string, string]> = [];
    for (const s of conn.values()) {
      if (s.field.name === '__typename') pairs.push([s.key, literal(type.name)]);
      else if (s.field.name === 'edges') pairs.push([s.key, `coalesce(${g}.edges, '[]'::json)`]);
      else if (s.field.name === 'totalCount') pairs.push([s.key, total()]);
      else if (s.field.name === 'pageInfo') {
        const info: Array<[string, string]> = [];
        for (const i of this.sub(s).values()) {
          const v = {
            hasNextPage: `coalesce(${g}.more, false)`, hasPreviousPage: page.after ? 'true' : 'false', startCursor: `${g}.sc`, endCursor: `${g}.ec`,
            __typename: this.typename(s),
          }[i.field.name];
          if (!v) throw new Error(`PageInfo.${i.field.name} is not known to the read engine`);
          info.push([i.key, v]);
        }
        pairs.push([s.key, this.object(info)]);
      } else throw new Error(`connection field ${s.field.name} is not known to the read engine`);
    }
    return this.object(pairs);
  }

  // -------------------------------------------------------------------------------------------
  // Roots

  /** A root list: `SELECT data` is the connection's JSON. */
  rootList(model: ReadModel, type: GraphQLObjectType, conn: Selection, source: ListSource, path: string): string {
    const page = source.page;
    // The caller's conditions are written on alias `t`; the count runs in a subquery of its own, under the same alias.
    const base = () => [this.scope(model.recordType, 't'), ...(model.withdrawable ? ['t.withdrawn_at IS NULL'] : []), ...source.conditions(this.q)];
    const g = this.pageLevel(model, conn, path, page, (cols) => {
      const where = base();
      if (page.after) where.push(this.afterCondition(model, page.after, 't'));
      return `SELECT 1 AS __p, t.*, row_number() OVER (ORDER BY ${this.orderBy(model, 't')}) AS __rn FROM (
        SELECT ${cols} FROM ${model.table} t WHERE ${where.join(' AND ')} ORDER BY ${this.orderBy(model, 't')} LIMIT ${page.first + 1}) t`;
    });
    const total = () => `(SELECT count(*)::int FROM ${model.table} t WHERE ${base().join(' AND ')})`;
    const json = this.connectionJson(type, conn, g, page, total);
    // As the response itself, the connection's text (`text`), never parsed by the hub.
    const columns = this.cx.asResponse ? `NULL::json AS data, (${json})::text AS text` : `${json} AS data`;
    return `SELECT ${columns} FROM (SELECT 1 AS __p) r${g ? ` LEFT JOIN ${g} ON ${g}.__p = r.__p` : ''}`;
  }

  /**
   * Records by key: `data` is a JSON array of `[key, visible, owner, node]`; a hidden record gives
   * its key and owner only (for the FORBIDDEN explanation), never a value.
   */
  rootKeys(model: ReadModel, sel: Selection, source: KeysSource, path: string): string {
    this.keysAt = this.q.values.length;
    const keys = this.q.p(source.keys);
    const lv = this.level(model, sel, path, (cols) => `SELECT ${cols}, ${this.scope(model.recordType, 't')} AS __v
      FROM ${model.table} t WHERE t.${source.column} = ANY(${keys}::${source.keyType}[])`, (a) => `${a}.__v`);
    this.audit(model.recordType, `SELECT $TYPE AS t, r.${model.ownerColumn} AS o, false AS m, true AS d, ${this.auditKeys(model, 'r')} FROM ${lv.rows} r WHERE NOT r.__v`);
    const g = this.name('g');
    this.addCte(g, `SELECT r.${source.column}::text AS __k, r.__v, r.${model.ownerColumn} AS __o,
      CASE WHEN r.__v THEN ${this.nodeJson(lv.keys, lv.fields)} END AS j FROM ${lv.rows} r ${lv.fields.flatMap((x) => x.joins).join(' ')}`);
    if (!this.cx.asResponse) return `SELECT coalesce(json_agg(json_build_array(g.__k, g.__v, g.__o, g.j)), '[]'::json) AS data FROM ${g} g`;
    // As the response itself: the nodes' texts in `text`, in the order of `data`, separated by U+001E
    // (JSON text never holds a raw control character), 'null' for a hidden one.
    return `SELECT coalesce(json_agg(json_build_array(g.__k, g.__v, g.__o) ORDER BY g.__k), '[]'::json) AS data,
      string_agg(coalesce(g.j::text, 'null'), E'\\x1e' ORDER BY g.__k) AS text FROM ${g} g`;
  }

  /** An anchor level of rows the statement reads but does not release (an enterprise whose credit status is asked for). */
  anchor(model: ReadModel, column: string, key: string, columns: readonly string[]): LevelRef {
    const rows = this.name('l');
    this.addCte(rows, `SELECT ${['id', model.ownerColumn, column, ...columns].map((c) => `t.${c}`).join(', ')} FROM ${model.table} t WHERE t.${column} = ${this.q.p(key)}`);
    return { rows, model, released: () => 'true' };
  }

  /**
   * The whole statement around a root's final SELECT: the CTEs, the audit insert, and the
   * policy's side notes (which masks fired, what was withheld) next to `data`.
   */
  finish(finalSelect: string): CompiledStatement {
    const ctes = [...this.ctes];
    const a = this.cx.audit;
    let requestAt: number | undefined;
    if (a && this.auditRows.length) {
      requestAt = this.q.values.length;
      const stamp = [a.requestId, a.sub, a.org, a.jurisdiction, a.purpose, a.operationName?.slice(0, 128) ?? null].map((v) => this.q.p(v));
      const grants = this.grantsByTypeAndOwner();
      const grant = grants ? `(${this.q.p(JSON.stringify(grants))}::jsonb ->> (a.t || ':' || a.o))::uuid` : 'NULL::uuid';
      ctes.push(`__audit AS (INSERT INTO audit_event (request_id, sub, org, jurisdiction, purpose, operation_name, resource_type, owner_jurisdiction, record_count, masked, denied, record_keys, enterprise_ids, grant_id)
        SELECT ${stamp.join(', ')}, a.t, a.o, (count(*) FILTER (WHERE NOT a.d))::int, bool_or(a.m), bool_or(a.d),
          coalesce(array_agg(DISTINCT a.k) FILTER (WHERE a.k IS NOT NULL), '{}'), coalesce(array_agg(DISTINCT a.e) FILTER (WHERE a.e IS NOT NULL), '{}'), ${grant}
        FROM (${this.auditRows.join(' UNION ALL ')}) a GROUP BY a.t, a.o RETURNING 1)`);
    }
    const masks = [...this.maskFlags].map(([report, m]) => [`${report}|${m.rule}`, `coalesce(${m.conditions.join(' OR ')}, false)`] as [string, string]);
    // Arrays of owners joined as jsonb (json has no `||`): a field withheld at two levels of one statement.
    const withheld = [...this.withheld].map(([field, owners]) => [field, owners.length === 1 ? owners[0] : `(${owners.map((o) => `${o}::jsonb`).join(' || ')})::json`] as [string, string]);
    const meta = jsonObject([['masked', jsonObject(masks)], ['withheld', jsonObject(withheld)]]);
    // A read statement always runs alone, in its own implicit transaction (PreparedQueries takes a
    // pooled connection, never a writer's transaction), so a transaction-local setting here governs
    // this statement's commit and nothing else.
    const deferred = a && this.auditRows.length && this.cx.auditCommit === 'deferred' ? `, set_config('synchronous_commit', 'off', true) AS __commit` : '';
    const sql = `${ctes.length ? `WITH ${ctes.join(',\n')}\n` : ''}SELECT f.*, ${meta} AS meta${deferred} FROM (${finalSelect}) f`;
    return { sql, params: this.q.values, keysAt: this.keysAt, requestAt };
  }

  /** The grant each (record type, owner) of this statement is read through, as `TYPE:OWNER` → grant id; null when none. */
  private grantsByTypeAndOwner(): Record<string, string> | null {
    const out: Record<string, string> = {};
    for (const [type, rule] of this.cx.access.terms?.rules ?? new Map()) {
      for (const d of DISTRICTS) {
        const x = decideRule(this.cx.access, rule, d, 'RECORDS');
        if (x.allowed && x.grantId) out[`${type}:${d}`] = x.grantId;
      }
    }
    return Object.keys(out).length ? out : null;
  }

  // -------------------------------------------------------------------------------------------
  // Order and cursors

  orderBy(model: ReadModel, alias: string): string {
    return model.order.columns.map((c) => `${alias}.${c.column} ${model.order.dir}`).join(', ');
  }

  /** Keyset condition: the row tuple after the cursor's tuple in the list's direction. */
  afterCondition(model: ReadModel, values: unknown[], alias: string): string {
    const cols = model.order.columns.map((c) => `${alias}.${c.column}`).join(', ');
    const params = model.order.columns.map((c, i) => `${this.q.p(values[i])}::${c.kind}`).join(', ');
    return `(${cols}) ${model.order.dir === 'ASC' ? '>' : '<'} (${params})`;
  }

  /** The cursor of a row, as `encodeCursor` writes it: base64url of `[tag, ...values]`. */
  cursorExpr(model: ReadModel, alias: string): string {
    const values = model.order.columns.map((c) => cursorValue(c.kind, `${alias}.${c.column}`));
    return `rtrim(translate(encode(convert_to(json_build_array(${literal(model.recordType)}, ${values.join(', ')})::text, 'UTF8'), 'base64'), E'+/\\n', '-_'), '=')`;
  }
}

function cursorValue(kind: CursorKind, expr: string): string {
  // Microseconds kept: a cursor must point between two rows, whatever their precision.
  if (kind === 'timestamptz') return `to_char(${expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  return `${expr}::text`;
}

/** The object type a root list's connection lists (its `edges.node`). */
export function nodeTypeOf(connection: GraphQLObjectType): GraphQLObjectType {
  const edges = connection.getFields().edges;
  const edge = edges && getNamedType(edges.type);
  const node = edge && isObjectType(edge) ? getNamedType(edge.getFields().node.type) : undefined;
  if (!node || !isObjectType(node)) throw new Error(`${connection.name} is not a connection`);
  return node;
}

