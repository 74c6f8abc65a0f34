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
  /** Joint enforcement (issue 14): a case, its transfers, its evidence, and a receiving district's reviews of evidence. */
  ENFORCEMENT_CASE = 'ENFORCEMENT_CASE',
  CASE_TRANSFER = 'CASE_TRANSFER',
  EVIDENCE_ITEM = 'EVIDENCE_ITEM',
  EVIDENCE_RECOGNITION = 'EVIDENCE_RECOGNITION',
  /** The positive list (监督执法正面清单): firms supervised off-site, read like dossier records. */
  POSITIVE_LIST_ENTRY = 'POSITIVE_LIST_ENTRY',
  /** Environmental risk sources (环境风险源, issue 17 item 4): an enterprise's risk substances, level, receptors and filed emergency plan. */
  RISK_SOURCE = 'RISK_SOURCE',
  /** Emergency resources a district can lend: monitoring teams, experts, equipment, materials. */
  EMERGENCY_RESOURCE = 'EMERGENCY_RESOURCE',
}

export const DOSSIER_TYPES: readonly RecordType[] = [
  RecordType.ENTERPRISE, RecordType.EIA_APPROVAL, RecordType.PERMIT, RecordType.INSPECTION,
  RecordType.PENALTY, RecordType.COMPLAINT, RecordType.CREDIT_RECORD,
];

/** The joint-enforcement record types: each a catalog resource like a dossier type, read with the ENFORCEMENT role. */
export const ENFORCEMENT_TYPES: readonly RecordType[] = [
  RecordType.ENFORCEMENT_CASE, RecordType.CASE_TRANSFER, RecordType.EVIDENCE_ITEM, RecordType.EVIDENCE_RECOGNITION,
];

/** Every record type the policy scopes by owner district (dossier and enforcement): each has one catalog resource. */
export const RECORD_TYPES: readonly RecordType[] = [
  ...DOSSIER_TYPES, ...ENFORCEMENT_TYPES, RecordType.POSITIVE_LIST_ENTRY, RecordType.RISK_SOURCE, RecordType.EMERGENCY_RESOURCE,
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
  /** The resource's data items (信息项) by field name, as the catalog lists them: what a grant may be limited to. */
  items?: readonly string[];
}

/**
 * An ACTIVE sharing grant (an approved sharing application, or a framework grant that carried a
 * standing arrangement over): the grantee agency reads the resource's data owned by the granted
 * districts, the granted items only, within the period. The sharing module keeps them; the policy
 * decides with them like with the catalog's terms.
 */
export interface SharingGrant {
  id: string;
  /** The grantee agency (the token's `org`), not its whole jurisdiction. */
  org: string;
  catalogCode: string;
  /** The purpose applied for: a principal of the agency uses the grant with one of the purpose's roles. */
  purpose: string;
  districts: readonly District[];
  /** Granted data items by field name; null for every item. */
  items: readonly string[] | null;
  validFrom: string;
  /** Last day of the grant; null for an open-ended framework grant. */
  validTo: string | null;
}

/** The one purpose a request may still declare to read conditional data without a grant; every such read is listed for the owner. */
export const EMERGENCY_PURPOSE = 'EMERGENCY';

