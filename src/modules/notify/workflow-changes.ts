import { Resolver, Root, Subscription } from 'type-graphql';
import type { HubContext } from '../../graphql/context';
import { ErrorCode, HubError } from '../../graphql/errors';
import { DataObjection } from '../objection/objection.types';
import { OBJECTION_CHANNEL } from '../objection/objection.model';
import { SHARING_CHANNEL } from '../sharing';
import { SharingApplication } from '../sharing/sharing.types';
import { LiveContext, liveEvents } from './live-events';

/**
 * The workflows' live notifications: a sharing application or a data objection changed state, on
 * any instance. A bus notice carries ids only; each event is re-read with the subscriber's own
 * rights, through the same service call as the `sharingApplication` and `objections` queries, so a
 * subscriber hears exactly of what it could query, and in the shape it would read it.
 */

/** The value of `read`, or null when the subscriber may not see it (refused, or gone). */
async function visibleOrNull<T>(read: () => Promise<T | null | undefined>): Promise<T | null> {
  try {
    return (await read()) ?? null;
  } catch (err) {
    const code = err instanceof HubError ? err.extensions.code : undefined;
    if (code === ErrorCode.FORBIDDEN || code === ErrorCode.NOT_FOUND) return null;
    throw err;
  }
}

/** The application a sharing notice is about, as the subscriber may read it. */
export function sharingApplicationEvent(n: Record<string, unknown>, ctx: LiveContext): Promise<SharingApplication | null> {
  if (typeof n.id !== 'string') return Promise.resolve(null);
  return visibleOrNull(() => ctx.services.sharing.get(ctx, n.id as string));
}

/** The objection an objection notice is about, as the subscriber may read it (the `objections` query's visibility). */
export function objectionEvent(n: Record<string, unknown>, ctx: LiveContext): Promise<DataObjection | null> {
  const { id, recordType, key } = n;
  if (typeof id !== 'string' || typeof recordType !== 'string' || typeof key !== 'string') return Promise.resolve(null);
  return visibleOrNull(async () => {
    // The objections to one record are few (at most one open per field); the page holds them all.
    const page = await ctx.services.objections.list(ctx, { recordType: recordType as never, key }, { first: 100 });
    return page.edges.find((e) => e.node.id === id)?.node ?? null;
  });
}

@Resolver()
export class WorkflowChangesResolver {
  @Subscription(() => SharingApplication, {
    description: 'Sharing applications you are party to (your agency\'s, or for data your jurisdiction provides; all for ZONE), each time one changes state on any hub instance. Over WebSocket (graphql-ws) at /graphql.',
    subscribe: ({ context }) => liveEvents(context as HubContext, SHARING_CHANNEL, sharingApplicationEvent),
  })
  sharingApplicationChanged(@Root() application: SharingApplication): SharingApplication {
    return application;
  }

  @Subscription(() => DataObjection, {
    description: 'Data objections you may see (as `objections` lists them), each time one changes state on any hub instance. Over WebSocket (graphql-ws) at /graphql.',
    subscribe: ({ context }) => liveEvents(context as HubContext, OBJECTION_CHANNEL, objectionEvent),
  })
  objectionChanged(@Root() objection: DataObjection): DataObjection {
    return objection;
  }
}
