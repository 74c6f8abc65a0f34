import { computedFieldResolver } from '../dossier/record.resolver';
import { EnterpriseResolver } from './enterprise.resolver';
import { ENTERPRISE } from './enterprise.record';

export { ENTERPRISE };
export { EnterpriseService, EnterpriseFilter } from './enterprise.service';
/** The enterprise's root fields, and its record lists and credit status, for the schema. */
export const enterpriseResolvers: Function[] = [EnterpriseResolver, computedFieldResolver(ENTERPRISE)];
