import { DateResolver } from 'graphql-scalars';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, Field, InputType, Info, Query, Resolver } from 'type-graphql';
import { Jurisdiction } from '../../domain/jurisdictions';
import type { HubContext } from '../../graphql/context';
import { PageArgs } from '../../graphql/pagination';
import { UsccScalar } from '../../graphql/scalars';
import { INSPECTION } from './inspection.record';
import { untriggeredOnsiteCondition } from './positive-list-flag';

@InputType({ description: 'Narrows the flaggedInspections list; all given conditions must hold.' })
class FlaggedInspectionFilter {
  @Field(() => Jurisdiction, { nullable: true, description: 'Owner district, or a province / ZONE for the districts it covers.' })
  jurisdiction?: Jurisdiction;

  @Field(() => DateResolver, { nullable: true, description: 'Inspection date on or after this date.' })
  from?: Date;

  @Field(() => DateResolver, { nullable: true, description: 'Inspection date on or before this date.' })
  to?: Date;

  @Field(() => UsccScalar, { nullable: true, description: 'Only inspections of this enterprise.' })
  uscc?: string;
}

/** The inspections that break the positive list's promise, for the owner district and the province and ZONE above it. */
@Resolver()
export class FlaggedInspectionResolver {
  @Query(() => INSPECTION.connection, {
    description: 'Inspections with `untriggeredOnsiteOfListedFirm`: ONSITE and PLANNED (no trigger), of a firm whose positive-list entry was ACTIVE on the inspection day. Newest first, as far as the caller may read inspections (the owner district; a province or ZONE for the districts it covers).',
  })
  flaggedInspections(@Arg('filter', () => FlaggedInspectionFilter, { nullable: true }) filter: FlaggedInspectionFilter | undefined, @Args() page: PageArgs, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo) {
    return ctx.services.dossier.list(ctx, INSPECTION.model, filter ?? {}, page, info, () => [untriggeredOnsiteCondition('t')]);
  }
}
