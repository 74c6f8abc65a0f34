import { createRecordResolver } from '../dossier/record.resolver';
import { FlaggedInspectionResolver } from './flagged.resolver';
import { INSPECTION } from './inspection.record';

export { INSPECTION };
/** The Inspection record type's root lookup and list and its `enterprise`, and the list of flagged visits, for the schema. */
export const inspectionResolvers = [...createRecordResolver(INSPECTION), FlaggedInspectionResolver];
