import 'reflect-metadata';
import { loadConfig } from '../config';
import { migrate } from '../db/datasource';
import { openConfiguredDb } from '../db/open';
import { registerDemoDevices, registerDevice } from '../modules/ingest';
import { parseArgs, runCli } from './args';

/**
 * `npm run hj212:device -- --station P-WJ-01 --mn <MN> --pw <PW>` registers a monitoring point's data
 * logger for HJ 212 ingest; `--demo` gives every pollution source without one a demo MN and PW.
 */
runCli(async () => {
  const args = parseArgs(process.argv.slice(2), { station: 'string', mn: 'string', pw: 'string', demo: 'boolean' });
  if (!args.demo && !(args.station && args.mn && args.pw)) throw new Error('give --station, --mn and --pw, or --demo');
  const db = await openConfiguredDb(loadConfig(), undefined, {
    command: 'hj212:device',
    hint: 'stop it first, then run this again (the hub registers the demo loggers itself at every start)',
  });
  try {
    await migrate(db.ds);
    if (args.demo) {
      const devices = await registerDemoDevices(db.ds);
      for (const d of devices) process.stdout.write(`${d.station}\tMN=${d.mn}\tPW=${d.pw}\n`);
      if (devices.length === 0) process.stdout.write('every pollution-source station already has a device\n');
      return;
    }
    await registerDevice(db.ds, String(args.station), String(args.mn), String(args.pw));
    process.stdout.write(`registered MN ${args.mn} on station ${args.station}\n`);
  } finally {
    await db.close();
  }
});
