import Decimal from 'decimal.js';
import { GraphQLScalarType, valueFromASTUntyped } from 'graphql';
import { ClassType, Field, InputType, Int } from 'type-graphql';
import { checkUscc } from '../../domain/uscc';
import { EARLIEST_DAY, LATEST_DAY, parseDay } from '../../domain/calendar';

/**
 * Fields of record types: their kinds, how an input value of each kind is checked and normalized,
 * read from a CSV cell, stored and compared, and the GraphQL input type of a set of fields. Each
 * record type declares its fields once (`<m>.record.ts`, see record-declaration.ts); the mutation,
 * the import, the seed and the SQL all read them from there.
 */

/** One thing wrong with an input: the field's path (`input.validTo`, `records.3.uscc`) and what. */
export interface InputProblem {
  field: string;
  message: string;
  /** The file column the value came from, when an import read it under another name (CF_NR_FK). */
  column?: string;
}

/**
 * How a field's value is checked, normalized, stored and typed in GraphQL. `id` is the hub's own
 * uuid, never sent; `objectList` a list of small objects of their own fields (an inspection's steps).
 */
export type FieldKind = 'text' | 'uscc' | 'date' | 'datetime' | 'decimal' | 'int' | 'enum' | 'textList' | 'enumList' | 'objectList' | 'id';

/** The item of an `objectList` field: its own fields, and the GraphQL types of one item. */
export interface ItemShape {
  /** How a message names one item ("a step"). */
  noun: string;
  fields: readonly FieldDef[];
  input: { name: string; description: string };
  output: { name: string; description: string };
}

export interface FieldDef {
  /** Input field name: the GraphQL input field, the JSONL key and the hub's CSV column. */
  name: string;
  kind: FieldKind;
  description: string;
  /** Table column; absent for fields that are not stored as sent (an enterprise's USCC on a penalty). */
  column?: string;
  required?: boolean;
  /** Most characters of a text (or of each list item). */
  maxLength?: number;
  pattern?: { re: RegExp; hint: string };
  /** enum and enumList: the TypeScript enum, registered as a GraphQL enum of the same values. */
  enum?: object;
  /** enum and enumList: the values the hub accepts here, when only some of the enum's are valid. */
  allowed?: readonly string[];
  /** int and decimal: inclusive bounds (a decimal without `min` must not be negative). */
  min?: number;
  max?: number;
  /** decimal: most digits after the point (2 by default: fen of an amount). */
  scale?: number;
  /** Stored when the input leaves the field out. */
  default?: unknown;
  /** Personal or enforcement-sensitive data: never copied into change-log payloads. */
  personal?: boolean;
  /** objectList: what one item holds. */
  items?: ItemShape;
}

/** Kinds whose value is a list (an absent one is empty, never null). */
export function isListKind(kind: FieldKind): boolean {
  return kind === 'textList' || kind === 'enumList' || kind === 'objectList';
}

/** Normalized values by field name: dates `YYYY-MM-DD`, instants ISO 8601 UTC, amounts with two decimals. */
export type Values = Record<string, unknown>;

/** Reports a problem of a field (the path relative to the record's). */
export type AddProblem = (field: string, message: string) => void;

const DECIMAL_RE = /^\d+(\.\d+)?$/;
const DATETIME_RE = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;
/** numeric(16,2): at most 14 digits before the point. */
const INTEGER_DIGITS = 14;
/** int4, the column type of whole numbers: the bounds of a field that sets none. */
const INT4 = { min: -(2 ** 31), max: 2 ** 31 - 1 };
/** Unknown keys of one record reported one by one; the rest are counted in one problem. */
const UNKNOWN_KEYS_REPORTED = 10;
/** A NUL or any UTF-16 surrogate, paired or not (code units, no `u` flag). */
// eslint-disable-next-line no-control-regex
const MAYBE_UNSTORABLE = /[\u0000\uD800-\uDFFF]/;

/**
 * What PostgreSQL cannot store of a text, or null: the NUL character (no text type holds it) and
 * a lone UTF-16 surrogate (no UTF-8 for it; the driver would store U+FFFD in its place). Checked
 * with the fields, before anything is written, so a batch or an import rejects that record alone.
 */
