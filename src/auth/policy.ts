import { District, DISTRICTS, districtsCoveredBy, isDistrict, Jurisdiction } from '../domain/jurisdictions';
import { hasRole, Principal, Role } from './principal';

/**
 * The sharing policy of the zone (DESIGN.md, "Who asks, and what they may see"), in one module.
 * Every read asks `readScope`, every lookup by key that finds a hidden record asks `decide` for
 * the reason, every write asks `writeDenial`. Masking of fields is in masking.ts, and the SQL form
 * of a scope in scope.ts; both only carry out what is decided here.
 */

/** The kinds of record the policy decides on; each dossier type is one catalog resource. */
export enum RecordType {
  ENTERPRISE = 'ENTERPRISE',
  EIA_APPROVAL = 'EIA_APPROVAL',
  PERMIT = 'PERMIT',
  INSPECTION = 'INSPECTION',
  PENALTY = 'PENALTY',
  COMPLAINT = 'COMPLAINT',
  CREDIT_RECORD = 'CREDIT_RECORD',
  /** Monitoring stations, observations and assessments: each part under the catalog resource that governs it (MonitoringTerms). */
  MONITORING = 'MONITORING',
}

export const DOSSIER_TYPES: readonly RecordType[] = [
  RecordType.ENTERPRISE, RecordType.EIA_APPROVAL, RecordType.PERMIT, RecordType.INSPECTION,
  RecordType.PENALTY, RecordType.COMPLAINT, RecordType.CREDIT_RECORD,
];

export type SharingType = 'UNCONDITIONAL' | 'CONDITIONAL' | 'NOT_SHARED';

/** A catalog resource's sharing terms, as the resource states them: the policy decides every read with one. */
export interface SharingRule {
  /** For a dossier resource, the record type it governs. */
  recordType?: RecordType;
  catalogCode: string;
  sharingType: SharingType;
  purposes: readonly string[];
  legalBasis: string | null;
  openToPublic: boolean;
}

/** Monitoring data, and the resource whose terms govern each part of it (the catalog's `serves`). */
export interface MonitoringTerms {
  /** Station records, by the registry resource of their kind. */
  stations: ReadonlyArray<{ rule: SharingRule; stationKinds: readonly string[] }>;
  /** Observations, by the resource each station names (its `catalog_resource_code`). */
  observations: readonly SharingRule[];
  /** Assessments computed from observations, by the resource that publishes them for a kind of station. */
  assessments: ReadonlyArray<{ rule: SharingRule; assessment: MonitoringAssessment; stationKinds: readonly string[]; drinkingWaterSource?: boolean }>;
}

export type MonitoringAssessment = 'WATER_CLASS' | 'AQI';

/** Where the policy reads the catalog's terms: cached by the catalog service, refreshed on reload. */
export interface SharingTerms {
  /** The dossier resources, by the record type each governs. */
  rules: ReadonlyMap<RecordType, SharingRule>;
  /** The roles of which a principal must hold one to use a declared purpose. */
  purposeRoles: ReadonlyMap<string, readonly Role[]>;
  monitoring?: MonitoringTerms;
}

export const NO_MONITORING: MonitoringTerms = { stations: [], observations: [], assessments: [] };
export const NO_TERMS: SharingTerms = { rules: new Map(), purposeRoles: new Map(), monitoring: NO_MONITORING };

/** What the policy needs to know of a request. */
export interface AccessContext {
  principal: Principal;
  /** The declared purpose (X-Purpose), when it is one the hub knows. */
  purpose: string | null;
  /** The catalog's sharing terms; without them nothing crosses a district border (fail closed). */
  terms?: SharingTerms;
}

/** The outcome for one owner district, with what would change it. */
export interface Decision {
  allowed: boolean;
  /** The rule that decided: `owner`, `sharing.unconditional`, `sharing.conditional`, `sharing.notShared`, … */
  rule: string;
  /** For a conditional resource: the purposes that would open it. */
  allowedPurposes?: readonly string[];
  /** Roles of which one is missing (or would be needed with the purpose). */
  requiredRoles?: readonly Role[];
  /** Only rows matching this row rule are visible (the public's publicised penalties). */
  rowRule?: RowRule;
}

export type RowRule = 'PUBLICISED';

/**
 * What a principal may read of one record type, reduced to the owner districts it may read (the
 * sharing type belongs to the record type, so the scope is a set of districts), plus a row rule
 * for the public's publicised penalties.
 */
export interface ReadScope {
  recordType: RecordType;
  districts: readonly District[];
  rowRule?: RowRule;
  /** The rule that decided, for explanations: the most permissive one that applied. */
  rule: string;
  /** Per owner district, how the decision came about. */
  decisions: ReadonlyMap<District, Decision>;
}

