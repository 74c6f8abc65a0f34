import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sharing applications (issue 12): conditional data is applied for and granted by its provider.
 * `sharing_application` holds each application and, once ACTIVE, the grant it became;
 * `sharing_transition` keeps every change of state with who made it and when (append-only).
 * `audit_event.grant_id` names the grant a read went through.
 *
 * Until now a conditional resource opened to any agency of the zone that declared one of its
 * purposes with the purpose's role. So that no partner loses access on upgrade, those standing
 * arrangements become framework grants here: for each district and provincial bureau, each
 * conditional resource of the catalog as it stood at this migration and each purpose it listed
 * (EMERGENCY excepted: it stays open by declaration), a grant over the districts outside the
 * bureau's own jurisdiction, every item, open-ended. The list is frozen here on purpose: a
 * migration records what was, later catalog changes are answered by applications.
 */
const STANDING: ReadonlyArray<[string, readonly string[]]> = [
  ['211004/0001', ['ENFORCEMENT']],
  ['211004/0002', ['ENFORCEMENT']],
  ['211004/0003', ['ENFORCEMENT']],
  ['211004/0008', ['ENFORCEMENT']],
  ['211005/0001', ['ENFORCEMENT']],
  ['211005/0003', ['ENFORCEMENT']],
  ['211007/0001', ['RESEARCH', 'ENFORCEMENT']],
  ['211010/0001', ['ENFORCEMENT']],
  ['211010/0002', ['ENFORCEMENT']],
  ['211014/0001', ['ENFORCEMENT']],
  ['211014/0003', ['ENFORCEMENT']],
  ['211015/0001', ['ENFORCEMENT']],
  ['211016/0001', ['CREDIT_ASSESSMENT', 'PERMITTING']],
  ['211017/0001', ['ENFORCEMENT', 'EMERGENCY']],
];

/** The bureaus party to the arrangement (catalog/dimensions/providers.yaml), their jurisdiction and the districts outside it. */
const BUREAUS: ReadonlyArray<[org: string, jurisdiction: string, others: readonly string[]]> = [
  ['QINGPU-EEB', 'QINGPU', ['WUJIANG', 'JIASHAN']],
  ['WUJIANG-EEB', 'WUJIANG', ['QINGPU', 'JIASHAN']],
  ['JIASHAN-EEB', 'JIASHAN', ['QINGPU', 'WUJIANG']],
  ['SHANGHAI-EEB', 'SHANGHAI', ['WUJIANG', 'JIASHAN']],
  ['JIANGSU-EED', 'JIANGSU', ['QINGPU', 'JIASHAN']],
  ['ZHEJIANG-EED', 'ZHEJIANG', ['QINGPU', 'WUJIANG']],
];

export class SharingApplications1797000000000 implements MigrationInterface {
  name = 'SharingApplications1797000000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "sharing_application" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "kind" varchar(16) NOT NULL DEFAULT 'APPLICATION' CHECK ("kind" IN ('APPLICATION', 'FRAMEWORK')),
      "resource_code" varchar(32) NOT NULL,
      "applicant_org" varchar(64) NOT NULL,
      "applicant_jurisdiction" varchar(16) NOT NULL,
      "applicant_sub" varchar(128) NOT NULL,
      "provider_jurisdiction" varchar(16) NOT NULL,
      "items" text[],
      "districts" varchar(16)[] NOT NULL,
      "purpose" varchar(32) NOT NULL,
      "scenario" text NOT NULL,
      "legal_basis" text NOT NULL,
      "contact" text NOT NULL,
      "commitment" text NOT NULL,
      "valid_from" date NOT NULL,
      "valid_to" date,
      "granted_items" text[],
      "granted_districts" varchar(16)[],
      "granted_from" date,
      "granted_to" date,
      "status" varchar(16) NOT NULL,
      "decision_reason" text,
      "decided_by" varchar(128),
      "decided_at" timestamptz,
      "submitted_at" timestamptz NOT NULL DEFAULT now(),
      "due_on" date,
      "updated_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "PK_sharing_application" PRIMARY KEY ("id"),
      CONSTRAINT "ck_sharing_period" CHECK ("valid_to" IS NULL OR "valid_to" >= "valid_from"))`);
    await q.query(`CREATE INDEX "ix_sharing_applicant" ON "sharing_application" ("applicant_org", "submitted_at")`);
    await q.query(`CREATE INDEX "ix_sharing_provider" ON "sharing_application" ("provider_jurisdiction", "status")`);
    await q.query(`CREATE INDEX "ix_sharing_resource" ON "sharing_application" ("resource_code", "status")`);
    await q.query(`CREATE INDEX "ix_sharing_active" ON "sharing_application" ("applicant_org") WHERE "status" = 'ACTIVE'`);
    await q.query(`CREATE TABLE "sharing_transition" (
      "id" bigserial NOT NULL,
      "application_id" uuid NOT NULL REFERENCES "sharing_application" ("id") ON DELETE CASCADE,
      "from_status" varchar(16),
      "to_status" varchar(16) NOT NULL,
      "actor_sub" varchar(128) NOT NULL,
      "actor_org" varchar(64),
      "actor_jurisdiction" varchar(16),
      "note" text,
      "at" timestamptz NOT NULL DEFAULT clock_timestamp(),
      CONSTRAINT "PK_sharing_transition" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_sharing_transition_app" ON "sharing_transition" ("application_id", "id")`);
    await q.query(`ALTER TABLE "audit_event" ADD "grant_id" uuid`);
    await q.query(`CREATE INDEX "ix_audit_emergency" ON "audit_event" ("owner_jurisdiction", "at") WHERE "purpose" = 'EMERGENCY'`);

    const rows: string[] = [];
    const params: unknown[] = [];
    for (const [org, jurisdiction, others] of BUREAUS) {
      for (const [code, purposes] of STANDING) {
        for (const purpose of purposes.filter((p) => p !== 'EMERGENCY')) {
          const n = params.length;
          params.push(code, org, jurisdiction, others, purpose);
          rows.push(`('FRAMEWORK', $${n + 1}, $${n + 2}, $${n + 3}, 'system:migration', 'ZONE', NULL, $${n + 4}::varchar[], $${n + 5},
            '示范区三地既有的共享安排 standing arrangement of the zone', '《长三角生态绿色一体化发展示范区生态环境管理"三统一"制度建设行动方案》', '-', 'standing arrangement',
            DATE '2026-01-01', NULL, NULL, $${n + 4}::varchar[], DATE '2026-01-01', NULL, 'ACTIVE', 'standing arrangement before sharing applications', 'system:migration', now())`);
        }
      }
    }
    await q.query(`INSERT INTO "sharing_application" ("kind", "resource_code", "applicant_org", "applicant_jurisdiction", "applicant_sub", "provider_jurisdiction",
      "items", "districts", "purpose", "scenario", "legal_basis", "contact", "commitment", "valid_from", "valid_to", "granted_items", "granted_districts",
      "granted_from", "granted_to", "status", "decision_reason", "decided_by", "decided_at") VALUES ${rows.join(',\n')}`, params);
    await q.query(`INSERT INTO "sharing_transition" ("application_id", "from_status", "to_status", "actor_sub", "note")
      SELECT "id", NULL, 'ACTIVE', 'system:migration', 'framework grant: a standing arrangement before sharing applications' FROM "sharing_application" WHERE "kind" = 'FRAMEWORK'`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_audit_emergency"`);
    await q.query(`ALTER TABLE "audit_event" DROP COLUMN "grant_id"`);
    await q.query(`DROP TABLE "sharing_transition"`);
    await q.query(`DROP TABLE "sharing_application"`);
  }
}
