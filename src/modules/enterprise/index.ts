export { Enterprise, LegalRepresentative } from './enterprise.entity';
export { EnterpriseResolver } from './enterprise.resolver';
export { EnterpriseService, EnterpriseFilter } from './enterprise.service';
