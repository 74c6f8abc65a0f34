export { compileUnderObjection } from './objection.read';
export { ObjectionResolver } from './objection.resolver';
export { ObjectionService, disputableFields } from './objection.service';
export { OBJECTION_CHANNEL, OBJECTION_CLEARED, OBJECTION_FLAGGED, ObjectionOutcome, ObjectionStatus, ObjectionStepKind } from './objection.model';
export { OBJECTION_RULES, checkObjectionRules, verifyDueOn } from './objection-rules';
