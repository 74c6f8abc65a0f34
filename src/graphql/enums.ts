import { registerEnumType } from 'type-graphql';
import {
  ComplaintChannel, ComplaintStatus, CreditScheme, EiaDecision, EiaDocumentType, EnvironmentalElement, InspectionOrigin, InspectionOutcome,
  InspectionSite, InspectionStatus, InspectionStep, InspectionTrigger, InspectionType, PenaltyCategory, PenaltyStatus, PermitClass, PermitStatus, RegistrationStatus,
  ExecutionReportFrequency,
} from '../domain/codes';
import { Jurisdiction } from '../domain/jurisdictions';
import { CreditRecordKind, CreditRemovalReason } from '../modules/credit/credit.record';
import { CreditRepairStatus } from '../modules/credit/credit-repair.types';
import { Role } from '../auth/principal';
import { RecordType } from '../auth/policy';
import { CatalogResourceStatus, CatalogSharingType } from '../modules/catalog/catalog.codes';
import { CreditFeedOp } from '../modules/feed/credit-feed.types';
import {
  AqiPollutantCode, AqiReportKind, AssessmentPeriod, ControlLevel, DataFlag, ObservationInterval, StationKind, Waterbody, WaterClassCode,
} from '../modules/monitoring/monitoring.codes';

/** Registers every enum the schema uses, once, before the schema is built. */
export function registerEnums(): void {
  const enums: Array<[object, string, string]> = [
    [Jurisdiction, 'Jurisdiction', 'Jurisdictions of the zone: the three districts, their provinces, the zone, and the Credit Yangtze Delta platform.'],
    [Role, 'Role', 'Roles a principal may hold.'],
    [RecordType, 'RecordType', 'Kinds of shared record the policy decides on.'],
    [RegistrationStatus, 'RegistrationStatus', 'Business registration status.'],
    [EiaDecision, 'EiaDecision', 'EIA approval decision.'],
    [EiaDocumentType, 'EiaDocumentType', 'EIA document type: report, report form or registration form.'],
    [PermitClass, 'PermitClass', 'Discharge permit management class.'],
    [PermitStatus, 'PermitStatus', 'Discharge permit status.'],
    [ExecutionReportFrequency, 'ExecutionReportFrequency', 'How often a permit requires an execution report (执行报告): ANNUAL, QUARTERLY or MONTHLY.'],
    [InspectionType, 'InspectionType', 'Kind of enforcement inspection.'],
    [InspectionOutcome, 'InspectionOutcome', 'Outcome of an inspection.'],
    [InspectionOrigin, 'InspectionOrigin', 'Why an inspection took place: PLANNED, or TRIGGERED by a complaint, alert, transfer, lead or other.'],
    [InspectionTrigger, 'InspectionTrigger', 'What set off a TRIGGERED inspection.'],
    [InspectionSite, 'InspectionSite', 'Where an inspection was made: ONSITE at the firm, or OFFSITE (online monitoring, records, remote video).'],
    [InspectionStatus, 'InspectionStatus', 'Inspection progress.'],
    [InspectionStep, 'InspectionStep', 'The eight on-site steps, in order.'],
    [PenaltyCategory, 'PenaltyCategory', 'Penalty categories of the Administrative Penalty Law, Art. 9, plus OTHER.'],
    [PenaltyStatus, 'PenaltyStatus', 'Penalty decision status.'],
    [ComplaintChannel, 'ComplaintChannel', 'Channel a complaint came in by.'],
    [ComplaintStatus, 'ComplaintStatus', 'Complaint handling status.'],
    [EnvironmentalElement, 'EnvironmentalElement', 'Environmental element (环境要素).'],
    [CreditScheme, 'CreditScheme', 'Credit evaluation scheme (national 2013 or a province\'s).'],
    [CreditRecordKind, 'CreditRecordKind', 'Evaluation result or serious-dishonesty listing.'],
    [CreditRepairStatus, 'CreditRepairStatus', 'Where a credit repair application stands: PENDING, APPROVED or REJECTED.'],
    [CreditRemovalReason, 'CreditRemovalReason', 'Why a listing left the list: EXPIRED (validity ran out), REMOVAL_DECISION (removed by decision), REPAIRED (credit repair approved).'],
    [StationKind, 'StationKind', 'What a monitoring station measures: ambient air, surface water, or a pollution-source outlet.'],
    [Waterbody, 'Waterbody', 'River, or lake/reservoir: GB 3838-2002 judges total phosphorus differently for each.'],
    [WaterClassCode, 'WaterClass', 'Surface-water class of GB 3838-2002: I to V, and WORSE_THAN_V (劣V).'],
    [ControlLevel, 'ControlLevel', 'Who controls a monitoring point: national, provincial, municipal or district.'],
    [DataFlag, 'DataFlag', 'HJ 212-2017 data flag: N normal, F stopped, M maintenance, S set value, D fault, C calibrating, T above range, B communication error.'],
    [ObservationInterval, 'ObservationInterval', 'The period an observation stands for, from its observedAt.'],
    [AssessmentPeriod, 'AssessmentPeriod', 'Period of a stored-data water assessment.'],
    [AqiReportKind, 'AqiReport', 'AQI report kind: DAILY (日报) or HOURLY (实时报).'],
    [AqiPollutantCode, 'AqiPollutant', 'Pollutants of the AQI (HJ 633); o3_8h is the daily maximum 8-h moving mean of ozone, named as the AqiInput fields.'],
    [CreditFeedOp, 'CreditFeedOp', 'What a credit change did: LISTED (put on the serious-dishonesty list), UPDATED, REMOVED (taken off it: expiry, decision or repair, see removalReason), WITHDRAWN (withdrawn as entered in error: it never stood), EVALUATED (a credit evaluation result).'],
    [CatalogSharingType, 'SharingType', 'Sharing type of a catalog resource (共享类型): 无条件共享, 有条件共享 or 不予共享.'],
    [CatalogResourceStatus, 'CatalogResourceStatus', 'Whether the hub serves a catalog resource yet: SERVED at its entry point, or PLANNED (catalogued, not yet served).'],
  ];
  for (const [e, name, description] of enums) registerEnumType(e, { name, description });
}
