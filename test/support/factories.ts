import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SYSTEM_PRINCIPAL } from '../../src/auth/principal';
import {
  ComplaintChannel, ComplaintStatus, CreditScheme, EiaDecision, EiaDocumentType, EnvironmentalElement, InspectionOutcome,
  InspectionStatus, InspectionType, PenaltyCategory, PenaltyStatus, PermitClass, PermitStatus, RegistrationStatus,
} from '../../src/domain/codes';
import { District, jurisdictionInfo } from '../../src/domain/jurisdictions';
import { withCheckCharacter } from '../../src/domain/uscc';
import { CreditRecordKind } from '../../src/modules/credit/credit.record';
import type { DossierRecordName as RecordName } from '../../src/modules/dossier/record-declaration';
import { RecordWriter } from '../../src/modules/dossier/record-writer';
import { RECORDS } from '../../src/modules/dossier/write-specs';

/**
 * Record factories for tests: each builds one plausible record and writes it through the one
 * writer as the system principal (so it is checked like any write and has its change-log entry),
 * and returns it; pass overrides, by input field name, for what the test is about.
 */
let seq = 0;
const next = () => String(++seq).padStart(6, '0');
/** Every record's source; its asOf is after the factories' dates, so they pass the writer's checks. */
const source = () => ({ sourceSystem: 'TEST', sourceRecordId: randomUUID(), asOf: '2026-06-01T00:00:00Z' });

type Overrides = Record<string, unknown>;

/** A record as the factories return it: its id, owner and enterprise, and its fields by input name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Made = { id: string; ownerJurisdiction: District; enterpriseId: string; uscc: string; [field: string]: any };

/** Writes records of one type through the writer, as the system, in one transaction. */
export async function make(ds: DataSource, type: RecordName, inputs: readonly Overrides[]): Promise<Made[]> {
  const stored = await new RecordWriter(ds).load(SYSTEM_PRINCIPAL, RECORDS[type].write, inputs.map((input) => ({ input })));
  return stored.map((s) => ({ ...s.values, id: s.id, ownerJurisdiction: s.owner, enterpriseId: s.enterpriseId, uscc: s.uscc }));
}

const one = async (ds: DataSource, type: RecordName, input: Overrides): Promise<Made> => (await make(ds, type, [input]))[0];

/** An enterprise of `jurisdiction` (its USCC carries the district's division code). */
export function enterpriseInput(o: Overrides & { jurisdiction: District }): Overrides {
  const division = jurisdictionInfo(o.jurisdiction).divisionCode!;
  const uscc = withCheckCharacter(`91${division}MA${next()}0`.slice(0, 17).padEnd(17, '0'));
  return {
    ...source(), uscc, name: `测试企业${seq}有限公司`, industryCode: 'C1713', industryName: '棉印染精加工',
    address: '测试路1号', registrationStatus: RegistrationStatus.ACTIVE, establishedOn: '2010-05-01',
    legalRepName: '王小明', legalRepIdNumber: '320584198001011234', ...o,
  };
}

export function newEnterprise(ds: DataSource, o: Overrides & { jurisdiction: District }): Promise<Made> {
  return one(ds, 'enterprise', enterpriseInput(o));
}

const owned = (e: Made) => ({ ...source(), uscc: e.uscc });

export function newPenalty(ds: DataSource, e: Made, o: Overrides = {}): Promise<Made> {
  return one(ds, 'penalty', {
    ...owned(e), decisionNo: `测罚〔2026〕${next()}号`, violationType: '超标排放水污染物', facts: '外排废水化学需氧量超标。',
    legalBasis: '《中华人民共和国水污染防治法》第八十三条', categories: [PenaltyCategory.FINE], content: '罚款人民币二十万元',
    fineAmount: '200000.00', confiscationAmount: '0.00', decisionDate: '2026-03-01', authorityName: '测试生态环境局',
    authorityUscc: withCheckCharacter('11320509MB1234567'), publicityUntil: '2099-12-31', status: PenaltyStatus.DECIDED, ...o,
  });
}

