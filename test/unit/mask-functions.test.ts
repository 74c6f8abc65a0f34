import { maskIdNumber, maskName, maskPhone } from '../../src/auth/masking';
import { Db } from '../../src/db/datasource';
import { cloneDatabase } from '../support/templates';

/**
 * The read engine masks in SQL (`hub_mask_*`, migration MaskFunctions); the same forms are written
 * in TypeScript for what is masked outside a statement. Both must give the same text for every value.
 */
let db: Db;
beforeAll(async () => {
  db = await cloneDatabase('empty');
});
afterAll(() => db.close());

const VALUES = [null, '', '张', '张三', '欧阳娜娜', 'Zhang San', '1', '1234567', '12345678', '13812345678', '+86 138 1234 5678',
  '310101199001011234', '31010119900101123X', 'ABCDEFGH', 'ABCDEFGHI', '𠮷野家', '\u00e9t\u00e9'];

test.each([
  ['hub_mask_name', maskName],
  ['hub_mask_phone', maskPhone],
  ['hub_mask_id', maskIdNumber],
] as const)('%s agrees with its TypeScript form on every value', async (fn, ts) => {
  const rows: Array<{ v: string | null; m: string | null }> = await db.ds.query(`SELECT v, ${fn}(v) AS m FROM unnest($1::text[]) AS v`, [VALUES]);
  expect(rows).toHaveLength(VALUES.length);
  for (const { v, m } of rows) expect({ v, m }).toEqual({ v, m: ts(v) ?? null });
});
