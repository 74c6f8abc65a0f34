import { Arg, Args, Ctx, Query, Resolver } from 'type-graphql';
import type { HubContext } from '../../graphql/context';
import { connectionType, PageArgs } from '../../graphql/pagination';
import { AuditEvent } from './audit-event.entity';
import { AuditFilter } from './audit.service';

const AuditEventConnection = connectionType(AuditEvent, 'AuditEvent');

@Resolver()
export class AuditResolver {
  @Query(() => AuditEventConnection, { description: 'Who read the records of the districts you audit (AUDITOR role), newest first.' })
  auditEvents(@Arg('filter', () => AuditFilter, { nullable: true }) filter: AuditFilter | undefined, @Args() page: PageArgs, @Ctx() ctx: HubContext) {
    return ctx.services.audit.list(ctx.principal, filter ?? {}, page);
  }
}
