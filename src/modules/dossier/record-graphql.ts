import { DateResolver, DateTimeResolver } from 'graphql-scalars';
import { ClassType, Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { DecimalScalar, UsccScalar } from '../../graphql/scalars';
import { FieldDef, isListKind, ItemShape } from './record-fields';
import type { PersonalObject, RecordDeclaration, RecordField } from './record-declaration';

/**
 * The GraphQL object types of a declared record type, built from its fields as
 * `recordInputType` builds its input: each field's output type follows from its kind. Their fields
 * read plain properties (`simpleResolvers`: graphql-js's default resolver, not a wrapper per field),
 * so a compiled executor reads them inline and an answer can be shaped without execution
 * (src/graphql/preshaped.ts).
 */

export function isPersonalObject(f: RecordField | PersonalObject): f is PersonalObject {
  return 'object' in f;
}

/** The name of a field's output. */
export function outputNameOf(f: RecordField): string {
  return f.outputName ?? f.name;
}

/** Whether a field's output may be null: unless the field says, only where it is neither required, defaulted nor a list. */
export function outputNullable(f: FieldDef & { nullable?: boolean }): boolean {
  return f.nullable ?? !(f.required || f.default !== undefined || isListKind(f.kind));
}

function namedClass(name: string): ClassType {
  return { [name]: class {} }[name] as ClassType;
}

const itemOutputs = new Map<ItemShape, ClassType>();

/** The object type of one item of an `objectList` field (an inspection's step), built once per shape. */
function itemOutputType(shape: ItemShape): ClassType {
  let cls = itemOutputs.get(shape);
  if (!cls) {
    const c = namedClass(shape.output.name);
    for (const f of shape.fields) addField(c, f, f.name, outputNullable(f));
    ObjectType(shape.output.name, { simpleResolvers: true, description: shape.output.description })(c);
    itemOutputs.set(shape, c);
    cls = c;
  }
  return cls;
}

/** The GraphQL output type of a field's kind. */
export function outputTypeOf(f: FieldDef): () => unknown {
  switch (f.kind) {
    case 'id': return () => ID;
    case 'uscc': return () => UsccScalar;
    case 'date': return () => DateResolver;
    case 'datetime': return () => DateTimeResolver;
    case 'decimal': return () => DecimalScalar;
    case 'int': return () => Int;
    case 'enum': return () => f.enum;
    case 'textList': return () => [String];
    case 'enumList': return () => [f.enum];
    case 'objectList': {
      // Built now: type-graphql takes no new types once it builds the schema.
      const item = itemOutputType(f.items!);
      return () => [item];
    }
    case 'text': return () => String;
  }
}

function addField(cls: ClassType, f: FieldDef, name: string, nullable: boolean): void {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  Field(outputTypeOf(f) as any, { nullable, description: f.description || undefined })(cls.prototype, name);
}

/** The object of a type's personal values (a complaint's complainant): every member may be masked, so nullable. */
function personalType(o: PersonalObject): ClassType {
  const cls = namedClass(o.typeName);
  for (const m of o.members) addField(cls, m, m.as, true);
  ObjectType(o.typeName, { simpleResolvers: true, description: o.typeDescription })(cls);
  return cls;
}

/** The object type of a record type: its outputs in order, with its federation directives. */
export function recordObjectType(r: RecordDeclaration, outputs: ReadonlyArray<RecordField | PersonalObject>): ClassType {
  const cls = namedClass(r.typeName);
  for (const f of outputs) {
    if (isPersonalObject(f)) {
      const personal = personalType(f);
      Field(() => personal, { nullable: true, description: f.description })(cls.prototype, f.object);
    } else {
      addField(cls, f, outputNameOf(f), outputNullable(f));
    }
  }
  for (const d of r.directives ?? []) Directive(d)(cls);
  ObjectType(r.typeName, { simpleResolvers: true, description: r.description })(cls);
  return cls;
}
