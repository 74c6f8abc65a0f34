import type { Pool } from 'pg';
import { withCheckCharacter } from '../src/domain/uscc';

/**
 * Writes for the mixed load and the fault tests, and the ledger that proves none was lost: every
 * write the hub acknowledged (its key, asOf and returned status) must be in the database afterwards
 * as it was sent, unless a later write of the same key replaced it.
 *
 * Keys are unique per run and per client, so two clients never race on one key and every key's
 * asOf only grows: a client re-sends one of its own keys with a newer asOf to make an UPDATE.
 */

export type WriteKind = 'penalty' | 'credit';

export const WRITE_MUTATIONS: Record<WriteKind, string> = { penalty: 'upsertPenalty', credit: 'upsertCreditRecord' };

const DOCUMENTS: Record<WriteKind, string> = {
  penalty: 'mutation LoadPenalty($input: PenaltyInput!) { upsertPenalty(input: $input) { status key } }',
  credit: 'mutation LoadCredit($input: CreditRecordInput!) { upsertCreditRecord(input: $input) { status key } }',
};

/** Statuses that acknowledge a write: the hub says the version sent is what it now holds. */
const ACKNOWLEDGING = new Set(['INSERTED', 'UPDATED', 'UNCHANGED']);

/** One attempt to write one version of a record. */
export interface WriteAttempt {
  kind: WriteKind;
  key: string;
  /** Milliseconds since the epoch of the version's asOf. */
  asOfMs: number;
  input: Record<string, unknown>;
  /** The status the hub returned; undefined while unanswered or when the answer was an error. */
  status?: string;
}

export interface LedgerResult {
  acknowledged: number;
  found: number;
  lost: number;
  /** What was wrong with the first lost writes, for the report. */
  problems: string[];
}

/** Asks the hub whether it has the write mutations (the load reports their absence instead of failing). */
export async function missingWriteMutations(url: string, token: string): Promise<string[]> {
  const r = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ __schema { mutationType { fields { name } } } }' }),
  });
  const body = (await r.json()) as { data?: { __schema?: { mutationType?: { fields: Array<{ name: string }> } | null } } };
  const have = new Set((body.data?.__schema?.mutationType?.fields ?? []).map((f) => f.name));
  return Object.values(WRITE_MUTATIONS).filter((m) => !have.has(m));
}

/** An ISO instant in China Standard Time, as the zone's sources send it (2026-11-28T21:41:25.123+08:00). */
function beijingIso(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().replace('Z', '+08:00');
}

const beijingDay = (ms: number, daysBack = 0): string => new Date(ms + 8 * 3_600_000 - daysBack * 86_400_000).toISOString().slice(0, 10);

// The Wujiang bureau's own code, made well-formed: penalties name their authority by USCC.
const AUTHORITY_USCC = withCheckCharacter('11320509MB0173402');

/**
 * Builds the writes of one run and keeps its ledger. `next` makes the next attempt of a client:
 * mostly new keys, sometimes a newer version of a key the same client wrote before.
 */
export class WriteLedger {
  private readonly attempts: WriteAttempt[] = [];
  private readonly ownKeys = new Map<number, Array<{ kind: WriteKind; key: string }>>();
  private lastAsOf = 0;
  private seq = 0;

  /** `runId` makes keys unique across runs on a reused database; `usccs` are Wujiang enterprises. */
  constructor(readonly runId: string, private readonly usccs: readonly string[]) {
    if (usccs.length === 0) throw new Error('the write ledger needs Wujiang enterprises to write records of');
  }

  /** An asOf after every earlier one of the run, close to now (the hub refuses versions from the future). */
  private nextAsOf(): number {
    this.lastAsOf = Math.max(Date.now(), this.lastAsOf + 1);
    return this.lastAsOf;
  }

