import { Principal } from './principal';
import { RecordType, seesComplainant, seesFindings, seesLegalRepresentativeId } from './policy';

/** What was masked in a response, by field, with the rule that masked it (goes to `extensions.policy`). */
export type MaskReport = Map<string, string>;

/** 张三 → 张*, 欧阳娜娜 → 欧***: keeps the first character. */
export function maskName(name: string | null): string | undefined {
  if (!name) return undefined;
  const chars = [...name];
  return chars[0] + '*'.repeat(Math.max(chars.length - 1, 1));
}

/** 13812345678 → 138****5678: keeps the first three and last four characters (counted as code points, like the SQL form). */
export function maskPhone(phone: string | null): string | undefined {
  if (!phone) return undefined;
  const c = [...phone];
  if (c.length <= 7) return '*'.repeat(c.length);
  return c.slice(0, 3).join('') + '*'.repeat(c.length - 7) + c.slice(-4).join('');
}

/** 310101199001011234 → 3101**********1234: keeps the first and last four characters. */
export function maskIdNumber(id: string | null): string | undefined {
  if (!id) return undefined;
  const c = [...id];
  if (c.length <= 8) return '*'.repeat(c.length);
  return c.slice(0, 4).join('') + '*'.repeat(c.length - 8) + c.slice(-4).join('');
}

interface EnterpriseRow { ownerJurisdiction: string; legalRepName: string | null; legalRepIdNumber: string | null; legalRepresentative?: unknown }
interface ComplaintRow { handlingJurisdiction: string; complainantName: string | null; complainantPhone: string | null; complainantIdNumber: string | null; complainant?: unknown }
interface InspectionRow { findingsText: string | null; findings?: string }

/**
 * Rule 3, in one place: fills the GraphQL homes of personal and sensitive data on loaded rows,
 * masked as the principal's rights require (the rights themselves are decided in policy.ts).
 * Runs after loading and before anything is cached; a row that never passes here shows those
 * fields as null (fail closed). Returns the rows that had something masked.
 */
export function applyMasks(p: Principal, recordType: RecordType, rows: readonly object[], report?: MaskReport): Set<object> {
  const masked = new Set<object>();
  switch (recordType) {
    case RecordType.ENTERPRISE:
      for (const r of rows as EnterpriseRow[]) {
        const full = seesLegalRepresentativeId(p, r.ownerJurisdiction);
        if (!full && r.legalRepIdNumber) {
          report?.set('Enterprise.legalRepresentative.idNumber', 'mask.legalRepresentative.outsideOwner');
          masked.add(r);
        }
        r.legalRepresentative = { name: r.legalRepName ?? undefined, idNumber: full ? r.legalRepIdNumber ?? undefined : maskIdNumber(r.legalRepIdNumber) };
      }
      break;
    case RecordType.COMPLAINT:
      for (const r of rows as ComplaintRow[]) {
        const full = seesComplainant(p, r.handlingJurisdiction);
        if (!full) {
          report?.set('Complaint.complainant', 'mask.complainant.notHandler');
          masked.add(r);
        }
        r.complainant = full
          ? { name: r.complainantName ?? undefined, phone: r.complainantPhone ?? undefined, idNumber: r.complainantIdNumber ?? undefined }
          : { name: maskName(r.complainantName), phone: maskPhone(r.complainantPhone), idNumber: maskIdNumber(r.complainantIdNumber) };
      }
      break;
    case RecordType.INSPECTION:
      for (const r of rows as InspectionRow[]) {
        const full = seesFindings(p);
        if (!full && r.findingsText) {
          report?.set('Inspection.findings', 'mask.findings.enforcementOnly');
          masked.add(r);
        }
        r.findings = full ? r.findingsText ?? undefined : undefined;
      }
      break;
    default:
      break;
  }
  return masked;
}
