import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { ExecutionResult, getVariableValues, GraphQLError, GraphQLSchema, printSchema } from 'graphql';
import { CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';
import { PreShaper, ShapedAnswers } from './preshaped';

/** Compiled operations kept (least recently used go first): distinct documents a hub serves are few. */
const MAX_COMPILED = 500;

/**
 * Executes operations with graphql-jit instead of graphql-js: each distinct document is compiled
 * once into a function, which then runs with no per-field interpretation. The read engine hands
 * the resolvers answers PostgreSQL already shaped, so what is left of execution is walking them;
 * compiled, that walk costs a fraction (docs/performance.md). Plugged in through Apollo Server's
 * executor hook (its gateway interface), so parsing, validation, limits, plugins and error
 * formatting stay Apollo's.
 *
 * A query that selects one root field is answered already shaped where it can be (ShapedAnswers,
 * src/graphql/preshaped.ts): the root field resolves once and its value is projected for the
 * selection, not walked field by field again; root fields in `shapers` shape their own answers.
 */
export function jitExecutor<C extends object = object>(schema: GraphQLSchema, shapers: ReadonlyMap<string, PreShaper<C>> = new Map()): GatewayInterface {
  const shaped = new ShapedAnswers<C>(schema, shapers);
  const compiled = new Map<string, CompiledQuery>();
  const compiledFor = (source: string, operationName: string | undefined, compile: () => CompiledQuery | ExecutionResult): CompiledQuery | ExecutionResult => {
    const key = `${operationName ?? ''}\u0000${source}`;
    const hit = compiled.get(key);
    if (hit) {
      compiled.delete(key);
      compiled.set(key, hit);
      return hit;
    }
    const c = compile();
    if (!isCompiledQuery(c)) return c;
    compiled.set(key, c);
    if (compiled.size > MAX_COMPILED) compiled.delete(compiled.keys().next().value as string);
    return c;
  };
  const executor: GatewayExecutor = async (rc) => {
    // As graphql-js words it, so a client learns the same (src/graphql/errors.ts answers it as BAD_REQUEST).
    if (rc.operation?.operation === 'subscription' && !schema.getSubscriptionType()) {
      return { errors: [new GraphQLError('Schema is not configured to execute subscription operation.', { nodes: [rc.operation] })] };
    }
    const source = rc.source ?? '';
    const name = rc.request.operationName ?? undefined;
    const c = compiledFor(source, name, () => compileQuery(schema, rc.document, name) as CompiledQuery | ExecutionResult);
    if (!isCompiledQuery(c)) return { errors: ((c as ExecutionResult).errors ?? []).map(asGraphQLError) };
    // Variables are checked by graphql-js first: its errors name the variable and the scalar's reason,
    // and Apollo answers them as BAD_USER_INPUT (400), exactly as without the compiler.
    const checked = getVariableValues(schema, rc.operation?.variableDefinitions ?? [], rc.request.variables ?? {});
    if (checked.errors) return { errors: checked.errors };
    const ctx = rc.context as C;
    const data = await shaped.answer(rc.document, rc.operation, checked.coerced, ctx);
    if (data) return { data };
    const result = await c.query(undefined, rc.context, rc.request.variables ?? {});
    shaped.settle(ctx);
    // graphql-jit's errors carry the path and the original error but not graphql-js's full shape
    // (no `extensions`); rebuilt, Apollo and formatError treat them exactly as graphql-js's.
    if (result.errors) result.errors = result.errors.map(asGraphQLError);
    return result;
  };
  return {
    async load() {
      return { executor };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => {};
    },
    async stop() {},
  };
}

function asGraphQLError(e: GraphQLError | Error): GraphQLError {
  const g = e as Partial<GraphQLError>;
  const error = new GraphQLError(e.message, {
    nodes: g.nodes, source: g.source, positions: g.positions, path: g.path,
    originalError: g.originalError ?? (e instanceof GraphQLError ? undefined : e), extensions: g.extensions ?? {},
  });
  // graphql-jit computes locations without keeping the nodes they come from.
  if (!error.locations && g.locations) Object.assign(error, { locations: g.locations });
  return error;
}
