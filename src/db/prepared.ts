import { createHash } from 'node:crypto';
import type { Pool, QueryConfig } from 'pg';
import type { DataSource } from 'typeorm';
import { currentSqlStats } from './sql-stats';

export interface PreparedOptions {
  /** A statement text becomes a named (prepared) statement on its second use. */
  after?: number;
  /** Distinct statement texts prepared at most; beyond, they run unnamed (each connection keeps its own plans). */
  maxNamed?: number;
}

const TRACKED = 10_000;
/** Named statements found by their text, without hashing it (the read engine hands the same text object again for a shape it keeps). */
const BY_TEXT = 128;

/**
 * Whether a failed statement left its session usable: the server answered it with an error of
 * severity ERROR (FATAL and PANIC end the session) whose SQLSTATE is not a connection exception
 * (08) or an operator intervention (57), and the implicit transaction it ran in is rolled back.
 * A socket's error (EPIPE, ECONNRESET…) has no severity.
 */
function sessionIntact(err: unknown): boolean {
  const e = err as { code?: unknown; severity?: unknown } | null;
  const code = e?.code;
  return e?.severity === 'ERROR' && typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith('08') && !code.startsWith('57');
}

/**
 * Runs the read engine's statements as named prepared statements once their text repeats: a
 * partner's client sends the same few documents again and again, and PostgreSQL then parses and
 * plans each of them once per pooled connection instead of on every request (a dossier's
 * statement costs about 3 ms to plan and under 2 ms to run; docs/performance.md). Texts seen
 * once run unnamed, and at most `maxNamed` are prepared, so a stream of one-off documents cannot
 * fill the server's memory with plans. Each statement counts in the request's SQL tally.
 *
 * Named statements need a session per client: behind a transaction-pooling proxy (PgBouncer in
 * transaction mode) set HUB_PREPARED_STATEMENTS=false.
 */
export class PreparedQueries {
  private readonly uses = new Map<string, number>();
  private readonly named = new Set<string>();
  private readonly byText = new Map<string, string>();
  private readonly after: number;
  private readonly maxNamed: number;

  constructor(private readonly ds: DataSource, private readonly enabled = true, o: PreparedOptions = {}) {
    this.after = o.after ?? 2;
    this.maxNamed = o.maxNamed ?? 500;
  }

  async query<T = Record<string, unknown>>(text: string, values: unknown[]): Promise<T[]> {
    const stats = currentSqlStats();
    if (stats) {
      stats.statements++;
      stats.log?.push({ sql: text, params: values });
    }
    const config: QueryConfig = { text, values };
    if (this.enabled) {
      const name = this.nameOf(text);
      if (name) config.name = name;
    }
    const started = stats?.ms !== undefined ? performance.now() : 0;
    const pool = this.ds.driver as unknown as { master: Pool };
    // Not `pool.query`: it closes the connection after any error, and with it the connection's
    // prepared statements (PGlite's single connection takes a moment to come back). An error the
    // server answered with a SQLSTATE leaves the session as it was; anything else closes it.
    const client = await pool.master.connect();
    // As pool.query does: a checked-out client has no error listener of the pool's, and a lost
    // connection emits 'error' on it, which unheard would end the process. The query rejects too.
    let lost: Error | undefined;
    const onError = (err: Error) => {
      lost = err;
    };
    client.on('error', onError);
    let res;
    try {
      res = await client.query(config);
    } catch (err) {
      lost ??= sessionIntact(err) ? undefined : (err as Error);
      throw err;
    } finally {
      client.removeListener('error', onError);
      client.release(lost);
    }
    if (stats?.ms !== undefined) stats.ms += performance.now() - started;
    return res.rows as T[];
  }

  private nameOf(text: string): string | undefined {
    const known = this.byText.get(text);
    if (known) return known;
    const hash = createHash('sha1').update(text).digest('base64url');
    if (this.named.has(hash)) return this.remember(text, `hub_${hash}`);
    const n = (this.uses.get(hash) ?? 0) + 1;
    if (this.uses.size >= TRACKED) this.uses.clear();
    this.uses.set(hash, n);
    if (n < this.after || this.named.size >= this.maxNamed) return undefined;
    this.named.add(hash);
    return this.remember(text, `hub_${hash}`);
  }

  private remember(text: string, name: string): string {
    if (this.byText.size >= BY_TEXT) this.byText.delete(this.byText.keys().next().value!);
    this.byText.set(text, name);
    return name;
  }
}
