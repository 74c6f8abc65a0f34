import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { MaskReport } from '../auth/masking';
import { Principal } from '../auth/principal';
import type { EventBus } from '../db/events';
import { AlertObserver, AlertService, loadWarningRules, WarningRules } from '../modules/warning';
import { loadReminderRules, ReminderObserver, ReminderRules, ReminderService } from '../modules/reminders';
import { SqlStats } from '../db/sql-stats';
import { DossierService } from '../modules/dossier/dossier.service';
import { ReadContext, RecordStore } from '../modules/dossier/record-store';
import { RecordWriter } from '../modules/dossier/record-writer';
import { EnterpriseService } from '../modules/enterprise/enterprise.service';
import { AuditService, AuditTrail } from '../modules/audit';
import type { HubCache } from '../cache/cache';
import { CachedCatalogService, CatalogService } from '../modules/catalog';
import { CreditFeedService } from '../modules/feed/credit-feed.service';
import { CreditRepairService } from '../modules/credit/credit-repair.service';
import { MonitoringService } from '../modules/monitoring/monitoring.service';
import { compileCreditStatus } from '../modules/credit/credit-status.read';
import { compileUnderObjection, ObjectionService } from '../modules/objection';
import { compileUntriggeredOnsite } from '../modules/inspection/positive-list-flag';
import { ReadEngine, RequestReader, WithheldNote } from '../read/engine';
import { PreparedQueries } from '../db/prepared';
import { CaseService } from '../modules/enforcement/case.service';
import { EmergencyService } from '../modules/emergency/emergency.service';
import { PositiveListService } from '../modules/enforcement/positive-list.service';
import { SharingService } from '../modules/sharing';
import { WebhookService } from '../modules/webhook';
import type { ReceiverPolicy } from '../modules/webhook';

/** Purposes a request may declare in `X-Purpose`; anything else counts as no purpose. */
export const PURPOSES = ['ENFORCEMENT', 'EMERGENCY', 'CREDIT_ASSESSMENT', 'PERMITTING', 'RESEARCH'] as const;
export type Purpose = (typeof PURPOSES)[number];

export function parsePurpose(header: string | string[] | undefined): Purpose | null {
  const v = (Array.isArray(header) ? header[0] : header)?.trim().toUpperCase();
  return v && (PURPOSES as readonly string[]).includes(v) ? (v as Purpose) : null;
}

/** The hub's long-lived services, built once at start. */
export interface Services {
  ds: DataSource;
  /** The read engine: every dossier read is one statement it compiles (src/read/). */
  engine: ReadEngine;
  store: RecordStore;
  enterprises: EnterpriseService;
  dossier: DossierService;
  audit: AuditService;
  catalog: CatalogService;
  /** Upserts and withdrawals of dossier records, rule 6 decided per record. */
  writer: RecordWriter;
  monitoring: MonitoringService;
  feed: CreditFeedService;
  /** Early warning: the rules, the alerts and their lifecycle (src/modules/warning). */
  alerts: AlertService;
  /** Credit repair applications and decisions (信用修复). */
  repair: CreditRepairService;
  /** Joint enforcement: cases, transfers, evidence, each step through the writer. */
  cases: CaseService;
  /** The positive list: proposals by the eligibility rules, publicity, activation; removal by a penalty is the penalty write's own. */
  positiveList: PositiveListService;
  /** Sharing applications, and the active grants the policy decides with. */
  sharing: SharingService;
  /** The hub's clock: the day grant periods and sharing deadlines are counted on (the real time, except in tests that fix a day). */
  clock: () => Date;
  /** Data objections: raise, accept, verify, resolve, list (docs/objections.md). */
  objections: ObjectionService;
  /** Risk sources and emergency resources: lists and the spatial queries (src/modules/emergency). */
  emergency: EmergencyService;
  /** Webhook registrations of the agencies and their delivery logs (docs/webhooks.md); the deliveries are WebhookDelivery's. */
  webhooks: WebhookService;
  /** Compliance reminders: the rules, generation on the hub clock's day, delivery, the addressee's read and acknowledgement (docs/reminders.md). */
  reminders: ReminderService;
}

/** With a cache, the catalog's public reads are served through it (CachedCatalogService). */
export function createServices(ds: DataSource, cache?: HubCache, o: { preparedStatements?: boolean; auditCommit?: 'durable' | 'deferred'; events?: EventBus; alertObserver?: AlertObserver; warningRules?: WarningRules; clock?: () => Date; webhookReceivers?: ReceiverPolicy; reminderRules?: ReminderRules; reminderObserver?: ReminderObserver } = {}): Services {
  const clock = o.clock ?? (() => new Date());
  const store = new RecordStore(ds);
  const catalog = cache?.enabled ? new CachedCatalogService(ds, cache) : new CatalogService(ds);
  const engine = new ReadEngine(new PreparedQueries(ds, o.preparedStatements ?? true), {
    creditStatus: (c, parent, field, path) => compileCreditStatus(c, parent, field, false, path),
    underObjection: (c, parent) => compileUnderObjection(c, parent),
    untriggeredOnsite: (c, parent) => compileUntriggeredOnsite(c, parent),
  }, o.auditCommit ?? 'durable');
  const writer = new RecordWriter(ds);
  return { ds, engine, store, enterprises: new EnterpriseService(), dossier: new DossierService(), audit: new AuditService(ds), catalog, writer,
    monitoring: new MonitoringService(store, ds), feed: new CreditFeedService(ds), repair: new CreditRepairService(ds),
    alerts: new AlertService(ds, o.warningRules ?? loadWarningRules(), o.events, o.alertObserver),
    cases: new CaseService(ds, writer), positiveList: new PositiveListService(ds, writer), sharing: new SharingService(ds, { now: clock }), clock,
    objections: new ObjectionService(ds, writer), emergency: new EmergencyService(ds),
    // Without settings, receivers must be https on public addresses (fail closed).
    webhooks: new WebhookService(ds, o.webhookReceivers ?? { allowHttp: false, allowPrivate: false }),
    reminders: new ReminderService(ds, o.reminderRules ?? loadReminderRules(), o.events, o.reminderObserver, clock) };
}

/** Everything one request carries: built once per request, passed to every service call. */
export interface HubContext extends ReadContext {
  requestId: string;
  principal: Principal;
  purpose: Purpose | null;
  maskReport: MaskReport;
  /** Values the policy kept out of the answer, explained in `extensions.policy.withheld`. */
  withheld: WithheldNote[];
  /** The read engine, bound to this request. */
  read: RequestReader;
  services: Services;
  sql: SqlStats;
  audit: AuditTrail;
}

export function todayIso(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export function buildContext(services: Services, principal: Principal, purpose: Purpose | null, sql: SqlStats, requestId: string = randomUUID()): HubContext {
  // The catalog's sharing terms as of this request: the policy decides every read with them.
  const terms = services.catalog.terms();
  // The active grants of the caller's agency, and the day their periods are counted on.
  const grants = services.sharing.grantsFor(principal);
  const today = todayIso(services.clock());
  const maskReport: MaskReport = new Map();
  const withheld: WithheldNote[] = [];
  return {
    principal,
    purpose,
    terms,
    grants,
    today,
    maskReport,
    withheld,
    audit: new AuditTrail(),
    requestId,
    services,
    sql,
    read: services.engine.forRequest({ principal, purpose, terms, grants, requestId, maskReport, withheld, today }),
  };
}
