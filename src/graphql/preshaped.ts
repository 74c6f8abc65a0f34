import type { FieldNode, FragmentDefinitionNode, GraphQLField, GraphQLLeafType, GraphQLObjectType, GraphQLOutputType, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { getArgumentValues, getNamedType, isLeafType, isListType, isNonNullType, isObjectType, Kind } from 'graphql';
// graphql-js's own field collection (fragments, type conditions, @skip/@include, merging by
// response key), so a pre-shaped answer has exactly the keys, in exactly the order, of execution.
import { collectSubfields } from 'graphql/execution/collectFields';

/** What a pre-shaper gets of the document: the field's nodes and what is needed to collect their sub-fields. */
export interface ShapeRequest {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  /** The root field's nodes (one, since the pre-shaped path serves single-field operations). */
  nodes: ReadonlyArray<FieldNode>;
  field: GraphQLField<unknown, unknown>;
}

/** The sub-fields a selection asks of `type`, by response key in response order (execution's own collection). */
export function subfieldsOf(req: Pick<ShapeRequest, 'schema' | 'fragments' | 'variables'>, type: GraphQLObjectType, nodes: ReadonlyArray<FieldNode>): Map<string, ReadonlyArray<FieldNode>> {
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
 * The `data` of a query operation answered by a pre-shaper, when it selects exactly one root field
 * (no directive, no fragment, no `__typename` beside it) that has one and it shapes the field's
 * selection; null otherwise, and the operation is executed as usual.
 */
export async function preShapedAnswer<C>(
  shapers: ReadonlyMap<string, PreShaper<C>>, schema: GraphQLSchema, operation: OperationDefinitionNode | undefined,
  fragments: Record<string, FragmentDefinitionNode>, variables: Record<string, unknown>, ctx: C,
): Promise<Record<string, unknown> | null> {
  if (!operation || operation.operation !== 'query' || shapers.size === 0) return null;
  const [node, ...more] = operation.selectionSet.selections;
  if (!node || more.length > 0 || node.kind !== Kind.FIELD || node.directives?.length) return null;
  const shaper = shapers.get(node.name.value);
  const field = schema.getQueryType()?.getFields()[node.name.value];
  if (!shaper || !field) return null;
  try {
    const args = getArgumentValues(field, node, variables);
    const value = await shaper(ctx, args, { schema, fragments, variables, nodes: [node], field });
    return value === undefined ? null : { [node.alias?.value ?? node.name.value]: value };
  } catch {
    return null;
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
      return v.map(item);
    };
  }
  return (v) => (v === null || v === undefined ? null : inner(v));
}

/**
 * The projector of a selection on an object type whose fields are plain properties of the value
 * (the default resolver's reading: `value[fieldName]`): each value becomes an object with exactly
 * the response keys, in order, `__typename` included, each leaf serialized by its type. Returns
 * null when the selection asks for a field with arguments, which a plain property cannot answer.
 */
export function objectProjector(req: Pick<ShapeRequest, 'schema' | 'fragments' | 'variables'>, type: GraphQLObjectType, nodes: ReadonlyArray<FieldNode>): Projector | null {
  const sub = subfieldsOf(req, type, nodes);
  const keys: string[] = [];
  const parts: Array<{ name: string; project: Projector } | { typename: string }> = [];
  for (const [key, fieldNodes] of sub) {
    const name = fieldNodes[0].name.value;
    keys.push(key);
    if (name === '__typename') {
      parts.push({ typename: type.name });
      continue;
    }
    const f = type.getFields()[name];
    if (!f || f.args.length > 0) return null;
    const named = getNamedType(f.type);
    let inner: Projector | null;
    if (isLeafType(named)) inner = leafProjector(named);
    else if (isObjectType(named)) inner = objectProjector(req, named, fieldNodes);
    else return null;
    if (!inner) return null;
    parts.push({ name, project: wrapped(f.type, inner) });
  }
  return (value) => {
    const v = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      out[keys[i]] = 'typename' in p ? p.typename : p.project(v[p.name]);
    }
    return out;
  };
}
