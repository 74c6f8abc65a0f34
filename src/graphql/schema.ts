import 'reflect-metadata';
import { GraphQLSchema } from 'graphql';
import { buildSchema, NonEmptyArray } from 'type-graphql';
import { AuthResolver } from '../auth/auth.resolver';
import { AuditResolver } from '../modules/audit';
import { CatalogResolver } from '../modules/catalog';
// Root fields are listed in the schema in the order their modules are first imported: the
// enterprise's after those of the record types it lists.
import { complaintResolvers } from '../modules/complaint';
import { creditResolvers, CreditRepairResolver, CreditStatusResolver } from '../modules/credit';
import { eiaResolvers } from '../modules/eia';
import { inspectionResolvers } from '../modules/inspection';
import { penaltyResolvers } from '../modules/penalty';
import { permitResolvers } from '../modules/permit';
import { enterpriseResolvers } from '../modules/enterprise';
import { caseResolvers, EnforcementResolver, registerCaseEnums, registerEnforcementEnums } from '../modules/enforcement';
import { CreditFeedResolver, creditFeedShaper } from '../modules/feed';
import type { PreShaper } from './preshaped';
import type { HubContext } from './context';
import { SharingResolver } from '../modules/sharing';
import { JurisdictionResolver } from '../modules/jurisdiction';
import { MonitoringResolver, StandardsResolver } from '../modules/monitoring';
import { AlertResolver } from '../modules/warning';
import { emergencyResolvers, registerEmergencyEnums } from '../modules/emergency';
import { ReminderResolver } from '../modules/reminders';
import { ObjectionResolver } from '../modules/objection';
import { WRITE_RESOLVERS } from '../modules/dossier/write.resolver';
import { AlertRaisedResolver, ComplianceReminderRaisedResolver, RecordChangedResolver, WorkflowChangesResolver } from '../modules/notify';
import { WebhookResolver } from '../modules/webhook';
import { registerEnums } from './enums';
import { awaitLazyCounts } from './pagination';
import { toSubgraphSchema } from './federation';
import { readComputedOutputsDirectly } from '../modules/dossier/record.resolver';
import { RECORDS } from '../modules/dossier/write-specs';

registerEnums();
registerEnforcementEnums();
registerCaseEnums();
registerEmergencyEnums();

export const RESOLVERS: NonEmptyArray<Function> = [
  AuthResolver,
  AuditResolver,
  JurisdictionResolver,
  ...enterpriseResolvers,
  ...eiaResolvers,
  ...permitResolvers,
  ...inspectionResolvers,
  ...penaltyResolvers,
  ...complaintResolvers,
  ...creditResolvers,
  CreditStatusResolver,
  CreditRepairResolver,
  MonitoringResolver,
  StandardsResolver,
  AlertResolver,
  ReminderResolver,
  EnforcementResolver,
  ...caseResolvers,
  ...emergencyResolvers,
  CatalogResolver,
  CreditFeedResolver,
  SharingResolver,
  ObjectionResolver,
  WebhookResolver,
  ...WRITE_RESOLVERS,
  // Subscriptions (served over WebSocket by src/graphql/subscriptions.ts; src/modules/notify/ says how to add one).
  RecordChangedResolver,
  WorkflowChangesResolver,
  AlertRaisedResolver,
  ComplianceReminderRaisedResolver,
];

const NO_TOPICS = {
  publish(): void {
    throw new Error('in-process topics are not used: publish on the event bus (src/db/events.ts)');
  },
  subscribe(): AsyncIterable<never> {
    throw new Error('in-process topics are not used: subscribe with liveEvents (src/modules/notify/)');
  },
};

let built: Promise<GraphQLSchema> | undefined;

/**
 * Root fields PostgreSQL answers as the response's own JSON text when their selection allows
 * (src/graphql/preshaped.ts; the compiled executor only).
 */
export const PRESHAPED: ReadonlyMap<string, PreShaper<HubContext>> = new Map([['creditFeed', creditFeedShaper]]);

/**
 * The hub's GraphQL schema, built once per process from the resolver classes and served as an
 * Apollo Federation v2 subgraph (`_service`, `_entities`), so a router can compose it with the
 * provinces' own subgraphs; for direct callers it is the same API plus those two fields.
 */
export function hubSchema(): Promise<GraphQLSchema> {
  return (built ??= buildSchema({
    resolvers: RESOLVERS,
    validate: false,
    emitSchemaFile: false,
    // type-graphql requires a PubSub once a schema has subscriptions. The hub's subscriptions take their
    // events from the cross-instance event bus (`subscribe:` with liveEvents, src/modules/notify/), never
    // from in-process topics, so a `topics:` subscription fails loudly instead of hearing one instance only.
    pubSub: NO_TOPICS,
  }).then((schema) => toSubgraphSchema(awaitLazyCounts(readComputedOutputsDirectly(schema, Object.values(RECORDS))))));
}
