import type { GraphQLObjectType, GraphQLResolveInfo } from 'graphql';
import { getNamedType } from 'graphql';
import { Arg, Ctx, Info, Query, Resolver } from 'type-graphql';
import { readScope, RecordType } from '../../auth/policy';
import { isDistrict } from '../../domain/jurisdictions';
import type { HubContext } from '../../graphql/context';
import { UsccScalar } from '../../graphql/scalars';
import { ENTERPRISE } from '../enterprise/enterprise.record';
import { CreditStatus } from './credit-status';
import { compileCreditStatus } from './credit-status.read';

/**
 * `creditStatus(uscc)`: the credit status of one enterprise on its own, for callers such as the
 * Credit Yangtze Delta platform that read credit records but not the rest of the dossier. One
 * statement: the enterprise is only the anchor (none of its own data is released).
 */
@Resolver()
export class CreditStatusResolver {
  @Query(() => CreditStatus, { nullable: true, description: 'Latest credit evaluation and any serious-dishonesty listing in force; null for an unknown USCC, FORBIDDEN when the caller may not read the owner\'s credit records.' })
  async creditStatus(@Arg('uscc', () => UsccScalar) uscc: string, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo): Promise<CreditStatus | null> {
    const type = getNamedType(info.returnType) as GraphQLObjectType;
    const field = { key: info.fieldName, responseKey: info.fieldName, field: info.parentType.getFields()[info.fieldName], args: {}, nodes: [...info.fieldNodes] };
    const data = (await ctx.read.custom(info, (c) => {
      const anchor = c.anchor(ENTERPRISE.model, 'uscc', uscc, []);
      const status = compileCreditStatus(c, anchor, field, true);
      return `SELECT (SELECT json_build_array(r.owner_jurisdiction, ${status.expr}) FROM ${anchor.rows} r ${status.joins.join(' ')}) AS data`;
    }, type)) as [string, CreditStatus | null] | null;
    if (!data) return null;
    const [owner, status] = data;
    if (!isDistrict(owner) || !readScope(ctx, RecordType.CREDIT_RECORD).districts.includes(owner)) {
      // The statement audited the refusal.
      throw ctx.read.forbidden({ ...ENTERPRISE.model, recordType: RecordType.CREDIT_RECORD }, `of ${uscc}`, owner);
    }
    return status;
  }
}
