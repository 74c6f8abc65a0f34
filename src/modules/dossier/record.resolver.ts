import { DateResolver } from 'graphql-scalars';
import { Arg, Args, ClassType, Ctx, Field, FieldResolver, Info, InputType, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { ReadModel } from '../../read/model';
import { Jurisdiction } from '../../domain/jurisdictions';
import type { HubContext } from '../../graphql/context';
import { connectionType, PageArgs } from '../../graphql/pagination';
import { UsccScalar } from '../../graphql/scalars';
import { Enterprise } from '../enterprise/enterprise.entity';
import { EnterpriseRecord } from './sourced-record';

export interface RecordResolverOptions<T extends EnterpriseRecord> {
  /** The read engine's model of the type (its `<m>.record.ts`), read lazily: the models refer to each other. */
  model: () => ReadModel;
  type: ClassType<T>;
  /** GraphQL type name, used for the connection and filter names. */
  typeName: string;
  /** Root field of the lookup by natural key, and its argument. */
  single: string;
  keyArg: string;
  keyDescription: string;
  /** Root field of the list. */
  plural: string;
  statusEnum: object;
  statusName: string;
  dateName: string;
}

/**
 * Builds the thin resolver of one enterprise-owned record type: lookup by natural key, filtered
 * root list, and the `enterprise` field. Rules and SQL live in DossierService and the policy.
 */
export function createRecordResolver<T extends EnterpriseRecord>(o: RecordResolverOptions<T>) {
  @InputType(`${o.typeName}Filter`, { description: `Narrows the ${o.plural} list; all given conditions must hold.` })
  class Filter {
    @Field(() => Jurisdiction, { nullable: true, description: 'Owner district, or a province / ZONE for the districts it covers.' })
    jurisdiction?: Jurisdiction;

    @Field(() => DateResolver, { nullable: true, description: `${o.dateName} on or after this date.` })
    from?: Date;

    @Field(() => DateResolver, { nullable: true, description: `${o.dateName} on or before this date.` })
    to?: Date;

    @Field(() => o.statusEnum, { nullable: true, description: `Only records with this ${o.statusName}.` })
    status?: string;

    @Field(() => UsccScalar, { nullable: true, description: 'Only records of this enterprise.' })
    uscc?: string;
  }

  const Connection = connectionType(o.type, o.typeName);

  @Resolver(() => o.type)
  class RecordResolver {
    @Query(() => o.type, { name: o.single, nullable: true, description: `One ${o.typeName} by ${o.keyDescription}; null when there is none, FORBIDDEN when the policy hides it.` })
    one(@Arg(o.keyArg, () => String) key: string, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo): Promise<T | null> {
      return ctx.services.dossier.get<T>(ctx, o.model(), key, info);
    }

    @Query(() => Connection, { name: o.plural, description: `${o.typeName} records across enterprises, newest first, as far as the caller may see.` })
    list(@Arg('filter', () => Filter, { nullable: true }) filter: Filter | undefined, @Args() page: PageArgs, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo) {
      return ctx.services.dossier.list(ctx, o.model(), filter ?? {}, page, info);
    }

    @FieldResolver(() => Enterprise, { nullable: true, description: 'The enterprise; null when the caller may not see it.' })
    enterprise(@Root() record: T): Enterprise | null {
      // Built by the read engine into the record's JSON.
      return (record as unknown as { enterprise: Enterprise | null }).enterprise;
    }
  }

  return { Resolver: RecordResolver, Connection };
}
