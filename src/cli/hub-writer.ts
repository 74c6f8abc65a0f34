import { getNamedType, GraphQLInputType, GraphQLSchema, isScalarType } from 'graphql';
import { mintToken, Principal, TokenSettings } from '../auth/principal';
import { ErrorCode } from '../graphql/errors';
import type { InputProblem } from '../modules/dossier/record-fields';
import { BatchOptions, checkRecordInput, RecordOutcome, WriteSpec, WriteStatus } from '../modules/dossier/record-writer';

/*
 * The import's writer while a running hub holds the embedded data folder: instead of opening the
 * folder (which would corrupt it), each batch goes to the hub's batch mutation, `upsert<Plural>`,
 * signed as the same district data steward the local import writes as. The hub runs the same
 * RecordWriter, so outcomes, problems and the change log are the ones a local import gives.
 *
 * Two things differ on the wire, and are made good here (the batch mutation takes its records as
 * JSON and runs the same field checks, so nothing GraphQL would coerce stands between them):
 * - The import's district (`fallbackOwner`) is not a mutation argument: an enterprise that gets its
 *   owner only from it is sent with that district as its `jurisdiction`, which the writer reads alike.
 * - Problems come back under `records.<i>.`; they are given back under the file's paths.
 *
 * A request the hub refuses for the moment (429 rate limit, 503) is sent again after its
 * Retry-After; one too large for the hub's 1 MB body limit (413) is split in two.
 */

export interface HubWriterOptions {
  /** The hub's loopback address, from its lock file. */
  url: string;
  /** The hub's schema, built from this code: gives the mutation and the input types. */
  schema: GraphQLSchema;
  /** How tokens are signed: the secret the hub verifies with (its HUB_JWT_SECRET or the data folder's development secret). */
  signing: TokenSettings;
  /** Attempts of one request the hub answers 429 or 503; 8 by default. */
  attempts?: number;
  /** Longest wait between two attempts; 30 s by default. */
  maxWaitMs?: number;
}

interface WireResult {
  index: number;
  key: string | null;
  status: WriteStatus;
  code: ErrorCode | null;
  ownerJurisdiction: string | null;
  problems: InputProblem[];
}

/** Thrown when the hub cannot take the import; the message says what to do. */
export class HubWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HubWriteError';
  }
}

const TOKEN_LIFETIME = '15m';
const TOKEN_REUSE_MS = 10 * 60_000;
const REQUEST_TIMEOUT_MS = 5 * 60_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `records.12.amount` → `amount`; `records.12` → `(record)`, as a file's record is named. */
function filePath(field: string): string {
  const rest = field.replace(/^records\.\d+\.?/, '');
  return rest === '' ? '(record)' : rest;
}

/** Writes batches through a running hub's `upsert<Plural>` mutations; shaped like RecordWriter.writeBatch (see the file's comment). */
export class HubBatchWriter {
  private readonly tokens = new Map<string, { token: string; at: number }>();
  private readonly endpoint: string;

  constructor(private readonly o: HubWriterOptions) {
    this.endpoint = new URL('/graphql', o.url).toString();
  }

  async writeBatch(principal: Principal, spec: WriteSpec, inputs: readonly unknown[], opts: BatchOptions): Promise<RecordOutcome[]> {
    const { field, argType } = this.mutationOf(spec);
    const outcomes: RecordOutcome[] = [];
    const send = inputs.map((raw, index) => ({ index, record: this.toWire(spec, raw, opts) }));
    const query = `mutation ImportBatch($records: ${String(argType)}) { ${field}(records: $records) { results { index key status code ownerJurisdiction problems { field message } } } }`;
    await this.sendAll(principal, query, field, send, outcomes);
    return outcomes.sort((a, b) => a.index - b.index);
  }

  /** The batch mutation whose `records` are JSON records of the type's input (`<Input>JSON`). */
  private mutationOf(spec: WriteSpec): { field: string; argType: GraphQLInputType } {
    const wanted = `${spec.inputName}JSON`;
    for (const f of Object.values(this.o.schema.getMutationType()?.getFields() ?? {})) {
      const arg = f.args.find((a) => a.name === 'records');
      const item = arg && getNamedType(arg.type);
      if (arg && item && isScalarType(item) && item.name === wanted) return { field: f.name, argType: arg.type };
    }
    throw new HubWriteError(`the hub has no batch mutation taking ${wanted} records`);
  }

