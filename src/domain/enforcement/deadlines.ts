import { parseDay } from '../calendar';
import { addDays, addMonths, chinaDayOf, daysBetween } from '../calendar/days';
import { addWorkingDays, CalendarCoverageError, nextWorkingDayFrom } from '../calendar/working-days';
import { CODE_TEXT, DataPath, DataSource, DAY_TEXT, checkDay, Reporter, reportDuplicates, schemaCheck, TEXT } from './data-files';
import { EnforcementInputError } from './errors';

/**
 * Statutory deadlines of the case procedure (立案, 决定, 听证, 送达, 缴纳, 时效, 移送): each timer is
 * data (data/deadlines/*.json) — the event it runs from, its length, whether it counts calendar
 * or working days, what happens when it ends on a rest day, the extensions it allows and whether
 * suspended periods are left out — and this module only counts. Working days come from the
 * official calendar (../calendar/working-days); a deadline that would need a day outside it is
 * reported as not computable, never guessed.
 *
 * Counting follows Chinese procedure: the start day is not counted; a period in months or years
 * ends on the same day of the final month, or the month's last day (民法典 art. 201–202).
 */

export type PeriodUnit = 'DAYS' | 'HOURS' | 'MONTHS' | 'YEARS';
export type DayType = 'CALENDAR' | 'WORKING';
export type RestDayRule = 'AS_IS' | 'NEXT_WORKING_DAY';
/** How well the timer's rule is established, as enforcement.md labels it: V checked, S one secondary source, M from memory. */
export type SourceLabel = 'V' | 'S' | 'M';

export interface DeadlineTimer {
  code: string;
  name: string;
  nameEn: string;
  basis: string;
  label: SourceLabel;
  from: string;
  /** BEFORE: the latest day that is the period before the event (notify 7 days before a hearing). */
  direction: 'AFTER' | 'BEFORE';
  amount: number;
  unit: PeriodUnit;
  dayType: DayType;
  endOnRestDay: RestDayRule;
  extensions: Array<{ approval: string; maxDays: number }>;
  /** The longest the period may become with extensions, in days. */
  maxTotalDays: number | null;
  excludesSuspensions: boolean;
  onlyIf: string | null;
  unless: string | null;
}

export interface DeadlineRules {
  version: string;
  title: string;
  effectiveFrom: string;
  source: string;
  file: string;
  events: Array<{ code: string; name: string; nameEn: string }>;
  flags: Array<{ code: string; name: string; nameEn: string }>;
  timers: DeadlineTimer[];
}

const NAMED = {
  type: 'array',
  items: { type: 'object', additionalProperties: false, required: ['code', 'name', 'nameEn'], properties: { code: CODE_TEXT, name: TEXT, nameEn: TEXT } },
} as const;

/** JSON Schema of a deadline rules file (data/deadlines/*.json). */
export const DEADLINE_FILE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'title', 'effectiveFrom', 'source', 'events', 'timers'],
  properties: {
    $comment: { type: 'string' },
    version: { type: 'string', pattern: '^[A-Z0-9][A-Z0-9._-]*$', description: 'an upper-case version id' },
    title: TEXT,
    effectiveFrom: DAY_TEXT,
    source: TEXT,
    events: { ...NAMED, minItems: 1 },
    flags: NAMED,
    timers: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['code', 'name', 'nameEn', 'basis', 'label', 'from', 'period', 'dayType'],
        properties: {
          code: CODE_TEXT, name: TEXT, nameEn: TEXT, basis: TEXT, note: TEXT,
          label: { enum: ['V', 'S', 'M'] },
          from: CODE_TEXT,
          direction: { enum: ['AFTER', 'BEFORE'] },
          period: { type: 'object', additionalProperties: false, required: ['amount', 'unit'], properties: { amount: { type: 'integer', minimum: 1 }, unit: { enum: ['DAYS', 'HOURS', 'MONTHS', 'YEARS'] } } },
          dayType: { enum: ['CALENDAR', 'WORKING'] },
          endOnRestDay: { enum: ['AS_IS', 'NEXT_WORKING_DAY'] },
          extensions: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['approval', 'maxDays'], properties: { approval: CODE_TEXT, maxDays: { type: 'integer', minimum: 1 }, note: TEXT } } },
          maxTotalDays: { type: 'integer', minimum: 1 },
          excludesSuspensions: { type: 'boolean' },
          onlyIf: CODE_TEXT,
          unless: CODE_TEXT,
        },
      },
    },
  },
} as const;

