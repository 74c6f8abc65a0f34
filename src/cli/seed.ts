import 'reflect-metadata';
import { loadConfig } from '../config';
import { migrate } from '../db/datasource';
import { openConfiguredDb } from '../db/open';
import { hasData, seedDemoData } from '../seed/generator';
import { seedMonitoringData } from '../seed/monitoring';
import { seedEmergencyData } from '../seed/emergency';
import { AlertService, evaluateStoredData, loadWarningRules } from '../modules/warning';
import { parseArgs, runCli } from './args';

/** `npm run seed -- --enterprises N --seed S`: loads the demo data set into an empty database. */
runCli(async () => {
  const config = loadConfig();
  const args = parseArgs(process.argv.slice(2), { enterprises: 'number', seed: 'number', 'batch-size': 'number' });
  const enterprises = (args.enterprises as number | undefined) ?? config.demoEnterprises;
  const seed = (args.seed as number | undefined) ?? config.demoSeed;
  const db = await openConfiguredDb(config, undefined, {
    command: 'seed',
    hint: 'stop it first, or seed another folder (HUB_DATA_DIR=<empty folder> npm run seed)',
  });
  try {
    await migrate(db.ds);
    if (await hasData(db.ds)) throw new Error('the database already holds enterprises; seed an empty database (or remove HUB_DATA_DIR for the embedded one)');
    const started = Date.now();
    let lastTable = '';
    const result = await seedDemoData(db.ds, {
      enterprises,
      seed,
      batchSize: args['batch-size'] as number | undefined,
      onProgress: ({ table, done, total }) => {
        if (table !== lastTable) process.stderr.write(lastTable ? '\n' : '');
        lastTable = table;
        process.stderr.write(`\r  ${table.padEnd(14)} ${String(done).padStart(9)} / ${total}`);
      },
    });
    process.stderr.write(`\n  monitoring stations and observations…`);
    const monitoring = await seedMonitoringData(db.ds, { seed });
    process.stderr.write(`\n  risk sources and emergency resources…`);
    const emergency = await seedEmergencyData(db.ds, { seed });
    process.stderr.write(`\n  the warning rules over the monitoring series…`);
    const alerts = await evaluateStoredData(db.ds, new AlertService(db.ds, loadWarningRules(config.warningRulesFile)));
    const secs = (Date.now() - started) / 1000;
    const rows = Object.values(result).reduce((a, b) => a + b, 0) + monitoring.stations + monitoring.observations;
    process.stderr.write('\n');
    process.stdout.write(`seeded ${JSON.stringify({ ...result, ...monitoring, ...emergency, alerts: alerts.raised })} in ${secs.toFixed(1)} s (${Math.round(rows / secs)} rows/s, seed ${seed})\n`);
  } finally {
    await db.close();
  }
});
