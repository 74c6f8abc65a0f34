import { DateResolver } from 'graphql-scalars';
import type { GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import { isObjectType } from 'graphql';
import { Arg, Args, Ctx, Field, FieldResolver, Info, InputType, Query, Resolver, Root } from 'type-graphql';
import { Jurisdiction } from '../../domain/jurisdictions';
import type { HubContext } from '../../graphql/context';
import { PageArgs } from '../../graphql/pagination';
import { UsccScalar } from '../../graphql/scalars';
import { computedOutputs, DossierRecord, RecordField } from './record-declaration';
import { readByResponseKey } from '../../graphql/preshaped';

/** The GraphQL type of a key argument: a USCC is checked as one, any other key is a string. */
export function keyArgType(r: DossierRecord) {
  const key = r.inputs.find((f: RecordField) => f.name === r.key.field)!;
  return key.kind === 'uscc' ? UsccScalar : String;
}

/**
 * The field resolvers of a type's computed outputs (its `enterprise`, an enterprise's record lists
 * and credit status): the read engine has already built each into the record's JSON, under the
 * field's name, or under its response key where the field takes arguments (two aliases may ask for
 * different pages).
 */
function readComputed(c: { name: string; paged: boolean }) {
  return c.paged
    ? (root: Record<string, unknown>, _page: unknown, info: GraphQLResolveInfo) => root[info.path.key as string]
    : (root: Record<string, unknown>) => root[c.name];
}

export function computedFieldResolver(r: DossierRecord): Function {
  const cls = { [`${r.typeName}Computed`]: class {} }[`${r.typeName}Computed`];
  for (const c of computedOutputs(r)) {
    const read = readComputed(c);
    Object.defineProperty(cls.prototype, c.name, { value: read, writable: true, configurable: true });
    Root()(cls.prototype, c.name, 0);
    if (c.paged) {
      Args(() => PageArgs)(cls.prototype, c.name, 1);
      Info()(cls.prototype, c.name, 2);
    }
    FieldResolver(c.type, { nullable: c.nullable, description: c.description })(cls.prototype, c.name, Object.getOwnPropertyDescriptor(cls.prototype, c.name)!);
  }
  Resolver(() => r.type)(cls);
  return cls;
}

/**
 * The thin resolvers of one enterprise-owned record type: lookup by natural key, the filtered root
 * list, and its computed fields. Rules and SQL live in DossierService, the read engine and the policy.
 */
export function createRecordResolver(r: DossierRecord): Function[] {
  const f = r.filters!;
  const statusEnum = r.inputs.find((x) => x.name === f.status)!.enum!;

  @InputType(`${r.typeName}Filter`, { description: `Narrows the ${r.plural} list; all given conditions must hold.` })
  class Filter {
    @Field(() => Jurisdiction, { nullable: true, description: 'Owner district, or a province / ZONE for the districts it covers.' })
    jurisdiction?: Jurisdiction;

    @Field(() => DateResolver, { nullable: true, description: `${f.dateLabel} on or after this date.` })
    from?: Date;

    @Field(() => DateResolver, { nullable: true, description: `${f.dateLabel} on or before this date.` })
    to?: Date;

    @Field(() => statusEnum, { nullable: true, description: `Only records with this ${f.status}.` })
    status?: string;

    @Field(() => UsccScalar, { nullable: true, description: 'Only records of this enterprise.' })
    uscc?: string;
  }

  @Resolver(() => r.type)
  class RecordResolver {
    @Query(() => r.type, { name: r.typeName[0].toLowerCase() + r.typeName.slice(1), nullable: true, description: `One ${r.typeName} by ${r.key.describedAs}; null when there is none, FORBIDDEN when the policy hides it.` })
    one(@Arg(r.key.field, () => keyArgType(r)) key: string, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo): Promise<unknown> {
      return ctx.services.dossier.get(ctx, r.model, key, info);
    }

    @Query(() => r.connection, { name: r.plural, description: `${r.typeName} records across enterprises, newest first, as far as the caller may see.` })
    list(@Arg('filter', () => Filter, { nullable: true }) filter: Filter | undefined, @Args() page: PageArgs, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo) {
      return ctx.services.dossier.list(ctx, r.model, filter ?? {}, page, info);
    }
  }

  return [RecordResolver, computedFieldResolver(r)];
}

/**
 * After the schema is built: the computed outputs of every record type read the engine's JSON
 * directly. type-graphql declares them (arguments, types, descriptions), but the resolver it wraps
 * around each one converts the page arguments into a class instance and runs the middleware chain
 * on every call — for a list page, once per enterprise and list, a few hundred times per request —
 * to hand them to a function that ignores them (the engine checked the arguments when it compiled
 * the statement). The answers are the same; `test/api/executor.test.ts` holds both executors to them.
 */
export function readComputedOutputsDirectly(schema: GraphQLSchema, records: readonly DossierRecord[]): GraphQLSchema {
  for (const r of records) {
    const type = schema.getType(r.typeName);
    if (!isObjectType(type)) throw new Error(`record type ${r.typeName} is not an object type of the schema`);
    const fields = type.getFields();
    for (const c of computedOutputs(r)) {
      if (!fields[c.name]) throw new Error(`${r.typeName}.${c.name} is not in the schema`);
      // Paged outputs by response key; the others by name, which graphql-js's default resolver does.
      fields[c.name].resolve = c.paged ? readByResponseKey : undefined;
    }
  }
  return schema;
}