interface RawTimer {
  code: string; name: string; nameEn: string; basis: string; label: SourceLabel; from: string; direction?: 'AFTER' | 'BEFORE';
  period: { amount: number; unit: PeriodUnit }; dayType: DayType; endOnRestDay?: RestDayRule; extensions?: Array<{ approval: string; maxDays: number }>;
  maxTotalDays?: number; excludesSuspensions?: boolean; onlyIf?: string; unless?: string;
}
interface RawRules { version: string; title: string; effectiveFrom: string; source: string; events: DeadlineRules['events']; flags?: DeadlineRules['flags']; timers: RawTimer[] }

/**
 * Validates a deadline rules file. Beyond the schema: timers run from declared events and test
 * declared flags; working days, extensions, suspensions and the rest-day rule are only combined
 * where they make sense (calendar days forward); extensions fit within maxTotalDays.
 */
export function validateDeadlineFile(source: DataSource, report: Reporter): DeadlineRules | undefined {
  let problems = 0;
  const rep: Reporter = (at, m) => {
    problems++;
    report(at, m);
  };
  if (!schemaCheck(source.data, DEADLINE_FILE_SCHEMA, rep)) return undefined;
  const raw = source.data as RawRules;
  checkDay(raw.effectiveFrom, ['effectiveFrom'], rep);
  const flags = raw.flags ?? [];
  reportDuplicates(raw.events.map((e, i) => ({ key: e.code, at: ['events', i, 'code'] })), 'event', rep);
  reportDuplicates(flags.map((e, i) => ({ key: e.code, at: ['flags', i, 'code'] })), 'flag', rep);
  reportDuplicates(raw.timers.map((t, i) => ({ key: t.code, at: ['timers', i, 'code'] })), 'timer', rep);
  const events = new Set(raw.events.map((e) => e.code));
  const flagCodes = new Set(flags.map((f) => f.code));

  const timers = raw.timers.map((t, i): DeadlineTimer => {
    const at = (...p: DataPath): DataPath => ['timers', i, ...p];
    if (!events.has(t.from)) rep(at('from'), `timer ${t.code}: event ${t.from} is not declared under events`);
    for (const k of ['onlyIf', 'unless'] as const) if (t[k] !== undefined && !flagCodes.has(t[k]!)) rep(at(k), `timer ${t.code}: flag ${t[k]} is not declared under flags`);
    const calendarDays = t.period.unit === 'DAYS' && t.dayType === 'CALENDAR';
    if (t.dayType === 'WORKING' && t.period.unit !== 'DAYS') rep(at('dayType'), `timer ${t.code}: working days count DAYS, not ${t.period.unit}`);
    if (t.period.unit === 'HOURS' && t.endOnRestDay === 'NEXT_WORKING_DAY') rep(at('endOnRestDay'), `timer ${t.code}: an hours period ends at its hour; NEXT_WORKING_DAY does not apply`);
    if (t.dayType === 'WORKING' && t.endOnRestDay === 'NEXT_WORKING_DAY') rep(at('endOnRestDay'), `timer ${t.code}: a working-day period always ends on a working day; drop endOnRestDay`);
    if (t.direction === 'BEFORE' && t.endOnRestDay === 'NEXT_WORKING_DAY') rep(at('endOnRestDay'), `timer ${t.code}: moving a BEFORE deadline to a later day would shorten the notice; drop endOnRestDay`);
    const extensions = t.extensions ?? [];
    reportDuplicates(extensions.map((e, j) => ({ key: e.approval, at: at('extensions', j, 'approval') })), `approval in ${t.code}`, rep);
    if ((extensions.length > 0 || t.excludesSuspensions || t.maxTotalDays !== undefined) && (!calendarDays || t.direction === 'BEFORE')) {
      rep(at('period'), `timer ${t.code}: extensions, maxTotalDays and excludesSuspensions apply to calendar-day periods counted forward`);
    }
    if (t.maxTotalDays !== undefined && t.maxTotalDays < t.period.amount) rep(at('maxTotalDays'), `timer ${t.code}: maxTotalDays ${t.maxTotalDays} is shorter than the period (${t.period.amount})`);
    return {
      code: t.code, name: t.name, nameEn: t.nameEn, basis: t.basis, label: t.label, from: t.from, direction: t.direction ?? 'AFTER',
      amount: t.period.amount, unit: t.period.unit, dayType: t.dayType, endOnRestDay: t.endOnRestDay ?? 'AS_IS', extensions,
      maxTotalDays: t.maxTotalDays ?? null, excludesSuspensions: t.excludesSuspensions ?? false, onlyIf: t.onlyIf ?? null, unless: t.unless ?? null,
    };
  });
  if (problems > 0) return undefined;
  return { version: raw.version, title: raw.title, effectiveFrom: raw.effectiveFrom, source: raw.source, file: source.file, events: raw.events, flags, timers };
}

