import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { HubContext } from '../../graphql/context';
import { UsccScalar } from '../../graphql/scalars';
import { CreditRepairApplication, CreditRepairStatus } from './credit-repair.types';

/** Credit repair (信用修复): applications by the firm's regulator, decisions by the owner district's steward (CreditRepairService). */
@Resolver()
export class CreditRepairResolver {
  @Mutation(() => CreditRepairApplication, {
    description: 'Applies, on the firm\'s behalf, for the early end of the publicity of a serious-dishonesty listing or a penalty decision. '
      + 'By an ENFORCEMENT officer or DATA_STEWARD of the owner district, after the minimum period of the repair rules.',
  })
  applyForCreditRepair(
    @Arg('uscc', () => UsccScalar) uscc: string,
    @Arg('recordNo', { description: 'The listing\'s record number or the penalty\'s decision number.' }) recordNo: string,
    @Arg('evidence', { description: 'What the firm did to correct its conduct (整改情况), and the documents that show it.' }) evidence: string,
    @Ctx() ctx: HubContext,
  ): Promise<CreditRepairApplication> {
    return ctx.services.repair.apply(ctx.principal, uscc, recordNo, evidence);
  }

  @Mutation(() => CreditRepairApplication, { description: 'Approves a repair: the publicity ends today (a listing is REMOVED with REPAIRED on the credit feed). The owner district\'s DATA_STEWARD, not the applicant.' })
  approveCreditRepair(
    @Arg('applicationId', () => ID) applicationId: string,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
    @Ctx() ctx: HubContext,
  ): Promise<CreditRepairApplication> {
    return ctx.services.repair.approve(ctx.principal, applicationId, reason);
  }

  @Mutation(() => CreditRepairApplication, { description: 'Rejects a repair application, with the reasons. The owner district\'s DATA_STEWARD, not the applicant.' })
  rejectCreditRepair(@Arg('applicationId', () => ID) applicationId: string, @Arg('reason') reason: string, @Ctx() ctx: HubContext): Promise<CreditRepairApplication> {
    return ctx.services.repair.reject(ctx.principal, applicationId, reason);
  }

  @Query(() => [CreditRepairApplication], { description: 'Repair applications of the caller\'s own district, newest first (at most 500): the steward\'s worklist.' })
  creditRepairApplications(
    @Arg('status', () => CreditRepairStatus, { nullable: true }) status: CreditRepairStatus | null,
    @Ctx() ctx: HubContext,
  ): Promise<CreditRepairApplication[]> {
    return ctx.services.repair.list(ctx.principal, status ?? null);
  }
}
