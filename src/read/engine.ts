import DataLoader from 'dataloader';
import type { FieldNode, GraphQLObjectType, GraphQLResolveInfo, OperationDefinitionNode } from 'graphql';
import { getNamedType, isObjectType, Kind, visit } from 'graphql';
import type { PreparedQueries } from '../db/prepared';
import { AccessContext, decide, Decision, denialExtensions } from '../auth/policy';
import type { MaskReport } from '../auth/masking';
import { isDistrict } from '../domain/jurisdictions';
import { ErrorCode, forbidden, HubError, isDatabaseUnavailable, UNAVAILABLE_RETRY_AFTER_SECONDS } from '../graphql/errors';
import { PageRequest } from '../graphql/pagination';
import type { SqlParams } from '../db/sql';
import { ShapedJson, wantsShapedJson } from '../graphql/shaped-json';
import { AuditStamp, CompiledStatement, Compiler, ComputedCompiler, MISSING_VALUE, nodeTypeOf, NotText } from './compile';
import type { ReadModel } from './model';
import type { DocumentInfo, Selection } from './selection';

/** A note on what the policy kept out of an answer (`extensions.policy.withheld`). */
export interface WithheldNote {
  field: string;
  /** The catalog resource whose terms withheld it, where it is not the field's record type's. */
  catalogCode?: string;
  ownerJurisdictions: string[];
  rule: string;
  allowedPurposes?: readonly string[];
  requiredRoles?: readonly string[];
  /** The catalog resource to apply for, where a grant would open it. */
  applyFor?: string;
}

/**
 * Records a value the policy kept out of an answer: one note per field, listing the owners it was
 * withheld for and, from the decision, what would open it (`extensions.policy.withheld`).
 */
export function noteWithheld(req: { withheld: WithheldNote[] }, field: string, owner: string, d: Decision | undefined, catalogCode?: string): void {
  let note = req.withheld.find((n) => n.field === field);
  if (!note) {
    note = {
      field, ownerJurisdictions: [], rule: d?.rule ?? 'unknownOwner', ...(catalogCode ? { catalogCode } : {}),
      ...(d?.allowedPurposes ? { allowedPurposes: d.allowedPurposes } : {}), ...(d?.requiredRoles ? { requiredRoles: d.requiredRoles } : {}),
      ...(d?.applyFor ? { applyFor: d.applyFor } : {}),
    };
    req.withheld.push(note);
  }
  if (!note.ownerJurisdictions.includes(owner)) note.ownerJurisdictions.push(owner);
}

/** What the engine needs of a request: who asks, and where it reports masks and withheld values. */
export interface EngineRequest extends AccessContext {
  requestId: string;
  maskReport: MaskReport;
  withheld: WithheldNote[];
  /** Today's calendar day, YYYY-MM-DD. */
  today: string;
}

/** A record found by key: its JSON, or the fact that it exists but is hidden (and whose it is). */
export type Found = { visible: true; node: Record<string, unknown> | ShapedJson } | { visible: false; owner: string };

interface StatementResult {
  data: unknown;
  /** The answer as the response writes it, where the statement was compiled so (`asResponse`). */
  text?: string | null;
  meta: { masked: Record<string, boolean>; withheld: Record<string, string[] | null> };
}

/** One page of a connection as PostgreSQL built it: the selected fields, keyed as the engine writes them. */
export type ConnectionJson = Record<string, unknown>;

function docOf(info: GraphQLResolveInfo): DocumentInfo {
  return { schema: info.schema, fragments: info.fragments, variableValues: info.variableValues };
}

/** The response-key path of a field, for argument errors (`enterprises.edges.node.penalties.`). */
function pathOf(info: GraphQLResolveInfo): string {
  const parts: string[] = [];
  for (let p: GraphQLResolveInfo['path'] | undefined = info.path; p; p = p.prev) if (typeof p.key === 'string') parts.unshift(p.key);
  return parts.join('.') + '.';
}

