import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import type { GraphQLSchema } from 'graphql';
import { formatProblem, loadCatalogFiles } from '../modules/catalog/catalog-files';

/*
 * npm run catalog:check [-- --dir <catalog directory>]
 *
 * Validates the catalog files (schema and cross-references) and prints each problem as
 * `file:line: what is wrong`, then a summary. Run as a command it builds the hub's GraphQL schema
 * first, so every entry point must be a Query root field and every example query must validate.
 * Exit status 0 when the catalog is clean, 1 when any problem was found, 2 on bad arguments.
 */

export interface CatalogCheckOptions {
  /** The catalog directory; `catalog` under the working directory by default. */
  dir?: string;
  /**
   * Root field names of the built GraphQL schema. The caller that builds the schema supplies them;
   * when they are absent, resource entry points are checked only for form, not for existence.
   */
  knownEntryPoints?: ReadonlySet<string>;
  /**
   * The built GraphQL schema: example queries are validated against it, and its Query root fields
   * stand for `knownEntryPoints` when those are not given.
   */
  schema?: GraphQLSchema;
  /** Where lines go; standard output by default. */
  write?: (line: string) => void;
}

/**
 * Runs the check and returns the exit status, so a build step or test can run it without a process.
 */
export function runCatalogCheck(opts: CatalogCheckOptions = {}): number {
  const dir = opts.dir ?? 'catalog';
  const write = opts.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const { catalog, problems } = loadCatalogFiles(dir, { knownEntryPoints: opts.knownEntryPoints, schema: opts.schema });
  for (const p of problems) write(formatProblem(p));

  const count = catalog ? catalog.resources.length : countResourceFiles(dir);
  let detail = '';
  if (catalog) {
    const byType = { UNCONDITIONAL: 0, CONDITIONAL: 0, NOT_SHARED: 0 };
    for (const r of catalog.resources) byType[r.sharing.type]++;
    detail = ` (${byType.UNCONDITIONAL} unconditional, ${byType.CONDITIONAL} conditional, ${byType.NOT_SHARED} not shared)`;
  }
  const entryPoints = opts.knownEntryPoints || opts.schema ? '' : '; entry points checked for form only';
  write(`${dir}: ${count} resources${detail}, ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}${entryPoints}`);
  return problems.length === 0 ? 0 : 1;
}

function countResourceFiles(dir: string): number {
  const resources = path.join(dir, 'resources');
  return fs.existsSync(resources) ? fs.readdirSync(resources).filter((f) => f.endsWith('.yaml')).length : 0;
}

const USAGE = 'usage: catalog-check [--dir <catalog directory>]';

/** Reads `--dir <path>` / `--dir=<path>`; anything else is a usage error. */
export function parseCatalogCheckArgs(argv: readonly string[]): { dir?: string; help?: boolean; error?: string } {
  const out: { dir?: string; help?: boolean; error?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') out.help = true;
    else if (arg === '--dir' && i + 1 < argv.length) out.dir = argv[++i];
    else if (arg.startsWith('--dir=')) out.dir = arg.slice('--dir='.length);
    else return { error: `unknown or incomplete argument: ${arg}` };
  }
  return out;
}

if (require.main === module) {
  const args = parseCatalogCheckArgs(process.argv.slice(2));
  if (args.error || args.help) {
    (args.error ? process.stderr : process.stdout).write(`${args.error ? `${args.error}\n` : ''}${USAGE}\n`);
    process.exitCode = args.error ? 2 : 0;
  } else {
    // Required here, not imported at the top: building the schema loads every module, which the
    // tests of runCatalogCheck do not need.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { hubSchema } = require('../graphql/schema') as typeof import('../graphql/schema');
    hubSchema().then(
      (schema) => {
        process.exitCode = runCatalogCheck({ dir: args.dir, schema });
      },
      (err: unknown) => {
        process.stderr.write(`catalog-check: the GraphQL schema does not build: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 1;
      },
    );
  }
}
