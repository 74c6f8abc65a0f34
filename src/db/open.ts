import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import { acquireDataLock, AcquireOptions, DataLock } from './data-lock';
import { createDb, Db } from './datasource';

export type DbReport = (level: 'warn' | 'error', msg: string, data?: object) => void;

export interface OpenOptions {
  /** What opens the database, as a refusal shows it to others (eco-hub, import…); the script's name by default. */
  command?: string;
  /** The refusal's advice when another process holds the embedded data folder (text, or a function of the holder). */
  hint?: AcquireOptions['hint'];
}

/** The configured database, with the lock of the embedded data folder when it is one. */
export type ConfiguredDb = Db & { lock?: DataLock };

/**
 * Opens the configured database: PostgreSQL with DATABASE_URL, else PGlite files in HUB_DATA_DIR/pglite.
 * The embedded folder is locked first (`data-lock.ts`): a second process would corrupt it, so one
 * that another process holds is refused (DataFolderInUseError, naming the holder); `close()` frees it.
 * PostgreSQL serves many processes itself and needs no lock; tests open clones and `memory://` without one.
 */
export async function openConfiguredDb(config: Config, report?: DbReport, o: OpenOptions = {}): Promise<ConfiguredDb> {
  const options = { databaseUrl: config.databaseUrl, pgliteDir: path.join(config.dataDir, 'pglite'), poolSize: config.dbPoolSize, report };
  if (config.databaseUrl) return createDb(options);
  // PGlite creates its own folder but not the parents: a new HUB_DATA_DIR would stop the start.
  mkdirSync(config.dataDir, { recursive: true });
  const lock = await acquireDataLock(config.dataDir, {
    command: o.command ?? path.basename(process.argv[1] ?? 'node').replace(/\.[cm]?[jt]s$/, ''),
    hint: o.hint,
    log: (message, details) => (report ? report('warn', message, details) : process.stderr.write(`${message}\n`)),
  });
  let db: Db;
  try {
    db = await createDb(options);
  } catch (err) {
    lock.release();
    throw err;
  }
  return {
    ...db,
    lock,
    close: async () => {
      try {
        await db.close();
      } finally {
        lock.release();
      }
    },
  };
}
