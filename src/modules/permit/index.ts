import { PERMIT_MODEL } from './permit.record';
import { PermitStatus } from '../../domain/codes';
import { createRecordResolver } from '../dossier/record.resolver';
import { Permit } from './permit.entity';

export { Permit };
export const permit = createRecordResolver({
  model: () => PERMIT_MODEL, type: Permit, typeName: 'Permit', single: 'permit', keyArg: 'permitNo', keyDescription: 'permit number',
  plural: 'permits', statusEnum: PermitStatus, statusName: 'status', dateName: 'Issue date',
});
