import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import { createDb, Db } from './datasource';

/** Opens the configured database: PostgreSQL with DATABASE_URL, else PGlite files in HUB_DATA_DIR/pglite. */
export function openConfiguredDb(config: Config, report?: (level: 'warn' | 'error', msg: string, data?: object) => void): Promise<Db> {
  // PGlite creates its own folder but not the parents: a new HUB_DATA_DIR would stop the start.
  if (!config.databaseUrl) mkdirSync(config.dataDir, { recursive: true });
  return createDb({
    databaseUrl: config.databaseUrl,
    pgliteDir: path.join(config.dataDir, 'pglite'),
    poolSize: config.dbPoolSize,
    report,
  });
}
