import { Arg, Field, InputType, registerEnumType, Resolver, Root, Subscription } from 'type-graphql';
import type { HubContext } from '../../graphql/context';
import { badInput } from '../../graphql/errors';
import { Alert, AlertKind, AlertLevel, ALERTS_CHANNEL } from '../warning';
import { LiveContext, liveEvents } from './live-events';

/** What happened to an alert, as the alerts module publishes it on `eco_hub_alerts`. */
export enum AlertChange {
  RAISED = 'RAISED',
  UPDATED = 'UPDATED',
  ESCALATED = 'ESCALATED',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  RESOLVED = 'RESOLVED',
}

registerEnumType(AlertChange, {
  name: 'AlertChange',
  description: 'What happened to an alert: RAISED (new episode), UPDATED (extended, or a higher level), ESCALATED (past its verification deadline), ACKNOWLEDGED, RESOLVED.',
});

@InputType({ description: 'Narrows alertRaised; every part optional. The policy decides each alert in any case.' })
export class AlertRaisedFilter {
  @Field(() => [AlertKind], { nullable: true }) kinds?: AlertKind[] | null;
  @Field(() => [AlertLevel], { nullable: true }) levels?: AlertLevel[] | null;
  @Field(() => String, { nullable: true }) stationCode?: string | null;
  @Field(() => [AlertChange], { nullable: true, description: 'Which changes to hear; RAISED only when absent.' }) changes?: AlertChange[] | null;
}

/**
 * The alert a notice on `eco_hub_alerts` is about, as the subscriber may read it: the notice's
 * keys are matched against the filter first (nothing is read for an event the filter drops), then
 * the alert is re-read by the `alerts` query's own scoped read (`alertReadScope`), which audits it.
 * A subscriber that may not read the alert hears nothing of it.
 */
export function alertEvent(n: Record<string, unknown>, ctx: LiveContext, filter: AlertRaisedFilter | null | undefined): Promise<Alert | null> | null {
  if (typeof n.id !== 'string') return null;
  const changes = filter?.changes?.length ? filter.changes : [AlertChange.RAISED];
  if (!changes.includes(n.change as AlertChange)) return null;
  if (filter?.kinds?.length && !filter.kinds.includes(n.kind as AlertKind)) return null;
  if (filter?.levels?.length && !filter.levels.includes(n.level as AlertLevel)) return null;
  if (filter?.stationCode && filter.stationCode !== n.stationCode) return null;
  return ctx.services.alerts.readOne(ctx, n.id);
}

@Resolver()
export class AlertRaisedResolver {
  @Subscription(() => Alert, {
    description: 'Early-warning alerts you are addressed by (as `alerts` lists them), each time one is raised on any hub instance (or changes, with `filter.changes`). Over WebSocket (graphql-ws) at /graphql.',
    subscribe: ({ args, context }) => {
      const filter = (args as { filter?: AlertRaisedFilter | null }).filter;
      if (filter?.stationCode !== undefined && filter?.stationCode !== null && !/^[A-Za-z0-9_-]{1,64}$/.test(filter.stationCode)) {
        throw badInput('filter.stationCode', 'must be a station code (letters, digits, - and _)');
      }
      return liveEvents(context as HubContext, ALERTS_CHANNEL, (notice, ctx) => alertEvent(notice, ctx, filter));
    },
  })
  alertRaised(@Root() alert: Alert, @Arg('filter', () => AlertRaisedFilter, { nullable: true }) _filter?: AlertRaisedFilter): Alert {
    return alert;
  }
}
