import { Field, Int, ObjectType, ArgsType, ClassType } from 'type-graphql';
import { parseDay } from '../domain/calendar';
import { GraphQLSchema, isObjectType } from 'graphql';
import { badInput } from './errors';
import { readProperty } from './preshaped';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 500;

@ObjectType({ simpleResolvers: true, description: 'Relay page information.' })
export class PageInfo {
  @Field() hasNextPage: boolean;
  @Field() hasPreviousPage: boolean;
  @Field(() => String, { nullable: true }) startCursor: string | null;
  @Field(() => String, { nullable: true }) endCursor: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

/** A page of a keyset-paginated list; `totalCount` is computed only when asked for. */
export interface Page<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  readonly totalCount: number | Promise<number>;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `Page size, ${DEFAULT_PAGE_SIZE} by default, at most ${MAX_PAGE_SIZE}.` })
  first?: number;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string;
}

export interface PageRequest {
  first: number;
  /** Decoded cursor values, in the list's sort order. */
  after: string[] | null;
  /** The raw cursor, for loader keys. */
  afterRaw: string | null;
}

/** Cursors are opaque to clients: base64url of [list tag, ...sort values]. */
export function encodeCursor(tag: string, values: unknown[]): string {
  return Buffer.from(JSON.stringify([tag, ...values])).toString('base64url');
}

/**
 * What a cursor value stands for in the list's sort order. A decoded cursor comes from the client,
 * so each value is checked against its kind before it reaches SQL: a forged "date" that is not
 * one is BAD_USER_INPUT naming the argument, not a database error.
 */
export type CursorValueKind = 'text' | 'date' | 'timestamptz' | 'bigint' | 'int' | 'uuid' | 'numeric';

const INSTANT = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function integerWithin(v: string, digits: number, min: bigint, max: bigint): boolean {
  if (!new RegExp(`^-?\\d{1,${digits}}$`).test(v)) return false;
  const n = BigInt(v);
  return n >= min && n <= max;
}

/** Whether a cursor value is of its kind, as the list's own SQL cast would take it. */
const CURSOR_VALUE_CHECKS: Record<CursorValueKind, (v: string) => boolean> = {
  text: (v) => !v.includes('\u0000'),
  // A real calendar day, as the hub's date columns hold them.
  date: (v) => parseDay(v) !== null,
  // An ISO 8601 instant in UTC, as toISOString() writes it (microseconds allowed).
  timestamptz: (v) => {
    const m = INSTANT.exec(v);
    return !!m && parseDay(m[1]) !== null;
  },
  bigint: (v) => integerWithin(v, 19, -(2n ** 63n), 2n ** 63n - 1n),
  int: (v) => integerWithin(v, 10, -(2n ** 31n), 2n ** 31n - 1n),
  uuid: (v) => UUID.test(v),
  numeric: (v) => /^-?\d{1,20}(\.\d{1,20})?$/.test(v),
};

/**
 * The sort values a cursor of list `tag` carries, each checked against its kind in `kinds` (one
 * per sort column). Anything else, including a cursor of another list, is BAD_USER_INPUT naming `field`.
 */
export function decodeCursor(tag: string, cursor: string, kinds: readonly CursorValueKind[], field = 'after'): string[] {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor) || cursor.length > 512) throw new Error('shape');
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badInput(field, 'is not a cursor this hub issued');
  }
  if (!Array.isArray(parsed) || typeof parsed[0] !== 'string') throw badInput(field, 'is not a cursor this hub issued');
  if (parsed[0] !== tag) throw badInput(field, `is a cursor of another list (${parsed[0]}), not of ${tag}`);
  const values = parsed.slice(1);
  if (values.length !== kinds.length || values.some((v) => typeof v !== 'string')) {
    throw badInput(field, 'is not a cursor this hub issued');
  }
  values.forEach((v: string, i) => {
    if (!CURSOR_VALUE_CHECKS[kinds[i]](v)) throw badInput(field, `is not a cursor this hub issued: its value ${i + 1} is not a ${kinds[i]}`);
  });
  return values as string[];
}

/** Validates page arguments: `first` within 0..500, `after` a cursor of this list whose values are of `kinds`. */
export function pageRequest(args: PageArgs, tag: string, kinds: readonly CursorValueKind[], path = ''): PageRequest {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badInput(`${path}first`, `must be between 0 and ${MAX_PAGE_SIZE}, got ${first}`);
  }
  const afterRaw = args.after ?? null;
  return { first, after: afterRaw === null ? null : decodeCursor(tag, afterRaw, kinds, `${path}after`), afterRaw };
}

const CONNECTIONS = new Set<string>();

/**
 * After the schema is built: each connection's `totalCount` is read by `readProperty`, which waits
 * for the promise a lazy count leaves there (keysetPage), where a compiled executor would not.
 */
export function awaitLazyCounts(schema: GraphQLSchema): GraphQLSchema {
  for (const name of CONNECTIONS) {
    const type = schema.getType(name);
    if (!isObjectType(type)) throw new Error(`${name} is not an object type of the schema`);
    type.getFields().totalCount.resolve = readProperty;
  }
  return schema;
}

/**
 * Builds `XConnection` and `XEdge` GraphQL types for a node type. Their fields read plain
 * properties (`simpleResolvers`), `totalCount` as `awaitLazyCounts` says.
 */
export function connectionType<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true })
  class EdgeType {
    @Field() cursor: string;
    @Field(() => node) node: T;
  }

  CONNECTIONS.add(`${name}Connection`);
  @ObjectType(`${name}Connection`, { simpleResolvers: true, description: `A page of ${name} records.` })
  class ConnectionType {
    @Field(() => [EdgeType]) edges: EdgeType[];
    @Field(() => PageInfo) pageInfo: PageInfo;
    @Field(() => Int, { description: 'How many records the whole list holds that the caller may see.' })
    totalCount: number;
  }
  return ConnectionType;
}

/**
 * A keyset page from the rows of a `LIMIT first + 1` query: the first `first` nodes with their
 * cursors, whether more follow, and `totalCount` counted only when the selection asks for it.
 * `cursorOf` also gets the node's index, for lists whose cursor holds a value of the raw row that
 * the node does not carry (a search rank, an exact timestamp).
 */
export function keysetPage<T>(nodes: T[], fetched: number, page: PageRequest, cursorOf: (node: T, i: number) => string, count: () => Promise<number>): Page<T> {
  const edges = nodes.map((node, i) => ({ cursor: cursorOf(node, i), node }));
  let total: Promise<number> | undefined;
  return {
    edges,
    pageInfo: { hasNextPage: fetched > page.first, hasPreviousPage: page.after !== null, startCursor: edges[0]?.cursor ?? null, endCursor: edges[edges.length - 1]?.cursor ?? null },
    get totalCount() {
      return (total ??= count());
    },
  };
}
