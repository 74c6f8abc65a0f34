import './v8-tuning';
import 'reflect-metadata';
import type { Server } from 'node:http';
import { ConfigError, loadConfig } from './config';
import { CalendarFileError, loadCalendarFile } from './domain/calendar/calendar-file';
import { calendarFromFile } from './domain/calendar/working-days';
import { migrate } from './db/datasource';
import { DataFolderInUseError, HUB_COMMAND } from './db/data-lock';
import { openConfiguredDb } from './db/open';
import { hubSchema } from './graphql/schema';
import { createLogger } from './logger';
import { CATALOG_CACHE_TAG } from './cache/cache';
import { CatalogLoadResult, catalogLoadChanged, CatalogVersionError, defaultCatalogDir, formatProblem, loadCatalogFiles, loadIntoDatabase } from './modules/catalog';
import { hasData, seedDemoData } from './seed/generator';
import { seedMonitoringData } from './seed/monitoring';
import { seedEmergencyData } from './seed/emergency';
import { createHub } from './server';
import { backfillCreditChanges, startCreditExpiryJob } from './modules/feed';
import { AlertService, evaluateStoredData, loadWarningRules, startAlertJob } from './modules/warning';
import { maintainObservationStorage } from './modules/monitoring';
import { startReminderJob } from './modules/reminders';
import { maintainAuditStorage } from './modules/audit';
import { startPartitionJob } from './db/monthly-partitions';
import { startPositiveListExpiryJob } from './modules/enforcement/positive-list-expiry.job';
import { registerDemoDevices, startHj212Listener } from './modules/ingest';
import { startPeriodicJob } from './db/periodic-job';

