import 'reflect-metadata';
import { encodeCursor } from '../../src/graphql/pagination';
import { withCheckCharacter } from '../../src/domain/uscc';
import { startTestHub, TestHub } from '../support/hub';

/**
 * Issue 10, finding 8: values a client controls that the hub used to pass on unchecked until
 * PostgreSQL or @apollo/subgraph failed on them (INTERNAL_SERVER_ERROR). Each is now refused with
 * BAD_USER_INPUT naming the argument: cursor values of the wrong kind, dates outside the days the
 * hub keeps, federation representations that name no entity or lack their key. Run on PGlite and,
 * with DATABASE_URL, on PostgreSQL.
 */
let t: TestHub;
let zone: string;
let auditor: string;
let feed: string;

beforeAll(async () => {
  t = await startTestHub('demo');
  zone = await t.token('ZONE', ['DOSSIER_READER', 'ENFORCEMENT', 'COMPLAINT_HANDLER', 'CATALOG_READER']);
  auditor = await t.token('ZONE', ['AUDITOR']);
  feed = await t.token('ZONE', ['CREDIT_FEED']);
});
afterAll(() => t.close());

interface GqlError {
  message: string;
  path?: Array<string | number>;
  extensions: { code: string; field?: string };
}

/** The one error of an answer, which must be BAD_USER_INPUT naming `field`, and nothing else. */
async function refused(query: string, variables: Record<string, unknown>, token: string | undefined, field: string): Promise<GqlError> {
  const r = await t.gql(query, variables, { token });
  const errors: GqlError[] = r.body.errors ?? [];
  expect(errors.map((e) => ({ code: e.extensions.code, field: e.extensions.field }))).toEqual([{ code: 'BAD_USER_INPUT', field }]);
  expect(errors[0].message.startsWith(`${field}: `)).toBe(true);
  return errors[0];
}

describe('cursors whose values are not of their kind', () => {
  const page = (list: string, extra = '') => `query($after: String) { ${list}(first: 2, after: $after${extra}) { edges { cursor } } }`;

  test.each([
    // [list, tag, values, the value's kind]
    ['penalties', 'PENALTY', ['2023-02-30', 'X-1'], 'date'],
    ['penalties', 'PENALTY', ['0000-01-01', 'X-1'], 'date'],
    ['penalties', 'PENALTY', ['yesterday', 'X-1'], 'date'],
    ['creditRecords', 'CREDIT_RECORD', ['2023-13-01', 'X-1'], 'date'],
    ['complaints', 'COMPLAINT', ['2024-01-01T25:00:00.000Z', 'T-1'], 'timestamptz'],
    ['complaints', 'COMPLAINT', ['a while ago', 'T-1'], 'timestamptz'],
    ['enterprises', 'ENTERPRISE', ['9132\u00000509'], 'text'],
    ['monitoringStations', 'MONITORING', ['S\u00001'], 'text'],
    ['catalogResources', 'CatalogResourceSearch', ['NaN', 'R-1'], 'numeric'],
  ] as const)('%s after a %s cursor holding %j: value of kind %s refused', async (list, tag, values, kind) => {
    const extra = tag === 'CatalogResourceSearch' ? ', filter: { search: "水" }' : '';
    const e = await refused(page(list, extra), { after: encodeCursor(tag, [...values]) }, zone, 'after');
    expect(e.message).toMatch(new RegExp(`is not a cursor this hub issued: its value \\d is not a ${kind}$`));
  });

  test('a real cursor with its date replaced is refused; the real one pages on', async () => {
    const first = await t.gql(page('penalties'), {}, { token: zone });
    const cursor: string = first.body.data.penalties.edges[1].cursor;
    const next = await t.gql(page('penalties'), { after: cursor }, { token: zone });
    expect(next.body.errors).toBeUndefined();
    const [tag, , key] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    await refused(page('penalties'), { after: encodeCursor(tag, ['2023-02-29', key]) }, zone, 'after');
  });

  test('audit events: an instant and a bigint', async () => {
    const q = page('auditEvents');
    const e = await refused(q, { after: encodeCursor('AUDIT', ['2024-01-01T00:00:00.000Z', '12abc']) }, auditor, 'after');
    expect(e.message).toMatch(/its value 2 is not a bigint$/);
    await refused(q, { after: encodeCursor('AUDIT', ['2024-01-01T00:00:00.000Z', '9223372036854775808']) }, auditor, 'after');
    await refused(q, { after: encodeCursor('AUDIT', ['2024-02-30T00:00:00.000Z', '1']) }, auditor, 'after');
    const ok = await t.gql(q, { after: encodeCursor('AUDIT', ['2099-01-01T00:00:00.000Z', '9223372036854775807']) }, { token: auditor });
    expect(ok.body.errors).toBeUndefined();
  });

  test('the credit feed: a sequence number that is not one', async () => {
    const q = 'query($after: String) { creditFeed(after: $after, first: 1) { endCursor } }';
    const e = await refused(q, { after: encodeCursor('CREDIT_FEED', ['1e5']) }, feed, 'after');
    expect(e.message).toMatch(/its value 1 is not a bigint$/);
  });

  test('a nested list names its path: an enterprise\'s penalties, a station\'s observations', async () => {
    const ent = await refused(
      'query($after: String) { enterprises(first: 1) { edges { node { penalties(first: 1, after: $after) { totalCount } } } } }',
      { after: encodeCursor('PENALTY', ['2023-02-30', 'X']) }, zone, 'enterprises.edges.node.penalties.after',
    );
    // The read engine checks every argument of a read before it writes its one statement: the error is the root field's, naming the nested argument.
    expect(ent.path).toEqual(['enterprises']);
    await refused(
      'query($after: String) { monitoringStations(first: 1) { edges { node { observations(first: 1, after: $after) { edges { cursor } } } } } }',
      { after: encodeCursor('OBSERVATION', ['not an instant', 'a34004']) }, zone, 'monitoringStations.edges.node.observations.after',
    );
  });
});

