import fs from 'node:fs';
import path from 'node:path';
import { runCatalogCheck } from '../../src/cli/catalog-check';
import { Db } from '../../src/db/datasource';
import { hubSchema } from '../../src/graphql/schema';
import { Catalog, loadCatalogFiles } from '../../src/modules/catalog/catalog-files';
import { CatalogService, loadIntoDatabase } from '../../src/modules/catalog/catalog.service';
import { Catalog1795950000000 } from '../../migrations/1795950000000-Catalog';
import { CatalogStatus1796500000000 } from '../../migrations/1796500000000-CatalogStatus';
import { RecordType } from '../../src/auth/policy';
import { cloneDatabase } from '../support/templates';
import { CATALOG_DIR, copyCatalog, editCatalogFile, newer, removeCatalogCopies } from '../support/catalog-copy';

/*
 * Loading the catalog files into the database: idempotent, exact (removed resources go), all or
 * nothing, and the sharing rules the policy reads follow every load. Then the catalog check
 * against the built GraphQL schema.
 */

const CATALOG = CATALOG_DIR;

let db: Db;
let service: CatalogService;

beforeAll(async () => {
  db = await cloneDatabase('empty');
  service = new CatalogService(db.ds);
  await service.refresh();
});
afterAll(async () => {
  await db.close();
  removeCatalogCopies();
});

function load(dir: string): Catalog {
  const { catalog, problems } = loadCatalogFiles(dir);
  expect(problems).toEqual([]);
  return catalog!;
}

async function snapshotOfTables(): Promise<unknown[]> {
  return db.ds.query(`SELECT 'r' AS t, code, updated_at::text AS at FROM catalog_resource
    UNION ALL SELECT 'c', table_name || ':' || code, updated_at::text FROM catalog_code
    UNION ALL SELECT 'p', code, updated_at::text FROM catalog_provider
    UNION ALL SELECT 'u', code, updated_at::text FROM catalog_purpose
    UNION ALL SELECT 'h', table_name, updated_at::text FROM catalog_code_table ORDER BY 1, 2`);
}

const real = load(CATALOG);