/** A lookup as the engine keeps its statement: the shape's fingerprint (none: compiled per request) and this request's keys. */
interface Lookup {
  shape: string | undefined;
  keys: readonly string[];
}

/** A shape whose selection is not written as the response itself: compiled the usual way at once. */
const NOT_TEXT = Symbol('not written as the response');

/** Lookup shapes whose statements are kept (each holds its text, about 20 KB for a whole dossier). */
const SHAPES_KEPT = 256;
/** A shape whose variables beyond the keys are longer than this is compiled per request: its fingerprint is not worth keeping. */
const SHAPE_VARIABLES_MAX = 2048;

/** A small number for an object, the same while it lives: document nodes, the catalog's terms, grants. */
const ids = new WeakMap<object, number>();
let nextId = 1;
function idOf(o: object | undefined): number {
  if (!o) return 0;
  let id = ids.get(o);
  if (id === undefined) ids.set(o, (id = nextId++));
  return id;
}

/**
 * The variables of `info.operation` whose every use is as an argument of the field itself
 * (`enterprise(uscc: $uscc)`): in a lookup they only name the keys, which are a parameter of the
 * statement, never part of its text. Remembered per operation and field.
 */
const keyOnly = new WeakMap<OperationDefinitionNode, Map<string, ReadonlySet<string>>>();
function keyOnlyVariables(info: GraphQLResolveInfo): ReadonlySet<string> {
  let byField = keyOnly.get(info.operation);
  if (!byField) keyOnly.set(info.operation, (byField = new Map()));
  const fieldKey = info.fieldNodes.map(idOf).join(',');
  let found = byField.get(fieldKey);
  if (found) return found;
  const uses = new Map<string, number>();
  const count = (name: string) => uses.set(name, (uses.get(name) ?? 0) + 1);
  const visitor = { VariableDefinition: () => false, Variable: (v: { name: { value: string } }) => void count(v.name.value) };
  visit(info.operation, visitor);
  for (const f of Object.values(info.fragments)) visit(f, visitor);
  const own = new Map<string, number>();
  for (const n of info.fieldNodes) {
    for (const a of n.arguments ?? []) if (a.value.kind === Kind.VARIABLE) own.set(a.value.name.value, (own.get(a.value.name.value) ?? 0) + 1);
  }
  found = new Set([...own].filter(([name, n]) => uses.get(name) === n).map(([name]) => name));
  byField.set(fieldKey, found);
  return found;
}

/**
 * The read engine: each root read (a list, a lookup by key, a batch of lookups) becomes one SQL
 * statement that returns the answer as JSON, with scope, masks and audit inside it (compile.ts).
 * Resolvers below the root only read that JSON.
 *
 * Compiled once per shape. A lookup's statement follows from the selection (the document's field
 * nodes and the variables it uses beyond the keys), the caller (principal, purpose, the catalog's
 * terms and the agency's grants in force, the day) and whether it is written as the response;
 * the keys and the request id are parameters of it. So a lookup of a shape compiled before reuses
 * that statement with its own keys and request id, and skips the compilation (about a fifth of the
 * hub's CPU per dossier: docs/performance.md, "Compiled once per shape"). The shape's fingerprint
 * names every input the compiler reads; the catalog's terms and the grants by identity, which a
 * reload replaces, so the next request compiles under the new ones. Lists are compiled per request:
 * their conditions are written by each resolver, from inputs the engine does not see.
 */
export class ReadEngine {
  private readonly shapes = new Map<string, CompiledStatement | typeof NOT_TEXT>();

  constructor(
    private readonly sql: PreparedQueries,
    private readonly computed: Readonly<Record<string, ComputedCompiler>>,
    private readonly auditCommit: 'durable' | 'deferred' = 'durable',
  ) {}

