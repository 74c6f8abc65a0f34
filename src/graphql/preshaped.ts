import type {
  DocumentNode, FieldNode, FragmentDefinitionNode, GraphQLField, GraphQLFieldResolver, GraphQLLeafType, GraphQLObjectType, GraphQLOutputType,
  GraphQLResolveInfo, GraphQLSchema, OperationDefinitionNode,
} from 'graphql';
import { BREAK, getArgumentValues, getNamedType, isLeafType, isListType, isNonNullType, isObjectType, Kind, visit } from 'graphql';
// graphql-js's own field collection (fragments, type conditions, @skip/@include, merging by
// response key), so a pre-shaped answer has exactly the keys, in exactly the order, of execution.
import { collectSubfields } from 'graphql/execution/collectFields';
import { ShapedJson, wantShapedJson } from './shaped-json';

/** What a pre-shaper gets of the document: the field's nodes and what is needed to collect their sub-fields. */
export interface ShapeRequest {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  /** The root field's nodes (one, since the pre-shaped path serves single-field operations). */
  nodes: ReadonlyArray<FieldNode>;
  field: GraphQLField<unknown, unknown>;
  /** The root field's resolve info, exactly as execution builds it. */
  info: GraphQLResolveInfo;
}

/** The sub-fields a selection asks of `type`, by response key in response order (execution's own collection). */
function subfieldsOf(req: Pick<ShapeRequest, 'schema' | 'fragments' | 'variables'>, type: GraphQLObjectType, nodes: ReadonlyArray<FieldNode>): Map<string, ReadonlyArray<FieldNode>> {
  return collectSubfields(req.schema, req.fragments, req.variables, type, nodes);
}

/**
 * A root field that can answer its whole selection itself, exactly as execution would: given the
 * request context, the field's coerced arguments and its selection, it returns the field's value
 * already shaped — every key the selection asks for, in response order, aliases and `__typename`
 * included, every leaf as its scalar serializes it — or undefined when the selection asks for
 * something it does not shape (the operation then executes as usual). Errors it throws are not
 * reported: the operation is executed as usual and reports them the usual way.
 */
export type PreShaper<C> = (ctx: C, args: Record<string, unknown>, req: ShapeRequest) => Promise<unknown>;

/**
 * The resolver of a field whose parent holds its value under the field's response key: a paged
 * field of a record, which the read engine builds once per alias (two aliases may ask for different
 * pages). The projector reads such a field by response key, as it reads a field that has
 * graphql-js's default resolver by name; a field with any other resolver is not shaped.
 */
export const readByResponseKey: GraphQLFieldResolver<Record<string, unknown>, unknown> = (root, _args, _ctx, info) => root[info.path.key as string];

/**
 * The resolver of a field whose parent holds its value, or a promise of it, under the field's name
 * (a connection's lazy `totalCount`). graphql-js's default resolver would do, but a compiled executor
 * reads a field without a resolver inline and does not wait for a promise; with this one it waits.
 * The projector reads it by name and leaves a promise to execution.
 */
export const readProperty: GraphQLFieldResolver<Record<string, unknown>, unknown> = (root, _args, _ctx, info) => root[info.fieldName];

/** What a root field's resolver gave when its value could not be shaped: execution takes it instead of resolving again. */
type Outcome = { value: unknown } | { error: unknown };

const HANDED_OVER = new WeakMap<object, { field: string; outcome: Outcome }>();
const ACCEPTS_HAND_OVER = new WeakSet<Function>();

/**
 * Makes the query root fields of `schema` take a value the pre-shaped path already resolved in the
 * same request (its error included), so a field is resolved once per operation whichever path
 * answers: a lookup is audited once, and its FORBIDDEN is located by execution itself.
 */
