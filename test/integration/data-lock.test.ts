import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importPrincipal, runningHub } from '../../src/cli/import';
import { HubBatchWriter } from '../../src/cli/hub-writer';
import { loadConfig } from '../../src/config';
import { acquireDataLock, DATA_LOCK_FILE, DataFolderInUseError, DataLockHolder, EXIT_DATA_FOLDER_IN_USE, procStartOf, readDataLock } from '../../src/db/data-lock';
import { Db } from '../../src/db/datasource';
import { openConfiguredDb } from '../../src/db/open';
import { mintToken, Role } from '../../src/auth/principal';
import { Jurisdiction } from '../../src/domain/jurisdictions';
import { withCheckCharacter } from '../../src/domain/uscc';
import { hubSchema } from '../../src/graphql/schema';
import { importFile, ImportOptions, ImportSummary } from '../../src/modules/dossier/record-import';
import { RecordWriter } from '../../src/modules/dossier/record-writer';
import { IMPORT_DIALECTS, IMPORT_TYPES, WRITE_SPECS } from '../../src/modules/dossier/write-specs';
import { NodeChild, startHub } from '../faults/support';
import { cloneDatabase } from '../support/templates';

/*
 * The lock on the embedded data folder (src/db/data-lock.ts), with real processes: who holds it,
 * refusals that name the holder, stale locks taken over, release on signals; then a real hub on a
 * folder of its own while the commands run against that folder: import goes through the hub (the
 * same summary and rejects as a local import), the others refuse, and afterwards the table and
 * its unique index agree on every row.
 */

const ROOT = path.resolve(__dirname, '../..');
const TS_NODE = ['-r', 'ts-node/register/transpile-only'];
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'eco-hub-lock-'));
let dirs = 0;
const newDir = () => fs.mkdtempSync(path.join(scratch, `d${++dirs}-`));

afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs node with ts-node on a script or `-e` code from the repository root, with only the given environment. */
function runNode(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...TS_NODE, ...args], {
      cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/**
 * A process that takes the lock of DIR as CMD, says `held` or `refused …`, and stays STAY ms
 * (forever: until killed). With GO it first says `ready` and waits for that file to appear.
 */
const HOLDER = `
  const fs = require('node:fs');
  const { acquireDataLock } = require('./src/db/data-lock');
  const go = process.env.GO;
  const stay = Number(process.env.STAY || 0);
  const take = () => acquireDataLock(process.env.DIR, { command: process.env.CMD, log: (m) => process.stdout.write('log ' + m + '\\n') }).then(
    () => { process.stdout.write('held\\n'); setTimeout(() => process.exit(0), stay > 0 ? stay : 2 ** 31 - 1); },
    (e) => { process.stdout.write('refused ' + e.message + '\\n'); process.exit(e.exitCode || 1); });
  const wait = () => (fs.existsSync(go) ? take() : setTimeout(wait, 2));
  if (go) {
    process.stdout.write('ready\\n');
    wait();
  } else take();
`;

function holderProcess(dir: string, command: string): Promise<{ child: ReturnType<typeof spawn>; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> }> {
  const child = spawn(process.execPath, [...TS_NODE, '-e', HOLDER], {
    cwd: ROOT, env: { PATH: process.env.PATH ?? '', DIR: dir, CMD: command }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b) => {
      out += b;
      if (out.includes('held\n')) resolve({ child, exited });
      if (out.includes('refused')) reject(new Error(out));
    });
    child.on('exit', () => reject(new Error(`holder exited: ${out}`)));
  });
}

