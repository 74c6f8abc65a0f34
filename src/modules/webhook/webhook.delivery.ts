import http from 'node:http';
import https from 'node:https';
import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import type { DataSource } from 'typeorm';
import { feedAccess } from '../../auth/policy';
import type { Principal, Role } from '../../auth/principal';
import type { Jurisdiction } from '../../domain/jurisdictions';
import type { WebhookSettings } from '../../config';
import type { ReadContext } from '../dossier/record-store';
import { AuditTrail } from '../audit';
import type { AuditService } from '../audit';
import { auditChunk, feedChunk, feedCursor } from '../feed';
import type { FeedFilter } from '../feed';
import type { ComplianceReminder } from '../reminders';
import type { Alert } from '../warning';
import { signWebhook, WEBHOOK_HEADERS } from './signing';
import { ForbiddenAddressError, guardedLookup, isForbiddenAddress } from './url-guard';

/** What the metrics learn from the deliveries (src/http/metrics.ts). */
export interface DeliveryObserver {
  /** One attempt: its topic and outcome (`delivered`, `retrying`, `failed`), and why it failed (`status`, `timeout`, `network`, `forbidden_address`). */
  attempt(topic: string, outcome: 'delivered' | 'retrying' | 'failed', reason: string | null): void;
}

/** A request context for the webhook's owner: its terms, grants and audit trail, a fresh request id. */
export type ContextFor = (principal: Principal, purpose: string | null) => ReadContext & { requestId: string; audit: AuditTrail };

export interface DeliveryDeps {
  ds: DataSource;
  alerts: { readOne(ctx: ReadContext, id: string): Promise<Alert | null> };
  /** The reminders' scoped read (`reminderReadScope`), for COMPLIANCE_REMINDER events. */
  reminders: { readOne(ctx: ReadContext, id: string): Promise<ComplianceReminder | null> };
  audit: Pick<AuditService, 'write'>;
  contextFor: ContextFor;
  settings: WebhookSettings;
  observer?: DeliveryObserver;
}

/** What one pass did. */
export interface DeliveryRun {
  /** Attempts that got a 2xx. */
  delivered: number;
  /** Attempts that failed and will be tried again. */
  retrying: number;
  /** Attempts that failed for the last time. */
  failed: number;
  /** Alert and reminder events dropped unsent because the webhook's owner may not read the alert or reminder (or it is gone). */
  withheld: number;
}

interface PostResult {
  status: number | null;
  error: string | null;
  reason: string | null;
  ms: number;
}

/** Alert events posted at once (one claim); the lease covers one POST, so a crashed instance's claims come back soon. */
const PARALLEL = 8;
/** The topic whose events are compliance reminders (the others in the outbox are alerts). */
const REMINDER_TOPIC = 'COMPLIANCE_REMINDER';
/** Credit-feed batches one pass sends to one webhook before it lets the others have a turn. */
const FEED_BATCHES_PER_PASS = 20;
/** Finished outbox rows are kept this long (days), attempts in the delivery log this long; pruned at most hourly per instance. */
export const OUTBOX_KEEP_DAYS = 7;
export const DELIVERY_LOG_KEEP_DAYS = 30;
const PRUNE_EVERY_MS = 3_600_000;

type Row = Record<string, unknown>;

/** The rows of an UPDATE … RETURNING (TypeORM answers it as [rows, count]). */
function updatedRows(result: unknown): Row[] {
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as Row[];
}

function ownerOf(w: Row): Principal {
  return { kind: 'user', sub: String(w.owner_sub), org: String(w.owner_org), jurisdiction: w.owner_jurisdiction as Jurisdiction, roles: w.owner_roles as Role[] };
}

/**
 * The delivery worker (docs/webhooks.md). Each pass claims due work with a lease
 * (`FOR UPDATE SKIP LOCKED`, then a lease token and expiry in the row, committed before posting), so
 * several instances share the queue and none posts what another holds; a claim whose instance died
 * is taken again when its lease expires (at-least-once: the event id lets a receiver drop a repeat).
 *
 * Alert and reminder events: each is re-read for the webhook's owner by the alerts' (or the
 * reminders') own scoped read (the policy's `alertReadScope`, `reminderReadScope`), audited as that
 * owner's read, signed and posted; one the owner may not read is dropped unsent. Credit feed: the
 * next batch after the acknowledged cursor (the same batch again while it is being retried),
 * audited, signed and posted; a 2xx moves the cursor.
 */