// ---------------------------------------------------------------------------------------------
// Computing
// ---------------------------------------------------------------------------------------------

export interface CaseEvent {
  event: string;
  /** The day it happened… */
  on?: string | null;
  /** …or the instant (needed by hour periods); its China day must agree with `on` when both are given. */
  at?: Date | null;
}

export interface DeadlineRequest {
  events: CaseEvent[];
  extensions?: Array<{ timer: string; approval: string; days: number }> | null;
  /** Periods not counted (suspension, testing, assessment), inclusive days. */
  suspensions?: Array<{ timer: string; from: string; to: string }> | null;
  flags?: string[] | null;
}

export interface ComputedDeadline {
  timer: DeadlineTimer;
  startsOn: string;
  startsAt: Date | null;
  extensionDays: number;
  suspendedDays: number;
  /** The period's end before the rest-day rule (null when not computable). */
  nominalDueOn: string | null;
  /** The last day to act; null when the official calendar does not cover the days needed. */
  dueOn: string | null;
  /** For hour periods: the instant the period ends. */
  dueAt: Date | null;
  rolledForward: boolean;
  /** Why dueOn could not be computed (a day outside the official calendar). */
  refusal: string | null;
  working: string[];
}

export interface DeadlineSchedule {
  rules: DeadlineRules;
  deadlines: ComputedDeadline[];
  /** Timers not computed, with why (their event has not happened, or a flag rules them out). */
  pending: Array<{ timer: DeadlineTimer; reason: string }>;
}

const err = (field: string, rule: string, problem: string): EnforcementInputError => new EnforcementInputError(field, rule, problem);