  /** A record as the mutation takes it (see the file's comment); anything else is sent as read. */
  private toWire(spec: WriteSpec, raw: unknown, opts: BatchOptions): unknown {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
    const record: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
    for (const f of spec.fields) {
      const v = record[f.name];
      if (f.kind === 'decimal' && typeof v === 'number' && Number.isFinite(v)) record[f.name] = String(v);
    }
    if (opts.fallbackOwner && record.jurisdiction == null && spec.fields.some((f) => f.name === 'jurisdiction')) {
      const without = checkRecordInput(spec, raw, '').owner;
      const withFallback = checkRecordInput(spec, raw, '', opts.fallbackOwner).owner;
      if (!without && withFallback === opts.fallbackOwner) record.jurisdiction = opts.fallbackOwner;
    }
    return record;
  }

  private async sendAll(principal: Principal, query: string, field: string, items: Array<{ index: number; record: unknown }>, out: RecordOutcome[]): Promise<void> {
    if (items.length === 0) return;
    const answer = await this.post(principal, query, items.map((i) => i.record));
    if (answer === 'too-large') {
      if (items.length === 1) {
        out.push({
          index: items[0].index, key: null, status: WriteStatus.REJECTED, code: ErrorCode.BAD_USER_INPUT,
          problems: [{ field: '(record)', message: 'is too large for one request to the hub (its limit is 1 MB)' }],
        });
        return;
      }
      const half = Math.ceil(items.length / 2);
      await this.sendAll(principal, query, field, items.slice(0, half), out);
      await this.sendAll(principal, query, field, items.slice(half), out);
      return;
    }
    const results = (answer[field] as { results?: WireResult[] } | undefined)?.results;
    if (!Array.isArray(results) || results.length !== items.length) {
      throw new HubWriteError(`the hub answered ${field} with ${Array.isArray(results) ? results.length : 'no'} results for ${items.length} records`);
    }
    for (const r of results) {
      const outcome: RecordOutcome = {
        index: items[r.index].index, key: r.key, status: r.status, code: r.code,
        problems: r.problems.map((p) => ({ field: filePath(p.field), message: p.message })),
      };
      if (r.ownerJurisdiction) outcome.ownerJurisdiction = r.ownerJurisdiction;
      out.push(outcome);
    }
  }

  private async token(principal: Principal): Promise<string> {
    const key = JSON.stringify([principal.sub, principal.org, principal.jurisdiction, principal.roles]);
    const cached = this.tokens.get(key);
    if (cached && Date.now() - cached.at < TOKEN_REUSE_MS) return cached.token;
    if (!principal.org || !principal.jurisdiction) throw new HubWriteError(`the import's principal ${principal.sub} has no organisation or district to sign`);
    const token = await mintToken(this.o.signing, { sub: principal.sub, org: principal.org, jurisdiction: principal.jurisdiction, roles: [...principal.roles] }, TOKEN_LIFETIME);
    this.tokens.set(key, { token, at: Date.now() });
    return token;
  }

  /** One request: its data, or 'too-large'; waits out 429 and 503; anything else is a HubWriteError. */
  private async post(principal: Principal, query: string, records: unknown[]): Promise<Record<string, unknown> | 'too-large'> {
    const attempts = this.o.attempts ?? 8;
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(this.endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await this.token(principal)}` },
          body: JSON.stringify({ query, variables: { records } }),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
      } catch (err) {
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        throw new HubWriteError(`the hub at ${this.o.url} did not answer (${cause?.code ?? cause?.message ?? (err as Error).message}); `
          + 'the batches before this one are written, and running the import again is safe (what is already there comes back UNCHANGED)');
      }
      if (res.status === 413) return 'too-large';
      if ((res.status === 429 || res.status === 503) && attempt < attempts) {
        const seconds = Number(res.headers.get('retry-after'));
        await res.body?.cancel();
        await sleep(Math.min(this.o.maxWaitMs ?? 30_000, Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000 * attempt));
        continue;
      }
      const text = await res.text();
      let body: { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: { code?: string } }> };
      try {
        body = JSON.parse(text);
      } catch {
        throw new HubWriteError(`the hub at ${this.o.url} answered HTTP ${res.status} with something that is not GraphQL: ${text.slice(0, 200)}`);
      }
      if (body.errors?.length || !body.data) {
        const codes = new Set((body.errors ?? []).map((e) => e.extensions?.code));
        const what = (body.errors ?? []).map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; ') || `HTTP ${res.status}`;
        if (codes.has(ErrorCode.UNAUTHENTICATED)) {
          throw new HubWriteError(`the hub at ${this.o.url} did not accept the import's token (${what}); the import signs with HUB_JWT_SECRET if set, `
            + 'else with the data folder\'s dev-jwt-secret: give it the secret the hub runs with');
        }
        throw new HubWriteError(`the hub at ${this.o.url} refused the batch: ${what}`);
      }
      return body.data;
    }
  }
}
