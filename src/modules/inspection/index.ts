import { INSPECTION_MODEL } from './inspection.record';
import { InspectionStatus } from '../../domain/codes';
import { createRecordResolver } from '../dossier/record.resolver';
import { Inspection } from './inspection.entity';

export { Inspection };
export const inspection = createRecordResolver({
  model: () => INSPECTION_MODEL, type: Inspection, typeName: 'Inspection', single: 'inspection', keyArg: 'inspectionNo', keyDescription: 'inspection number',
  plural: 'inspections', statusEnum: InspectionStatus, statusName: 'status', dateName: 'Inspection date',
});
