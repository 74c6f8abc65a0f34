import type { MaskName, RecordType } from '../auth/policy';
import type { FieldKind } from '../modules/dossier/record-fields';

/**
 * How the read engine sees a record type: its table, natural key, list order, owner column, and
 * for each GraphQL output field how PostgreSQL computes it. Derived from the record type's one
 * declaration (`<m>.record.ts`, src/modules/dossier/record-declaration.ts); the engine writes every
 * statement from it and from nothing else.
 */

/** The SQL kind of a cursor value, for casting it back in a keyset condition. */
export type CursorKind = 'text' | 'date' | 'timestamptz';

/** How a value is written into the JSON PostgreSQL builds (numeric travels as text: no float ever rounds an amount). */
export type ValueKind = FieldKind;

export interface ColumnOutput {
  kind: 'column';
  name: string;
  column: string;
  value: ValueKind;
  /** Whether the output may be null, so a grant that leaves its item out can withhold it. */
  withholdable?: boolean;
  /** An item list's (`objectList`) item fields: JSON keys and kinds, for an answer written as the response itself. */
  items?: ReadonlyArray<{ name: string; kind: FieldKind }>;
}

/** A personal or sensitive value, shown in full where the policy's mask rule says, masked (or null) elsewhere. */
export interface MaskedOutput {
  kind: 'masked';
  name: string;
  column: string;
  mask: MaskName;
  /** The field named in `extensions.policy.masked` when the mask fires (`Complaint.complainant`). */
  report: string;
  /** How the masked form is written: a SQL function of the hub's (`hub_mask_*`), or null (the value is withheld). */
  as: 'name' | 'phone' | 'id' | 'withheld';
  withholdable?: boolean;
}

/** An object built from columns of the same row (a complaint's complainant). */
export interface ObjectOutput {
  kind: 'object';
  name: string;
  fields: readonly RowOutput[];
}

/** A page of another record type whose rows point at this one (an enterprise's penalties). */
export interface ConnectionOutput {
  kind: 'connection';
  name: string;
  target: () => ReadModel;
  /** Column of this row the children point at, and the children's column that points. */
  parentColumn: string;
  childColumn: string;
}

/** The one record of another type this row points at (a penalty's enterprise); null when hidden. */
export interface ParentOutput {
  kind: 'parent';
  name: string;
  target: () => ReadModel;
  parentColumn: string;
  childColumn: string;
}

/** Something computed from other record types, compiled by its own function (an enterprise's credit status). */
export interface ComputedOutput {
  kind: 'computed';
  name: string;
  computed: string;
}

export type RowOutput = ColumnOutput | MaskedOutput | ObjectOutput;
export type Output = RowOutput | ConnectionOutput | ParentOutput | ComputedOutput;

export interface ReadModel {
  recordType: RecordType;
  /** GraphQL object type the model serves. */
  typeName: string;
  table: string;
  /** Natural key: the GraphQL field and argument, and its column. */
  key: { field: string; column: string };
  /** List order, the last column unique; one direction for all. */
  order: { columns: ReadonlyArray<{ column: string; kind: CursorKind }>; dir: 'ASC' | 'DESC' };
  /** Column of the owner district (the policy's anchor). */
  ownerColumn: string;
  /** Whether withdrawn records (withdrawn_at set) leave lists; a lookup by key still finds them. */
  withdrawable: boolean;
  /** Columns of the root list's date range and status filters. */
  filters: { dateColumn?: string; dateKind?: 'date' | 'timestamptz'; statusColumn?: string };
  /** Output fields by GraphQL field name. */
  outputs: ReadonlyMap<string, Output>;
  /** The column naming the enterprise a record is about (its own `id` for an enterprise): the audit log keeps it, so an owner can ask who read a firm's dossier. */
  enterpriseColumn?: string;
}

export interface ModelDeclaration extends Omit<ReadModel, 'outputs' | 'ownerColumn' | 'withdrawable'> {
  ownerColumn?: string;
  withdrawable?: boolean;
  outputs: readonly Output[];
}

/** Builds a read model, refusing two outputs of one name (a field declared twice is a mistake). */
export function readModel(d: ModelDeclaration): ReadModel {
  const outputs = new Map<string, Output>();
  for (const o of d.outputs) {
    if (outputs.has(o.name)) throw new Error(`${d.typeName}.${o.name} is declared twice`);
    outputs.set(o.name, o);
  }
  return { ...d, ownerColumn: d.ownerColumn ?? 'owner_jurisdiction', withdrawable: d.withdrawable ?? true, outputs };
}
