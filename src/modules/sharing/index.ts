import 'reflect-metadata';
export { SharingResolver } from './sharing.resolver';
export { SharingService, SHARING_CHANNEL, sharingDueOn } from './sharing.service';
export { SHARING_RULES, parseSharingRules } from './sharing-rules';
export { SharingStatus } from './sharing.types';