export function unstorableText(s: string): string | null {
  // Nearly every text has neither; only one that has a NUL or a surrogate is looked at closely.
  if (!MAYBE_UNSTORABLE.test(s)) return null;
  const nul = s.indexOf('\u0000');
  if (nul >= 0) return `must not contain the NUL character (U+0000), found at character ${[...s.slice(0, nul)].length + 1}`;
  const lone = /\p{Cs}/u.exec(s);
  if (lone) return `must be well-formed Unicode text: a lone surrogate U+${lone[0].charCodeAt(0).toString(16).toUpperCase()} at character ${[...s.slice(0, lone.index)].length + 1}`;
  return null;
}

/** `input` + `validTo` → `input.validTo`; an empty path leaves the name alone (a file's record). */
export function joinPath(path: string, name: string | number): string {
  return path ? `${path}.${name}` : String(name);
}

export { parseDay };

const enumValuesOf = new WeakMap<object, readonly string[]>();

function enumValues(f: FieldDef): readonly string[] {
  if (f.allowed) return f.allowed;
  const e = f.enum ?? {};
  let values = enumValuesOf.get(e);
  if (!values) {
    values = Object.values(e).filter((v): v is string => typeof v === 'string');
    enumValuesOf.set(e, values);
  }
  return values;
}

const listItems = new WeakMap<FieldDef, FieldDef>();

/** The definition of one item of a textList or enumList field: required, of the item's kind. */
function itemOf(f: FieldDef): FieldDef {
  let item = listItems.get(f);
  if (!item) {
    item = { ...f, kind: f.kind === 'textList' ? 'text' : 'enum', required: true };
    listItems.set(f, item);
  }
  return item;
}

/** The JSON type of a value, for "must be text, got a number". */
function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `a ${typeof v} (${JSON.stringify(v)})`;
}

function listOfValues(values: readonly string[]): string {
  return values.length > 8 ? `${values.slice(0, 8).join(', ')}, …` : values.join(', ');
}

