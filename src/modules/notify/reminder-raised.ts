import { Arg, Field, InputType, Resolver, Root, Subscription } from 'type-graphql';
import { isDistrict } from '../../domain/jurisdictions';
import type { HubContext } from '../../graphql/context';
import { badInput } from '../../graphql/errors';
import { ComplianceReminder, REMINDERS_CHANNEL, ReminderKind } from '../reminders';
import { LiveContext, liveEvents } from './live-events';

@InputType({ description: 'Narrows complianceReminderRaised; every part optional. The policy decides each reminder in any case.' })
export class ComplianceReminderRaisedFilter {
  @Field(() => [ReminderKind], { nullable: true }) kinds?: ReminderKind[] | null;
  @Field(() => String, { nullable: true, description: 'Addressed district (the reminder\'s owner): QINGPU, WUJIANG or JIASHAN.' }) jurisdiction?: string | null;
}

/**
 * The reminder a notice on `eco_hub_reminders` is about, as the subscriber may read it: the
 * notice's keys are matched against the filter first (nothing is read for an event the filter
 * drops), then the reminder is re-read by the `complianceReminders` query's own scoped read
 * (`reminderReadScope`), which audits it. A subscriber that may not read it hears nothing of it.
 */
export function reminderEvent(n: Record<string, unknown>, ctx: LiveContext, filter: ComplianceReminderRaisedFilter | null | undefined): Promise<ComplianceReminder | null> | null {
  if (typeof n.id !== 'string') return null;
  if (filter?.kinds?.length && !filter.kinds.includes(n.kind as ReminderKind)) return null;
  if (filter?.jurisdiction && filter.jurisdiction !== n.ownerJurisdiction) return null;
  return ctx.services.reminders.readOne(ctx, n.id);
}

@Resolver()
export class ComplianceReminderRaisedResolver {
  @Subscription(() => ComplianceReminder, {
    description: 'Compliance reminders you may read (as `complianceReminders` lists them), each as it is delivered by the reminder job on any hub instance. Over WebSocket (graphql-ws) at /graphql.',
    subscribe: ({ args, context }) => {
      const filter = (args as { filter?: ComplianceReminderRaisedFilter | null }).filter;
      if (filter?.jurisdiction !== undefined && filter?.jurisdiction !== null && !isDistrict(filter.jurisdiction)) {
        throw badInput('filter.jurisdiction', `must be QINGPU, WUJIANG or JIASHAN, got "${filter.jurisdiction}"`);
      }
      return liveEvents(context as HubContext, REMINDERS_CHANNEL, (notice, ctx) => reminderEvent(notice, ctx, filter));
    },
  })
  complianceReminderRaised(@Root() reminder: ComplianceReminder, @Arg('filter', () => ComplianceReminderRaisedFilter, { nullable: true }) _filter?: ComplianceReminderRaisedFilter): ComplianceReminder {
    return reminder;
  }
}
