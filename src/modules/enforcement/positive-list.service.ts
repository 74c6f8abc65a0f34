import Decimal from 'decimal.js';
import { DataSource } from 'typeorm';
import { enforcementActDenial } from '../../auth/policy';
import { Principal, SYSTEM_PRINCIPAL } from '../../auth/principal';
import { todayInChina } from '../../domain/calendar/days';
import { CREDIT_LEVELS, CreditScheme } from '../../domain/codes';
import { badInput, ErrorCode, forbidden, HubError } from '../../graphql/errors';
import { fromColumn, Values } from '../dossier/record-fields';
import { RecordWriter } from '../dossier/record-writer';
import rules from './data/positive-list-rules.json';
import { OnlineMonitoring, POSITIVE_LIST_ENTRY, PositiveListStatus, RemovalCause, STANDING_STATUSES } from './positive-list.record';

/** The eligibility rules in force (data/positive-list-rules.json: illustrative until the districts' own are loaded). */
export const POSITIVE_LIST_RULES = rules;

export interface ProposeInput {
  entryNo: string;
  uscc: string;
  basis: string;
  creditScheme: CreditScheme;
  creditLevel: string;
  onlineMonitoring: OnlineMonitoring;
  complianceRate: string;
  category: string;
  on: string;
}

const refuse = (field: string, rule: string, problem: string) => badInput(field, problem, { rule });

function addYears(day: string, years: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const t = new Date(Date.UTC(y + years, m - 1, d));
  // 29 February plus years lands on 1 March; the validity ends the day before the anniversary.
  t.setUTCDate(t.getUTCDate() - 1);
  return t.toISOString().slice(0, 10);
}

function monthsBetween(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number);
  const [ty, tm, td] = to.split('-').map(Number);
  return (ty - fy) * 12 + (tm - fm) - (td < fd ? 1 : 0);
}

/**
 * The positive list: the eligibility rules (data) propose an entry with its criteria snapshot, a
 * bureau publicises and activates it (valid for the rules' years), and a penalty decision removes
 * it at once (positive-list.events.ts, set off by the penalty's write). Entries are written
 * through the one writer; the district's enforcement officers manage their district's list.
 */
export class PositiveListService {
  constructor(private readonly ds: DataSource, private readonly writer: RecordWriter) {}

  async propose(ctx: { principal: Principal }, input: ProposeInput): Promise<string> {
    const p = ctx.principal;
    const on = this.day('input.on', input.on);
    return this.ds.transaction(async (m) => {
      const [firm] = await m.query('SELECT id, owner_jurisdiction FROM enterprise WHERE uscc = $1 AND withdrawn_at IS NULL', [input.uscc]);
      if (!firm) throw refuse('input.uscc', 'ENTERPRISE_UNKNOWN', `no enterprise with USCC ${input.uscc} is in the hub`);
      this.assertMayAct(p, firm.owner_jurisdiction);
      const levels = (rules.acceptedCreditLevels as Record<string, string[]>)[input.creditScheme] ?? [];
      if (!CREDIT_LEVELS[input.creditScheme]?.[input.creditLevel]) throw refuse('input.creditLevel', 'CREDIT_LEVEL_UNKNOWN', `is not a level of ${input.creditScheme}`);
      if (!levels.includes(input.creditLevel)) throw refuse('input.creditLevel', 'NOT_ELIGIBLE_CREDIT_LEVEL', `${input.creditLevel} is not among the levels ${rules.version} accepts for ${input.creditScheme} (${levels.join(', ')})`);
      if (rules.onlineMonitoringRequired && input.onlineMonitoring !== OnlineMonitoring.CONNECTED) throw refuse('input.onlineMonitoring', 'NOT_ELIGIBLE_MONITORING', `${rules.version} requires online monitoring CONNECTED`);
      let rate: Decimal;
      try {
        rate = new Decimal(input.complianceRate);
      } catch {
        throw refuse('input.complianceRate', 'DECIMAL_FORMAT', 'must be a percentage such as "98.5"');
      }
      if (rate.lt(0) || rate.gt(100)) throw refuse('input.complianceRate', 'PERCENT_RANGE', 'must be between 0 and 100');
      if (rate.lt(rules.minComplianceRatePercent)) throw refuse('input.complianceRate', 'NOT_ELIGIBLE_COMPLIANCE', `${rate.toFixed()} % is below the ${rules.minComplianceRatePercent} % ${rules.version} requires`);
      if (rules.excludedCategories.includes(input.category)) throw refuse('input.category', 'NOT_ELIGIBLE_CATEGORY', `${input.category} is never eligible under ${rules.version}`);
      const [{ last }] = await m.query(`SELECT max(decision_date)::text AS last FROM penalty WHERE enterprise_id = $1 AND withdrawn_at IS NULL AND status <> 'REVOKED'`, [firm.id]);
      if (last && monthsBetween(last, on) < rules.minMonthsSinceLastPenalty) {
        throw refuse('input.uscc', 'NOT_ELIGIBLE_RECENT_PENALTY', `the firm was penalised on ${last}; ${rules.version} requires ${rules.minMonthsSinceLastPenalty} months without a penalty`);
      }
      const [standing] = await m.query('SELECT entry_no FROM positive_list_entry WHERE enterprise_id = $1 AND status = ANY($2::text[]) AND withdrawn_at IS NULL', [firm.id, STANDING_STATUSES]);
      if (standing) throw new HubError(ErrorCode.CONFLICT, `input.uscc: the firm is already on the list (${standing.entry_no as string})`, { field: 'input.uscc', rule: 'ALREADY_LISTED' });
      const [used] = await m.query('SELECT 1 FROM positive_list_entry WHERE entry_no = $1', [input.entryNo]);
      if (used) throw new HubError(ErrorCode.CONFLICT, `input.entryNo: ${input.entryNo} already exists`, { field: 'input.entryNo', rule: 'KEY_USED' });
      await this.writer.writeIn(m, SYSTEM_PRINCIPAL, POSITIVE_LIST_ENTRY.write, [this.compact({
        entryNo: input.entryNo, uscc: input.uscc, basis: input.basis, creditScheme: input.creditScheme, creditLevel: input.creditLevel, lastPenaltyOn: last,
        onlineMonitoring: input.onlineMonitoring, complianceRate: rate.toFixed(2), category: input.category, rulesVersion: rules.version, proposedOn: on,
        status: PositiveListStatus.PROPOSED, sourceSystem: 'ECO-HUB', sourceRecordId: input.entryNo, asOf: new Date().toISOString(),
      })], { actor: p.sub });
      return input.entryNo;
    });
  }

