import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `hub_missing(value, field)`: raises SQLSTATE HB001 naming the field. The read engine writes an
 * answer that goes out as the response itself (src/graphql/shaped-json.ts) with each non-null
 * field as `coalesce(value, hub_missing(value, 'Type.field'))`: a null where the schema promises a
 * value stops the statement (its audit rows with it), and the engine reads the answer again the
 * way execution checks it, which reports the field as GraphQL does. COALESCE calls the function
 * only for a null, so a normal answer never does. VOLATILE, which keeps the single-use CTEs that
 * hold it materialized: declared STABLE, PostgreSQL inlined them into their parents and the list
 * page (b) ran at a tenth of its rate (docs/performance.md).
 */
export class RequiredValueGuard1810000000000 implements MigrationInterface {
  name = 'RequiredValueGuard1810000000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION hub_missing(v anyelement, field text) RETURNS anyelement LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        RAISE EXCEPTION 'non-null field % has no value', field USING ERRCODE = 'HB001';
      END $$`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION hub_missing(anyelement, text)`);
  }
}
