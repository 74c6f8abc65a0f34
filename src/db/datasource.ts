import 'reflect-metadata';
import type { Extension, PGlite } from '@electric-sql/pglite';
import type { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { types as pgTypes } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { CountingLogger } from './sql-stats';

export interface Db {
  ds: DataSource;
  kind: 'postgres' | 'pglite';
  /** The embedded database, when there is one (tests clone it; the CLI closes it). */
  pglite?: PGlite;
  close(): Promise<void>;
}

export interface DbOptions {
  /** PostgreSQL URL; absent means embedded PGlite. */
  databaseUrl?: string;
  /** PGlite data folder, or `memory://`. Ignored with `databaseUrl` or `pglite`. */
  pgliteDir?: string;
  /** An already open PGlite (a test's clone of the migrated template). */
  pglite?: PGlite;
  poolSize?: number;
  /** Where slow-query and SQL-error reports go. */
  report?: (level: 'warn' | 'error', msg: string, data?: object) => void;
  /** Statement timeout in milliseconds on PostgreSQL (0 = none). */
  statementTimeoutMs?: number;
}

// A `date` is a calendar day, not an instant: keep PostgreSQL's 'YYYY-MM-DD' text instead of a
// local-midnight Date, so raw queries and entities agree and no time zone shifts a day.
pgTypes.setTypeParser(pgTypes.builtins.DATE, (v: string) => v);

const common = {
  type: 'postgres' as const,
  entities: ENTITIES,
  migrations: MIGRATIONS,
  synchronize: false,
  migrationsRun: false,
  migrationsTransactionMode: 'each' as const,
  uuidExtension: 'pgcrypto' as const,
  installExtensions: false,
  // One PGlite connection is shared by every request: waiting longer than this is an error, not a hang.
  connectTimeoutMS: 5000,
  maxQueryExecutionTime: 1000,
};

/**
 * PGlite's modules, loaded when the embedded database is opened: a hub on PostgreSQL never loads
 * them (a megabyte of source and what it builds, kept for the life of the process and counted in
 * every heap limit V8 sets after a full collection; docs/performance.md, "The live heap").
 */
function pgliteModules(): { PGlite: typeof PGlite; createPgConfig: typeof createPgConfig; pg_trgm: Extension } {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return {
    PGlite: (require('@electric-sql/pglite') as typeof import('@electric-sql/pglite')).PGlite,
    createPgConfig: (require('@electric-sql/pglite/node-postgres') as typeof import('@electric-sql/pglite/node-postgres')).createPgConfig,
    // The contrib entry points ship ESM-only type declarations; the CommonJS build loads fine at run time.
    pg_trgm: (require('@electric-sql/pglite/contrib/pg_trgm') as { pg_trgm: Extension }).pg_trgm,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/**
 * Opens an embedded PGlite with the extensions the hub uses (pg_trgm for catalog search): from a
 * data folder (or `memory://`), or from a dump of another instance (tests clone a template so).
 */
export async function openPglite(source: string | { loadDataDir: Blob }): Promise<PGlite> {
  const { PGlite, pg_trgm } = pgliteModules();
  const extensions = { pg_trgm };
  const pglite = await (typeof source === 'string' ? PGlite.create(source, { extensions }) : PGlite.create({ ...source, extensions }));
  // As on PostgreSQL (buildDataSource): named statements get one generic plan.
  await pglite.exec('SET plan_cache_mode = force_generic_plan');
  return pglite;
}

/**
 * Builds (without connecting) the hub's DataSource: PostgreSQL through `pg` when a URL is given,
 * otherwise PGlite through its own node-postgres adapter with a pool of one, so both run the same
 * driver, entities and migrations.
 */
export async function buildDataSource(opts: DbOptions): Promise<{ ds: DataSource; pglite?: PGlite; ownPglite: boolean }> {
  const logger = new CountingLogger(opts.report);
  if (opts.databaseUrl) {
    const options: DataSourceOptions = {
      ...common,
      url: opts.databaseUrl,
      poolSize: opts.poolSize ?? 10,
      logger,
      extra: {
        // The read engine's named statements are planned once, generically: a dossier's statement
        // takes longer to plan (about 3 ms) than to run, and its parameters do not change the best plan.
        // Unnamed statements (everything else) are planned per execution as always.
        options: '-c plan_cache_mode=force_generic_plan',
        statement_timeout: opts.statementTimeoutMs ?? 30000,
        connectionTimeoutMillis: 5000,
        application_name: 'eco-hub',
      },
    };
    return { ds: new DataSource(options), ownPglite: false };
  }
  const ownPglite = !opts.pglite;
  const pglite = opts.pglite ?? (await openPglite(opts.pgliteDir ?? 'memory://'));
  const ds = new DataSource({
    ...common,
    poolSize: 1,
    logger,
    extra: { ...pgliteModules().createPgConfig(pglite), idleTimeoutMillis: 0 },
  });
  return { ds, pglite, ownPglite };
}

/** Opens the hub's database (see `buildDataSource`). */
export async function createDb(opts: DbOptions): Promise<Db> {
  const { ds, pglite, ownPglite } = await buildDataSource(opts);
  await ds.initialize();
  return {
    ds,
    kind: pglite ? 'pglite' : 'postgres',
    pglite,
    close: async () => {
      if (ds.isInitialized) await ds.destroy();
      if (pglite && ownPglite) await pglite.close();
    },
  };
}

/** Runs pending migrations; returns the names of those it applied. */
export async function migrate(ds: DataSource): Promise<string[]> {
  const done = await ds.runMigrations({ transaction: 'each' });
  return done.map((m) => m.name);
}

/** True when every migration the code knows is applied. */
export async function migrationsUpToDate(ds: DataSource): Promise<boolean> {
  return !(await ds.showMigrations());
}