describe('loading the catalog', () => {
  test('the template already holds the catalog: loading the same files again changes nothing', async () => {
    const before = await snapshotOfTables();
    const r = await loadIntoDatabase(db.ds, newer(real));
    expect(r).toEqual({
      inserted: 0, updated: 0, deleted: 0, unchanged: real.resources.length,
      codes: { inserted: 0, updated: 0, deleted: 0, unchanged: expect.any(Number) },
    });
    expect(r.codes.unchanged).toBeGreaterThan(50);
    expect(await snapshotOfTables()).toEqual(before); // not even updated_at moved
    const [{ n }] = await db.ds.query('SELECT count(*)::int AS n FROM catalog_resource');
    expect(n).toBe(real.resources.length);
  });

  test('a changed file updates exactly that resource; a removed file deletes it', async () => {
    const dir = copyCatalog();
    editCatalogFile(dir, 'resources/surface-water-class.yaml', (t) => t.replace(/^name: .*$/m, 'name: 地表水断面水质类别月度评价结果'));
    const changed = await loadIntoDatabase(db.ds, newer(load(dir)));
    expect(changed).toMatchObject({ inserted: 0, updated: 1, deleted: 0, unchanged: real.resources.length - 1 });
    expect(changed.codes).toMatchObject({ inserted: 0, updated: 0, deleted: 0 });
    const [row] = await db.ds.query(`SELECT name, search_text FROM catalog_resource WHERE code = '211002/0003'`);
    expect(row.name).toBe('地表水断面水质类别月度评价结果');
    expect(row.search_text).toContain('月度评价');

    // A resource no other resource relates to and no record type depends on can go.
    const referenced = new Set(real.resources.flatMap((r) => r.related ?? []));
    const removable = real.resources.find((r) => !r.recordType && !referenced.has(r.code))!;
    const file = fs.readdirSync(path.join(dir, 'resources')).find((f) => fs.readFileSync(path.join(dir, 'resources', f), 'utf8').includes(`code: ${removable.code}\n`))!;
    fs.rmSync(path.join(dir, 'resources', file));
    const removed = await loadIntoDatabase(db.ds, newer(load(dir)));
    expect(removed).toMatchObject({ inserted: 0, updated: 0, deleted: 1, unchanged: real.resources.length - 1 });
    expect(await db.ds.query('SELECT code FROM catalog_resource WHERE code = $1', [removable.code])).toEqual([]);

    // Back to the real files: one inserted again, one updated back.
    const restored = await loadIntoDatabase(db.ds, newer(real));
    expect(restored).toMatchObject({ inserted: 1, updated: 1, deleted: 0, unchanged: real.resources.length - 2 });
  });

  test('a code table edit is counted under codes and shows in names at once', async () => {
    const dir = copyCatalog();
    editCatalogFile(dir, 'dimensions/functions.yaml', (t) => t.replace('name: 生态环境监测', 'name: 生态环境监测与评价'));
    const r = await loadIntoDatabase(db.ds, newer(load(dir)));
    expect(r).toMatchObject({ inserted: 0, updated: 0, deleted: 0, codes: { inserted: 0, updated: 1, deleted: 0 } });
    const [row] = await db.ds.query(`SELECT name FROM catalog_code WHERE table_name = 'functions' AND code = 'MONITORING'`);
    expect(row.name).toBe('生态环境监测与评价');
    await loadIntoDatabase(db.ds, newer(real));
  });

  test('all or nothing: a bad row midway leaves the previous catalog, and its sharing rules, intact', async () => {
    const before = await snapshotOfTables();
    const rulesBefore = service.sharingRules();
    const version = service.rulesVersion();
    const broken: Catalog = {
      ...real,
      // These change first (code tables, a deleted resource) and must be rolled back ...
      dimensions: { ...real.dimensions, functions: real.dimensions.functions.map((f) => ({ ...f, name: `${f.name}（改）` })) },
      resources: [
        ...real.resources.slice(1).map((r) => (r.recordType === 'INSPECTION' ? { ...r, sharing: { ...r.sharing, conditions: { purposes: ['RESEARCH'], legalBasis: 'x' } } } : r)),
        // ... when this row, a calendar date that does not exist, fails the resource statement.
        { ...real.resources[1], code: '211099/0001', publishedAt: '2026-02-30' },
      ],
    };
    await expect(loadIntoDatabase(db.ds, newer(broken))).rejects.toThrow(/date/i);
    expect(await snapshotOfTables()).toEqual(before);
    const [{ name }] = await db.ds.query(`SELECT name FROM catalog_code WHERE table_name = 'functions' AND code = 'MONITORING'`);
    expect(name).toBe(real.dimensions.functions.find((f) => f.code === 'MONITORING')!.name);
    expect(service.sharingRules()).toBe(rulesBefore);
    expect(service.rulesVersion()).toBe(version);
  });

  test('a database constraint guards what the files check: NOT_SHARED never open to the public', async () => {
    const notShared = real.resources.find((r) => r.sharing.type === 'NOT_SHARED')!;
    const bad: Catalog = { ...real, resources: real.resources.map((r) => (r === notShared ? { ...r, openToPublic: { open: true } } : r)) };
    await expect(loadIntoDatabase(db.ds, newer(bad))).rejects.toThrow(/ck_catalog_resource_not_shared_closed/);
  });
});

