import { addDays } from '../../domain/calendar/days';
import { addWorkingDays } from '../../domain/calendar/working-days';
import { District, DISTRICTS } from '../../domain/jurisdictions';
import bundled from './objection-rules.json';

/**
 * The objection rules that are configuration, not law the hub could cite (sharing.md §5: stage
 * deadlines NOT FOUND): per owner district, the time the owner has to verify an accepted
 * objection. Kept in objection-rules.json, versioned with an effective date; empty by default.
 */
export interface StageLimit {
  days: number;
  unit: 'WORKING' | 'CALENDAR';
}

export interface ObjectionRules {
  version: string;
  effectiveFrom: string;
  jurisdictions: Record<District, { verifyWithin: StageLimit | null }>;
}

/** Checks a rules document; throws naming what is wrong (a bad file must not start a hub). */
export function checkObjectionRules(raw: unknown): ObjectionRules {
  const r = raw as Partial<ObjectionRules>;
  if (!r || typeof r.version !== 'string' || typeof r.effectiveFrom !== 'string' || !r.jurisdictions) throw new Error('objection rules: version, effectiveFrom and jurisdictions are required');
  for (const d of DISTRICTS) {
    const j = r.jurisdictions[d];
    if (!j || !('verifyWithin' in j)) throw new Error(`objection rules: jurisdictions.${d}.verifyWithin is required (null for none)`);
    const v = j.verifyWithin;
    if (v !== null && (!Number.isInteger(v.days) || v.days <= 0 || !['WORKING', 'CALENDAR'].includes(v.unit))) {
      throw new Error(`objection rules: jurisdictions.${d}.verifyWithin must be null or { days: positive integer, unit: WORKING | CALENDAR }`);
    }
  }
  return r as ObjectionRules;
}

export const OBJECTION_RULES: ObjectionRules = checkObjectionRules(bundled);

/**
 * The last day to verify an objection accepted on `acceptedOn` (China's calendar day), or null
 * where the owner district configured none. Working days count on the official calendar; a day
 * outside it is an error (CalendarCoverageError), never a guess.
 */
export function verifyDueOn(rules: ObjectionRules, owner: District, acceptedOn: string): string | null {
  const limit = rules.jurisdictions[owner]?.verifyWithin;
  if (!limit) return null;
  return limit.unit === 'WORKING' ? addWorkingDays(acceptedOn, limit.days) : addDays(acceptedOn, limit.days);
}
