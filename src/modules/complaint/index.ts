import { createRecordResolver } from '../dossier/record.resolver';
import { COMPLAINT } from './complaint.record';

export { COMPLAINT };
/** The Complaint record type's root lookup and list and its `enterprise`, for the schema. */
export const complaintResolvers = createRecordResolver(COMPLAINT);
