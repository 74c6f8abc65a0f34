import { INSPECTION_STEPS } from '../../src/domain/codes';
import { DISTRICTS, Jurisdiction, jurisdictionInfo } from '../../src/domain/jurisdictions';
import { checkUscc } from '../../src/domain/uscc';
import { createDb, Db, migrate } from '../../src/db/datasource';
import { hasData, REFERENCE_DATE, seedDemoData, SeedResult } from '../../src/seed/generator';

const TABLES: Record<keyof SeedResult, string> = {
  enterprises: 'enterprise',
  eiaApprovals: 'eia_approval',
  permits: 'permit',
  inspections: 'inspection',
  penalties: 'penalty',
  complaints: 'complaint',
  creditRecords: 'credit_record',
};
const CHILD_TABLES = Object.values(TABLES).filter((t) => t !== 'enterprise');
const OPTIONS = { enterprises: 60, seed: 20261101, batchSize: 250 };

async function freshDb(): Promise<Db> {
  const db = await createDb({ pgliteDir: 'memory://' });
  await migrate(db.ds);
  return db;
}

/** One md5 per table over every column of every row, rows in id order. */
async function tableHashes(db: Db): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of Object.values(TABLES)) {
    const [row] = await db.ds.query(
      `SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t.id), '')) AS h, count(*)::int AS n FROM "${table}" t`,
    );
    out[table] = `${row.n}:${row.h}`;
  }
  return out;
}

/** ISO 7064 MOD 11-2 check of an 18-character resident ID. */
function residentIdValid(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * w[i];
  return '10X98765432'[sum % 11] === id[17];
}