  /** The fingerprint of a lookup's statement (see the class comment); undefined where it cannot be written. */
  lookupShape(req: EngineRequest, info: GraphQLResolveInfo, what: string): string | undefined {
    const skip = keyOnlyVariables(info);
    const vars: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(info.variableValues)) if (!skip.has(k)) vars[k] = v;
    let varsText: string;
    try {
      varsText = JSON.stringify(vars);
    } catch {
      return undefined;
    }
    if (varsText.length > SHAPE_VARIABLES_MAX) return undefined;
    const p = req.principal;
    // The operation too: two operations of one document may share a fragment's field nodes, and the audit names the operation.
    return JSON.stringify([
      what, idOf(info.operation), info.fieldNodes.map(idOf), pathOf(info), varsText,
      p.kind, p.sub, p.org, p.jurisdiction, p.roles, req.purpose, req.today,
      idOf(req.terms?.rules), idOf(req.terms?.purposeRoles), idOf(req.terms?.monitoring), (req.grants ?? []).map(idOf),
    ]);
  }

  /** Per-request state: the batches of lookups by key. Built with the request's context. */
  forRequest(req: EngineRequest): RequestReader {
    return new RequestReader(this, req);
  }

  compiler(req: EngineRequest, info: GraphQLResolveInfo, audited = true, asResponse = false): Compiler {
    const p = req.principal;
    const audit: AuditStamp | null = audited && p.kind !== 'system'
      ? { requestId: req.requestId, sub: p.sub, org: p.org, jurisdiction: p.jurisdiction, purpose: req.purpose, operationName: info.operation.name?.value ?? null }
      : null;
    return new Compiler({ doc: docOf(info), access: req, today: req.today, audit, computed: this.computed, auditCommit: this.auditCommit, asResponse });
  }

  async run(req: EngineRequest, c: Compiler, finalSelect: string): Promise<unknown> {
    return (await this.runRow(req, c.finish(finalSelect), c.cx.asResponse === true)).data;
  }

  /**
   * Runs a read whose answer goes into the response as it is (`wantsShapedJson`): compiled with
   * `asResponse`, it returns the statement's row with its `text`. Where the selection asks for what
   * is not written so (NotText), or a non-null field turned out null (`hub_missing`, which stopped
   * the statement and its audit), or a stored value could not be written as its scalar (SQLSTATE
   * class 22), it is compiled and run again the usual way, and `text` is absent.
   */
  async runAsResponse(req: EngineRequest, info: GraphQLResolveInfo, build: (c: Compiler) => string, lookup?: Lookup): Promise<StatementResult> {
    if (wantsShapedJson(info)) {
      try {
        return await this.runRow(req, this.statement(req, info, build, true, lookup), true);
      } catch (err) {
        if (!(err instanceof NotText) && !refusedAsResponse(err)) throw err;
      }
    }
    return this.runRow(req, this.statement(req, info, build, false, lookup), false);
  }

  /** A read's statement: the one kept for its lookup shape with this request's keys and id, or compiled (and kept, for a lookup). */
  private statement(req: EngineRequest, info: GraphQLResolveInfo, build: (c: Compiler) => string, asResponse: boolean, lookup?: Lookup): CompiledStatement {
    const key = lookup?.shape === undefined ? undefined : `${asResponse ? 'R' : 'J'}\u0001${lookup.shape}`;
    const kept = key === undefined ? undefined : this.shapes.get(key);
    if (kept !== undefined) {
      // Most recently used last: the map's order is the order of eviction.
      this.shapes.delete(key!);
      this.shapes.set(key!, kept);
      if (kept === NOT_TEXT) throw new NotText('this shape is not written as the response');
      const params = kept.params.slice();
      params[kept.keysAt!] = lookup!.keys;
      if (kept.requestAt !== undefined) params[kept.requestAt] = req.requestId;
      return { sql: kept.sql, params };
    }
    const c = this.compiler(req, info, true, asResponse);
    let st: CompiledStatement;
    try {
      st = c.finish(build(c));
    } catch (err) {
      if (key !== undefined && err instanceof NotText) this.keep(key, NOT_TEXT);
      throw err;
    }
    // Kept only when what differs between requests of the shape is where the engine can put it.
    if (key !== undefined && st.keysAt !== undefined && (st.requestAt !== undefined || c.cx.audit === null)) this.keep(key, st);
    return st;
  }

  private keep(key: string, st: CompiledStatement | typeof NOT_TEXT): void {
    if (this.shapes.size >= SHAPES_KEPT) this.shapes.delete(this.shapes.keys().next().value!);
    this.shapes.set(key, st);
  }

  private async runRow(req: EngineRequest, st: CompiledStatement, asResponse: boolean): Promise<StatementResult> {
    const { sql, params } = st;
    let row: StatementResult;
    try {
      [row] = await this.sql.query<StatementResult>(sql, params);
    } catch (err) {
      if (asResponse && refusedAsResponse(err)) throw err;
      throw readFailure(err);
    }
    for (const [key, fired] of Object.entries(row.meta.masked)) {
      if (!fired) continue;
      const [report, rule] = key.split('|');
      req.maskReport.set(report, rule);
    }
    for (const [field, owners] of Object.entries(row.meta.withheld)) {
      for (const owner of owners ?? []) this.noteWithheld(req, field, owner);
    }
    return row;
  }

  /** A withheld value, explained as the policy explains a hidden record. */
  private noteWithheld(req: EngineRequest, field: string, owner: string): void {
    noteWithheld(req, field, owner, isDistrict(owner) ? decide(req, recordTypeOfField(field), owner) : undefined);
  }
}