function acceptHandOvers(schema: GraphQLSchema): void {
  for (const field of Object.values(schema.getQueryType()?.getFields() ?? {})) {
    const own = field.resolve;
    if (!own || ACCEPTS_HAND_OVER.has(own)) continue;
    const resolve: GraphQLFieldResolver<unknown, unknown> = (source, args, ctx, info) => {
      const handed = typeof ctx === 'object' && ctx !== null ? HANDED_OVER.get(ctx) : undefined;
      if (handed && handed.field === info.fieldName) {
        HANDED_OVER.delete(ctx as object);
        if ('error' in handed.outcome) throw handed.outcome.error;
        return handed.outcome.value;
      }
      return own(source, args, ctx, info);
    };
    ACCEPTS_HAND_OVER.add(resolve);
    field.resolve = resolve;
  }
}

/** Whether a document's selections depend on variables through `@skip`/`@include` (its projector then is built per request). */
function hasConditions(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Directive(node) {
      if ((node.name.value === 'skip' || node.name.value === 'include') && node.arguments?.some((a) => a.value.kind === Kind.VARIABLE)) {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/**
 * Answers query operations of one root field without walking the answer field by field: the root
 * field's resolver runs once, with the resolve info execution would give it, and its value is
 * projected for the selection (objectProjector) where every field below reads a plain property
 * (graphql-js's default resolver, `readProperty` or `readByResponseKey`). Root fields with a pre-shaper of their
 * own (`shapers`) use it instead. Anything else — another resolver in the selection, a value the
 * projector refuses, an error — is left to execution, which takes the resolved value or error
 * over (never resolving the field again) and reports it as it always does.
 */
/** What a document needs once: its fragments, whether `@skip`/`@include` depend on variables, its projectors by operation. */
interface DocumentShapes { fragments: Record<string, FragmentDefinitionNode>; conditional: boolean; projectors: Map<string, Projector | null> }

export class ShapedAnswers<C extends object> {
  /** By document: Apollo keeps one object per distinct query text. */
  private readonly documents = new WeakMap<DocumentNode, DocumentShapes>();

  constructor(private readonly schema: GraphQLSchema, private readonly shapers: ReadonlyMap<string, PreShaper<C>> = new Map()) {
    acceptHandOvers(schema);
  }

  /**
   * The `data` of a query operation that selects exactly one root field (no directive, no fragment,
   * no `__typename` beside it), answered already shaped; null when execution must answer it.
   */
  async answer(document: DocumentNode, operation: OperationDefinitionNode | undefined, variables: Record<string, unknown>, ctx: C): Promise<Record<string, unknown> | null> {
    if (!operation || operation.operation !== 'query') return null;
    const [node, ...more] = operation.selectionSet.selections;
    if (!node || more.length > 0 || node.kind !== Kind.FIELD || node.directives?.length) return null;
    const queryType = this.schema.getQueryType();
    const field = queryType?.getFields()[node.name.value];
    if (!queryType || !field) return null;
    const doc = this.documentOf(document);
    const custom = this.shapers.get(field.name);
    // Without a pre-shaper of its own, a field is answered here only when its whole selection can be projected.
    const project = custom || !field.resolve ? null : this.projectorFor(doc, operation, field, node, variables);
    if (!custom && !project) return null;
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(field, node, variables);
    } catch {
      return null;
    }
    const key = node.alias?.value ?? node.name.value;
    const { fragments } = doc;
    const info: GraphQLResolveInfo = {
      fieldName: field.name, fieldNodes: [node], returnType: field.type, parentType: queryType, path: { prev: undefined, key, typename: queryType.name },
      schema: this.schema, fragments, rootValue: undefined, operation, variableValues: variables,
    };
    if (custom) {
      try {
        const value = await custom(ctx, args, { schema: this.schema, fragments, variables, nodes: [node], field, info });
        return value === undefined ? null : { [key]: value };
      } catch {
        return null;
      }
    }
    let value: unknown;
    // The value goes into `data` as it is, so the read engine may write it as the response itself.
    wantShapedJson(info);
    try {
      value = await field.resolve!(undefined, args, ctx, info);
    } catch (error) {
      HANDED_OVER.set(ctx, { field: field.name, outcome: { error } });
      return null;
    }
    if (value instanceof ShapedJson) return { [key]: value };
    try {
      return { [key]: project!(value) };
    } catch {
      HANDED_OVER.set(ctx, { field: field.name, outcome: { value } });
      return null;
    }
  }

  /** Forgets a hand-over execution did not take (an operation that failed before reaching the field). */
  settle(ctx: C): void {
    HANDED_OVER.delete(ctx);
  }

  private documentOf(document: DocumentNode): DocumentShapes {
    let doc = this.documents.get(document);
    if (!doc) {
      const fragments: Record<string, FragmentDefinitionNode> = {};
      for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
      this.documents.set(document, (doc = { fragments, conditional: hasConditions(document), projectors: new Map() }));
    }
    return doc;
  }

  /** The root field's projector: kept per operation, unless `@skip`/`@include` make the selection depend on the variables. */
  private projectorFor(
    doc: DocumentShapes,
    operation: OperationDefinitionNode, field: GraphQLField<unknown, unknown>, node: FieldNode, variables: Record<string, unknown>,
  ): Projector | null {
    const build = () => fieldProjector({ schema: this.schema, fragments: doc.fragments, variables }, field.type, [node]);
    if (doc.conditional) return build();
    const name = operation.name?.value ?? '';
    let p = doc.projectors.get(name);
    if (p === undefined) doc.projectors.set(name, (p = build()));
    return p;
  }
}

/**
 * A list whose items are JSON texts, parsed one at a time as a projector maps them, each parsed
 * item garbage as soon as it is projected: a page of a thousand entries never holds the parsed and
 * the projected copies of all of them at once. Each mapping parses again (two aliases of a list).
 */
export class JsonLines {
  constructor(private readonly lines: readonly string[]) {}

  map(f: (item: unknown) => unknown): unknown[] {
    const out = new Array<unknown>(this.lines.length);
    for (let i = 0; i < this.lines.length; i++) {
      out[i] = f(JSON.parse(this.lines[i]));
    }
    return out;
  }
}

/** A value's shaped answer for a selection, or NOT_SHAPED where execution would have to report an error. */
export type Projector = (value: unknown) => unknown;

/** Thrown by a projector where the value breaks the schema (a null for a non-null field…): execution answers instead, with its error. */
export class NotShaped extends Error {}

const BUILT_IN: Record<string, string> = { String: 'string', ID: 'string', Boolean: 'boolean' };

/** `YYYY-MM-DDTHH:MM:SS.sssZ`, the form `Date.prototype.toISOString` writes for years 0000–9999. */
const CANONICAL_INSTANT = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/**
 * Whether `v` is already what the DateTime scalar would write for it: a valid instant in the
 * canonical form (as PostgreSQL's `to_char` writes `at`), which serializing would parse into a
 * Date and write back unchanged. Parsing a Date costs more than the rest of an entry.
 */
export function isCanonicalInstant(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  const m = CANONICAL_INSTANT.exec(v);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return Number(m[3]) <= days;
}

/** A leaf as its type serializes it; built-in scalars whose value already has their JS type are taken as they are. */
function leafProjector(type: GraphQLLeafType): Projector {
  const js = BUILT_IN[type.name];
  if (js) return (v) => (typeof v === js ? v : type.serialize(v));
  if (type.name === 'DateTime') {
    return (v) => {
      if (isCanonicalInstant(v)) return v;
      const s = type.serialize(v);
      return s instanceof Date ? s.toISOString() : s;
    };
  }
  // A Date (DateTime's serialization) is written as JSON writes it, once, here.
  return (v) => {
    const s = type.serialize(v);
    return s instanceof Date ? s.toISOString() : s;
  };
}

/** Wraps a projector for the field's type: null (refused when non-null), lists of it. */
function wrapped(t: GraphQLOutputType, inner: Projector): Projector {
  if (isNonNullType(t)) {
    const of = wrapped(t.ofType, inner);
    return (v) => {
      if (v === null || v === undefined) throw new NotShaped();
      return of(v);
    };
  }
  if (isListType(t)) {
    const item = wrapped(t.ofType, inner);
    return (v) => {
      if (v === null || v === undefined) return null;
      if (v instanceof JsonLines) return v.map(item);
      if (!Array.isArray(v)) throw new NotShaped();
      // The list itself where every item is already its answer: no copy.
      let out: unknown[] | null = null;
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        const y = item(x);
        if (out) out[i] = y;
        else if (y !== x) {
          out = v.slice(0, i);
          out[i] = y;
        }
      }
      return out ?? v;
    };
  }
  return (v) => (v === null || v === undefined ? null : inner(v));
}

/** The projector of a value of type `t` (leaf, object, list, non-null) for the field nodes' selection; null when it cannot be shaped. */
function fieldProjector(req: Pick<ShapeRequest, 'schema' | 'fragments' | 'variables'>, t: GraphQLOutputType, nodes: ReadonlyArray<FieldNode>): Projector | null {
  const named = getNamedType(t);
  const inner = isLeafType(named) ? leafProjector(named) : isObjectType(named) ? objectProjector(req, named, nodes) : null;
  return inner && wrapped(t, inner);
}

/**
 * The projector of a selection on an object type whose fields are plain properties of the value:
 * each value becomes an object with exactly the response keys, in order, `__typename` included,
 * each leaf serialized by its type. A field with graphql-js's default resolver or `readProperty` is
 * read by its name (`value[fieldName]`, whatever its arguments), one resolved by `readByResponseKey`
 * by its response key; a promise is left to execution. Returns null when the selection asks for a field with any other resolver, or the type checks
 * its values (`isTypeOf`): execution must answer those.
 */
export function objectProjector(req: Pick<ShapeRequest, 'schema' | 'fragments' | 'variables'>, type: GraphQLObjectType, nodes: ReadonlyArray<FieldNode>): Projector | null {
  if (type.isTypeOf) return null;
  const sub = subfieldsOf(req, type, nodes);
  const keys: string[] = [];
  const parts: Array<{ read: string; project: Projector } | { typename: string }> = [];
  for (const [key, fieldNodes] of sub) {
    const name = fieldNodes[0].name.value;
    keys.push(key);
    if (name === '__typename') {
      parts.push({ typename: type.name });
      continue;
    }
    const f = type.getFields()[name];
    if (!f) return null;
    const read = f.resolve === undefined || f.resolve === readProperty ? name : f.resolve === readByResponseKey ? key : null;
    const project = read === null ? null : fieldProjector(req, f.type, fieldNodes);
    if (read === null || !project) return null;
    parts.push({ read, project });
  }
  // A value whose own keys are exactly the response keys, in order, each read under its own name, is
  // its own answer when every value in it is: then nothing is copied (the read engine's JSON, mostly).
  const inPlace = parts.every((p, i) => 'read' in p && p.read === keys[i]);
  const ownKeysAre = (v: Record<string, unknown>): boolean => {
    let i = 0;
    for (const k in v) {
      if (k !== keys[i++]) return false;
    }
    return i === keys.length;
  };
  return (value) => {
    // The default resolver reads properties of objects only, and calls a function it finds: left to execution.
    if (typeof value !== 'object' || value === null) throw new NotShaped();
    const v = value as Record<string, unknown>;
    let from = 0;
    let differing: unknown;
    let projected = false;
    if (inPlace && Object.getPrototypeOf(v) === Object.prototype && ownKeysAre(v)) {
      for (; from < parts.length; from++) {
        const p = parts[from] as { read: string; project: Projector };
        const x = v[p.read];
        if (typeof x === 'function' || x instanceof Promise) throw new NotShaped();
        differing = p.project(x);
        if (differing !== x) {
          projected = true;
          break;
        }
      }
      if (from === parts.length) return v;
    }
    const out: Record<string, unknown> = {};
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if ('typename' in p) {
        out[keys[i]] = p.typename;
        continue;
      }
      const x = v[p.read];
      if (typeof x === 'function' || x instanceof Promise) throw new NotShaped();
      // Values before `from` were found to be their own answers; the one at `from` is already projected.
      out[keys[i]] = i < from ? x : i === from && projected ? differing : p.project(x);
    }
    return out;
  };
}
