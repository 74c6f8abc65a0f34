import { CREDIT_MODEL } from './credit.record';
import { createRecordResolver } from '../dossier/record.resolver';
import { CreditRecord, CreditRecordKind } from './credit-record.entity';

export { CreditRecord, CreditRecordKind };
export { CreditStatus, CreditListing, creditStatusOf } from './credit-status';
export { CreditStatusResolver } from './credit-status.resolver';
export const credit = createRecordResolver({
  model: () => CREDIT_MODEL, type: CreditRecord, typeName: 'CreditRecord', single: 'creditRecord', keyArg: 'recordNo', keyDescription: 'record number',
  plural: 'creditRecords', statusEnum: CreditRecordKind, statusName: 'kind', dateName: 'Effective date',
});
