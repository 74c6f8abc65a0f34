import type { DataSource } from 'typeorm';
import { ALERT_WEBHOOK_TOPICS, webhookManageDenial, webhookRegistrationDenial } from '../../auth/policy';
import type { Principal } from '../../auth/principal';
import { badInput, ErrorCode, forbidden, HubError } from '../../graphql/errors';
import { encodeCursor, keysetPage, Page, PageArgs, pageRequest } from '../../graphql/pagination';
import { decodeFeedCursor, feedCursor, parseFeedFilter } from '../feed';
import { AlertKind, AlertLevel } from '../warning';
import { newWebhookSecret } from './signing';
import { checkReceiverUrl, ReceiverPolicy, Resolve, systemResolve } from './url-guard';
import {
  RegisteredWebhook, RegisterWebhookInput, WebhookAlertFilterView, WebhookDelivery, WebhookDeliveryOutcome, WebhookFeedFilterView,
  WebhookSubscription, WebhookTopic,
} from './webhook.types';

const TOPICS = Object.values(WebhookTopic) as string[];
const DELIVERY_TAG = 'WEBHOOK_DELIVERY';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Registrations one agency may hold: each costs a trigger lookup per alert change and a poll per pass. */
export const MAX_WEBHOOKS_PER_AGENCY = 20;

/** What a webhook call needs of a request: who asks and the purpose it declared. */
export interface WebhookCaller {
  principal: Principal;
  purpose: string | null;
}

function toWebhook(r: Record<string, unknown>): WebhookSubscription {
  const w = new WebhookSubscription();
  const kinds = r.alert_kinds as string[] | null;
  const levels = r.alert_levels as string[] | null;
  const topics = r.topics as string[];
  const ff = r.feed_filter as { districts: string[] | null; ops: string[] | null; kinds: string[] | null; since: string | null } | null;
  Object.assign(w, {
    id: String(r.id), url: r.url, topics, description: r.description ?? null, status: r.status, agency: r.owner_org, registeredBy: r.owner_sub,
    jurisdiction: r.owner_jurisdiction, purpose: r.purpose ?? null,
    alertFilter: topics.some((t) => ALERT_WEBHOOK_TOPICS.includes(t))
      ? Object.assign(new WebhookAlertFilterView(), { kinds: kinds as AlertKind[] | null, levels: levels as AlertLevel[] | null, stationCode: r.station_code ?? null })
      : null,
    feedFilter: ff ? Object.assign(new WebhookFeedFilterView(), { ...ff, since: ff.since ? new Date(ff.since) : null }) : null,
    feedCursor: topics.includes(WebhookTopic.CREDIT_FEED) ? feedCursor(String(r.feed_cursor)) : null,
    pendingEvents: Number(r.pending ?? 0), lastError: r.last_error ?? null,
    createdAt: new Date(r.created_at as string), updatedAt: new Date(r.updated_at as string),
  });
  return w;
}

const SELECT = `SELECT w.*, (SELECT count(*)::int FROM webhook_outbox o WHERE o.webhook_id = w.id AND o.state = 'PENDING') AS pending FROM webhook w`;

/**
 * Webhook registrations of an agency (issue 17 item 5, issue 15 item 6): register (the URL checked,
 * the secret made and shown once), list, disable / enable, delete, and the delivery log. The
 * deliveries themselves are WebhookDelivery's (webhook.delivery.ts). Every rule about who may is
 * in the policy (`webhookRegistrationDenial`, `webhookManageDenial`).
 */
export class WebhookService {
  constructor(private readonly ds: DataSource, private readonly receivers: ReceiverPolicy, private readonly resolve: Resolve = systemResolve) {}

