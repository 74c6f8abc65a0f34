import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { NextFunction, Request, Response } from 'express';
import {
  ASTVisitor,
  DocumentNode,
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
  Lexer,
  OperationDefinitionNode,
  parse,
  SelectionNode,
  SelectionSetNode,
  Source,
  specifiedRules,
  TokenKind,
  TypeInfo,
  ValidationContext,
  ValidationRule,
  validate,
} from 'graphql';
import { sendError } from '../http/send-error';
import { ErrorCode } from './errors';
import { DEFAULT_PAGE_SIZE } from './pagination';

/**
 * What one request may ask of the hub. Each limit stops a different way of making one request
 * expensive: deep nesting, wide fan-out of lists (cost), repeating a field under many aliases,
 * many root fields, many operations in one HTTP request, a huge document to parse, a small one
 * that fragments blow up, and piles of directives.
 */
export interface QueryLimits {
  /** Nesting of fields in an operation (`__schema`, GraphiQL's introspection, is not counted). */
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
  /** Lexical tokens of the query document: the parser stops at the first one over. */
  maxTokens: number;
  /** Field selections of an operation with every fragment written out where it is spread (see `expandedSelections`). */
  maxSelections: number;
  /** Directives in an operation, fragments counted where they are spread. */
  maxDirectives: number;
}

/** The names clients see in `extensions.limit`, one per limit. */
export type LimitName = 'depth' | 'cost' | 'aliases' | 'rootFields' | 'batch' | 'queryBytes' | 'tokens' | 'selections' | 'directives';

/** A QUERY_TOO_COMPLEX error that names the limit, the maximum, what the request had and by how much it is over. */
export function tooComplex(limit: LimitName, what: string, max: number, actual: number, operation?: string | null): GraphQLError {
  const op = operation ? ` (operation ${operation})` : '';
  return new GraphQLError(`${what} is ${actual}${op}, over the limit of ${max} by ${actual - max}`, {
    extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, limit, max, actual, http: { status: 400 } },
  });
}

/**
 * AST nodes the hub's own limit checks have visited since the process started. Every walk below
 * counts here, so a test can take the difference over one request and show that the work is
 * bounded by the document, not by what its fragments expand to (issue 10: a 1 KB document of
 * fragments spreading the next one twice used to cost 2^levels).
 */
export const limitVisits = { nodes: 0 };

type Fragments = ReadonlyMap<string, FragmentDefinitionNode>;

function fragmentsOf(definitions: ReadonlyArray<{ kind: Kind }>): Map<string, FragmentDefinitionNode> {
  const map = new Map<string, FragmentDefinitionNode>();
  for (const d of definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) map.set((d as FragmentDefinitionNode).name.value, d as FragmentDefinitionNode);
  return map;
}

/**
 * Field selections of a selection set as if every fragment were written out where it is spread:
 * what a walker that expands fragments (execution's field collection, a planner, an estimate)
 * could be made to visit. Each fragment is counted once and its count reused at every spread, so
 * this costs time linear in the document while the number it returns can be 2^levels. Fragment
 * cycles (which validation refuses) count 0. Saturates at Number.MAX_SAFE_INTEGER.
 */
export function expandedSelections(set: SelectionSetNode | undefined, fragments: Fragments, memo: Map<string, number> = new Map(), visiting: Set<string> = new Set()): number {
  if (!set) return 0;
  let n = 0;
  for (const s of set.selections) {
    limitVisits.nodes++;
    if (s.kind === Kind.FIELD) n += 1 + expandedSelections(s.selectionSet, fragments, memo, visiting);
    else if (s.kind === Kind.INLINE_FRAGMENT) n += expandedSelections(s.selectionSet, fragments, memo, visiting);
    else {
      const name = s.name.value;
      let count = memo.get(name);
      if (count === undefined) {
        const f = fragments.get(name);
        if (!f || visiting.has(name)) continue;
        visiting.add(name);
        count = expandedSelections(f.selectionSet, fragments, memo, visiting);
        visiting.delete(name);
        memo.set(name, count);
      }
      n += count;
    }
  }
  return Math.min(n, Number.MAX_SAFE_INTEGER);
}

/**
 * Distinct response keys at the root of an operation, `__typename` aside. Each fragment is read
 * once: spreading it again adds no key it has not added already.
 */
