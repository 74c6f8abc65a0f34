import { SqlParams } from '../db/sql';
import { ReadScope } from './policy';

/**
 * The only road from a read scope to SQL: `alias.owner_jurisdiction = ANY($n)`, which the
 * (owner_jurisdiction, key) indexes serve, plus the public's row rule (a penalty is public while
 * its publicity period lasts). An empty scope is `false`, so nothing leaks.
 */
export function scopeCondition(scope: ReadScope, alias: string, q: SqlParams): string {
  if (scope.districts.length === 0) return 'false';
  const owner = `${alias}.owner_jurisdiction = ANY(${q.p(scope.districts)}::varchar[])`;
  if (scope.rowRule === 'PUBLICISED') return `(${owner} AND ${alias}.publicity_until >= current_date)`;
  return owner;
}