export class WebhookDelivery {
  private prunedAt = 0;

  constructor(private readonly d: DeliveryDeps) {}

  /** One pass: the alert and reminder events due, then the credit-feed webhooks due; finished rows past their keeping pruned hourly. */
  async runOnce(): Promise<DeliveryRun> {
    const run: DeliveryRun = { delivered: 0, retrying: 0, failed: 0, withheld: 0 };
    await this.deliverEvents(run);
    await this.deliverFeeds(run);
    if (Date.now() - this.prunedAt > PRUNE_EVERY_MS) {
      this.prunedAt = Date.now();
      await this.prune();
    }
    return run;
  }

  /** Deletes delivered and failed outbox rows after OUTBOX_KEEP_DAYS and delivery-log rows after DELIVERY_LOG_KEEP_DAYS; returns how many. */
  async prune(): Promise<{ outbox: number; log: number }> {
    const outbox = updatedRows(await this.d.ds.query(
      `DELETE FROM webhook_outbox WHERE state <> 'PENDING' AND finished_at < now() - $1 * interval '1 day' RETURNING id`, [OUTBOX_KEEP_DAYS]));
    const log = updatedRows(await this.d.ds.query(
      `DELETE FROM webhook_delivery WHERE attempted_at < now() - $1 * interval '1 day' RETURNING id`, [DELIVERY_LOG_KEEP_DAYS]));
    return { outbox: outbox.length, log: log.length };
  }

  /** Seconds until attempt `attempt + 1`: the base doubled per attempt, capped, and jittered to between half and all of it. */
  backoffSeconds(attempt: number): number {
    const { backoffBaseSeconds: base, backoffMaxSeconds: max } = this.d.settings;
    const full = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
    return full * (0.5 + Math.random() / 2);
  }

  private leaseSeconds(): number {
    return this.d.settings.timeoutSeconds + 30;
  }

  // ------------------------------------------------------------------------------------------
  // Alerts and compliance reminders: the outbox

  private async deliverEvents(run: DeliveryRun): Promise<void> {
    let budget = this.d.settings.batchSize;
    // A pass walks the queue forward: an event that failed in it waits for the next pass, however short its backoff.
    let passed = '0';
    while (budget > 0) {
      const token = randomUUID();
      const claimed = updatedRows(await this.d.ds.query(
        `WITH due AS (
           SELECT o.id FROM webhook_outbox o JOIN webhook w ON w.id = o.webhook_id
           WHERE o.state = 'PENDING' AND o.next_attempt_at <= now() AND (o.lease_until IS NULL OR o.lease_until < now()) AND w.status = 'ACTIVE' AND o.id > $4::bigint
           ORDER BY o.id LIMIT $1 FOR UPDATE OF o SKIP LOCKED)
         UPDATE webhook_outbox o SET lease_token = $2, lease_until = now() + $3 * interval '1 second', attempts = o.attempts + 1
         FROM due WHERE o.id = due.id
         RETURNING o.id, o.event_id, o.webhook_id, o.topic, o.change, o.subject_id, o.attempts, o.created_at`,
        [Math.min(PARALLEL, budget), token, this.leaseSeconds(), passed]));
      if (claimed.length === 0) return;
      passed = claimed.reduce((max, c) => (BigInt(String(c.id)) > BigInt(max) ? String(c.id) : max), passed);
      budget -= claimed.length;
      const hooks = new Map<string, Row>();
      const rows: Row[] = await this.d.ds.query('SELECT * FROM webhook WHERE id = ANY($1::uuid[])', [[...new Set(claimed.map((c) => String(c.webhook_id)))]]);
      for (const w of rows) hooks.set(String(w.id), w);
      await Promise.all(claimed.map((c) => this.deliverEvent(c, hooks.get(String(c.webhook_id)), token, run)));
    }
  }

