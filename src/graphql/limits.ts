import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { NextFunction, Request, Response } from 'express';
import {
  ASTVisitor,
  FieldNode,
  FragmentDefinitionNode,
  getArgumentValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  GraphQLError,
  GraphQLField,
  GraphQLNamedType,
  GraphQLSchema,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  ValidationContext,
  ValidationRule,
} from 'graphql';
import { sendError } from '../http/send-error';
import { ErrorCode } from './errors';
import { DEFAULT_PAGE_SIZE } from './pagination';

/**
 * What one request may ask of the hub. Each limit stops a different way of making one request
 * expensive: deep nesting, wide fan-out of lists (cost), repeating a field under many aliases,
 * many root fields, many operations in one HTTP request, and a huge document to parse.
 */
export interface QueryLimits {
  /** Nesting of fields in an operation (introspection's `__schema`/`__type` subtrees are not counted). */
  maxDepth: number;
  /** Estimated objects an operation may produce (see `operationCost`). */
  maxCost: number;
  /** Aliased fields in an operation, fragments counted where they are spread. */
  maxAliases: number;
  /** Root fields (distinct response keys) in an operation. */
  maxRootFields: number;
  /** Operations per HTTP request; 1 means no batching. */
  maxBatch: number;
  /** Bytes of the query document, checked before it is parsed. */
  maxQueryBytes: number;
}

/** The names clients see in `extensions.limit`, one per limit. */
export type LimitName = 'depth' | 'cost' | 'aliases' | 'rootFields' | 'batch' | 'queryBytes';

/** A QUERY_TOO_COMPLEX error that names the limit, the maximum, what the request had and by how much it is over. */
export function tooComplex(limit: LimitName, what: string, max: number, actual: number, operation?: string | null): GraphQLError {
  const op = operation ? ` (operation ${operation})` : '';
  return new GraphQLError(`${what} is ${actual}${op}, over the limit of ${max} by ${actual - max}`, {
    extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, limit, max, actual, http: { status: 400 } },
  });
}

type Fragments = ReadonlyMap<string, FragmentDefinitionNode>;

function fragmentsOf(definitions: ReadonlyArray<{ kind: Kind }>): Map<string, FragmentDefinitionNode> {
  const map = new Map<string, FragmentDefinitionNode>();
  for (const d of definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) map.set((d as FragmentDefinitionNode).name.value, d as FragmentDefinitionNode);
  return map;
}

const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

/**
 * Depth of a selection set: a root field is depth 1. Introspection subtrees count 0, so GraphiQL's
 * deep introspection query passes under any limit. Fragment cycles (which validation rejects
 * anyway) are cut, so this never loops.
 */
export function selectionDepth(set: SelectionSetNode | undefined, fragments: Fragments, visiting: Set<string> = new Set()): number {
  if (!set) return 0;
  let max = 0;
  for (const s of set.selections) {
    let d = 0;
    if (s.kind === Kind.FIELD) d = INTROSPECTION_ROOTS.has(s.name.value) ? 0 : 1 + selectionDepth(s.selectionSet, fragments, visiting);
    else if (s.kind === Kind.INLINE_FRAGMENT) d = selectionDepth(s.selectionSet, fragments, visiting);
    else {
      const name = s.name.value;
      const f = fragments.get(name);
      if (f && !visiting.has(name)) {
        visiting.add(name);
        d = selectionDepth(f.selectionSet, fragments, visiting);
        visiting.delete(name);
      }
    }
    if (d > max) max = d;
  }
  return max;
}

/** Aliased fields as executed: a fragment's aliases count once per spread. */
export function aliasCount(set: SelectionSetNode | undefined, fragments: Fragments, memo: Map<string, number> = new Map(), visiting: Set<string> = new Set()): number {
  if (!set) return 0;
  let n = 0;
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) n += (s.alias ? 1 : 0) + aliasCount(s.selectionSet, fragments, memo, visiting);
    else if (s.kind === Kind.INLINE_FRAGMENT) n += aliasCount(s.selectionSet, fragments, memo, visiting);
    else {
      const name = s.name.value;
      const f = fragments.get(name);
      if (!f || visiting.has(name)) continue;
      if (!memo.has(name)) {
        visiting.add(name);
        memo.set(name, aliasCount(f.selectionSet, fragments, memo, visiting));
        visiting.delete(name);
      }
      n += memo.get(name)!;
    }
  }
  return n;
}

