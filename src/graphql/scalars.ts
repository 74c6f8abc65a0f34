import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { checkUscc } from '../domain/uscc';

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
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
    if (ast.kind !== Kind.STRING) throw badInput('USCC must be a string of 18 characters');
    return parseUscc(ast.value);
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
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT) return parseDecimal(ast.value);
    throw badInput('Decimal must be a number or a decimal string');
  },
});
