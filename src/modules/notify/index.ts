export { isLiveContext, liveContext, liveEvents } from './live-events';
export type { LiveContext, LiveSession } from './live-events';
export { DossierRecordUnion, RecordChange, RecordChangedFilter, RecordChangedResolver, RecordChangeService } from './record-changed';
export { WorkflowChangesResolver } from './workflow-changes';
export { AlertChange, AlertRaisedFilter, AlertRaisedResolver } from './alert-raised';
export { ComplianceReminderRaisedFilter, ComplianceReminderRaisedResolver } from './reminder-raised';
