import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, InputType } from 'type-graphql';
import { DataSource } from 'typeorm';
import { auditableDistricts } from '../../auth/policy';
import { Principal } from '../../auth/principal';
import { SqlParams } from '../../db/sql';
import { Jurisdiction, districtsCoveredBy } from '../../domain/jurisdictions';
import { badInput, forbidden } from '../../graphql/errors';
import { encodeCursor, keysetPage, Page, PageArgs, pageRequest } from '../../graphql/pagination';
import { UsccScalar } from '../../graphql/scalars';
import { AuditEvent } from './audit-event.entity';
import { AuditTrail } from './audit-trail';

@InputType({ description: 'Narrows the audit log.' })
export class AuditFilter {
  @Field(() => Jurisdiction, { nullable: true, description: 'Whose records were read (a province or ZONE stands for its districts).' })
  ownerJurisdiction?: Jurisdiction;

  @Field(() => Jurisdiction, { nullable: true, description: 'The reader\'s jurisdiction.' })
  readerJurisdiction?: Jurisdiction;

  @Field(() => DateTimeResolver, { nullable: true }) from?: Date;
  @Field(() => DateTimeResolver, { nullable: true }) to?: Date;

  @Field(() => String, { nullable: true, description: 'Only reads of this resource type (PENALTY, COMPLAINT, MONITORING, OBSERVATION, WATER_CLASS, AQI, …).' })
  recordType?: string;

  @Field(() => String, { nullable: true, description: 'Only reads that released or refused the record with this natural key (a decision number, a ticket number, a station code, a USCC).' })
  key?: string;

  @Field(() => UsccScalar, { nullable: true, description: 'Only reads of this enterprise\'s dossier: its own record and every record about it.' })
  uscc?: string;

  @Field(() => ID, { nullable: true, description: 'Only reads made through this sharing grant (a sharing application\'s id).' })
  grantId?: string;
}

/** Who is reading, for the audit line. */
export interface AuditRequest {
  requestId: string;
  principal: Principal;
  purpose: string | null;
  operationName: string | null;
  audit: AuditTrail;
}

const TAG = 'AUDIT';

/**
 * The audit log: written once per request in one INSERT, before the response leaves the hub,
 * and read by the auditors of the owner districts (the owner's view of who read its data).
 */
export class AuditService {
  constructor(private readonly ds: DataSource) {}

  /** Writes the request's tallies; throws when the database refuses, and then the read must fail. */
  async write(req: AuditRequest): Promise<number> {
    const entries = req.audit.entries;
    if (entries.length === 0) return 0;
    const p = req.principal;
    const q = new SqlParams();
    const rows = entries.map((e) => `(${[
      q.p(req.requestId), q.p(p.sub), q.p(p.org), q.p(p.jurisdiction), q.p(req.purpose), q.p(req.operationName?.slice(0, 128) ?? null),
      q.p(e.resourceType), q.p(e.owner), q.p(e.count), q.p(e.masked), q.p(e.denied), `${q.p([...e.keys])}::text[]`, `${q.p(e.grantId)}::uuid`,
    ].join(', ')})`);
    await this.ds.query(
      `INSERT INTO audit_event (request_id, sub, org, jurisdiction, purpose, operation_name, resource_type, owner_jurisdiction, record_count, masked, denied, record_keys, grant_id)
       VALUES ${rows.join(', ')}`,
      q.values,
    );
    return entries.length;
  }

  /** Audit events of the owner districts the principal may audit, newest first. */
  async list(principal: Principal, filter: AuditFilter, args: PageArgs): Promise<Page<AuditEvent>> {
    const allowed = auditableDistricts(principal);
    if (allowed.length === 0) throw forbidden('reading the audit log needs the AUDITOR role of a district, its province or ZONE', { rule: 'audit.auditorOnly', requiredRoles: ['AUDITOR'] });
    const page = pageRequest(args, TAG, ['timestamptz', 'bigint']);
    if (filter.from && filter.to && filter.from > filter.to) throw badInput('filter.to', 'must not be before filter.from');
    const owners = filter.ownerJurisdiction ? districtsCoveredBy(filter.ownerJurisdiction).filter((d) => allowed.includes(d)) : allowed;
    const q = new SqlParams();
    const where = [owners.length ? `owner_jurisdiction = ANY(${q.p(owners)}::varchar[])` : 'false'];
    if (filter.readerJurisdiction) where.push(`jurisdiction = ${q.p(filter.readerJurisdiction)}`);
    if (filter.from) where.push(`at >= ${q.p(filter.from)}`);
    if (filter.to) where.push(`at <= ${q.p(filter.to)}`);
    if (filter.recordType !== undefined) {
      if (!/^[A-Z_]{1,32}$/.test(filter.recordType)) throw badInput('filter.recordType', `must be a resource type like PENALTY or OBSERVATION, got "${filter.recordType}"`);
      where.push(`resource_type = ${q.p(filter.recordType)}`);
    }
    if (filter.key !== undefined) {
      if (filter.key.length === 0 || filter.key.length > 64) throw badInput('filter.key', 'must be 1 to 64 characters');
      where.push(`record_keys @> ARRAY[${q.p(filter.key)}]::text[]`);
    }
    if (filter.grantId !== undefined) {
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(filter.grantId)) throw badInput('filter.grantId', `is not a sharing application id: ${JSON.stringify(filter.grantId)}`);
      where.push(`grant_id = ${q.p(filter.grantId)}::uuid`);
    }
    // An enterprise's dossier: every event about it, whatever the record type (GIN index on enterprise_ids).
    if (filter.uscc !== undefined) {
      const [e] = await this.ds.query('SELECT id FROM enterprise WHERE uscc = $1', [filter.uscc]);
      where.push(e ? `enterprise_ids @> ARRAY[${q.p(e.id)}]::uuid[]` : 'false');
    }
    const base = [...where];
    if (page.after) where.push(`(at, id) < (${q.p(page.after[0])}::timestamptz, ${q.p(page.after[1])}::bigint)`);
    const raw: Record<string, unknown>[] = await this.ds.query(
      `SELECT * FROM audit_event WHERE ${where.join(' AND ')} ORDER BY at DESC, id DESC LIMIT ${page.first + 1}`,
      q.values,
    );
    const nodes = raw.slice(0, page.first).map((r) => this.toEvent(r));
    const countParams = q.values.slice(0, page.after ? -2 : undefined);
    return keysetPage(nodes, raw.length, page, (n) => encodeCursor(TAG, [n.at.toISOString(), n.id]),
      () => this.ds.query(`SELECT count(*)::int AS n FROM audit_event WHERE ${base.join(' AND ')}`, countParams).then((r: Array<{ n: number }>) => r[0].n));
  }

  private toEvent(r: Record<string, unknown>): AuditEvent {
    return Object.assign(new AuditEvent(), {
      id: String(r.id), at: r.at as Date, requestId: r.request_id, sub: r.sub, org: r.org, jurisdiction: r.jurisdiction, purpose: r.purpose,
      operationName: r.operation_name, resourceType: r.resource_type, ownerJurisdiction: r.owner_jurisdiction,
      recordCount: r.record_count, masked: r.masked, denied: r.denied, recordKeys: r.record_keys ?? [], grantId: r.grant_id ?? null,
    });
  }
}
