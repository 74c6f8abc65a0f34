import { COMPLAINT_WRITE } from '../complaint/complaint.inputs';
import { CREDIT_WRITE } from '../credit/credit.inputs';
import { EIA_WRITE } from '../eia/eia.inputs';
import { ENTERPRISE_WRITE } from '../enterprise/enterprise.inputs';
import { INSPECTION_WRITE } from '../inspection/inspection.inputs';
import { PENALTY_SHUANGGONGSHI } from '../penalty/penalty.dialect';
import { PENALTY_WRITE } from '../penalty/penalty.inputs';
import { PERMIT_WRITE } from '../permit/permit.inputs';
import type { ImportDialect } from './record-import';
import type { WriteSpec } from './record-writer';
import type { SpecName } from './specs';

/** How each record type is written, by the same names as the read specs. */
export const WRITE_SPECS: Record<SpecName, WriteSpec> = {
  enterprise: ENTERPRISE_WRITE,
  eia: EIA_WRITE,
  permit: PERMIT_WRITE,
  inspection: INSPECTION_WRITE,
  penalty: PENALTY_WRITE,
  complaint: COMPLAINT_WRITE,
  credit: CREDIT_WRITE,
};

/** The `--type` names of `npm run import`. */
export const IMPORT_TYPES: Record<string, SpecName> = {
  enterprises: 'enterprise',
  'eia-approvals': 'eia',
  permits: 'permit',
  inspections: 'inspection',
  penalties: 'penalty',
  complaints: 'complaint',
  'credit-records': 'credit',
};

/** Published column layouts an import accepts besides the hub's own names. */
export const IMPORT_DIALECTS: Partial<Record<SpecName, ImportDialect>> = {
  penalty: PENALTY_SHUANGGONGSHI,
};
