import { COMPLAINT } from '../complaint/complaint.record';
import { CREDIT } from '../credit/credit.record';
import { EIA } from '../eia/eia.record';
import { ENTERPRISE } from '../enterprise/enterprise.record';
import { INSPECTION } from '../inspection/inspection.record';
import { PENALTY } from '../penalty/penalty.record';
import { PERMIT } from '../permit/permit.record';
import type { DossierRecord, DossierRecordName as RecordName } from './record-declaration';
import type { ImportDialect } from './record-import';
import type { WriteSpec } from './record-writer';

/** The seven declared record types by name, the enterprise first (the others belong to one). */
export const RECORDS: Readonly<Record<RecordName, DossierRecord>> = {
  enterprise: ENTERPRISE,
  eia: EIA,
  permit: PERMIT,
  inspection: INSPECTION,
  penalty: PENALTY,
  complaint: COMPLAINT,
  credit: CREDIT,
};

const NAMES = Object.keys(RECORDS) as RecordName[];

/** How each record type is written, from its declaration. */
export const WRITE_SPECS = Object.fromEntries(NAMES.map((n) => [n, RECORDS[n].write])) as Record<RecordName, WriteSpec>;

/** The `--type` names of `npm run import`: each type's list name in kebab case (`credit-records`). */
export const IMPORT_TYPES: Record<string, RecordName> = Object.fromEntries(NAMES.map((n) => [RECORDS[n].plural.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), n]));

/** Published column layouts an import accepts besides the hub's own names. */
export const IMPORT_DIALECTS: Partial<Record<RecordName, ImportDialect>> = Object.fromEntries(
  NAMES.flatMap((n) => (RECORDS[n].importDialect ? [[n, RECORDS[n].importDialect]] : [])),
);
