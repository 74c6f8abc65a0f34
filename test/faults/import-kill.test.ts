import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, migrate } from '../../src/db/datasource';
import { withCheckCharacter } from '../../src/domain/uscc';
import { defaultCatalogDir, loadCatalogFiles, loadIntoDatabase } from '../../src/modules/catalog';
import { createDatabase, describeWith, dropDatabase, NodeChild, PG_SERVER, pgAvailable, query, sleep, waitFor } from './support';

/**
 * `npm run import` killed with SIGKILL in the middle of a bulk import, then run again on the same
 * file, must leave exactly what one uninterrupted import leaves: every batch is one transaction,
 * and a re-sent record with the same asOf and content is UNCHANGED. Compared as a dump of the
 * table and of the change log (the credit feed's source), without ids and wall-clock times.
 */

jest.setTimeout(600_000);

const ROWS = 30_000;
const BATCH = 250;
const AS_OF = '2026-10-31T18:00:00+08:00';
const REFERENCE = `eco_hub_faults_import_ref_${process.pid}`;
const KILLED = `eco_hub_faults_import_kill_${process.pid}`;

const DUMP_ENTERPRISES = `SELECT count(*)::int AS n, md5(string_agg(concat_ws('|', uscc, owner_jurisdiction, source_system, source_record_id, source_as_of,
    name, industry_code, industry_name, address, registration_status, established_on, legal_rep_name, legal_rep_id_number, withdrawn_at, withdrawal_reason),
    E'\\n' ORDER BY uscc)) AS md5 FROM enterprise`;
const DUMP_CHANGES = `SELECT count(*)::int AS n, md5(string_agg(concat_ws('|', record_type, record_key, op, owner_jurisdiction, uscc, actor, payload::text),
    E'\\n' ORDER BY record_type, record_key, op, payload::text)) AS md5 FROM change_log`;

function importFile(dir: string): string {
  const file = path.join(dir, 'enterprises.jsonl');
  const lines: string[] = [];
  for (let i = 0; i < ROWS; i++) {
    const uscc = withCheckCharacter(`91320509MA${String(i).padStart(7, '0')}`);
    lines.push(JSON.stringify({
      uscc, name: `吴江导入测试${i}号纺织有限公司`, industryCode: 'C1713', industryName: '棉印染精加工', address: `苏州市吴江区盛泽镇导入路${i}号`,
      registrationStatus: 'ACTIVE', establishedOn: '2012-05-01', legalRepName: '王某', legalRepIdNumber: `32058419800101${String(i % 10_000).padStart(4, '0')}`,
      sourceSystem: 'WUJIANG-SAMR', sourceRecordId: `E${i}`, asOf: AS_OF,
    }));
  }
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

async function prepare(name: string): Promise<string> {
  const url = await createDatabase(name);
  const db = await createDb({ databaseUrl: url, poolSize: 1 });
  try {
    await migrate(db.ds);
    const { catalog } = loadCatalogFiles(defaultCatalogDir());
    await loadIntoDatabase(db.ds, catalog!);
  } finally {
    await db.close();
  }
  return url;
}

function runImport(url: string, file: string, logName: string): NodeChild {
  return NodeChild.spawn('src/cli/import.ts', ['--type', 'enterprises', '--file', file, '--jurisdiction', 'WUJIANG', '--batch-size', String(BATCH)], {
    DATABASE_URL: url, NODE_ENV: 'production', HUB_JWT_SECRET: randomBytes(32).toString('base64url'), LOG_LEVEL: 'warn',
  }, logName);
}

describeWith(pgAvailable(), `PostgreSQL is not reachable at ${PG_SERVER} (pg_isready)`)('import killed mid-way', () => {
  let dir: string;
  let file: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'eco-hub-faults-import-'));
    file = importFile(dir);
  });
  afterAll(async () => {
    await dropDatabase(REFERENCE);
    await dropDatabase(KILLED);
    rmSync(dir, { recursive: true, force: true });
  });

  test('SIGKILL during `npm run import`, then the same import again: identical to one uninterrupted import', async () => {
    const reference = await prepare(REFERENCE);
    const whole = runImport(reference, file, 'import-ref');
    expect({ exit: await whole.exited, log: whole.exitCode === 0 ? '' : whole.log() }).toEqual({ exit: 0, log: '' });

    const killed = await prepare(KILLED);
    const first = runImport(killed, file, 'import-killed');
    const count = async () => (await query<{ n: number }>(killed, 'SELECT count(*)::int AS n FROM enterprise'))[0].n;
    // Let a few batches commit, then kill it wherever it is (most likely inside a batch's transaction).
    const started = await waitFor(async () => (await count()) >= 4 * BATCH, 300_000);
    expect(started).not.toBeNull();
    await sleep(120);
    await first.kill();
    const atKill = await count();
    process.stderr.write(`[faults] import killed with ${atKill} of ${ROWS} enterprises stored\n`);
    expect(atKill).toBeLessThan(ROWS); // else the import outran the kill: raise ROWS
    expect(atKill % BATCH).toBe(0); // whole batches only

    const again = runImport(killed, file, 'import-rerun');
    expect({ exit: await again.exited, log: again.exitCode === 0 ? '' : again.log() }).toEqual({ exit: 0, log: '' });
    const summary = /inserted (\d+), updated (\d+), unchanged (\d+), rejected (\d+)/.exec(again.log(5));
    expect(summary).not.toBeNull();
    const [inserted, updated, unchanged, rejected] = summary!.slice(1).map(Number);
    expect({ inserted, updated, unchanged, rejected }).toEqual({ inserted: ROWS - atKill, updated: 0, unchanged: atKill, rejected: 0 });

    const [refRows] = await query(reference, DUMP_ENTERPRISES);
    const [killedRows] = await query(killed, DUMP_ENTERPRISES);
    expect(refRows.n).toBe(ROWS);
    expect(killedRows).toEqual(refRows);
    const [refChanges] = await query(reference, DUMP_CHANGES);
    const [killedChanges] = await query(killed, DUMP_CHANGES);
    expect(refChanges.n).toBe(ROWS);
    expect(killedChanges).toEqual(refChanges);
  });
});
