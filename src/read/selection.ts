import {
  FieldNode,
  FragmentDefinitionNode,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  GraphQLField,
  GraphQLIncludeDirective,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLSkipDirective,
  isAbstractType,
  isObjectType,
  Kind,
  SelectionSetNode,
  TypeNameMetaFieldDef,
} from 'graphql';
// graphql-js's own field collection: the response keys, in response order, merged as execution merges them.
import { collectSubfields } from 'graphql/execution/collectFields';

/** What the engine needs of a request's document to read a selection: as graphql-js hands it to a resolver. */
export interface DocumentInfo {
  schema: GraphQLSchema;
  fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  variableValues: Readonly<Record<string, unknown>>;
}

/**
 * One field of a selection as the engine answers it. Fields without arguments are keyed by their
 * name (aliases of them read the same value, and their sub-selections are merged, so one object
 * answers every alias); fields with arguments are keyed by their response key, since two aliases
 * may ask for different pages.
 */
export interface SelectedField {
  /** The JSON key the engine writes the value under. */
  key: string;
  /** The response key of the first occurrence (for argument error paths). */
  responseKey: string;
  field: GraphQLField<unknown, unknown>;
  args: Record<string, unknown>;
  nodes: FieldNode[];
}

export type Selection = Map<string, SelectedField>;

function included(node: { directives?: readonly unknown[] } & Parameters<typeof getDirectiveValues>[1], vars: DocumentInfo['variableValues']): boolean {
  if (!node.directives?.length) return true;
  if (getDirectiveValues(GraphQLSkipDirective, node, vars as Record<string, unknown>)?.if === true) return false;
  if (getDirectiveValues(GraphQLIncludeDirective, node, vars as Record<string, unknown>)?.if === false) return false;
  return true;
}

function applies(doc: DocumentInfo, condition: string | undefined, type: GraphQLObjectType): boolean {
  if (!condition || condition === type.name) return true;
  const t = doc.schema.getType(condition);
  return !!t && isAbstractType(t) && doc.schema.isSubType(t, type);
}

/**
 * The fields that `sets` select on `type`, after fragments, type conditions and `@skip`/`@include`,
 * merged as execution merges them. `__typename` is left to graphql-js.
 */
export function selectFields(doc: DocumentInfo, type: GraphQLObjectType, sets: ReadonlyArray<SelectionSetNode | undefined>): Selection {
  const out: Selection = new Map();
  const visit = (set: SelectionSetNode | undefined, seen: ReadonlySet<string>): void => {
    if (!set) return;
    for (const s of set.selections) {
      if (!included(s, doc.variableValues)) continue;
      if (s.kind === Kind.FIELD) {
        const name = s.name.value;
        if (name.startsWith('__')) continue;
        const field = type.getFields()[name];
        if (!field) continue; // validation refuses unknown fields; a field of another type in an abstract selection
        const key = field.args.length ? s.alias?.value ?? name : name;
        const had = out.get(key);
        if (had) had.nodes.push(s);
        else out.set(key, { key, responseKey: s.alias?.value ?? name, field, args: getArgumentValues(field, s, doc.variableValues as Record<string, unknown>), nodes: [s] });
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        if (applies(doc, s.typeCondition?.name.value, type)) visit(s.selectionSet, seen);
      } else {
        const name = s.name.value;
        const f = doc.fragments[name];
        if (!f || seen.has(name) || !applies(doc, f.typeCondition.name.value, type)) continue;
        visit(f.selectionSet, new Set([...seen, name]));
      }
    }
  };
  for (const set of sets) visit(set, new Set());
  return out;
}

/**
 * The fields `nodes` select on `type` keyed by response key, in response order, `__typename`
 * included (with graphql-js's meta field): what an answer written as the response itself must
 * hold, key for key. Collected by graphql-js, as execution collects them.
 */
export function selectResponse(doc: DocumentInfo, type: GraphQLObjectType, nodes: readonly FieldNode[]): Selection {
  const out: Selection = new Map();
  const collected = collectSubfields(doc.schema, doc.fragments as Record<string, FragmentDefinitionNode>, doc.variableValues as Record<string, unknown>, type, nodes);
  for (const [key, fieldNodes] of collected) {
    const name = fieldNodes[0].name.value;
    const field = name === '__typename' ? TypeNameMetaFieldDef : type.getFields()[name];
    if (!field) continue; // validation refuses unknown fields
    out.set(key, { key, responseKey: key, field, args: getArgumentValues(field, fieldNodes[0], doc.variableValues as Record<string, unknown>), nodes: [...fieldNodes] });
  }
  return out;
}

/**
 * The selection under a selected field, on the field's object type: keyed as the engine writes its
 * JSON (`selectFields`), or by response key when the answer is written as the response (`asResponse`).
 */
export function subSelection(doc: DocumentInfo, f: SelectedField, type?: GraphQLNamedType, asResponse = false): Selection {
  const named = type ?? getNamedType(f.field.type);
  if (!isObjectType(named)) return new Map();
  return selectOn(doc, named, f.nodes, asResponse);
}

/** The fields `nodes` select on `type`: keyed as the engine writes its JSON, or by response key (`asResponse`). */
export function selectOn(doc: DocumentInfo, type: GraphQLObjectType, nodes: readonly FieldNode[], asResponse: boolean): Selection {
  return asResponse ? selectResponse(doc, type, nodes) : selectFields(doc, type, nodes.map((n) => n.selectionSet));
}

/** The object type of a selected field (unwrapping lists and non-null). */
export function objectTypeOf(f: SelectedField): GraphQLObjectType {
  const named = getNamedType(f.field.type);
  if (!isObjectType(named)) throw new Error(`${f.field.name} is not of an object type`);
  return named;
}
