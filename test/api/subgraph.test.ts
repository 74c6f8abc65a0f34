import { District, Jurisdiction, jurisdictionInfo } from '../../src/domain/jurisdictions';
import { withCheckCharacter } from '../../src/domain/uscc';
import { enterpriseInput, make } from '../support/factories';
import { startTestHub, TestHub } from '../support/hub';

/**
 * The hub as an Apollo Federation v2 subgraph, called the way a router calls it: `_service` for
 * composition and `_entities` with representations. Entity lookups go through the same policy,
 * loaders and audit as direct queries.
 */
let t: TestHub;
let zone: string;
let wujiang: string;
const usccs: Record<string, string[]> = {};

/** Adds enterprises in one write, so the batch test has 500 real ones to ask for. */
async function addEnterprises(n: number, district: District): Promise<string[]> {
  const division = jurisdictionInfo(district).divisionCode!;
  const rows = await make(t.db.ds, 'enterprise', Array.from({ length: n }, (_, i) => enterpriseInput({
    jurisdiction: district, uscc: withCheckCharacter(`91${division}MF${String(i).padStart(6, '0')}0`), name: `联邦测试企业${i}有限公司`,
    industryName: null, address: '测试路2号', establishedOn: null, legalRepName: null, legalRepIdNumber: null,
  })));
  return rows.map((r) => r.uscc);
}

beforeAll(async () => {
  t = await startTestHub('demo');
  zone = await t.token('ZONE', ['DOSSIER_READER']);
  wujiang = await t.token('WUJIANG', ['DOSSIER_READER']);
  const rows: Array<{ uscc: string; j: string }> = await t.db.ds.query('SELECT uscc, owner_jurisdiction AS j FROM enterprise ORDER BY uscc');
  for (const r of rows) (usccs[r.j] ??= []).push(r.uscc);
});
afterAll(() => t.close());

const ENTITIES = `query Entities($reps: [_Any!]!) { _entities(representations: $reps) {
  __typename ... on Enterprise { uscc name jurisdiction } ... on MonitoringStation { code kind } ... on CatalogResource { code name sharingType } } }`;

const reps = (list: string[]) => list.map((uscc) => ({ __typename: 'Enterprise', uscc }));

describe('_service', () => {
  test('returns the subgraph SDL with the Federation v2 link and the three entity keys', async () => {
    const r = await t.gql('{ _service { sdl } }');
    expect(r.body.errors).toBeUndefined();
    const sdl: string = r.body.data._service.sdl;
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.3"');
    expect(sdl).toMatch(/type Enterprise\s+@key\(fields: "uscc"\)/);
    expect(sdl).toMatch(/type MonitoringStation\s+@key\(fields: "code"\)/);
    expect(sdl).toMatch(/type CatalogResource\s+@key\(fields: "code"\)/);
    expect(sdl).toMatch(/^scalar USCC/m);
  });
});