describe('the sharing rules the policy reads', () => {
  test('one rule per dossier record type, from its resource, with the roles of each purpose', () => {
    const rules = service.sharingRules();
    const declaring = real.resources.filter((r) => r.recordType);
    expect([...rules.keys()].sort()).toEqual(declaring.map((r) => r.recordType).sort());
    for (const r of declaring) {
      expect(rules.get(r.recordType!)).toEqual({
        recordType: r.recordType,
        catalogCode: r.code,
        sharingType: r.sharing.type,
        purposes: r.sharing.conditions?.purposes ?? [],
        legalBasis: r.sharing.conditions?.legalBasis ?? r.sharing.basis ?? null,
        openToPublic: r.openToPublic.open,
        items: (r.dataItems ?? []).flatMap((d) => (d.field ? [d.field] : [])),
      });
    }
    expect(Object.fromEntries(service.purposeRoles())).toEqual(Object.fromEntries(real.purposes.map((p) => [p.code, p.roles])));
  });

  test('a reload replaces them at once for every service on the database, without a refresh', async () => {
    const other = new CatalogService(db.ds); // e.g. another hub of this process on the same database
    const dir = copyCatalog();
    editCatalogFile(dir, 'resources/complaints-and-petitions.yaml', (t) => t.replace('purposes: [ ENFORCEMENT ]', 'purposes: [ ENFORCEMENT, EMERGENCY ]'));
    const version = service.rulesVersion();
    await loadIntoDatabase(db.ds, newer(load(dir)));
    expect(service.rulesVersion()).toBeGreaterThan(version);
    expect(other.sharingRules().get(RecordType.COMPLAINT)!.purposes).toEqual(['ENFORCEMENT', 'EMERGENCY']);
    await loadIntoDatabase(db.ds, newer(real));
    expect(service.sharingRules().get(RecordType.COMPLAINT)!.purposes).toEqual(['ENFORCEMENT']);
  });

  test('a load by another process is seen after refresh()', async () => {
    await db.ds.query(`UPDATE catalog_resource SET sharing_type = 'UNCONDITIONAL', sharing_conditions = NULL WHERE record_type = 'INSPECTION'`);
    expect(service.sharingRules().get(RecordType.INSPECTION)!.sharingType).toBe('CONDITIONAL');
    await service.refresh();
    expect(service.sharingRules().get(RecordType.INSPECTION)).toMatchObject({ sharingType: 'UNCONDITIONAL', purposes: [] });
    await loadIntoDatabase(db.ds, newer(real));
    expect(service.sharingRules().get(RecordType.INSPECTION)!.sharingType).toBe('CONDITIONAL');
  });

  test('before any load or refresh the rules are not silently empty', () => {
    const fresh = new CatalogService({} as never);
    expect(() => fresh.sharingRules()).toThrow(/refresh/);
  });
});

describe('the migration', () => {
  test('down drops the catalog tables and up makes them again', async () => {
    const qr = db.ds.createQueryRunner();
    try {
      const migration = new Catalog1795950000000();
      await migration.down(qr);
      expect(await qr.hasTable('catalog_resource')).toBe(false);
      await migration.up(qr);
      // The later migrations that change the catalog tables, as a fresh database runs them.
      await new CatalogStatus1796500000000().up(qr);
      expect(await qr.hasTable('catalog_resource')).toBe(true);
      const [{ indexdef }] = await qr.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_catalog_resource_search'`);
      expect(indexdef).toContain('gin_trgm_ops');
    } finally {
      await qr.release();
    }
    expect(await loadIntoDatabase(db.ds, newer(real))).toMatchObject({ inserted: real.resources.length, deleted: 0 });
  });
});

describe('catalog:check against the GraphQL schema', () => {
  const lineOf = (dir: string, rel: string, pattern: RegExp): number => fs.readFileSync(path.join(dir, rel), 'utf8').split('\n').findIndex((l) => pattern.test(l)) + 1;

  test('the real catalog passes: every entry point is a root field and every example query validates', async () => {
    const lines: string[] = [];
    expect(runCatalogCheck({ dir: CATALOG, schema: await hubSchema(), write: (l) => lines.push(l) })).toBe(0);
    expect(lines).toEqual([expect.stringMatching(/: \d+ resources .*, 0 problems$/)]);
  });

  test('an unknown entry point and an invalid example query are reported at their lines', async () => {
    const dir = copyCatalog();
    const entry = 'resources/surface-water-automatic.yaml';
    editCatalogFile(dir, entry, (t) => t.replace(/monitoringStations/g, 'groundwaterWells'));
    const example = 'resources/surface-water-sections.yaml';
    editCatalogFile(dir, example, (t) => t.replace('targetClass drinkingWaterSource', 'targetClass crossBorder'));
    const lines: string[] = [];
    expect(runCatalogCheck({ dir, schema: await hubSchema(), write: (l) => lines.push(l) })).toBe(1);
    expect(lines).toContain(`${entry}:${lineOf(dir, entry, /^entryPoint:/)}: entryPoint "groundwaterWells" is not a root field of the GraphQL schema`);
    expect(lines).toContain(`${entry}:${lineOf(dir, entry, /^ {4}groundwaterWells\(/)}: exampleQuery is not valid against the GraphQL schema: Cannot query field "groundwaterWells" on type "Query".`);
    expect(lines).toContain(`${example}:${lineOf(dir, example, /targetClass crossBorder/)}: exampleQuery is not valid against the GraphQL schema: Cannot query field "crossBorder" on type "MonitoringStation".`);
    expect(lines).toContain(`${entry}:${lineOf(dir, entry, /^entryPoint:/)}: the data this resource serves is answered by monitoringStations or monitoringStation, not groundwaterWells`);
    expect(lines[lines.length - 1]).toMatch(/, 4 problems$/);
  });
});
