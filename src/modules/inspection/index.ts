import { createRecordResolver } from '../dossier/record.resolver';
import { INSPECTION } from './inspection.record';

export { INSPECTION };
/** The Inspection record type's root lookup and list and its `enterprise`, for the schema. */
export const inspectionResolvers = createRecordResolver(INSPECTION);
