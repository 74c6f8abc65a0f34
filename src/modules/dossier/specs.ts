import { RecordType } from '../../auth/policy';
import { Complaint } from '../complaint/complaint.entity';
import { CreditRecord } from '../credit/credit-record.entity';
import { EiaApproval } from '../eia/eia.entity';
import { Enterprise } from '../enterprise/enterprise.entity';
import { Inspection } from '../inspection/inspection.entity';
import { Penalty } from '../penalty/penalty.entity';
import { Permit } from '../permit/permit.entity';
import { RecordSpec } from './record-store';

/** Storage and list order of each record type: newest first, natural key as the tie-breaker. */
export const SPECS = {
  enterprise: { recordType: RecordType.ENTERPRISE, entity: Enterprise, table: 'enterprise', keyColumn: 'uscc', order: { columns: ['uscc'], dir: 'ASC' } } as RecordSpec<Enterprise>,
  eia: { recordType: RecordType.EIA_APPROVAL, entity: EiaApproval, table: 'eia_approval', keyColumn: 'approval_no', order: { columns: ['decision_date', 'approval_no'], dir: 'DESC' }, dateColumn: 'decision_date', statusColumn: 'decision' } as RecordSpec<EiaApproval>,
  permit: { recordType: RecordType.PERMIT, entity: Permit, table: 'permit', keyColumn: 'permit_no', order: { columns: ['issued_on', 'permit_no'], dir: 'DESC' }, dateColumn: 'issued_on', statusColumn: 'status' } as RecordSpec<Permit>,
  inspection: { recordType: RecordType.INSPECTION, entity: Inspection, table: 'inspection', keyColumn: 'inspection_no', order: { columns: ['inspected_on', 'inspection_no'], dir: 'DESC' }, dateColumn: 'inspected_on', statusColumn: 'status' } as RecordSpec<Inspection>,
  penalty: { recordType: RecordType.PENALTY, entity: Penalty, table: 'penalty', keyColumn: 'decision_no', order: { columns: ['decision_date', 'decision_no'], dir: 'DESC' }, dateColumn: 'decision_date', statusColumn: 'status' } as RecordSpec<Penalty>,
  complaint: { recordType: RecordType.COMPLAINT, entity: Complaint, table: 'complaint', keyColumn: 'ticket_no', order: { columns: ['received_at', 'ticket_no'], dir: 'DESC' }, dateColumn: 'received_at', statusColumn: 'status' } as RecordSpec<Complaint>,
  credit: { recordType: RecordType.CREDIT_RECORD, entity: CreditRecord, table: 'credit_record', keyColumn: 'record_no', order: { columns: ['effective_on', 'record_no'], dir: 'DESC' }, dateColumn: 'effective_on', statusColumn: 'kind' } as RecordSpec<CreditRecord>,
};

export type SpecName = keyof typeof SPECS;
