import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { readScope, RecordType } from '../../auth/policy';
import { isDistrict } from '../../domain/jurisdictions';
import type { HubContext } from '../../graphql/context';
import { forbidden } from '../../graphql/errors';
import { UsccScalar } from '../../graphql/scalars';
import { CreditStatus } from './credit-status';

/**
 * `creditStatus(uscc)`: the credit status of one enterprise on its own, for callers such as the
 * Credit Yangtze Delta platform that read credit records but not the rest of the dossier.
 */
@Resolver()
export class CreditStatusResolver {
  @Query(() => CreditStatus, { nullable: true, description: 'Latest credit evaluation and any serious-dishonesty listing in force; null for an unknown USCC.' })
  async creditStatus(@Arg('uscc', () => UsccScalar) uscc: string, @Ctx() ctx: HubContext): Promise<CreditStatus | null> {
    const found = await ctx.services.enterprises.idOf(uscc);
    if (!found) return null;
    const scope = readScope(ctx, RecordType.CREDIT_RECORD);
    const d = isDistrict(found.owner) ? scope.decisions.get(found.owner) : undefined;
    if (!d?.allowed) {
      ctx.audit.denied(RecordType.CREDIT_RECORD, found.owner);
      throw forbidden(`credit records of ${found.owner} are not readable by this principal`, {
        rule: d?.rule ?? 'unknownOwner', recordType: RecordType.CREDIT_RECORD, ownerJurisdiction: found.owner,
        ...(d?.requiredRoles ? { requiredRoles: d.requiredRoles } : {}), ...(d?.allowedPurposes ? { allowedPurposes: d.allowedPurposes } : {}),
      });
    }
    return ctx.loaders.creditStatus.load(found.id);
  }
}
