import { District, DISTRICTS, districtsCoveredBy, isDistrict, Jurisdiction } from '../domain/jurisdictions';
import { hasRole, Principal, Role } from './principal';

/** The kinds of dossier record the policy decides on; each is a catalog resource with a sharing type. */
export enum RecordType {
  ENTERPRISE = 'ENTERPRISE',
  EIA_APPROVAL = 'EIA_APPROVAL',
  PERMIT = 'PERMIT',
  INSPECTION = 'INSPECTION',
  PENALTY = 'PENALTY',
  COMPLAINT = 'COMPLAINT',
  CREDIT_RECORD = 'CREDIT_RECORD',
  /** Monitoring stations and their observations (shared unconditionally inside the zone). */
  MONITORING = 'MONITORING',
}

/** What the policy needs to know of a request. */
export interface AccessContext {
  principal: Principal;
  /** The declared purpose (X-Purpose), when it is one the hub knows. */
  purpose: string | null;
}

/**
 * What a principal may read of one record type, reduced to the owner districts it may read
 * (DESIGN.md: the sharing type belongs to the record type, so the scope is a set of districts).
 * `rule` names the rule that decided, for explanations and FORBIDDEN errors.
 */
export interface ReadScope {
  recordType: RecordType;
  districts: readonly District[];
  rule: string;
}

const DOSSIER_READ_ROLES = [Role.DOSSIER_READER, Role.ADMIN];

/**
 * Rule 1 (DESIGN.md, "Who asks"): the owner district, the province above it and ZONE read a
 * record in full, role permitting; nobody else reads dossier data.
 */
export function readScope(access: AccessContext, recordType: RecordType): ReadScope {
  const p = access.principal;
  if (p.kind === 'system') return { recordType, districts: DISTRICTS, rule: 'system' };
  if (p.kind === 'public' || !p.jurisdiction) return { recordType, districts: [], rule: 'public' };
  if (p.jurisdiction === Jurisdiction.CREDIT_YRD) return { recordType, districts: [], rule: 'credit-platform' };
  // The zone shares its monitoring network with every authenticated agency of the zone.
  if (recordType === RecordType.MONITORING) return { recordType, districts: DISTRICTS, rule: 'sharing.unconditional' };
  if (!hasRole(p, ...DOSSIER_READ_ROLES)) return { recordType, districts: [], rule: 'role.dossierReader' };
  return { recordType, districts: districtsCoveredBy(p.jurisdiction), rule: 'owner' };
}

/** Whether a scope lets the principal read a record of this owner district. */
export function scopeAllows(scope: ReadScope, owner: string): boolean {
  return isDistrict(owner) && scope.districts.includes(owner);
}

/** Whether the principal's own jurisdiction covers the district (itself, its province, or ZONE). */
export function covers(p: Principal, district: string): boolean {
  if (p.kind === 'system') return true;
  if (!p.jurisdiction || !isDistrict(district)) return false;
  return districtsCoveredBy(p.jurisdiction).includes(district);
}

/**
 * Rule 6: a DATA_STEWARD writes records of its own district only (provinces and ZONE do not write
 * district records). Returns the reason when it may not.
 */
export function writeDenial(p: Principal, owner: string): string | null {
  if (p.kind === 'system') return null;
  if (!hasRole(p, Role.DATA_STEWARD)) return 'writing needs the DATA_STEWARD role';
  if (!isDistrict(owner)) return `owner jurisdiction must be one of ${DISTRICTS.join(', ')}`;
  if (p.jurisdiction !== owner) return `a data steward of ${p.jurisdiction} may not write records of ${owner}`;
  return null;
}
