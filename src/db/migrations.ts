import { Init1795870824616 } from '../../migrations/1795870824616-Init';
import { Monitoring1795900000000 } from '../../migrations/1795900000000-Monitoring';
import { Catalog1795950000000 } from '../../migrations/1795950000000-Catalog';
import { Audit1796000000000 } from '../../migrations/1796000000000-Audit';
import { ChangeLog1796100000000 } from '../../migrations/1796100000000-ChangeLog';
import { Withdrawals1796200000000 } from '../../migrations/1796200000000-Withdrawals';
import { Hj212Devices1796300000000 } from '../../migrations/1796300000000-Hj212Devices';
import { MaskFunctions1796400000000 } from '../../migrations/1796400000000-MaskFunctions';
import { CatalogStatus1796500000000 } from '../../migrations/1796500000000-CatalogStatus';
import { CatalogState1796600000000 } from '../../migrations/1796600000000-CatalogState';
import { AuditKeys1796700000000 } from '../../migrations/1796700000000-AuditKeys';
import { ObservationPartitions1796800000000 } from '../../migrations/1796800000000-ObservationPartitions';
import { AuditPartitions1796800000001 } from '../../migrations/1796800000001-AuditPartitions';
import { SharingApplications1797000000000 } from '../../migrations/1797000000000-SharingApplications';
import { EnforcementCases1798000000000 } from '../../migrations/1798000000000-EnforcementCases';
import { PositiveList1798000000001 } from '../../migrations/1798000000001-PositiveList';
import { CreditRepair1799000000000 } from '../../migrations/1799000000000-CreditRepair';
import { CreditFeedEntry1799100000000 } from '../../migrations/1799100000000-CreditFeedEntry';
import { Alerts1800000000000 } from '../../migrations/1800000000000-Alerts';
import { DataObjections1802000000000 } from '../../migrations/1802000000000-DataObjections';
import { Webhooks1803000000000 } from '../../migrations/1803000000000-Webhooks';
import { ComplianceReminders1804000000000 } from '../../migrations/1804000000000-ComplianceReminders';
import { RiskSources1805000000000 } from '../../migrations/1805000000000-RiskSources';
import { InspectionOrigin1806000000000 } from '../../migrations/1806000000000-InspectionOrigin';
import { CaseMinorAndListCause1806000000001 } from '../../migrations/1806000000001-CaseMinorAndListCause';
import { ReminderWebhooks1808000000000 } from '../../migrations/1808000000000-ReminderWebhooks';
import { ObservationAggregateUpsert1809000000000 } from '../../migrations/1809000000000-ObservationAggregateUpsert';
import { RequiredValueGuard1810000000000 } from '../../migrations/1810000000000-RequiredValueGuard';
import { ReminderPassMark1811000000000 } from '../../migrations/1811000000000-ReminderPassMark';

/** Every migration, by class, in timestamp order. A new migration is added to migrations/ and here. */
export const MIGRATIONS: Function[] = [
  Init1795870824616,
  Monitoring1795900000000,
  Catalog1795950000000,
  Audit1796000000000,
  ChangeLog1796100000000,
  Withdrawals1796200000000,
  Hj212Devices1796300000000,
  MaskFunctions1796400000000,
  CatalogStatus1796500000000,
  CatalogState1796600000000,
  AuditKeys1796700000000,
  ObservationPartitions1796800000000,
  AuditPartitions1796800000001,
  SharingApplications1797000000000,
  EnforcementCases1798000000000,
  PositiveList1798000000001,
  CreditRepair1799000000000,
  CreditFeedEntry1799100000000,
  Alerts1800000000000,
  DataObjections1802000000000,
  Webhooks1803000000000,
  ComplianceReminders1804000000000,
  RiskSources1805000000000,
  InspectionOrigin1806000000000,
  CaseMinorAndListCause1806000000001,
  ReminderWebhooks1808000000000,
  ObservationAggregateUpsert1809000000000,
  RequiredValueGuard1810000000000,
  ReminderPassMark1811000000000,
];
