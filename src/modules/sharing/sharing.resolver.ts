import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { HubContext } from '../../graphql/context';
import { connectionType, PageArgs } from '../../graphql/pagination';
import { ApplyForSharingInput, ApproveSharingInput, EmergencyRead, SharingApplication, SharingApplicationFilter } from './sharing.types';

const SharingApplicationConnection = connectionType(SharingApplication, 'SharingApplication');
const EmergencyReadConnection = connectionType(EmergencyRead, 'EmergencyRead');

/** Sharing applications and the grants they become (docs/sharing.md): thin, one service call each. */
@Resolver()
export class SharingResolver {
  @Query(() => SharingApplicationConnection, { description: 'Sharing applications you are party to (your agency\'s, or for data your jurisdiction provides; all for ZONE), newest first.' })
  sharingApplications(@Arg('filter', () => SharingApplicationFilter, { nullable: true }) filter: SharingApplicationFilter | undefined, @Args() page: PageArgs, @Ctx() ctx: HubContext) {
    return ctx.services.sharing.list(ctx, filter ?? {}, page);
  }

  @Query(() => SharingApplication, { description: 'One sharing application with its history.' })
  sharingApplication(@Arg('id', () => ID) id: string, @Ctx() ctx: HubContext) {
    return ctx.services.sharing.get(ctx, id);
  }

  @Query(() => [SharingApplication], { description: 'Applications awaiting an answer past their due day (督办), for ZONE; oldest due first.' })
  overdueSharingApplications(@Ctx() ctx: HubContext) {
    return ctx.services.sharing.overdue(ctx);
  }

  @Query(() => EmergencyReadConnection, { description: 'Reads of your districts\' conditional data made under X-Purpose: EMERGENCY without a grant, for review afterwards (AUDITOR or DATA_STEWARD).' })
  emergencyReads(@Args() page: PageArgs, @Ctx() ctx: HubContext) {
    return ctx.services.sharing.emergencyReads(ctx, page);
  }

  @Mutation(() => SharingApplication, { description: 'Applies for a conditional catalog resource: items, districts, purpose, scenario, legal basis, period, contact and commitment. The provider answers by dueAt.' })
  applyForSharing(@Arg('input', () => ApplyForSharingInput) input: ApplyForSharingInput, @Ctx() ctx: HubContext) {
    return ctx.services.sharing.apply(ctx, input);
  }

  @Mutation(() => SharingApplication, { description: 'The provider\'s data steward opens the review (SUBMITTED → UNDER_REVIEW).' })
  reviewSharingApplication(@Arg('id', () => ID) id: string, @Ctx() ctx: HubContext) {
    return ctx.services.sharing.review(ctx, id);
  }

  @Mutation(() => SharingApplication, { description: 'The provider\'s data steward approves, in full or in part (fewer items, districts, a shorter period); the grant is ACTIVE from its first day.' })
  approveSharingApplication(@Arg('id', () => ID) id: string, @Arg('input', () => ApproveSharingInput, { nullable: true }) input: ApproveSharingInput | undefined, @Ctx() ctx: HubContext) {
    return ctx.services.sharing.approve(ctx, id, input ?? {});
  }

  @Mutation(() => SharingApplication, { description: 'The provider\'s data steward refuses, with reasons.' })
  rejectSharingApplication(@Arg('id', () => ID) id: string, @Arg('reason') reason: string, @Ctx() ctx: HubContext) {
    return ctx.services.sharing.reject(ctx, id, reason);
  }

  @Mutation(() => SharingApplication, { description: 'The applicant contests a rejection (REJECTED → NEGOTIATION).' })
  negotiateSharingApplication(@Arg('id', () => ID) id: string, @Arg('note') note: string, @Ctx() ctx: HubContext) {
    return ctx.services.sharing.negotiate(ctx, id, note);
  }

  @Mutation(() => SharingApplication, { description: 'Negotiation failed: the applicant or the provider asks ZONE to coordinate (NEGOTIATION → COORDINATION).' })
  escalateSharingApplication(@Arg('id', () => ID) id: string, @Arg('note') note: string, @Ctx() ctx: HubContext) {
    return ctx.services.sharing.escalate(ctx, id, note);
  }

  @Mutation(() => SharingApplication, { description: 'ZONE decides a dispute: approve (optionally in part) or reject finally, with reasons.' })
  coordinateSharingApplication(
    @Arg('id', () => ID) id: string, @Arg('approve') approve: boolean, @Arg('reason') reason: string,
    @Arg('input', () => ApproveSharingInput, { nullable: true }) input: ApproveSharingInput | undefined, @Ctx() ctx: HubContext,
  ) {
    return ctx.services.sharing.coordinate(ctx, id, approve, reason, input ?? {});
  }

  @Mutation(() => SharingApplication, { description: 'The provider or ZONE suspends an active grant, with reasons.' })
  suspendSharingApplication(@Arg('id', () => ID) id: string, @Arg('reason') reason: string, @Ctx() ctx: HubContext) {
    return ctx.services.sharing.suspend(ctx, id, reason);
  }

  @Mutation(() => SharingApplication, { description: 'The provider or ZONE resumes a suspended grant.' })
  resumeSharingApplication(@Arg('id', () => ID) id: string, @Ctx() ctx: HubContext) {
    return ctx.services.sharing.resume(ctx, id);
  }

  @Mutation(() => SharingApplication, { description: 'The provider or ZONE revokes a grant at once, with reasons: reads through it stop.' })
  revokeSharingApplication(@Arg('id', () => ID) id: string, @Arg('reason') reason: string, @Ctx() ctx: HubContext) {
    return ctx.services.sharing.revoke(ctx, id, reason);
  }
}
