import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The masked forms of personal data as SQL functions, so the read engine masks inside PostgreSQL
 * and a value the caller may not see never leaves the database (DESIGN.md, rule 7). Counted in
 * characters, not bytes: 张三 → 张*, 13812345678 → 138****5678, 310101199001011234 → 3101**********1234.
 * Empty and NULL give NULL. test/unit/mask-functions.test.ts holds them to the TypeScript forms in src/auth/masking.ts.
 */
export class MaskFunctions1796400000000 implements MigrationInterface {
  name = 'MaskFunctions1796400000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION hub_mask_name(v text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT CASE WHEN v IS NULL OR v = '' THEN NULL ELSE left(v, 1) || repeat('*', greatest(char_length(v) - 1, 1)) END $$`);
    await q.query(`CREATE FUNCTION hub_mask_phone(v text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT CASE WHEN v IS NULL OR v = '' THEN NULL WHEN char_length(v) <= 7 THEN repeat('*', char_length(v))
        ELSE left(v, 3) || repeat('*', char_length(v) - 7) || right(v, 4) END $$`);
    await q.query(`CREATE FUNCTION hub_mask_id(v text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT CASE WHEN v IS NULL OR v = '' THEN NULL WHEN char_length(v) <= 8 THEN repeat('*', char_length(v))
        ELSE left(v, 4) || repeat('*', char_length(v) - 8) || right(v, 4) END $$`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION hub_mask_id(text)`);
    await q.query(`DROP FUNCTION hub_mask_phone(text)`);
    await q.query(`DROP FUNCTION hub_mask_name(text)`);
  }
}
