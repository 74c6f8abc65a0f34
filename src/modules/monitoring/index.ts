export { AIR_PARAMETER, AqiReportKind, AssessmentPeriod, ControlLevel, DataFlag, ObservationInterval, StationKind, Waterbody, WaterClassCode, HUB_TIME_ZONE } from './monitoring.codes';
export { MonitoringStation } from './station.entity';
export { Observation } from './observation.entity';
export { MonitoringResolver } from './monitoring.resolver';
export { StandardsResolver } from './standards.resolver';
export { MonitoringService, STATION_SPEC } from './monitoring.service';
export type { AssessmentSource } from './monitoring.service';
export { standardsService } from './standards.service';
export {
  dropExpiredObservationPartitions, ensureObservationPartitions, maintainObservationStorage, monthOf, addMonths, observationPartitions,
  rawObservationsFrom,
} from './observation-storage';
export type { Month, ObservationStorageSettings, PartitionRun } from './observation-storage';
