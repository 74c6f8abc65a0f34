import 'reflect-metadata';
import { GraphQLSchema } from 'graphql';
import { buildSchema, NonEmptyArray } from 'type-graphql';
import { AuthResolver } from '../auth/auth.resolver';
import { complaint } from '../modules/complaint';
import { credit } from '../modules/credit';
import { eia } from '../modules/eia';
import { EnterpriseResolver } from '../modules/enterprise';
import { inspection } from '../modules/inspection';
import { JurisdictionResolver } from '../modules/jurisdiction';
import { penalty } from '../modules/penalty';
import { permit } from '../modules/permit';
import { registerEnums } from './enums';

registerEnums();

export const RESOLVERS: NonEmptyArray<Function> = [
  AuthResolver,
  JurisdictionResolver,
  EnterpriseResolver,
  eia.Resolver,
  permit.Resolver,
  inspection.Resolver,
  penalty.Resolver,
  complaint.Resolver,
  credit.Resolver,
];

let built: Promise<GraphQLSchema> | undefined;

/** The hub's GraphQL schema, built once per process from the resolver classes. */
export function hubSchema(): Promise<GraphQLSchema> {
  return (built ??= buildSchema({
    resolvers: RESOLVERS,
    validate: false,
    emitSchemaFile: false,
  }));
}
