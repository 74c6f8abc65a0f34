import 'reflect-metadata';
import { loadConfig } from '../config';
import { migrate } from '../db/datasource';
import { openConfiguredDb } from '../db/open';
import { hubSchema } from '../graphql/schema';
import { CATALOG_CACHE_TAG, invalidateShared } from '../cache/cache';
import { createLogger } from '../logger';
import { catalogLoadChanged, defaultCatalogDir, formatProblem, loadCatalogFiles, loadIntoDatabase } from '../modules/catalog';
import { parseArgs, runCli } from './args';

/*
 * npm run catalog:load [-- --dir <catalog directory>]
 *
 * Checks the catalog files as `catalog:check` does and loads them into the configured database in
 * one transaction: new resources are inserted, changed ones updated, removed ones deleted, and a
 * second run with the same files changes nothing. Nothing is written when the check finds a
 * problem. The hub does the same at every start; this command is for a running PostgreSQL hub
 * (an embedded PGlite folder must not be opened while the hub holds it).
 */
runCli(async () => {
  const args = parseArgs(process.argv.slice(2), { dir: 'string' });
  const dir = (args.dir as string | undefined) ?? defaultCatalogDir();
  const { catalog, problems } = loadCatalogFiles(dir, { schema: await hubSchema() });
  if (!catalog) {
    for (const p of problems) process.stderr.write(`${formatProblem(p)}\n`);
    throw new Error(`${dir}: ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}; nothing was loaded`);
  }
  const config = loadConfig();
  const db = await openConfiguredDb(config);
  try {
    await migrate(db.ds);
    const r = await loadIntoDatabase(db.ds, catalog);
    process.stdout.write(
      `${dir}: ${catalog.resources.length} resources loaded: ${r.inserted} inserted, ${r.updated} updated, ${r.deleted} deleted, ${r.unchanged} unchanged`
      + ` (code tables, providers and purposes: ${r.codes.inserted} inserted, ${r.codes.updated} updated, ${r.codes.deleted} deleted, ${r.codes.unchanged} unchanged)\n`,
    );
    if (catalogLoadChanged(r)) {
      // Running hubs must stop serving catalog answers cached before this load.
      const cache = await invalidateShared({ redisUrl: config.redisUrl, namespace: config.cache.namespace, log: createLogger(config) }, CATALOG_CACHE_TAG);
      process.stdout.write(cache === 'invalidated' ? 'cached catalog answers retired in Redis\n'
        : cache === 'unreachable' ? `Redis did not answer: hubs may serve cached catalog answers for up to ${config.cache.ttlSeconds} s\n`
          : `no REDIS_URL: each hub's memory cache keeps catalog answers for up to ${config.cache.ttlSeconds} s\n`);
    }
  } finally {
    await db.close();
  }
});
