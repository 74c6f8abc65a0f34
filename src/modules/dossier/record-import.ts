import { once } from 'node:events';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { parse } from 'csv-parse';
import { Principal } from '../../auth/principal';
import { District } from '../../domain/jurisdictions';
import { FieldDef, fromCell, InputProblem } from './record-fields';
import { MAX_BATCH, RecordWriter, WriteSpec, WriteStatus } from './record-writer';

/**
 * Bulk import of one record type from CSV or JSON Lines through the same writer as the mutations,
 * in batches, streaming: the file is read only as fast as batches are written (async iteration
 * pulls the next chunk when the loop asks for it), so memory stays flat however large the file.
 */

/** A published column layout accepted besides the hub's own camelCase names (the 双公示 CF_* columns). */
export interface ImportDialect {
  name: string;
  /** Column → input field. */
  aliases: Readonly<Record<string, string>>;
  /** Columns of the layout the hub does not keep: accepted and ignored. */
  ignored: readonly string[];
  /** Column → converter of its value into the field's (10k yuan to yuan, Chinese category names…). */
  convert?: Readonly<Record<string, (v: unknown) => unknown>>;
  /** Values of fields the layout lacks, for records that use it. */
  defaults?: Readonly<Record<string, unknown>>;
}

export interface ImportProgress {
  rows: number;
  bytes: number;
  totalBytes: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface ImportOptions {
  spec: WriteSpec;
  dialect?: ImportDialect;
  file: string;
  /** By the file name when absent: .jsonl / .ndjson / .json are JSON Lines, anything else CSV. */
  format?: 'csv' | 'jsonl';
  /** Writes as this principal; rule 6 applies to every record. */
  principal: Principal;
  /** The district an enterprise belongs to when neither its USCC nor its row says. */
  jurisdiction?: District;
  /** Records per batch (one transaction each), 1 to MAX_BATCH; 500 by default. */
  batchSize?: number;
  /** For records without `sourceSystem`. */
  sourceSystem?: string;
  /** For records without `asOf`: by default the file's modification time, so re-running the same file is a no-op. */
  asOf?: string;
  onProgress?(p: ImportProgress): void;
}

export interface ImportSummary extends ImportProgress {
  seconds: number;
  rowsPerSecond: number;
  /** Where the rejected lines were written, when there were any. */
  rejectsFile: string | null;
}

/** One record read from the file, with what the rejects file needs to point back at it. */
interface SourceItem {
  line: number;
  /** The record as the file had it. */
  raw: unknown;
  input?: Record<string, unknown>;
  /** Input field → the file column it came from, where that had another name. */
  columns?: Map<string, string>;
  /** A line that could not be read at all. */
  error?: string;
}

interface ColumnMap {
  field: string;
  alias: boolean;
  convert?: (v: unknown) => unknown;
}

/** Splits a byte stream into lines, pulling one chunk at a time. */
export async function* readLines(stream: Readable): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  for await (const chunk of stream) {
    const parts = (carry + decoder.write(chunk as Buffer)).split('\n');
    carry = parts.pop()!;
    for (const p of parts) yield p.endsWith('\r') ? p.slice(0, -1) : p;
  }
  carry += decoder.end();
  if (carry !== '') yield carry.endsWith('\r') ? carry.slice(0, -1) : carry;
}

class Importer {
  private readonly fields: Map<string, FieldDef>;
  private readonly columns = new Map<string, ColumnMap | null>();

  constructor(private readonly o: ImportOptions, private readonly asOf: string) {
    this.fields = new Map(o.spec.fields.map((f) => [f.name, f]));
  }

