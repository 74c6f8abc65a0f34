import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createDb, Db, migrate, openPglite } from '../../src/db/datasource';
import { seedDemoData } from '../../src/seed/generator';
import { seedMonitoringData } from '../../src/seed/monitoring';
import { seedEmergencyData } from '../../src/seed/emergency';
import { evaluateStoredData } from '../../src/modules/warning';
import { defaultCatalogDir, formatProblem, loadCatalogFiles, loadIntoDatabase } from '../../src/modules/catalog';

/**
 * Test databases are cloned from templates made once per run (global setup): `empty` is migrated,
 * `demo` is migrated and seeded. On PGlite a template is a data-dir dump; on PostgreSQL a
 * template database that `CREATE DATABASE … TEMPLATE` copies.
 */
export type TemplateName = 'empty' | 'demo';

export const DEMO_TEMPLATE = { enterprises: 150, seed: 7 };

const runDir = () => process.env.HUB_TEST_RUN_DIR ?? path.join(os.tmpdir(), 'eco-hub-test');

export function pgUrlFor(base: string, database: string): string {
  const u = new URL(base);
  u.pathname = '/' + database;
  return u.toString();
}

function templateDbName(base: string, name: TemplateName): string {
  return `${new URL(base).pathname.slice(1) || 'postgres'}_tpl_${name}`;
}

async function admin<T>(base: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: pgUrlFor(base, 'postgres') });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function prepare(db: Db, name: TemplateName): Promise<void> {
  await migrate(db.ds);
  // Both templates hold the catalog, as every started hub does.
  const { catalog, problems } = loadCatalogFiles(defaultCatalogDir());
  if (!catalog) throw new Error(`the catalog has problems:\n${problems.map(formatProblem).join('\n')}`);
  await loadIntoDatabase(db.ds, catalog);
  if (name === 'demo') {
    await seedDemoData(db.ds, DEMO_TEMPLATE);
    await seedMonitoringData(db.ds, { seed: DEMO_TEMPLATE.seed, days: 60 });
    await seedEmergencyData(db.ds, { seed: DEMO_TEMPLATE.seed });
    // The alerts the warning rules raise on the demo series, as a started demo hub holds them.
    await evaluateStoredData(db.ds);
  }
}

/** Builds both templates (global setup). */
export async function buildTemplates(): Promise<void> {
  const base = process.env.DATABASE_URL;
  if (base) {
    for (const name of ['empty', 'demo'] as const) {
      const tpl = templateDbName(base, name);
      await admin(base, async (c) => {
        await c.query(`DROP DATABASE IF EXISTS "${tpl}" WITH (FORCE)`);
        await c.query(`CREATE DATABASE "${tpl}"`);
      });
      const db = await createDb({ databaseUrl: pgUrlFor(base, tpl), poolSize: 2 });
      try {
        await prepare(db, name);
      } finally {
        await db.close();
      }
    }
    return;
  }
  mkdirSync(runDir(), { recursive: true });
  const pglite = await openPglite('memory://');
  const db = await createDb({ pglite });
  try {
    for (const name of ['empty', 'demo'] as const) {
      await prepare(db, name);
      const dump = await pglite.dumpDataDir('none');
      writeFileSync(path.join(runDir(), `${name}.tar`), Buffer.from(await dump.arrayBuffer()));
    }
  } finally {
    await db.close();
    await pglite.close();
  }
}

/** Drops what the run created on PostgreSQL (global teardown). */
export async function dropTemplates(): Promise<void> {
  const base = process.env.DATABASE_URL;
  if (!base) return;
  const prefix = `${new URL(base).pathname.slice(1) || 'postgres'}_t`;
  await admin(base, async (c) => {
    const { rows } = await c.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [prefix.replace(/_/g, '\\_') + '%']);
    for (const r of rows) await c.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
  });
}

let counter = 0;

/** A fresh database for one test file, cloned from a template; close it in afterAll. */
export async function cloneDatabase(name: TemplateName = 'empty'): Promise<Db> {
  const base = process.env.DATABASE_URL;
  if (base) {
    const dbName = `${new URL(base).pathname.slice(1) || 'postgres'}_t${process.pid}_${++counter}_${name}`;
    await admin(base, async (c) => {
      await c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      await c.query(`CREATE DATABASE "${dbName}" TEMPLATE "${templateDbName(base, name)}"`);
    });
    const db = await createDb({ databaseUrl: pgUrlFor(base, dbName), poolSize: 4 });
    return {
      ...db,
      close: async () => {
        await db.close();
        await admin(base, (c) => c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`));
      },
    };
  }
  const file = path.join(runDir(), `${name}.tar`);
  if (!existsSync(file)) throw new Error(`test template ${file} is missing: run the tests through jest (global setup builds it)`);
  const pglite = await openPglite({ loadDataDir: new Blob([readFileSync(file)]) });
  return createDb({ pglite }).then((db) => ({
    ...db,
    close: async () => {
      await db.close();
      await pglite.close();
    },
  }));
}
