import { hasRole, Principal, Role } from './principal';
import { covers, RecordType } from './policy';

/** What was masked in a response, by field, with the rule that masked it (goes to `extensions.policy`). */
export type MaskReport = Map<string, string>;

/** 张三 → 张*, 欧阳娜娜 → 欧***: keeps the first character. */
export function maskName(name: string | null): string | undefined {
  if (!name) return undefined;
  const chars = [...name];
  return chars[0] + '*'.repeat(Math.max(chars.length - 1, 1));
}

/** 13812345678 → 138****5678: keeps the first three and last four digits. */
export function maskPhone(phone: string | null): string | undefined {
  if (!phone) return undefined;
  if (phone.length <= 7) return '*'.repeat(phone.length);
  return phone.slice(0, 3) + '*'.repeat(phone.length - 7) + phone.slice(-4);
}

/** 310101199001011234 → 3101**********1234: keeps the first and last four characters. */
export function maskIdNumber(id: string | null): string | undefined {
  if (!id) return undefined;
  if (id.length <= 8) return '*'.repeat(id.length);
  return id.slice(0, 4) + '*'.repeat(id.length - 8) + id.slice(-4);
}

interface EnterpriseRow { ownerJurisdiction: string; legalRepName: string | null; legalRepIdNumber: string | null; legalRepresentative?: unknown }
interface ComplaintRow { handlingJurisdiction: string; complainantName: string | null; complainantPhone: string | null; complainantIdNumber: string | null; complainant?: unknown }
interface InspectionRow { findingsText: string | null; findings?: string }

/**
 * Rule 3, in one place: fills the GraphQL homes of personal and sensitive data on loaded rows,
 * masked as the principal's rights require. Runs after loading and before anything is cached;
 * a row that never passes here shows those fields as null (fail closed).
 */
export function applyMasks(p: Principal, recordType: RecordType, rows: readonly object[], report?: MaskReport): void {
  switch (recordType) {
    case RecordType.ENTERPRISE:
      for (const r of rows as EnterpriseRow[]) {
        const full = covers(p, r.ownerJurisdiction);
        if (!full && r.legalRepIdNumber) report?.set('Enterprise.legalRepresentative.idNumber', 'mask.legalRepresentative.outsideOwner');
        r.legalRepresentative = { name: r.legalRepName ?? undefined, idNumber: full ? r.legalRepIdNumber ?? undefined : maskIdNumber(r.legalRepIdNumber) };
      }
      return;
    case RecordType.COMPLAINT:
      for (const r of rows as ComplaintRow[]) {
        const full = p.kind === 'system' || (hasRole(p, Role.COMPLAINT_HANDLER) && p.jurisdiction === r.handlingJurisdiction);
        if (!full) report?.set('Complaint.complainant', 'mask.complainant.notHandler');
        r.complainant = full
          ? { name: r.complainantName ?? undefined, phone: r.complainantPhone ?? undefined, idNumber: r.complainantIdNumber ?? undefined }
          : { name: maskName(r.complainantName), phone: maskPhone(r.complainantPhone), idNumber: maskIdNumber(r.complainantIdNumber) };
      }
      return;
    case RecordType.INSPECTION:
      for (const r of rows as InspectionRow[]) {
        const full = p.kind === 'system' || hasRole(p, Role.ENFORCEMENT);
        if (!full && r.findingsText) report?.set('Inspection.findings', 'mask.findings.enforcementOnly');
        r.findings = full ? r.findingsText ?? undefined : undefined;
      }
      return;
    default:
      return;
  }
}
