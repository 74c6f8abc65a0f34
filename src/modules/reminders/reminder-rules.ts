import { readFileSync } from 'node:fs';
import { PermitClass } from '../../domain/codes';
import { ErrorCode, HubError } from '../../graphql/errors';
import bundled from './data/reminder-rules.json';
import { AHEAD_KINDS, BEHIND_KINDS, DeadlineSource, ReminderKind, SOURCES_OF_KIND } from './reminder.codes';

/**
 * The compliance-reminder rules as data (issue 17, item 3), in the warning rules' style: every
 * offset, window and date is in `data/reminder-rules.json` with its source label, none in code.
 * Each rule names its deadline source — where its due dates come from — and `parseReminderRules`
 * refuses a file as a whole, naming every problem: a rule without a deadline source, an unknown
 * kind or source, a source the kind cannot use, a negative or missing day offset. Nothing is
 * generated under rules with a problem.
 */

export interface ReminderDeadline {
  source: DeadlineSource;
  /** ANNUAL_DATE: the day of the year, MM-DD. */
  date?: string;
  /** LAST_OBSERVATION: hours without any observation before a reminder. */
  windowHours?: number;
}

export interface ReminderRule {
  id: string;
  kind: ReminderKind;
  deadline: ReminderDeadline;
  /** Ahead kinds: how many days before the due date the reminder is filed. */
  remindDaysBefore?: number;
  /** Behind kinds: how far back a passed deadline is still reminded. */
  lookbackDays?: number;
}

export interface ReminderRules {
  version: string;
  effectiveFrom: string;
  catalogResource: string;
  evaluation: { intervalSeconds: number };
  rules: ReminderRule[];
  hazardousWaste: { permitClasses: PermitClass[]; industryCodePrefixes: string[] };
}

export interface ReminderRulesProblem {
  field: string;
  rule: string;
  problem: string;
}

/** Bad reminder rules: BAD_USER_INPUT, naming the first problem's field and rule, listing every problem. */
export class ReminderRulesError extends HubError {
  constructor(readonly problems: ReminderRulesProblem[]) {
    super(ErrorCode.BAD_USER_INPUT, `${problems[0].field}: ${problems[0].problem}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`,
      { field: problems[0].field, rule: problems[0].rule, problems });
  }
}

const RESOURCE = /^2\d{5}\/\d{4}$/;
const ID = /^[a-z][a-z0-9-]{1,63}$/;
const MONTH_DAY = /^(\d{2})-(\d{2})$/;
/** No reminder looks further than this many days ahead or back; more is a typing error. */
const MAX_DAYS = 3660;

