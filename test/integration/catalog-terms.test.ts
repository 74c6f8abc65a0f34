import request from 'supertest';
import { mintToken } from '../../src/auth/principal';
import { createDb, Db } from '../../src/db/datasource';
import { createLogger } from '../../src/logger';
import { CatalogVersionError, loadCatalogFiles, loadIntoDatabase } from '../../src/modules/catalog';
import { createHub, Hub } from '../../src/server';
import { CATALOG_DIR, copyCatalog, editCatalogFile, removeCatalogCopies } from '../support/catalog-copy';
import { TEST_SECRET, testConfig } from '../support/hub';
import { cloneDatabase } from '../support/templates';

/**
 * Terms reach every instance within seconds (issue 11): two hubs on one database, a catalog load
 * through a third connection (as `npm run catalog:load` from another process), and the other hub's
 * answers change without a restart — told by PostgreSQL NOTIFY, or on the embedded database by
 * PGlite's own notifications. Older files never replace the newer catalog.
 */
let db: Db;
let second: Db;
let loader: Db;
let a: Hub;
let b: Hub;
let reader: string;
let outlet: { code: string; n: number };

beforeAll(async () => {
  db = await cloneDatabase('demo');
  const url = (db.ds.options as { url?: string }).url;
  // On PostgreSQL the second hub and the loader have connections of their own to the same database. The
  // embedded database serves one connection, so there they share it; its notifications still reach both hubs.
  second = url ? await createDb({ databaseUrl: url, poolSize: 2 }) : db;
  loader = url ? await createDb({ databaseUrl: url, poolSize: 2 }) : db;
  const config = testConfig();
  a = await createHub(config, db.ds, createLogger(config), { pglite: db.pglite });
  b = await createHub(config, second.ds, createLogger(config), { pglite: db.pglite });
  await Promise.all([a.events.ready(), b.events.ready()]);
  reader = await mintToken({ secret: TEST_SECRET }, { sub: 'terms', org: 'WUJIANG-EEB', jurisdiction: 'WUJIANG' as never, roles: ['CATALOG_READER' as never] }, '1h');
  [outlet] = await db.ds.query(`SELECT s.code, count(o.*)::int AS n FROM monitoring_station s JOIN observation o ON o.station_id = s.id
    WHERE s.catalog_resource_code = '211004/0001' AND s.owner_jurisdiction <> 'WUJIANG' GROUP BY s.code ORDER BY s.code LIMIT 1`);
});

afterAll(async () => {
  await a?.stop();
  await b?.stop();
  if (second !== db) await second?.close();
  if (loader !== db) await loader?.close();
  await db?.close();
  removeCatalogCopies();
});

const observations = async (hub: Hub): Promise<number> => {
  const r = await request(hub.app).post('/graphql').set('authorization', `Bearer ${reader}`)
    .send({ query: `query($c: String!) { monitoringStation(code: $c) { observations(first: 500) { totalCount } } }`, variables: { c: outlet.code } });
  if (!r.body.data?.monitoringStation) throw new Error(JSON.stringify(r.body));
  return r.body.data.monitoringStation.observations.totalCount;
};

async function within(ms: number, check: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a catalog load by another process reaches every hub within seconds; older files are refused and change nothing', async () => {
  // Wastewater online monitoring is CONDITIONAL (ENFORCEMENT): another district's catalog reader reads none of an outlet's data.
  expect(outlet.n).toBeGreaterThan(0);
  expect(await observations(a)).toBe(0);
  expect(await observations(b)).toBe(0);

  // Version 3 of the catalog shares it unconditionally.
  const dir = copyCatalog();
  editCatalogFile(dir, 'catalog.yaml', (t) => t.replace(/^version: \d+$/m, (v) => `version: ${Number(v.split(' ')[1]) + 1}`));
  editCatalogFile(dir, 'resources/wastewater-online-monitoring.yaml', (t) => t
    .replace('  type: CONDITIONAL\n', '  type: UNCONDITIONAL\n')
    .replace(/  conditions:\n {4}purposes: .*\n {4}legalBasis: .*\n/, ''));
  const newer = loadCatalogFiles(dir);
  expect(newer.problems).toEqual([]);
  await loadIntoDatabase(loader.ds, newer.catalog!);

  // Both hubs take the new terms without a restart.
  expect(await within(10_000, async () => (await observations(b)) === outlet.n)).toBe(true);
  expect(await within(10_000, async () => (await observations(a)) === outlet.n)).toBe(true);

  // An instance started with the old files: its load is refused, and the newer terms stay in force everywhere.
  const older = loadCatalogFiles(CATALOG_DIR);
  await expect(loadIntoDatabase(loader.ds, older.catalog!)).rejects.toThrow(CatalogVersionError);
  await expect(loadIntoDatabase(loader.ds, older.catalog!)).rejects.toThrow(/newer than these files' version/);
  // Another content under the same version is refused too.
  editCatalogFile(dir, 'resources/wastewater-online-monitoring.yaml', (t) => t.replace('nameEn: Online monitoring data of wastewater from key dischargers', 'nameEn: Online monitoring of wastewater from key dischargers'));
  const sameVersion = loadCatalogFiles(dir);
  expect(sameVersion.problems).toEqual([]);
  await expect(loadIntoDatabase(loader.ds, sameVersion.catalog!)).rejects.toThrow(/already loaded with other content/);
  await new Promise((r) => setTimeout(r, 300));
  expect(await observations(b)).toBe(outlet.n);
  const [state] = await db.ds.query('SELECT version FROM catalog_state');
  expect(state.version).toBe(newer.catalog!.version);
}, 60_000);
