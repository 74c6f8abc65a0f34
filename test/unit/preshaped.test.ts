import { buildSchema, FieldNode, GraphQLObjectType, OperationDefinitionNode, parse } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { isCanonicalInstant, NotShaped, objectProjector, readByResponseKey } from '../../src/graphql/preshaped';

const schema = buildSchema(`
  scalar DateTime
  enum Op { LISTED REMOVED }
  type Inner { a: String b: Int! }
  type Item { id: ID! op: Op! at: DateTime when: DateTime inner: Inner tags: [String!] withArg(x: Int): String }
  type Query { items: [Item!]! }
`);
Object.assign(schema.getType('DateTime')!, { serialize: DateTimeResolver.serialize });
const item = schema.getType('Item') as GraphQLObjectType;

function projectorFor(query: string, variables: Record<string, unknown> = {}) {
  const doc = parse(query);
  const op = doc.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode;
  const fragments = Object.fromEntries(doc.definitions.filter((d) => d.kind === 'FragmentDefinition').map((d) => [(d as { name: { value: string } }).name.value, d])) as never;
  return objectProjector({ schema, fragments, variables }, item, [op.selectionSet.selections[0] as FieldNode]);
}

const ROW = { id: '7', op: 'LISTED', at: '2026-11-02T02:00:00.000Z', when: '2026-11-02T10:00:00+08:00', inner: { a: 'x', b: 2 }, tags: ['t'], extra: 'not selected' };

describe('objectProjector: a selection answered from plain values exactly as execution writes it', () => {
  it('writes the response keys in selection order, aliases, fragments, @skip/@include and __typename included, and nothing else', () => {
    const p = projectorFor(`query($s: Boolean!) { items { when k: id ...F inner { b __typename a } op @skip(if: $s) tags @include(if: $s) } }
      fragment F on Item { __typename at id }`, { s: true })!;
    const out = p(ROW) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['when', 'k', '__typename', 'at', 'id', 'inner', 'tags']);
    expect(out).toEqual({ when: '2026-11-02T02:00:00.000Z', k: '7', __typename: 'Item', at: '2026-11-02T02:00:00.000Z', id: '7', inner: { b: 2, __typename: 'Inner', a: 'x' }, tags: ['t'] });
    expect(Object.keys((out.inner as object))).toEqual(['b', '__typename', 'a']);
  });

  it('writes absent nullable values as null and refuses a null where the schema says non-null (execution then reports it)', () => {
    const p = projectorFor('{ items { id inner { a b } when } }')!;
    expect(p({ id: '1' })).toEqual({ id: '1', inner: null, when: null });
    expect(() => p({ id: '1', inner: { a: 'x', b: null } })).toThrow(NotShaped);
    expect(() => p({ inner: null })).toThrow(NotShaped);
  });

  it('serializes leaves by their types: an unknown enum value or a bad instant throws instead of passing through', () => {
    const p = projectorFor('{ items { op when } }')!;
    expect(() => p({ op: 'NOPE', when: null })).toThrow();
    expect(() => p({ op: 'LISTED', when: 'yesterday' })).toThrow();
  });

  it('reads a default-resolved field by name whatever its arguments, a readByResponseKey field by response key, and shapes no other resolver', () => {
    expect(projectorFor('{ items { id w: withArg(x: 1) } }')!({ id: '1', withArg: 'v' })).toEqual({ id: '1', w: 'v' });
    const paged = item.getFields().withArg;
    try {
      paged.resolve = readByResponseKey;
      expect(projectorFor('{ items { a: withArg(x: 1) b: withArg(x: 2) } }')!({ a: 'one', b: 'two', withArg: 'by name' })).toEqual({ a: 'one', b: 'two' });
      paged.resolve = (root: { withArg: string }) => root.withArg;
      expect(projectorFor('{ items { id withArg(x: 1) } }')).toBeNull();
    } finally {
      paged.resolve = undefined;
    }
  });

  it('answers a value that already is its answer with the value itself, and copies only what differs', () => {
    const p = projectorFor('{ items { id inner { a b } tags } }')!;
    const same = JSON.parse('{"id":"1","inner":{"a":"x","b":2},"tags":["t","u"]}');
    expect(p(same)).toBe(same);
    // A key the selection does not ask for, or keys in another order: a copy with exactly the selection.
    const extra = JSON.parse('{"id":"1","inner":{"a":"x","b":2},"tags":[],"secret":"s"}');
    expect(p(extra)).toEqual({ id: '1', inner: { a: 'x', b: 2 }, tags: [] });
    expect(Object.keys(p(JSON.parse('{"inner":null,"id":"1","tags":null}')) as object)).toEqual(['id', 'inner', 'tags']);
    // A leaf that serializes differently deep down: the path to it is copied, what is unchanged is shared.
    const lists = projectorFor('{ items { id when inner { a b } } }')!;
    const row = JSON.parse('{"id":"2","when":"2026-11-02T10:00:00+08:00","inner":{"a":"x","b":1}}');
    const out = lists(row) as Record<string, unknown>;
    expect(out).not.toBe(row);
    expect(out).toEqual({ id: '2', when: '2026-11-02T02:00:00.000Z', inner: { a: 'x', b: 1 } });
    expect(out.inner).toBe(row.inner);
    // An alias or __typename always makes a new object.
    const aliased = JSON.parse('{"id":"1"}');
    expect(projectorFor('{ items { k: id } }')!(aliased)).toEqual({ k: '1' });
    const typed = JSON.parse('{"__typename":"Item","id":"1"}');
    const withTypename = projectorFor('{ items { __typename id } }')!(typed);
    expect(withTypename).toEqual(typed);
    expect(withTypename).not.toBe(typed);
  });

  it('leaves to execution what the default resolver would treat otherwise: a function, a value that is not an object', () => {
    const p = projectorFor('{ items { id inner { a } } }')!;
    expect(() => p({ id: '1', inner: () => ({ a: 'x' }) })).toThrow(NotShaped);
    expect(() => p({ id: '1', inner: 'text' })).toThrow(NotShaped);
  });
});

describe('isCanonicalInstant', () => {
  it.each([
    ['2026-11-02T02:00:00.000Z', true], ['2024-02-29T23:59:59.999Z', true], ['2026-02-29T00:00:00.000Z', false], ['2026-04-31T00:00:00.000Z', false],
    ['2026-11-02T02:00:00Z', false], ['2026-11-02T02:00:00.000+08:00', false], ['2026-13-01T00:00:00.000Z', false], ['2026-11-02T24:00:00.000Z', false], [20261102, false],
  ])('%s → %s', (v, expected) => {
    expect(isCanonicalInstant(v)).toBe(expected);
    // Canonical means: serializing through the scalar gives the same text back.
    if (expected) expect((DateTimeResolver.serialize(v) as Date).toISOString()).toBe(v);
  });
});
