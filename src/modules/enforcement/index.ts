export { registerEnforcementEnums } from './enforcement.codes';
export { EnforcementResolver } from './enforcement.resolver';
export { enforcementService, withEnforcementErrors } from './enforcement.service';
export { caseResolvers } from './case.resolver';
export { CaseService } from './case.service';
export { registerCaseEnums } from './case.codes';
