import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLFieldResolver, GraphQLResolveInfo, GraphQLSchema, isObjectType, isSpecifiedScalarType, isUnionType, Kind, parse, StringValueNode } from 'graphql';
import { createResolversMap } from 'type-graphql';
import type { HubContext } from './context';
import { badInput } from './errors';
import { HubDateScalar, HubDateTimeScalar, UsccScalar } from './scalars';

/**
 * The Federation version the hub's subgraph SDL links to. 2.3 is the newest that @apollo/subgraph
 * 2.14 and Apollo Router both take without flags, and the hub needs nothing newer than `@key`.
 */
export const FEDERATION_LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])';

/** A representation as the router sends it to `_entities`: the type name and the key fields. */
type Representation = { __typename: string } & Record<string, unknown>;
type ReferenceResolver = (ref: Representation, ctx: HubContext, info: GraphQLResolveInfo) => Promise<unknown>;

/**
 * How a router turns a key into an entity. Each goes through the same service call as the root
 * field, so the policy, the per-request loaders (one statement for a whole `_entities` batch of
 * enterprises or stations) and the audit trail apply exactly as to a direct query: a hidden
 * record resolves to null with a FORBIDDEN error at its index, an unknown key to null. The
 * representation has passed `checkRepresentation` (its key a string of 1 to 64 characters that
 * `parseKey`, where there is one, accepts). They are async so that a failure rejects for its own
 * index instead of throwing for the whole batch.
 */
export const REFERENCE_RESOLVERS: Record<string, { key: string; parseKey?: (value: string) => unknown; resolve: ReferenceResolver }> = {
  Enterprise: {
    key: 'uscc',
    // The key passes the USCC scalar like the `enterprise(uscc:)` argument does: a malformed code is BAD_USER_INPUT.
    parseKey: (v) => UsccScalar.parseValue(v),
    resolve: async (ref, ctx, info) => ctx.services.enterprises.get(ctx, ref.uscc as string, info),
  },
  MonitoringStation: {
    key: 'code',
    resolve: async (ref, ctx) => ctx.services.monitoring.getStation(ctx, ref.code as string),
  },
  CatalogResource: {
    key: 'code',
    resolve: async (ref, ctx) => ctx.services.catalog.get(ctx, ref.code as string),
  },
};

/**
 * A representation as `_entities` receives it, checked: `_Any` takes any JSON, and @apollo/subgraph
 * answers a non-object or an unknown `__typename` with an internal error, and hands a type that
 * is no entity the raw representation as its object. Returns the problem as BAD_USER_INPUT
 * naming `representations.<i>` (and the field), or null.
 */
export function checkRepresentation(rep: unknown, i: number, entityTypes: ReadonlySet<string>): Error | null {
  const at = `representations.${i}`;
  if (rep === null || typeof rep !== 'object' || Array.isArray(rep)) {
    return badInput(at, `must be an object with __typename and the key field, got ${JSON.stringify(rep) ?? String(rep)}`);
  }
  const fields = rep as Record<string, unknown>;
  const known = [...entityTypes].join(', ');
  const typename = fields.__typename;
  if (typeof typename !== 'string') return badInput(`${at}.__typename`, `must name an entity type (${known}), got ${JSON.stringify(typename) ?? 'nothing'}`);
  const ref = entityTypes.has(typename) ? REFERENCE_RESOLVERS[typename] : undefined;
  if (!ref) return badInput(`${at}.__typename`, `must name an entity type (${known}), got ${JSON.stringify(typename.slice(0, 64))}`);
  const value = fields[ref.key];
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) {
    return badInput(`${at}.${ref.key}`, `must be a non-empty string of at most 64 characters (the key of ${typename}), got ${JSON.stringify(value) ?? 'nothing'}`);
  }
  try {
    ref.parseKey?.(value);
  } catch (err) {
    return badInput(`${at}.${ref.key}`, (err as Error).message);
  }
  return null;
}

/** Wraps `_entities` so that each representation is checked first: a bad one fails at its own index, the others resolve. */
function checkedEntities(schema: GraphQLSchema): void {
  const field = schema.getQueryType()?.getFields()._entities;
  const union = schema.getType('_Entity');
  if (!field?.resolve || !isUnionType(union)) throw new Error('the subgraph schema has no _entities field to guard');
  const entityTypes = new Set(union.getTypes().map((t) => t.name));
  const resolve = field.resolve as GraphQLFieldResolver<unknown, HubContext>;
  field.resolve = (source, args: { representations: unknown[] }, ctx, info) => args.representations.map((rep, i) => {
    const problem = checkRepresentation(rep, i, entityTypes);
    if (problem) return Promise.reject(problem);
    return (resolve(source, { representations: [rep] }, ctx, info) as unknown[])[0];
  });
}

/** `@key(fields: …)` values declared on an object type through type-graphql's `@Directive`. */
export function declaredKeys(schema: GraphQLSchema, typeName: string): string[] {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) return [];
  return (type.astNode?.directives ?? [])
    .filter((d) => d.name.value === 'key')
    .flatMap((d) => d.arguments ?? [])
    .filter((a) => a.name.value === 'fields' && a.value.kind === Kind.STRING)
    .map((a) => (a.value as StringValueNode).value);
}

/**
 * Turns the schema type-graphql built into an Apollo Federation v2 subgraph: the SDL is printed
 * with its directives (graphql-js's printer would drop `@key`), and the resolvers come from
 * `createResolversMap`, which keeps type-graphql's field resolvers, custom scalars' parse and
 * serialize, and enum values. Every entity type must have a reference resolver: a new `@key`
 * without one fails the build here rather than at a router.
 */
export function toSubgraphSchema(schema: GraphQLSchema): GraphQLSchema {
  const resolvers = createResolversMap(schema) as Record<string, Record<string, unknown>>;
  for (const name of Object.keys(resolvers)) {
    const type = schema.getType(name);
    // Built-in scalars are graphql-js singletons; copying them onto themselves is at best a no-op.
    if (type && isSpecifiedScalarType(type)) delete resolvers[name];
  }
  // Date and DateTime arguments are held to the days the hub keeps (src/graphql/scalars.ts).
  if (resolvers.Date) resolvers.Date = HubDateScalar as never;
  if (resolvers.DateTime) resolvers.DateTime = HubDateTimeScalar as never;
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const keys = declaredKeys(schema, type.name);
    if (keys.length === 0) continue;
    const ref = REFERENCE_RESOLVERS[type.name];
    if (!ref || !keys.includes(ref.key)) {
      throw new Error(`${type.name} declares @key(fields: ${keys.map((k) => JSON.stringify(k)).join(', ')}) but has no reference resolver for it in src/graphql/federation.ts`);
    }
    resolvers[type.name] = { ...resolvers[type.name], __resolveReference: ref.resolve };
  }
  const typeDefs = parse(`${FEDERATION_LINK}\n\n${printSchemaWithDirectives(schema)}`);
  // @apollo/subgraph types its resolver map loosely (GraphQLResolverMap<unknown>); the shapes above are what it reads.
  const subgraph = buildSubgraphSchema({ typeDefs, resolvers: resolvers as never });
  checkedEntities(subgraph);
  return subgraph;
}
