import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Field, FieldResolver, Info, Int, Mutation, ObjectType, registerEnumType, Resolver, Root } from 'type-graphql';
import { Jurisdiction } from '../../domain/jurisdictions';
import type { HubContext } from '../../graphql/context';
import type { DossierRecord, RecordNode } from './record-declaration';
import { recordJsonScalar } from './record-fields';
import { keyArgType } from './record.resolver';
import { MAX_BATCH, RecordOutcome, WriteStatus } from './record-writer';
import { RECORDS } from './write-specs';

registerEnumType(WriteStatus, {
  name: 'WriteStatus',
  description: 'What a write did: INSERTED, UPDATED, UNCHANGED (same version sent again), WITHDRAWN (withdraw mutations), REJECTED (a record of a batch).',
});

@ObjectType({ description: 'One problem of an input: the field\'s path and what is wrong with it.' })
export class InputProblemView {
  @Field({ description: 'Path of the field, e.g. input.validTo or records.3.uscc.' })
  field: string;

  @Field()
  message: string;
}

@ObjectType({ description: 'The outcome of one record of a batch write.' })
export class BatchRecordResult {
  @Field(() => Int, { description: 'Position of the record in `records`, from 0.' })
  index: number;

  @Field(() => String, { nullable: true, description: 'The record\'s natural key, when it has a valid one.' })
  key: string | null;

  @Field(() => WriteStatus)
  status: WriteStatus;

  @Field(() => String, { nullable: true, description: 'Why it was rejected: BAD_USER_INPUT, FORBIDDEN or CONFLICT.' })
  code: string | null;

  @Field(() => Jurisdiction, { nullable: true, description: 'For FORBIDDEN: the district whose records the caller may not write.' })
  ownerJurisdiction?: string;

  @Field(() => [InputProblemView])
  problems: InputProblemView[];
}

@ObjectType({ description: `A batch write: each record accepted or rejected on its own (at most ${MAX_BATCH}); the accepted ones are committed together.` })
export class BatchWriteResult {
  @Field(() => Int) inserted: number;
  @Field(() => Int) updated: number;
  @Field(() => Int) unchanged: number;
  @Field(() => Int) rejected: number;
  @Field(() => [BatchRecordResult], { description: 'One result per record, in the order sent.' })
  results: RecordOutcome[];
}

/**
 * The thin resolver of one record type's writes: upsert by natural key, batch upsert, withdraw.
 * Rule 6, the checks and the SQL are in RecordWriter; the per-type rules in the type's declaration.
 */
export function createWriteResolver(r: DossierRecord) {
  const spec = r.write;
  const t = spec.typeName;
  const plural = r.plural[0].toUpperCase() + r.plural.slice(1);
  // Batches take their records as JSON, checked by the hub, so that one bad record cannot fail the others.
  const batchRecord = recordJsonScalar(spec.inputName, spec.fields);

  @ObjectType(`${t}WriteResult`, { description: `The outcome of writing one ${t}.` })
  class WriteResult {
    @Field(() => WriteStatus)
    status: WriteStatus;

    @Field({ description: 'The natural key written.' })
    key: string;

    @Field(() => r.type, { nullable: true, description: 'The record as stored, as the caller may read it; null when its read rights do not cover it.' })
    record: RecordNode | null;
  }

  /** The record after the write, read back through the read engine with the caller's rights and this field's selection. */
  @Resolver(() => WriteResult)
  class WriteResultResolver {
    @FieldResolver(() => r.type, { nullable: true })
    async record(@Root() result: { key: string }, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo): Promise<RecordNode | null> {
      const found = await ctx.read.byKey(r.model, result.key, info);
      return found?.visible ? found.node : null;
    }
  }

  @Resolver()
  class WriteResolver {
    @Mutation(() => WriteResult, {
      name: `upsert${t}`,
      description: `Inserts or replaces a ${t} by its ${spec.key}. Sending the same version again is UNCHANGED; a newer asOf replaces it; an older asOf, or the same asOf with other content, is CONFLICT. Only a DATA_STEWARD of the owner district writes (FORBIDDEN otherwise); every problem of the input comes back at once in extensions.problems.`,
    })
    upsert(@Arg('input', () => r.input) input: object, @Ctx() ctx: HubContext) {
      return ctx.services.writer.upsert(ctx, spec, input);
    }

    @Mutation(() => BatchWriteResult, {
      name: `upsert${plural}`,
      description: `Upserts up to ${MAX_BATCH} ${plural}, each accepted or rejected on its own (with its index and problems), whatever is wrong with it: a value of the wrong type, an unknown field or a null record is that record's problem, as the records are ${spec.inputName}JSON. The accepted ones commit together. The request body is at most 1 MB: records with long texts go in smaller batches, or through \`npm run import\`.`,
    })
    upsertMany(@Arg('records', () => [batchRecord], { nullable: 'items' }) records: unknown[], @Ctx() ctx: HubContext) {
      return ctx.services.writer.upsertMany(ctx, spec, records);
    }

    @Mutation(() => WriteResult, {
      name: `withdraw${t}`,
      description: `Withdraws a ${t} revoked or corrected at its source: it is kept with the reason, left out of lists, and still found by key.`,
    })
    // Arguments are declared reason first because type-graphql lists them in reverse: the schema reads (key, reason).
    withdraw(@Arg('reason', () => String) reason: string, @Arg(spec.key, () => keyArgType(r)) key: string, @Ctx() ctx: HubContext) {
      return ctx.services.writer.withdraw(ctx, spec, key, reason);
    }
  }

  return [WriteResolver, WriteResultResolver];
}

/** The write resolvers of the seven record types, for the schema's resolver list. */
export const WRITE_RESOLVERS: Function[] = Object.values(RECORDS).flatMap(createWriteResolver);