/** Distinct response keys at the root of an operation, `__typename` aside. */
export function rootFieldCount(set: SelectionSetNode, fragments: Fragments): number {
  const keys = new Set<string>();
  const visit = (s: SelectionSetNode, visiting: Set<string>): void => {
    for (const sel of s.selections) {
      if (sel.kind === Kind.FIELD) {
        if (sel.name.value !== '__typename') keys.add(sel.alias?.value ?? sel.name.value);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) visit(sel.selectionSet, visiting);
      else {
        const f = fragments.get(sel.name.value);
        if (f && !visiting.has(f.name.value)) visit(f.selectionSet, new Set([...visiting, f.name.value]));
      }
    }
  };
  visit(set, new Set());
  return keys.size;
}

/**
 * Depth, alias and root-field limits as graphql-js validation rules: they need only the document,
 * so Apollo runs them once per distinct document (its validated-document cache) and before any
 * resolver. Apollo files validation errors under GRAPHQL_VALIDATION_FAILED; `limitsPlugin` puts
 * the QUERY_TOO_COMPLEX code back.
 */
export function limitRules(limits: Pick<QueryLimits, 'maxDepth' | 'maxAliases' | 'maxRootFields'>): ValidationRule[] {
  const rule = (context: ValidationContext): ASTVisitor => ({
    Document(doc) {
      const fragments = fragmentsOf(doc.definitions);
      for (const d of doc.definitions) {
        if (d.kind !== Kind.OPERATION_DEFINITION) continue;
        const name = d.name?.value ?? null;
        const depth = selectionDepth(d.selectionSet, fragments);
        if (depth > limits.maxDepth) context.reportError(tooComplex('depth', 'query depth', limits.maxDepth, depth, name));
        const aliases = aliasCount(d.selectionSet, fragments);
        if (aliases > limits.maxAliases) context.reportError(tooComplex('aliases', 'the number of aliased fields', limits.maxAliases, aliases, name));
        const roots = rootFieldCount(d.selectionSet, fragments);
        if (roots > limits.maxRootFields) context.reportError(tooComplex('rootFields', 'the number of root fields', limits.maxRootFields, roots, name));
      }
      return false; // nothing below the document is needed
    },
  });
  return [rule];
}

/**
 * Per-field costs beyond the default (1 for a field of object type, 0 for a scalar or enum, which
 * comes with its parent's row, and 1 for `totalCount`, a count statement of its own).
 */
export const FIELD_COSTS: Readonly<Record<string, number>> = {
  // Computed from raw observations: up to 744 hourly or 366 daily periods per call.
  'Query.airQuality': 10,
  'Query.waterQuality': 10,
};

type VariableValues = Record<string, unknown>;

interface Selected {
  parent: GraphQLNamedType;
  field: GraphQLField<unknown, unknown>;
  nodes: Array<FieldNode>;
}

/**
 * The fields a selection set selects on `parent`, merged as execution merges them (same type and
 * response key: one field, sub-selections together), fragments expanded. Inline fragments and
 * fragment spreads with a type condition are costed on that type; fields of several possible
 * types are all counted, which can only over-estimate.
 */