  private async deliverEvent(c: Row, w: Row | undefined, token: string, run: DeliveryRun): Promise<void> {
    const release = () => this.d.ds.query('UPDATE webhook_outbox SET lease_token = NULL, lease_until = NULL, attempts = attempts - 1 WHERE id = $1 AND lease_token = $2', [c.id, token]);
    if (!w) return; // deleted meanwhile: its queue went with it
    const principal = ownerOf(w);
    const ctx = this.d.contextFor(principal, (w.purpose as string | null) ?? null);
    // The subject as the owner reads it now: an alert through the alerts' scoped read, a reminder through the reminders'.
    const reminder = c.topic === REMINDER_TOPIC;
    let subject: Alert | ComplianceReminder | null;
    try {
      subject = reminder ? await this.d.reminders.readOne(ctx, String(c.subject_id)) : await this.d.alerts.readOne(ctx, String(c.subject_id));
    } catch {
      await release();
      return;
    }
    if (!subject) {
      // Never sent, not even its key: the owner could not read it (or it is gone).
      await this.d.ds.query('DELETE FROM webhook_outbox WHERE id = $1 AND lease_token = $2', [c.id, token]);
      run.withheld++;
      return;
    }
    try {
      await this.d.audit.write({ requestId: ctx.requestId, principal, purpose: (w.purpose as string | null) ?? null, operationName: `webhook:${w.id}`, audit: ctx.audit });
    } catch {
      await release(); // no audit, no delivery: tried again next pass
      return;
    }
    const eventId = String(c.event_id);
    const body = JSON.stringify({
      id: eventId, topic: c.topic, change: c.change, webhookId: w.id, occurredAt: new Date(c.created_at as string).toISOString(), [reminder ? 'reminder' : 'alert']: subject,
    });
    const attempt = Number(c.attempts);
    const result = await this.post(w, eventId, String(c.topic), attempt, body);
    const ok = result.status !== null && result.status >= 200 && result.status < 300;
    const last = !ok && attempt >= this.d.settings.maxAttempts;
    const outcome = ok ? 'DELIVERED' : last ? 'FAILED' : 'RETRYING';
    await this.d.ds.transaction(async (m) => {
      await this.logAttempt(m, w, eventId, String(c.topic), String(c.change), String(c.subject_id), attempt, result, outcome);
      await m.query(
        ok || last
          ? `UPDATE webhook_outbox SET state = $3, finished_at = now(), lease_token = NULL, lease_until = NULL WHERE id = $1 AND lease_token = $2`
          : `UPDATE webhook_outbox SET next_attempt_at = now() + $3 * interval '1 second', lease_token = NULL, lease_until = NULL WHERE id = $1 AND lease_token = $2`,
        [c.id, token, ok ? 'DELIVERED' : last ? 'FAILED' : this.backoffSeconds(attempt)]);
      await m.query('UPDATE webhook SET last_error = $2 WHERE id = $1', [w.id, ok ? null : result.error]);
      // A reminder's history records each channel that delivered it: here the webhook, by its id.
      if (ok && reminder) {
        await m.query(`INSERT INTO compliance_reminder_log (reminder_id, event, actor, channel) SELECT id, 'DELIVERED', $2, 'webhook' FROM compliance_reminder WHERE id = $1`,
          [c.subject_id, `webhook:${String(w.id)}`]);
      }
    });
    this.count(run, String(c.topic), outcome, result.reason);
  }

  // ------------------------------------------------------------------------------------------
  // Credit feed

  private async deliverFeeds(run: DeliveryRun): Promise<void> {
    // One webhook claimed at a time, so a lease never waits behind another webhook's posts.
    const done: string[] = [];
    for (let i = 0; i < this.d.settings.batchSize; i++) {
      const token = randomUUID();
      const [w] = updatedRows(await this.d.ds.query(
        `WITH due AS (
           SELECT id FROM webhook
           WHERE status = 'ACTIVE' AND 'CREDIT_FEED' = ANY(topics) AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
             AND NOT (id = ANY($4::uuid[]))
           ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
         UPDATE webhook w SET lease_token = $2, lease_until = now() + $3 * interval '1 second'
         FROM due WHERE w.id = due.id RETURNING w.*`,
        [1, token, this.leaseSeconds(), done]));
      if (!w) return;
      done.push(String(w.id));
      try {
        await this.deliverFeed(w, token, run);
      } finally {
        await this.d.ds.query('UPDATE webhook SET lease_token = NULL, lease_until = NULL WHERE id = $1 AND lease_token = $2', [w.id, token]);
      }
    }
  }

