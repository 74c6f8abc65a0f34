import 'reflect-metadata';
import type { ClassType } from 'type-graphql';
import type { MaskName, RecordType } from '../../auth/policy';
import { Jurisdiction } from '../../domain/jurisdictions';
import { CursorKind, MaskedOutput, Output, ReadModel, readModel, RowOutput } from '../../read/model';
import { connectionType } from '../../graphql/pagination';
import { FieldDef, recordInputType } from './record-fields';
import { isPersonalObject, outputNameOf, outputNullable, recordObjectType } from './record-graphql';
import type { ImportDialect } from './record-import';
import type { WriteSpec } from './record-writer';
import type { ShapedJson } from '../../graphql/shaped-json';

/**
 * A dossier record type declared once. Each record folder exports one declaration
 * (`<m>.record.ts`: `export const PENALTY = defineRecord({ … })`) holding the type's table, key,
 * order, owner, every field with its column, GraphQL shape, input rules and mask, what is
 * computed from other types, and its write rules. Everything else is derived from it here: the
 * read engine's model, the writer's spec (and so the importer's columns and the seed's rows), and
 * the GraphQL object, connection and input types; the resolvers are built from it in
 * record.resolver.ts and write.resolver.ts. Tables themselves are defined by the migrations.
 */

/**
 * A record as the read engine answers it: its selected fields, as PostgreSQL built them; for a root
 * field answered already shaped, the response's own JSON text (ShapedJson).
 */
export type RecordNode = Record<string, unknown> | ShapedJson;

/** The hub's names of its dossier record types (the registry's, the writer's, the import's). */
export type DossierRecordName = 'enterprise' | 'eia' | 'permit' | 'inspection' | 'penalty' | 'complaint' | 'credit';
/** The joint-enforcement record types (src/modules/enforcement/case.records.ts): written by the case service only, never upserted or imported. */
export type RecordName = DossierRecordName | 'enforcementCase' | 'caseTransfer' | 'evidenceItem' | 'evidenceRecognition' | 'positiveListEntry'
  /** Risk sources and emergency resources (src/modules/emergency/): upserted like dossier records, not imported. */
  | 'riskSource' | 'emergencyResource';

/**
 * One field of a record type, for the one who writes it and the one who reads it. By default a
 * field is both an input field and an output field of the same name, stored in `column`.
 */
export interface RecordField extends FieldDef {
  /** A field of one side only: `input` (an enterprise's district as sent) or `output` (the hub's id, its timestamps). */
  only?: 'input' | 'output';
  /** The output's name where the input's differs (a source's `asOf` is read as `sourceAsOf`). */
  outputName?: string;
  /** Whether the output may be null; by default it may unless the field is required, has a default or is a list. */
  nullable?: boolean;
  /** A personal or sensitive value's mask: the policy's rule (MASK_RULES) and the form shown where it fires. */
  mask?: { rule: MaskName; as: MaskedOutput['as'] };
}

/**
 * Personal values read as one object (a complaint's complainant): each member is an input field of
 * its own, never output as sent, and a field of the object under `as`.
 */
export interface PersonalObject {
  object: string;
  description: string;
  typeName: string;
  typeDescription: string;
  members: ReadonlyArray<RecordField & { as: string }>;
  /** A fired mask is reported for the whole object (`Complaint.complainant`) rather than the member. */
  reportWhole?: boolean;
}

/** An output computed from other record types: a page of the records this one owns, or a compiled value. */
export type ComputedField =
  | { kind: 'connection'; name: string; description: string; target: () => DossierRecord; link?: { parentColumn: string; childColumn: string } }
  | { kind: 'computed'; name: string; description: string; compiler: string; type: () => ClassType; nullable: boolean }
  /** The one record of another type this row names (a decided case's penalty): null when none, or when the caller may not see it. */
  | { kind: 'link'; name: string; description: string; target: () => DossierRecord; parentColumn: string; childColumn: string };

