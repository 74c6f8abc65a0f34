import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLResolveInfo, GraphQLSchema, isObjectType, isSpecifiedScalarType, Kind, parse, StringValueNode } from 'graphql';
import { createResolversMap } from 'type-graphql';
import type { HubContext } from './context';
import { badInput } from './errors';
import { UsccScalar } from './scalars';

/**
 * The Federation version the hub's subgraph SDL links to. 2.3 is the newest that @apollo/subgraph
 * 2.14 and Apollo Router both take without flags, and the hub needs nothing newer than `@key`.
 */
export const FEDERATION_LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])';

/** A representation as the router sends it to `_entities`: the type name and the key fields. */
type Representation = { __typename: string } & Record<string, unknown>;
type ReferenceResolver = (ref: Representation, ctx: HubContext, info: GraphQLResolveInfo) => Promise<unknown>;

function keyString(ref: Representation, field: string): string {
  const v = ref[field];
  if (typeof v !== 'string' || v.length === 0 || v.length > 64) throw badInput(`representations.${field}`, `must be a non-empty string, got ${JSON.stringify(v)}`);
  return v;
}

/**
 * How a router turns a key into an entity. Each goes through the same service call as the root
 * field, so the policy, the per-request loaders (one statement for a whole `_entities` batch of
 * enterprises or stations) and the audit trail apply exactly as to a direct query: a hidden
 * record resolves to null with a FORBIDDEN error at its index, an unknown key to null. They are
 * async so that a bad key rejects for its own index instead of throwing for the whole batch.
 */
export const REFERENCE_RESOLVERS: Record<string, { key: string; resolve: ReferenceResolver }> = {
  Enterprise: {
    key: 'uscc',
    // The key passes the USCC scalar like the `enterprise(uscc:)` argument does: a malformed code is BAD_USER_INPUT.
    resolve: async (ref, ctx, info) => ctx.services.enterprises.get(ctx, UsccScalar.parseValue(keyString(ref, 'uscc')) as string, info),
  },
  MonitoringStation: {
    key: 'code',
    resolve: async (ref, ctx) => ctx.services.monitoring.getStation(ctx, keyString(ref, 'code')),
  },
  CatalogResource: {
    key: 'code',
    resolve: async (ref, ctx) => ctx.services.catalog.get(ctx, keyString(ref, 'code')),
  },
};

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
  return buildSubgraphSchema({ typeDefs, resolvers: resolvers as never });
}
