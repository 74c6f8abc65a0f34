import 'reflect-metadata';
import { loadConfig } from './src/config';
import { acquireDataLock } from './src/db/data-lock';
import { buildDataSource } from './src/db/datasource';

/**
 * The DataSource the TypeORM CLI uses (`npx typeorm-ts-node-commonjs -d ormconfig.ts migration:show`):
 * PostgreSQL when DATABASE_URL is set, otherwise the embedded database in HUB_DATA_DIR.
 */
const config = loadConfig();
async function dataSource() {
  // The embedded folder is locked like every other opener's (src/db/data-lock.ts); the lock goes when the CLI exits.
  if (!config.databaseUrl) await acquireDataLock(config.dataDir, { command: 'typeorm', log: (m) => process.stderr.write(`${m}\n`) });
  return (await buildDataSource({ databaseUrl: config.databaseUrl, pgliteDir: config.databaseUrl ? undefined : `${config.dataDir}/pglite` })).ds;
}
export default dataSource();