describe('_entities: Enterprise by uscc', () => {
  test('500 enterprises resolve with one lookup statement (plus the audit insert), the same as 5', async () => {
    const extra = await addEnterprises(500 - Object.values(usccs).flat().length, Jurisdiction.QINGPU);
    const all = [...Object.values(usccs).flat(), ...extra];
    expect(all).toHaveLength(500);
    const small = await t.gql(ENTITIES, { reps: reps(all.slice(0, 5)) }, { token: zone });
    const large = await t.gql(ENTITIES, { reps: reps(all) }, { token: zone });
    expect(large.body.errors).toBeUndefined();
    expect(large.body.data._entities).toHaveLength(500);
    expect(large.body.data._entities.map((e: any) => e?.uscc)).toEqual(all);
    // One statement: `… WHERE uscc = ANY($1)` for the whole batch, its audit insert in the same statement.
    expect(large.statements).toBe(1);
    expect(small.statements).toBe(large.statements);
    const audit: Array<{ n: number }> = await t.db.ds.query(
      `SELECT sum(record_count)::int AS n FROM audit_event WHERE request_id = $1 AND resource_type = 'ENTERPRISE'`, [large.headers['x-request-id']]);
    expect(audit[0].n).toBe(500);
  });

  test('nested lists under entities are batched too: 5 and 150 entities cost the same', async () => {
    const q = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Enterprise { uscc penalties { totalCount } creditStatus { level } } } }`;
    const all = Object.values(usccs).flat();
    const small = await t.gql(q, { reps: reps(all.slice(0, 5)) }, { token: zone });
    const large = await t.gql(q, { reps: reps(all) }, { token: zone });
    expect(large.body.errors).toBeUndefined();
    expect(large.statements).toBe(small.statements);
  });

  test('entities are read under the caller\'s policy: shared, masked, hidden, unknown', async () => {
    const unknown = withCheckCharacter('91320509MF9999990');
    const q = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Enterprise { uscc jurisdiction legalRepresentative { idNumber } } } }`;
    const withId = async (j: string): Promise<string> => (await t.db.ds.query(
      'SELECT uscc FROM enterprise WHERE owner_jurisdiction = $1 AND legal_rep_id_number IS NOT NULL ORDER BY uscc LIMIT 1', [j]))[0].uscc;
    const [w, qp] = [await withId('WUJIANG'), await withId('QINGPU')];
    const list = reps([w, qp, unknown]);
    // A Wujiang reader: enterprises are shared unconditionally, the ID number is masked outside the owner district.
    const r = await t.gql(q, { reps: list }, { token: wujiang });
    expect(r.body.errors).toBeUndefined();
    const [own, other, none] = r.body.data._entities;
    expect(own).toMatchObject({ uscc: w, jurisdiction: 'WUJIANG' });
    expect(other).toMatchObject({ uscc: qp, jurisdiction: 'QINGPU' });
    expect(none).toBeNull();
    expect(own.legalRepresentative.idNumber).toMatch(/^\d{17}[\dX]$/);
    expect(other.legalRepresentative.idNumber).toContain('*');
    expect(r.body.extensions.policy.masked).toHaveLength(1);
    // Without a dossier role each one is hidden: null and FORBIDDEN at its own index, saying what would open it.
    const noRole = await t.gql(q, { reps: list }, { token: await t.token('WUJIANG', ['CATALOG_READER']) });
    expect(noRole.body.data._entities).toEqual([null, null, null]);
    expect(noRole.body.errors.map((e: any) => [e.path, e.extensions.code, e.extensions.rule])).toEqual([
      [['_entities', 0], 'FORBIDDEN', 'role.required'], [['_entities', 1], 'FORBIDDEN', 'role.required'],
    ]);
  });

  test('no token: every enterprise is FORBIDDEN', async () => {
    const r = await t.gql(ENTITIES, { reps: reps(usccs.WUJIANG.slice(0, 3)) });
    expect(r.body.data._entities).toEqual([null, null, null]);
    expect(r.body.errors.map((e: any) => e.extensions.code)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
  });

  test('the key passes the USCC scalar: a malformed code is BAD_USER_INPUT at its index', async () => {
    const r = await t.gql(ENTITIES, { reps: [{ __typename: 'Enterprise', uscc: '91320509MF0000000Z' }, { __typename: 'Enterprise', uscc: usccs.WUJIANG[0] }] }, { token: wujiang });
    expect(r.body.data._entities[0]).toBeNull();
    expect(r.body.data._entities[1]).toMatchObject({ uscc: usccs.WUJIANG[0] });
    expect(r.body.errors[0]).toMatchObject({ path: ['_entities', 0], extensions: { code: 'BAD_USER_INPUT' } });
    expect(r.body.errors[0].message).toContain('check character');
  });
});

describe('_entities: MonitoringStation and CatalogResource by code', () => {
  test('stations resolve through the station loader in one statement, scoped like monitoringStation(code:)', async () => {
    const rows: Array<{ code: string; j: string }> = await t.db.ds.query('SELECT code, owner_jurisdiction AS j FROM monitoring_station ORDER BY code');
    expect(rows.length).toBeGreaterThan(3);
    const r = await t.gql(ENTITIES, { reps: rows.map((s) => ({ __typename: 'MonitoringStation', code: s.code })) }, { token: zone });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data._entities.map((e: any) => e.code)).toEqual(rows.map((s) => s.code));
    // One lookup statement for the batch, and the audit insert of the stations read (monitoring reads are audited).
    expect(r.statements).toBe(2);
    // Each station answers exactly as its root field does for the same caller.
    const code = rows[0].code;
    for (const token of [undefined, wujiang]) {
      const direct = await t.gql(`query($c: String!) { monitoringStation(code: $c) { code kind } }`, { c: code }, { token });
      const entity = await t.gql(ENTITIES, { reps: [{ __typename: 'MonitoringStation', code }] }, { token });
      expect(entity.body.data._entities[0]).toEqual(direct.body.data.monitoringStation ? { __typename: 'MonitoringStation', ...direct.body.data.monitoringStation } : null);
      expect(entity.body.errors?.[0]?.extensions?.code).toBe(direct.body.errors?.[0]?.extensions?.code);
    }
  });

  test('catalog resources: a public one resolves for anyone, a non-public one is FORBIDDEN without a token', async () => {
    const rows: Array<{ code: string; open: boolean }> = await t.db.ds.query('SELECT code, open_to_public AS open FROM catalog_resource ORDER BY code');
    const open = rows.find((r) => r.open)!;
    const closed = rows.find((r) => !r.open)!;
    const reps2 = [open, closed].map((r) => ({ __typename: 'CatalogResource', code: r.code }));
    const pub = await t.gql(ENTITIES, { reps: reps2 });
    expect(pub.body.data._entities[0]).toMatchObject({ __typename: 'CatalogResource', code: open.code });
    expect(pub.body.data._entities[1]).toBeNull();
    expect(pub.body.errors[0]).toMatchObject({ path: ['_entities', 1], extensions: { code: 'FORBIDDEN' } });
    const reader = await t.gql(ENTITIES, { reps: reps2 }, { token: await t.token('QINGPU', ['CATALOG_READER']) });
    expect(reader.body.errors).toBeUndefined();
    expect(reader.body.data._entities.map((e: any) => e.code)).toEqual([open.code, closed.code]);
  });
});