const DOSSIER_READ_ROLES = [Role.DOSSIER_READER, Role.ADMIN];

/** The rows the public may read of a resource open to the public, where the publication law limits them. */
const PUBLIC_ROW_RULES: Partial<Record<RecordType, RowRule>> = { [RecordType.PENALTY]: 'PUBLICISED' };

/** What a read of a resource needs besides its terms: dossier records the reading role, monitoring data none. */
export type Reading = 'RECORDS' | 'MONITORING';

/**
 * Whether the principal may read data of a catalog resource owned by `owner`, and why. One rule
 * for every resource the catalog lists, dossier records and monitoring data alike:
 * (1) owner district, its province and ZONE read in full (dossier records with the reading role);
 * (2) other jurisdictions read as the resource's sharing type allows (conditional: a declared
 * purpose it lists, with a role that purpose needs); (4) the credit platform reads credit records
 * only; (5) the public reads the resources open to the public, with the publication law's row
 * rules (a penalty while its publicity lasts). Without terms (no rule) nothing crosses a border.
 */
export function decideRule(access: AccessContext, rule: SharingRule | undefined, owner: District, reading: Reading): Decision {
  const p = access.principal;
  if (p.kind === 'system') return { allowed: true, rule: 'system' };

  if (p.kind === 'public' || !p.jurisdiction) {
    if (!rule?.openToPublic) return { allowed: false, rule: 'public.notOpen' };
    const rowRule = rule.recordType ? PUBLIC_ROW_RULES[rule.recordType] : undefined;
    return rowRule ? { allowed: true, rule: 'public.publicised', rowRule } : { allowed: true, rule: 'public.open' };
  }

  if (p.jurisdiction === Jurisdiction.CREDIT_YRD) {
    if (rule?.recordType !== RecordType.CREDIT_RECORD) return { allowed: false, rule: 'creditPlatform.creditOnly' };
    return hasRole(p, Role.CREDIT_FEED) ? { allowed: true, rule: 'creditPlatform' } : { allowed: false, rule: 'role.required', requiredRoles: [Role.CREDIT_FEED] };
  }

  if (reading === 'RECORDS' && !hasRole(p, ...DOSSIER_READ_ROLES)) return { allowed: false, rule: 'role.required', requiredRoles: DOSSIER_READ_ROLES };

  if (districtsCoveredBy(p.jurisdiction).includes(owner)) return { allowed: true, rule: 'owner' };

  if (!rule || rule.sharingType === 'NOT_SHARED') return { allowed: false, rule: 'sharing.notShared' };
  if (rule.sharingType === 'UNCONDITIONAL') return { allowed: true, rule: 'sharing.unconditional' };

  // Conditional: a declared purpose the resource lists, and a role that purpose needs.
  const terms = access.terms ?? NO_TERMS;
  const allowedPurposes = rule.purposes;
  if (!access.purpose || !allowedPurposes.includes(access.purpose)) {
    return { allowed: false, rule: 'sharing.conditional', allowedPurposes };
  }
  const needed = terms.purposeRoles.get(access.purpose) ?? [];
  if (!hasRole(p, ...needed)) return { allowed: false, rule: 'sharing.conditional.role', allowedPurposes, requiredRoles: needed };
  return { allowed: true, rule: 'sharing.conditional', allowedPurposes };
}

/** Whether the principal may read dossier records of `recordType` owned by `owner`, and why (`decideRule` with the type's resource). */
export function decide(access: AccessContext, recordType: RecordType, owner: District): Decision {
  return decideRule(access, (access.terms ?? NO_TERMS).rules.get(recordType), owner, 'RECORDS');
}

/** The owner districts `decideRule` allows for a resource. */
export function allowedDistricts(access: AccessContext, rule: SharingRule | undefined, reading: Reading): District[] {
  return DISTRICTS.filter((d) => decideRule(access, rule, d, reading).allowed);
}

/** The monitoring terms of the catalog in force (none without a catalog: nothing is readable). */
export function monitoringTerms(access: AccessContext): MonitoringTerms {
  return access.terms?.monitoring ?? NO_MONITORING;
}

/** The rule governing a station's records: its kind's registry resource. */
export function stationRule(access: AccessContext, kind: string): SharingRule | undefined {
  return monitoringTerms(access).stations.find((s) => s.stationKinds.includes(kind))?.rule;
}

/** The rule governing a station's observations: the resource the station names. */
export function observationRule(access: AccessContext, catalogCode: string): SharingRule | undefined {
  return monitoringTerms(access).observations.find((r) => r.catalogCode === catalogCode);
}

