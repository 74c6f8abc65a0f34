export { WebhookResolver } from './webhook.resolver';
export { WebhookService, MAX_WEBHOOKS_PER_AGENCY } from './webhook.service';
export { WebhookDelivery } from './webhook.delivery';
export type { DeliveryObserver, DeliveryRun, ContextFor } from './webhook.delivery';
export { WebhookTopic, WebhookStatus, WebhookDeliveryOutcome } from './webhook.types';
export { signWebhook, verifyWebhookSignature, WEBHOOK_HEADERS } from './signing';
export { checkReceiverUrl, isForbiddenAddress } from './url-guard';
export type { ReceiverPolicy, Resolve } from './url-guard';
