import 'reflect-metadata';
import { loadConfig } from '../config';
import { migrate } from '../db/datasource';
import { openConfiguredDb } from '../db/open';
import { runCli } from './args';

/** `npm run migrate`: applies pending migrations to the configured database. */
runCli(async () => {
  const config = loadConfig();
  const db = await openConfiguredDb(config, undefined, {
    command: 'migrate',
    hint: 'stop it first; the hub applies pending migrations itself at every start, so starting it again is enough',
  });
  try {
    const applied = await migrate(db.ds);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'nothing to apply: the schema is up to date\n');
  } finally {
    await db.close();
  }
});
