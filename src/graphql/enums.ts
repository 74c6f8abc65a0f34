import { registerEnumType } from 'type-graphql';
import {
  ComplaintChannel, ComplaintStatus, CreditScheme, EiaDecision, EiaDocumentType, EnvironmentalElement, InspectionOutcome,
  InspectionStatus, InspectionStep, InspectionType, PenaltyCategory, PenaltyStatus, PermitClass, PermitStatus, RegistrationStatus,
} from '../domain/codes';
import { Jurisdiction } from '../domain/jurisdictions';
import { CreditRecordKind } from '../modules/credit/credit-record.entity';
import { Role } from '../auth/principal';

/** Registers every enum the schema uses, once, before the schema is built. */
export function registerEnums(): void {
  const enums: Array<[object, string, string]> = [
    [Jurisdiction, 'Jurisdiction', 'Jurisdictions of the zone: the three districts, their provinces, the zone, and the Credit Yangtze Delta platform.'],
    [Role, 'Role', 'Roles a principal may hold.'],
    [RegistrationStatus, 'RegistrationStatus', 'Business registration status.'],
    [EiaDecision, 'EiaDecision', 'EIA approval decision.'],
    [EiaDocumentType, 'EiaDocumentType', 'EIA document type: report, report form or registration form.'],
    [PermitClass, 'PermitClass', 'Discharge permit management class.'],
    [PermitStatus, 'PermitStatus', 'Discharge permit status.'],
    [InspectionType, 'InspectionType', 'Kind of enforcement inspection.'],
    [InspectionOutcome, 'InspectionOutcome', 'Outcome of an inspection.'],
    [InspectionStatus, 'InspectionStatus', 'Inspection progress.'],
    [InspectionStep, 'InspectionStep', 'The eight on-site steps, in order.'],
    [PenaltyCategory, 'PenaltyCategory', 'Penalty categories of the Administrative Penalty Law, Art. 9, plus OTHER.'],
    [PenaltyStatus, 'PenaltyStatus', 'Penalty decision status.'],
    [ComplaintChannel, 'ComplaintChannel', 'Channel a complaint came in by.'],
    [ComplaintStatus, 'ComplaintStatus', 'Complaint handling status.'],
    [EnvironmentalElement, 'EnvironmentalElement', 'Environmental element (环境要素).'],
    [CreditScheme, 'CreditScheme', 'Credit evaluation scheme (national 2013 or a province\'s).'],
    [CreditRecordKind, 'CreditRecordKind', 'Evaluation result or serious-dishonesty listing.'],
  ];
  for (const [e, name, description] of enums) registerEnumType(e, { name, description });
}
