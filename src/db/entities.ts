import { Complaint } from '../modules/complaint/complaint.entity';
import { CreditRecord } from '../modules/credit/credit-record.entity';
import { EiaApproval } from '../modules/eia/eia.entity';
import { Enterprise } from '../modules/enterprise/enterprise.entity';
import { Inspection } from '../modules/inspection/inspection.entity';
import { JurisdictionEntity } from '../modules/jurisdiction/jurisdiction.entity';
import { Penalty } from '../modules/penalty/penalty.entity';
import { Permit } from '../modules/permit/permit.entity';

/** Every entity, by class (no globs: the same list works under ts-node, Jest and dist). */
export const ENTITIES = [JurisdictionEntity, Enterprise, EiaApproval, Permit, Inspection, Penalty, Complaint, CreditRecord];