  /** PROPOSED → PUBLICISED → ACTIVE (valid for the rules' years from the day it becomes active); any standing entry → REMOVED with a reason. */
  async move(ctx: { principal: Principal }, entryNo: string, to: PositiveListStatus, on: string, reason?: string | null): Promise<string> {
    const p = ctx.principal;
    const day = this.day('on', on);
    return this.ds.transaction(async (m) => {
      const [row] = await m.query('SELECT t.*, e.uscc AS __uscc FROM positive_list_entry t JOIN enterprise e ON e.id = t.enterprise_id WHERE t.entry_no = $1 FOR UPDATE OF t', [entryNo]);
      if (!row) throw new HubError(ErrorCode.NOT_FOUND, `no positive-list entry "${entryNo}" in the hub`, { key: entryNo });
      this.assertMayAct(p, row.owner_jurisdiction);
      const next: Record<string, PositiveListStatus[]> = {
        PROPOSED: [PositiveListStatus.PUBLICISED, PositiveListStatus.REMOVED], PUBLICISED: [PositiveListStatus.ACTIVE, PositiveListStatus.REMOVED], ACTIVE: [PositiveListStatus.REMOVED],
      };
      const allowed = next[row.status as string] ?? [];
      if (!allowed.includes(to)) throw refuse('to', 'STATE_TRANSITION', `an entry ${row.status as string} moves to ${allowed.join(' or ') || 'nothing'}, not ${to}`);
      const v: Values = {};
      for (const f of POSITIVE_LIST_ENTRY.write.fields) if (f.column) v[f.name] = fromColumn(f, row[f.column]);
      v.uscc = row.__uscc;
      v.status = to;
      if (to === PositiveListStatus.ACTIVE) Object.assign(v, { includedOn: day, validUntil: addYears(day, rules.validityYears) });
      if (to === PositiveListStatus.REMOVED) {
        const why = (reason ?? '').trim();
        if (!why) throw refuse('reason', 'REQUIRED', 'says why the entry is removed');
        Object.assign(v, { removedOn: day, removalCause: RemovalCause.DECISION, removalReason: why.slice(0, 1000) });
      }
      const prev = Date.parse(String(v.asOf));
      await this.writer.writeIn(m, SYSTEM_PRINCIPAL, POSITIVE_LIST_ENTRY.write, [this.compact({ ...v, asOf: new Date(Math.max(Date.now(), prev + 1)).toISOString() })], { actor: p.sub });
      return entryNo;
    });
  }

  private day(field: string, v: string): string {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) throw refuse(field, 'DATE_FORMAT', `must be a calendar day YYYY-MM-DD, got ${JSON.stringify(v)}`);
    if (v > todayInChina()) throw refuse(field, 'DATE_IN_FUTURE', `must not be after today (${todayInChina()})`);
    return v;
  }

  private compact(v: Values): Values {
    return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null && x !== undefined));
  }

  private assertMayAct(p: Principal, district: string): void {
    const denial = enforcementActDenial(p, district);
    if (denial) throw forbidden(denial, { rule: 'enforcement.ownDistrictOnly', reason: denial, ownerJurisdiction: district });
  }
}
