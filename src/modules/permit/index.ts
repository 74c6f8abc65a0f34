import { createRecordResolver } from '../dossier/record.resolver';
import { PERMIT } from './permit.record';

export { PERMIT };
/** The Permit record type's root lookup and list and its `enterprise`, for the schema. */
export const permitResolvers = createRecordResolver(PERMIT);