/**
 * Whether a statement written as the response stopped on a value it may not send as it is: a null
 * where the schema promises one (`hub_missing`), or a stored value it could not write as its
 * scalar (a data exception, class 22: an item instant that is not one). Read the usual way, such a
 * value is reported by execution as graphql-js reports it.
 */
function refusedAsResponse(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === MISSING_VALUE || (typeof code === 'string' && code.startsWith('22'));
}

/**
 * What a failed read statement tells the caller. The audit insert is part of the statement, so a
 * statement that fails released nothing; when the database refused the write (a read-only
 * standby, a full disk, a trigger, a lost connection) the caller may try again: SERVICE_UNAVAILABLE
 * with 503. Mistakes in the statement itself (SQLSTATE class 42) stay internal errors, and values
 * PostgreSQL cannot take (class 22) are the client's.
 */
function readFailure(err: unknown): unknown {
  // An unreachable database is answered as such by formatError, like any other statement's.
  if (isDatabaseUnavailable(err)) return err;
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || code.startsWith('42') || code.startsWith('22')) return err;
  return new HubError(ErrorCode.SERVICE_UNAVAILABLE, 'the read could not be completed and written to the audit log, so its data is withheld; try again', {
    retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS,
  });
}

/**
 * The answer's text, moved out of the statement's row: the row is also held by the frames that
 * awaited it, and the text has one holder at a time (ShapedJson, "One holder at a time").
 */
function takeText(row: StatementResult): string | null {
  const text = row.text;
  row.text = null;
  return typeof text === 'string' ? text : null;
}

/** The record type a withheld field reads (today only credit status). */
function recordTypeOfField(field: string) {
  void field;
  return 'CREDIT_RECORD' as Parameters<typeof decide>[1];
}

/** The engine's reads for one request. */
export class RequestReader {
  private readonly batches = new Map<string, WeakMap<readonly FieldNode[], DataLoader<string, Found | null>>>();

  constructor(private readonly engine: ReadEngine, private readonly req: EngineRequest) {}

  /**
   * A root list: the connection `info`'s field returns, under the caller's scope, with `conditions`
   * (on alias `t`) narrowing it. Returns the connection as PostgreSQL built it.
   */
  async list(model: ReadModel, info: GraphQLResolveInfo, conditions: (q: SqlParams) => string[], page: PageRequest): Promise<ConnectionJson | ShapedJson> {
    const connType = getNamedType(info.returnType) as GraphQLObjectType;
    nodeTypeOf(connType);
    const row = await this.engine.runAsResponse(this.req, info, (c) => c.rootList(model, connType, c.select(connType, info.fieldNodes), { kind: 'list', conditions, page }, pathOf(info)));
    const text = takeText(row);
    return text !== null ? new ShapedJson(text) : (row.data as ConnectionJson);
  }

