import type { ConnectionOutput, ParentOutput, ReadModel } from '../../read/model';

/** `enterprise` on a record: the enterprise it belongs to, null when the caller may not see it. */
export function enterpriseOf(target: () => ReadModel): ParentOutput {
  return { kind: 'parent', name: 'enterprise', target, parentColumn: 'enterprise_id', childColumn: 'id' };
}

/** A connection of an enterprise's records of one type (newest first, as the type orders). */
export function recordsOfEnterprise(name: string, target: () => ReadModel): ConnectionOutput {
  return { kind: 'connection', name, target, parentColumn: 'id', childColumn: 'enterprise_id' };
}
