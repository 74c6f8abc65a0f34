import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { createDb, migrate } from '../src/db/datasource';
import { seedDemoData, SeedResult } from '../src/seed/generator';
import { seedMonitoringData } from '../src/seed/monitoring';

/** What a bench database was seeded with; a rerun with the same settings reuses it as it is. */
export interface DatasetSettings {
  seed: number;
  enterprises: number;
  /** sha256 (12 hex) of the generator sources: data made by another generator is not the same data set. */
  generator: string;
}

interface Marker extends DatasetSettings {
  ecoHubBench: 1;
  status: 'seeding' | 'ready';
  rows?: Record<string, number>;
  seedSeconds?: number;
  seededAt?: string;
}

export interface Dataset {
  /** Connection string of the bench database. */
  url: string;
  name: string;
  seededThisRun: boolean;
  seedSeconds: number | null;
  rows: Record<string, number>;
}

/** The code that decides what the seed writes: the generator, and the writer with the field rules it normalizes values by. */
const SEED_SOURCES = [
  'src/seed/generator.ts', 'src/seed/monitoring.ts', 'src/seed/vocabulary.ts', 'src/seed/rng.ts',
  'src/modules/dossier/record-writer.ts', 'src/modules/dossier/record-fields.ts',
];

/** A fingerprint of the seed code, so a changed generator leads to a fresh data set, not a stale comparison. */
export function generatorFingerprint(root: string): string {
  const h = createHash('sha256');
  for (const f of SEED_SOURCES) {
    try {
      h.update(f).update(readFileSync(path.join(root, f)));
    } catch {
      h.update(f).update('-');
    }
  }
  return h.digest('hex').slice(0, 12);
}

/** DATABASE_URL with another database name (the rest: host, port, user, password, options, kept). */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = '/' + encodeURIComponent(name);
  return u.toString();
}

function databaseOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

const ident = (name: string): string => '"' + name.replace(/"/g, '""') + '"';
const literal = (s: string): string => "'" + s.replace(/'/g, "''") + "'";

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url, application_name: 'eco-hub-bench' });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

function parseMarker(comment: string | null): Marker | null {
  if (!comment) return null;
  try {
    const m = JSON.parse(comment) as Partial<Marker>;
    return m.ecoHubBench === 1 ? (m as Marker) : null;
  } catch {
    return null;
  }
}

type Log = (line: string) => void;

/**
 * Makes sure the bench database exists and holds the data set of `settings`: created (and seeded)
 * when missing, dropped and recreated with `fresh` or when a previous bench left other settings or an
 * unfinished seed, reused when its marker (a JSON comment on the database) says it is ready with the
 * same settings. A database without the marker that holds enterprises is never dropped unasked.
 */
