import 'reflect-metadata';
import { ConfigError, loadConfig } from './config';
import { migrate } from './db/datasource';
import { openConfiguredDb } from './db/open';
import { hubSchema } from './graphql/schema';
import { createLogger } from './logger';
import { defaultCatalogDir, formatProblem, loadCatalogFiles, loadIntoDatabase } from './modules/catalog';
import { hasData, seedDemoData } from './seed/generator';
import { seedMonitoringData } from './seed/monitoring';
import { createHub } from './server';

/** Starts the hub: config → database (migrated, demo data on a fresh embedded one) → HTTP server. */
async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfig();
  const log = createLogger(config);
  const db = await openConfiguredDb(config, (level, msg, data) => log[level](data ?? {}, msg));
  const applied = await migrate(db.ds);
  if (applied.length) log.info({ migrations: applied }, 'migrations applied');

  // The catalog files are the source of truth: checked as `npm run catalog:check` does, loaded
  // (idempotently) on every start, and a catalog with problems keeps the hub from starting.
  const catalogDir = defaultCatalogDir();
  const { catalog, problems } = loadCatalogFiles(catalogDir, { schema: await hubSchema() });
  if (!catalog) {
    process.stderr.write(`eco-hub will not start: the catalog in ${catalogDir} has ${problems.length} problem(s)\n${problems.map(formatProblem).join('\n')}\n`);
    await db.close();
    process.exit(1);
  }
  log.info({ dir: catalogDir, ...(await loadIntoDatabase(db.ds, catalog)) }, 'catalog loaded');

  if (db.kind === 'pglite' && config.demoEnterprises > 0 && !(await hasData(db.ds))) {
    log.info({ enterprises: config.demoEnterprises, seed: config.demoSeed }, 'empty embedded database: loading demo data');
    const result = await seedDemoData(db.ds, { enterprises: config.demoEnterprises, seed: config.demoSeed });
    const monitoring = await seedMonitoringData(db.ds, { seed: config.demoSeed });
    log.info({ ...result, ...monitoring }, 'demo data loaded');
  }

  const hub = await createHub(config, db.ds, log);
  await new Promise<void>((resolve) => hub.httpServer.listen(config.port, resolve));
  const address = hub.httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log.info({ port, database: db.kind, ms: Date.now() - started }, 'eco-hub listening');
  const lines = [
    '',
    `  Eco-hub is up on http://localhost:${port}/graphql  (${db.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'})`,
    `  Health: http://localhost:${port}/healthz   Ready: http://localhost:${port}/readyz`,
  ];
  if (config.jwtSecretGenerated) {
    lines.push(
      `  Development secret: ${config.dataDir}/dev-jwt-secret`,
      '  Mint a token:  npm run token -- --jurisdiction WUJIANG --roles DOSSIER_READER',
      '  Then send it:  Authorization: Bearer <token>',
    );
  }
  process.stdout.write(lines.join('\n') + '\n\n');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => process.exit(1), 15000);
    force.unref();
    await hub.stop();
    await db.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`configuration error: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`eco-hub failed to start: ${err?.stack ?? err}\n`);
  process.exit(1);
});