/** How this machine reaches the listening hub: localhost unless it listens on one other address only. */
function localName(host: string | undefined): string {
  if (!host || ['127.0.0.1', '0.0.0.0', '::', '::1', 'localhost'].includes(host)) return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/** Starts the hub: config → database (migrated, demo data on a fresh embedded one) → HTTP server. */
async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfig();
  // The calendar file is checked before the database opens (createHub installs it): fail closed, naming the field.
  calendarFromFile(config.calendarFile, loadCalendarFile);
  const log = createLogger(config);
  // The embedded folder is locked for as long as this process has it open (see src/db/data-lock.ts).
  const db = await openConfiguredDb(config, (level, msg, data) => log[level](data ?? {}, msg), { command: HUB_COMMAND, hint: 'stop it first, or give this hub another HUB_DATA_DIR' });
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
  // A database that holds a newer catalog keeps it: this instance's files are older (another
  // instance, or catalog:load, brought newer terms), and restoring them would undo that for all.
  let loaded: CatalogLoadResult | null = null;
  try {
    loaded = await loadIntoDatabase(db.ds, catalog);
    log.info({ dir: catalogDir, version: catalog.version, ...loaded }, 'catalog loaded');
  } catch (err) {
    if (!(err instanceof CatalogVersionError)) throw err;
    log.warn({ dir: catalogDir, files: catalog.version, database: err.loadedVersion }, `catalog files not loaded: ${err.message}; serving the database's catalog`);
  }

  if (db.kind === 'pglite' && config.demoEnterprises > 0 && !(await hasData(db.ds))) {
    log.info({ enterprises: config.demoEnterprises, seed: config.demoSeed }, 'empty embedded database: loading demo data');
    const result = await seedDemoData(db.ds, { enterprises: config.demoEnterprises, seed: config.demoSeed });
    const monitoring = await seedMonitoringData(db.ds, { seed: config.demoSeed });
    const emergency = await seedEmergencyData(db.ds, { seed: config.demoSeed });
    const alerts = await evaluateStoredData(db.ds, new AlertService(db.ds, loadWarningRules(config.warningRulesFile)));
    log.info({ ...result, ...monitoring, ...emergency, alertsRaised: alerts.raised }, 'demo data loaded');
  }
  // Demo HJ 212 loggers on the demo pollution sources (MN/PW in the README); idempotent, so older demo databases get them too.
  if (db.kind === 'pglite' && config.demoEnterprises > 0) {
    const devices = await registerDemoDevices(db.ds);
    if (devices.length) log.info({ devices: devices.map((d) => `${d.station}=${d.mn}`) }, 'demo HJ 212 devices registered');
  }
  // Credit records that never had a change (the demo seed, loads older than the change log) get their first entries.
  const backfilled = await backfillCreditChanges(db.ds);
  if (backfilled) log.info({ entries: backfilled }, 'credit feed: first entries of unlogged credit records appended');

  const hub = await createHub(config, db.ds, log, { pglite: db.pglite });
  // A catalog that changed at this start retires what was cached from the old one (in Redis: for every instance).
  if (loaded && catalogLoadChanged(loaded)) await hub.ops.cache.invalidate(CATALOG_CACHE_TAG);
  // HUB_HOST: loopback only in development and test, every interface in production (src/config.ts).
  await new Promise<void>((resolve) => hub.httpServer.listen(config.port, config.host, resolve));
  const address = hub.httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  // The lock tells the writing commands (npm run import) where to send their work while this hub holds the folder.
  db.lock?.setUrl(loopbackUrl(address, port));
  log.info({ port, host: config.host ?? '(every interface)', database: db.kind, ms: Date.now() - started }, 'eco-hub listening');
  if (config.nodeEnv === 'development' && config.host !== '127.0.0.1' && config.host !== '::1' && config.host !== 'localhost') {
    log.warn({ host: config.host ?? '(every interface)' }, 'a development hub (stack traces in answers) listens beyond this machine');
  }
  if (!config.publicUrl) log.warn('HUB_PUBLIC_URL is not set: GET /catalog/dcat.jsonld answers 503 until it is');
  const expiry = startCreditExpiryJob(db.ds, { intervalSeconds: config.expiryIntervalSeconds, log });
  const listExpiry = startPositiveListExpiryJob(db.ds, { intervalSeconds: config.positiveListExpiryIntervalSeconds, log, clock: hub.services.clock });
  // Monthly partitions of the observations and the audit log made ahead, and their retention.
  const storage = startPartitionJob(config.observationStorage.intervalSeconds, async () => ({
    observation: await maintainObservationStorage(db.ds, config.observationStorage),
    audit: await maintainAuditStorage(db.ds, { monthsAhead: config.observationStorage.monthsAhead, retentionMonths: config.auditRetentionMonths }),
  }), log, (r) => r.observation.created.length + r.observation.dropped.length + r.audit.created.length + r.audit.dropped.length + r.audit.leftInDefault.length > 0);
  const hj212 = config.hj212Port ? await startHj212Listener({ port: config.hj212Port, ds: db.ds, log, settings: config.hj212, hooks: hub.ingestHooks }) : null;
  const rules = hub.services.alerts.rules;
  const alertJob = startAlertJob(hub.services.alerts, { intervalSeconds: config.alertIntervalSeconds ?? rules.evaluation.intervalSeconds, lookbackHours: rules.evaluation.lookbackHours, log,
    onSuccess: (at) => hub.ops.metrics.alertJobLastSuccess.set(at.getTime() / 1000) });
  // Webhook deliveries: every instance takes part; the leases keep two from posting the same event.
  const webhooks = startPeriodicJob(() => hub.webhookDelivery.runOnce(), {
    name: 'webhook delivery', intervalSeconds: config.webhooks.intervalSeconds, log,
    onFailure: 'queued events and feed batches wait in the database',
    report: (r) => (r.delivered + r.retrying + r.failed > 0 ? `webhooks: ${r.delivered} delivered, ${r.retrying} to retry, ${r.failed} failed` : null),
  });
  // Compliance reminders on the hub clock's day: filed idempotently, then delivered on eco_hub_reminders (docs/reminders.md).
  const reminderJob = startReminderJob(hub.services.reminders, { intervalSeconds: config.reminderIntervalSeconds ?? hub.services.reminders.rules.evaluation.intervalSeconds, log,
    onSuccess: (at) => hub.ops.metrics.reminderJobLastSuccess.set(at.getTime() / 1000) });
  const lines = [
    '',
    `  Eco-hub is up on http://${localName(config.host)}:${port}/graphql  (${db.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'})`,
    `  Health: http://${localName(config.host)}:${port}/healthz   Ready: http://${localName(config.host)}:${port}/readyz`,
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
  // pino writes asynchronously: an exit straight after the last line would lose it.
  const exitAfterLog = (code: number): void => log.flush(() => process.exit(code));
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing in-flight requests');
    // Apollo's drain gives in-flight requests 10 s, then closes their connections; this is the last resort.
    const force = setTimeout(() => {
      log.error('shutdown took longer than 15 s: exiting anyway');
      process.exit(1);
    }, 15000);
    force.unref();
    try {
      await expiry.stop(); // background writers first: they need the database too
      await listExpiry.stop();
      await alertJob.stop();
      await webhooks.stop();
      await reminderJob.stop();
      await storage.stop();
      await hj212?.close();
      await hub.stop(); // readiness 503, stop accepting, finish in-flight requests, close the cache store
      await db.close(); // only then the pool: in-flight requests may still need it
      log.info('stopped');
      exitAfterLog(0);
    } catch (err) {
      log.error({ err }, 'shutdown failed');
      exitAfterLog(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/** Where a process on this machine reaches the server: the loopback address of the interface it listens on. */
function loopbackUrl(address: ReturnType<Server['address']>, port: number): string {
  const host = typeof address === 'object' && address ? address.address : '';
  if (host === '' || host === '::' || host === '0.0.0.0' || host === '::ffff:0.0.0.0') return `http://127.0.0.1:${port}`;
  return host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}

main().catch((err) => {
  if (err instanceof DataFolderInUseError) {
    process.stderr.write(`eco-hub will not start: ${err.message}\n`);
    process.exit(err.exitCode);
  }
  if (err instanceof ConfigError) {
    process.stderr.write(`configuration error: ${err.message}\n`);
    process.exit(2);
  }
  if (err instanceof CalendarFileError) {
    process.stderr.write(`eco-hub will not start: the official calendar file (HUB_CALENDAR_FILE) is refused: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`eco-hub failed to start: ${err?.stack ?? err}\n`);
  process.exit(1);
});