export interface RecordDeclaration {
  name: RecordName;
  recordType: RecordType;
  typeName: string;
  description: string;
  /** Of the input type (`<Type>Input`). */
  inputDescription: string;
  /** Federation directives of the object type (`@key(fields: "uscc")`). */
  directives?: readonly string[];
  table: string;
  /** The root list (`penalties`); also `upsert<Plural>` and the import's `--type` (`credit-records`). */
  plural: string;
  /** The natural key's field, and how the lookup by it names it ("decision document number"). */
  key: { field: string; describedAs: string };
  /** List order by field names, the last one unique; one direction for all. */
  order: { by: readonly string[]; dir: 'ASC' | 'DESC' };
  /** The root list's filters by field name: a date range and a status; `dateLabel` names the date in their text. */
  filters?: { date: string; dateLabel: string; status: string };
  /**
   * For the types an enterprise owns: the enterprise, named in inputs by its `uscc` (right after
   * the key), whose district owns the record, and read as the record's `enterprise`.
   */
  belongsTo?: () => DossierRecord;
  /** For the others, how the owner district is found (an enterprise's: from its USCC). */
  owner?: Exclude<WriteSpec['owner'], 'enterprise'>;
  /** The type's own fields, in order (the shared ones of SOURCED_FIELDS are added: first among outputs, last among inputs). */
  fields: ReadonlyArray<RecordField | PersonalObject>;
  /** Outputs computed from other types, after the fields. */
  computed?: readonly ComputedField[];
  check?: WriteSpec['check'];
  changeOps?: WriteSpec['changeOps'];
  payload?: WriteSpec['payload'];
  /** What a write of this type sets off in the same transaction (a new penalty removes its firm from the positive list). */
  afterWrite?: WriteSpec['afterWrite'];
  /** A published column layout the import also accepts. */
  importDialect?: ImportDialect;
}

/** A declared record type with what is derived from it. */
export interface DossierRecord extends RecordDeclaration {
  /** Input fields in the input type's order: the type's own (personal members included), then the source's. */
  readonly inputs: readonly RecordField[];
  /** Output fields in the object type's order (computed outputs follow, as field resolvers). */
  readonly outputs: ReadonlyArray<RecordField | PersonalObject>;
  readonly model: ReadModel;
  readonly write: WriteSpec;
  /** GraphQL object type, its connection and the input of single upserts. */
  readonly type: ClassType;
  readonly connection: ClassType;
  readonly input: ClassType;
}

/**
 * The columns every dossier record carries: its id and owner district (the policy's anchor),
 * where it came from, when the hub stored and last changed it, and its withdrawal at the source.
 */
export const SOURCED_FIELDS: readonly RecordField[] = [
  { name: 'id', kind: 'id', column: 'id', only: 'output', nullable: false, description: '' },
  {
    name: 'ownerJurisdiction', kind: 'enum', enum: Jurisdiction, column: 'owner_jurisdiction', only: 'output', nullable: false,
    description: 'The district that owns the record and decides who else may read it.',
  },
  { name: 'sourceSystem', kind: 'text', column: 'source_system', required: true, maxLength: 64, description: 'The system the record was taken from.' },
  { name: 'sourceRecordId', kind: 'text', column: 'source_record_id', required: true, maxLength: 64, description: 'The record\'s id in the source system.' },
  {
    name: 'asOf', outputName: 'sourceAsOf', kind: 'datetime', column: 'source_as_of', required: true,
    description: 'When the source system last changed the record. A newer asOf replaces the stored version; an older one is rejected as stale (CONFLICT).',
  },
  { name: 'createdAt', kind: 'datetime', column: 'created_at', only: 'output', nullable: false, description: '' },
  { name: 'updatedAt', kind: 'datetime', column: 'updated_at', only: 'output', nullable: false, description: '' },
  {
    name: 'withdrawnAt', kind: 'datetime', column: 'withdrawn_at', only: 'output',
    description: 'When the record was withdrawn at its source (revoked or corrected); null while it stands.',
  },
  { name: 'withdrawalReason', kind: 'text', column: 'withdrawal_reason', only: 'output', description: 'Why the record was withdrawn, as its source stated it.' },
];