function collect(schema: GraphQLSchema, parent: GraphQLNamedType, set: SelectionSetNode | undefined, fragments: Fragments, out: Map<string, Selected> = new Map(), visiting: Set<string> = new Set()): Map<string, Selected> {
  if (!set) return out;
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) {
      if (s.name.value.startsWith('__')) continue; // __typename and introspection: free
      if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
      const field = parent.getFields()[s.name.value];
      if (!field) continue;
      const key = `${parent.name}.${s.alias?.value ?? s.name.value}`;
      const seen = out.get(key);
      if (seen) seen.nodes.push(s);
      else out.set(key, { parent, field, nodes: [s] });
    } else {
      let inner: SelectionSetNode;
      let typeName: string | undefined;
      let path = visiting;
      if (s.kind === Kind.INLINE_FRAGMENT) {
        inner = s.selectionSet;
        typeName = s.typeCondition?.name.value;
      } else {
        const f = fragments.get(s.name.value);
        if (!f || visiting.has(f.name.value)) continue;
        inner = f.selectionSet;
        typeName = f.typeCondition.name.value;
        path = new Set([...visiting, f.name.value]);
      }
      const on = typeName ? schema.getType(typeName) : parent;
      if (on) collect(schema, on, inner, fragments, out, path);
    }
  }
  return out;
}

function mergedSelection(nodes: ReadonlyArray<FieldNode>): SelectionSetNode | undefined {
  const sets = nodes.map((n) => n.selectionSet).filter((s): s is SelectionSetNode => !!s);
  if (sets.length <= 1) return sets[0];
  return { kind: Kind.SELECTION_SET, selections: sets.flatMap((s) => s.selections) };
}

function argumentValues(field: GraphQLField<unknown, unknown>, node: FieldNode, variables: VariableValues): Record<string, unknown> {
  try {
    return getArgumentValues(field, node, variables);
  } catch {
    return {}; // a bad argument fails the request at execution; cost it with defaults
  }
}

/** Fields a cost estimate visits at most: fragments spread inside fragments can expand a small document enormously. */
export const MAX_COST_VISITS = 50_000;

class TooManyVisits extends Error {}

interface CostWalk {
  schema: GraphQLSchema;
  fragments: Fragments;
  variables: VariableValues;
  visits: number;
}

function costOf(w: CostWalk, parent: GraphQLNamedType, set: SelectionSetNode | undefined, listMultiplier: number | null): number {
  const { schema, fragments, variables } = w;
  let total = 0;
  for (const { parent: on, field, nodes } of collect(schema, parent, set, fragments).values()) {
    if (++w.visits > MAX_COST_VISITS) throw new TooManyVisits();
    const named = getNamedType(field.type);
    const isList = isListType(getNullableType(field.type));
    const own = FIELD_COSTS[`${on.name}.${field.name}`] ?? (isCompositeType(named) || field.name === 'totalCount' ? 1 : 0);
    const args = argumentValues(field, nodes[0], variables);
    const children = mergedSelection(nodes);
    let cost: number;
    if (field.args.some((a) => a.name === 'first')) {
      // As asked, not capped: each list enforces its own maximum, and the estimate is of the request as sent.
      const first = Math.max(typeof args.first === 'number' ? args.first : DEFAULT_PAGE_SIZE, 0);
      // A plain list multiplies its items; a connection multiplies its list children (edges, nodes), not pageInfo or totalCount.
      cost = isList ? own + first * costOf(w, named, children, null) : own + costOf(w, named, children, first);
    } else {
      // A list without `first` is as long as its longest list argument (`_entities(representations:)`), else 1.
      const sized = isList ? Math.max(1, ...Object.values(args).map((v) => (Array.isArray(v) ? v.length : 1))) : 1;
      cost = own + sized * costOf(w, named, children, null);
    }
    total += isList && listMultiplier !== null ? cost * listMultiplier : cost;
  }
  return total;
}

/**
 * Estimated cost of an operation: roughly the objects it can make the hub produce.
 *
 * - a field of object type costs 1, a scalar or enum 0, `totalCount` 1, and `FIELD_COSTS` overrides;
 * - a field with a `first` argument multiplies: a connection multiplies its `edges`/`nodes`
 *   subtree by `first`, a plain list its items; `first` is read from arguments or variables, 20
 *   when absent;
 * - a list without `first` counts as long as its longest list argument, otherwise once;
 * - `__typename` and introspection cost nothing;
 * - a document that expands (through fragments) to more than `MAX_COST_VISITS` fields costs Infinity.
 *
 * `enterprises(first: 20) { edges { node { uscc creditStatus { level } } } }` costs
 * 1 + 20 × (1 + 1 + 1) = 61; nesting `penalties(first: 500)` under `enterprises(first: 500)`
 * costs about 500 × 1,000.
 */