  private async deliverFeed(w: Row, token: string, run: DeliveryRun): Promise<void> {
    const principal = ownerOf(w);
    if (!feedAccess(principal).allowed) {
      await this.d.ds.query(`UPDATE webhook SET status = 'FAILED', last_error = $3 WHERE id = $1 AND lease_token = $2`, [w.id, token, 'the registering account may no longer pull the credit feed']);
      return;
    }
    const filter = w.feed_filter as FeedFilter;
    let cursor = String(w.feed_cursor);
    let batchTo = w.feed_batch_to === null || w.feed_batch_to === undefined ? null : String(w.feed_batch_to);
    let attempts = Number(w.feed_attempts);
    for (let i = 0; i < FEED_BATCHES_PER_PASS; i++) {
      // A batch being retried is the same batch: the entries in (cursor, batchTo], which the change log never alters.
      const chunk = await feedChunk(this.d.ds, principal, cursor, batchTo === null ? this.d.settings.batchSize : 1_000_000, filter, batchTo ?? undefined);
      if (chunk.count === 0) return;
      const last = chunk.last!;
      batchTo = last;
      // The batch's end is stored before it is posted (a retry sends the same batch), and the lease renewed for this post.
      const kept = updatedRows(await this.d.ds.query(
        `UPDATE webhook SET feed_batch_to = $3, lease_until = now() + $4 * interval '1 second' WHERE id = $1 AND lease_token = $2 RETURNING id`, [w.id, token, last, this.leaseSeconds()]));
      if (kept.length === 0) return; // the lease was lost (a stall longer than the lease): the other holder carries on
      const trail = new AuditTrail();
      auditChunk(trail, chunk);
      try {
        await this.d.audit.write({ requestId: randomUUID(), principal, purpose: null, operationName: `webhook:${w.id}`, audit: trail });
      } catch {
        return; // no audit, no delivery: tried again next pass
      }
      const eventId = `feed:${w.id}:${cursor}-${last}`;
      const body = `{"id":${JSON.stringify(eventId)},"topic":"CREDIT_FEED","webhookId":${JSON.stringify(w.id)},"after":${JSON.stringify(feedCursor(cursor))},` +
        `"endCursor":${JSON.stringify(feedCursor(last))},"count":${chunk.count},"entries":[${chunk.lines.split('\n').join(',')}]}`;
      const attempt = attempts + 1;
      const result = await this.post(w, eventId, 'CREDIT_FEED', attempt, body);
      const ok = result.status !== null && result.status >= 200 && result.status < 300;
      const final = !ok && attempt >= this.d.settings.maxAttempts;
      const outcome = ok ? 'DELIVERED' : final ? 'FAILED' : 'RETRYING';
      await this.d.ds.transaction(async (m) => {
        await this.logAttempt(m, w, eventId, 'CREDIT_FEED', null, `${cursor}-${last}`, attempt, result, outcome);
        if (ok) {
          await m.query(
            `UPDATE webhook SET feed_cursor = $3, feed_batch_to = NULL, feed_attempts = 0, last_error = NULL, next_attempt_at = now(), lease_until = now() + $4 * interval '1 second'
             WHERE id = $1 AND lease_token = $2`, [w.id, token, last, this.leaseSeconds()]);
        } else if (final) {
          await m.query(`UPDATE webhook SET status = 'FAILED', feed_attempts = $3, last_error = $4, updated_at = now() WHERE id = $1 AND lease_token = $2`, [w.id, token, attempt, result.error]);
        } else {
          await m.query(`UPDATE webhook SET feed_attempts = $3, last_error = $4, next_attempt_at = now() + $5 * interval '1 second' WHERE id = $1 AND lease_token = $2`,
            [w.id, token, attempt, result.error, this.backoffSeconds(attempt)]);
        }
      });
      this.count(run, 'CREDIT_FEED', outcome, result.reason);
      if (!ok) return;
      cursor = last;
      batchTo = null;
      attempts = 0;
    }
  }

