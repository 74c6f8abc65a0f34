import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefix of the hub's webhook secrets, so a leaked one is recognisable in logs and scanners. */
const SECRET_PREFIX = 'whsec_';

/** A new signing secret: 32 random bytes, base64url, shown to the registering agency once. */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64url');
}

/**
 * The signature header's value: `sha256=` and the hex HMAC-SHA256, keyed by the secret (its UTF-8
 * text), of `<timestamp>.<body>` — the timestamp header's value, a dot, and the exact body bytes.
 * Signing the timestamp lets a receiver refuse replays of an old delivery.
 */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** What a receiver does (docs/webhooks.md): recompute and compare in constant time. */
export function verifyWebhookSignature(secret: string, timestamp: string, body: string, header: string): boolean {
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export const WEBHOOK_HEADERS = {
  signature: 'x-hub-signature-256',
  timestamp: 'x-hub-timestamp',
  eventId: 'x-hub-event-id',
  topic: 'x-hub-topic',
  attempt: 'x-hub-delivery-attempt',
} as const;
