import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Monitoring stations and their observations. Observations hang off a station and carry no owner
 * column: reads scope on the station's owner district. The unique (station, parameter, time)
 * constraint doubles as the index of per-parameter series; the second index serves a station's
 * newest-first list across parameters.
 */
export class Monitoring1795900000000 implements MigrationInterface {
  name = 'Monitoring1795900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "monitoring_station" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "owner_jurisdiction" character varying(16) NOT NULL, "source_system" character varying(64) NOT NULL, "source_record_id" character varying(64) NOT NULL, "source_as_of" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "code" character varying(32) NOT NULL, "name" character varying(100) NOT NULL, "kind" character varying(16) NOT NULL, "control_level" character varying(16), "waterbody" character varying(16), "water_name" character varying(50), "target_class" character varying(16), "drinking_water_source" boolean NOT NULL DEFAULT false, "catalog_resource_code" character varying(24) NOT NULL, "longitude" numeric(9,6), "latitude" numeric(9,6), "enterprise_id" uuid, CONSTRAINT "UQ_3890c6badd331dacacb4c3f68de" UNIQUE ("code"), CONSTRAINT "ck_station_enterprise" CHECK ("enterprise_id" IS NULL OR "kind" = 'POLLUTION_SOURCE'), CONSTRAINT "ck_station_water" CHECK (("kind" = 'SURFACE_WATER') = ("waterbody" IS NOT NULL AND "target_class" IS NOT NULL)), CONSTRAINT "PK_59327b21e2fde8bab9b156b2672" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_station_enterprise" ON "monitoring_station" ("enterprise_id") `);
    await queryRunner.query(`CREATE INDEX "ix_station_owner_code" ON "monitoring_station" ("owner_jurisdiction", "code") `);
    await queryRunner.query(`CREATE TABLE "observation" ("id" BIGSERIAL NOT NULL, "station_id" uuid NOT NULL, "parameter" character varying(16) NOT NULL, "observed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "interval" character varying(16) NOT NULL, "value" numeric NOT NULL, "unit" character varying(16) NOT NULL, "flag" character(1) NOT NULL, CONSTRAINT "uq_observation_station_parameter_time" UNIQUE ("station_id", "parameter", "observed_at"), CONSTRAINT "PK_77a736edc631a400b788ce302cb" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_observation_station_time" ON "observation" ("station_id", "observed_at", "parameter") `);
    await queryRunner.query(`ALTER TABLE "monitoring_station" ADD CONSTRAINT "FK_9563db7e45059f04c711a082ed3" FOREIGN KEY ("enterprise_id") REFERENCES "enterprise"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "observation" ADD CONSTRAINT "FK_8a91c787a37c4288b7d9fe8d2a8" FOREIGN KEY ("station_id") REFERENCES "monitoring_station"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "observation" DROP CONSTRAINT "FK_8a91c787a37c4288b7d9fe8d2a8"`);
    await queryRunner.query(`ALTER TABLE "monitoring_station" DROP CONSTRAINT "FK_9563db7e45059f04c711a082ed3"`);
    await queryRunner.query(`DROP INDEX "public"."ix_observation_station_time"`);
    await queryRunner.query(`DROP TABLE "observation"`);
    await queryRunner.query(`DROP INDEX "public"."ix_station_owner_code"`);
    await queryRunner.query(`DROP INDEX "public"."ix_station_enterprise"`);
    await queryRunner.query(`DROP TABLE "monitoring_station"`);
  }
}
