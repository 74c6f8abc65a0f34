import { createRecordResolver } from '../dossier/record.resolver';
import { PENALTY } from './penalty.record';

export { PENALTY };
/** The Penalty record type's root lookup and list and its `enterprise`, for the schema. */
export const penaltyResolvers = createRecordResolver(PENALTY);