/** Checks one present value; returns it normalized, or undefined after reporting what is wrong. */
function readValue(f: FieldDef, v: unknown, field: string, add: AddProblem): unknown {
  switch (f.kind) {
    case 'text': {
      if (typeof v !== 'string') return add(field, `must be text, got ${jsonType(v)}`);
      const unstorable = unstorableText(v);
      if (unstorable) return add(field, unstorable);
      const s = v.trim();
      if (s === '') return f.required ? add(field, 'must not be empty') : null;
      // A text of at most maxLength UTF-16 units has at most as many characters: counted only when longer.
      if (f.maxLength && s.length > f.maxLength && [...s].length > f.maxLength) return add(field, `must be at most ${f.maxLength} characters, got ${[...s].length}`);
      if (f.pattern && !f.pattern.re.test(s)) return add(field, `${f.pattern.hint}, got "${s}"`);
      return s;
    }
    case 'uscc': {
      if (typeof v !== 'string') return add(field, 'must be an 18-character USCC');
      const check = checkUscc(v.trim());
      return check.valid ? v.trim() : add(field, `not a valid USCC "${v}": ${check.reason}`);
    }
    case 'date': {
      if (typeof v !== 'string' || !parseDay(v.trim())) return add(field, `must be a date YYYY-MM-DD, got ${JSON.stringify(v)}`);
      const s = v.trim();
      if (s < EARLIEST_DAY || s > LATEST_DAY) return add(field, `must be between ${EARLIEST_DAY} and ${LATEST_DAY}, got ${s}`);
      return s;
    }
    case 'datetime': {
      const m = typeof v === 'string' ? DATETIME_RE.exec(v.trim()) : null;
      const ms = m ? Date.parse(v as string) : NaN;
      if (!m || !parseDay(m[1]) || Number.isNaN(ms)) {
        return add(field, `must be a date and time with its offset, ISO 8601 (2026-03-01T09:30:00+08:00), got ${JSON.stringify(v)}`);
      }
      const iso = new Date(ms).toISOString();
      if (iso.slice(0, 10) < EARLIEST_DAY || iso.slice(0, 10) > LATEST_DAY) return add(field, `must be between ${EARLIEST_DAY} and ${LATEST_DAY}`);
      return iso;
    }
    case 'decimal': {
      const s = typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' ? v.trim() : null;
      if (s === null || (!DECIMAL_RE.test(s) && !/^-\d+(\.\d+)?$/.test(s))) return add(field, `must be a decimal number like 1234.50, got ${JSON.stringify(v)}`);
      if (s.startsWith('-') && (f.min === undefined || f.min >= 0)) return add(field, `must not be negative, got ${s}`);
      const [whole, frac = ''] = s.replace(/^-/, '').split('.');
      const scale = f.scale ?? 2;
      if (frac.replace(/0+$/, '').length > scale) return add(field, `must have at most ${scale} decimal places${scale === 2 ? ' (fen)' : ''}, got ${s}`);
      if (whole.replace(/^0+/, '').length > INTEGER_DIGITS) return add(field, `must be below 10^${INTEGER_DIGITS}, got ${s}`);
      const d = new Decimal(s);
      if ((f.min !== undefined && d.lt(f.min)) || (f.max !== undefined && d.gt(f.max))) {
        return add(field, `must be between ${f.min ?? 0} and ${f.max ?? `10^${INTEGER_DIGITS}`}, got ${s}`);
      }
      return d.toFixed(scale);
    }
    case 'int': {
      if (typeof v !== 'number' || !Number.isInteger(v)) return add(field, `must be a whole number, got ${JSON.stringify(v)}`);
      const min = f.min ?? INT4.min;
      const max = f.max ?? INT4.max;
      if (v < min || v > max) return add(field, `must be between ${min} and ${max}, got ${v}`);
      return v;
    }
    case 'enum': {
      const allowed = enumValues(f);
      if (typeof v !== 'string' || !allowed.includes(v)) return add(field, `must be one of ${listOfValues(allowed)}; got ${JSON.stringify(v)}`);
      return v;
    }
    case 'textList':
    case 'enumList': {
      // One value where a list is expected is a list of one, as GraphQL's input coercion has it.
      const list = Array.isArray(v) ? v : [v];
      const item = itemOf(f);
      const out: string[] = [];
      let ok = true;
      list.forEach((x, i) => {
        const r = readValue(item, x, joinPath(field, i), add);
        if (r === undefined) ok = false;
        else if (out.includes(r as string)) {
          add(joinPath(field, i), `repeats ${JSON.stringify(r)}`);
          ok = false;
        } else out.push(r as string);
      });
      if (ok && f.required && out.length === 0) return add(field, 'must not be empty');
      return ok ? out : undefined;
    }
    case 'objectList': {
      const shape = f.items!;
      const names = shape.fields.map((g) => g.name);
      const list = Array.isArray(v) ? v : [v];
      const out: Values[] = [];
      let ok = true;
      list.forEach((x, i) => {
        const itemPath = joinPath(field, i);
        if (typeof x !== 'object' || x === null || Array.isArray(x)) {
          add(itemPath, `must be an object { ${names.join(', ')} }`);
          ok = false;
          return;
        }
        const o = x as Record<string, unknown>;
        for (const k of Object.keys(o)) {
          if (!names.includes(k)) {
            add(joinPath(itemPath, k), `is not a field of ${shape.noun} (${names.join(', ')})`);
            ok = false;
          }
        }
        const item: Values = {};
        for (const g of shape.fields) {
          const value = o[g.name];
          if (value === undefined || value === null) {
            if (g.required) {
              add(joinPath(itemPath, g.name), 'is required');
              ok = false;
            } else item[g.name] = null;
            continue;
          }
          const r = readValue(g, value, joinPath(itemPath, g.name), add);
          if (r === undefined) ok = false;
          else item[g.name] = r;
        }
        if (ok) out.push(item);
      });
      return ok ? out : undefined;
    }
    case 'id':
      return add(field, 'is set by the hub');
  }
}

const fieldNames = new WeakMap<readonly FieldDef[], ReadonlySet<string>>();