  /** How a file column maps to a field (null: ignored); an unknown column is an error for the whole file. */
  column(name: string, strict: boolean): ColumnMap | null | undefined {
    if (this.columns.has(name)) return this.columns.get(name);
    const d = this.o.dialect;
    let m: ColumnMap | null | undefined;
    if (this.fields.has(name)) m = { field: name, alias: false };
    else if (d?.aliases[name]) m = { field: d.aliases[name], alias: true, convert: d.convert?.[name] };
    else if (d?.ignored.includes(name)) m = null;
    if (m === undefined && strict) {
      const known = [...this.fields.keys(), ...Object.keys(d?.aliases ?? {})];
      throw new Error(`unknown column "${name}" for ${this.o.spec.typeName}; the columns are ${known.join(', ')}${d ? ` (${d.name} columns accepted)` : ''}`);
    }
    if (m !== undefined) this.columns.set(name, m);
    return m;
  }

  /** Checks a CSV header: unknown columns, and two columns for one field, stop the import before it writes. */
  header(names: readonly string[]): void {
    const seen = new Map<string, string>();
    for (const n of names) {
      const m = this.column(n, true);
      if (!m) continue;
      const other = seen.get(m.field);
      if (other) throw new Error(`columns "${other}" and "${n}" both give ${m.field}`);
      seen.set(m.field, n);
    }
  }

  /** The input of a record read from the file: fields by their names, converted, defaults filled. */
  toInput(record: Record<string, unknown>, csv: boolean): { input: Record<string, unknown>; columns: Map<string, string> } {
    const input: Record<string, unknown> = {};
    const columns = new Map<string, string>();
    let dialect = false;
    for (const [name, value] of Object.entries(record)) {
      const m = this.column(name, csv);
      if (m === null) continue;
      if (m === undefined) {
        input[name] = value; // not a field: the check reports it by name
        continue;
      }
      const blank = value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
      if (blank && csv) continue;
      let v: unknown = csv && !m.convert ? fromCell(this.fields.get(m.field), value as string) : value;
      if (m.convert && !blank) v = m.convert(typeof v === 'string' ? v.trim() : v);
      if (v === undefined) continue;
      input[m.field] = v;
      if (m.alias) {
        columns.set(m.field, name);
        dialect = true;
      }
    }
    if (dialect) for (const [k, v] of Object.entries(this.o.dialect?.defaults ?? {})) if (input[k] === undefined) input[k] = v;
    if (input.sourceSystem === undefined) input.sourceSystem = this.o.sourceSystem ?? 'IMPORT';
    const key = input[this.o.spec.key];
    if (input.sourceRecordId === undefined && typeof key === 'string') input.sourceRecordId = key.trim();
    if (input.asOf === undefined) input.asOf = this.asOf;
    return { input, columns };
  }

  async *csvItems(stream: Readable): AsyncGenerator<SourceItem> {
    const skipped: SourceItem[] = [];
    let header: string[] | null = null;
    const parser = stream.pipe(parse({
      bom: true,
      columns: (h: string[]) => (header = h.map((x) => String(x).trim())),
      skip_empty_lines: true,
      info: true,
      skip_records_with_error: true,
      on_skip: (err, raw) => {
        skipped.push({ line: Number((err as { lines?: unknown } | undefined)?.lines ?? 0), raw: raw ?? null, error: `not a readable CSV record: ${err?.message ?? 'unknown error'}` });
        return undefined;
      },
    }));
    let checked = false;
    for await (const rec of parser as AsyncIterable<{ info: { lines: number }; record: Record<string, string> }>) {
      if (!checked && header) {
        this.header(header);
        checked = true;
      }
      while (skipped.length > 0) yield skipped.shift()!;
      const { input, columns } = this.toInput(rec.record, true);
      yield { line: rec.info.lines, raw: rec.record, input, columns };
    }
    if (!checked && header) this.header(header);
    while (skipped.length > 0) yield skipped.shift()!;
  }

  async *jsonlItems(stream: Readable): AsyncGenerator<SourceItem> {
    let line = 0;
    for await (let text of readLines(stream)) {
      line++;
      if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (text.trim() === '') continue;
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (err) {
        yield { line, raw: text, error: `not valid JSON: ${(err as Error).message}` };
        continue;
      }
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        yield { line, raw, error: `must be a JSON object of ${this.o.spec.inputName} fields` };
        continue;
      }
      const { input, columns } = this.toInput(raw as Record<string, unknown>, false);
      yield { line, raw, input, columns };
    }
  }
}