  /** Checks everything, then stores the registration in one statement; bad input stores nothing. */
  async register(ctx: WebhookCaller, input: RegisterWebhookInput): Promise<RegisteredWebhook> {
    const topics = [...new Set(input.topics ?? [])];
    if (topics.length === 0) throw badInput('input.topics', 'name at least one topic');
    topics.forEach((t, i) => {
      if (!TOPICS.includes(t)) throw badInput(`input.topics.${i}`, `must be one of ${TOPICS.join(', ')}, got ${JSON.stringify(t)}`);
    });
    const feed = topics.includes(WebhookTopic.CREDIT_FEED);
    if (feed && topics.length > 1) throw badInput('input.topics', 'CREDIT_FEED is registered on its own (its deliveries are batches with a cursor, not events)');
    const denial = webhookRegistrationDenial(ctx.principal, topics);
    if (denial) throw forbidden(denial.reason, { rule: denial.rule });
    if (input.description !== undefined && input.description !== null && input.description.length > 200) throw badInput('input.description', 'must be at most 200 characters');
    if (feed && input.alertFilter) throw badInput('input.alertFilter', 'is for alert topics; a CREDIT_FEED webhook takes feedFilter');
    if (!feed && (input.feedFilter || input.feedAfter)) throw badInput(input.feedFilter ? 'input.feedFilter' : 'input.feedAfter', 'is for the CREDIT_FEED topic');
    if (!feed && input.alertFilter && !topics.some((t) => ALERT_WEBHOOK_TOPICS.includes(t))) throw badInput('input.alertFilter', 'is for alert topics (ALERT_RAISED, ALERT_CHANGED); COMPLIANCE_REMINDER events are every reminder the account may read');
    const af = input.alertFilter ?? null;
    if (af?.stationCode !== undefined && af?.stationCode !== null && !/^[A-Za-z0-9_-]{1,64}$/.test(af.stationCode)) throw badInput('input.alertFilter.stationCode', 'must be a station code (letters, digits, - and _)');
    const feedFilter = feed ? parseFeedFilter(input.feedFilter ?? null, 'input.feedFilter') : null;
    const after = feed ? decodeFeedCursor(input.feedAfter ?? null, 'input.feedAfter') : '0';
    const p = ctx.principal;
    // Deliveries are audited under the registering account: its names must fit the audit log's columns.
    if ((p.org ?? '').length > 64 || p.sub.length > 128) throw forbidden('the token\'s org (at most 64 characters) and sub (at most 128) must fit the audit log to register a webhook', { rule: 'webhook.auditableOwner' });
    const url = await checkReceiverUrl(input.url, this.receivers, 'input.url', this.resolve);
    const secret = newWebhookSecret();
    return this.ds.transaction(async (m) => {
      // One agency's registrations are counted under a lock on the agency's name, so two at once cannot both pass the cap.
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`webhook:${p.org}`]);
      const [{ n }] = await m.query('SELECT count(*)::int AS n FROM webhook WHERE owner_org = $1', [p.org]);
      if (n >= MAX_WEBHOOKS_PER_AGENCY) throw new HubError(ErrorCode.CONFLICT, `${p.org} already holds ${n} webhooks, the most an agency may; delete one first`, { field: 'input', rule: 'webhook.limit' });
      const [row] = await m.query(
        `INSERT INTO webhook (owner_org, owner_sub, owner_jurisdiction, owner_roles, purpose, url, topics, description, alert_kinds, alert_levels, station_code, feed_filter, secret, feed_cursor)
         VALUES ($1, $2, $3, $4::varchar[], $5, $6, $7::varchar[], $8, $9::varchar[], $10::varchar[], $11, $12::jsonb, $13, $14::bigint) RETURNING *, 0 AS pending`,
        [p.org, p.sub, p.jurisdiction, [...p.roles], ctx.purpose === 'EMERGENCY' ? null : ctx.purpose, url, topics, input.description ?? null,
          af?.kinds?.length ? af.kinds : null, af?.levels?.length ? af.levels : null, af?.stationCode ?? null,
          feedFilter ? JSON.stringify(feedFilter) : null, secret, after]);
      const out = new RegisteredWebhook();
      out.webhook = toWebhook(row);
      out.secret = secret;
      return out;
    });
  }

  /** The caller's agency's registrations, oldest first. */
  async list(ctx: WebhookCaller): Promise<WebhookSubscription[]> {
    if (!ctx.principal.org || ctx.principal.kind === 'public') return [];
    const rows: Array<Record<string, unknown>> = await this.ds.query(`${SELECT} WHERE w.owner_org = $1 ORDER BY w.created_at, w.id`, [ctx.principal.org]);
    return rows.map(toWebhook);
  }

  /** Deletes a registration of the caller's agency, with its queue and log; returns its id. */
  async delete(ctx: WebhookCaller, id: string): Promise<string> {
    return this.ds.transaction(async (m) => {
      await this.owned(m, ctx, id, 'id', true);
      await m.query('DELETE FROM webhook WHERE id = $1', [id]);
      return id;
    });
  }

  /**
   * Disables (nothing is queued or posted; queued events wait) or enables a registration. Enabling
   * a FAILED credit-feed webhook resumes it from its acknowledged cursor with fresh attempts.
   */
  async setEnabled(ctx: WebhookCaller, id: string, enabled: boolean): Promise<WebhookSubscription> {
    return this.ds.transaction(async (m) => {
      await this.owned(m, ctx, id, 'id', true);
      await m.query(
        enabled
          ? `UPDATE webhook SET status = 'ACTIVE', feed_attempts = 0, next_attempt_at = now(), updated_at = now() WHERE id = $1`
          : `UPDATE webhook SET status = 'DISABLED', updated_at = now() WHERE id = $1`, [id]);
      const [row] = await m.query(`${SELECT} WHERE w.id = $1`, [id]);
      return toWebhook(row);
    });
  }

  /** The delivery log of one of the caller's agency's webhooks, newest first. */
  async deliveries(ctx: WebhookCaller, webhookId: string, args: PageArgs): Promise<Page<WebhookDelivery>> {
    const page = pageRequest(args, DELIVERY_TAG, ['bigint']);
    await this.owned(this.ds, ctx, webhookId, 'webhookId');
    const params: unknown[] = [webhookId];
    const after = page.after ? ` AND d.id < $${params.push(page.after[0])}::bigint` : '';
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT d.* FROM webhook_delivery d WHERE d.webhook_id = $1${after} ORDER BY d.id DESC LIMIT ${page.first + 1}`, params);
    const nodes = rows.slice(0, page.first).map((r) => Object.assign(new WebhookDelivery(), {
      id: String(r.id), eventId: r.event_id, topic: r.topic, change: r.change ?? null, subject: r.subject, attempt: r.attempt,
      attemptedAt: new Date(r.attempted_at as string), statusCode: r.status_code ?? null, error: r.error ?? null, durationMs: r.duration_ms,
      outcome: r.outcome as WebhookDeliveryOutcome,
    }));
    return keysetPage(nodes, rows.length, page, (node) => encodeCursor(DELIVERY_TAG, [node.id]),
      () => this.ds.query('SELECT count(*)::int AS n FROM webhook_delivery WHERE webhook_id = $1', [webhookId]).then((r: Array<{ n: number }>) => r[0].n));
  }

  /** The registration (locked for a change) when the caller's agency owns it: NOT_FOUND for an unknown id, FORBIDDEN for another agency's. */
  private async owned(m: Pick<DataSource, 'query'>, ctx: WebhookCaller, id: string, field = 'id', lock = false): Promise<Record<string, unknown>> {
    if (typeof id !== 'string' || !UUID.test(id)) throw badInput(field, 'must be a webhook id (a UUID)');
    const [row] = await m.query(`SELECT id, owner_org FROM webhook WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    if (!row) throw new HubError(ErrorCode.NOT_FOUND, `no webhook has the id ${id}`, { field });
    const denial = webhookManageDenial(ctx.principal, String(row.owner_org));
    if (denial) throw forbidden(denial.reason, { rule: denial.rule, field });
    return row;
  }
}