export function rootFieldCount(set: SelectionSetNode, fragments: Fragments): number {
  const keys = new Set<string>();
  const read = new Set<string>();
  const visit = (s: SelectionSetNode): void => {
    for (const sel of s.selections) {
      limitVisits.nodes++;
      if (sel.kind === Kind.FIELD) {
        if (sel.name.value !== '__typename') keys.add(sel.alias?.value ?? sel.name.value);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) visit(sel.selectionSet);
      else if (!read.has(sel.name.value)) {
        read.add(sel.name.value);
        const f = fragments.get(sel.name.value);
        if (f) visit(f.selectionSet);
      }
    }
  };
  visit(set);
  return keys.size;
}

/*
 * Depth, aliases and directives are counted by @escape.tech/graphql-armor's rules. Each of them
 * keeps one count per fragment and reuses it at every further spread, so they are linear in the
 * document (test/api/limits-fanout.test.ts counts their calls on a 30-level fan-out). They are
 * driven here rather than registered as rules of their own: armor's limit is set out of reach and
 * its accept callback hands over the count, so the hub compares, names the operation and answers
 * in its own words (QUERY_TOO_COMPLEX with limit, max and actual) instead of armor's
 * "Syntax Error: … exceeded" under BAD_USER_INPUT.
 *
 * Armor's token limit is not used: its Apollo plugin parses every document a second time through
 * a proxied lexer and reports a refusal as an unexpected error; graphql-js's own parser option
 * `maxTokens` does the same within the one parse Apollo makes (`parseOptions`, below).
 */
type ArmorCount = 'maxDepth' | 'maxAliases' | 'maxDirectives';
let armorReported: number | undefined;

function armorCounter(kind: ArmorCount, options: Record<string, unknown>): ValidationRule {
  const off = { enabled: false };
  const counting = { ...options, n: Infinity, propagateOnRejection: false, onReject: [], onAccept: [(_ctx: unknown, details: { n: number }) => { armorReported = details.n; }] };
  const rules = new ApolloArmor({ blockFieldSuggestion: off, maxTokens: off, costLimit: off, maxAliases: off, maxDirectives: off, maxDepth: off, [kind]: counting }).protect().validationRules;
  if (rules.length !== 1) throw new Error(`graphql-armor gave ${rules.length} rules for ${kind}, expected 1`);
  return rules[0];
}

const ARMOR = {
  // `flattenFragments`: a spread is no level of its own, as in execution. `ignoreIntrospection` spares `__schema` (not `__type`).
  depth: armorCounter('maxDepth', { ignoreIntrospection: true, flattenFragments: true }),
  // Every alias counts, `__typename` ones too (armor spares those by default).
  aliases: armorCounter('maxAliases', { allowList: [] }),
  directives: armorCounter('maxDirectives', {}),
};

type ArmorVisitor = { OperationDefinition: { enter(this: unknown, op: OperationDefinitionNode): void } };

function armorCount(visitor: ASTVisitor, operation: OperationDefinitionNode): number {
  armorReported = undefined;
  const v = visitor as unknown as ArmorVisitor;
  v.OperationDefinition.enter.call(v, operation);
  if (armorReported === undefined) throw new Error('graphql-armor reported no count');
  return armorReported;
}

/** What the limits measure of one operation; every number costs time linear in the document. */
export interface OperationMeasures {
  name: string | null;
  selections: number;
  depth: number;
  aliases: number;
  directives: number;
  rootFields: number;
}

function measurer(context: ValidationContext, document: DocumentNode): (op: OperationDefinitionNode) => OperationMeasures {
  const fragments = fragmentsOf(document.definitions);
  const memo = new Map<string, number>();
  const depth = ARMOR.depth(context);
  const aliases = ARMOR.aliases(context);
  const directives = ARMOR.directives(context);
  return (op) => ({
    name: op.name?.value ?? null,
    selections: expandedSelections(op.selectionSet, fragments, memo),
    depth: armorCount(depth, op),
    aliases: armorCount(aliases, op),
    directives: armorCount(directives, op),
    rootFields: rootFieldCount(op.selectionSet, fragments),
  });
}

/** The measures of each operation of a document, as the limit rules take them (for tests and tools). */
export function measureDocument(schema: GraphQLSchema, document: DocumentNode): OperationMeasures[] {
  const context = new ValidationContext(schema, document, new TypeInfo(schema), () => undefined);
  const measure = measurer(context, document);
  return document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION).map(measure);
}