/**
 * `underObjection`, which every record type carries: whether a data objection to the record has
 * been accepted and not yet resolved (docs/objections.md). Computed in the record's own read
 * statement by the objection module's compiler (`compileUnderObjection`), never by a second query.
 */
export const UNDER_OBJECTION: ComputedField = {
  kind: 'computed', name: 'underObjection', compiler: 'underObjection', type: () => Boolean as unknown as ClassType, nullable: false,
  description: 'True while a data objection (数据异议) to this record is accepted and being verified by its owner; `objections(filter: { recordType, key })` shows it.',
};

/** The input naming the enterprise that owns a record; its district owns the record. */
export const ENTERPRISE_USCC: RecordField = {
  name: 'uscc', kind: 'uscc', only: 'input', required: true,
  description: 'USCC of the enterprise the record belongs to; the enterprise must be in the hub.',
};

/** `enterprise` on a record an enterprise owns. */
const ENTERPRISE_PARENT = { name: 'enterprise', description: 'The enterprise; null when the caller may not see it.' };

/** A page of the records of `target` that belong to this one (an enterprise's penalties), in the target's order. */
export function connection(name: string, target: () => DossierRecord, description: string, link?: { parentColumn: string; childColumn: string }): ComputedField {
  return { kind: 'connection', name, target, description, link };
}

/** The parent output and the field resolvers a type has beyond its fields, in the schema's order. */
export function computedOutputs(r: RecordDeclaration): Array<{ name: string; description: string; type: () => ClassType; nullable: boolean; paged: boolean }> {
  const out = (r.computed ?? []).map((c) => c.kind === 'connection'
    ? { name: c.name, description: c.description, type: () => c.target().connection, nullable: false, paged: true }
    : c.kind === 'link'
      ? { name: c.name, description: c.description, type: () => c.target().type, nullable: true, paged: false }
      : { name: c.name, description: c.description, type: c.type, nullable: c.nullable, paged: false });
  const parent = r.belongsTo;
  if (parent) out.push({ ...ENTERPRISE_PARENT, type: () => parent().type, nullable: true, paged: false });
  return out;
}

function cursorKind(f: RecordField): CursorKind {
  if (f.kind === 'date') return 'date';
  if (f.kind === 'datetime') return 'timestamptz';
  return 'text';
}

function rowOutput(f: RecordField, name: string, report: string): RowOutput {
  if (!f.column) throw new Error(`${report} is output but has no column`);
  const withholdable = outputNullable(f);
  return f.mask
    ? { kind: 'masked', name, column: f.column, mask: f.mask.rule, as: f.mask.as, report, withholdable }
    : { kind: 'column', name, column: f.column, value: f.kind, withholdable, ...(f.items ? { items: f.items.fields.map((i) => ({ name: i.name, kind: i.kind })) } : {}) };
}

/** The read engine's outputs of a declared type. */
function modelOutputs(r: RecordDeclaration, outputs: ReadonlyArray<RecordField | PersonalObject>): Output[] {
  const t = r.typeName;
  const out: Output[] = outputs.map((f) => (isPersonalObject(f)
    ? { kind: 'object', name: f.object, fields: f.members.map((m) => rowOutput(m, m.as, f.reportWhole ? `${t}.${f.object}` : `${t}.${f.object}.${m.as}`)) }
    : rowOutput(f, outputNameOf(f), `${t}.${outputNameOf(f)}`)));
  for (const c of r.computed ?? []) {
    if (c.kind === 'link') {
      out.push({ kind: 'parent', name: c.name, target: () => c.target().model, parentColumn: c.parentColumn, childColumn: c.childColumn });
      continue;
    }
    out.push(c.kind === 'connection'
      ? { kind: 'connection', name: c.name, target: () => c.target().model, parentColumn: c.link?.parentColumn ?? 'id', childColumn: c.link?.childColumn ?? 'enterprise_id' }
      : { kind: 'computed', name: c.name, computed: c.compiler });
  }
  const parent = r.belongsTo;
  if (parent) out.push({ kind: 'parent', name: ENTERPRISE_PARENT.name, target: () => parent().model, parentColumn: 'enterprise_id', childColumn: 'id' });
  return out;
}

