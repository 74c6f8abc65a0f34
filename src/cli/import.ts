import 'reflect-metadata';
import path from 'node:path';
import { Principal, Role } from '../auth/principal';
import { loadConfig } from '../config';
import { migrate } from '../db/datasource';
import { openConfiguredDb } from '../db/open';
import { DISTRICTS, isDistrict, Jurisdiction } from '../domain/jurisdictions';
import { importFile, ImportProgress } from '../modules/dossier/record-import';
import { RecordWriter } from '../modules/dossier/record-writer';
import { IMPORT_DIALECTS, IMPORT_TYPES, WRITE_SPECS } from '../modules/dossier/write-specs';
import { parseArgs, runCli } from './args';
import { ProgressBar } from './progress';

/*
 * npm run import -- --type penalties --file data.csv|data.jsonl --jurisdiction WUJIANG
 *   [--batch-size 500] [--source SYSTEM] [--as-of 2026-03-01T00:00:00+08:00] [--format csv|jsonl]
 *
 * Imports one record type through the writer the mutations use, acting as the named district's
 * data steward, so rule 6 holds: rows of another district are rejected like any bad row. Rejected
 * lines go to <file>.rejects.jsonl with their reasons; a summary goes to stdout, progress to stderr.
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
    const db = await openConfiguredDb(config);
    try {
      await migrate(db.ds);
      const writer = new RecordWriter(db.ds);
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
    } finally {
      await db.close();
    }
  });
}
