import { MigrationInterface, QueryRunner } from 'typeorm';
import { JURISDICTIONS } from '../src/domain/jurisdictions';

/** The dossier tables, their natural-key and (owner, key) indexes, and the jurisdiction reference data. */

export class Init1795870824616 implements MigrationInterface {
    name = 'Init1795870824616'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "enterprise" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "owner_jurisdiction" character varying(16) NOT NULL, "source_system" character varying(64) NOT NULL, "source_record_id" character varying(64) NOT NULL, "source_as_of" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "uscc" character varying(18) NOT NULL, "name" character varying(200) NOT NULL, "industry_code" character varying(8) NOT NULL, "industry_name" character varying(100), "address" character varying(300) NOT NULL, "registration_status" character varying(16) NOT NULL, "established_on" date, "legal_rep_name" character varying(64), "legal_rep_id_number" character varying(32), CONSTRAINT "UQ_c8f2c226bf7ff9f7da15710c1ee" UNIQUE ("uscc"), CONSTRAINT "PK_09687cd306dc5d486c0e227c471" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_enterprise_owner_uscc" ON "enterprise"  ("owner_jurisdiction", "uscc") `);
        await queryRunner.query(`CREATE TABLE "complaint" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "owner_jurisdiction" character varying(16) NOT NULL, "source_system" character varying(64) NOT NULL, "source_record_id" character varying(64) NOT NULL, "source_as_of" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "enterprise_id" uuid NOT NULL, "ticket_no" character varying(40) NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL, "channel" character varying(16) NOT NULL, "element" character varying(16) NOT NULL, "content" text NOT NULL, "handling_jurisdiction" character varying(16) NOT NULL, "status" character varying(16) NOT NULL, "reply" text, "closed_at" TIMESTAMP WITH TIME ZONE, "complainant_name" character varying(64), "complainant_phone" character varying(32), "complainant_id_number" character varying(32), CONSTRAINT "UQ_9469f9f7a58d003f99fad1d66ab" UNIQUE ("ticket_no"), CONSTRAINT "PK_a9c8dbc2ab4988edcc2ff0a7337" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_complaint_enterprise" ON "complaint"  ("enterprise_id", "received_at") `);
        await queryRunner.query(`CREATE INDEX "ix_complaint_owner_key" ON "complaint"  ("owner_jurisdiction", "ticket_no") `);
        await queryRunner.query(`CREATE TABLE "credit_record" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "owner_jurisdiction" character varying(16) NOT NULL, "source_system" character varying(64) NOT NULL, "source_record_id" character varying(64) NOT NULL, "source_as_of" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "enterprise_id" uuid NOT NULL, "record_no" character varying(64) NOT NULL, "kind" character varying(16) NOT NULL, "effective_on" date NOT NULL, "issuer" character varying(100) NOT NULL, "scheme" character varying(16), "level" character varying(16), "evaluation_year" integer, "listing_reason" text, "listing_legal_basis" text, "valid_until" date, "removed_on" date, CONSTRAINT "UQ_d427fa6943c34c49b4bd3adf755" UNIQUE ("record_no"), CONSTRAINT "PK_dde3c943c35a6f995747f94d4cb" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_credit_enterprise" ON "credit_record"  ("enterprise_id", "kind", "effective_on") `);
        await queryRunner.query(`CREATE INDEX "ix_credit_owner_key" ON "credit_record"  ("owner_jurisdiction", "record_no") `);
        await queryRunner.query(`CREATE TABLE "eia_approval" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "owner_jurisdiction" character varying(16) NOT NULL, "source_system" character varying(64) NOT NULL, "source_record_id" character varying(64) NOT NULL, "source_as_of" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "enterprise_id" uuid NOT NULL, "approval_no" character varying(64) NOT NULL, "project_name" character varying(200) NOT NULL, "document_type" character varying(24) NOT NULL, "decision" character varying(32) NOT NULL, "decision_date" date NOT NULL, "approving_authority" character varying(100) NOT NULL, CONSTRAINT "UQ_68e152b19003c71f89b76628d9c" UNIQUE ("approval_no"), CONSTRAINT "PK_398fa26c0814a5d8c297edca89f" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_eia_enterprise" ON "eia_approval"  ("enterprise_id", "decision_date") `);
        await queryRunner.query(`CREATE INDEX "ix_eia_owner_key" ON "eia_approval"  ("owner_jurisdiction", "approval_no") `);
        await queryRunner.query(`CREATE TABLE "inspection" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "owner_jurisdiction" character varying(16) NOT NULL, "source_system" character varying(64) NOT NULL, "source_record_id" character varying(64) NOT NULL, "source_as_of" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "enterprise_id" uuid NOT NULL, "inspection_no" character varying(40) NOT NULL, "inspected_on" date NOT NULL, "type" character varying(24) NOT NULL, "lead_agency" character varying(100) NOT NULL, "joint_jurisdictions" text array NOT NULL DEFAULT '{}', "steps" jsonb NOT NULL DEFAULT '[]', "outcome" character varying(32) NOT NULL, "status" character varying(16) NOT NULL, "findings" text, CONSTRAINT "UQ_fc496130f507121e2e715e87d3c" UNIQUE ("inspection_no"), CONSTRAINT "PK_1e895c2ae7b7d9d1ec464950013" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_inspection_enterprise" ON "inspection"  ("enterprise_id", "inspected_on") `);
        await queryRunner.query(`CREATE INDEX "ix_inspection_owner_key" ON "inspection"  ("owner_jurisdiction", "inspection_no") `);
        await queryRunner.query(`CREATE TABLE "jurisdiction" ("code" character varying(16) NOT NULL, "name" character varying(100) NOT NULL, "name_zh" character varying(50) NOT NULL, "level" character varying(16) NOT NULL, "division_code" character varying(6), "parent_code" character varying(16), CONSTRAINT "PK_c1d6ad3bf29ee463d99f0d08a0b" PRIMARY KEY ("code"))`);
        await queryRunner.query(`CREATE TABLE "penalty" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "owner_jurisdiction" character varying(16) NOT NULL, "source_system" character varying(64) NOT NULL, "source_record_id" character varying(64) NOT NULL, "source_as_of" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "enterprise_id" uuid NOT NULL, "decision_no" character varying(64) NOT NULL, "violation_type" character varying(200) NOT NULL, "facts" text NOT NULL, "legal_basis" text NOT NULL, "categories" text array NOT NULL, "content" text NOT NULL, "fine_amount" numeric(16,2) NOT NULL DEFAULT '0', "confiscation_amount" numeric(16,2) NOT NULL DEFAULT '0', "decision_date" date NOT NULL, "authority_name" character varying(100) NOT NULL, "authority_uscc" character varying(18) NOT NULL, "publicity_until" date, "status" character varying(16) NOT NULL, CONSTRAINT "UQ_50eb59fcd6ac1597529935a9942" UNIQUE ("decision_no"), CONSTRAINT "PK_d92f1735fa0b36cba9ff8556a16" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_penalty_owner_date" ON "penalty"  ("owner_jurisdiction", "decision_date") `);
        await queryRunner.query(`CREATE INDEX "ix_penalty_enterprise" ON "penalty"  ("enterprise_id", "decision_date") `);
        await queryRunner.query(`CREATE INDEX "ix_penalty_owner_key" ON "penalty"  ("owner_jurisdiction", "decision_no") `);
        await queryRunner.query(`CREATE TABLE "permit" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "owner_jurisdiction" character varying(16) NOT NULL, "source_system" character varying(64) NOT NULL, "source_record_id" character varying(64) NOT NULL, "source_as_of" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "enterprise_id" uuid NOT NULL, "permit_no" character varying(32) NOT NULL, "management_class" character varying(16) NOT NULL, "issued_on" date NOT NULL, "valid_from" date NOT NULL, "valid_to" date NOT NULL, "status" character varying(16) NOT NULL, "permitted_pollutants" text array NOT NULL, "issuing_authority" character varying(100) NOT NULL, CONSTRAINT "UQ_5ac5849d93cae3a2f7d02a06f87" UNIQUE ("permit_no"), CONSTRAINT "PK_2391da0f3ffdb3315e96908b776" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_permit_enterprise" ON "permit"  ("enterprise_id", "issued_on") `);
        await queryRunner.query(`CREATE INDEX "ix_permit_owner_key" ON "permit"  ("owner_jurisdiction", "permit_no") `);
        for (const j of JURISDICTIONS) {
            await queryRunner.query(
                `INSERT INTO "jurisdiction" ("code", "name", "name_zh", "level", "division_code", "parent_code") VALUES ($1, $2, $3, $4, $5, $6)`,
                [j.code, j.name, j.nameZh, j.level, j.divisionCode, j.parent],
            );
        }
        await queryRunner.query(`ALTER TABLE "complaint" ADD CONSTRAINT "FK_42a6110501caa872efa906a8120" FOREIGN KEY ("enterprise_id") REFERENCES "enterprise"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "credit_record" ADD CONSTRAINT "FK_f6de76f9b00aba8422b36d688c7" FOREIGN KEY ("enterprise_id") REFERENCES "enterprise"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "eia_approval" ADD CONSTRAINT "FK_4aeefe998c811c162b2682b5e3b" FOREIGN KEY ("enterprise_id") REFERENCES "enterprise"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "inspection" ADD CONSTRAINT "FK_b8eb5a079c30787093f72f0d116" FOREIGN KEY ("enterprise_id") REFERENCES "enterprise"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "penalty" ADD CONSTRAINT "FK_0f6530e719621f6b8377a2a893c" FOREIGN KEY ("enterprise_id") REFERENCES "enterprise"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "permit" ADD CONSTRAINT "FK_f48236ad8b2af2a3220e69735f6" FOREIGN KEY ("enterprise_id") REFERENCES "enterprise"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "permit" DROP CONSTRAINT "FK_f48236ad8b2af2a3220e69735f6"`);
        await queryRunner.query(`ALTER TABLE "penalty" DROP CONSTRAINT "FK_0f6530e719621f6b8377a2a893c"`);
        await queryRunner.query(`ALTER TABLE "inspection" DROP CONSTRAINT "FK_b8eb5a079c30787093f72f0d116"`);
        await queryRunner.query(`ALTER TABLE "eia_approval" DROP CONSTRAINT "FK_4aeefe998c811c162b2682b5e3b"`);
        await queryRunner.query(`ALTER TABLE "credit_record" DROP CONSTRAINT "FK_f6de76f9b00aba8422b36d688c7"`);
        await queryRunner.query(`ALTER TABLE "complaint" DROP CONSTRAINT "FK_42a6110501caa872efa906a8120"`);
        await queryRunner.query(`DROP INDEX "public"."ix_permit_owner_key"`);
        await queryRunner.query(`DROP INDEX "public"."ix_permit_enterprise"`);
        await queryRunner.query(`DROP TABLE "permit"`);
        await queryRunner.query(`DROP INDEX "public"."ix_penalty_owner_key"`);
        await queryRunner.query(`DROP INDEX "public"."ix_penalty_enterprise"`);
        await queryRunner.query(`DROP INDEX "public"."ix_penalty_owner_date"`);
        await queryRunner.query(`DROP TABLE "penalty"`);
        await queryRunner.query(`DROP TABLE "jurisdiction"`);
        await queryRunner.query(`DROP INDEX "public"."ix_inspection_owner_key"`);
        await queryRunner.query(`DROP INDEX "public"."ix_inspection_enterprise"`);
        await queryRunner.query(`DROP TABLE "inspection"`);
        await queryRunner.query(`DROP INDEX "public"."ix_eia_owner_key"`);
        await queryRunner.query(`DROP INDEX "public"."ix_eia_enterprise"`);
        await queryRunner.query(`DROP TABLE "eia_approval"`);
        await queryRunner.query(`DROP INDEX "public"."ix_credit_owner_key"`);
        await queryRunner.query(`DROP INDEX "public"."ix_credit_enterprise"`);
        await queryRunner.query(`DROP TABLE "credit_record"`);
        await queryRunner.query(`DROP INDEX "public"."ix_complaint_owner_key"`);
        await queryRunner.query(`DROP INDEX "public"."ix_complaint_enterprise"`);
        await queryRunner.query(`DROP TABLE "complaint"`);
        await queryRunner.query(`DROP INDEX "public"."ix_enterprise_owner_uscc"`);
        await queryRunner.query(`DROP TABLE "enterprise"`);
    }

}
