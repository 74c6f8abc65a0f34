import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ASTNode, BREAK, DocumentNode, GraphQLError, GraphQLScalarType, Kind, ValueNode, visit } from 'graphql';
import { DateResolver, DateTimeResolver } from 'graphql-scalars';
import { EARLIEST_DAY, isHubDay, LATEST_DAY } from '../domain/calendar';
import { checkUscc } from '../domain/uscc';
import { ErrorCode } from './errors';

/** A scalar's refusal; `node` (a literal in the document) lets `scalarArgumentsPlugin` name its argument. */
function badInput(message: string, node?: ASTNode): GraphQLError {
  return new GraphQLError(message, { nodes: node, extensions: { code: ErrorCode.BAD_USER_INPUT } });
}

/** Runs a parse of a literal; a refusal carries the literal's node. */
function withNode<T>(ast: ValueNode, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw badInput((err as Error).message, ast);
  }
}

function parseUscc(value: unknown): string {
  if (typeof value !== 'string') throw badInput('USCC must be a string of 18 characters');
  const check = checkUscc(value);
  if (!check.valid) throw badInput(`invalid USCC "${value}": ${check.reason}`);
  return value;
}

/**
 * Unified Social Credit Code (GB 32100-2015), check character verified on input. GraphQL reports a
 * failed parse with the argument's name, so a client sees which argument and what is wrong.
 */
export const UsccScalar = new GraphQLScalarType({
  name: 'USCC',
  description: 'Unified Social Credit Code (统一社会信用代码, GB 32100-2015): 18 characters, check character verified.',
  serialize: (v) => v as string,
  parseValue: parseUscc,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw badInput('USCC must be a string of 18 characters', ast);
    return withNode(ast, () => parseUscc(ast.value));
  },
});

const DECIMAL = /^-?\d{1,16}(\.\d{1,6})?$/;

function parseDecimal(value: unknown): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw badInput('Decimal must be a finite number');
    value = String(value);
  }
  if (typeof value !== 'string' || !DECIMAL.test(value)) {
    throw badInput(`Decimal must be a number or a decimal string like "1234.50", got ${JSON.stringify(value)}`);
  }
  return value;
}

/** An exact decimal, sent as a string so no float rounding reaches a client ("20000.00"). */
export const DecimalScalar = new GraphQLScalarType({
  name: 'Decimal',
  description: 'Exact decimal number as a string (amounts in CNY yuan, measured values). Input accepts numbers and decimal strings.',
  serialize: (v) => (typeof v === 'number' ? String(v) : (v as string)),
  parseValue: parseDecimal,
  parseLiteral(ast) {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT) return withNode(ast, () => parseDecimal(ast.value));
    throw badInput('Decimal must be a number or a decimal string', ast);
  },
});

/**
 * graphql-scalars' Date and DateTime, held to the days the hub keeps (EARLIEST_DAY..LATEST_DAY, the
 * same as the write side): without this, year 0000 passes the scalar and PostgreSQL refuses it
 * with an internal error. Every refusal is BAD_USER_INPUT. The served schema takes these in place
 * of graphql-scalars' own (`toSubgraphSchema`), so the modules keep declaring `DateResolver`.
 */
function heldToHubDays(base: GraphQLScalarType<unknown, unknown>, day: (d: Date) => string): GraphQLScalarType {
  const check = (value: Date, shown: string, node?: ValueNode): Date => {
    if (!isHubDay(day(value))) throw badInput(`${base.name} must be between ${EARLIEST_DAY} and ${LATEST_DAY}, got ${shown}`, node);
    return value;
  };
  return new GraphQLScalarType({
    ...base.toConfig(),
    parseValue(value) {
      let parsed: Date;
      try {
        parsed = base.parseValue(value) as Date;
      } catch (err) {
        throw badInput((err as Error).message);
      }
      return check(parsed, JSON.stringify(value));
    },
    parseLiteral(ast, variables) {
      const parsed = withNode(ast, () => base.parseLiteral(ast, variables) as Date);
      return check(parsed, ast.kind === Kind.STRING ? JSON.stringify(ast.value) : ast.kind, ast);
    },
  });
}

// A Date is midnight UTC of its day; a DateTime counts by its UTC day, as the write side does.
export const HubDateScalar = heldToHubDays(DateResolver, (d) => d.toISOString().slice(0, 10));
export const HubDateTimeScalar = heldToHubDays(DateTimeResolver, (d) => d.toISOString().slice(0, 10));

/** Where a value node sits under an argument: `filter.from`, `representations.2.uscc`. */
function pathIn(value: ValueNode, target: ASTNode, at: string): string | null {
  if (value === target) return at;
  if (value.kind === Kind.OBJECT) {
    for (const f of value.fields) {
      const p = pathIn(f.value, target, `${at}.${f.name.value}`);
      if (p) return p;
    }
  } else if (value.kind === Kind.LIST) {
    for (let i = 0; i < value.values.length; i++) {
      const p = pathIn(value.values[i], target, `${at}.${i}`);
      if (p) return p;
    }
  }
  return null;
}

/** The argument path of a literal in a document, or null when it is not inside an argument. */
export function argumentPathOf(document: DocumentNode, target: ASTNode): string | null {
  let found: string | null = null;
  visit(document, {
    Argument(node) {
      found = pathIn(node.value, target, node.name.value);
      return found ? BREAK : false;
    },
  });
  return found;
}

/**
 * A literal argument a scalar refuses (`filter: { from: "0000-01-01" }`) fails validation, and
 * graphql-js reports it without the argument's name. This names it, like a resolver's `badInput`:
 * BAD_USER_INPUT, `filter.from: Date must be between …`, `extensions.field`. (A refused variable
 * is named by graphql-js itself: `Variable "$f" got invalid value … at "f.from"`.)
 */
export function scalarArgumentsPlugin<T extends BaseContext>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, document }) {
          if (!document) return;
          for (const e of errors) {
            const inner = e.originalError as GraphQLError | undefined;
            const node = e.nodes?.[0];
            if (e.extensions?.code !== 'GRAPHQL_VALIDATION_FAILED' || inner?.extensions?.code !== ErrorCode.BAD_USER_INPUT || !node) continue;
            const field = argumentPathOf(document, node);
            if (!field) continue;
            e.message = `${field}: ${inner.message}`;
            Object.assign(e.extensions as Record<string, unknown>, { code: ErrorCode.BAD_USER_INPUT, field });
          }
        },
      };
    },
  };
}
