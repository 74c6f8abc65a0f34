import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mintToken, Role } from '../../src/auth/principal';
import { loadConfig } from '../../src/config';
import { DATA_LOCK_FILE, readDataLock } from '../../src/db/data-lock';
import { openConfiguredDb } from '../../src/db/open';
import { Jurisdiction } from '../../src/domain/jurisdictions';
import { withCheckCharacter } from '../../src/domain/uscc';
import { NodeChild, startHub, waitFor } from './support';

/**
 * An embedded hub killed with SIGKILL while `npm run import` writes through it: the import stops
 * with a message saying a re-run is safe, the dead hub's lock stays behind, and the re-run (no hub
 * now) takes the stale lock over, opens the folder itself and finishes. Afterwards the table and
 * its unique index agree on every row, and the file's rows are all there once. Needs no server.
 */

jest.setTimeout(600_000);

const ROWS = 30_000;
const AS_OF = '2026-10-31T18:00:00+08:00';

describe('a hub killed while an import writes through it', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'eco-hub-faults-lock-'));
  const env = { HUB_DATA_DIR: dir, NODE_ENV: 'development', LOG_LEVEL: 'warn' };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the import stops saying a re-run is safe; the re-run takes the dead hub\'s lock over and finishes; table and index agree', async () => {
    const file = path.join(dir, '..', `${path.basename(dir)}.csv`);
    const keys = Array.from({ length: ROWS }, (_, i) => withCheckCharacter(`91320509MA${String(6_000_000 + i)}`));
    writeFileSync(file, ['uscc,name,industryCode,address,registrationStatus', ...keys.map((k, i) => `${k},锁故障${i}有限公司,C2614,故障路${i}号,ACTIVE`)].join('\n') + '\n');
    const args = ['--type', 'enterprises', '--file', file, '--jurisdiction', 'WUJIANG', '--as-of', AS_OF, '--batch-size', '200'];

    const { url, proc: hub } = await startHub({ ...env, HUB_DEMO_ENTERPRISES: '0' }, 'data-lock-hub');
    let importer: NodeChild | undefined;
    try {
      const token = await mintToken({ secret: readFileSync(path.join(dir, 'dev-jwt-secret'), 'utf8').trim() },
        { sub: 'faults', org: 'WUJIANG-EEB', jurisdiction: Jurisdiction.WUJIANG, roles: [Role.DOSSIER_READER] }, '10m');
      const served = async () => {
        const res = await fetch(`${url}/graphql`, {
          method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: '{ enterprises(first: 1, filter: { nameContains: "锁故障" }) { totalCount } }' }),
        });
        return ((await res.json()) as { data: { enterprises: { totalCount: number } } }).data.enterprises.totalCount;
      };
      importer = NodeChild.spawn('src/cli/import.ts', args, env, 'data-lock-import');
      // Killed once the hub has taken some batches and long before the last.
      expect(await waitFor(async () => (await served()) >= 1000, 120_000)).not.toBeNull();
      await hub.kill();
      expect(await importer.exited).toBe(1);
      expect(importer.log()).toMatch(/did not answer \(\w+\); the batches before this one are written, and running the import again is safe/);
    } finally {
      await importer?.kill();
      await hub.kill();
    }
    expect(readDataLock(dir)).toMatchObject({ holder: { pid: hub.pid, command: 'eco-hub' }, state: { alive: false } });

    const again = NodeChild.spawn('src/cli/import.ts', args, env, 'data-lock-reimport');
    expect(await again.exited).toBe(0);
    const log = again.log(50);
    expect(log).toMatch(new RegExp(`took over the data folder .+ from eco-hub \\(pid ${hub.pid}, .+\\): it is no longer running`));
    const summary = /inserted (\d+), updated 0, unchanged (\d+), rejected 0/.exec(log);
    expect(summary).not.toBeNull();
    expect(Number(summary![1]) + Number(summary![2])).toBe(ROWS);
    expect(Number(summary![2])).toBeGreaterThanOrEqual(1000); // what the killed hub had committed survived
    expect(readDataLock(dir)).toBeNull();

    const db = await openConfiguredDb(loadConfig({ ...env, NODE_ENV: 'test' }), undefined, { command: 'faults' });
    try {
      const [{ rows, distinct }] = await db.ds.query('SELECT count(*)::int AS rows, count(DISTINCT uscc)::int AS distinct FROM enterprise');
      await db.ds.query('SET enable_seqscan = off');
      await db.ds.query('SET enable_bitmapscan = off');
      const [{ c: byIndex }] = await db.ds.query('SELECT count(*)::int AS c FROM enterprise WHERE uscc = ANY($1::text[])', [keys]);
      await db.ds.query('RESET ALL');
      expect({ rows, distinct, byIndex }).toEqual({ rows: ROWS, distinct: ROWS, byIndex: ROWS });
    } finally {
      await db.close();
    }
    expect(existsSync(path.join(dir, DATA_LOCK_FILE))).toBe(false); // closed: no lock left
  });
});
