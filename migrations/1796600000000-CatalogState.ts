import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The catalog version the database holds (catalog/catalog.yaml) and a hash of its content: a load
 * never replaces a newer catalog, and one version has one content (issue 11, "which copy is the truth").
 */
export class CatalogState1796600000000 implements MigrationInterface {
  name = 'CatalogState1796600000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "catalog_state" (
      "id" integer PRIMARY KEY CHECK ("id" = 1),
      "version" integer NOT NULL CHECK ("version" >= 1),
      "content_hash" character(64) NOT NULL,
      "loaded_at" timestamptz NOT NULL DEFAULT now())`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "catalog_state"`);
  }
}