/** Monitoring data, and the resource whose terms govern each part of it (the catalog's `serves`). */
export interface MonitoringTerms {
  /** Station records, by the registry resource of their kind. */
  stations: ReadonlyArray<{ rule: SharingRule; stationKinds: readonly string[] }>;
  /** Observations, by the resource each station names (its `catalog_resource_code`). */
  observations: readonly SharingRule[];
  /** Assessments computed from observations, by the resource that publishes them for a kind of station. */
  assessments: ReadonlyArray<{ rule: SharingRule; assessment: MonitoringAssessment; stationKinds: readonly string[]; drinkingWaterSource?: boolean }>;
  /** Early-warning alerts, by the resource each alert names (its `catalog_resource_code`, set by the warning rules). */
  alerts: readonly SharingRule[];
  /** Compliance reminders, by the resource each reminder names (its `catalog_resource_code`, set by the reminder rules). */
  reminders?: readonly SharingRule[];
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

export const NO_MONITORING: MonitoringTerms = { stations: [], observations: [], assessments: [], alerts: [], reminders: [] };
export const NO_TERMS: SharingTerms = { rules: new Map(), purposeRoles: new Map(), monitoring: NO_MONITORING };

/** What the policy needs to know of a request. */
export interface AccessContext {
  principal: Principal;
  /** The declared purpose (X-Purpose), when it is one the hub knows. */
  purpose: string | null;
  /** The catalog's sharing terms; without them nothing crosses a district border (fail closed). */
  terms?: SharingTerms;
  /** The active grants of the caller's agency; none when not given. */
  grants?: readonly SharingGrant[];
  /** Today's day in China (YYYY-MM-DD), for the grants' periods; without it no grant is in force (fail closed). */
  today?: string;
}

/** The outcome for one owner district, with what would change it. */
export interface Decision {
  allowed: boolean;
  /** The rule that decided: `owner`, `sharing.unconditional`, `sharing.conditional`, `sharing.notShared`, … */
  rule: string;
  /** For a conditional resource: the purposes that would open it without a grant (EMERGENCY only, where listed). */
  allowedPurposes?: readonly string[];
  /** The grant the read goes through (rule `sharing.grant`). */
  grantId?: string;
  /** The items that grant opens; null for every item. */
  grantedItems?: readonly string[] | null;
  /** For a conditional resource not open to the caller: the catalog resource to apply for. */
  applyFor?: string;
  /** Roles of which one is missing (or would be needed with the purpose). */
  requiredRoles?: readonly Role[];
  /** Only rows matching this row rule are visible (the public's publicised penalties). */
  rowRule?: RowRule;
}

/**
 * PUBLICISED: the public's penalties while their publicity lasts. TRANSFERRED: besides the owner
 * districts, the enforcement records a transfer opened to the reader's district (scope.ts writes it).
 */
export type RowRule = 'PUBLICISED' | 'TRANSFERRED';

/**
 * What a principal may read of one record type, reduced to the owner districts it may read (the
 * sharing type belongs to the record type, so the scope is a set of districts), plus a row rule
 * for the public's publicised penalties.
 */
export interface ReadScope {
  recordType: RecordType;
  districts: readonly District[];
  rowRule?: RowRule;
  /** With rowRule TRANSFERRED: the district that reads what transfers to it opened. */
  transferReader?: District;
  /** The rule that decided, for explanations: the most permissive one that applied. */
  rule: string;
  /** Per owner district, how the decision came about. */
  decisions: ReadonlyMap<District, Decision>;
}

const DOSSIER_READ_ROLES = [Role.DOSSIER_READER, Role.ADMIN];
/** Case files, transfers and evidence are read by enforcement officers (and administrators), not by every dossier reader. */
const ENFORCEMENT_READ_ROLES = [Role.ENFORCEMENT, Role.ADMIN];

/** The rows the public may read of a resource open to the public, where the publication law limits them. */
const PUBLIC_ROW_RULES: Partial<Record<RecordType, RowRule>> = { [RecordType.PENALTY]: 'PUBLICISED' };

/** What a read of a resource needs besides its terms: dossier records the reading role, monitoring data none. */
export type Reading = 'RECORDS' | 'MONITORING';

/**
 * Whether the principal may read data of a catalog resource owned by `owner`, and why. One rule
 * for every resource the catalog lists, dossier records and monitoring data alike:
 * (1) owner district, its province and ZONE read in full (dossier records with the reading role);
 * (2) other jurisdictions read as the resource's sharing type allows (conditional: an active
 * grant to the caller's agency covering the owner, today, with a role of the grant's purpose; or
 * the EMERGENCY purpose, where the resource lists it, which the owner reviews afterwards); (4) the credit platform reads credit records
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

  const readRoles = rule?.recordType && ENFORCEMENT_TYPES.includes(rule.recordType) ? ENFORCEMENT_READ_ROLES : DOSSIER_READ_ROLES;
  if (reading === 'RECORDS' && !hasRole(p, ...readRoles)) return { allowed: false, rule: 'role.required', requiredRoles: readRoles };

  if (districtsCoveredBy(p.jurisdiction).includes(owner)) return { allowed: true, rule: 'owner' };

  if (!rule || rule.sharingType === 'NOT_SHARED') return { allowed: false, rule: 'sharing.notShared' };
  if (rule.sharingType === 'UNCONDITIONAL') return { allowed: true, rule: 'sharing.unconditional' };

  // Conditional: an active grant to the caller's agency, used with a role of its purpose.
  const terms = access.terms ?? NO_TERMS;
  const allowedPurposes = rule.purposes.filter((x) => x === EMERGENCY_PURPOSE);
  const grants = grantsCovering(access, rule.catalogCode, owner);
  const usable = grants.find((g) => hasRole(p, ...(terms.purposeRoles.get(g.purpose) ?? [])));
  if (usable) return { allowed: true, rule: 'sharing.grant', grantId: usable.id, grantedItems: usable.items };
  // Without a grant, only a declared emergency, with the role it needs.
  if (access.purpose === EMERGENCY_PURPOSE && allowedPurposes.length > 0) {
    const needed = terms.purposeRoles.get(EMERGENCY_PURPOSE) ?? [];
    if (hasRole(p, ...needed)) return { allowed: true, rule: 'sharing.emergency', allowedPurposes };
    return { allowed: false, rule: 'sharing.conditional.role', allowedPurposes, requiredRoles: needed, applyFor: rule.catalogCode };
  }
  if (grants.length > 0) {
    const needed = [...new Set(grants.flatMap((g) => terms.purposeRoles.get(g.purpose) ?? []))];
    return { allowed: false, rule: 'sharing.grant.role', allowedPurposes, requiredRoles: needed, grantId: grants[0].id, applyFor: rule.catalogCode };
  }
  return { allowed: false, rule: 'sharing.conditional', allowedPurposes, applyFor: rule.catalogCode };
}

/**
 * What a refusal tells the caller beyond its rule, for every FORBIDDEN of a hidden record or
 * withheld data: the purposes and roles that would open it, the grant it holds but may not use,
 * and the resource to apply for ("apply for resource 211014/0001").
 */
export function denialExtensions(d: Decision | undefined): Record<string, unknown> {
  return {
    ...(d?.allowedPurposes ? { allowedPurposes: d.allowedPurposes } : {}),
    ...(d?.requiredRoles ? { requiredRoles: d.requiredRoles } : {}),
    ...(d?.grantId ? { grantId: d.grantId } : {}),
    ...(d?.applyFor ? { applyFor: d.applyFor, hint: `apply for resource ${d.applyFor} (mutation applyForSharing)` } : {}),
  };
}

/** The caller's agency's grants on a resource that cover an owner district today. */
export function grantsCovering(access: AccessContext, catalogCode: string, owner: District): SharingGrant[] {
  const p = access.principal;
  const today = access.today;
  if (p.kind !== 'user' || !p.org || !today) return [];
  return (access.grants ?? []).filter((g) => g.org === p.org && g.catalogCode === catalogCode && g.districts.includes(owner)
    && g.validFrom <= today && (g.validTo === null || today <= g.validTo));
}

/**
 * The owner districts whose records of a resource the caller reads through a grant that leaves
 * out `item` (a data item of the resource): there the item is withheld. Empty when the item is no
 * data item of the resource, or no grant limits it.
 */
export function itemWithheldFor(access: AccessContext, rule: SharingRule | undefined, item: string, reading: Reading): District[] {
  if (!rule?.items?.includes(item)) return [];
  return DISTRICTS.filter((d) => {
    const x = decideRule(access, rule, d, reading);
    return x.allowed && x.rule === 'sharing.grant' && x.grantedItems != null && !x.grantedItems.includes(item);
  });
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
  const reader = transferReader(access, recordType);
  if (reader) {
    return { recordType, districts: allowed, rowRule: 'TRANSFERRED', transferReader: reader, rule: [...rules, 'transfer.receiver'].join('+'), decisions };
  }
  return { recordType, districts: allowed, rowRule, rule: rules.join('+') || 'none', decisions };
}

/**
 * Joint enforcement, rule of the transfer (issue 14; 2023 办法 art. 16, zone regulation art. 57):
 * a district's enforcement officers read, besides their own district's records, a case another
 * district transferred to them (sent, received or accepted; not once they refused it), the
 * transfer itself, the case's evidence, and the reviews of their own evidence by a receiving
 * district. Each such read is audited like any other, under the owner district. Returns the
 * reading district, or null where the rule does not apply.
 */
export function transferReader(access: AccessContext, recordType: RecordType): District | null {
  const p = access.principal;
  if (p.kind !== 'user' || !p.jurisdiction || !isDistrict(p.jurisdiction)) return null;
  if (!ENFORCEMENT_TYPES.includes(recordType) || !hasRole(p, ...ENFORCEMENT_READ_ROLES)) return null;
  return p.jurisdiction;
}

/**
 * Joint enforcement writes: an officer with the ENFORCEMENT role acts for its own district only
 * (opens and moves its cases, sends its transfers, collects its evidence, reviews evidence for its
 * cases). Provinces and ZONE supervise and read; they do not act in a district's case. Returns the
 * reason when the principal may not act for `district`.
 */
export function enforcementActDenial(p: Principal, district: string): string | null {
  if (p.kind === 'system') return null;
  if (!hasRole(p, Role.ENFORCEMENT)) return 'acting in an enforcement case needs the ENFORCEMENT role';
  if (!isDistrict(district)) return `the acting jurisdiction must be one of ${DISTRICTS.join(', ')}`;
  if (p.jurisdiction !== district) return `an enforcement officer of ${p.jurisdiction} may not act for ${district}`;
  return null;
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
export type RowCondition = { always: true } | { never: true } | { column: string; in: readonly string[] } | { any: readonly RowCondition[] };

/** The columns a row condition reads (the engine selects them). */
export function conditionColumns(c: RowCondition): string[] {
  if ('column' in c) return [c.column];
  if ('any' in c) return c.any.flatMap(conditionColumns);
  return [];
}

const ALWAYS: RowCondition = { always: true };
/** Emergency resources that are not a person (everything but EXPERT): their names and contacts are the organisation's. */
export const NON_PERSON_RESOURCE_KINDS: readonly string[] = ['MONITORING_TEAM', 'EQUIPMENT', 'MATERIAL'];
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
  /**
   * An emergency expert's name, phone and ID number: in full inside the owner's jurisdiction (its
   * district, province or ZONE); another district sees them masked and asks the owner's duty line.
   * Only an EXPERT is a person: a team's, depot's or stock's name and duty phone are the
   * organisation's, shown in full wherever the resource is read.
   */
  expertPersonal: {
    rule: 'mask.expert.outsideOwner',
    fullWhen: (p: Principal): RowCondition => {
      if (p.kind === 'system') return ALWAYS;
      const notPerson: RowCondition = { column: 'kind', in: NON_PERSON_RESOURCE_KINDS };
      return p.jurisdiction ? { any: [{ column: 'owner_jurisdiction', in: districtsCoveredBy(p.jurisdiction) }, notPerson] } : notPerson;
    },
  },
} as const;

export type MaskName = keyof typeof MASK_RULES;

/** Whether a row condition holds for a row (column values by column name). */
export function holds(c: RowCondition, row: Readonly<Record<string, unknown>>): boolean {
  if ('always' in c) return true;
  if ('never' in c) return false;
  if ('any' in c) return c.any.some((x) => holds(x, row));
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
  /** The grant the caller reads through, or the one it holds but may not use with its roles. */
  grantId: string | null;
  /** For conditional data the caller may not read: the catalog resource to apply for ("apply for resource 211014/0001"). */
  applyFor: string | null;
}

/**
 * The policy explained for one caller: per record type and owner district, whether it can read
 * now and what purpose or role would give it more, so a partner never guesses why a list is empty.
 */
export function explainAccess(access: AccessContext): AccessLine[] {
  const p = access.principal;
  const terms = access.terms ?? NO_TERMS;
  const lines: AccessLine[] = [];
  for (const recordType of RECORD_TYPES) {
    if (!terms.rules.has(recordType) && ENFORCEMENT_TYPES.includes(recordType)) continue;
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
        if (recordType === RecordType.EMERGENCY_RESOURCE && !holds(MASK_RULES.expertPersonal.fullWhen(p), { owner_jurisdiction: owner, kind: 'EXPERT' })) masked.push('name', 'contactPhone', 'idNumber');
        const rule = terms.rules.get(recordType);
        if (d.grantedItems) for (const item of rule?.items ?? []) if (!d.grantedItems.includes(item)) masked.push(item);
      }
      lines.push({
        recordType, catalogCode: terms.rules.get(recordType)?.catalogCode ?? null, ownerJurisdiction: owner, canRead: d.allowed, rule: d.rule,
        purposesThatWouldAllow: purposes, rolesNeeded: d.allowed ? [] : d.requiredRoles ?? [], maskedFields: masked,
        grantId: d.grantId ?? null, applyFor: d.allowed ? null : d.applyFor ?? null,
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
        grantId: d.grantId ?? null, applyFor: d.allowed ? null : d.applyFor ?? null,
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
 * Credit repair (信用修复, issue 15), who applies: firms hold no tokens, so their regulator applies
 * on their behalf — an ENFORCEMENT officer or DATA_STEWARD of the district that owns the record.
 * Returns the reason when the principal may not (with `owner` unknown: the role part only).
 */
export function repairApplicationDenial(p: Principal, owner?: string): string | null {
  if (p.kind === 'system') return null;
  if (!hasRole(p, Role.ENFORCEMENT, Role.DATA_STEWARD)) return 'applying for credit repair needs the ENFORCEMENT or DATA_STEWARD role';
  if (owner === undefined) return null;
  if (!isDistrict(owner) || p.jurisdiction !== owner) return `only the regulator of ${owner} (its ENFORCEMENT or DATA_STEWARD) applies for repair of its records; ${p.jurisdiction ?? 'the caller'} may not`;
  return null;
}

/**
 * Credit repair, who decides: the DATA_STEWARD of the owner district, and never the one who applied
 * (four eyes). Returns the reason when the principal may not.
 */
export function repairDecisionDenial(p: Principal, owner?: string, appliedBy?: string): string | null {
  if (p.kind === 'system') return null;
  if (!hasRole(p, Role.DATA_STEWARD)) return 'deciding a credit repair needs the DATA_STEWARD role';
  if (owner === undefined) return null;
  if (!isDistrict(owner) || p.jurisdiction !== owner) return `only a data steward of ${owner} decides repairs of its records; ${p.jurisdiction ?? 'the caller'} may not`;
  if (appliedBy !== undefined && appliedBy === p.sub) return 'the steward who applied may not decide the same application';
  return null;
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

/**
 * Who reads an early-warning alert (issue 17), per catalog resource the alerts are filed under:
 * - `ownerDistricts`: the alert's owner district read by rule 1 (the district itself, its province,
 *   ZONE), where the resource's terms allow it (`decideRule`);
 * - `audienceDistricts` / `audienceOwners`: a principal whose district is downstream of the station
 *   (named in the alert's `audience` by the warning rules) reads it when the resource lets that
 *   owner's data cross a border to it (unconditional, or conditional with a listed purpose).
 * A district that is neither owner nor downstream never reads it: an alert is addressed, not
 * published, even where the monitoring data behind it is shared unconditionally.
 */
export interface AlertScopePart {
  catalogCode: string;
  ownerDistricts: District[];
  audienceDistricts: District[];
  audienceOwners: District[];
}

export function alertReadScope(access: AccessContext): AlertScopePart[] {
  const p = access.principal;
  const mine: District[] = p.kind === 'system' ? [...DISTRICTS] : p.jurisdiction ? districtsCoveredBy(p.jurisdiction) : [];
  return monitoringTerms(access).alerts.map((rule) => {
    const allowed = allowedDistricts(access, rule, 'MONITORING');
    return { catalogCode: rule.catalogCode, ownerDistricts: allowed.filter((d) => mine.includes(d)), audienceDistricts: mine, audienceOwners: allowed };
  });
}

/** Roles that act on an alert (acknowledge it, record the verification and resolve it). */
export const ALERT_ACTION_ROLES: readonly Role[] = [Role.ENFORCEMENT, Role.DATA_STEWARD, Role.ADMIN];

/**
 * Whether the principal may acknowledge or resolve an alert owned by `owner`: the owner district,
 * its province or ZONE, with one of ALERT_ACTION_ROLES. A downstream district reads the alert but
 * does not act on it: the verification is the owner's. Returns the reason when it may not.
 */
export function alertActionDenial(p: Principal, owner: string): { rule: string; reason: string } | null {
  if (p.kind === 'system') return null;
  if (!hasRole(p, ...ALERT_ACTION_ROLES)) return { rule: 'role.required', reason: `acting on an alert needs one of the roles ${ALERT_ACTION_ROLES.join(', ')}` };
  if (!covers(p, owner)) return { rule: 'alert.ownerOnly', reason: `an alert of ${owner} is acknowledged and resolved by ${owner}, its province or ZONE, not by ${p.jurisdiction ?? 'the public'}` };
  return null;
}

/**
 * Who reads a compliance reminder (issue 17, item 3), per catalog resource the reminders are filed
 * under: a reminder is addressed to the regulator of the enterprise (its owner district); by rule 1
 * that district, its province and ZONE read it; another district reads it only as the resource's
 * terms let the owner's data cross (`decideRule`, as for monitoring data: no dossier role needed,
 * a conditional resource needs a grant or a listed purpose with its role). Without the catalog's
 * terms nothing is readable (fail closed).
 */
export interface ReminderScopePart {
  catalogCode: string;
  ownerDistricts: District[];
}

export function reminderReadScope(access: AccessContext): ReminderScopePart[] {
  return (monitoringTerms(access).reminders ?? []).map((rule) => ({ catalogCode: rule.catalogCode, ownerDistricts: allowedDistricts(access, rule, 'MONITORING') }));
}

/** Roles that act on a reminder addressed to their district (mark it read, acknowledge it). */
export const REMINDER_ACTION_ROLES: readonly Role[] = [Role.ENFORCEMENT, Role.DATA_STEWARD, Role.ADMIN];

/**
 * Whether the principal may mark read or acknowledge a reminder owned by `owner`: only its
 * addressee, the owner district's regulator (ENFORCEMENT, DATA_STEWARD or ADMIN of that district).
 * The province and ZONE read it but do not answer for the district; another district never acts.
 */
export function reminderActionDenial(p: Principal, owner: string): { rule: string; reason: string } | null {
  if (p.kind === 'system') return null;
  if (!hasRole(p, ...REMINDER_ACTION_ROLES)) return { rule: 'role.required', reason: `acting on a compliance reminder needs one of the roles ${REMINDER_ACTION_ROLES.join(', ')}` };
  if (p.jurisdiction !== owner) return { rule: 'reminder.addresseeOnly', reason: `a reminder addressed to ${owner} is read and acknowledged by ${owner}'s regulator, not by ${p.jurisdiction ?? 'the public'}` };
  return null;
}

// ---------------------------------------------------------------------------------------------
// Webhooks (issue 17 item 5, issue 15 item 6): who registers, who manages a registration.

/** Webhook topics about alerts; their deliveries are decided per alert by `alertReadScope`. */
export const ALERT_WEBHOOK_TOPICS: readonly string[] = ['ALERT_RAISED', 'ALERT_CHANGED'];
/** The webhook topic of compliance reminders; each delivery is decided per reminder by `reminderReadScope`. */
export const REMINDER_WEBHOOK_TOPIC = 'COMPLIANCE_REMINDER';

/**
 * Whether the principal may register a webhook for `topics`, for its agency (its token's `org`).
 * A registration only says where to post: each delivery is decided again for the registering
 * account (an alert by `alertReadScope`, a reminder by `reminderReadScope`, the credit feed by
 * `feedAccess`), so it never carries more than that account could read. Refused outright where
 * nothing could ever be delivered: the public (no agency), CREDIT_FEED without the feed's access,
 * alert and reminder topics for the credit platform (which reads neither). Returns the refusal, or null.
 */
export function webhookRegistrationDenial(p: Principal, topics: readonly string[]): { rule: string; reason: string } | null {
  if (p.kind === 'system') return null;
  if (p.kind === 'public' || !p.org || !p.jurisdiction) return { rule: 'webhook.public', reason: 'a webhook is registered by an agency: send a token (its org is the owner)' };
  if (topics.includes('CREDIT_FEED')) {
    const d = feedAccess(p);
    if (!d.allowed) return { rule: d.rule, reason: `the CREDIT_FEED topic is for the Credit Yangtze Delta platform (CREDIT_FEED role) and ZONE; ${p.jurisdiction} may not pull the feed` };
  }
  if (topics.some((t) => ALERT_WEBHOOK_TOPICS.includes(t)) && p.jurisdiction === Jurisdiction.CREDIT_YRD) {
    return { rule: 'webhook.alertsNotReadable', reason: 'the credit platform reads no early-warning alert, so an alert topic would never deliver' };
  }
  if (topics.includes(REMINDER_WEBHOOK_TOPIC) && p.jurisdiction === Jurisdiction.CREDIT_YRD) {
    return { rule: 'webhook.remindersNotReadable', reason: 'the credit platform reads no compliance reminder, so the COMPLIANCE_REMINDER topic would never deliver' };
  }
  return null;
}

/** Whether the principal may see, disable, enable or delete a registration of `ownerOrg`: its own agency's only. */
export function webhookManageDenial(p: Principal, ownerOrg: string): { rule: string; reason: string } | null {
  if (p.kind === 'system') return null;
  if (!p.org || p.org !== ownerOrg) return { rule: 'webhook.ownAgencyOnly', reason: `a webhook is managed by the agency that registered it; ${p.org ?? 'the public'} is not its owner` };
  return null;
}

// ---------------------------------------------------------------------------------------------
// Sharing applications (issue 12): who may apply, decide, coordinate, see and review.

/** A refusal of a sharing action: the rule that refused and what was missing. */
export interface SharingDenial {
  rule: string;
  message: string;
  requiredRoles?: readonly Role[];
}

const APPLY_ROLES = [Role.DOSSIER_READER, Role.DATA_STEWARD, Role.ADMIN];

/**
 * Who applies for conditional data: a principal of a zone agency (its `org`, within a
 * jurisdiction of the zone) that reads records or keeps them. The public and the credit platform
 * do not apply here; the platform is served by the credit feed.
 */
export function sharingApplyDenial(p: Principal): SharingDenial | null {
  if (p.kind === 'system') return null;
  if (p.kind !== 'user' || !p.org || !p.jurisdiction) return { rule: 'sharing.apply.agencyOnly', message: 'only a principal of an agency (a token with org and jurisdiction) may apply for sharing' };
  if (p.jurisdiction === Jurisdiction.CREDIT_YRD) return { rule: 'sharing.apply.agencyOnly', message: 'the credit platform reads the credit feed; it does not apply for sharing' };
  if (!hasRole(p, ...APPLY_ROLES)) return { rule: 'role.required', message: 'applying for sharing needs one of the roles DOSSIER_READER, DATA_STEWARD, ADMIN', requiredRoles: APPLY_ROLES };
  return null;
}

/** The jurisdiction that answers an application for data of `districts`: the district itself, or ZONE for several. */
export function sharingProvider(districts: readonly District[]): Jurisdiction {
  return districts.length === 1 ? districts[0] : Jurisdiction.ZONE;
}

/**
 * Who decides an application (approve, partial approve, reject, suspend, resume): a DATA_STEWARD
 * of the provider jurisdiction, never the applying agency itself.
 */
export function sharingDecisionDenial(p: Principal, app: { providerJurisdiction: string; applicantOrg: string }): SharingDenial | null {
  if (p.kind === 'system') return null;
  if (!hasRole(p, Role.DATA_STEWARD)) return { rule: 'role.required', message: 'deciding a sharing application needs the DATA_STEWARD role of the provider', requiredRoles: [Role.DATA_STEWARD] };
  if (p.org && p.org === app.applicantOrg) return { rule: 'sharing.ownApplication', message: 'an agency may not decide its own application' };
  if (p.jurisdiction !== app.providerJurisdiction) {
    return { rule: 'sharing.otherProvider', message: `the application is addressed to ${app.providerJurisdiction}; a data steward of ${p.jurisdiction ?? 'no jurisdiction'} may not decide it` };
  }
  return null;
}

/** Who coordinates a dispute (COORDINATION) and revokes any grant: ZONE's DATA_STEWARD or ADMIN, the authority above the three districts. */
export function sharingCoordinatorDenial(p: Principal): SharingDenial | null {
  if (p.kind === 'system') return null;
  if (p.jurisdiction !== Jurisdiction.ZONE || !hasRole(p, Role.DATA_STEWARD, Role.ADMIN)) {
    return { rule: 'sharing.coordinatorOnly', message: 'coordination is done by ZONE (DATA_STEWARD or ADMIN)', requiredRoles: [Role.DATA_STEWARD, Role.ADMIN] };
  }
  return null;
}

/** Who acts for the applicant (negotiate, escalate): a principal of the applying agency. */
export function sharingApplicantDenial(p: Principal, app: { applicantOrg: string }): SharingDenial | null {
  if (p.kind === 'system') return null;
  if (!p.org || p.org !== app.applicantOrg) return { rule: 'sharing.applicantOnly', message: `only ${app.applicantOrg} acts for this application` };
  return null;
}

/**
 * How a principal may use one enforcement record (a case, its evidence) owned by `owner`, whose
 * case transfers still open it to `openReceivers` (sent, received or accepted, not refused): as
 * the owner's side (the district, its province, ZONE), as a receiver under a transfer, or not at
 * all. The SQL form of the same rule is `transferReader` + scope.ts, for reads through the engine;
 * this form serves the case service's checks (a recognition review, a content check).
 */
export function enforcementRecordAccess(p: Principal, owner: string, openReceivers: readonly string[]): 'owner' | 'transfer' | null {
  if (p.kind === 'system') return 'owner';
  if (!hasRole(p, ...ENFORCEMENT_READ_ROLES)) return null;
  if (covers(p, owner)) return 'owner';
  if (p.jurisdiction && isDistrict(p.jurisdiction) && openReceivers.includes(p.jurisdiction)) return 'transfer';
  return null;
}

/**
 * Which applications a principal sees: its agency's own, those addressed to its jurisdiction or
 * asking for data of a district it covers, and all of them for ZONE. Null for none.
 */
export function sharingVisibility(p: Principal): { all: true } | { org: string | null; jurisdiction: string; districts: District[] } | null {
  if (p.kind === 'system') return { all: true };
  if (p.kind !== 'user' || !p.jurisdiction || p.jurisdiction === Jurisdiction.CREDIT_YRD) return null;
  if (p.jurisdiction === Jurisdiction.ZONE) return { all: true };
  return { org: p.org, jurisdiction: p.jurisdiction, districts: districtsCoveredBy(p.jurisdiction) };
}

/** Who supervises overdue applications (督办): ZONE. */
export function sharingSupervisorDenial(p: Principal): SharingDenial | null {
  if (p.kind === 'system') return null;
  if (p.jurisdiction !== Jurisdiction.ZONE) return { rule: 'sharing.zoneOnly', message: 'overdue applications are supervised by ZONE' };
  return null;
}

/**
 * Who reviews the emergency reads of a district's data after the fact: its AUDITORs and
 * DATA_STEWARDs, those of its province and ZONE's.
 */
export function emergencyReviewDistricts(p: Principal): District[] {
  if (p.kind === 'system') return [...DISTRICTS];
  if (!p.jurisdiction || !hasRole(p, Role.AUDITOR, Role.DATA_STEWARD, Role.ADMIN)) return [];
  return districtsCoveredBy(p.jurisdiction);
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
