import 'reflect-metadata';
import { loadConfig } from './src/config';
import { buildDataSource } from './src/db/datasource';

/**
 * The DataSource the TypeORM CLI uses (`npx typeorm-ts-node-commonjs -d ormconfig.ts migration:show`):
 * PostgreSQL when DATABASE_URL is set, otherwise the embedded database in HUB_DATA_DIR.
 */
const config = loadConfig();
export default buildDataSource({ databaseUrl: config.databaseUrl, pgliteDir: config.databaseUrl ? undefined : `${config.dataDir}/pglite` }).then((db) => db.ds);