/* eslint-disable @typescript-eslint/no-explicit-any -- the rules arrive as parsed JSON and are checked field by field */
/** Checks a rules object (the parsed JSON file) and returns it typed; throws `ReminderRulesError` with every problem found. */
export function parseReminderRules(raw: any): ReminderRules {
  const problems: ReminderRulesProblem[] = [];
  const fail = (field: string, rule: string, problem: string) => problems.push({ field, rule, problem });
  if (!raw || typeof raw !== 'object') throw new ReminderRulesError([{ field: '(file)', rule: 'required', problem: 'the rules must be a JSON object' }]);
  const text = (v: any, field: string) => {
    if (typeof v !== 'string' || v.trim() === '') fail(field, 'required', 'must be a non-empty string');
    return String(v ?? '');
  };
  /** A whole number of days or hours: negative is its own problem (an offset never points the other way). */
  const count = (v: any, field: string, min: number, max: number): number => {
    if (typeof v === 'number' && v < 0) fail(field, 'negativeOffset', `must not be negative, got ${v}`);
    else if (!Number.isInteger(v) || v < min || v > max) fail(field, 'outOfRange', `must be a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`);
    return Number(v);
  };

  const version = text(raw.version, 'version');
  const effectiveFrom = text(raw.effectiveFrom, 'effectiveFrom');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(effectiveFrom)) fail('effectiveFrom', 'notDate', 'must be a date YYYY-MM-DD');
  const catalogResource = String(raw.catalogResource ?? '');
  if (!RESOURCE.test(catalogResource)) fail('catalogResource', 'unknownResource', `must be a catalog resource code like 211013/0003, got ${JSON.stringify(raw.catalogResource)}`);
  const evaluation = { intervalSeconds: count(raw.evaluation?.intervalSeconds, 'evaluation.intervalSeconds', 60, 86_400) };

  if (!Array.isArray(raw.rules) || raw.rules.length === 0) fail('rules', 'required', 'must list at least one rule');
  const seen = new Set<string>();
  const rules: ReminderRule[] = (Array.isArray(raw.rules) ? raw.rules : []).map((r: any, i: number) => {
    const f = `rules[${i}]`;
    const id = String(r?.id ?? '');
    if (!ID.test(id)) fail(`${f}.id`, 'required', `must be a rule id of lower-case letters, digits and hyphens, got ${JSON.stringify(r?.id)}`);
    else if (seen.has(id)) fail(`${f}.id`, 'duplicateRule', `${id} is already a rule: one reminder per rule, subject and due date needs unique ids`);
    seen.add(id);
    const kind = r?.kind as ReminderKind;
    const knownKind = (Object.values(ReminderKind) as string[]).includes(kind);
    if (!knownKind) fail(`${f}.kind`, 'unknownKind', `must be one of ${Object.values(ReminderKind).join(', ')}, got ${JSON.stringify(r?.kind)}`);
    // Fail closed: a rule must say where its due dates come from; there is no default deadline.
    const d = r?.deadline;
    const deadline: ReminderDeadline = { source: d?.source };
    if (d === undefined || d === null || d.source === undefined || d.source === null) {
      fail(`${f}.deadline`, 'missingDeadlineSource', `rule ${id || i} names no deadline source (one of ${Object.values(DeadlineSource).join(', ')})`);
    } else if (!(Object.values(DeadlineSource) as string[]).includes(d.source)) {
      fail(`${f}.deadline.source`, 'unknownDeadlineSource', `must be one of ${Object.values(DeadlineSource).join(', ')}, got ${JSON.stringify(d.source)}`);
    } else if (knownKind && !SOURCES_OF_KIND[kind].includes(d.source)) {
      fail(`${f}.deadline.source`, 'deadlineSourceMismatch', `a ${kind} reminder takes its due date from ${SOURCES_OF_KIND[kind].join(' or ')}, not ${d.source}`);
    } else if (d.source === DeadlineSource.ANNUAL_DATE) {
      const m = MONTH_DAY.exec(String(d.date ?? ''));
      const ok = m && Number(m[1]) >= 1 && Number(m[1]) <= 12 && Number(m[2]) >= 1 && Number(m[2]) <= new Date(Date.UTC(2001, Number(m[1]), 0)).getUTCDate();
      if (!ok) fail(`${f}.deadline.date`, 'notDate', `must be a day of the year written MM-DD (e.g. 03-31), got ${JSON.stringify(d.date)}`);
      deadline.date = String(d.date);
    } else if (d.source === DeadlineSource.LAST_OBSERVATION) {
      deadline.windowHours = count(d.windowHours, `${f}.deadline.windowHours`, 1, 24 * 366);
    }
    const rule: ReminderRule = { id, kind, deadline };
    if (knownKind && AHEAD_KINDS.includes(kind)) rule.remindDaysBefore = count(r?.remindDaysBefore, `${f}.remindDaysBefore`, 0, MAX_DAYS);
    else if (r?.remindDaysBefore !== undefined) count(r.remindDaysBefore, `${f}.remindDaysBefore`, 0, MAX_DAYS);
    if (knownKind && BEHIND_KINDS.includes(kind)) rule.lookbackDays = count(r?.lookbackDays, `${f}.lookbackDays`, 1, MAX_DAYS);
    else if (r?.lookbackDays !== undefined) count(r.lookbackDays, `${f}.lookbackDays`, 1, MAX_DAYS);
    return rule;
  });

  const hw = raw.hazardousWaste ?? {};
  const permitClasses = (Array.isArray(hw.permitClasses) ? hw.permitClasses : []) as PermitClass[];
  permitClasses.forEach((c, i) => {
    if (!(Object.values(PermitClass) as string[]).includes(c)) fail(`hazardousWaste.permitClasses[${i}]`, 'unknownPermitClass', `must be one of ${Object.values(PermitClass).join(', ')}, got ${JSON.stringify(c)}`);
  });
  const industryCodePrefixes = (Array.isArray(hw.industryCodePrefixes) ? hw.industryCodePrefixes : []) as string[];
  industryCodePrefixes.forEach((c, i) => {
    if (typeof c !== 'string' || !/^[A-T]\d{0,4}$/.test(c)) fail(`hazardousWaste.industryCodePrefixes[${i}]`, 'notIndustryCode', `must be the start of a GB/T 4754-2017 code such as C26, got ${JSON.stringify(c)}`);
  });
  const usesHazardousWaste = rules.some((r) => r.kind === ReminderKind.HAZARDOUS_WASTE_PLAN || r.kind === ReminderKind.HAZARDOUS_WASTE_DECLARATION);
  if (usesHazardousWaste && permitClasses.length === 0 && industryCodePrefixes.length === 0) {
    fail('hazardousWaste', 'required', 'the hazardous-waste rules need the firms they apply to: permitClasses, industryCodePrefixes or both');
  }

  if (problems.length > 0) throw new ReminderRulesError(problems);
  return { version, effectiveFrom, catalogResource, evaluation, rules, hazardousWaste: { permitClasses, industryCodePrefixes } };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** The rules of a JSON file (HUB_REMINDER_RULES_FILE); refused as a whole when anything in it is wrong. */
export function reminderRulesFromFile(file: string): ReminderRules {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ReminderRulesError([{ field: '(file)', rule: 'unreadable', problem: `${file} is not readable JSON: ${(err as Error).message}` }]);
  }
  return parseReminderRules(raw);
}

/** The rules in force: the file named, or the bundled ones. */
export function loadReminderRules(file?: string): ReminderRules {
  return file ? reminderRulesFromFile(file) : parseReminderRules(bundled);
}

/** The raw bundled file, for tests that change one value and check the refusal. */
export function bundledReminderRulesJson(): unknown {
  return JSON.parse(JSON.stringify(bundled));
}
