import type { ReadModel } from '../../read/model';
import { COMPLAINT_MODEL } from '../complaint/complaint.record';
import { CREDIT_MODEL } from '../credit/credit.record';
import { EIA_MODEL } from '../eia/eia.record';
import { ENTERPRISE_MODEL } from '../enterprise/enterprise.record';
import { INSPECTION_MODEL } from '../inspection/inspection.record';
import { PENALTY_MODEL } from '../penalty/penalty.record';
import { PERMIT_MODEL } from '../permit/permit.record';
import type { SpecName } from './specs';

/** The read engine's model of each dossier record type, by the names the write specs use. */
export const RECORD_MODELS: Record<SpecName, ReadModel> = {
  enterprise: ENTERPRISE_MODEL,
  eia: EIA_MODEL,
  permit: PERMIT_MODEL,
  inspection: INSPECTION_MODEL,
  penalty: PENALTY_MODEL,
  complaint: COMPLAINT_MODEL,
  credit: CREDIT_MODEL,
};
