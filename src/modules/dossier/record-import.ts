import { isUtf8 } from 'node:buffer';
import { once } from 'node:events';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { Principal } from '../../auth/principal';
import { District } from '../../domain/jurisdictions';
import { FieldDef, fromCell, InputProblem } from './record-fields';
import { MAX_BATCH, RecordWriter, WriteSpec, WriteStatus } from './record-writer';

/**
 * Bulk import of one record type from CSV or JSON Lines through the same writer as the mutations,
 * in batches, streaming: the file is read only as fast as batches are written (async iteration
 * pulls the next chunk when the loop asks for it), so memory stays flat however large the file.
 *
 * Every line is accounted for: each record read is inserted, updated, unchanged or rejected alone
 * with its line number (the line it starts on) and what is wrong, so the four counts add up to the
 * rows read. A CSV record may span lines inside a quoted field, so a stray quote could swallow the
 * lines after it: the importer finds record boundaries itself (csvRecords) and, when a quoted field
 * does not close where a field can end, rejects the line the quote opened on and reads the lines
 * after it afresh; csv-parse then splits each record into its fields.
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
  /** The field (and file column, under another name) that line's problem is in, when known: where a stray quote opened. */
  at?: { field: string; column?: string };
}

interface ColumnMap {
  field: string;
  alias: boolean;
  convert?: (v: unknown) => unknown;
}

/** A line of a file: its number from 1, its text, and what makes it unreadable, if anything. */
interface FileLine {
  n: number;
  text: string;
  error?: string;
}

/** The longest line the import reads (and the most characters of a CSV record); a 双公示 record with its longest texts is about 50 KB. */
export const MAX_LINE_BYTES = 1 << 20;
/** The most lines a quoted CSV field may span before its opening quote is taken for a stray one. */
export const MAX_RECORD_LINES = 500;

/**
 * Splits a byte stream into lines (LF or CRLF, a UTF-8 BOM dropped), pulling one chunk at a time.
 * Each line's bytes are checked as UTF-8 (a GBK export would otherwise be read as replacement
 * characters and stored so), and a line longer than MAX_LINE_BYTES is reported rather than held.
 */
export async function* fileLines(stream: Readable): AsyncGenerator<FileLine> {
  let carry: Buffer = Buffer.alloc(0);
  let n = 0;
  let skipping = false; // inside an overlong line, until its end
  const line = (bytes: Buffer): FileLine => {
    n++;
    let b = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.subarray(0, -1) : bytes;
    if (n === 1 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
    if (isUtf8(b)) return { n, text: b.toString('utf8') };
    return { n, text: b.toString('latin1'), error: 'is not UTF-8 text (a GBK export? convert the file to UTF-8, e.g. iconv -f GBK -t UTF-8)' };
  };
  for await (const chunk of stream) {
    const buf: Buffer = carry.length > 0 ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    for (let nl = buf.indexOf(0x0a); nl >= 0; nl = buf.indexOf(0x0a, start)) {
      if (skipping || nl - start > MAX_LINE_BYTES) {
        skipping = false;
        n++;
        yield { n, text: '', error: `is longer than ${MAX_LINE_BYTES} bytes` };
      } else {
        yield line(buf.subarray(start, nl));
      }
      start = nl + 1;
    }
    carry = Buffer.from(buf.subarray(start));
    if (carry.length > MAX_LINE_BYTES) {
      skipping = true;
      carry = Buffer.alloc(0);
    }
  }
  if (skipping) yield { n: n + 1, text: '', error: `is longer than ${MAX_LINE_BYTES} bytes` };
  else if (carry.length > 0) yield line(carry);
}

/** One CSV record's text as framed from the file's lines, or a line that could not be read. */
interface CsvRecordText {
  line: number;
  text: string;
  /** Why the line is rejected, and the header column it concerns when known. */
  error?: string;
  column?: number;
}

/**
 * Where a CSV record ends, by RFC 4180's quoting (a quote opens a quoted field only at its start;
 * inside one, `""` is a quote and `"` closes it, followed by a comma or the line end; elsewhere a
 * quote is text, as csv-parse's relax_quotes reads it). Fed line by line.
 */
class QuoteScanner {
  inQuotes = false;
  /** Column (from 1) of the field being read. */
  column = 1;
  /** Where the open quoted field began. */
  opened: { line: number; column: number } | null = null;
  /** A closing quote followed by something else than a comma or the line end. */
  broken: { line: number; column: number; after: string } | null = null;

  feed(text: string, line: number): void {
    let fieldStart = !this.inQuotes;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.inQuotes) {
        if (c !== 0x22) continue;
        if (text.charCodeAt(i + 1) === 0x22) {
          i++;
          continue;
        }
        this.inQuotes = false;
        if (i + 1 < text.length && text.charCodeAt(i + 1) !== 0x2c) {
          this.broken = { line, column: this.column, after: String.fromCodePoint(text.codePointAt(i + 1)!) };
          return;
        }
      } else if (c === 0x2c) {
        this.column++;
        fieldStart = true;
      } else if (c === 0x22 && fieldStart) {
        this.inQuotes = true;
        this.opened = { line, column: this.column };
        fieldStart = false;
      } else {
        fieldStart = false;
      }
    }
  }
}

/**
 * The records of a CSV file as text, each with the line it starts on. A quoted field that does not
 * close where a field can end (the file ends, MAX_RECORD_LINES pass, or its closing quote is
 * followed by text) is taken for a stray quote: the line it opened on is rejected alone, naming
 * the column, and the lines after it are read again as records of their own, so one stray `"`
 * costs one line, never the ones it would have swallowed.
 */