/** The rule governing an assessment of a station: the resource publishing it for such stations. */
export function assessmentRule(access: AccessContext, assessment: MonitoringAssessment, kind: string, drinkingWaterSource: boolean): SharingRule | undefined {
  return monitoringTerms(access).assessments.find((a) => a.assessment === assessment && a.stationKinds.includes(kind)
    && (a.drinkingWaterSource === undefined || a.drinkingWaterSource === drinkingWaterSource))?.rule;
}

/** The read scope of one record type: the owner districts `decide` allows. */
export function readScope(access: AccessContext, recordType: RecordType): ReadScope {
  const decisions = new Map<District, Decision>();
  for (const d of DISTRICTS) decisions.set(d, decide(access, recordType, d));
  const allowed = DISTRICTS.filter((d) => decisions.get(d)!.allowed);
  const rowRule = allowed.map((d) => decisions.get(d)!.rowRule).find(Boolean);
  const rules = [...new Set([...decisions.values()].filter((x) => x.allowed === allowed.length > 0).map((x) => x.rule))];
  return { recordType, districts: allowed, rowRule, rule: rules.join('+') || 'none', decisions };
}

/** Whether the principal's own jurisdiction covers the district (itself, its province, or ZONE). */
export function covers(p: Principal, district: string): boolean {
  if (p.kind === 'system') return true;
  if (!p.jurisdiction || !isDistrict(district)) return false;
  return districtsCoveredBy(p.jurisdiction).includes(district);
}

/**
 * When a masked field is shown in full, as a condition on the row: always, never, or when one of
 * its columns holds one of the given values. The read engine writes it as SQL; `holds` evaluates
 * it on a row in memory. One form for both, so the two can never disagree.
 */
export type RowCondition = { always: true } | { never: true } | { column: string; in: readonly string[] };

const ALWAYS: RowCondition = { always: true };
const NEVER: RowCondition = { never: true };

/** Rule 3, field by field: who sees each personal or sensitive value in full, and the rule named when it is masked. */
export const MASK_RULES = {
  /** A legal representative's ID number: in full only inside the owner's jurisdiction (its district, province or ZONE). */
  legalRepresentativeId: {
    rule: 'mask.legalRepresentative.outsideOwner',
    fullWhen: (p: Principal): RowCondition =>
      p.kind === 'system' ? ALWAYS : p.jurisdiction ? { column: 'owner_jurisdiction', in: districtsCoveredBy(p.jurisdiction) } : NEVER,
  },
  /** Who complained: only a complaint handler of the handling district. */
  complainant: {
    rule: 'mask.complainant.notHandler',
    fullWhen: (p: Principal): RowCondition =>
      p.kind === 'system' ? ALWAYS : hasRole(p, Role.COMPLAINT_HANDLER) && p.jurisdiction ? { column: 'handling_jurisdiction', in: [p.jurisdiction] } : NEVER,
  },
  /** Inspection findings: with the ENFORCEMENT role only. */
  findings: {
    rule: 'mask.findings.enforcementOnly',
    fullWhen: (p: Principal): RowCondition => (p.kind === 'system' || hasRole(p, Role.ENFORCEMENT) ? ALWAYS : NEVER),
  },
} as const;

export type MaskName = keyof typeof MASK_RULES;

/** Whether a row condition holds for a row (column values by column name). */
export function holds(c: RowCondition, row: Readonly<Record<string, unknown>>): boolean {
  if ('always' in c) return true;
  if ('never' in c) return false;
  return c.in.includes(String(row[c.column]));
}

/** Rule 3 on complaints: only a complaint handler of the handling district sees who complained. */
export function seesComplainant(p: Principal, handlingJurisdiction: string): boolean {
  return holds(MASK_RULES.complainant.fullWhen(p), { handling_jurisdiction: handlingJurisdiction });
}

/** Rule 3 on inspections: findings only with the ENFORCEMENT role. */
export function seesFindings(p: Principal): boolean {
  return holds(MASK_RULES.findings.fullWhen(p), {});
}

/** Rule 3 on enterprises: the legal representative's ID number in full only inside the owner's jurisdiction. */
export function seesLegalRepresentativeId(p: Principal, owner: string): boolean {
  return holds(MASK_RULES.legalRepresentativeId.fullWhen(p), { owner_jurisdiction: owner });
}

/** Who may read the audit trail of an owner district: its AUDITORs, those of its province, and ZONE's. */
export function auditableDistricts(p: Principal): District[] {
  if (p.kind === 'system') return [...DISTRICTS];
  if (!p.jurisdiction || !hasRole(p, Role.AUDITOR, Role.ADMIN)) return [];
  return districtsCoveredBy(p.jurisdiction);
}

