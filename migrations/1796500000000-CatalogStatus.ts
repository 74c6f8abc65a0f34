import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Honest entry points (issue 11): a catalog resource says whether the hub serves it (`status`) and
 * which monitoring data its terms govern (`serves`); a PLANNED resource has no entry point. The
 * pollution-source outlets of the demo data are shared under the resource of what they emit: flue
 * gas (211004/0002) and VOC (211004/0003) outlets were filed under wastewater (211004/0001).
 */
export class CatalogStatus1796500000000 implements MigrationInterface {
  name = 'CatalogStatus1796500000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "catalog_resource" ADD "status" character varying(16) NOT NULL DEFAULT 'SERVED'`);
    await q.query(`ALTER TABLE "catalog_resource" ADD "serves" jsonb`);
    await q.query(`ALTER TABLE "catalog_resource" ALTER COLUMN "entry_point" DROP NOT NULL`);
    await q.query(`ALTER TABLE "catalog_resource" ALTER COLUMN "example_query" DROP NOT NULL`);
    await q.query(`ALTER TABLE "catalog_resource" ADD CONSTRAINT "ck_catalog_resource_status" CHECK ("status" IN ('SERVED', 'PLANNED') AND ("status" = 'PLANNED') = ("entry_point" IS NULL))`);
    await q.query(`UPDATE "monitoring_station" SET "catalog_resource_code" = '211004/0002' WHERE "kind" = 'POLLUTION_SOURCE' AND "catalog_resource_code" = '211004/0001' AND "name" LIKE '%锅炉废气排口'`);
    await q.query(`UPDATE "monitoring_station" SET "catalog_resource_code" = '211004/0003' WHERE "kind" = 'POLLUTION_SOURCE' AND "catalog_resource_code" = '211004/0001' AND "name" LIKE '%废气排口' AND "name" NOT LIKE '%锅炉废气排口'`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE "monitoring_station" SET "catalog_resource_code" = '211004/0001' WHERE "catalog_resource_code" IN ('211004/0002', '211004/0003')`);
    await q.query(`ALTER TABLE "catalog_resource" DROP CONSTRAINT "ck_catalog_resource_status"`);
    await q.query(`DELETE FROM "catalog_resource" WHERE "entry_point" IS NULL`);
    await q.query(`ALTER TABLE "catalog_resource" ALTER COLUMN "example_query" SET NOT NULL`);
    await q.query(`ALTER TABLE "catalog_resource" ALTER COLUMN "entry_point" SET NOT NULL`);
    await q.query(`ALTER TABLE "catalog_resource" DROP COLUMN "serves"`);
    await q.query(`ALTER TABLE "catalog_resource" DROP COLUMN "status"`);
  }
}