export async function* csvRecords(lines: AsyncIterable<FileLine>): AsyncGenerator<CsvRecordText> {
  const source = lines[Symbol.asyncIterator]();
  const again: FileLine[] = [];
  const next = async (): Promise<FileLine | undefined> => {
    if (again.length > 0) return again.shift();
    const r = await source.next();
    return r.done ? undefined : r.value;
  };
  for (let first = await next(); first; first = await next()) {
    if (first.error) {
      yield { line: first.n, text: first.text, error: first.error };
      continue;
    }
    if (first.text.trim() === '') continue;
    const group = [first];
    const scan = new QuoteScanner();
    scan.feed(first.text, first.n);
    let chars = first.text.length;
    let unreadable: FileLine | undefined;
    while (scan.inQuotes && !scan.broken && group.length < MAX_RECORD_LINES && chars < MAX_LINE_BYTES) {
      const more = await next();
      if (!more) break;
      group.push(more);
      if (more.error) {
        unreadable = more;
        break;
      }
      chars += more.text.length + 1;
      scan.feed(more.text, more.n);
    }
    if (!scan.inQuotes && !scan.broken && !unreadable) {
      yield { line: first.n, text: group.map((l) => l.text).join('\n') };
      continue;
    }
    const { line, column } = scan.opened ?? { line: first.n, column: scan.broken?.column ?? 1 };
    const why = scan.broken
      ? `a quoted field opened on line ${line} (column ${column}) is closed on line ${scan.broken.line} by a quote followed by "${scan.broken.after}", not by a comma or the line end (inside a quoted field write a quote as "")`
      : unreadable
        ? `a quoted field opened on line ${line} (column ${column}) runs into line ${unreadable.n}, which ${unreadable.error}`
        : `a quoted field opened on line ${line} (column ${column}) is not closed ${
          group.length >= MAX_RECORD_LINES ? `within ${group.length} lines` : chars >= MAX_LINE_BYTES ? `within ${MAX_LINE_BYTES} characters` : 'before the end of the file'}`;
    yield { line: first.n, text: first.text, error: `${why}; this line is rejected and the lines after it are read on their own`, column };
    again.unshift(...group.slice(1));
  }
}

/** How many framed records csv-parse splits at once: a call costs about 0.1 ms, some ten times its cost per record in a chunk. */
const PARSE_CHUNK = 256;

/** Splits framed records into their fields with csv-parse; a record it cannot split is reported alone. */
function splitFields(records: readonly CsvRecordText[]): Array<string[] | Error> {
  // Records are framed on LF already; a stray CR inside a record is text, not a record delimiter.
  const options = { relax_quotes: true, relax_column_count: true, record_delimiter: '\n' } as const;
  try {
    const rows = parse(records.map((r) => r.text).join('\n'), options) as string[][];
    if (rows.length === records.length) return rows;
  } catch {
    // one of them: find it below
  }
  return records.map((r) => {
    try {
      const rows = parse(r.text, options) as string[][];
      return rows.length === 1 ? rows[0] : new Error(`holds ${rows.length} records`);
    } catch (err) {
      return err as Error;
    }
  });
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

  /** The field a header column gives (and the column, when its name is another), for a problem found in that column. */
  fieldAt(name: string | undefined): { field: string; column?: string } | undefined {
    if (name === undefined) return undefined;
    const m = this.column(name, false);
    return m ? (m.alias ? { field: m.field, column: name } : { field: m.field }) : { field: '(line)', column: name };
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
    let header: string[] | null = null;
    let chunk: CsvRecordText[] = [];
    const self = this;
    function* parsed(): Generator<SourceItem> {
      const fields = splitFields(chunk);
      for (const [i, r] of chunk.entries()) {
        const f = fields[i];
        if (f instanceof Error) yield { line: r.line, raw: r.text, error: `not a readable CSV record: ${f.message}` };
        else if (f.length !== header!.length) yield { line: r.line, raw: r.text, error: `has ${f.length} field${f.length === 1 ? '' : 's'}, the header has ${header!.length}` };
        else {
          const record = Object.fromEntries(header!.map((h, k) => [h, f[k]]));
          yield { line: r.line, raw: record, ...self.toInput(record, true) };
        }
      }
      chunk = [];
    }
    for await (const r of csvRecords(fileLines(stream))) {
      if (!header) {
        if (r.error) throw new Error(`line ${r.line}, the header: ${r.error}`);
        const [names] = splitFields([r]);
        if (names instanceof Error) throw new Error(`line ${r.line}, the header: not a readable CSV record: ${names.message}`);
        header = names.map((x) => x.trim());
        this.header(header);
        continue;
      }
      if (r.error) {
        // Records before it first, so that lines come out in order.
        yield* parsed();
        yield { line: r.line, raw: r.text, error: r.error, at: r.column !== undefined ? this.fieldAt(header[r.column - 1]) : undefined };
        continue;
      }
      chunk.push(r);
      if (chunk.length >= PARSE_CHUNK) yield* parsed();
    }
    yield* parsed();
  }

  async *jsonlItems(stream: Readable): AsyncGenerator<SourceItem> {
    for await (const { n: line, text, error } of fileLines(stream)) {
      if (error) {
        yield { line, raw: text, error };
        continue;
      }
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
    const rejected = lost.map((item) => ({ line: item.line, record: item.raw, code: 'BAD_USER_INPUT', problems: [{ field: '(line)', ...item.at, message: item.error! }] }));
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