  next(client: number, random: () => number): { attempt: WriteAttempt; body: string } {
    const kind: WriteKind = random() < 0.5 ? 'penalty' : 'credit';
    const mine = this.ownKeys.get(client) ?? [];
    const again = mine.filter((k) => k.kind === kind);
    const n = ++this.seq;
    const key = again.length > 0 && random() < 0.3 ? again[Math.floor(random() * again.length)].key : `LOAD-${this.runId}-${kind === 'penalty' ? 'P' : 'C'}${client}-${n}`;
    if (!mine.some((k) => k.key === key)) mine.push({ kind, key });
    this.ownKeys.set(client, mine);
    const asOfMs = this.nextAsOf();
    const uscc = this.usccs[Math.floor(random() * this.usccs.length)];
    const input = kind === 'penalty' ? penaltyInput(key, uscc, asOfMs, n) : creditInput(key, uscc, asOfMs, n);
    const attempt: WriteAttempt = { kind, key, asOfMs, input };
    this.attempts.push(attempt);
    return { attempt, body: JSON.stringify({ query: DOCUMENTS[kind], variables: { input } }) };
  }

  /** Records the hub's answer to an attempt; returns the error code to count when it is not an acknowledgement. */
  answer(attempt: WriteAttempt, body: unknown): string | null {
    const data = (body as { data?: Record<string, { status?: string } | null> } | undefined)?.data;
    const status = data?.[WRITE_MUTATIONS[attempt.kind]]?.status;
    if (status && ACKNOWLEDGING.has(status)) {
      attempt.status = status;
      return null;
    }
    return status ? `WRITE_${status}` : null;
  }

  /** Acknowledged writes by mutation and status, for the report. */
  statusCounts(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const a of this.attempts) {
      const m = (out[WRITE_MUTATIONS[a.kind]] ??= {});
      const s = a.status ?? 'not acknowledged';
      m[s] = (m[s] ?? 0) + 1;
    }
    return out;
  }

  get acknowledged(): number {
    return this.attempts.filter((a) => a.status).length;
  }

  /**
   * Reads every key the run wrote straight from PostgreSQL and checks each acknowledged write: the
   * newest acknowledged version of a key must be the stored row, field for field, unless an
   * unacknowledged later version of the same key (a write whose answer was lost) replaced it;
   * an older acknowledged version counts as found when a found version replaced it.
   */
  async verify(pool: Pool): Promise<LedgerResult> {
    const byKey = new Map<string, WriteAttempt[]>();
    for (const a of this.attempts) byKey.set(`${a.kind}:${a.key}`, [...(byKey.get(`${a.kind}:${a.key}`) ?? []), a]);
    const stored = new Map<string, Record<string, unknown>>();
    for (const kind of ['penalty', 'credit'] as const) {
      const keys = this.attempts.filter((a) => a.kind === kind).map((a) => a.key);
      for (let i = 0; i < keys.length; i += 5000) {
        const rows = (await pool.query(STORED_SQL[kind], [keys.slice(i, i + 5000)])).rows as Array<Record<string, unknown>>;
        for (const row of rows) stored.set(`${kind}:${row.key as string}`, row);
      }
    }
    const result: LedgerResult = { acknowledged: 0, found: 0, lost: 0, problems: [] };
    const lose = (n: number, problem: string) => {
      result.lost += n;
      if (result.problems.length < 10) result.problems.push(problem);
    };
    for (const [id, attempts] of byKey) {
      const acked = attempts.filter((a) => a.status);
      if (acked.length === 0) continue;
      result.acknowledged += acked.length;
      const latest = acked[acked.length - 1];
      const row = stored.get(id);
      if (!row) {
        lose(acked.length, `${id}: acknowledged ${latest.status} at asOf ${beijingIso(latest.asOfMs)}, but no row`);
        continue;
      }
      const rowAsOf = Number(row.as_of_ms);
      const version = attempts.find((a) => a.asOfMs === rowAsOf && a.asOfMs >= latest.asOfMs);
      const diff = version ? differences(version, row) : ['asOf'];
      if (diff.length === 0) result.found += acked.length;
      else lose(acked.length, `${id}: stored row differs from the acknowledged version (asOf ${beijingIso(latest.asOfMs)}) in ${diff.join(', ')}`);
    }
    return result;
  }
}