describe('dates outside the days the hub keeps', () => {
  test('a literal filter date: year 0000 and 1899 refused naming filter.from; year 10000 and 30 February naming filter.to', async () => {
    for (const day of ['0000-01-01', '1899-12-31']) {
      const e = await refused(`{ penalties(filter: { from: "${day}" }) { totalCount } }`, {}, zone, 'filter.from');
      expect(e.message).toBe(`filter.from: Date must be between 1900-01-01 and 2099-12-31, got "${day}"`);
    }
    for (const day of ['10000-01-01', '2023-02-30']) {
      const e = await refused(`{ complaints(filter: { to: "${day}" }) { totalCount } }`, {}, zone, 'filter.to');
      expect(e.message).toMatch(/^filter\.to: Date cannot represent an invalid date-string/);
    }
    // The bounds themselves are days like any other.
    const ok = await t.gql('{ penalties(filter: { from: "1900-01-01", to: "2099-12-31" }) { totalCount } }', {}, { token: zone });
    expect(ok.body.errors).toBeUndefined();
  });

  test('the same dates as variables: BAD_USER_INPUT naming the variable and the path into it', async () => {
    const r = await t.gql('query($f: PenaltyFilter) { penalties(filter: $f) { totalCount } }', { f: { from: '0000-01-01' } }, { token: zone });
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(r.body.errors[0].message).toBe('Variable "$f" got invalid value "0000-01-01" at "f.from"; Date must be between 1900-01-01 and 2099-12-31, got "0000-01-01"');
    const d = await t.gql('query($from: Date!, $to: Date!) { airQuality(stationCode: "x", from: $from, to: $to) { __typename } }', { from: '2024-01-01', to: '2100-01-01' }, { token: zone });
    expect(d.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(d.body.errors[0].message).toMatch(/^Variable "\$to" got invalid value "2100-01-01"; Date must be between/);
  });

  test('DateTime arguments: the audit filter and observation bounds', async () => {
    await refused('{ auditEvents(filter: { from: "0000-01-01T00:00:00Z" }) { totalCount } }', {}, auditor, 'filter.from');
    // An instant counts by its UTC day, as on the write side: 2100-01-01T00:00+08:00 is still 2099.
    const obs = (to: string) => `{ monitoringStations(first: 1) { edges { node { observations(to: "${to}") { totalCount } } } } }`;
    expect((await t.gql(obs('2100-01-01T00:00:00+08:00'), {}, { token: zone })).body.errors).toBeUndefined();
    await refused(obs('2100-01-01T09:00:00+08:00'), {}, zone, 'to');
  });

  test('an enterprise filter date and the AQI computation date', async () => {
    await refused('{ enterprises(filter: { penalizedSince: "0001-01-01" }) { totalCount } }', {}, zone, 'filter.penalizedSince');
    await refused('{ airQuality(stationCode: "x", from: "0000-01-01", to: "2024-01-01") { __typename } }', {}, zone, 'from');
  });
});

describe('federation representations', () => {
  const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Enterprise { uscc } } }';
  let uscc: string;
  beforeAll(async () => {
    uscc = (await t.db.ds.query('SELECT uscc FROM enterprise ORDER BY uscc LIMIT 1'))[0].uscc;
  });

  test.each([
    ['an unknown __typename', { __typename: 'Nope', uscc: 'x' }, 'representations.0.__typename'],
    ['a type that is no entity', { __typename: 'PageInfo', hasNextPage: true }, 'representations.0.__typename'],
    ['Query itself', { __typename: 'Query' }, 'representations.0.__typename'],
    ['no __typename', { uscc: 'x' }, 'representations.0.__typename'],
    ['a missing key field', { __typename: 'Enterprise' }, 'representations.0.uscc'],
    ['a key that is not a string', { __typename: 'MonitoringStation', code: 7 }, 'representations.0.code'],
    ['a malformed USCC', { __typename: 'Enterprise', uscc: '123' }, 'representations.0.uscc'],
    ['a string', 'Enterprise', 'representations.0'],
    ['a list', [{ __typename: 'Enterprise' }], 'representations.0'],
  ])('%s: BAD_USER_INPUT at its index', async (_what, rep, field) => {
    const e = await refused(ENTITIES, { r: [rep] }, zone, field);
    expect(e.path).toEqual(['_entities', 0]);
  });

  test('in a batch, the bad representation fails at its index and the good ones resolve', async () => {
    const r = await t.gql(ENTITIES, { r: [{ __typename: 'Enterprise', uscc }, { __typename: 'Nope' }, { __typename: 'Enterprise', uscc: withCheckCharacter('91320509MA1MN0000') }] }, { token: zone });
    expect(r.body.data._entities[0]).toEqual({ __typename: 'Enterprise', uscc });
    expect(r.body.data._entities[1]).toBeNull();
    expect(r.body.data._entities[2]).toBeNull(); // well formed, not in the hub: null without an error
    expect(r.body.errors.map((e: GqlError) => [e.path, e.extensions.code, e.extensions.field])).toEqual([[['_entities', 1], 'BAD_USER_INPUT', 'representations.1.__typename']]);
  });
});
