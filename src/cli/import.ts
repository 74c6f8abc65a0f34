import 'reflect-metadata';
import path from 'node:path';
import { Principal, Role } from '../auth/principal';
import { loadConfig } from '../config';
import { migrate } from '../db/datasource';
import { DataLockInfo, describeHolder, HUB_COMMAND, readDataLock, shownPath } from '../db/data-lock';
import { openConfiguredDb } from '../db/open';
import { DISTRICTS, isDistrict, Jurisdiction } from '../domain/jurisdictions';
import { importFile, ImportProgress } from '../modules/dossier/record-import';
import { RecordWriter } from '../modules/dossier/record-writer';
import { IMPORT_DIALECTS, IMPORT_TYPES, WRITE_SPECS } from '../modules/dossier/write-specs';
import { parseArgs, runCli } from './args';
import { HubBatchWriter } from './hub-writer';
import { ProgressBar } from './progress';

/*
 * npm run import -- --type penalties --file data.csv|data.jsonl --jurisdiction WUJIANG
 *   [--batch-size 500] [--source SYSTEM] [--as-of 2026-03-01T00:00:00+08:00] [--format csv|jsonl]
 *
 * Imports one record type through the writer the mutations use, acting as the named district's
 * data steward, so rule 6 holds: rows of another district are rejected like any bad row. Rejected
 * lines go to <file>.rejects.jsonl with their reasons; a summary goes to stdout, progress to stderr.
 *
 * When a running hub holds the embedded data folder, the import does not open it (a second process
 * would corrupt it): it sends its batches to that hub's batch mutations instead (`hub-writer.ts`),
 * signed with the secret the hub verifies, and reports the same summary. Another command holding
 * the folder (seed, migrate…) makes it stop with exit status 75 and the holder's name.
 */

/** The principal an import writes as: the district's data steward, never the system. */
export function importPrincipal(jurisdiction: Jurisdiction): Principal {
  return Object.freeze({ kind: 'user', sub: 'import-cli', org: `${jurisdiction}-EEB`, jurisdiction, roles: Object.freeze([Role.DATA_STEWARD]) });
}

/** One summary line, for people and for scripts that grep it. */
export function summaryLine(s: ImportProgress & { seconds: number; rowsPerSecond: number; rejectsFile: string | null }): string {
  return `imported ${s.rows} rows in ${s.seconds.toFixed(1)} s (${Math.round(s.rowsPerSecond)} rows/s): inserted ${s.inserted}, updated ${s.updated}, `
    + `unchanged ${s.unchanged}, rejected ${s.rejected}${s.rejectsFile ? ` (see ${s.rejectsFile})` : ''}`;
}

/** How long the import waits for a hub that holds the folder but does not listen yet (demo data loading). */
const HUB_START_WAIT_MS = 180_000;

/**
 * The hub that holds the embedded data folder and answers on this machine, or null (no lock, a
 * stale one, or another command's: opening the folder then takes it over or refuses). A hub still
 * starting is waited for until it listens.
 */
export async function runningHub(dataDir: string, waitMs = HUB_START_WAIT_MS): Promise<DataLockInfo | null> {
  const started = Date.now();
  for (let told = false; ; told = true) {
    const lock = readDataLock(dataDir);
    if (!lock || !lock.state.alive || !lock.state.checked || lock.holder.command !== HUB_COMMAND) return null;
    if (lock.holder.url) return lock;
    if (Date.now() - started > waitMs) return null;
    if (!told) process.stderr.write(`${describeHolder(lock.holder)} holds ${shownPath(dataDir)} and is starting: waiting until it listens…\n`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

if (require.main === module) {
  runCli(async () => {
    const args = parseArgs(process.argv.slice(2), {
      type: 'string', file: 'string', jurisdiction: 'string', 'batch-size': 'number', source: 'string', 'as-of': 'string', format: 'string',
    });
    const type = String(args.type ?? '');
    const name = IMPORT_TYPES[type];
    if (!name) throw new Error(`--type must be one of ${Object.keys(IMPORT_TYPES).join(', ')}; got "${type}"`);
    if (!args.file) throw new Error('--file is required');
    const jurisdiction = String(args.jurisdiction ?? '');
    if (!isDistrict(jurisdiction)) throw new Error(`--jurisdiction must be one of ${DISTRICTS.join(', ')}; got "${jurisdiction}"`);
    const format = args.format as string | undefined;
    if (format !== undefined && format !== 'csv' && format !== 'jsonl') throw new Error(`--format must be csv or jsonl; got "${format}"`);
    const asOf = args['as-of'] as string | undefined;
    if (asOf !== undefined && (!/T.*(Z|[+-]\d{2}:\d{2})$/.test(asOf) || Number.isNaN(Date.parse(asOf)))) {
      throw new Error(`--as-of must be an ISO 8601 date and time with offset; got "${asOf}"`);
    }

    const config = loadConfig();
    const run = async (writer: RecordWriter) => {
      const bar = new ProgressBar(`import ${type}`);
      const progress = (p: ImportProgress) => ({ ...p, counts: { inserted: p.inserted, updated: p.updated, unchanged: p.unchanged, rejected: p.rejected } });
      const summary = await importFile(writer, {
        spec: WRITE_SPECS[name],
        dialect: IMPORT_DIALECTS[name],
        file: path.resolve(String(args.file)),
        format,
        principal: importPrincipal(jurisdiction),
        jurisdiction,
        batchSize: args['batch-size'] as number | undefined,
        sourceSystem: args.source as string | undefined,
        asOf,
        onProgress: (p) => bar.update(progress(p)),
      });
      bar.done(progress(summary));
      process.stdout.write(summaryLine(summary) + '\n');
    };

    const hub = config.databaseUrl ? null : await runningHub(config.dataDir);
    if (hub) {
      process.stderr.write(`${shownPath(config.dataDir)} is held by ${describeHolder(hub.holder)}: importing through it as ${jurisdiction}'s data steward\n`);
      // Required here: the schema (every module) is needed only on this road.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { hubSchema } = require('../graphql/schema') as typeof import('../graphql/schema');
      const writer = new HubBatchWriter({
        url: hub.holder.url!,
        schema: await hubSchema(),
        signing: { secret: config.jwtSecret, issuer: config.jwtIssuer, audience: config.jwtAudience },
      });
      // importFile calls only writeBatch, which HubBatchWriter has with the same signature.
      await run(writer as unknown as RecordWriter);
      return;
    }
    const db = await openConfiguredDb(config, undefined, { command: 'import', hint: 'stop it first, then run the import again' });
    try {
      await migrate(db.ds);
      await run(new RecordWriter(db.ds));
    } finally {
      await db.close();
    }
  });
}