describe('seedDemoData', () => {
  let a: Db;
  let b: Db;
  let c: Db;
  let result: SeedResult;
  const progress: { table: string; done: number; total: number }[] = [];

  beforeAll(async () => {
    [a, b, c] = await Promise.all([freshDb(), freshDb(), freshDb()]);
    expect(await hasData(a.ds)).toBe(false);
    result = await seedDemoData(a.ds, { ...OPTIONS, onProgress: (p) => progress.push(p) });
    await seedDemoData(b.ds, OPTIONS);
    await seedDemoData(c.ds, { ...OPTIONS, seed: OPTIONS.seed + 1 });
  });

  afterAll(async () => {
    await Promise.all([a, b, c].map((db) => db?.close()));
  });

  it('reports what it wrote, with progress up to the totals', async () => {
    expect(await hasData(a.ds)).toBe(true);
    expect(result.enterprises).toBe(OPTIONS.enterprises);
    for (const [key, table] of Object.entries(TABLES) as [keyof SeedResult, string][]) {
      const [{ n }] = await a.ds.query(`SELECT count(*)::int AS n FROM "${table}"`);
      expect(n).toBe(result[key]);
      expect(n).toBeGreaterThan(0);
      const last = progress.filter((p) => p.table === table).pop();
      expect(last).toEqual({ table, done: n, total: n });
    }
    const total = Object.values(result).reduce((s, n) => s + n, 0);
    expect(total / OPTIONS.enterprises).toBeGreaterThan(10);
    expect(total / OPTIONS.enterprises).toBeLessThan(20);
  });

  it('is reproducible: the same seed gives byte-identical tables', async () => {
    expect(await tableHashes(b)).toEqual(await tableHashes(a));
  });

  it('gives different data for a different seed', async () => {
    const ha = await tableHashes(a);
    const hc = await tableHashes(c);
    for (const table of Object.values(TABLES)) expect(hc[table]).not.toEqual(ha[table]);
    const usccs = async (db: Db) => (await db.ds.query('SELECT uscc FROM enterprise')).map((r: { uscc: string }) => r.uscc);
    const inA = new Set(await usccs(a));
    expect((await usccs(c)).filter((u: string) => inA.has(u))).toEqual([]);
  });

  it('gives every enterprise a valid USCC of its own district, and covers all three districts', async () => {
    const rows: { uscc: string; owner_jurisdiction: string; legal_rep_id_number: string }[] =
      await a.ds.query('SELECT uscc, owner_jurisdiction, legal_rep_id_number FROM enterprise');
    for (const r of rows) {
      const check = checkUscc(r.uscc);
      expect({ uscc: r.uscc, valid: check.valid, reason: check.reason }).toEqual({ uscc: r.uscc, valid: true, reason: undefined });
      expect(check.divisionCode).toBe(jurisdictionInfo(r.owner_jurisdiction as Jurisdiction).divisionCode);
      expect(check.jurisdiction).toBe(r.owner_jurisdiction);
      expect(residentIdValid(r.legal_rep_id_number)).toBe(true);
    }
    expect(new Set(rows.map((r) => r.owner_jurisdiction))).toEqual(new Set(DISTRICTS));
  });

  it('gives every record the owner of its enterprise and a source time no later than the reference date', async () => {
    const ref = new Date(`${REFERENCE_DATE}T00:00:00+08:00`);
    for (const table of CHILD_TABLES) {
      const [{ n }] = await a.ds.query(
        `SELECT count(*)::int AS n FROM "${table}" r JOIN enterprise e ON e.id = r.enterprise_id
         WHERE r.owner_jurisdiction <> e.owner_jurisdiction`,
      );
      expect({ table, mismatched: n }).toEqual({ table, mismatched: 0 });
    }
    for (const table of Object.values(TABLES)) {
      const [{ latest }] = await a.ds.query(`SELECT max(source_as_of) AS latest FROM "${table}"`);
      expect(new Date(latest).getTime()).toBeLessThanOrEqual(ref.getTime());
    }
    const [{ n }] = await a.ds.query(
      `SELECT count(*)::int AS n FROM complaint WHERE handling_jurisdiction <> owner_jurisdiction`,
    );
    expect(n).toBe(0);
  });

  it('writes penalty amounts as non-negative decimal strings and authority codes that validate', async () => {
    const rows: { fine_amount: string; confiscation_amount: string; authority_uscc: string; categories: string[] }[] =
      await a.ds.query('SELECT fine_amount, confiscation_amount, authority_uscc, categories FROM penalty');
    for (const r of rows) {
      for (const amount of [r.fine_amount, r.confiscation_amount]) {
        expect(typeof amount).toBe('string');
        expect(amount).toMatch(/^\d+\.\d{2}$/);
        expect(Number(amount)).toBeGreaterThanOrEqual(0);
      }
      expect(Number(r.fine_amount)).toBeGreaterThan(0);
      expect(checkUscc(r.authority_uscc).valid).toBe(true);
      expect(r.categories).toContain('FINE');
    }
  });

  it('records all eight steps, in order and in time order, for completed inspections', async () => {
    const rows: { steps: { step: string; at: string }[]; status: string; type: string; joint_jurisdictions: string[] }[] =
      await a.ds.query('SELECT steps, status, type, joint_jurisdictions FROM inspection');
    expect(rows.some((r) => r.status === 'COMPLETED')).toBe(true);
    for (const r of rows) {
      const names = r.steps.map((s) => s.step);
      const times = r.steps.map((s) => Date.parse(s.at));
      if (r.status === 'COMPLETED') expect(names).toEqual(INSPECTION_STEPS);
      else expect(names).toEqual(INSPECTION_STEPS.slice(0, names.length));
      for (let k = 1; k < times.length; k++) expect(times[k]).toBeGreaterThan(times[k - 1]);
      if (r.type === 'JOINT_CROSS_BORDER') {
        expect(r.joint_jurisdictions.length).toBeGreaterThanOrEqual(2);
        expect(r.joint_jurisdictions.length).toBeLessThanOrEqual(3);
      } else {
        expect(r.joint_jurisdictions).toEqual([]);
      }
    }
  });

  it('uses each district\'s credit scheme for evaluations', async () => {
    const rows: { owner_jurisdiction: string; scheme: string }[] = await a.ds.query(
      `SELECT DISTINCT owner_jurisdiction, scheme FROM credit_record WHERE kind = 'EVALUATION'`,
    );
    const expected: Record<string, string> = { WUJIANG: 'JIANGSU_5', QINGPU: 'SHANGHAI_2024', JIASHAN: 'ZHEJIANG_2025' };
    for (const r of rows) expect(r.scheme).toBe(expected[r.owner_jurisdiction]);
  });
});