export function operationCost(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: Fragments, variables: VariableValues = {}): number {
  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  if (!root) return 0;
  try {
    return costOf({ schema, fragments, variables, visits: 0 }, root, operation.selectionSet, null);
  } catch (err) {
    if (err instanceof TooManyVisits) return Infinity;
    throw err;
  }
}

/**
 * The cost limit, as an Apollo plugin: validation rules do not see variables, and `first` often
 * comes in one. Also writes the cost to the `x-query-cost` response header, so clients can see
 * how close they are, and restores QUERY_TOO_COMPLEX on the validation rules' errors.
 */
export function limitsPlugin<T extends BaseContext>(limits: Pick<QueryLimits, 'maxCost'>): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      let cost: number | undefined;
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const vars = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
          if (vars.errors) return; // execution answers bad variables with BAD_USER_INPUT
          cost = operationCost(schema, operation, fragmentsOf(document.definitions), vars.coerced);
          if (cost === Infinity) {
            throw new GraphQLError(`the query expands to more than ${MAX_COST_VISITS} fields through its fragments, too many to estimate its cost`, {
              extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, limit: 'cost', max: limits.maxCost, http: { status: 400 } },
            });
          }
          if (cost > limits.maxCost) throw tooComplex('cost', 'estimated query cost', limits.maxCost, cost, operation.name?.value);
        },
        async didEncounterErrors({ errors }) {
          for (const e of errors) {
            // Apollo wraps validation errors and overwrites their code; the wrapped error keeps ours.
            const original = e.originalError as { extensions?: Record<string, unknown> } | undefined;
            if (e.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' && original?.extensions?.code === ErrorCode.QUERY_TOO_COMPLEX) {
              (e.extensions as Record<string, unknown>).code = ErrorCode.QUERY_TOO_COMPLEX;
            }
          }
        },
        async willSendResponse({ response }) {
          if (cost !== undefined && Number.isFinite(cost)) response.http.headers.set('x-query-cost', String(cost));
        },
      };
    },
  };
}

function limitResponse(res: Response, status: number, code: string, message: string, extensions: Record<string, unknown>): void {
  sendError(res, status, code, message, extensions); // the hub's one writer of HTTP error bodies
}

/**
 * Checks that run on the HTTP body before Apollo parses anything: the size of the query document
 * (413) and batches (400, since this hub runs one operation per request: Apollo would run a
 * batch's operations on one shared request context, and so on one audit trail).
 * Mount after `express.json()`.
 */
export function requestShapeLimits(limits: Pick<QueryLimits, 'maxBatch' | 'maxQueryBytes'>, onReject?: (code: string) => void) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const body: unknown = req.body;
    if (Array.isArray(body)) {
      onReject?.('BAD_REQUEST');
      limitResponse(res, 400, 'BAD_REQUEST', `batched requests are not accepted: send one operation per request (this batch holds ${body.length})`, {
        limit: 'batch', max: limits.maxBatch, actual: body.length,
      });
      return;
    }
    const fromBody = body && typeof body === 'object' ? (body as { query?: unknown }).query : undefined;
    const query = typeof fromBody === 'string' ? fromBody : typeof req.query?.query === 'string' ? req.query.query : undefined;
    if (query !== undefined) {
      const bytes = Buffer.byteLength(query, 'utf8');
      if (bytes > limits.maxQueryBytes) {
        const err = tooComplex('queryBytes', 'the query document size in bytes', limits.maxQueryBytes, bytes);
        onReject?.(ErrorCode.QUERY_TOO_COMPLEX);
        limitResponse(res, 413, ErrorCode.QUERY_TOO_COMPLEX, err.message, { limit: 'queryBytes', max: limits.maxQueryBytes, actual: bytes });
        return;
      }
    }
    next();
  };
}