/** Declares a record type: checks the declaration and derives its read model, write spec and GraphQL types. */
export function defineRecord(declared: RecordDeclaration): DossierRecord {
  // Every record type may be under objection: the one computed output all types share.
  const r: RecordDeclaration = { ...declared, computed: [...(declared.computed ?? []), UNDER_OBJECTION] };
  if (!r.belongsTo === !r.owner) throw new Error(`${r.typeName}: a record type either belongs to an enterprise or has an owner rule`);
  const own = [...r.fields];
  if (r.belongsTo) {
    const at = own.findIndex((f) => !isPersonalObject(f) && f.name === r.key.field);
    own.splice(at + 1, 0, ENTERPRISE_USCC);
  }
  const inputs: RecordField[] = [
    ...own.flatMap((f) => (isPersonalObject(f) ? f.members.map((m): RecordField => ({ ...m, personal: true })) : f.only === 'output' ? [] : [f])),
    ...SOURCED_FIELDS.filter((f) => f.only !== 'output'),
  ];
  const outputs = [...SOURCED_FIELDS, ...own].filter((f) => isPersonalObject(f) || f.only !== 'input');

  const seen = new Set<string>();
  for (const f of inputs) {
    if (seen.has(f.name)) throw new Error(`${r.typeName}: input field ${f.name} is declared twice`);
    seen.add(f.name);
  }
  /** A stored field by its (input or output) name. */
  const stored = (name: string): RecordField => {
    const f = [...inputs, ...outputs].find((x): x is RecordField => !isPersonalObject(x) && x.column !== undefined && (x.name === name || x.outputName === name));
    if (!f) throw new Error(`${r.typeName}: no stored field ${name}`);
    return f;
  };
  const key = stored(r.key.field);
  const order = r.order.by.map(stored);
  const date = r.filters ? stored(r.filters.date) : undefined;

  const model = readModel({
    recordType: r.recordType,
    typeName: r.typeName,
    table: r.table,
    key: { field: r.key.field, column: key.column! },
    order: { columns: order.map((f) => ({ column: f.column!, kind: cursorKind(f) })), dir: r.order.dir },
    filters: r.filters ? { dateColumn: date!.column, dateKind: date!.kind === 'datetime' ? 'timestamptz' : 'date', statusColumn: stored(r.filters.status).column } : {},
    outputs: modelOutputs(r, outputs),
    enterpriseColumn: r.belongsTo ? 'enterprise_id' : r.recordType === 'ENTERPRISE' ? 'id' : undefined,
  });
  const write: WriteSpec = {
    name: r.name,
    recordType: r.recordType,
    typeName: r.typeName,
    inputName: `${r.typeName}Input`,
    table: r.table,
    key: r.key.field,
    fields: inputs,
    order: order.map((f) => f.column!),
    check: r.check,
    owner: r.belongsTo ? 'enterprise' : r.owner!,
    changeOps: r.changeOps,
    payload: r.payload,
    afterWrite: r.afterWrite,
    dependents: () => (r.computed ?? []).flatMap((c) => (c.kind === 'connection' && !c.link ? [c.target().table] : [])),
  };
  const type = recordObjectType(r, outputs);
  return {
    ...r, inputs, outputs, model, write, type,
    connection: connectionType(type, r.typeName),
    input: recordInputType(write.inputName, r.inputDescription, inputs),
  };
}
