import { PUBLIC_PRINCIPAL, Principal, Role } from '../../src/auth/principal';
import { Db } from '../../src/db/datasource';
import { SqlStats, withSqlStats } from '../../src/db/sql-stats';
import { Jurisdiction } from '../../src/domain/jurisdictions';
import { buildContext, createServices, Services } from '../../src/graphql/context';
import { SpecName } from '../../src/modules/dossier/specs';
import { cloneDatabase } from '../support/templates';

/**
 * The scoped statements the services issue can be served by the (owner_jurisdiction, …) indexes:
 * with sequential scans priced out, the planner must pick an index for each of them (on a small
 * test database it would otherwise scan the table, which proves nothing).
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

async function statementsOf(principal: Principal, purpose: string | null, fn: (s: Services, ctx: ReturnType<typeof buildContext>) => Promise<unknown>) {
  const stats: SqlStats = { statements: 0, log: [] };
  const ctx = buildContext(services, principal, purpose as never, stats);
  await withSqlStats(stats, async () => {
    const page: any = await fn(services, ctx);
    await page?.totalCount;
  });
  return stats.log!;
}

async function plan(sql: string, params: unknown[] | undefined): Promise<string> {
  return db.ds.transaction(async (m) => {
    await m.query('SET LOCAL enable_seqscan = off');
    const rows: Array<Record<string, string>> = await m.query(`EXPLAIN ${sql}`, params);
    return rows.map((r) => Object.values(r)[0]).join('\n');
  });
}

const LISTS: Array<[SpecName, string]> = [
  ['penalty', 'ix_penalty_owner'], ['permit', 'ix_permit_owner_key'], ['inspection', 'ix_inspection_owner_key'],
  ['complaint', 'ix_complaint_owner_key'], ['credit', 'ix_credit_owner_key'], ['eia', 'ix_eia_owner_key'],
];

test.each(LISTS)('the %s list of a district reader is served by an owner index', async (name, index) => {
  const log = await statementsOf(reader(Jurisdiction.WUJIANG), null, (s, ctx) => s.dossier.list(ctx, name, {}, { first: 20 }));
  expect(log).toHaveLength(2); // the page and its count
  for (const { sql, params } of log) {
    expect(sql).toContain('owner_jurisdiction = ANY(');
    const p = await plan(sql, params);
    expect({ sql: sql.slice(0, 60), usesIndex: p.includes('ix_') }).toEqual({ sql: sql.slice(0, 60), usesIndex: true });
    if (sql.includes('count(*)')) expect(p).toMatch(new RegExp(index.replace('_key', '')));
  }
});

test('the enterprise list and the public\'s publicised penalties are index-served too', async () => {
  const ent = await statementsOf(reader(Jurisdiction.QINGPU), null, (s, ctx) => s.enterprises.list(ctx, { jurisdiction: Jurisdiction.QINGPU }, { first: 20 }));
  for (const { sql, params } of ent) expect(await plan(sql, params)).toMatch(/ix_enterprise_owner_uscc|UQ_/);
  const pub = await statementsOf(PUBLIC_PRINCIPAL, null, (s, ctx) => s.dossier.list(ctx, 'penalty', {}, { first: 20 }));
  expect(pub[0].sql).toContain('publicity_until >= current_date');
  expect(await plan(pub[0].sql, pub[0].params)).toMatch(/ix_penalty_owner/);
});