  /**
   * A record by natural key (or by `id`), as the field `info` describes selects it. Lookups of the
   * same field in one request (a router's `_entities`, a list's `enterprise` fields) share one statement.
   */
  byKey(model: ReadModel, key: string, info: GraphQLResolveInfo, column: 'key' | 'id' = 'key'): Promise<Found | null> {
    const name = `${model.typeName}:${column}`;
    let byNodes = this.batches.get(name);
    if (!byNodes) {
      byNodes = new WeakMap();
      this.batches.set(name, byNodes);
    }
    let loader = byNodes.get(info.fieldNodes);
    if (!loader) {
      loader = new DataLoader<string, Found | null>((keys) => this.lookup(model, keys, info, column), { maxBatchSize: 1000 });
      byNodes.set(info.fieldNodes, loader);
    }
    return loader.load(key);
  }

  /** A record by key for a field of the record's type: null when none, FORBIDDEN (explained) when hidden. */
  async get(model: ReadModel, key: string, info: GraphQLResolveInfo): Promise<Record<string, unknown> | ShapedJson | null> {
    const found = await this.byKey(model, key, info);
    if (!found) return null;
    if (!found.visible) throw this.forbidden(model, key, found.owner);
    return found.node;
  }

  /** FORBIDDEN for a record that exists but the policy hides, saying which rule decided and what would open it. */
  forbidden(model: ReadModel, key: string, owner: string): Error {
    const d = isDistrict(owner) ? decide(this.req, model.recordType, owner) : undefined;
    return forbidden(`${model.recordType} ${key} belongs to ${owner}, which this principal may not read (${d?.rule ?? 'not a district'})`, {
      rule: d?.rule ?? 'unknownOwner',
      recordType: model.recordType,
      ownerJurisdiction: owner,
      ...denialExtensions(d),
    });
  }

  private async lookup(model: ReadModel, keys: readonly string[], info: GraphQLResolveInfo, column: 'key' | 'id'): Promise<Array<Found | null>> {
    const type = nodeTypeFor(info, model);
    const col = column === 'id' ? 'id' : model.key.column;
    const lookup = { shape: this.engine.lookupShape(this.req, info, `${model.typeName}:${column}`), keys };
    const row = await this.engine.runAsResponse(this.req, info, (c) => c.rootKeys(model, c.select(type, info.fieldNodes), { kind: 'keys', column: col, keys, keyType: column === 'id' ? 'uuid' : 'text' }, pathOf(info)), lookup);
    const rows = row.data as Array<[string, boolean, string, Record<string, unknown> | null]>;
    // As the response: the nodes' texts, in the order of `data`, one per row.
    const texts = takeText(row)?.split('\x1e') ?? null;
    const byKey = new Map<string, Found>();
    rows.forEach(([k, visible, owner, node], i) => {
      byKey.set(k, visible ? { visible: true, node: texts ? new ShapedJson(texts[i]) : node! } : { visible: false, owner });
    });
    return keys.map((k) => byKey.get(k) ?? null);
  }

  /** Runs a compiled read whose final SELECT the caller writes (credit status by USCC). */
  async custom(info: GraphQLResolveInfo, build: (c: Compiler, sel: Selection) => string, type: GraphQLObjectType, audited = true): Promise<unknown> {
    const c = this.engine.compiler(this.req, info, audited);
    const sel = c.select(type, info.fieldNodes);
    return this.engine.run(this.req, c, build(c, sel));
  }
}

/** The object type a lookup's selection is on: the field's own type, or the model's type inside a union (`_entities`). */
function nodeTypeFor(info: GraphQLResolveInfo, model: ReadModel): GraphQLObjectType {
  const own = getNamedType(info.returnType);
  if (isObjectType(own) && own.name === model.typeName) return own;
  const t = info.schema.getType(model.typeName);
  if (!t || !isObjectType(t)) throw new Error(`${model.typeName} is not an object type of the schema`);
  return t;
}
