import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { HubContext } from '../../graphql/context';
import { Page, PageArgs } from '../../graphql/pagination';
import { ComplianceReminder, ComplianceReminderConnection, ReminderFilter } from './reminder.types';

/** Compliance reminders: the scoped list and the addressee's two actions; rules and SQL live in ReminderService. */
@Resolver(() => ComplianceReminder)
export class ReminderResolver {
  @Query(() => ComplianceReminderConnection, { description: 'Compliance reminders the caller may read (the addressed district, its province, ZONE; other districts as the catalog terms allow), most urgent first. Listing does not mark them read.' })
  complianceReminders(@Arg('filter', () => ReminderFilter, { nullable: true }) filter: ReminderFilter | undefined, @Args() page: PageArgs, @Ctx() ctx: HubContext): Promise<Page<ComplianceReminder>> {
    return ctx.services.reminders.list(ctx, filter ?? {}, page);
  }

  @Mutation(() => ComplianceReminder, { description: 'The addressee (the owner district; ENFORCEMENT, DATA_STEWARD or ADMIN) marks a reminder read; only the first mark is recorded.' })
  markComplianceReminderRead(@Arg('id', () => ID) id: string, @Ctx() ctx: HubContext): Promise<ComplianceReminder> {
    return ctx.services.reminders.markRead(ctx, id);
  }

  @Mutation(() => ComplianceReminder, { description: 'The addressee acknowledges an OPEN reminder, with a note (marks it read too); once only.' })
  acknowledgeComplianceReminder(@Arg('id', () => ID) id: string, @Arg('note', () => String, { nullable: true }) note: string | undefined, @Ctx() ctx: HubContext): Promise<ComplianceReminder> {
    return ctx.services.reminders.acknowledge(ctx, id, note ?? undefined);
  }
}
