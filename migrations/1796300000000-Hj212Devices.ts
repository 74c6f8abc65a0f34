import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * HJ 212 devices: a monitoring point's data logger is known by its MN (设备唯一标识, 24 characters
 * in HJ 212-2017, 14 in the 2005 text) and proves itself with the 6-character PW of each packet.
 * The station keeps the MN and a salted scrypt hash of the PW (never the PW), both or neither.
 */
export class Hj212Devices1796300000000 implements MigrationInterface {
  name = 'Hj212Devices1796300000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "monitoring_station" ADD "mn" character varying(24)`);
    await q.query(`ALTER TABLE "monitoring_station" ADD "pw_hash" character varying(160)`);
    await q.query(`ALTER TABLE "monitoring_station" ADD CONSTRAINT "uq_station_mn" UNIQUE ("mn")`);
    await q.query(`ALTER TABLE "monitoring_station" ADD CONSTRAINT "ck_station_device" CHECK (("mn" IS NULL) = ("pw_hash" IS NULL))`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "monitoring_station" DROP CONSTRAINT "ck_station_device"`);
    await q.query(`ALTER TABLE "monitoring_station" DROP CONSTRAINT "uq_station_mn"`);
    await q.query(`ALTER TABLE "monitoring_station" DROP COLUMN "pw_hash"`);
    await q.query(`ALTER TABLE "monitoring_station" DROP COLUMN "mn"`);
  }
}