  // ------------------------------------------------------------------------------------------

  private async logAttempt(m: Pick<DataSource, 'query'>, w: Row, eventId: string, topic: string, change: string | null, subject: string, attempt: number, r: PostResult, outcome: string): Promise<void> {
    await m.query(
      `INSERT INTO webhook_delivery (webhook_id, event_id, topic, change, subject, attempt, status_code, error, duration_ms, outcome)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [w.id, eventId, topic, change, subject.slice(0, 100), attempt, r.status, r.error?.slice(0, 500) ?? null, Math.round(r.ms), outcome]);
  }

  private count(run: DeliveryRun, topic: string, outcome: string, reason: string | null): void {
    if (outcome === 'DELIVERED') run.delivered++;
    else if (outcome === 'FAILED') run.failed++;
    else run.retrying++;
    this.d.observer?.attempt(topic, outcome.toLowerCase() as 'delivered' | 'retrying' | 'failed', reason);
  }

  /**
   * One signed POST, with the settings' timeout over the whole exchange. The connection's address
   * is checked as it is resolved (`guardedLookup`) or, for a literal address, before connecting;
   * redirects are not followed (a 3xx is a failure).
   */
  private post(w: Row, eventId: string, topic: string, attempt: number, body: string): Promise<PostResult> {
    const started = performance.now();
    const policy = { allowHttp: this.d.settings.allowHttp, allowPrivate: this.d.settings.allowPrivate };
    const done = (status: number | null, error: string | null, reason: string | null): PostResult => ({ status, error, reason, ms: performance.now() - started });
    let url: URL;
    try {
      url = new URL(String(w.url));
    } catch {
      return Promise.resolve(done(null, 'the stored URL does not parse', 'network'));
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (!policy.allowPrivate && isIP(host) !== 0 && isForbiddenAddress(host)) {
      return Promise.resolve(done(null, `${host} is a forbidden address`, 'forbidden_address'));
    }
    if (url.protocol === 'http:' && !policy.allowHttp && !policy.allowPrivate) return Promise.resolve(done(null, 'plain http is not accepted outside development', 'forbidden_address'));
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers = {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      'user-agent': 'eco-hub-webhooks/1',
      [WEBHOOK_HEADERS.signature]: signWebhook(String(w.secret), timestamp, body),
      [WEBHOOK_HEADERS.timestamp]: timestamp,
      [WEBHOOK_HEADERS.eventId]: eventId,
      [WEBHOOK_HEADERS.topic]: topic,
      [WEBHOOK_HEADERS.attempt]: String(attempt),
    };
    const timeoutMs = this.d.settings.timeoutSeconds * 1000;
    return new Promise<PostResult>((resolve) => {
      let settled = false;
      const finish = (r: PostResult) => {
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          resolve(r);
        }
      };
      const req = (url.protocol === 'https:' ? https : http).request(url, { method: 'POST', headers, lookup: guardedLookup(policy), agent: false }, (res) => {
        // The answer's body is not needed: read and drop it, so the socket closes cleanly.
        res.resume();
        res.on('end', () => finish(done(res.statusCode ?? null, res.statusCode && res.statusCode >= 200 && res.statusCode < 300 ? null : `HTTP ${res.statusCode}`, res.statusCode && res.statusCode >= 200 && res.statusCode < 300 ? null : 'status')));
        res.on('error', (err) => finish(done(res.statusCode ?? null, err.message, 'network')));
      });
      const timer = setTimeout(() => {
        finish(done(null, `no answer within ${this.d.settings.timeoutSeconds} s`, 'timeout'));
        req.destroy();
      }, timeoutMs);
      req.on('error', (err) => {
        const forbiddenAddress = err instanceof ForbiddenAddressError || (err as { code?: string }).code === 'EHUBFORBIDDENADDRESS';
        finish(done(null, err.message, forbiddenAddress ? 'forbidden_address' : 'network'));
      });
      req.end(body);
    });
  }
}
