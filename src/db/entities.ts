import { AuditEvent } from '../modules/audit/audit-event.entity';
import { CATALOG_ENTITIES } from '../modules/catalog/catalog.entity';
import { ChangeLogEntry } from '../modules/changes/change-log.entity';
import { JurisdictionEntity } from '../modules/jurisdiction/jurisdiction.entity';
import { Observation } from '../modules/monitoring/observation.entity';
import { MonitoringStation } from '../modules/monitoring/station.entity';

/**
 * Every entity, by class (no globs: the same list works under ts-node, Jest and dist). The dossier
 * record types are not entities: each is declared once (src/modules/dossier/record-declaration.ts)
 * and written through RecordWriter; their tables are defined by the migrations.
 */
export const ENTITIES: Function[] = [
  JurisdictionEntity,
  MonitoringStation, Observation,
  ...CATALOG_ENTITIES,
  AuditEvent,
  ChangeLogEntry,
];
