import { execute, parse } from 'graphql';
import { PUBLIC_PRINCIPAL, Principal, Role } from '../../src/auth/principal';
import { Db } from '../../src/db/datasource';
import { SqlStats, withSqlStats } from '../../src/db/sql-stats';
import { Jurisdiction } from '../../src/domain/jurisdictions';
import { buildContext, createServices, Purpose, Services } from '../../src/graphql/context';
import { hubSchema } from '../../src/graphql/schema';
import { cloneDatabase } from '../support/templates';

/**
 * The statements the read engine writes can be served by indexes: the (owner_jurisdiction, …)
 * indexes for scoped lists and counts, the unique keys for lookups by natural key, the primary key
 * for lookups by id. With sequential scans priced out, the planner must find an index for every
 * table it reads (on a small test database it would otherwise scan, which proves nothing).
 */
let db: Db;
let services: Services;
beforeAll(async () => {
  db = await cloneDatabase('demo');
  services = createServices(db.ds);
  await services.catalog.refresh();
});
afterAll(() => db.close());

const reader = (j: Jurisdiction, roles: Role[] = [Role.DOSSIER_READER]): Principal => ({ kind: 'user', sub: 's', org: 'o', jurisdiction: j, roles });

/** Runs a GraphQL read as `principal` and returns the SQL it sent. */
async function statementsOf(principal: Principal, query: string, variables: Record<string, unknown> = {}, purpose: Purpose | null = null) {
  const stats: SqlStats = { statements: 0, log: [] };
  const ctx = buildContext(services, principal, purpose, stats);
  const schema = await hubSchema();
  const result = await withSqlStats(stats, () => execute({ schema, document: parse(query), variableValues: variables, contextValue: ctx }));
  expect(result.errors).toBeUndefined();
  return stats.log!;
}

async function plan(sql: string, params: unknown[] | undefined): Promise<string> {
  return db.ds.transaction(async (m) => {
    await m.query('SET LOCAL enable_seqscan = off');
    const rows: Array<Record<string, string>> = await m.query(`EXPLAIN ${sql}`, params);
    return rows.map((r) => Object.values(r)[0]).join('\n');
  });
}

const TABLES = ['enterprise', 'eia_approval', 'permit', 'inspection', 'penalty', 'complaint', 'credit_record'];

/** Every dossier table the plan reads, read through an index. */
function expectNoTableScan(p: string): void {
  for (const t of TABLES) expect({ table: t, scanned: new RegExp(`Seq Scan on ${t}\\b`).test(p) }).toEqual({ table: t, scanned: false });
}

const LISTS: Array<[string, string, string]> = [
  ['penalties', 'decisionNo', 'ix_penalty_owner'], ['permits', 'permitNo', 'ix_permit_owner_key'], ['inspections', 'inspectionNo', 'ix_inspection_owner_key'],
  ['complaints', 'ticketNo', 'ix_complaint_owner_key'], ['creditRecords', 'recordNo', 'ix_credit_owner_key'], ['eiaApprovals', 'approvalNo', 'ix_eia_owner_key'],
];

test.each(LISTS)('the %s list of a district reader, with its count, is one statement served by an owner index', async (field, key, index) => {
  const log = await statementsOf(reader(Jurisdiction.WUJIANG), `{ ${field}(first: 20) { totalCount edges { node { ${key} } } } }`);
  expect(log).toHaveLength(1);
  const [{ sql, params }] = log;
  expect(sql).toContain('owner_jurisdiction = ANY(');
  const p = await plan(sql, params);
  expectNoTableScan(p);
  expect(p).toMatch(new RegExp(index.replace('_key', '')));
});

