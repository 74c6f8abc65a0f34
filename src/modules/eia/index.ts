import { createRecordResolver } from '../dossier/record.resolver';
import { EIA } from './eia.record';

export { EIA };
/** The EiaApproval record type's root lookup and list and its `enterprise`, for the schema. */
export const eiaResolvers = createRecordResolver(EIA);