function penaltyInput(key: string, uscc: string, asOfMs: number, n: number): Record<string, unknown> {
  const fine = 1000 + (n % 997) * 100;
  return {
    decisionNo: key,
    uscc,
    violationType: '超标排放大气污染物',
    facts: `第${n}号负载测试记录：废气排放口颗粒物浓度超过排放标准限值。`,
    legalBasis: '《中华人民共和国大气污染防治法》第九十九条第二项',
    categories: ['FINE'],
    content: `罚款人民币${fine}元。`,
    fineAmount: `${fine}.00`,
    confiscationAmount: '0.00',
    decisionDate: beijingDay(asOfMs, 3),
    authorityName: '苏州市吴江生态环境局',
    authorityUscc: AUTHORITY_USCC,
    publicityUntil: beijingDay(asOfMs, -365),
    status: 'DECIDED',
    sourceSystem: 'LOAD-TEST',
    sourceRecordId: key,
    asOf: beijingIso(asOfMs),
  };
}

const JIANGSU_LEVELS = ['GREEN', 'BLUE', 'YELLOW', 'RED', 'BLACK'];

function creditInput(key: string, uscc: string, asOfMs: number, n: number): Record<string, unknown> {
  const day = beijingDay(asOfMs, 1);
  return {
    recordNo: key,
    uscc,
    kind: 'EVALUATION',
    effectiveOn: day,
    issuer: '苏州市生态环境局',
    scheme: 'JIANGSU_5',
    level: JIANGSU_LEVELS[n % JIANGSU_LEVELS.length],
    evaluationYear: Number(day.slice(0, 4)) - 1,
    sourceSystem: 'LOAD-TEST',
    sourceRecordId: key,
    asOf: beijingIso(asOfMs),
  };
}

/** The stored rows of the written keys, with each compared column as text (no driver type parsing in the way). */
const STORED_SQL: Record<WriteKind, string> = {
  penalty: `SELECT t.decision_no AS key, e.uscc, t.violation_type AS "violationType", t.facts, t.legal_basis AS "legalBasis",
      array_to_json(t.categories)::text AS categories, t.content, t.fine_amount::text AS "fineAmount", t.confiscation_amount::text AS "confiscationAmount",
      t.decision_date::text AS "decisionDate", t.authority_name AS "authorityName", t.authority_uscc AS "authorityUscc",
      t.publicity_until::text AS "publicityUntil", t.status, t.source_system AS "sourceSystem", t.source_record_id AS "sourceRecordId",
      t.owner_jurisdiction AS owner, (t.withdrawn_at IS NULL) AS standing, round(extract(epoch FROM t.source_as_of) * 1000)::bigint::text AS as_of_ms
    FROM penalty t JOIN enterprise e ON e.id = t.enterprise_id WHERE t.decision_no = ANY($1::text[])`,
  credit: `SELECT t.record_no AS key, e.uscc, t.kind, t.effective_on::text AS "effectiveOn", t.issuer, t.scheme, t.level,
      t.evaluation_year::text AS "evaluationYear", t.source_system AS "sourceSystem", t.source_record_id AS "sourceRecordId",
      t.owner_jurisdiction AS owner, (t.withdrawn_at IS NULL) AS standing, round(extract(epoch FROM t.source_as_of) * 1000)::bigint::text AS as_of_ms,
      (t.listing_reason IS NULL AND t.listing_legal_basis IS NULL AND t.valid_until IS NULL AND t.removed_on IS NULL) AS no_listing
    FROM credit_record t JOIN enterprise e ON e.id = t.enterprise_id WHERE t.record_no = ANY($1::text[])`,
};

/** Columns of the stored row that differ from the version sent (owner and standing included). */
function differences(a: WriteAttempt, row: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (row.owner !== 'WUJIANG') out.push('owner');
  if (row.standing !== true) out.push('withdrawn');
  if (a.kind === 'credit' && row.no_listing !== true) out.push('listing fields');
  for (const [field, sent] of Object.entries(a.input)) {
    if (field === 'asOf' || field === 'decisionNo' || field === 'recordNo') continue;
    const want = Array.isArray(sent) ? JSON.stringify(sent) : String(sent);
    if (String(row[field]) !== want) out.push(field);
  }
  return out;
}