type DocumentLimits = Pick<QueryLimits, 'maxDepth' | 'maxAliases' | 'maxRootFields' | 'maxSelections' | 'maxDirectives'>;

/**
 * The expanded-selection, depth, alias, directive and root-field limits as one graphql-js
 * validation rule: they need only the document, so Apollo runs them once per distinct document
 * (its validated-document cache) and before any resolver. The rule does all its work when the
 * Document node is entered, before any other rule has looked at a selection; the other rules
 * (graphql-js's own, OverlappingFieldsCanBeMerged included) stay polynomial on fragment fan-outs
 * and are held to the token limit. Apollo files validation errors under
 * GRAPHQL_VALIDATION_FAILED; `limitsPlugin` puts the QUERY_TOO_COMPLEX code back.
 */
export function limitRules(limits: DocumentLimits): ValidationRule[] {
  const rule = (context: ValidationContext): ASTVisitor => ({
    Document(doc) {
      const measure = measurer(context, doc);
      for (const d of doc.definitions) {
        if (d.kind !== Kind.OPERATION_DEFINITION) continue;
        const m = measure(d);
        const over = (limit: LimitName, what: string, max: number, actual: number) => {
          if (actual > max) context.reportError(tooComplex(limit, what, max, actual, m.name));
        };
        over('selections', 'the number of field selections with fragments expanded', limits.maxSelections, m.selections);
        over('depth', 'query depth', limits.maxDepth, m.depth);
        over('aliases', 'the number of aliased fields', limits.maxAliases, m.aliases);
        over('directives', 'the number of directives', limits.maxDirectives, m.directives);
        over('rootFields', 'the number of root fields', limits.maxRootFields, m.rootFields);
      }
      return false; // nothing below the document is needed
    },
  });
  return [rule];
}

/** graphql-js parse options for Apollo's `parseOptions`: the parser refuses a document past `maxTokens` tokens as it reads it. */
export function parseOptions(limits: Pick<QueryLimits, 'maxTokens'>): { maxTokens: number } {
  return { maxTokens: limits.maxTokens };
}

/** Tokens of a document (up to the first lexical error), to tell a client how many it sent. */
export function tokenCount(source: string): number {
  const lexer = new Lexer(new Source(source));
  let n = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) n++;
  } catch {
    // a lexical error after the limit: the tokens read so far are what the parser refused
  }
  return n;
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

/** Fields a cost estimate visits at most: a guard under the selection limit, which refuses large expansions first. */
export const MAX_COST_VISITS = 50_000;

class TooManyVisits extends Error {}

interface CostWalk {
  schema: GraphQLSchema;
  fragments: Fragments;
  variables: VariableValues;
  visits: number;
  /** Cost by (type, list multiplier, selections): a fragment spread in many places is costed once. */
  memo: Map<string, number>;
  ids: Map<SelectionNode, number>;
}

function visit(w: CostWalk): void {
  limitVisits.nodes++;
  if (++w.visits > MAX_COST_VISITS) throw new TooManyVisits();
}

/**
 * The fields a list of selections selects on `parent`, merged as execution merges them (same type
 * and response key: one field, sub-selections together), fragments expanded. As in execution, a
 * fragment spread twice in one selection is expanded once. Inline fragments and fragment spreads
 * with a type condition are costed on that type; fields of several possible types are all
 * counted, which can only over-estimate.
 */
function collect(w: CostWalk, parent: GraphQLNamedType, selections: readonly SelectionNode[], out: Map<string, Selected> = new Map(), expanded: Set<string> = new Set()): Map<string, Selected> {
  for (const s of selections) {
    visit(w);
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
      let inner: readonly SelectionNode[];
      let typeName: string | undefined;
      if (s.kind === Kind.INLINE_FRAGMENT) {
        inner = s.selectionSet.selections;
        typeName = s.typeCondition?.name.value;
      } else {
        const f = w.fragments.get(s.name.value);
        if (!f || expanded.has(f.name.value)) continue;
        expanded.add(f.name.value);
        inner = f.selectionSet.selections;
        typeName = f.typeCondition.name.value;
      }
      const on = typeName ? w.schema.getType(typeName) : parent;
      if (on) collect(w, on, inner, out, expanded);
    }
  }
  return out;
}

