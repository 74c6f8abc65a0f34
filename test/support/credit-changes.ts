import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { appendChanges } from '../../src/modules/changes/change-log';

/**
 * Credit writes as the credit writers make them: the credit_record row and its change-log entry in
 * one transaction, the append last (it takes the change-log lock). Tests of the feed use these
 * instead of the write mutations, which follow the same contract.
 */
export interface CreditWrite {
  enterprise: { id: string; uscc: string; name: string; ownerJurisdiction: string };
  kind: 'LISTING' | 'EVALUATION';
  op: 'LISTED' | 'UPDATED' | 'REMOVED' | 'EVALUATED';
  recordNo?: string;
  effectiveOn?: string;
  validUntil?: string | null;
  removedOn?: string | null;
  reason?: string;
  scheme?: string;
  level?: string;
  year?: number;
}

let n = 0;

/** Inserts (or, for UPDATED/REMOVED of an existing number, updates) the record, then appends the change. */
export async function writeCreditIn(m: EntityManager, w: CreditWrite): Promise<string> {
  const recordNo = w.recordNo ?? `TXY${process.pid}${String(++n).padStart(7, '0')}`;
  const e = w.enterprise;
  const listing = w.kind === 'LISTING';
  const row = {
    effectiveOn: w.effectiveOn ?? '2026-03-01',
    issuer: '测试生态环境局',
    scheme: listing ? null : w.scheme ?? 'JIANGSU_5',
    level: listing ? null : w.level ?? 'RED',
    year: listing ? null : w.year ?? 2025,
    reason: listing ? w.reason ?? '篡改、伪造自动监测数据' : null,
    basis: listing ? '《企业环境信用评价办法(试行)》' : null,
    validUntil: listing ? (w.validUntil === undefined ? '2029-03-01' : w.validUntil) : null,
    removedOn: w.removedOn ?? null,
  };
  await m.query(
    `INSERT INTO credit_record (owner_jurisdiction, source_system, source_record_id, source_as_of, enterprise_id, record_no, kind, effective_on, issuer,
       scheme, level, evaluation_year, listing_reason, listing_legal_basis, valid_until, removed_on)
     VALUES ($1, 'TEST', $2, now(), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (record_no) DO UPDATE SET valid_until = EXCLUDED.valid_until, removed_on = EXCLUDED.removed_on, level = EXCLUDED.level, updated_at = now()`,
    [e.ownerJurisdiction, randomUUID(), e.id, recordNo, w.kind, row.effectiveOn, row.issuer, row.scheme, row.level, row.year, row.reason, row.basis, row.validUntil, row.removedOn],
  );
  const payload = listing
    ? { reason: row.reason, legalBasis: row.basis, decisionNo: recordNo, listedAt: row.effectiveOn, validUntil: row.validUntil, issuer: row.issuer, enterpriseName: e.name, ...(row.removedOn ? { removedOn: row.removedOn } : {}) }
    : { scheme: row.scheme, level: row.level, year: row.year, issuer: row.issuer, enterpriseName: e.name };
  await appendChanges(m, [{ recordType: 'CREDIT_RECORD', recordKey: recordNo, op: w.op, ownerJurisdiction: e.ownerJurisdiction, enterpriseId: e.id, uscc: e.uscc, actor: 'test', payload }]);
  return recordNo;
}

/** One credit write in its own transaction; returns the record number. */
export function writeCredit(ds: DataSource, w: CreditWrite): Promise<string> {
  return ds.transaction((m) => writeCreditIn(m, w));
}

/** Many change-log entries in one transaction (one append), for volume: evaluations of one enterprise. */
export async function bulkEvaluations(ds: DataSource, e: CreditWrite['enterprise'], count: number, prefix = 'BULK'): Promise<void> {
  await ds.transaction(async (m) => {
    await appendChanges(m, Array.from({ length: count }, (_, i) => ({
      recordType: 'CREDIT_RECORD', recordKey: `${prefix}${String(i).padStart(7, '0')}`, op: 'EVALUATED', ownerJurisdiction: e.ownerJurisdiction,
      enterpriseId: e.id, uscc: e.uscc, actor: 'test', payload: { kind: 'EVALUATION', scheme: 'JIANGSU_5', level: 'BLUE', year: 2025, issuer: '测试生态环境局', enterpriseName: e.name },
    })));
  });
}