/**
 * Rule 6: a DATA_STEWARD writes records of its own district only (provinces and ZONE do not write
 * district records). Returns the reason when it may not.
 */
export function writeDenial(p: Principal, owner: string): string | null {
  if (p.kind === 'system') return null;
  const noRole = writeRoleDenial(p);
  if (noRole) return noRole;
  if (!isDistrict(owner)) return `owner jurisdiction must be one of ${DISTRICTS.join(', ')}`;
  if (p.jurisdiction !== owner) return `a data steward of ${p.jurisdiction} may not write records of ${owner}`;
  return null;
}

/** One line of `myAccess`: what the caller reads of one resource's data owned by one district, and what would give more. */
export interface AccessLine {
  recordType: RecordType;
  /** The catalog resource whose terms decided (monitoring lines: one per resource). */
  catalogCode: string | null;
  ownerJurisdiction: District;
  canRead: boolean;
  rule: string;
  /** Purposes that would open a conditional resource, each with the roles it needs. */
  purposesThatWouldAllow: Array<{ purpose: string; roles: readonly Role[] }>;
  /** Roles the caller lacks for reading at all. */
  rolesNeeded: readonly Role[];
  /** Fields the caller would see masked on these records. */
  maskedFields: string[];
}

/**
 * The policy explained for one caller: per record type and owner district, whether it can read
 * now and what purpose or role would give it more, so a partner never guesses why a list is empty.
 */
export function explainAccess(access: AccessContext): AccessLine[] {
  const p = access.principal;
  const terms = access.terms ?? NO_TERMS;
  const lines: AccessLine[] = [];
  for (const recordType of DOSSIER_TYPES) {
    for (const owner of DISTRICTS) {
      const d = decide(access, recordType, owner);
      const purposes = d.rule.startsWith('sharing.conditional') && !d.allowed
        ? (d.allowedPurposes ?? []).map((purpose) => ({ purpose, roles: terms.purposeRoles.get(purpose) ?? [] }))
        : [];
      const masked: string[] = [];
      if (d.allowed) {
        if (recordType === RecordType.ENTERPRISE && !seesLegalRepresentativeId(p, owner)) masked.push('legalRepresentative.idNumber');
        if (recordType === RecordType.COMPLAINT && !seesComplainant(p, owner)) masked.push('complainant');
        if (recordType === RecordType.INSPECTION && !seesFindings(p)) masked.push('findings');
      }
      lines.push({
        recordType, catalogCode: terms.rules.get(recordType)?.catalogCode ?? null, ownerJurisdiction: owner, canRead: d.allowed, rule: d.rule,
        purposesThatWouldAllow: purposes, rolesNeeded: d.allowed ? [] : d.requiredRoles ?? [], maskedFields: masked,
      });
    }
  }
  // Monitoring data: one line per resource that governs some of it, and owner district.
  const m = monitoringTerms(access);
  const rules = [...m.stations.map((x) => x.rule), ...m.observations, ...m.assessments.map((x) => x.rule)];
  for (const rule of rules.filter((r, i) => rules.findIndex((x) => x.catalogCode === r.catalogCode) === i)) {
    for (const owner of DISTRICTS) {
      const d = decideRule(access, rule, owner, 'MONITORING');
      const purposes = d.rule.startsWith('sharing.conditional') && !d.allowed
        ? (d.allowedPurposes ?? []).map((purpose) => ({ purpose, roles: terms.purposeRoles.get(purpose) ?? [] }))
        : [];
      lines.push({
        recordType: RecordType.MONITORING, catalogCode: rule.catalogCode, ownerJurisdiction: owner, canRead: d.allowed, rule: d.rule,
        purposesThatWouldAllow: purposes, rolesNeeded: d.allowed ? [] : d.requiredRoles ?? [], maskedFields: [],
      });
    }
  }
  return lines;
}

const ZONE_FEED_ROLES = [Role.CREDIT_FEED, Role.DOSSIER_READER, Role.ADMIN];

/**
 * Rule 4, the credit feed (every credit change of all three districts, in commit order): the
 * Credit Yangtze Delta platform with CREDIT_FEED, and ZONE, which reads every district's credit
 * records anyway. Nobody else: a district or province would learn other districts' credit changes.
 * The feed is all or nothing, so the decision is one per principal, not per owner district.
 */
