import raw from './sharing-rules.json';

/**
 * The sharing applications' configuration (sharing-rules.json): the answer deadline in working
 * days (per provider, default 10), the longest period a grant may run, and the coordinating
 * authority. Figures the reference marks unverified live in that file, never in code; the file
 * is checked when the module loads, and a missing or malformed figure stops the hub (fail closed).
 */
export interface SharingRules {
  version: string;
  answerWorkingDays: { default: number; byProvider: Readonly<Record<string, number>> };
  maxPeriodDays: number;
  coordinator: string;
}

function positiveInt(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 3660) throw new Error(`sharing-rules.json: ${what} must be a whole number from 1 to 3660, got ${JSON.stringify(v)}`);
  return v;
}

/** Checks a rules object (the bundled file, or another in tests). */
export function parseSharingRules(r: unknown): SharingRules {
  const o = r as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- checked field by field below
  if (!o || typeof o !== 'object') throw new Error('sharing-rules.json: not an object');
  if (typeof o.version !== 'string') throw new Error('sharing-rules.json: version is missing');
  const byProvider: Record<string, number> = {};
  for (const [k, v] of Object.entries(o.answerWorkingDays?.byProvider ?? {})) byProvider[k] = positiveInt(v, `answerWorkingDays.byProvider.${k}`);
  if (o.coordinator !== 'ZONE') throw new Error('sharing-rules.json: coordinator must be ZONE (the only authority above the three districts)');
  return Object.freeze({
    version: o.version,
    answerWorkingDays: Object.freeze({ default: positiveInt(o.answerWorkingDays?.default, 'answerWorkingDays.default'), byProvider: Object.freeze(byProvider) }),
    maxPeriodDays: positiveInt(o.maxPeriodDays, 'maxPeriodDays'),
    coordinator: o.coordinator,
  });
}

export const SHARING_RULES: SharingRules = parseSharingRules(raw);

/** Working days the provider has to answer. */
export function answerWorkingDays(rules: SharingRules, provider: string): number {
  return rules.answerWorkingDays.byProvider[provider] ?? rules.answerWorkingDays.default;
}
