import { Init1795870824616 } from '../../migrations/1795870824616-Init';

/** Every migration, by class, in order. A new migration is added to migrations/ and to this list. */
export const MIGRATIONS: Function[] = [Init1795870824616];
