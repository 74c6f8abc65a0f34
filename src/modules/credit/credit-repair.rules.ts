import rules from './credit-repair.rules.json';

/** A kind of record a repair application may name. */
export type RepairKind = 'LISTING' | 'PENALTY' | 'EVALUATION';

export interface RepairRule {
  repairable: boolean;
  /** Months after `from` before an application is accepted. */
  minimumMonths?: number;
  /** The record's date field the period runs from. */
  from?: 'effectiveOn' | 'decisionDate';
  source?: string;
  why?: string;
}

export interface RepairRules {
  version: string;
  effectiveFrom: string;
  status: string;
  source: string;
  kinds: Record<RepairKind, RepairRule>;
}

/**
 * Checks the rules file once at load: every kind named, a repairable kind with a whole number of
 * months and the date it runs from. A file that says less fails the start (safe by default).
 */
export function checkRepairRules(r: unknown): RepairRules {
  const x = r as RepairRules;
  for (const kind of ['LISTING', 'PENALTY', 'EVALUATION'] as const) {
    const k = x?.kinds?.[kind];
    if (!k || typeof k.repairable !== 'boolean') throw new Error(`credit-repair.rules.json: kinds.${kind}.repairable must be true or false`);
    if (k.repairable && (!Number.isInteger(k.minimumMonths) || k.minimumMonths! < 0 || !k.from)) {
      throw new Error(`credit-repair.rules.json: kinds.${kind} is repairable, so it needs minimumMonths (whole months) and from`);
    }
  }
  return x;
}

/** The credit-repair periods and excluded kinds in force (configuration data, src/modules/credit/credit-repair.rules.json). */
export const REPAIR_RULES: RepairRules = checkRepairRules(rules);

/** The first day an application is accepted: `from` plus the minimum months (the month's last day when it has fewer days). */
export function earliestRepairDay(from: string, months: number): string {
  const [y, m, d] = from.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d, last))).toISOString().slice(0, 10);
}