/**
 * Imports a file and returns what it did. Rejected lines go to `<file>.rejects.jsonl` as
 * `{ line, record, code, problems }` (an old rejects file is replaced); a file with no rejects
 * leaves none. Re-running the same file changes nothing: every record comes back UNCHANGED.
 */
export async function importFile(writer: RecordWriter, o: ImportOptions): Promise<ImportSummary> {
  const batchSize = o.batchSize ?? 500;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH) throw new Error(`batch size must be 1 to ${MAX_BATCH}, got ${batchSize}`);
  const stat = await fs.promises.stat(o.file);
  const importer = new Importer(o, o.asOf ?? stat.mtime.toISOString());
  const format = o.format ?? (/\.(jsonl|ndjson|json)$/i.test(o.file) ? 'jsonl' : 'csv');
  const rejectsFile = `${o.file}.rejects.jsonl`;
  await fs.promises.rm(rejectsFile, { force: true });
  let rejects: fs.WriteStream | null = null;
  const started = Date.now();
  const p: ImportProgress = { rows: 0, bytes: 0, totalBytes: stat.size, inserted: 0, updated: 0, unchanged: 0, rejected: 0 };

  const reject = async (entry: { line: number; record: unknown; code: string; problems: InputProblem[] }) => {
    p.rejected++;
    rejects ??= fs.createWriteStream(rejectsFile);
    if (!rejects.write(JSON.stringify(entry) + '\n')) await once(rejects, 'drain');
  };

  const stream = fs.createReadStream(o.file);
  // Unreadable lines wait with the batch they arrived in, so the rejects file stays in line order.
  let batch: SourceItem[] = [];
  let unreadable: SourceItem[] = [];
  const flush = async () => {
    const items = batch;
    const lost = unreadable;
    batch = [];
    unreadable = [];
    const outcomes = items.length === 0 ? [] : await writer.writeBatch(o.principal, o.spec, items.map((i) => i.input), { pathOf: () => '', fallbackOwner: o.jurisdiction });
    const rejected = lost.map((item) => ({ line: item.line, record: item.raw, code: 'BAD_USER_INPUT', problems: [{ field: '(line)', message: item.error! }] }));
    for (const r of outcomes) {
      const item = items[r.index];
      if (r.status === WriteStatus.INSERTED) p.inserted++;
      else if (r.status === WriteStatus.UPDATED) p.updated++;
      else if (r.status === WriteStatus.UNCHANGED) p.unchanged++;
      else {
        const problems = r.problems.map((q) => {
          const column = item.columns?.get(q.field.split('.')[0]);
          return column ? { ...q, column } : q;
        });
        rejected.push({ line: item.line, record: item.raw, code: r.code ?? 'BAD_USER_INPUT', problems });
      }
    }
    for (const entry of rejected.sort((x, y) => x.line - y.line)) await reject(entry);
    p.bytes = stream.bytesRead;
    if (items.length + lost.length > 0) o.onProgress?.({ ...p });
  };

  try {
    const items = format === 'csv' ? importer.csvItems(stream) : importer.jsonlItems(stream);
    for await (const item of items) {
      p.rows++;
      if (item.error) unreadable.push(item);
      else batch.push(item);
      if (batch.length + unreadable.length >= batchSize) await flush();
    }
    await flush();
  } finally {
    stream.destroy();
    if (rejects) {
      const r: fs.WriteStream = rejects;
      await new Promise<void>((resolve, fail) => r.end((err?: Error | null) => (err ? fail(err) : resolve())));
    }
  }
  const seconds = (Date.now() - started) / 1000;
  p.bytes = stat.size;
  return { ...p, seconds, rowsPerSecond: seconds > 0 ? p.rows / seconds : p.rows, rejectsFile: p.rejected > 0 ? rejectsFile : null };
}