export function feedAccess(p: Principal): Decision {
  if (p.kind === 'system') return { allowed: true, rule: 'system' };
  if (p.kind === 'public' || !p.jurisdiction) return { allowed: false, rule: 'feed.public', requiredRoles: [Role.CREDIT_FEED] };
  if (p.jurisdiction === Jurisdiction.CREDIT_YRD) {
    return hasRole(p, Role.CREDIT_FEED) ? { allowed: true, rule: 'feed.creditPlatform' } : { allowed: false, rule: 'role.required', requiredRoles: [Role.CREDIT_FEED] };
  }
  if (p.jurisdiction === Jurisdiction.ZONE) {
    return hasRole(p, ...ZONE_FEED_ROLES) ? { allowed: true, rule: 'feed.zone' } : { allowed: false, rule: 'role.required', requiredRoles: ZONE_FEED_ROLES };
  }
  return { allowed: false, rule: 'feed.platformAndZoneOnly' };
}

/**
 * Rule 6, the part that needs no record: whether the principal may write at all. Writes ask it
 * before reading any input, so a caller without the role learns nothing about the records it
 * names; `writeDenial` then decides each record by its owner district.
 */
export function writeRoleDenial(p: Principal): string | null {
  if (p.kind === 'system') return null;
  return hasRole(p, Role.DATA_STEWARD) ? null : 'writing needs the DATA_STEWARD role';
}

// ---------------------------------------------------------------------------------------------
// Data objections (数据异议, docs/objections.md). Who may raise, handle and see an objection:
// decided here, from the same read decision as every dossier read.

/**
 * Whether the principal may raise an objection to a record of `recordType` owned by `owner`: any
 * identified principal who may read the record (`decide`, the read engine's own decision). The
 * public, who sign nothing, cannot raise one. Returns the refusal, or null when it may.
 */
export function objectionRaiseDenial(access: AccessContext, recordType: RecordType, owner: District): { rule: string; reason: string } | null {
  const p = access.principal;
  if (p.kind === 'system') return null;
  if (p.kind === 'public' || !p.jurisdiction) return { rule: 'objection.identifiedOnly', reason: 'raising an objection needs a token of an agency or platform' };
  const d = decide(access, recordType, owner);
  if (!d.allowed) return { rule: `objection.readersOnly:${d.rule}`, reason: `only a reader of the record may object to it, and the caller may not read ${recordType} records of ${owner} (${d.rule})` };
  return null;
}

/**
 * Who handles an objection (accepts, verifies, resolves it): a DATA_STEWARD of the district that
 * owns the record, the one who may correct it (rule 6). Returns the refusal, or null when it may.
 */
export function objectionHandlerDenial(p: Principal, owner: string): { rule: string; reason: string } | null {
  if (p.kind === 'system') return null;
  if (!hasRole(p, Role.DATA_STEWARD)) return { rule: 'objection.stewardOnly', reason: 'handling an objection needs the DATA_STEWARD role' };
  if (p.jurisdiction !== owner) return { rule: 'objection.ownerDistrictOnly', reason: `objections to records of ${owner} are handled by a data steward of ${owner}, not of ${p.jurisdiction}` };
  return null;
}

/** Which objections a principal sees in `objections`, as conditions the service writes as SQL. */
export interface ObjectionVisibility {
  /** Every objection it raised (its `sub`), whatever the state. */
  raisedBy: string | null;
  /** Every objection to records of these districts (their data stewards handle them). */
  handledDistricts: readonly District[];
  /** Objections once accepted (flagged, under verification, archived) to records the caller may read: per record type, the owner districts. */
  readable: ReadonlyMap<RecordType, readonly District[]>;
  /** The system sees all. */
  all: boolean;
}

/**
 * What a principal sees of objections: its own, all of its district's records when it is their
 * steward, and, as every reader of a record sees the flag, the accepted objections to records it
 * may read (a raised one not yet accepted stays between the raiser and the owner).
 */
export function objectionVisibility(access: AccessContext): ObjectionVisibility {
  const p = access.principal;
  if (p.kind === 'system') return { raisedBy: null, handledDistricts: [...DISTRICTS], readable: new Map(), all: true };
  if (p.kind === 'public' || !p.jurisdiction) return { raisedBy: null, handledDistricts: [], readable: new Map(), all: false };
  const handled = DISTRICTS.filter((d) => objectionHandlerDenial(p, d) === null);
  const readable = new Map<RecordType, District[]>();
  for (const t of DOSSIER_TYPES) {
    const scope = readScope(access, t);
    // A row rule (the public's publicised penalties) cannot be checked on an objection row: no such reader sees more than the flag.
    if (scope.districts.length > 0 && !scope.rowRule) readable.set(t, [...scope.districts]);
  }
  return { raisedBy: p.sub, handledDistricts: handled, readable, all: false };
}
