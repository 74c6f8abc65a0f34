import { EIA_MODEL } from './eia.record';
import { EiaDecision } from '../../domain/codes';
import { createRecordResolver } from '../dossier/record.resolver';
import { EiaApproval } from './eia.entity';

export { EiaApproval };
export const eia = createRecordResolver({
  model: () => EIA_MODEL, type: EiaApproval, typeName: 'EiaApproval', single: 'eiaApproval', keyArg: 'approvalNo', keyDescription: 'approval document number',
  plural: 'eiaApprovals', statusEnum: EiaDecision, statusName: 'decision', dateName: 'Decision date',
});