function namesOf(fields: readonly FieldDef[]): ReadonlySet<string> {
  let names = fieldNames.get(fields);
  if (!names) {
    names = new Set(fields.map((f) => f.name));
    fieldNames.set(fields, names);
  }
  return names;
}

/**
 * Checks every field of `raw` against the type's fields and returns the normalized values of
 * those that passed; each problem names its field under `path`. With `strict`, keys that are not
 * fields are problems too (GraphQL never sends them; a JSON Lines file may).
 */
export function readFields(fields: readonly FieldDef[], raw: unknown, path: string, typeName: string, problems: InputProblem[], strict = true): Values {
  const add: AddProblem = (field, message) => {
    problems.push({ field, message });
    return undefined;
  };
  const values: Values = {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    add(path || '(record)', `must be an object of ${typeName} fields`);
    return values;
  }
  const input = raw as Record<string, unknown>;
  if (strict) {
    const known = namesOf(fields);
    const unknown = Object.keys(input).filter((k) => !known.has(k));
    for (const k of unknown.slice(0, UNKNOWN_KEYS_REPORTED)) add(joinPath(path, k), `is not a field of ${typeName}`);
    if (unknown.length > UNKNOWN_KEYS_REPORTED) add(path || '(record)', `has ${unknown.length - UNKNOWN_KEYS_REPORTED} more keys that are not fields of ${typeName}`);
  }
  for (const f of fields) {
    const v = input[f.name];
    const field = joinPath(path, f.name);
    if (v === undefined || v === null) {
      if (f.required) add(field, 'is required');
      else values[f.name] = f.default ?? (isListKind(f.kind) ? [] : null);
      continue;
    }
    const r = readValue(f, v, field, add);
    if (r !== undefined) values[f.name] = r;
  }
  return values;
}

/** A CSV cell as the field's input value: empty is absent, lists split on ; 、 , and their full-width forms. */
export function fromCell(f: FieldDef | undefined, cell: string): unknown {
  const s = cell.trim();
  if (s === '') return undefined;
  if (!f) return s;
  switch (f.kind) {
    case 'textList':
    case 'enumList':
      return s.split(/[;；、,，]/).map((x) => x.trim()).filter((x) => x !== '');
    case 'int':
      return /^-?\d+$/.test(s) ? Number(s) : s;
    case 'objectList':
      try {
        return JSON.parse(s);
      } catch {
        return s;
      }
    default:
      return s;
  }
}

/** A stored value (as `pg` returns it) in the normalized form `readFields` produces, for comparisons. */
export function fromColumn(f: FieldDef, v: unknown): unknown {
  if (v === null || v === undefined) return isListKind(f.kind) ? [] : null;
  switch (f.kind) {
    case 'date':
      return v instanceof Date ? `${v.getFullYear()}-${String(v.getMonth() + 1).padStart(2, '0')}-${String(v.getDate()).padStart(2, '0')}` : String(v);
    case 'datetime':
      return new Date(v as string | Date).toISOString();
    case 'decimal':
      return new Decimal(String(v)).toFixed(f.scale ?? 2);
    case 'int':
      return Number(v);
    case 'objectList':
      return (v as Array<Record<string, unknown>>).map((o) => Object.fromEntries(f.items!.fields.map((g) => [g.name, fromColumn(g, o[g.name])])));
    case 'textList':
    case 'enumList':
      return [...(v as string[])];
    default:
      return String(v);
  }
}

/** The SQL type a column's values travel as in `unnest` (lists and JSON as text, cast per row). */
export function sqlTypeOf(kind: FieldKind): { param: string; cast: string } {
  switch (kind) {
    case 'date': return { param: 'date', cast: '' };
    case 'datetime': return { param: 'timestamptz', cast: '' };
    case 'decimal': return { param: 'numeric', cast: '' };
    case 'int': return { param: 'int4', cast: '' };
    case 'textList':
    case 'enumList': return { param: 'text', cast: '::text[]' };
    case 'objectList': return { param: 'text', cast: '::jsonb' };
    case 'id': return { param: 'uuid', cast: '' };
    default: return { param: 'text', cast: '' };
  }
}

