import type { DataSource } from 'typeorm';
import { SYSTEM_PRINCIPAL } from '../auth/principal';
import {
  ComplaintChannel,
  ComplaintStatus,
  EiaDecision,
  EiaDocumentType,
  EnvironmentalElement,
  INSPECTION_STEPS,
  InspectionOutcome,
  InspectionStatus,
  InspectionOrigin,
  InspectionTrigger,
  InspectionType,
  PenaltyCategory,
  PenaltyStatus,
  PermitClass,
  PermitStatus,
  RegistrationStatus,
} from '../domain/codes';
import { District, DISTRICTS } from '../domain/jurisdictions';
import { USCC_ALPHABET, withCheckCharacter } from '../domain/uscc';
import { CreditRecordKind } from '../modules/credit/credit.record';
import type { DossierRecord } from '../modules/dossier/record-declaration';
import { LoadRecord, RecordWriter } from '../modules/dossier/record-writer';
import { RECORDS } from '../modules/dossier/write-specs';
import {
  COMPLAINT_REPLIES,
  COMPLAINT_TEMPLATES,
  DISTRICT_PROFILES,
  DistrictProfile,
  GIVEN_CHARS,
  INDUSTRIES,
  IndustryProfile,
  INSPECTION_FINDINGS_COMPLIANT,
  INSPECTION_ISSUES,
  LISTING_REASONS,
  MOBILE_PREFIXES,
  PERMIT_LETTER,
  PLACE_DETAILS,
  POLLUTANT_LIMITS,
  POLLUTANT_NAMES,
  ROAD_STEMS,
  ROAD_SUFFIXES,
  SURNAMES,
  Town,
  TRADE_CHARS,
  VIOLATIONS,
} from './vocabulary';
import { mix32, permute32, Rng, Weighted } from './rng';

/**
 * Seeded demo data generator: enterprises of the three districts with their EIA approvals,
 * permits, inspections, penalties, complaints and credit records, written through the one writer
 * (RecordWriter) as the system principal, so every seeded record passes the checks of its type and
 * gets its change-log entry like any other write.
 *
 * Reproducible: every enterprise draws from its own PRNG stream (sfc32, keyed by seed and index),
 * so a cheap first pass can count the records for progress totals and the second pass replays the
 * same draws. Document-number sequences, ids and uniqueness sets are filled in enterprise order.
 * There is no wall clock: "today" is REFERENCE_DATE and every date lies before it.
 */

export interface SeedOptions {
  enterprises: number;
  seed: number;
  batchSize?: number;
  onProgress?: (p: { table: string; done: number; total: number }) => void;
}

export interface SeedResult {
  enterprises: number;
  eiaApprovals: number;
  permits: number;
  inspections: number;
  penalties: number;
  complaints: number;
  creditRecords: number;
}

/** "Today" for the generated data (Beijing time). */
export const REFERENCE_DATE = '2026-11-01';

// ---------------------------------------------------------------------------------------------
// PRNG and ids

function hex(n: number, len: number): string {
  return n.toString(16).padStart(len, '0');
}

// ---------------------------------------------------------------------------------------------
// Dates: days since 1970-01-01; timestamps in Beijing time (UTC+8), stored as UTC ISO strings.

const DAY_MS = 86_400_000;

