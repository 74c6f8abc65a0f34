import { Arg, Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { HubContext } from '../../graphql/context';
import { PageArgs } from '../../graphql/pagination';
import {
  DataObjection, DataObjectionConnection, ObjectionFilter, ObjectionStepArgs, RaiseObjectionArgs, ResolveObjectionArgs,
} from './objection.types';

/** Thin resolvers of data objections: one service call each; the rules are in policy.ts and ObjectionService. */
@Resolver()
export class ObjectionResolver {
  @Query(() => DataObjectionConnection, { description: 'Data objections the caller may see, newest first: those it raised, all to records of its district when it is their DATA_STEWARD, and the accepted ones to records it may read.' })
  objections(@Arg('filter', () => ObjectionFilter, { nullable: true }) filter: ObjectionFilter | undefined, @Args() page: PageArgs, @Ctx() ctx: HubContext) {
    return ctx.services.objections.list(ctx, filter ?? {}, page);
  }

  @Mutation(() => DataObjection, { description: 'Disputes fields of a record the caller may read (FORBIDDEN otherwise). One open objection per record and field (CONFLICT, rule objection.oneOpenPerField).' })
  raiseObjection(@Args() args: RaiseObjectionArgs, @Ctx() ctx: HubContext): Promise<DataObjection> {
    return ctx.services.objections.raise(ctx, args);
  }

  @Mutation(() => DataObjection, { description: 'The owner district\'s DATA_STEWARD accepts a RAISED objection: the record shows underObjection: true to every reader.' })
  acceptObjection(@Args() args: ObjectionStepArgs, @Ctx() ctx: HubContext): Promise<DataObjection> {
    return ctx.services.objections.accept(ctx, args.id, args.note);
  }

  @Mutation(() => DataObjection, { description: 'The owner district\'s DATA_STEWARD records that it is verifying a FLAGGED objection (optional step; the record stays flagged).' })
  verifyObjection(@Args() args: ObjectionStepArgs, @Ctx() ctx: HubContext): Promise<DataObjection> {
    return ctx.services.objections.verify(ctx, args.id, args.note);
  }

  @Mutation(() => DataObjection, { description: 'The owner district\'s DATA_STEWARD resolves a FLAGGED or VERIFYING objection: CORRECTED writes `corrected` through the normal write path, REJECTED keeps the record; either way with reasons, then the flag is removed and the objection archived.' })
  resolveObjection(@Args() args: ResolveObjectionArgs, @Ctx() ctx: HubContext): Promise<DataObjection> {
    return ctx.services.objections.resolve(ctx, args);
  }
}