function checkRequest(rules: DeadlineRules, req: DeadlineRequest): Map<string, { on: string; at: Date | null; index: number }> {
  const events = new Map<string, { on: string; at: Date | null; index: number }>();
  req.events.forEach((e, i) => {
    const field = `events[${i}]`;
    if (!rules.events.some((x) => x.code === e.event)) throw err(`${field}.event`, 'UNKNOWN_EVENT', `${e.event} is not an event of ${rules.version} (events: ${rules.events.map((x) => x.code).join(', ')})`);
    if (events.has(e.event)) throw err(`${field}.event`, 'DUPLICATE_EVENT', `${e.event} is given twice`);
    if (e.on == null && e.at == null) throw err(field, 'EVENT_WITHOUT_DATE', `give the day (on) or the instant (at) of ${e.event}`);
    if (e.on != null && parseDay(e.on) === null) throw err(`${field}.on`, 'NOT_A_DAY', `must be a day YYYY-MM-DD, got ${JSON.stringify(e.on)}`);
    const on = e.on ?? chinaDayOf(e.at!);
    if (e.at != null && e.on != null && chinaDayOf(e.at) !== e.on) throw err(`${field}.at`, 'DAY_MISMATCH', `${e.at.toISOString()} falls on ${chinaDayOf(e.at)} in China, not on ${e.on}`);
    events.set(e.event, { on, at: e.at ?? null, index: i });
  });
  req.flags?.forEach((f, i) => {
    if (!rules.flags.some((x) => x.code === f)) throw err(`flags[${i}]`, 'UNKNOWN_FLAG', `${f} is not a flag of ${rules.version} (flags: ${rules.flags.map((x) => x.code).join(', ') || 'none'})`);
  });
  const timerOf = (field: string, code: string): DeadlineTimer => {
    const t = rules.timers.find((x) => x.code === code);
    if (!t) throw err(field, 'UNKNOWN_TIMER', `${code} is not a timer of ${rules.version}`);
    return t;
  };
  const used = new Map<string, number>();
  req.extensions?.forEach((x, i) => {
    const field = `extensions[${i}]`;
    const t = timerOf(`${field}.timer`, x.timer);
    const allowed = t.extensions.find((a) => a.approval === x.approval);
    if (!allowed) throw err(`${field}.approval`, 'EXTENSION_NOT_ALLOWED', t.extensions.length === 0 ? `${t.code} cannot be extended` : `${t.code} is extended only with the approval of ${t.extensions.map((a) => a.approval).join(' or ')}`);
    const key = `${x.timer}/${x.approval}`;
    if (used.has(key)) throw err(`${field}.approval`, 'DUPLICATE_EXTENSION', `${t.code} already has an extension approved by ${x.approval} (extensions[${used.get(key)}])`);
    used.set(key, i);
    if (!Number.isInteger(x.days) || x.days < 1 || x.days > allowed.maxDays) throw err(`${field}.days`, 'EXTENSION_TOO_LONG', `an extension of ${t.code} approved by ${x.approval} is 1 to ${allowed.maxDays} days, got ${x.days}`);
  });
  for (const t of rules.timers) {
    const total = t.amount + (req.extensions ?? []).filter((x) => x.timer === t.code).reduce((s, x) => s + x.days, 0);
    if (t.maxTotalDays !== null && total > t.maxTotalDays) {
      throw err('extensions', 'EXTENSION_TOO_LONG', `${t.code} would run ${total} days with its extensions, more than the ${t.maxTotalDays} allowed`);
    }
  }
  req.suspensions?.forEach((s, i) => {
    const field = `suspensions[${i}]`;
    const t = timerOf(`${field}.timer`, s.timer);
    if (!t.excludesSuspensions) throw err(`${field}.timer`, 'SUSPENSION_NOT_ALLOWED', `${t.code} does not leave suspended periods out`);
    for (const k of ['from', 'to'] as const) if (parseDay(s[k]) === null) throw err(`${field}.${k}`, 'NOT_A_DAY', `must be a day YYYY-MM-DD, got ${JSON.stringify(s[k])}`);
    if (s.to < s.from) throw err(`${field}.to`, 'SUSPENSION_REVERSED', `${s.to} is before ${s.from}`);
    const start = events.get(t.from);
    if (start && s.from <= start.on) throw err(`${field}.from`, 'SUSPENSION_BEFORE_START', `a suspension of ${t.code} starts after ${t.from} (${start.on}), got ${s.from}`);
    req.suspensions!.slice(0, i).forEach((o, j) => {
      if (o.timer === s.timer && o.from <= s.to && s.from <= o.to) throw err(`${field}.from`, 'SUSPENSIONS_OVERLAP', `overlaps suspensions[${j}] (${o.from} to ${o.to})`);
    });
  });
  return events;
}

function periodText(t: DeadlineTimer, amount = t.amount): string {
  const unit = t.unit === 'DAYS' ? (t.dayType === 'WORKING' ? 'working days' : 'days') : t.unit.toLowerCase();
  return `${amount} ${unit}${t.direction === 'BEFORE' ? ' before' : ''}`;
}