/** The pid of a process that has ended. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

function writeLock(dir: string, holder: Partial<DataLockHolder>): string {
  const lock: DataLockHolder = {
    pid: deadPid(), startedAt: '2026-01-01T00:00:00Z', hostname: os.hostname(), command: 'import', token: 'by-hand', ...holder,
  };
  const file = path.join(dir, DATA_LOCK_FILE);
  fs.writeFileSync(file, JSON.stringify(lock));
  return file;
}

describe('the lock file', () => {
  test('held while open and naming its holder; a second opener in the same process is refused; gone after release', async () => {
    const dir = newDir();
    const lock = await acquireDataLock(dir, { command: 'migrate' });
    const info = readDataLock(dir)!;
    expect(info.holder).toMatchObject({ pid: process.pid, hostname: os.hostname(), command: 'migrate' });
    expect(Date.parse(info.holder.startedAt)).toBeLessThanOrEqual(Date.now());
    expect(info.state).toEqual({ alive: true, checked: true });
    await expect(acquireDataLock(dir, { command: 'seed' })).rejects.toThrow(/is in use by migrate \(pid \d+, started .*\); this process has it open already/);
    lock.setUrl('http://127.0.0.1:1');
    expect(readDataLock(dir)!.holder).toMatchObject({ url: 'http://127.0.0.1:1', token: info.holder.token });
    lock.release();
    expect(fs.existsSync(path.join(dir, DATA_LOCK_FILE))).toBe(false);
    (await acquireDataLock(dir, { command: 'seed' })).release();
  });

  test('held by another live process: refused with exit status 75, naming pid, command and start; the lock stays', async () => {
    const dir = newDir();
    const h = await holderProcess(dir, 'seed');
    try {
      const before = fs.readFileSync(path.join(dir, DATA_LOCK_FILE), 'utf8');
      const err = await acquireDataLock(dir, { command: 'import', hint: 'stop it first, then run the import again' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DataFolderInUseError);
      expect((err as DataFolderInUseError).exitCode).toBe(EXIT_DATA_FOLDER_IN_USE);
      expect((err as Error).message).toMatch(new RegExp(`^the data folder .+ is in use by seed \\(pid ${h.child.pid}, started \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\); stop it first, then run the import again$`));
      expect(fs.readFileSync(path.join(dir, DATA_LOCK_FILE), 'utf8')).toBe(before);
    } finally {
      h.child.kill('SIGKILL');
      await h.exited;
    }
  });

  test('SIGINT and SIGTERM to a command release its lock; after SIGKILL the next opener takes the stale lock over and says so', async () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const dir = newDir();
      const h = await holderProcess(dir, 'import');
      h.child.kill(signal);
      expect(await h.exited).toEqual({ code: null, signal }); // ended by the signal, as without the lock
      expect(fs.existsSync(path.join(dir, DATA_LOCK_FILE))).toBe(false);
    }
    const dir = newDir();
    const h = await holderProcess(dir, 'import');
    h.child.kill('SIGKILL');
    await h.exited;
    expect(readDataLock(dir)).toMatchObject({ holder: { pid: h.child.pid }, state: { alive: false, reason: 'it is no longer running' } });
    const logged: string[] = [];
    const lock = await acquireDataLock(dir, { command: 'seed', log: (m) => logged.push(m) });
    expect(logged).toEqual([expect.stringMatching(new RegExp(`^took over the data folder .+ from import \\(pid ${h.child.pid}, started .+\\): it is no longer running$`))]);
    expect(readDataLock(dir)!.holder.pid).toBe(process.pid);
    lock.release();
  });

  test('stale: a reused pid (another start time), a lock from before a reboot, debris that is no lock', async () => {
    const cases: Array<[Partial<DataLockHolder>, RegExp]> = [];
    // Where there is /proc: a live pid whose process started at another time is not the holder, nor one from an earlier boot.
    if (procStartOf(process.pid)) {
      cases.push([{ pid: process.ppid, procStart: '1' }, new RegExp(`pid ${process.ppid} now belongs to another process`)]);
      cases.push([{ pid: process.ppid, bootId: 'an-earlier-boot' }, /the machine has restarted since/]);
    }
    for (const [holder, reason] of cases) {
      const dir = newDir();
      writeLock(dir, holder);
      const logged: string[] = [];
      const lock = await acquireDataLock(dir, { command: 'seed', log: (m) => logged.push(m) });
      expect(logged).toEqual([expect.stringMatching(reason)]);
      lock.release();
    }
    const dir = newDir();
    const file = path.join(dir, DATA_LOCK_FILE);
    fs.writeFileSync(file, '');
    fs.utimesSync(file, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const logged: string[] = [];
    (await acquireDataLock(dir, { command: 'seed', log: (m) => logged.push(m) })).release();
    expect(logged).toEqual([expect.stringMatching(/^removed an unreadable lock file from .+ \(0 bytes, 60 s old\)$/)]);
  });

  test('a lock from another host cannot be checked from here: respected, with how to remove it', async () => {
    const dir = newDir();
    const file = writeLock(dir, { hostname: 'elsewhere.example', command: 'eco-hub', url: 'http://127.0.0.1:4000' });
    await expect(acquireDataLock(dir, { command: 'seed' })).rejects.toThrow(
      `is in use by eco-hub (pid ${readDataLock(dir)!.holder.pid} on host elsewhere.example, started 2026-01-01T00:00:00Z, http://127.0.0.1:4000); `
      + `that host cannot be checked from here, so if the process is gone there, delete ${file}; stop it first, then run this again`);
  });

  test('four processes racing for one stale lock: exactly one gets the folder', async () => {
    const dir = newDir();
    writeLock(dir, { command: 'import' });
    // All four load first, then go at once; the winner stays until the others have answered.
    const go = path.join(dir, 'go');
    const contenders = [1, 2, 3, 4].map(() => {
      const child = spawn(process.execPath, [...TS_NODE, '-e', HOLDER], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', DIR: dir, CMD: 'seed', GO: go, STAY: '3000' } });
      let stdout = '';
      const ready = new Promise<void>((resolve) => child.stdout.on('data', (b) => {
        stdout += b;
        if (stdout.includes('ready\n')) resolve();
      }));
      const exited = new Promise<{ code: number | null; stdout: string }>((resolve) => child.on('exit', (code) => resolve({ code, stdout })));
      return { ready, exited };
    });
    await Promise.all(contenders.map((c) => c.ready));
    fs.writeFileSync(go, '');
    const runs = await Promise.all(contenders.map((c) => c.exited));
    const outs = runs.map((r) => r.stdout);
    expect(outs.filter((o) => /^held$/m.test(o))).toHaveLength(1);
    expect(outs.filter((o) => /^refused the data folder .+ is in use by seed \(pid \d+/m.test(o))).toHaveLength(3);
    expect(runs.map((r) => r.code).sort()).toEqual([0, EXIT_DATA_FOLDER_IN_USE, EXIT_DATA_FOLDER_IN_USE, EXIT_DATA_FOLDER_IN_USE]);
  }, 60_000);

  test('import looks for a hub in the lock: it waits while the hub starts, and passes over other commands and dead hubs', async () => {
    const dir = newDir();
    const file = writeLock(dir, { pid: process.pid, procStart: procStartOf(process.pid), command: 'eco-hub' });
    const lock = JSON.parse(fs.readFileSync(file, 'utf8')) as DataLockHolder;
    setTimeout(() => fs.writeFileSync(file, JSON.stringify({ ...lock, url: 'http://127.0.0.1:4000' })), 700);
    expect((await runningHub(dir, 30_000))?.holder.url).toBe('http://127.0.0.1:4000');
    fs.writeFileSync(file, JSON.stringify(lock));
    expect(await runningHub(dir, 100)).toBeNull(); // still not listening after the wait: opening the folder will refuse, naming it
    for (const other of [{ ...lock, command: 'seed', url: 'http://127.0.0.1:4000' }, { ...lock, pid: deadPid(), url: 'http://127.0.0.1:4000' }]) {
      fs.writeFileSync(file, JSON.stringify(other));
      expect(await runningHub(dir, 30_000)).toBeNull();
    }
  });

  (process.env.DATABASE_URL ? test : test.skip)('on PostgreSQL there is no lock: the server serves many processes', async () => {
    const dir = newDir();
    const db = await openConfiguredDb(loadConfig({ HUB_DATA_DIR: dir, DATABASE_URL: process.env.DATABASE_URL, NODE_ENV: 'test', HUB_JWT_SECRET: 'x'.repeat(32) }));
    try {
      expect(db.kind).toBe('postgres');
      expect(fs.existsSync(path.join(dir, DATA_LOCK_FILE))).toBe(false);
    } finally {
      await db.close();
    }
  });
});

// The hub runs embedded whatever DATABASE_URL says; the PGlite pass of the suite runs it once.
(process.env.DATABASE_URL ? describe.skip : describe)('a hub holding its data folder', () => {
  const AS_OF = '2026-06-01T10:00:00+08:00';
  const AUTHORITY = withCheckCharacter('11320509MB1234567');
  let dir: string;
  let url: string;
  let hub: NodeChild;
  let serial = 0;
  const uscc = (division: string) => withCheckCharacter(`91${division}MA${String(7_000_000 + ++serial)}`);
  const cli = (script: string, args: string[] = []) => runNode([`src/cli/${script}.ts`, ...args], { HUB_DATA_DIR: dir, NODE_ENV: 'development', LOG_LEVEL: 'warn' });

  beforeAll(async () => {
    dir = newDir();
    ({ url, proc: hub } = await startHub({ HUB_DATA_DIR: dir, HUB_DEMO_ENTERPRISES: '0', NODE_ENV: 'development', HUB_RATE_LIMIT_PER_MINUTE: '600' }, 'data-lock'));
  }, 180_000);
  afterAll(async () => {
    await hub?.stop();
  });

  function file(name: string, lines: unknown[]): string {
    const f = path.join(dir, '..', `${path.basename(dir)}-${name}`);
    fs.writeFileSync(f, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
    return f;
  }

  const holderPattern = () => new RegExp(`in use by eco-hub \\(pid ${hub.pid}, started [^,]+, ${url.replace(/[.]/g, '\\.')}\\)`);

  test('its lock names it: pid, start, command and address', () => {
    const lock = readDataLock(dir)!;
    expect(lock.holder).toMatchObject({ pid: hub.pid, command: 'eco-hub', url, hostname: os.hostname() });
    expect(lock.state.alive).toBe(true);
  });

  test('seed, migrate, hj212:device, catalog:load and a second hub refuse with exit status 75, naming the hub', async () => {
    const token = readDataLock(dir)!.holder.token;
    const [seed, migrate, device, catalog, second] = await Promise.all([
      cli('seed', ['--enterprises', '5']),
      cli('migrate'),
      cli('hj212-device', ['--demo']),
      cli('catalog-load'),
      runNode(['src/main.ts'], { HUB_DATA_DIR: dir, NODE_ENV: 'development', PORT: '0', LOG_LEVEL: 'warn' }),
    ]);
    for (const r of [seed, migrate, device, catalog, second]) {
      expect(r.stderr).toMatch(holderPattern());
      expect(r.code).toBe(EXIT_DATA_FOLDER_IN_USE);
    }
    expect(seed.stderr).toMatch(/; stop it first, or seed another folder/);
    expect(migrate.stderr).toMatch(/the hub applies pending migrations itself at every start/);
    expect(catalog.stderr).toMatch(/the catalog files check out \(\d+ resources\), and a hub loads its catalog files at every start: restart it to load them/);
    expect(second.stderr).toMatch(/^eco-hub will not start: the data folder .+; stop it first, or give this hub another HUB_DATA_DIR\n$/);
    expect(readDataLock(dir)!.holder.token).toBe(token);
  }, 120_000);

  test('an import through the hub gives the summary and rejects file a local import gives', async () => {
    const wj = [uscc('320509'), uscc('320509')];
    const city = uscc('320500'); // no district in its division code: the import's district owns it
    const enterprises = file('mixed-enterprises.jsonl', [
      { uscc: wj[0], name: '锁一有限公司', industryCode: 'C2614', address: '一路1号', registrationStatus: 'ACTIVE' },
      { uscc: city, name: '锁二有限公司', industryCode: 'C2614', address: '二路2号', registrationStatus: 'ACTIVE' },
      { uscc: uscc('310118'), name: '青浦有限公司', industryCode: 'C2614', address: '三路3号', registrationStatus: 'ACTIVE' }, // FORBIDDEN
      { uscc: wj[1], name: 42, industryCode: 'C2614', address: '四路4号', registrationStatus: 'ACTIVE' }, // a number for a text
      { uscc: wj[1], name: '锁五有限公司', industryCode: 'C2614', address: '五路5号', registrationStatus: 'ACTIVE', colour: 'red' }, // no such field
      { uscc: 'NOT-A-USCC', name: '坏有限公司', industryCode: 'C2614', address: '六路6号', registrationStatus: 'ACTIVE' },
      { uscc: wj[0], name: '锁一改名有限公司', industryCode: 'C2614', address: '一路1号', registrationStatus: 'ACTIVE' }, // same asOf, other content
      'not json',
    ]);
    const penalty = (no: string, extra: Record<string, unknown>) => ({
      decisionNo: no, uscc: wj[0], violationType: '超标排放', facts: '超标', legalBasis: '第八十三条', categories: ['FINE'], content: '罚款',
      decisionDate: '2026-03-01', authorityName: '苏州市吴江生态环境局', authorityUscc: AUTHORITY, status: 'EXECUTED', ...extra,
    });
    const penalties = file('mixed-penalties.jsonl', [
      penalty('锁罚〔2026〕1号', { fineAmount: 2500.5 }), // an amount as a JSON number
      penalty('锁罚〔2026〕2号', { uscc: uscc('320509'), fineAmount: '100' }), // no such enterprise in the hub
      penalty('锁罚〔2026〕3号', { categories: 'FINE' }), // one value where a list belongs (read as a list of one): a FINE with no fineAmount
      penalty('锁罚〔2026〕4号', { fineAmount: '-1' }),
    ]);
    const options = (type: string, f: string): ImportOptions => ({
      spec: WRITE_SPECS[IMPORT_TYPES[type]], dialect: IMPORT_DIALECTS[IMPORT_TYPES[type]], file: f, format: 'jsonl',
      principal: importPrincipal(Jurisdiction.WUJIANG), jurisdiction: Jurisdiction.WUJIANG, asOf: AS_OF, batchSize: 3,
    });
    const outcome = async (writer: RecordWriter, type: string, f: string) => {
      const s: Partial<ImportSummary> = await importFile(writer, options(type, f));
      const rejects = fs.readFileSync(`${f}.rejects.jsonl`, 'utf8');
      delete s.seconds;
      delete s.rowsPerSecond;
      return { summary: s, rejects };
    };

    const remote = new HubBatchWriter({ url, schema: await hubSchema(), signing: { secret: fs.readFileSync(path.join(dir, 'dev-jwt-secret'), 'utf8').trim() } });
    const viaHub = [await outcome(remote as unknown as RecordWriter, 'enterprises', enterprises), await outcome(remote as unknown as RecordWriter, 'penalties', penalties)];
    let local: Db | undefined;
    try {
      local = await cloneDatabase('empty');
      const writer = new RecordWriter(local.ds);
      const alone = [await outcome(writer, 'enterprises', enterprises), await outcome(writer, 'penalties', penalties)];
      expect(viaHub).toEqual(alone);
    } finally {
      await local?.close();
    }
    expect(viaHub[0].summary).toMatchObject({ rows: 8, inserted: 2, updated: 0, unchanged: 0, rejected: 6 });
    expect(viaHub[1].summary).toMatchObject({ rows: 4, inserted: 1, rejected: 3 });
    const codes = (text: string) => text.trim().split('\n').map((l) => JSON.parse(l)).map((r: { line: number; code: string; problems: Array<{ field: string }> }) => [r.line, r.code, r.problems.map((p) => p.field).join(',')]);
    expect(codes(viaHub[0].rejects)).toEqual([
      [3, 'FORBIDDEN', '(record)'], [4, 'BAD_USER_INPUT', 'name'], [5, 'BAD_USER_INPUT', 'colour'], [6, 'BAD_USER_INPUT', 'uscc'], [7, 'CONFLICT', 'asOf'], [8, 'BAD_USER_INPUT', '(line)'],
    ]);
    expect(codes(viaHub[1].rejects)).toEqual([[2, 'BAD_USER_INPUT', 'uscc'], [3, 'BAD_USER_INPUT', 'fineAmount'], [4, 'BAD_USER_INPUT', 'fineAmount']]);
  }, 120_000);

  const NAME = '锁测试企业';
  const COUNT = 3000;
  let keys: string[] = [];

  test('npm run import while the hub runs: every row through the hub and served by it; a re-run changes nothing', async () => {
    keys = Array.from({ length: COUNT }, () => uscc('320509'));
    const csv = file('enterprises.csv', [
      'uscc,name,industryCode,address,registrationStatus',
      ...keys.map((k, i) => `${k},${NAME}${i}有限公司,C2614,测试路${i}号,ACTIVE`),
      'BADUSCC,坏企业,C2614,测试路,ACTIVE',
    ]);
    const args = ['--type', 'enterprises', '--file', csv, '--jurisdiction', 'WUJIANG', '--as-of', AS_OF];
    const first = await cli('import', args);
    expect(first.stderr).toContain(`is held by eco-hub (pid ${hub.pid}, started `);
    expect(first.stderr).toContain('importing through it as WUJIANG\'s data steward');
    expect(first.stdout).toMatch(new RegExp(`^imported ${COUNT + 1} rows in [\\d.]+ s \\(\\d+ rows/s\\): inserted ${COUNT}, updated 0, unchanged 0, rejected 1 \\(see .+\\)\\n$`));
    expect(first.code).toBe(0);

    // The hub serves every row: its list, paged, holds each key once.
    const token = await mintToken({ secret: fs.readFileSync(path.join(dir, 'dev-jwt-secret'), 'utf8').trim() },
      { sub: 'lock-test', org: 'WUJIANG-EEB', jurisdiction: Jurisdiction.WUJIANG, roles: [Role.DOSSIER_READER] }, '10m');
    const served: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          query: 'query($after: String) { enterprises(first: 500, after: $after, filter: { nameContains: "锁测试企业" }) { totalCount edges { node { uscc } } pageInfo { hasNextPage endCursor } } }',
          variables: { after },
        }),
      });
      const body = (await res.json()) as { data: { enterprises: { totalCount: number; edges: Array<{ node: { uscc: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string } } } };
      expect(body.data.enterprises.totalCount).toBe(COUNT);
      served.push(...body.data.enterprises.edges.map((e) => e.node.uscc));
      if (!body.data.enterprises.pageInfo.hasNextPage) break;
      after = body.data.enterprises.pageInfo.endCursor;
    }
    expect(served.sort()).toEqual([...keys].sort());

    const again = await cli('import', args);
    expect(again.stdout).toMatch(new RegExp(`inserted 0, updated 0, unchanged ${COUNT}, rejected 1`));
  }, 120_000);

  test('stopped, the hub leaves no lock; a stale lock is taken over by the next import; the table and its unique index agree on every row', async () => {
    await hub.stop();
    expect(hub.exitCode).toBe(0);
    expect(fs.existsSync(path.join(dir, DATA_LOCK_FILE))).toBe(false);

    // As if the hub had been killed: its lock stays, its process is gone.
    const dead = deadPid();
    writeLock(dir, { pid: dead, command: 'eco-hub', url: 'http://127.0.0.1:9', bootId: undefined });
    const late = uscc('320509');
    const f = file('late.csv', ['uscc,name,industryCode,address,registrationStatus', `${late},${NAME}迟到有限公司,C2614,迟到路1号,ACTIVE`]);
    const r = await cli('import', ['--type', 'enterprises', '--file', f, '--jurisdiction', 'WUJIANG', '--as-of', AS_OF]);
    expect(r.stderr).toMatch(new RegExp(`took over the data folder .+ from eco-hub \\(pid ${dead}, started 2026-01-01T00:00:00Z, http://127\\.0\\.0\\.1:9\\): it is no longer running`));
    expect(r.stdout).toMatch(/inserted 1, updated 0, unchanged 0, rejected 0/);
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(dir, DATA_LOCK_FILE))).toBe(false);

    // openConfiguredDb locks the folder until close().
    const config = loadConfig({ HUB_DATA_DIR: dir, NODE_ENV: 'test' });
    const db = await openConfiguredDb(config, undefined, { command: 'data-lock test' });
    try {
      expect(readDataLock(dir)!.holder).toMatchObject({ pid: process.pid, command: 'data-lock test' });
      await expect(openConfiguredDb(config, undefined, { command: 'seed' })).rejects.toThrow(/is in use by data-lock test \(pid \d+/);
      const all = [...keys, late];
      await db.ds.query('SET enable_seqscan = off');
      await db.ds.query('SET enable_bitmapscan = off');
      const plan: Array<Record<string, string>> = await db.ds.query('EXPLAIN SELECT count(*) FROM enterprise WHERE uscc = ANY($1::text[])', [all]);
      expect(plan.map((p) => p['QUERY PLAN']).join('\n')).toMatch(/Index (Only )?Scan using \S+ on enterprise/);
      const [{ c: byIndex }] = await db.ds.query('SELECT count(*)::int AS c FROM enterprise WHERE uscc = ANY($1::text[])', [all]);
      await db.ds.query('RESET ALL');
      await db.ds.query('SET enable_indexscan = off');
      await db.ds.query('SET enable_bitmapscan = off');
      const [{ c: scanned }] = await db.ds.query('SELECT count(*)::int AS c FROM enterprise WHERE uscc = ANY($1::text[])', [all]);
      const [{ c: table }] = await db.ds.query('SELECT count(*)::int AS c FROM enterprise');
      const [{ c: keyed }] = await db.ds.query('SELECT count(DISTINCT uscc)::int AS c FROM enterprise');
      await db.ds.query('RESET ALL');
      expect({ byIndex, scanned }).toEqual({ byIndex: COUNT + 1, scanned: COUNT + 1 });
      expect(keyed).toBe(table);
    } finally {
      await db.close();
    }
    expect(readDataLock(dir)).toBeNull();
  }, 120_000);
});