function mergedSelections(nodes: ReadonlyArray<FieldNode>): readonly SelectionNode[] {
  return nodes.length === 1 ? nodes[0].selectionSet?.selections ?? [] : nodes.flatMap((n) => n.selectionSet?.selections ?? []);
}

/** A memo key for a list of selections: a spread stands for its fragment wherever it is, any other node for itself. */
function selectionsKey(w: CostWalk, selections: readonly SelectionNode[]): string {
  return selections.map((s) => {
    if (s.kind === Kind.FRAGMENT_SPREAD) return s.name.value;
    let id = w.ids.get(s);
    if (id === undefined) w.ids.set(s, (id = w.ids.size));
    return `#${id}`;
  }).join(',');
}

function argumentValues(field: GraphQLField<unknown, unknown>, node: FieldNode, variables: VariableValues): Record<string, unknown> {
  try {
    return getArgumentValues(field, node, variables);
  } catch {
    return {}; // a bad argument fails the request at execution; cost it with defaults
  }
}

function costOf(w: CostWalk, parent: GraphQLNamedType, selections: readonly SelectionNode[], listMultiplier: number | null): number {
  if (selections.length === 0) return 0;
  const key = `${parent.name}|${listMultiplier}|${selectionsKey(w, selections)}`;
  const known = w.memo.get(key);
  if (known !== undefined) return known;
  const { variables } = w;
  let total = 0;
  for (const { parent: on, field, nodes } of collect(w, parent, selections).values()) {
    visit(w);
    const named = getNamedType(field.type);
    const isList = isListType(getNullableType(field.type));
    const own = FIELD_COSTS[`${on.name}.${field.name}`] ?? (isCompositeType(named) || field.name === 'totalCount' ? 1 : 0);
    const args = argumentValues(field, nodes[0], variables);
    const children = mergedSelections(nodes);
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
  w.memo.set(key, total);
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
 * - the same selections on the same type are costed once and reused (a fragment spread in many
 *   places), so the estimate takes time linear in the document; a walk of more than
 *   `MAX_COST_VISITS` nodes all the same costs Infinity.
 *
 * `enterprises(first: 20) { edges { node { uscc creditStatus { level } } } }` costs
 * 1 + 20 × (1 + 1 + 1) = 61; nesting `penalties(first: 500)` under `enterprises(first: 500)`
 * costs about 500 × 1,000.
 */
export function operationCost(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: Fragments, variables: VariableValues = {}): number {
  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  if (!root) return 0;
  try {
    return costOf({ schema, fragments, variables, visits: 0, memo: new Map(), ids: new Map() }, root, operation.selectionSet.selections, null);
  } catch (err) {
    if (err instanceof TooManyVisits) return Infinity;
    throw err;
  }
}

/** Costs of an operation by what in its variables can change them (Int values, list lengths). */
const COSTS = new WeakMap<OperationDefinitionNode, Map<string, number>>();
const COSTS_PER_OPERATION = 200;

/**
 * The cost of an operation, remembered for the same document and the same variable values that
 * matter to it: the estimate reads `first` (an Int), the length of list arguments and at most a
 * Boolean (`@skip`/`@include`), nothing else of the variables, so a client repeating a document
 * with other keys pays for it once.
 */
function memoisedCost(schema: GraphQLSchema, operation: OperationDefinitionNode, document: DocumentNode, coerced: VariableValues): number {
  const signature = (operation.variableDefinitions ?? []).map((d) => {
    const v = coerced[d.variable.name.value];
    return Array.isArray(v) ? `[${v.length}]` : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
  }).join(',');
  let byVars = COSTS.get(operation);
  if (!byVars) {
    byVars = new Map();
    COSTS.set(operation, byVars);
  }
  const hit = byVars.get(signature);
  if (hit !== undefined) return hit;
  const cost = operationCost(schema, operation, fragmentsOf(document.definitions), coerced);
  if (byVars.size >= COSTS_PER_OPERATION) byVars.clear();
  byVars.set(signature, cost);
  return cost;
}

/**
 * The cost limit, as an Apollo plugin: validation rules do not see variables, and `first` often
 * comes in one. Also writes the cost to the `x-query-cost` response header, so clients can see
 * how close they are, restores QUERY_TOO_COMPLEX on the validation rules' errors, and answers the
 * parser's token limit (`parseOptions`) in the same words as the other limits.
 */
export function limitsPlugin<T extends BaseContext>(limits: Pick<QueryLimits, 'maxCost' | 'maxTokens'>): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      let cost: number | undefined;
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const vars = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
          if (vars.errors) return; // execution answers bad variables with BAD_USER_INPUT
          cost = memoisedCost(schema, operation, document, vars.coerced);
          if (cost === Infinity) {
            throw new GraphQLError(`the query expands to more than ${MAX_COST_VISITS} fields through its fragments, too many to estimate its cost`, {
              extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, limit: 'cost', max: limits.maxCost, http: { status: 400 } },
            });
          }
          if (cost > limits.maxCost) throw tooComplex('cost', 'estimated query cost', limits.maxCost, cost, operation.name?.value);
        },
        async didEncounterErrors({ errors, source }) {
          for (const e of errors) {
            // Apollo wraps validation errors and overwrites their code; the wrapped error keeps ours.
            const original = e.originalError as { extensions?: Record<string, unknown> } | undefined;
            if (e.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' && original?.extensions?.code === ErrorCode.QUERY_TOO_COMPLEX) {
              (e.extensions as Record<string, unknown>).code = ErrorCode.QUERY_TOO_COMPLEX;
            }
            // The parser stopped at the token limit: say so like the other limits, with the whole count (the document is at most maxQueryBytes).
            if (e.extensions?.code === 'GRAPHQL_PARSE_FAILED' && source !== undefined) {
              const tokens = tokenCount(source);
              if (tokens > limits.maxTokens) {
                const refusal = tooComplex('tokens', 'the number of tokens in the query document', limits.maxTokens, tokens);
                e.message = refusal.message;
                Object.assign(e.extensions as Record<string, unknown>, refusal.extensions);
              }
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

/** An operation that passed every limit, ready to execute. */
export interface CheckedOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
}

/**
 * The same limits for an operation that does not come through Apollo (a subscription over
 * WebSocket, src/graphql/subscriptions.ts): document bytes, tokens while parsing, graphql-js's
 * validation with the document limits, then the cost with the variables. Returns the errors, each
 * QUERY_TOO_COMPLEX or the validation's, or the checked operation.
 */
export function checkOperation(
  schema: GraphQLSchema, request: { query: string; operationName?: string | null; variables?: Record<string, unknown> | null },
  limits: Pick<QueryLimits, 'maxQueryBytes' | 'maxTokens' | 'maxCost'> & DocumentLimits,
): CheckedOperation | GraphQLError[] {
  const bytes = Buffer.byteLength(request.query);
  if (bytes > limits.maxQueryBytes) return [tooComplex('queryBytes', 'the query document size in bytes', limits.maxQueryBytes, bytes)];
  let document: DocumentNode;
  try {
    document = parse(request.query, { maxTokens: limits.maxTokens });
  } catch (err) {
    const tokens = tokenCount(request.query);
    if (tokens > limits.maxTokens) return [tooComplex('tokens', 'the number of tokens in the query document', limits.maxTokens, tokens)];
    return [new GraphQLError(err instanceof Error ? err.message : String(err), { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
  }
  // Coded as Apollo codes them for /graphql: ours (QUERY_TOO_COMPLEX) stay, graphql-js's own are GRAPHQL_VALIDATION_FAILED.
  const errors = validate(schema, document, [...specifiedRules, ...limitRules(limits)]);
  if (errors.length > 0) {
    return errors.map((e) => (e.extensions?.code ? e : new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })));
  }
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = request.operationName ? operations.find((o) => o.name?.value === request.operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation) {
    return [new GraphQLError(request.operationName ? `no operation named "${request.operationName}" in the document` : 'the document holds several operations: name the one to run (operationName)', {
      extensions: { code: ErrorCode.BAD_USER_INPUT },
    })];
  }
  const vars = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
  if (vars.errors) return vars.errors.map((e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: ErrorCode.BAD_USER_INPUT } }));
  const cost = memoisedCost(schema, operation, document, vars.coerced);
  if (cost === Infinity || cost > limits.maxCost) return [tooComplex('cost', 'estimated query cost', limits.maxCost, cost, operation.name?.value)];
  return { document, operation };
}