function computeOne(t: DeadlineTimer, start: { on: string; at: Date | null }, req: DeadlineRequest): ComputedDeadline {
  const working: string[] = [`${t.code} (${t.basis}, [${t.label}]): ${periodText(t)} from ${t.from} on ${start.on}`];
  const out: ComputedDeadline = { timer: t, startsOn: start.on, startsAt: start.at, extensionDays: 0, suspendedDays: 0, nominalDueOn: null, dueOn: null, dueAt: null, rolledForward: false, refusal: null, working };
  const sign = t.direction === 'BEFORE' ? -1 : 1;
  try {
    if (t.unit === 'HOURS') {
      if (!start.at) {
        out.refusal = `${t.code} counts hours: give the instant (at) of ${t.from}`;
        working.push(out.refusal);
        return out;
      }
      out.dueAt = new Date(start.at.getTime() + sign * t.amount * 3_600_000);
      out.nominalDueOn = out.dueOn = chinaDayOf(out.dueAt);
      working.push(`${start.at.toISOString()} ${sign > 0 ? '+' : '−'} ${t.amount} h = ${out.dueAt.toISOString()}`);
      return out;
    }
    if (t.dayType === 'WORKING') {
      out.nominalDueOn = out.dueOn = addWorkingDays(start.on, sign * t.amount);
      working.push(`${periodText(t)} ${sign > 0 ? 'after' : 'counted back from'} ${start.on} (the start day not counted), by the official calendar: ${out.dueOn}`);
      return out;
    }
    let nominal: string;
    if (t.unit === 'DAYS') {
      out.extensionDays = (req.extensions ?? []).filter((x) => x.timer === t.code).reduce((s, x) => s + x.days, 0);
      nominal = addDays(start.on, sign * (t.amount + out.extensionDays));
      working.push(out.extensionDays > 0
        ? `${start.on} + ${t.amount} + ${out.extensionDays} extension days = ${nominal}`
        : `${start.on} ${sign > 0 ? '+' : '−'} ${t.amount} days = ${nominal}`);
      const suspensions = (req.suspensions ?? []).filter((s) => s.timer === t.code).sort((a, b) => (a.from < b.from ? -1 : 1));
      for (const s of suspensions) {
        const length = daysBetween(s.from, s.to) + 1;
        if (s.from > nominal) {
          working.push(`suspension ${s.from} to ${s.to} starts after the period ended: not counted`);
          continue;
        }
        out.suspendedDays += length;
        nominal = addDays(nominal, length);
        working.push(`suspension ${s.from} to ${s.to} (${length} days) not counted: ${nominal}`);
      }
    } else {
      const months = t.unit === 'YEARS' ? 12 * t.amount : t.amount;
      nominal = addMonths(start.on, sign * months);
      working.push(`${start.on} ${sign > 0 ? '+' : '−'} ${periodText(t)} = ${nominal} (the same day of the month, or its last day)`);
    }
    out.nominalDueOn = nominal;
    out.dueOn = nominal;
    if (t.endOnRestDay === 'NEXT_WORKING_DAY') {
      out.dueOn = nextWorkingDayFrom(nominal);
      out.rolledForward = out.dueOn !== nominal;
      if (out.rolledForward) working.push(`${nominal} is a rest day: the period ends on the next working day, ${out.dueOn}`);
    }
    return out;
  } catch (e) {
    if (!(e instanceof CalendarCoverageError)) throw e;
    out.dueOn = null;
    out.refusal = e.message;
    working.push(`not computable: ${e.message}`);
    return out;
  }
}

/**
 * Every deadline the case's events start. Bad input (an unknown event, flag or timer, an extension
 * beyond what the rule allows, a suspension outside the period) is an `EnforcementInputError`; a
 * deadline needing days the official calendar does not cover comes back with `dueOn: null` and
 * the reason, so the others are still shown.
 */
export function computeDeadlines(rules: DeadlineRules, req: DeadlineRequest): DeadlineSchedule {
  const events = checkRequest(rules, req);
  const flags = new Set(req.flags ?? []);
  const deadlines: ComputedDeadline[] = [];
  const pending: DeadlineSchedule['pending'] = [];
  for (const t of rules.timers) {
    if (t.onlyIf !== null && !flags.has(t.onlyIf)) {
      pending.push({ timer: t, reason: `applies only with flag ${t.onlyIf}` });
      continue;
    }
    if (t.unless !== null && flags.has(t.unless)) {
      pending.push({ timer: t, reason: `does not apply with flag ${t.unless}` });
      continue;
    }
    const start = events.get(t.from);
    if (!start) {
      pending.push({ timer: t, reason: `waits for ${t.from}` });
      continue;
    }
    deadlines.push(computeOne(t, start, req));
  }
  return { rules, deadlines, pending };
}