/** A normalized value as one `unnest` parameter element. */
export function toParam(kind: FieldKind, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (kind === 'textList' || kind === 'enumList') return arrayLiteral(v as string[]);
  if (kind === 'objectList') return JSON.stringify(v);
  return v;
}

/** A PostgreSQL array literal of strings. */
export function arrayLiteral(items: readonly string[]): string {
  return '{' + items.map((s) => '"' + s.replace(/[\\"]/g, (c) => '\\' + c) + '"').join(',') + '}';
}

const KIND_HINT: Partial<Record<FieldKind, string>> = {
  uscc: ' (18-character USCC, check character verified)',
  date: ' (YYYY-MM-DD)',
  datetime: ' (ISO 8601 with offset, e.g. 2026-03-01T09:30:00+08:00)',
  decimal: ' (decimal string in CNY yuan, at most 2 decimal places, e.g. "200000.00")',
};

/**
 * The GraphQL input type of a record type, built from its fields. Every field is a nullable
 * String (Int for whole numbers, a list for lists), and the description says which are required
 * and which values an enum takes: the hub checks all of it itself, so one error reports every
 * problem of an input rather than GraphQL's coercion stopping at a missing field or an unknown
 * enum value. (Batches go further and take their records as JSON: recordJsonScalar.)
 */
export function recordInputType(name: string, description: string, fields: readonly FieldDef[]): ClassType {
  const cls = { [name]: class {} }[name] as ClassType;
  for (const f of fields) {
    const item = f.kind === 'objectList' ? itemInputType(f.items!) : undefined;
    const type = (): unknown => {
      switch (f.kind) {
        case 'int': return Int;
        case 'textList':
        case 'enumList': return [String];
        case 'objectList': return [item];
        default: return String;
      }
    };
    const values = f.kind === 'enum' || f.kind === 'enumList' ? ` One of ${enumValues(f).join(', ')}.` : '';
    // A decimal of another scale (a coordinate, a quantity) is no amount in yuan: its description says what it is.
    const hint = f.kind === 'decimal' && (f.scale !== undefined || f.min !== undefined) ? ` (decimal string, at most ${f.scale ?? 2} decimal places)` : KIND_HINT[f.kind] ?? '';
    const desc = `${f.required ? 'Required. ' : ''}${f.description}${hint}${values}${f.default !== undefined ? ` Default ${JSON.stringify(f.default)}.` : ''}`;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    Field(type as any, { nullable: true, description: desc })(cls.prototype, f.name);
  }
  InputType(name, { description })(cls);
  return cls;
}

const itemInputs = new Map<ItemShape, ClassType>();

/** The GraphQL input type of one item of an `objectList` field, built once per shape. */
function itemInputType(shape: ItemShape): ClassType {
  let cls = itemInputs.get(shape);
  if (!cls) {
    cls = recordInputType(shape.input.name, shape.input.description, shape.fields);
    itemInputs.set(shape, cls);
  }
  return cls;
}

/**
 * The scalar a batch mutation takes its records as: any JSON value, one record of `inputName`'s
 * fields. GraphQL coerces an input object whole, so one record with a number where a String is
 * declared, an unknown field or a null would fail the batch as a request error; as a scalar, each
 * record reaches the hub's own field checks and is accepted or rejected alone, with its index.
 */
export function recordJsonScalar(inputName: string, fields: readonly FieldDef[]): GraphQLScalarType {
  const name = `${inputName}JSON`;
  return new GraphQLScalarType({
    name,
    description: `A ${inputName} as a JSON object (fields ${fields.map((f) => f.name).join(', ')}; see ${inputName} for each). `
      + 'Checked by the hub field by field, so a bad record of a batch is rejected alone with its index and problems.',
    parseValue: (v) => v,
    parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
    serialize: () => {
      throw new TypeError(`${name} is an input type`);
    },
  });
}

/**
 * A calendar day as source systems write it (2026-03-01, 2026/3/1, 20260301, 2026年3月1日, or a
 * date-time whose date part is one of those) as `YYYY-MM-DD`; anything else is returned as is, for
 * the field check to report.
 */
export function looseDay(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const s = v.trim();
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  return m ? `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}` : s;
}