export async function ensureDataset(serverUrl: string, name: string, settings: DatasetSettings, fresh: boolean, log: Log): Promise<Dataset> {
  const own = databaseOf(serverUrl);
  const adminUrl = own && own !== name ? serverUrl : withDatabase(serverUrl, 'postgres');
  const url = withDatabase(serverUrl, name);

  const state = await withClient(adminUrl, async (c) => {
    const r = await c.query<{ comment: string | null }>(
      'SELECT shobj_description(oid, \'pg_database\') AS comment FROM pg_database WHERE datname = $1', [name]);
    return r.rows.length ? { exists: true, marker: parseMarker(r.rows[0].comment) } : { exists: false, marker: null };
  });

  const same = (m: Marker | null) => m !== null && m.status === 'ready' && m.seed === settings.seed
    && m.enterprises === settings.enterprises && m.generator === settings.generator;
  if (state.exists && !fresh && same(state.marker)) {
    log(`database ${name}: reusing the data set (seed ${settings.seed}, ${settings.enterprises} enterprises, seeded ${state.marker!.seededAt})`);
    return { url, name, seededThisRun: false, seedSeconds: state.marker!.seedSeconds ?? null, rows: state.marker!.rows ?? {} };
  }

  const recreate = state.exists && (fresh || state.marker !== null);
  if (state.exists && !recreate) {
    // No marker: reuse only an empty database (e.g. one made with psql for the bench).
    const holdsData = await withClient(url, async (c) => {
      const t = await c.query<{ present: boolean }>(`SELECT to_regclass('public.enterprise') IS NOT NULL AS present`);
      if (!t.rows[0].present) return false;
      const r = await c.query<{ present: boolean }>('SELECT EXISTS (SELECT 1 FROM public.enterprise) AS present');
      return r.rows[0].present;
    });
    if (holdsData) {
      throw new Error(`database ${name} holds enterprises but was not seeded by the bench; pass --fresh to drop and recreate it, or --database to use another name`);
    }
  }
  if (state.exists && recreate) {
    const why = fresh ? '--fresh' : state.marker!.status !== 'ready' ? 'an unfinished seed' : 'other settings';
    log(`database ${name}: dropping and recreating it (${why})`);
    await withClient(adminUrl, (c) => c.query(`DROP DATABASE ${ident(name)} WITH (FORCE)`));
  }
  if (!state.exists || recreate) {
    await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${ident(name)}`));
    log(`database ${name}: created`);
  }

  const marker: Marker = { ecoHubBench: 1, status: 'seeding', ...settings };
  const writeMarker = (m: Marker) => withClient(adminUrl, (c) => c.query(`COMMENT ON DATABASE ${ident(name)} IS ${literal(JSON.stringify(m))}`));
  await writeMarker(marker);

  const started = Date.now();
  const db = await createDb({ databaseUrl: url, poolSize: 4 });
  let rows: Record<string, number>;
  try {
    const applied = await migrate(db.ds);
    log(`migrations applied: ${applied.length}`);
    log(`seeding ${settings.enterprises} enterprises (seed ${settings.seed}) through the writer's bulk loads…`);
    const seeded: SeedResult = await seedDemoData(db.ds, { enterprises: settings.enterprises, seed: settings.seed, onProgress: progressPrinter(log) });
    log('monitoring stations and observations…');
    const monitoring = await seedMonitoringData(db.ds, { seed: settings.seed });
    // The writer logged every seeded record, so the credit feed's initial load is already there.
    const [{ n: feed }] = (await db.ds.query(`SELECT count(*)::int AS n FROM change_log WHERE record_type = 'CREDIT_RECORD'`)) as Array<{ n: number }>;
    log(`credit feed: ${feed} change-log entries for the seeded credit records`);
    // Vacuumed, analysed and checkpointed: the first measured reads find hint bits set and no
    // write-back of a 1.5-million-row load in progress.
    log('VACUUM (ANALYZE), CHECKPOINT…');
    await db.ds.query('VACUUM (ANALYZE)');
    await db.ds.query('CHECKPOINT').catch(() => undefined);
    rows = { ...seeded, ...monitoring, creditFeedEntries: feed };
  } finally {
    await db.close();
  }
  const seedSeconds = Math.round((Date.now() - started) / 100) / 10;
  const total = Object.values(rows).reduce((a, b) => a + b, 0);
  log(`seeded ${total} rows in ${seedSeconds} s: ${JSON.stringify(rows)}`);
  await writeMarker({ ...marker, status: 'ready', rows, seedSeconds, seededAt: new Date().toISOString() });
  return { url, name, seededThisRun: true, seedSeconds, rows };
}

/** Progress of the bulk seed, one line per table per tenth (log files get lines, not carriage returns). */
function progressPrinter(log: Log): (p: { table: string; done: number; total: number }) => void {
  const shown = new Map<string, number>();
  return ({ table, done, total }) => {
    const tenth = total === 0 ? 10 : Math.floor((done / total) * 10);
    if ((shown.get(table) ?? -1) >= tenth) return;
    shown.set(table, tenth);
    log(`  ${table.padEnd(14)} ${String(done).padStart(9)} / ${total}`);
  };
}
