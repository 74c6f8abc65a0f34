import 'reflect-metadata';
import { GraphQLSchema } from 'graphql';
import { buildSchema, NonEmptyArray } from 'type-graphql';
import { AuthResolver } from '../auth/auth.resolver';
import { AuditResolver } from '../modules/audit';
import { CatalogResolver } from '../modules/catalog';
import { complaint } from '../modules/complaint';
import { credit, CreditStatusResolver } from '../modules/credit';
import { eia } from '../modules/eia';
import { EnforcementResolver, registerEnforcementEnums } from '../modules/enforcement';
import { EnterpriseResolver } from '../modules/enterprise';
import { CreditFeedResolver } from '../modules/feed';
import { inspection } from '../modules/inspection';
import { JurisdictionResolver } from '../modules/jurisdiction';
import { MonitoringResolver, StandardsResolver } from '../modules/monitoring';
import { penalty } from '../modules/penalty';
import { permit } from '../modules/permit';
import { WRITE_RESOLVERS } from '../modules/dossier/write.resolver';
import { registerEnums } from './enums';
import { toSubgraphSchema } from './federation';

registerEnums();
registerEnforcementEnums();

export const RESOLVERS: NonEmptyArray<Function> = [
  AuthResolver,
  AuditResolver,
  JurisdictionResolver,
  EnterpriseResolver,
  eia.Resolver,
  permit.Resolver,
  inspection.Resolver,
  penalty.Resolver,
  complaint.Resolver,
  credit.Resolver,
  CreditStatusResolver,
  MonitoringResolver,
  StandardsResolver,
  EnforcementResolver,
  CatalogResolver,
  CreditFeedResolver,
  ...WRITE_RESOLVERS,
];

let built: Promise<GraphQLSchema> | undefined;

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
  }).then(toSubgraphSchema));
}
