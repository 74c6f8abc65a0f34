export { registerEnforcementEnums } from './enforcement.codes';
export { EnforcementResolver } from './enforcement.resolver';
export { enforcementService, withEnforcementErrors } from './enforcement.service';
