import type { Compiler, FieldSql, LevelRef } from '../../read/compile';

/**
 * The positive list's promise (issue 14 item 6): a listed firm is supervised off-site, and visited
 * only when something sets a visit off. An inspection breaks it when it was made ONSITE, was
 * PLANNED (no trigger), and the firm had a positive-list entry ACTIVE on the inspection day —
 * included on or before it, valid until on or after it, not removed on or before it. An entry
 * that later expired or was removed still counts for the days it was active, so the flag of a past
 * inspection does not change when the list does.
 *
 * One SQL condition on an inspection row (alias `i`), used by the computed output
 * `Inspection.untriggeredOnsiteOfListedFirm` and by the list `flaggedInspections`.
 */
export function untriggeredOnsiteCondition(i: string): string {
  return `(${i}.site = 'ONSITE' AND ${i}.origin = 'PLANNED' AND EXISTS (
    SELECT 1 FROM positive_list_entry p
     WHERE p.enterprise_id = ${i}.enterprise_id AND p.withdrawn_at IS NULL
       AND p.included_on IS NOT NULL AND p.included_on <= ${i}.inspected_on
       AND (p.valid_until IS NULL OR p.valid_until >= ${i}.inspected_on)
       AND (p.removed_on IS NULL OR p.removed_on > ${i}.inspected_on)))`;
}

/** The computed output, in the inspection's own read statement (no statement per row). */
export function compileUntriggeredOnsite(_c: Compiler, parent: LevelRef): FieldSql {
  return { expr: `EXISTS (SELECT 1 FROM inspection i WHERE i.id = r.id AND ${untriggeredOnsiteCondition('i')})`, joins: [] };
}