test('the enterprise list with nested records, and the public\'s publicised penalties, are index-served too', async () => {
  const [ent] = await statementsOf(reader(Jurisdiction.QINGPU), `{ enterprises(first: 20, filter: { jurisdiction: QINGPU }) { totalCount edges { node { uscc
    penalties(first: 5) { totalCount edges { node { decisionNo } } } creditStatus { level blacklisted } } } } }`);
  const p = await plan(ent.sql, ent.params);
  expectNoTableScan(p);
  expect(p).toMatch(/ix_enterprise_owner_uscc|UQ_/);
  expect(p).toMatch(/ix_penalty_enterprise/);
  const [pub] = await statementsOf(PUBLIC_PRINCIPAL, '{ penalties(first: 20) { edges { node { decisionNo } } } }');
  expect(pub.sql).toContain('publicity_until >= current_date');
  expect(await plan(pub.sql, pub.params)).toMatch(/ix_penalty_owner/);
});

test('lookups by key compare keys as their own type: a USCC by its unique index, an id (uuid) by the primary key', async () => {
  const [{ uscc, id }] = await db.ds.query(`SELECT uscc, id FROM enterprise ORDER BY uscc LIMIT 1`);
  const [byUscc] = await statementsOf(reader(Jurisdiction.ZONE), 'query($u: USCC!) { enterprise(uscc: $u) { name } }', { u: uscc });
  const p1 = await plan(byUscc.sql, byUscc.params);
  expectNoTableScan(p1);
  expect(p1).toMatch(/Index (Only )?Scan using "?UQ_\w+"? on enterprise/);
  // A pollution-source outlet's enterprise is looked up by id.
  const [station] = await db.ds.query(`SELECT code FROM monitoring_station WHERE enterprise_id IS NOT NULL ORDER BY code LIMIT 1`);
  const log = await statementsOf(reader(Jurisdiction.ZONE), 'query($c: String!) { monitoringStation(code: $c) { enterprise { uscc } } }', { c: station.code });
  const byId = log.find((s) => s.sql.includes('uuid[]'))!;
  expect(byId.sql).toContain('t.id = ANY(');
  const p2 = await plan(byId.sql, byId.params);
  expectNoTableScan(p2);
  expect(p2).toMatch(/Index Scan using "?PK_\w+"? on enterprise/);
  void id;
});

test('a month\'s water class and AQI read the daily and hourly aggregates through their keys; observation lists walk each partition\'s (station, time) index', async () => {
  const principal = reader(Jurisdiction.ZONE);
  const water = await statementsOf(principal, `{ waterQuality(stationCode: "W-JS-02", from: "2026-09-01", to: "2026-09-30", period: MONTH) { periodStart waterClass sampleCount } }`);
  const waterSql = water.find((s) => s.sql.includes('observation_daily'))!;
  expect(waterSql.sql).not.toMatch(/\bobservation o\b/);
  const wp = await plan(waterSql.sql, waterSql.params);
  expect(wp).toMatch(/pk_observation_daily\b/);
  expect(wp).toMatch(/pk_observation_daily_samples/);
  expect(wp).not.toMatch(/Seq Scan on observation/);

  const air = await statementsOf(principal, `{ airQuality(stationCode: "A-QP-02", from: "2026-09-01", to: "2026-09-30", report: DAILY) { date aqi } }`);
  const airSql = air.find((s) => s.sql.includes('observation_daily'))!;
  const ap = await plan(airSql.sql, airSql.params);
  expect(ap).toMatch(/pk_observation_daily\b/);
  expect(ap).toMatch(/pk_observation_hourly\b/);
  expect(ap).not.toMatch(/Seq Scan on observation/);

  const list = await statementsOf(principal, `{ monitoringStation(code: "W-JS-02") { observations(first: 5, from: "2026-09-01T00:00:00Z", to: "2026-09-30T00:00:00Z") { edges { node { parameter } } } } }`);
  const listSql = list.find((s) => s.sql.includes('FROM observation o'))!;
  const lp = await plan(listSql.sql, listSql.params);
  expect(lp).toMatch(/observation_p202609_station_id_observed_at_parameter_idx|ix_observation_station_time|observation_p202609_station_id_parameter_observed_at_key/);
  expect(lp).not.toMatch(/Seq Scan on observation/);
  // Partitions outside the range are pruned: October's partition is not read.
  expect(lp).not.toMatch(/observation_p202610/);
});
