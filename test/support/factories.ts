import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  ComplaintChannel, ComplaintStatus, CreditScheme, EiaDecision, EiaDocumentType, EnvironmentalElement, InspectionOutcome,
  InspectionStatus, InspectionType, PenaltyCategory, PenaltyStatus, PermitClass, PermitStatus, RegistrationStatus,
} from '../../src/domain/codes';
import { District, jurisdictionInfo } from '../../src/domain/jurisdictions';
import { withCheckCharacter } from '../../src/domain/uscc';
import { Complaint } from '../../src/modules/complaint/complaint.entity';
import { CreditRecord, CreditRecordKind } from '../../src/modules/credit/credit-record.entity';
import { EiaApproval } from '../../src/modules/eia/eia.entity';
import { Enterprise } from '../../src/modules/enterprise/enterprise.entity';
import { Inspection } from '../../src/modules/inspection/inspection.entity';
import { Penalty } from '../../src/modules/penalty/penalty.entity';
import { Permit } from '../../src/modules/permit/permit.entity';

/**
 * Record factories for tests: each builds one plausible record with the system's rights and
 * returns it; pass overrides for what the test is about.
 */
let seq = 0;
const next = () => String(++seq).padStart(6, '0');
const source = () => ({ sourceSystem: 'TEST', sourceRecordId: randomUUID(), sourceAsOf: new Date('2026-01-01T00:00:00Z') });

export async function newEnterprise(ds: DataSource, o: Partial<Enterprise> & { jurisdiction: District }): Promise<Enterprise> {
  const { jurisdiction, ...rest } = o;
  const division = jurisdictionInfo(jurisdiction).divisionCode!;
  const uscc = withCheckCharacter(`91${division}MA${next()}0`.slice(0, 17).padEnd(17, '0'));
  return ds.getRepository(Enterprise).save(ds.getRepository(Enterprise).create({
    ...source(), ownerJurisdiction: jurisdiction, uscc, name: `测试企业${seq}有限公司`, industryCode: 'C1713', industryName: '棉印染精加工',
    address: '测试路1号', registrationStatus: RegistrationStatus.ACTIVE, establishedOn: '2010-05-01',
    legalRepName: '王小明', legalRepIdNumber: '320584198001011234', ...rest,
  }));
}

const owned = (e: Enterprise) => ({ ...source(), enterpriseId: e.id, ownerJurisdiction: e.ownerJurisdiction });

export function newPenalty(ds: DataSource, e: Enterprise, o: Partial<Penalty> = {}): Promise<Penalty> {
  return ds.getRepository(Penalty).save(ds.getRepository(Penalty).create({
    ...owned(e), decisionNo: `测罚〔2026〕${next()}号`, violationType: '超标排放水污染物', facts: '外排废水化学需氧量超标。',
    legalBasis: '《中华人民共和国水污染防治法》第八十三条', categories: [PenaltyCategory.FINE], content: '罚款人民币二十万元',
    fineAmount: '200000.00', confiscationAmount: '0.00', decisionDate: '2026-03-01', authorityName: '测试生态环境局',
    authorityUscc: withCheckCharacter('11320509MB1234567'), publicityUntil: '2099-12-31', status: PenaltyStatus.DECIDED, ...o,
  }));
}

export function newPermit(ds: DataSource, e: Enterprise, o: Partial<Permit> = {}): Promise<Permit> {
  return ds.getRepository(Permit).save(ds.getRepository(Permit).create({
    ...owned(e), permitNo: `${e.uscc}${next().slice(3)}P`, managementClass: PermitClass.KEY, issuedOn: '2024-01-01', validFrom: '2024-01-01',
    validTo: '2028-12-31', status: PermitStatus.VALID, permittedPollutants: ['w01018', 'w21003'], issuingAuthority: '测试生态环境局', ...o,
  }));
}

export function newEia(ds: DataSource, e: Enterprise, o: Partial<EiaApproval> = {}): Promise<EiaApproval> {
  return ds.getRepository(EiaApproval).save(ds.getRepository(EiaApproval).create({
    ...owned(e), approvalNo: `测环建〔2025〕${next()}号`, projectName: '技改项目', documentType: EiaDocumentType.REPORT_FORM,
    decision: EiaDecision.APPROVED, decisionDate: '2025-06-01', approvingAuthority: '测试生态环境局', ...o,
  }));
}

export function newInspection(ds: DataSource, e: Enterprise, o: Partial<Inspection> = {}): Promise<Inspection> {
  return ds.getRepository(Inspection).save(ds.getRepository(Inspection).create({
    ...owned(e), inspectionNo: `JC2026${next()}`, inspectedOn: '2026-04-01', type: InspectionType.RANDOM, leadAgency: '测试执法支队',
    jointJurisdictions: [], steps: [], outcome: InspectionOutcome.RECTIFICATION_ORDERED, status: InspectionStatus.COMPLETED,
    findingsText: '雨水排口有异常排水，已责令整改。', ...o,
  }));
}

export function newComplaint(ds: DataSource, e: Enterprise, o: Partial<Complaint> = {}): Promise<Complaint> {
  return ds.getRepository(Complaint).save(ds.getRepository(Complaint).create({
    ...owned(e), ticketNo: `XF2026${next()}`, receivedAt: new Date('2026-05-01T08:00:00Z'), channel: ComplaintChannel.HOTLINE_12369,
    element: EnvironmentalElement.AIR, content: '夜间有刺鼻气味。', handlingJurisdiction: e.ownerJurisdiction, status: ComplaintStatus.REPLIED,
    reply: '已核查处理。', closedAt: null, complainantName: '李四', complainantPhone: '13812345678', complainantIdNumber: '310101199001011234', ...o,
  }));
}

export function newCreditRecord(ds: DataSource, e: Enterprise, o: Partial<CreditRecord> = {}): Promise<CreditRecord> {
  return ds.getRepository(CreditRecord).save(ds.getRepository(CreditRecord).create({
    ...owned(e), recordNo: `XY2025${next()}`, kind: CreditRecordKind.EVALUATION, effectiveOn: '2026-02-01', issuer: '测试生态环境局',
    scheme: CreditScheme.JIANGSU_5, level: 'GREEN', evaluationYear: 2025, listingReason: null, listingLegalBasis: null, validUntil: null, removedOn: null, ...o,
  }));
}

/** One enterprise per district with one record of every type, for policy tests. */
export async function dossierPerDistrict(ds: DataSource, districts: District[]) {
  const out: Record<string, { enterprise: Enterprise; penalty: Penalty; expiredPenalty: Penalty; permit: Permit; eia: EiaApproval; inspection: Inspection; complaint: Complaint; credit: CreditRecord }> = {};
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
