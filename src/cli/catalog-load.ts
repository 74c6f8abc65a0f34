import 'reflect-metadata';
import path from 'node:path';
import { loadConfig } from '../config';
import { migrate } from '../db/datasource';
import { HUB_COMMAND, shownPath } from '../db/data-lock';
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
 * problem. The hub does the same at every start; this command is for a running PostgreSQL hub.
 *
 * An embedded data folder that a running hub holds is not opened (exit 75): the files are checked
 * and the user is told to restart the hub, which loads them at start in one transaction and
 * retires the cached catalog answers. A reload endpoint was weighed and left out: it would be a
 * new administrative door into every embedded hub for what a restart of a few seconds does.
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
  const hubDir = defaultCatalogDir();
  const db = await openConfiguredDb(config, undefined, {
    command: 'catalog:load',
    hint: (holder) => holder.command !== HUB_COMMAND ? 'stop it first, then run this again'
      : `the catalog files check out (${catalog.resources.length} resources), and a hub loads its catalog files at every start: restart it to load them`
        + (path.resolve(dir) === path.resolve(hubDir) ? '' : ` (it reads ${shownPath(hubDir)}, not ${shownPath(path.resolve(dir))})`),
  });
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
