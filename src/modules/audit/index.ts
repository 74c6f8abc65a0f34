export { AuditEvent } from './audit-event.entity';
export { AuditResolver } from './audit.resolver';
export { AuditService, AuditFilter } from './audit.service';
export { AuditTrail } from './audit-trail';
export { AUDIT_TABLE, maintainAuditStorage } from './audit-storage';
export type { AuditStorageRun } from './audit-storage';
