import { Init1795870824616 } from '../../migrations/1795870824616-Init';

/** Every migration, by class, in order. A new migration is added to migrations/ and to this list. */
export const MIGRATIONS: Function[] = [Init1795870824616];
import { Monitoring1795900000000 } from '../../migrations/1795900000000-Monitoring';
// Appended so that edits to the list above do not collide; it must stay after Init.
MIGRATIONS.push(Monitoring1795900000000);
import { Catalog1795950000000 } from '../../migrations/1795950000000-Catalog';
// The resource catalog; between Monitoring and Audit, by timestamp.
MIGRATIONS.push(Catalog1795950000000);
import { Audit1796000000000 } from '../../migrations/1796000000000-Audit';
MIGRATIONS.push(Audit1796000000000);
import { ChangeLog1796100000000 } from '../../migrations/1796100000000-ChangeLog';
MIGRATIONS.push(ChangeLog1796100000000);
import { Withdrawals1796200000000 } from '../../migrations/1796200000000-Withdrawals';
MIGRATIONS.push(Withdrawals1796200000000);
import { Hj212Devices1796300000000 } from '../../migrations/1796300000000-Hj212Devices';
MIGRATIONS.push(Hj212Devices1796300000000);