export function newPermit(ds: DataSource, e: Made, o: Overrides = {}): Promise<Made> {
  return one(ds, 'permit', {
    ...owned(e), permitNo: `${e.uscc}${next().slice(3)}P`, managementClass: PermitClass.KEY, issuedOn: '2024-01-01', validFrom: '2024-01-01',
    validTo: '2028-12-31', status: PermitStatus.VALID, permittedPollutants: ['w01018', 'w21003'], issuingAuthority: '测试生态环境局', ...o,
  });
}

export function newEia(ds: DataSource, e: Made, o: Overrides = {}): Promise<Made> {
  return one(ds, 'eia', {
    ...owned(e), approvalNo: `测环建〔2025〕${next()}号`, projectName: '技改项目', documentType: EiaDocumentType.REPORT_FORM,
    decision: EiaDecision.APPROVED, decisionDate: '2025-06-01', approvingAuthority: '测试生态环境局', ...o,
  });
}

export function newInspection(ds: DataSource, e: Made, o: Overrides = {}): Promise<Made> {
  return one(ds, 'inspection', {
    ...owned(e), inspectionNo: `JC2026${next()}`, inspectedOn: '2026-04-01', type: InspectionType.RANDOM, leadAgency: '测试执法支队',
    jointJurisdictions: [], steps: [], outcome: InspectionOutcome.RECTIFICATION_ORDERED, status: InspectionStatus.COMPLETED,
    findings: '雨水排口有异常排水，已责令整改。', ...o,
  });
}

export function newComplaint(ds: DataSource, e: Made, o: Overrides = {}): Promise<Made> {
  return one(ds, 'complaint', {
    ...owned(e), ticketNo: `XF2026${next()}`, receivedAt: '2026-05-01T08:00:00Z', channel: ComplaintChannel.HOTLINE_12369,
    element: EnvironmentalElement.AIR, content: '夜间有刺鼻气味。', handlingJurisdiction: e.ownerJurisdiction, status: ComplaintStatus.REPLIED,
    reply: '已核查处理。', closedAt: null, complainantName: '李四', complainantPhone: '13812345678', complainantIdNumber: '310101199001011234', ...o,
  });
}

/** An evaluation by default; `kind: LISTING` starts from a listing's fields instead. */
export function newCreditRecord(ds: DataSource, e: Made, o: Overrides = {}): Promise<Made> {
  const kind = o.kind === CreditRecordKind.LISTING
    ? { kind: CreditRecordKind.LISTING, listingReason: '篡改、伪造自动监测数据', listingLegalBasis: '《企业环境信用评价办法(试行)》', validUntil: '2029-02-01' }
    : { kind: CreditRecordKind.EVALUATION, scheme: CreditScheme.JIANGSU_5, level: 'GREEN', evaluationYear: 2025 };
  return one(ds, 'credit', { ...owned(e), recordNo: `XY2025${next()}`, effectiveOn: '2026-02-01', issuer: '测试生态环境局', ...kind, ...o });
}

/** One enterprise per district with one record of every type, for policy tests. */
export async function dossierPerDistrict(ds: DataSource, districts: District[]) {
  const out: Record<string, { enterprise: Made; penalty: Made; expiredPenalty: Made; permit: Made; eia: Made; inspection: Made; complaint: Made; credit: Made }> = {};
  for (const d of districts) {
    const enterprise = await newEnterprise(ds, { jurisdiction: d });
    out[d] = {
      enterprise,
      penalty: await newPenalty(ds, enterprise),
      expiredPenalty: await newPenalty(ds, enterprise, { publicityUntil: '2020-01-01', decisionDate: '2019-01-01' }),
      permit: await newPermit(ds, enterprise),
      eia: await newEia(ds, enterprise),
      inspection: await newInspection(ds, enterprise),
      complaint: await newComplaint(ds, enterprise),
      credit: await newCreditRecord(ds, enterprise),
    };
  }
  return out;
}
