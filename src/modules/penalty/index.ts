import { PENALTY_MODEL } from './penalty.record';
import { PenaltyStatus } from '../../domain/codes';
import { createRecordResolver } from '../dossier/record.resolver';
import { Penalty } from './penalty.entity';

export { Penalty };
export const penalty = createRecordResolver({
  model: () => PENALTY_MODEL, type: Penalty, typeName: 'Penalty', single: 'penalty', keyArg: 'decisionNo', keyDescription: 'decision document number',
  plural: 'penalties', statusEnum: PenaltyStatus, statusName: 'status', dateName: 'Decision date',
});
