import { createRecordResolver } from '../dossier/record.resolver';
import { CREDIT, CreditRecordKind, CreditRemovalReason } from './credit.record';

export { CREDIT, CreditRecordKind, CreditRemovalReason };
export { CreditStatus, CreditListing } from './credit-status';
export { CreditStatusResolver } from './credit-status.resolver';
export { CreditRepairResolver } from './credit-repair.resolver';
export { CreditRepairService } from './credit-repair.service';
export { CreditRepairStatus, CreditRepairApplication } from './credit-repair.types';
export { REPAIR_RULES } from './credit-repair.rules';
/** The CreditRecord record type's root lookup and list and its `enterprise`, for the schema. */
export const creditResolvers = createRecordResolver(CREDIT);
