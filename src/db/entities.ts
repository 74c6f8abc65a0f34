import { AuditEvent } from '../modules/audit/audit-event.entity';
import { CATALOG_ENTITIES } from '../modules/catalog/catalog.entity';
import { ChangeLogEntry } from '../modules/changes/change-log.entity';
import { Complaint } from '../modules/complaint/complaint.entity';
import { CreditRecord } from '../modules/credit/credit-record.entity';
import { EiaApproval } from '../modules/eia/eia.entity';
import { Enterprise } from '../modules/enterprise/enterprise.entity';
import { Inspection } from '../modules/inspection/inspection.entity';
import { JurisdictionEntity } from '../modules/jurisdiction/jurisdiction.entity';
import { Observation } from '../modules/monitoring/observation.entity';
import { MonitoringStation } from '../modules/monitoring/station.entity';
import { Penalty } from '../modules/penalty/penalty.entity';
import { Permit } from '../modules/permit/permit.entity';

/** Every entity, by class (no globs: the same list works under ts-node, Jest and dist). */
export const ENTITIES: Function[] = [
  JurisdictionEntity, Enterprise, EiaApproval, Permit, Inspection, Penalty, Complaint, CreditRecord,
  MonitoringStation, Observation,
  ...CATALOG_ENTITIES,
  AuditEvent,
  ChangeLogEntry,
];
