import { Complaint } from '../modules/complaint/complaint.entity';
import { CreditRecord } from '../modules/credit/credit-record.entity';
import { EiaApproval } from '../modules/eia/eia.entity';
import { Enterprise } from '../modules/enterprise/enterprise.entity';
import { Inspection } from '../modules/inspection/inspection.entity';
import { JurisdictionEntity } from '../modules/jurisdiction/jurisdiction.entity';
import { Penalty } from '../modules/penalty/penalty.entity';
import { Permit } from '../modules/permit/permit.entity';

/** Every entity, by class (no globs: the same list works under ts-node, Jest and dist). */
export const ENTITIES = [JurisdictionEntity, Enterprise, EiaApproval, Permit, Inspection, Penalty, Complaint, CreditRecord];
import { MonitoringStation } from '../modules/monitoring/station.entity';
import { Observation } from '../modules/monitoring/observation.entity';
// Monitoring entities, appended so that edits to the list above do not collide; fold in when convenient.
(ENTITIES as Function[]).push(MonitoringStation, Observation);
import { AuditEvent } from '../modules/audit/audit-event.entity';
(ENTITIES as Function[]).push(AuditEvent);
import { CATALOG_ENTITIES } from '../modules/catalog/catalog.entity';
(ENTITIES as Function[]).push(...CATALOG_ENTITIES);
import { ChangeLogEntry } from '../modules/changes/change-log.entity';
(ENTITIES as Function[]).push(ChangeLogEntry);
