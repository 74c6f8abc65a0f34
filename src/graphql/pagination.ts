import { Field, Int, ObjectType, ArgsType, ClassType } from 'type-graphql';
import { badInput } from './errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 500;

@ObjectType({ description: 'Relay page information.' })
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
  after: unknown[] | null;
  /** The raw cursor, for loader keys. */
  afterRaw: string | null;
}

/** Cursors are opaque to clients: base64url of [list tag, ...sort values]. */
export function encodeCursor(tag: string, values: unknown[]): string {
  return Buffer.from(JSON.stringify([tag, ...values])).toString('base64url');
}

export function decodeCursor(tag: string, cursor: string, arity: number, field = 'after'): unknown[] {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor) || cursor.length > 512) throw new Error('shape');
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badInput(field, 'is not a cursor this hub issued');
  }
  if (!Array.isArray(parsed) || typeof parsed[0] !== 'string') throw badInput(field, 'is not a cursor this hub issued');
  if (parsed[0] !== tag) throw badInput(field, `is a cursor of another list (${parsed[0]}), not of ${tag}`);
  if (parsed.length !== arity + 1 || parsed.slice(1).some((v) => typeof v !== 'string')) {
    throw badInput(field, 'is not a cursor this hub issued');
  }
  return parsed.slice(1);
}

/** Validates page arguments: `first` within 0..500, `after` a cursor of this list. */
export function pageRequest(args: PageArgs, tag: string, arity: number, path = ''): PageRequest {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badInput(`${path}first`, `must be between 0 and ${MAX_PAGE_SIZE}, got ${first}`);
  }
  const afterRaw = args.after ?? null;
  return { first, after: afterRaw === null ? null : decodeCursor(tag, afterRaw, arity, `${path}after`), afterRaw };
}

/** Builds `XConnection` and `XEdge` GraphQL types for a node type. */
export function connectionType<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field() cursor: string;
    @Field(() => node) node: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} records.` })
  class ConnectionType {
    @Field(() => [EdgeType]) edges: EdgeType[];
    @Field(() => PageInfo) pageInfo: PageInfo;
    @Field(() => Int, { description: 'How many records the whole list holds that the caller may see.' })
    totalCount: number;
  }
  return ConnectionType;
}
