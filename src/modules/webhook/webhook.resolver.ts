import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { HubContext } from '../../graphql/context';
import { Page, PageArgs } from '../../graphql/pagination';
import { RegisteredWebhook, RegisterWebhookInput, WebhookDelivery, WebhookDeliveryConnection, WebhookSubscription } from './webhook.types';

/** Webhook registrations of the caller's agency; rules and SQL live in WebhookService. */
@Resolver(() => WebhookSubscription)
export class WebhookResolver {
  @Mutation(() => RegisteredWebhook, {
    description: 'Registers a webhook for the caller\'s agency (its token\'s org): the hub posts each event of the topics, signed with HMAC-SHA256, retried with backoff. The secret is returned once. Each delivery carries only what the registering account may read.',
  })
  registerWebhook(@Arg('input', () => RegisterWebhookInput) input: RegisterWebhookInput, @Ctx() ctx: HubContext): Promise<RegisteredWebhook> {
    return ctx.services.webhooks.register(ctx, input);
  }

  @Query(() => [WebhookSubscription], { description: 'The webhooks of the caller\'s agency.' })
  webhooks(@Ctx() ctx: HubContext): Promise<WebhookSubscription[]> {
    return ctx.services.webhooks.list(ctx);
  }

  @Mutation(() => ID, { description: 'Deletes one of your agency\'s webhooks, its queued events and its delivery log; returns its id.' })
  deleteWebhook(@Arg('id', () => ID) id: string, @Ctx() ctx: HubContext): Promise<string> {
    return ctx.services.webhooks.delete(ctx, id);
  }

  @Mutation(() => WebhookSubscription, { description: 'Disables (nothing is queued or posted) or enables one of your agency\'s webhooks; enabling a FAILED credit-feed webhook resumes it from its acknowledged cursor.' })
  setWebhookEnabled(@Arg('id', () => ID) id: string, @Arg('enabled', () => Boolean) enabled: boolean, @Ctx() ctx: HubContext): Promise<WebhookSubscription> {
    return ctx.services.webhooks.setEnabled(ctx, id, enabled);
  }

  @Query(() => WebhookDeliveryConnection, { description: 'The delivery log of one of your agency\'s webhooks: one row per attempt, newest first.' })
  webhookDeliveries(@Arg('webhookId', () => ID) webhookId: string, @Args() page: PageArgs, @Ctx() ctx: HubContext): Promise<Page<WebhookDelivery>> {
    return ctx.services.webhooks.deliveries(ctx, webhookId, page);
  }
}