function dayOf(y: number, m: number, d: number): number {
  return Date.UTC(y, m - 1, d) / DAY_MS;
}
function dateStr(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
function yearOf(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}
function addYears(day: number, years: number): number {
  const d = new Date(day * DAY_MS);
  return Date.UTC(d.getUTCFullYear() + years, d.getUTCMonth(), d.getUTCDate()) / DAY_MS;
}
/** Epoch ms of a Beijing wall-clock minute on `day`. */
function localMs(day: number, minuteOfDay: number): number {
  return day * DAY_MS + (minuteOfDay - 480) * 60_000;
}
function iso(ms: number): string {
  return new Date(ms).toISOString();
}
function cnDate(day: number): string {
  const d = new Date(day * DAY_MS);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

const [REF_Y, REF_M, REF_D] = REFERENCE_DATE.split('-').map(Number);
const REF_DAY = dayOf(REF_Y, REF_M, REF_D);
/** Midnight at the start of the reference date, Beijing time: every generated instant is at or before it. */
const REF_MS = localMs(REF_DAY, 0);
const LAST_DAY = REF_DAY - 1;
/** When the hub "loaded" the records: created_at and updated_at. */
const LOADED_AT = iso(REF_MS);
const EST_MIN = dayOf(1996, 1, 1);
const EST_MAX = addYears(REF_DAY, -2);
const EIA_START = dayOf(2008, 1, 1);
const PERMIT_START: Record<PermitClass, number> = {
  [PermitClass.KEY]: dayOf(2017, 7, 1),
  [PermitClass.SIMPLIFIED]: dayOf(2019, 6, 1),
  [PermitClass.REGISTRATION]: dayOf(2020, 3, 1),
};

/** Source as-of: some time after the event, never after the reference instant. */
function asOf(rng: Rng, eventMs: number): string {
  return iso(Math.min(eventMs + rng.int(30, 20 * 24 * 60) * 60_000, REF_MS));
}

/** `count` days in [lo, hi], ascending. */
function sortedDays(rng: Rng, count: number, lo: number, hi: number): number[] {
  const days: number[] = [];
  for (let i = 0; i < count; i++) days.push(rng.int(lo, Math.max(lo, hi)));
  return days.sort((x, y) => x - y);
}

// ---------------------------------------------------------------------------------------------
// Codes: USCC, organisation code, resident ID

/** GB 11714 organisation-code check character over 8 characters (digits and letters A=10 … Z=35). */
function orgCodeCheck(body: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const ch = body.charCodeAt(i);
    sum += (ch <= 57 ? ch - 48 : ch - 55) * weights[i];
  }
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

function authorityUscc(p: DistrictProfile): string {
  return withCheckCharacter('11' + p.divisionCode + p.bureauOrgBody + orgCodeCheck(p.bureauOrgBody));
}
const AUTHORITY_USCC = Object.fromEntries(
  DISTRICTS.map((d) => [d, authorityUscc(DISTRICT_PROFILES[d])]),
) as Record<District, string>;

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** 18-digit resident ID: region, birth date, sequence and the ISO 7064 MOD 11-2 check digit. */
function residentId(rng: Rng, prefixes: readonly string[], fromYear: number, toYear: number): string {
  const birth = dayOf(rng.int(fromYear, toYear), 1, 1) + rng.int(0, 364);
  const body = rng.pick(prefixes) + dateStr(birth).replace(/-/g, '') + String(rng.int(0, 999)).padStart(3, '0');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (body.charCodeAt(i) - 48) * ID_WEIGHTS[i];
  return body + '10X98765432'[sum % 11];
}

function mobile(rng: Rng): string {
  return rng.pick(MOBILE_PREFIXES) + String(rng.int(0, 99_999_999)).padStart(8, '0');
}

function personName(rng: Rng): string {
  const given = rng.chance(0.7) ? rng.pick(GIVEN_CHARS) + rng.pick(GIVEN_CHARS) : rng.pick(GIVEN_CHARS);
  return rng.weighted(SURNAMES) + given;
}

function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

// ---------------------------------------------------------------------------------------------
// Record types, by the result's names (each type's list name)

type TableKey = keyof SeedResult;

/** The record types in writing order (enterprises first: the others name theirs), by the result's names. */
const TYPES: ReadonlyArray<[TableKey, DossierRecord]> = Object.values(RECORDS).map((r) => [r.plural as TableKey, r]);

// ---------------------------------------------------------------------------------------------
// Per-enterprise plan: every draw that decides how many records an enterprise gets.

const DISTRICT_WEIGHTS: Weighted<District> = DISTRICTS.map((d) => [d, DISTRICT_PROFILES[d].weight] as const);

const STATUS_WEIGHTS: Weighted<RegistrationStatus> = [
  [RegistrationStatus.ACTIVE, 93], [RegistrationStatus.SUSPENDED, 2],
  [RegistrationStatus.REVOKED, 1.5], [RegistrationStatus.DEREGISTERED, 3.5],
];

const EIA_COUNTS: Record<0 | 1 | 2, Weighted<number>> = {
  0: [[1, 45], [2, 35], [3, 15], [4, 5]],
  1: [[1, 25], [2, 35], [3, 25], [4, 10], [5, 5]],
  2: [[1, 15], [2, 25], [3, 25], [4, 20], [5, 15]],
};
const PERMIT_COUNTS: Weighted<number> = [[1, 72], [2, 21], [3, 7]];
const PENALTY_SHARE = { 0: 0.18, 1: 0.3, 2: 0.42 } as const;
const PENALTY_COUNTS: Weighted<number> = [[1, 62], [2, 27], [3, 11]];
const COMPLAINT_SHARE = { 0: 0.15, 1: 0.2, 2: 0.26 } as const;
const COMPLAINT_COUNTS: Weighted<number> = [[1, 50], [2, 25], [3, 13], [4, 7], [5, 5]];
const ROUTINE_INSPECTIONS = { 0: [3, 7], 1: [4, 10], 2: [6, 13] } as const;
const CREDIT_COUNTS: Weighted<number> = [[0, 8], [1, 17], [2, 30], [3, 45]];
const CREDIT_YEARS = [REF_Y - 1, REF_Y - 2, REF_Y - 3];

interface Plan {
  profile: DistrictProfile;
  industry: IndustryProfile;
  status: RegistrationStatus;
  estDay: number;
  /** Last day the enterprise operated (the day before the reference date if it still does). */
  endDay: number;
  nEia: number;
  nPermits: number;
  nPenalties: number;
  nComplaints: number;
  nComplaintInspections: number;
  nRoutineInspections: number;
  creditYears: number[];
  listing: boolean;
}

function drawPlan(rng: Rng): Plan {
  const profile = DISTRICT_PROFILES[rng.weighted(DISTRICT_WEIGHTS)];
  const industry = INDUSTRIES[rng.weighted(profile.industries)];
  const heavy = industry.heavy;
  const status = rng.weighted(STATUS_WEIGHTS);
  const estDay = rng.int(EST_MIN, EST_MAX);
  let endDay = LAST_DAY;
  if (status === RegistrationStatus.SUSPENDED) endDay = Math.max(estDay + 365, REF_DAY - rng.int(30, 400));
  if (status === RegistrationStatus.REVOKED || status === RegistrationStatus.DEREGISTERED) {
    endDay = rng.int(Math.max(estDay + 365, addYears(REF_DAY, -3)), REF_DAY - 30);
  }
  const nEia = rng.weighted(EIA_COUNTS[heavy]);
  const nPermits = rng.weighted(PERMIT_COUNTS);
  const nPenalties = rng.chance(PENALTY_SHARE[heavy]) ? rng.weighted(PENALTY_COUNTS) : 0;
  const nComplaints = rng.chance(COMPLAINT_SHARE[heavy]) ? rng.weighted(COMPLAINT_COUNTS) : 0;
  let nComplaintInspections = 0;
  for (let k = 0; k < nComplaints; k++) if (rng.chance(0.6)) nComplaintInspections++;
  const [lo, hi] = ROUTINE_INSPECTIONS[heavy];
  const window = endDay - Math.max(estDay, addYears(REF_DAY, -6));
  const nRoutineInspections = Math.max(1, Math.round(rng.int(lo, hi) * Math.min(1, window / (6 * 365))));
  const available = CREDIT_YEARS.filter((y) => y > yearOf(estDay) && y < yearOf(endDay));
  const creditYears = available.slice(0, Math.min(rng.weighted(CREDIT_COUNTS), available.length)).reverse();
  const listing = rng.chance(nPenalties > 0 ? 0.028 : 0.002);
  return {
    profile, industry, status, estDay, endDay, nEia, nPermits, nPenalties, nComplaints,
    nComplaintInspections, nRoutineInspections, creditYears, listing,
  };
}

function planCounts(plan: Plan): SeedResult {
  return {
    enterprises: 1,
    eiaApprovals: plan.nEia,
    permits: plan.nPermits,
    inspections: plan.nRoutineInspections + plan.nPenalties + plan.nComplaintInspections,
    penalties: plan.nPenalties,
    complaints: plan.nComplaints,
    creditRecords: plan.creditYears.length + (plan.listing ? 1 : 0),
  };
}

// ---------------------------------------------------------------------------------------------
// Record generation

const EIA_DOC_TYPES: Record<0 | 1 | 2, Weighted<EiaDocumentType>> = {
  0: [[EiaDocumentType.REPORT, 3], [EiaDocumentType.REPORT_FORM, 47], [EiaDocumentType.REGISTRATION_FORM, 50]],
  1: [[EiaDocumentType.REPORT, 10], [EiaDocumentType.REPORT_FORM, 60], [EiaDocumentType.REGISTRATION_FORM, 30]],
  2: [[EiaDocumentType.REPORT, 25], [EiaDocumentType.REPORT_FORM, 60], [EiaDocumentType.REGISTRATION_FORM, 15]],
};
const EIA_DECISIONS: Weighted<EiaDecision> = [
  [EiaDecision.APPROVED, 86], [EiaDecision.APPROVED_WITH_CONDITIONS, 9], [EiaDecision.REJECTED, 5],
];
/**
 * Demo execution-report schedules by management class, as permits state them ([M] HJ 944-2018:
 * key units report yearly and quarterly, simplified units yearly, registered units not at all; a
 * yearly report by the end of January, a quarterly one 15 days after the quarter). Demo data only:
 * the reminder rules read each permit's own schedule.
 */
const DEMO_EXECUTION_REPORTS: Record<PermitClass, Array<{ frequency: string; dueDaysAfterPeriodEnd: number }>> = {
  [PermitClass.KEY]: [{ frequency: 'ANNUAL', dueDaysAfterPeriodEnd: 31 }, { frequency: 'QUARTERLY', dueDaysAfterPeriodEnd: 15 }],
  [PermitClass.SIMPLIFIED]: [{ frequency: 'ANNUAL', dueDaysAfterPeriodEnd: 31 }],
  [PermitClass.REGISTRATION]: [],
};

/**
 * How far a demo permit's reports were submitted, per frequency: most up to the last period due
 * before the reference date, some one period behind, a few never. Drawn from a hash of the permit
 * number, not from the generator's random stream, so every other demo record stays as it was.
 */
function demoExecutionReports(permitNo: string, cls: PermitClass, lastDay: number): Array<{ frequency: string; dueDaysAfterPeriodEnd: number; reportedThrough?: string }> {
  let h = 0;
  for (const ch of permitNo) h = mix32(h ^ ch.charCodeAt(0));
  const behind = h % 10 >= 8 ? null : h % 10 >= 6 ? 1 : 0;
  return DEMO_EXECUTION_REPORTS[cls].map((r) => {
    const d = new Date(lastDay * DAY_MS);
    const y = d.getUTCFullYear();
    // The end of the latest period whose report was due on or before lastDay, then `behind` periods earlier.
    const ends: number[] = [];
    for (let k = 0; k < 12; k++) {
      if (r.frequency === 'ANNUAL') {
        ends.push(dayOf(y - k, 12, 31));
      } else {
        const q = Math.floor(d.getUTCMonth() / 3) - k; // quarters back from this one
        const yy = y + Math.floor(q / 4);
        const qq = ((q % 4) + 4) % 4;
        ends.push(dayOf(yy, qq * 3 + 4, 1) - 1);
      }
    }
    const due = ends.filter((e) => e + r.dueDaysAfterPeriodEnd <= lastDay).sort((a, b) => b - a);
    if (behind === null || due.length <= behind) return r;
    return { ...r, reportedThrough: dateStr(due[behind]) };
  });
}

const PERMIT_CLASSES: Record<0 | 1 | 2, Weighted<PermitClass>> = {
  0: [[PermitClass.KEY, 3], [PermitClass.SIMPLIFIED, 27], [PermitClass.REGISTRATION, 70]],
  1: [[PermitClass.KEY, 15], [PermitClass.SIMPLIFIED, 55], [PermitClass.REGISTRATION, 30]],
  2: [[PermitClass.KEY, 55], [PermitClass.SIMPLIFIED, 35], [PermitClass.REGISTRATION, 10]],
};
const INSPECTION_TYPES: Weighted<InspectionType> = [
  [InspectionType.RANDOM, 50], [InspectionType.ROUTINE, 26], [InspectionType.SPECIAL_CAMPAIGN, 16], [InspectionType.JOINT_CROSS_BORDER, 8],
];
const CASE_INSPECTION_TYPES: Weighted<InspectionType> = [
  [InspectionType.RANDOM, 40], [InspectionType.ROUTINE, 30], [InspectionType.SPECIAL_CAMPAIGN, 20], [InspectionType.JOINT_CROSS_BORDER, 10],
];
const COMPLAINT_CHANNELS: Weighted<ComplaintChannel> = [
  [ComplaintChannel.HOTLINE_12345, 45], [ComplaintChannel.HOTLINE_12369, 20], [ComplaintChannel.WEB, 25],
  [ComplaintChannel.LETTER, 5], [ComplaintChannel.VISIT, 5],
];
const CATEGORY_ORDER = Object.values(PenaltyCategory);
/** A project name from a template; `{n:lo-hi}` becomes a round figure in that range. */
function projectName(rng: Rng, industry: IndustryProfile): string {
  return rng.pick(industry.projects).replace(/\{n:(\d+)-(\d+)\}/g, (_, lo: string, hi: string) => {
    const v = rng.int(Number(lo), Number(hi));
    const unit = 10 ** Math.max(0, Math.floor(Math.log10(v)) - 1);
    return String(Math.round(v / unit) * unit);
  });
}

interface Ctx {
  seed: number;
  idKey: number;
  nextId: number;
  seq: Map<string, number>;
  usccs: Set<string>;
  names: Set<string>;
  rows: Record<TableKey, LoadRecord[]>;
}

function nextSeq(ctx: Ctx, key: string): number {
  const n = (ctx.seq.get(key) ?? 0) + 1;
  ctx.seq.set(key, n);
  return n;
}

/** UUID-shaped id: the first word is a keyed bijection of a global counter (so ids never collide), the rest PRNG bits. */
function newId(ctx: Ctx, rng: Rng): string {
  const w0 = permute32(ctx.nextId++, ctx.idKey);
  const w1 = rng.u32();
  const w2 = rng.u32();
  const w3 = rng.u32();
  return `${hex(w0, 8)}-${hex(w1 >>> 16, 4)}-${hex(0x4000 | (w1 & 0x0fff), 4)}-${hex(0x8000 | (w2 >>> 18), 4)}-${hex(w2 & 0xffff, 4)}${hex(w3, 8)}`;
}

/** What every record has: its id and where it came from (the input's source fields). */
function common(ctx: Ctx, rng: Rng, p: DistrictProfile, system: string, idPrefix: string, asOfIso: string) {
  const id = newId(ctx, rng);
  const srcId = idPrefix + String(nextSeq(ctx, `src|${p.abbr}|${idPrefix}`)).padStart(8, '0');
  return { id, source: { sourceSystem: `${p.abbr}-EEB-${system}`, sourceRecordId: srcId, asOf: asOfIso } };
}

function makeUscc(ctx: Ctx, rng: Rng, divisionCode: string): string {
  for (;;) {
    let body: string;
    if (rng.chance(0.65)) {
      body = 'MA';
      for (let k = 0; k < 6; k++) body += USCC_ALPHABET[rng.int(0, USCC_ALPHABET.length - 1)];
    } else {
      body = String(rng.int(0, 99_999_999)).padStart(8, '0');
    }
    const uscc = withCheckCharacter('91' + divisionCode + body + orgCodeCheck(body));
    if (!ctx.usccs.has(uscc)) {
      ctx.usccs.add(uscc);
      return uscc;
    }
  }
}

function makeName(ctx: Ctx, rng: Rng, p: DistrictProfile, industry: IndustryProfile, town: Town): string {
  for (let attempt = 0; ; attempt++) {
    const len = attempt > 10 || rng.chance(0.2) ? 3 : 2;
    let trade = '';
    while (trade.length < len) {
      const c = rng.pick(TRADE_CHARS);
      if (!trade.includes(c)) trade += c;
    }
    const name = fill(rng.weighted(p.nameForms), { town: town.short, trade, word: rng.pick(industry.words) });
    if (!ctx.names.has(name)) {
      ctx.names.add(name);
      return name;
    }
  }
}

function pickTown(rng: Rng, p: DistrictProfile, industry: IndustryProfile): Town {
  const cluster = industry.towns ? p.towns.filter((t) => industry.towns!.includes(t.short)) : [];
  return cluster.length > 0 && rng.chance(0.6) ? rng.pick(cluster) : rng.pick(p.towns);
}

function roadName(rng: Rng): string {
  return rng.pick(ROAD_STEMS) + rng.weighted(ROAD_SUFFIXES);
}

interface PendingInspection {
  day: number;
  type: InspectionType;
  outcome: InspectionOutcome;
  findings?: string;
  /** What set the visit off (a complaint's ticket); none: a planned visit. */
  trigger?: { kind: InspectionTrigger; ref: string };
}

function pollutantOf(rng: Rng, industry: IndustryProfile, medium: 'w' | 'a', fallback: string): string {
  const codes = industry.pollutants.filter((c) => c[0] === medium && POLLUTANT_LIMITS[c] !== undefined);
  return codes.length > 0 ? rng.pick(codes) : fallback;
}

function money(yuan: number): string {
  return yuan.toFixed(2);
}

function generateEnterprise(ctx: Ctx, index: number): void {
  const rng = new Rng(ctx.seed, index);
  const plan = drawPlan(rng);
  const p = plan.profile;
  const ind = plan.industry;
  const owner = p.district;
  const rows = ctx.rows;

  // Enterprise
  const town = pickTown(rng, p, ind);
  const ent = common(ctx, rng, p, 'REGISTRY', 'QY', iso(REF_MS - rng.int(60, 240 * 24 * 60) * 60_000));
  const uscc = makeUscc(ctx, rng, p.divisionCode);
  const name = makeName(ctx, rng, p, ind, town);
  const address = `${p.addressPrefix}${town.name}${roadName(rng)}${rng.int(1, 2999)}号`;
  rows.enterprises.push({
    id: ent.id,
    input: {
      ...ent.source, uscc, name, industryCode: ind.code, industryName: ind.name, address, registrationStatus: plan.status,
      establishedOn: dateStr(plan.estDay), legalRepName: personName(rng), legalRepIdNumber: residentId(rng, p.idPrefixes, 1958, 1996),
    },
  });

  // EIA approvals
  for (const day of sortedDays(rng, plan.nEia, Math.max(plan.estDay, EIA_START), plan.endDay)) {
    const docType = rng.weighted(EIA_DOC_TYPES[ind.heavy]);
    const year = yearOf(day);
    const filed = docType === EiaDocumentType.REGISTRATION_FORM;
    const approvalNo = filed
      ? `${year}${p.divisionCode}${String(nextSeq(ctx, `eiaf|${p.abbr}|${year}`)).padStart(8, '0')}`
      : `${p.eiaPrefix}〔${year}〕${nextSeq(ctx, `eia|${p.abbr}|${year}`)}号`;
    const { id, source } = common(ctx, rng, p, 'EIA', 'HP', asOf(rng, localMs(day, 600)));
    rows.eiaApprovals.push({
      id,
      input: {
        ...source, uscc, approvalNo, projectName: projectName(rng, ind), documentType: docType,
        decision: filed ? EiaDecision.FILED : rng.weighted(EIA_DECISIONS), decisionDate: dateStr(day), approvingAuthority: p.bureau,
      },
    });
  }

  // Permits: one per site (sequence 001, 002 …), renewed every five years while the enterprise runs.
  for (let site = 1; site <= plan.nPermits; site++) {
    const cls = rng.weighted(PERMIT_CLASSES[ind.heavy]);
    const lo = Math.max(PERMIT_START[cls], plan.estDay + 30);
    let issued = rng.int(lo, Math.max(lo, plan.endDay - 1));
    let validFrom = issued;
    let validTo = addYears(validFrom, 5) - 1;
    const lapses = rng.chance(0.05);
    while (!lapses && validTo < LAST_DAY && validTo < plan.endDay) {
      issued = validTo - rng.int(15, 90);
      validFrom = validTo + 1;
      validTo = addYears(validFrom, 5) - 1;
    }
    let status = validTo < REF_DAY ? PermitStatus.EXPIRED : PermitStatus.VALID;
    if (plan.status === RegistrationStatus.DEREGISTERED) status = PermitStatus.CANCELLED;
    else if (plan.status === RegistrationStatus.REVOKED) status = PermitStatus.REVOKED;
    else if (plan.status === RegistrationStatus.SUSPENDED && rng.chance(0.5)) status = PermitStatus.SUSPENDED;
    else if (status === PermitStatus.VALID && rng.chance(0.01)) status = PermitStatus.SUSPENDED;
    let pollutants: string[];
    if (cls === PermitClass.KEY) pollutants = [...ind.pollutants];
    else if (cls === PermitClass.SIMPLIFIED) pollutants = ind.pollutants.filter((_, k) => k === 0 || rng.chance(0.7));
    else pollutants = ind.pollutants.slice(0, rng.int(1, Math.min(2, ind.pollutants.length)));
    const { id, source } = common(ctx, rng, p, 'PERMIT', 'PW', asOf(rng, localMs(issued, 600)));
    rows.permits.push({
      id,
      input: {
        ...source, uscc, permitNo: `${uscc}${String(site).padStart(3, '0')}${PERMIT_LETTER[cls]}`, managementClass: cls, issuedOn: dateStr(issued),
        validFrom: dateStr(validFrom), validTo: dateStr(validTo), status, permittedPollutants: pollutants, issuingAuthority: p.bureau,
        executionReports: demoExecutionReports(`${uscc}${String(site).padStart(3, '0')}${PERMIT_LETTER[cls]}`, cls, LAST_DAY),
      },
    });
  }

  // Penalties, each with the inspection that found the violation.
  const inspections: PendingInspection[] = [];
  const penaltyYears = new Set<number>();
  let lastPenaltyDay = -1;
  const penLo = Math.max(plan.estDay + 30, addYears(REF_DAY, -4) + 1);
  for (const day of sortedDays(rng, plan.nPenalties, penLo, plan.endDay)) {
    const key = rng.weighted(ind.violations);
    const v = VIOLATIONS[key];
    const checkDay = Math.max(plan.estDay, day - rng.int(20, 120));
    const times = rng.int(1, 35) / 10;
    const water = pollutantOf(rng, ind, 'w', 'w01018');
    const air = pollutantOf(rng, ind, 'a', 'a34013');
    const limit = POLLUTANT_LIMITS[key === 'airExceed' ? air : water];
    const investment = rng.int(200, 3000);
    const facts = fill(v.facts, {
      date: cnDate(checkDay),
      year: yearOf(checkDay) - 1,
      waterPollutant: POLLUTANT_NAMES[water],
      airPollutant: POLLUTANT_NAMES[air],
      value: Number((limit * (1 + times)).toPrecision(3)),
      times,
      waterStandard: ind.waterStandard,
      airStandard: ind.airStandard,
      location: rng.pick(PLACE_DETAILS.locations),
      river: rng.pick(PLACE_DETAILS.rivers),
      stack: rng.pick(PLACE_DETAILS.stacks),
      side: rng.pick(PLACE_DETAILS.sides),
      vocFacility: rng.pick(PLACE_DETAILS.vocFacilities),
      vocProcess: rng.pick(ind.vocProcesses),
      wastewater: ind.wastewater,
      waste: rng.pick(ind.wastes),
      qty: rng.int(2, 60) / 2,
      db: rng.int(56, 72),
      project: projectName(rng, ind),
      investment,
    });
    let fine: number;
    if (v.fine === 'investment') {
      fine = Math.round((investment * 10000 * rng.int(10, 50)) / 1000 / 100) * 100;
    } else {
      const [min, max] = v.fine;
      const raw = min + (max - min) * rng.float() ** 2;
      const step = raw >= 100000 ? 10000 : 1000;
      fine = Math.min(max, Math.max(min, Math.round(raw / step) * step));
    }
    const categories = new Set<PenaltyCategory>([PenaltyCategory.FINE]);
    for (const [cat, chance] of v.extra) if (rng.chance(chance)) categories.add(cat);
    let confiscation = 0;
    if (rng.chance(0.03)) {
      categories.add(PenaltyCategory.CONFISCATION_OF_ILLEGAL_GAINS);
      confiscation = rng.int(5, 80) * 1000;
    }
    const cats = [...categories].sort((a, b) => CATEGORY_ORDER.indexOf(a) - CATEGORY_ORDER.indexOf(b));
    const parts = cats.map((c) => {
      switch (c) {
        case PenaltyCategory.WARNING: return '警告';
        case PenaltyCategory.FINE: return `罚款人民币${fine}元`;
        case PenaltyCategory.CONFISCATION_OF_ILLEGAL_GAINS: return `没收违法所得人民币${confiscation}元`;
        case PenaltyCategory.PRODUCTION_RESTRICTION: return '责令限制生产';
        case PenaltyCategory.PRODUCTION_SUSPENSION: return '责令停产整治';
        default: return '';
      }
    });
    const content = `责令改正违法行为，并作出如下处罚：${parts.join('；')}。`;
    const age = REF_DAY - day;
    const status = age < 60
      ? rng.weighted<PenaltyStatus>([[PenaltyStatus.DECIDED, 75], [PenaltyStatus.UNDER_REVIEW, 25]])
      : rng.weighted<PenaltyStatus>([[PenaltyStatus.EXECUTED, 90], [PenaltyStatus.UNDER_REVIEW, 4], [PenaltyStatus.DECIDED, 4], [PenaltyStatus.REVOKED, 2]]);
    const heavyCase = v.serious || categories.has(PenaltyCategory.PRODUCTION_RESTRICTION) || categories.has(PenaltyCategory.PRODUCTION_SUSPENSION);
    const year = yearOf(day);
    const pen = common(ctx, rng, p, 'ENFORCEMENT', 'CF', asOf(rng, localMs(day, 600)));
    rows.penalties.push({
      id: pen.id,
      input: {
        ...pen.source, uscc, decisionNo: `${p.penaltyPrefix}〔${year}〕${nextSeq(ctx, `pen|${p.abbr}|${year}`)}号`, violationType: v.type, facts,
        legalBasis: v.legalBasis, categories: cats, content, fineAmount: money(fine), confiscationAmount: money(confiscation), decisionDate: dateStr(day),
        authorityName: p.bureau, authorityUscc: AUTHORITY_USCC[owner], publicityUntil: dateStr(addYears(day, heavyCase ? 3 : 1)), status,
      },
    });
    penaltyYears.add(year);
    lastPenaltyDay = day;
    const transferred = key === 'waterBypass' && rng.chance(0.5);
    inspections.push({
      day: checkDay,
      type: rng.weighted(CASE_INSPECTION_TYPES),
      outcome: transferred ? InspectionOutcome.TRANSFERRED : InspectionOutcome.CASE_FILED,
      findings: transferred
        ? `现场发现该单位涉嫌${v.type}，情节严重，已固定证据并移送公安机关。`
        : `现场发现该单位涉嫌${v.type}，已调查取证并立案查处。`,
    });
  }

  // Complaints; some lead to an inspection within days.
  const cLo = Math.min(plan.endDay, Math.max(plan.estDay, addYears(REF_DAY, -3) + 1));
  let complaintNo = 0;
  for (const day of sortedDays(rng, plan.nComplaints, cLo, plan.endDay)) {
    const receivedMs = localMs(day, rng.int(7 * 60, 22 * 60));
    const element = rng.weighted(ind.complaintElements);
    const templates = COMPLAINT_TEMPLATES[element].length > 0 ? COMPLAINT_TEMPLATES[element] : COMPLAINT_TEMPLATES[EnvironmentalElement.GENERAL];
    const content = fill(rng.pick(templates), { company: name, place: `${town.short}${roadName(rng)}` });
    const age = REF_DAY - day;
    const status = age > 30
      ? rng.weighted<ComplaintStatus>([[ComplaintStatus.CLOSED, 92], [ComplaintStatus.REPLIED, 8]])
      : age >= 7
        ? rng.weighted<ComplaintStatus>([[ComplaintStatus.REPLIED, 40], [ComplaintStatus.CLOSED, 35], [ComplaintStatus.IN_PROGRESS, 25]])
        : rng.weighted<ComplaintStatus>([[ComplaintStatus.RECEIVED, 45], [ComplaintStatus.IN_PROGRESS, 55]]);
    const replied = status === ComplaintStatus.REPLIED || status === ComplaintStatus.CLOSED;
    const reply = replied ? fill(rng.pick(COMPLAINT_REPLIES), { issue: rng.pick(INSPECTION_ISSUES) }) : null;
    const closedMs = status === ComplaintStatus.CLOSED ? localMs(day + rng.int(3, Math.min(25, age - 1)), rng.int(9 * 60, 17 * 60)) : null;
    const who = rng.weighted<'full' | 'partial' | 'anonymous'>([['full', 85], ['partial', 10], ['anonymous', 5]]);
    const { id, source } = common(ctx, rng, p, 'PETITION', 'XF', asOf(rng, closedMs ?? receivedMs));
    const ticketNo = `${p.abbr}-XF-${yearOf(day)}-${String(nextSeq(ctx, `xf|${p.abbr}|${yearOf(day)}`)).padStart(6, '0')}`;
    rows.complaints.push({
      id,
      input: {
        ...source, uscc, ticketNo,
        receivedAt: iso(receivedMs), channel: rng.weighted(COMPLAINT_CHANNELS), element, content, handlingJurisdiction: owner, status, reply,
        closedAt: closedMs === null ? null : iso(closedMs),
        complainantName: who === 'anonymous' ? null : personName(rng),
        complainantPhone: who === 'anonymous' ? null : mobile(rng),
        complainantIdNumber: who === 'full' ? residentId(rng, p.idPrefixes, 1950, 2004) : null,
      },
    });
    if (complaintNo++ < plan.nComplaintInspections) {
      inspections.push({
        day: Math.min(day + rng.int(0, 4), plan.endDay, LAST_DAY),
        type: InspectionType.COMPLAINT,
        outcome: rng.chance(0.55) ? InspectionOutcome.COMPLIANT : InspectionOutcome.RECTIFICATION_ORDERED,
        trigger: { kind: InspectionTrigger.COMPLAINT, ref: ticketNo },
      });
    }
  }

  // Inspections: routine, random (双随机), campaigns and joint cross-border ones, plus the linked ones above.
  const iLo = Math.max(plan.estDay, addYears(REF_DAY, -6) + 1);
  for (const day of sortedDays(rng, plan.nRoutineInspections, iLo, plan.endDay)) {
    inspections.push({
      day,
      type: rng.weighted(INSPECTION_TYPES),
      outcome: rng.chance(0.74) ? InspectionOutcome.COMPLIANT : InspectionOutcome.RECTIFICATION_ORDERED,
    });
  }
  inspections.sort((a, b) => a.day - b.day);
  for (const ins of inspections) {
    // Only recent visits can still be open; the ones that led to a penalty are long closed.
    const inProgress = REF_DAY - ins.day <= 10 && ins.findings === undefined && rng.chance(0.5);
    const stepCount = inProgress ? rng.int(1, INSPECTION_STEPS.length - 1) : INSPECTION_STEPS.length;
    let ms = localMs(ins.day, rng.int(8 * 60 + 30, 15 * 60)) + rng.int(0, 59) * 1000;
    const steps: { step: string; at: string }[] = [];
    for (let k = 0; k < stepCount; k++) {
      if (k > 0) ms += rng.int(2, 35) * 60_000 + rng.int(0, 59) * 1000;
      steps.push({ step: INSPECTION_STEPS[k], at: iso(ms) });
    }
    let joint: string[] = [];
    if (ins.type === InspectionType.JOINT_CROSS_BORDER) {
      const others = DISTRICTS.filter((d) => d !== owner);
      joint = [owner, ...(rng.chance(0.5) ? others : [rng.pick(others)])];
    }
    let findings: string | null;
    let outcome = ins.outcome;
    if (inProgress) {
      outcome = InspectionOutcome.COMPLIANT;
      findings = null;
    } else if (ins.findings) {
      findings = ins.findings;
    } else if (outcome === InspectionOutcome.COMPLIANT) {
      findings = rng.pick(INSPECTION_FINDINGS_COMPLIANT);
    } else {
      findings = `现场发现${rng.pick(INSPECTION_ISSUES)}，已当场责令企业限期整改，并将组织复查。`;
    }
    const year = yearOf(ins.day);
    const { id, source } = common(ctx, rng, p, 'ENFORCEMENT', 'JC', asOf(rng, ms));
    rows.inspections.push({
      id,
      input: {
        ...source, uscc, inspectionNo: `${p.abbr}-ZF-${year}-${String(nextSeq(ctx, `zf|${p.abbr}|${year}`)).padStart(6, '0')}`, inspectedOn: dateStr(ins.day),
        type: ins.type, leadAgency: p.bureau, jointJurisdictions: joint, steps, outcome,
        ...(ins.trigger ? { origin: InspectionOrigin.TRIGGERED, trigger: ins.trigger.kind, triggerReference: ins.trigger.ref } : {}),
        status: inProgress ? InspectionStatus.IN_PROGRESS : InspectionStatus.COMPLETED, findings,
      },
    });
  }

  // Credit: yearly evaluations under the province's scheme, and the rare serious-dishonesty listing.
  for (const year of plan.creditYears) {
    const effective = dayOf(year + 1, 1, 1) + rng.int(90, 240);
    const level = rng.weighted(penaltyYears.has(year) ? p.creditLevelsPenalised : p.creditLevels);
    const { id, source } = common(ctx, rng, p, 'CREDIT', 'XY', asOf(rng, localMs(effective, 600)));
    rows.creditRecords.push({
      id,
      input: {
        ...source, uscc, recordNo: `${p.abbr}-XYPJ-${year}-${String(nextSeq(ctx, `xypj|${p.abbr}|${year}`)).padStart(6, '0')}`,
        kind: CreditRecordKind.EVALUATION, effectiveOn: dateStr(effective), issuer: p.creditIssuer, scheme: p.creditScheme, level, evaluationYear: year,
      },
    });
  }
  if (plan.listing) {
    const hi = Math.min(plan.endDay, LAST_DAY);
    const listed = lastPenaltyDay >= 0
      ? Math.min(lastPenaltyDay + rng.int(30, 180), hi)
      : rng.int(Math.max(plan.estDay, addYears(REF_DAY, -4)), hi);
    const validUntil = addYears(listed, 3);
    const removed = LAST_DAY - listed > 365 && rng.chance(0.35) ? rng.int(listed + 365, Math.min(validUntil, LAST_DAY)) : null;
    const year = yearOf(listed);
    const { id, source } = common(ctx, rng, p, 'CREDIT', 'XY', asOf(rng, localMs(removed ?? listed, 600)));
    rows.creditRecords.push({
      id,
      input: {
        ...source, uscc, recordNo: `${p.listingPrefix}〔${year}〕${nextSeq(ctx, `sx|${p.abbr}|${year}`)}号`, kind: CreditRecordKind.LISTING,
        effectiveOn: dateStr(listed), issuer: p.bureau, listingReason: rng.pick(LISTING_REASONS), listingLegalBasis: p.listingBasis,
        validUntil: dateStr(validUntil), removedOn: removed === null ? null : dateStr(removed),
      },
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Entry points

function emptyResult(): SeedResult {
  return { enterprises: 0, eiaApprovals: 0, permits: 0, inspections: 0, penalties: 0, complaints: 0, creditRecords: 0 };
}

function emptyRows(): Record<TableKey, LoadRecord[]> {
  return { enterprises: [], eiaApprovals: [], permits: [], inspections: [], penalties: [], complaints: [], creditRecords: [] };
}

/** Records per write (one transaction each), and enterprises generated per round. */
const DEFAULT_BATCH = 2000;

/** Who the change log names as the writer of seeded records. */
export const SEED_ACTOR = `${SYSTEM_PRINCIPAL.sub}:seed`;

/**
 * Fills empty dossier tables with a realistic, reproducible data set (same options, same rows, ids
 * included), so demos, tests and benchmarks share one generator from 100 to 100,000 enterprises.
 * Records go in through RecordWriter.load as the system principal, `batchSize` to a transaction,
 * with the generator's ids and its reference instant as their creation time; everything runs on
 * `ds`'s own queries, which keeps to the single connection PGlite has. Assumes the tables are empty
 * (see `hasData`).
 */
export async function seedDemoData(ds: DataSource, opts: SeedOptions): Promise<SeedResult> {
  const { enterprises, seed, onProgress } = opts;
  const batchSize = opts.batchSize ?? DEFAULT_BATCH;
  if (!Number.isInteger(enterprises) || enterprises < 0) throw new Error('enterprises must be a non-negative integer');
  if (!Number.isInteger(seed)) throw new Error('seed must be an integer');
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error('batchSize must be a positive integer');
  const seed32 = seed >>> 0;

  // First pass: the plans alone give exact totals for progress reports.
  const totals = emptyResult();
  for (let i = 0; i < enterprises; i++) {
    const counts = planCounts(drawPlan(new Rng(seed32, i)));
    for (const [key] of TYPES) totals[key] += counts[key];
  }

  const done = emptyResult();
  const ctx: Ctx = {
    seed: seed32,
    idKey: mix32(seed32 ^ 0x5eed1d),
    nextId: 0,
    seq: new Map(),
    usccs: new Set(),
    names: new Set(),
    rows: emptyRows(),
  };
  const writer = new RecordWriter(ds);

  /** Writes full batches of a type, or everything left when `all`. */
  const flush = async ([key, type]: [TableKey, DossierRecord], all: boolean): Promise<void> => {
    const buf = ctx.rows[key];
    let start = 0;
    while (buf.length - start >= batchSize || (all && start < buf.length)) {
      const batch = buf.slice(start, start + batchSize);
      await writer.load(SYSTEM_PRINCIPAL, type.write, batch, { at: LOADED_AT, actor: SEED_ACTOR, batchSize });
      done[key] += batch.length;
      onProgress?.({ table: type.table, done: done[key], total: totals[key] });
      start += batchSize;
    }
    ctx.rows[key] = buf.slice(start);
  };

  // Enterprises first, committed: the other records name theirs. The other types' batches then go
  // in side by side (on PostgreSQL each on a connection of its own, so one type's checks run while
  // another's rows are written; appends still take the change-log lock one at a time).
  const enterpriseType = TYPES.find(([key]) => key === 'enterprises')!;
  const recordTypes = TYPES.filter((t) => t !== enterpriseType);
  const flushAll = async (all: boolean) => {
    await flush(enterpriseType, true);
    await Promise.all(recordTypes.map((t) => flush(t, all)));
  };
  for (let start = 0; start < enterprises; start += batchSize) {
    const end = Math.min(enterprises, start + batchSize);
    for (let i = start; i < end; i++) generateEnterprise(ctx, i);
    await flushAll(false);
  }
  await flushAll(true);

  for (const [key, type] of TYPES) {
    if (done[key] !== totals[key]) throw new Error(`seed generator: planned ${totals[key]} ${type.table} rows but wrote ${done[key]}`);
  }
  return done;
}

/** True when the enterprise table has a row: the seed command refuses to add to existing data. */
export async function hasData(ds: DataSource): Promise<boolean> {
  const rows: { present: boolean }[] = await ds.query('SELECT EXISTS (SELECT 1 FROM "enterprise") AS present');
  return rows[0]?.present === true;
}
