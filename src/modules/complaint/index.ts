import { COMPLAINT_MODEL } from './complaint.record';
import { ComplaintStatus } from '../../domain/codes';
import { createRecordResolver } from '../dossier/record.resolver';
import { Complaint } from './complaint.entity';

export { Complaint };
export const complaint = createRecordResolver({
  model: () => COMPLAINT_MODEL, type: Complaint, typeName: 'Complaint', single: 'complaint', keyArg: 'ticketNo', keyDescription: 'ticket number',
  plural: 'complaints', statusEnum: ComplaintStatus, statusName: 'status', dateName: 'Date received',
});
