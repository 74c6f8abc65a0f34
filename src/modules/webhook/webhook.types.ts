import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { connectionType } from '../../graphql/pagination';
import { AlertKind, AlertLevel } from '../warning';
import { CreditFeedFilterInput } from '../feed';

export enum WebhookTopic {
  ALERT_RAISED = 'ALERT_RAISED',
  ALERT_CHANGED = 'ALERT_CHANGED',
  COMPLIANCE_REMINDER = 'COMPLIANCE_REMINDER',
  CREDIT_FEED = 'CREDIT_FEED',
}

export enum WebhookStatus {
  ACTIVE = 'ACTIVE',
  DISABLED = 'DISABLED',
  FAILED = 'FAILED',
}

export enum WebhookDeliveryOutcome {
  DELIVERED = 'DELIVERED',
  RETRYING = 'RETRYING',
  FAILED = 'FAILED',
}

registerEnumType(WebhookTopic, {
  name: 'WebhookTopic',
  description: 'What a webhook is told of: ALERT_RAISED (an alert raised), ALERT_CHANGED (escalated, acknowledged, resolved or extended), COMPLIANCE_REMINDER (a compliance reminder filed), CREDIT_FEED (the credit feed\'s entries, in batches, from the last acknowledged cursor).',
});
registerEnumType(WebhookStatus, { name: 'WebhookStatus', description: 'ACTIVE (delivering), DISABLED (by its agency), FAILED (a credit-feed batch ran out of attempts; enable it to resume from the acknowledged cursor).' });
registerEnumType(WebhookDeliveryOutcome, { name: 'WebhookDeliveryOutcome', description: 'One attempt\'s outcome: DELIVERED (2xx), RETRYING (failed, tried again later), FAILED (failed, out of attempts).' });

@ObjectType({ description: 'Which alerts a webhook is told of (all it may read when empty).' })
export class WebhookAlertFilterView {
  @Field(() => [AlertKind], { nullable: true }) kinds: AlertKind[] | null;
  @Field(() => [AlertLevel], { nullable: true }) levels: AlertLevel[] | null;
  @Field(() => String, { nullable: true }) stationCode: string | null;
}

@ObjectType({ description: 'Which credit-feed entries a CREDIT_FEED webhook is sent (the pull\'s filter, resolved to owner districts).' })
export class WebhookFeedFilterView {
  @Field(() => [String], { nullable: true, description: 'Owner districts.' }) districts: string[] | null;
  @Field(() => [String], { nullable: true }) ops: string[] | null;
  @Field(() => [String], { nullable: true }) kinds: string[] | null;
  @Field(() => DateTimeResolver, { nullable: true }) since: Date | null;
}

@ObjectType({ description: 'An agency\'s webhook registration: where the hub posts signed events. The secret is shown only when registered.' })
export class WebhookSubscription {
  @Field(() => ID) id: string;
  @Field() url: string;
  @Field(() => [WebhookTopic]) topics: WebhookTopic[];
  @Field(() => String, { nullable: true }) description: string | null;
  @Field(() => WebhookStatus) status: WebhookStatus;
  @Field({ description: 'The owning agency (the registering token\'s org).' }) agency: string;
  @Field({ description: 'The account that registered it; deliveries carry what this account may read.' }) registeredBy: string;
  @Field({ description: 'Its jurisdiction, as registered.' }) jurisdiction: string;
  @Field(() => String, { nullable: true, description: 'The purpose declared when registering (X-Purpose; EMERGENCY is not kept).' }) purpose: string | null;
  @Field(() => WebhookAlertFilterView, { nullable: true }) alertFilter: WebhookAlertFilterView | null;
  @Field(() => WebhookFeedFilterView, { nullable: true }) feedFilter: WebhookFeedFilterView | null;
  @Field(() => String, { nullable: true, description: 'CREDIT_FEED: the cursor of the last entry the receiver acknowledged (a 2xx); the next batch starts after it.' }) feedCursor: string | null;
  @Field(() => Int, { description: 'Alert and reminder events waiting to be delivered (CREDIT_FEED: 0; see feedCursor).' }) pendingEvents: number;
  @Field(() => String, { nullable: true, description: 'The last failure\'s error, if the last attempt failed.' }) lastError: string | null;
  @Field(() => DateTimeResolver) createdAt: Date;
  @Field(() => DateTimeResolver) updatedAt: Date;
}

@ObjectType({ description: 'A new webhook and its signing secret. Store the secret now: the hub never shows it again.' })
export class RegisteredWebhook {
  @Field(() => WebhookSubscription) webhook: WebhookSubscription;
  @Field({ description: 'HMAC-SHA256 key of the X-Hub-Signature-256 header (docs/webhooks.md).' }) secret: string;
}

@ObjectType({ description: 'One attempt to deliver one event (or one credit-feed batch) to a webhook.' })
export class WebhookDelivery {
  @Field(() => ID) id: string;
  @Field({ description: 'The event\'s id, the X-Hub-Event-Id header: the same on every attempt of the same event or batch.' }) eventId: string;
  @Field(() => WebhookTopic) topic: WebhookTopic;
  @Field(() => String, { nullable: true, description: 'Alerts: RAISED, UPDATED, ESCALATED, ACKNOWLEDGED or RESOLVED; reminders: CREATED.' }) change: string | null;
  @Field({ description: 'The alert or reminder id, or the credit-feed batch as "<acknowledged seq>-<last seq>" (the entries after the first, up to the second).' }) subject: string;
  @Field(() => Int) attempt: number;
  @Field(() => DateTimeResolver) attemptedAt: Date;
  @Field(() => Int, { nullable: true, description: 'The receiver\'s HTTP status; null when no response came.' }) statusCode: number | null;
  @Field(() => String, { nullable: true }) error: string | null;
  @Field(() => Int) durationMs: number;
  @Field(() => WebhookDeliveryOutcome) outcome: WebhookDeliveryOutcome;
}

export const WebhookDeliveryConnection = connectionType(WebhookDelivery, 'WebhookDelivery');

@InputType({ description: 'Which alerts to be told of; every part optional (the policy still decides each alert).' })
export class WebhookAlertFilterInput {
  @Field(() => [AlertKind], { nullable: true }) kinds?: AlertKind[] | null;
  @Field(() => [AlertLevel], { nullable: true }) levels?: AlertLevel[] | null;
  @Field(() => String, { nullable: true }) stationCode?: string | null;
}

@InputType({ description: 'A webhook registration.' })
export class RegisterWebhookInput {
  @Field({ description: 'Where to post: https (http only in development), on a public address.' }) url: string;
  @Field(() => [WebhookTopic], { description: 'CREDIT_FEED is registered on its own.' }) topics: WebhookTopic[];
  @Field(() => String, { nullable: true, description: 'At most 200 characters.' }) description?: string | null;
  @Field(() => WebhookAlertFilterInput, { nullable: true }) alertFilter?: WebhookAlertFilterInput | null;
  @Field(() => CreditFeedFilterInput, { nullable: true, description: 'CREDIT_FEED: the pull\'s filter.' }) feedFilter?: CreditFeedFilterInput | null;
  @Field(() => String, { nullable: true, description: 'CREDIT_FEED: a feed cursor to start after (e.g. a snapshot\'s feedCursor); from the beginning when absent.' }) feedAfter?: string | null;
}
