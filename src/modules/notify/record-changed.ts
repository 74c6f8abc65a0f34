import type { GraphQLResolveInfo } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { Arg, ClassType, createUnionType, Ctx, Field, FieldResolver, InputType, Info, ObjectType, Resolver, Root, Subscription } from 'type-graphql';
import { decide, DOSSIER_TYPES, RecordType } from '../../auth/policy';
import { districtsCoveredBy, isDistrict, Jurisdiction } from '../../domain/jurisdictions';
import type { HubContext } from '../../graphql/context';
import { badInput } from '../../graphql/errors';
import { UsccScalar } from '../../graphql/scalars';
import { RECORDS_CHANNEL } from '../changes/change-log';
import type { DossierRecord } from '../dossier/record-declaration';
import { RECORDS } from '../dossier/write-specs';
import { LiveContext, liveEvents } from './live-events';

/** The declared record types by the policy's record type: the one list the union and the re-read use. */
const BY_RECORD_TYPE = new Map<string, DossierRecord>(Object.values(RECORDS).map((r) => [r.recordType, r]));

/** Any dossier record, as `recordChanged` re-reads it for its subscriber. */
export const DossierRecordUnion = createUnionType({
  name: 'DossierRecord',
  description: 'A shared dossier record of any type, as the reader may see it (masks applied).',
  types: () => Object.values(RECORDS).map((r) => r.type) as [ClassType, ...ClassType[]],
  resolveType: (value) => (value as { __typename?: string }).__typename,
});

@InputType('RecordChangedFilter', { description: 'Which record changes to hear; all given conditions must hold. Changes the subscriber may not read are never sent.' })
export class RecordChangedFilter {
  @Field(() => RecordType, { nullable: true, description: 'Only records of this type (a dossier type: ENTERPRISE, EIA_APPROVAL, PERMIT, INSPECTION, PENALTY, COMPLAINT, CREDIT_RECORD).' })
  recordType?: RecordType;

  @Field(() => Jurisdiction, { nullable: true, description: 'Owner district, or a province / ZONE for the districts it covers.' })
  jurisdiction?: Jurisdiction;

  @Field(() => UsccScalar, { nullable: true, description: 'Only records of this enterprise (its own record and every record about it).' })
  uscc?: string;
}

@ObjectType('RecordChange', { description: 'A committed change of a shared record, on any hub instance, that the subscriber may read.' })
export class RecordChange {
  @Field(() => String, { description: 'Position of the change in the hub\'s change log (increasing in commit order).' })
  seq: string;

  @Field(() => DateTimeResolver, { description: 'When the change was committed.' })
  at: Date;

  @Field(() => RecordType)
  recordType: RecordType;

  @Field(() => String, { description: 'The record\'s natural key (a USCC, an approval, permit, inspection, decision or ticket number, a credit record id).' })
  key: string;

  @Field(() => String, { description: 'INSERTED, UPDATED or WITHDRAWN; credit records also LISTED, REMOVED, EVALUATED.' })
  op: string;

  @Field(() => Jurisdiction, { description: 'The owner district.' })
  ownerJurisdiction: Jurisdiction;

  @Field(() => String, { nullable: true, description: 'The enterprise the record is about.' })
  uscc: string | null;

  /** Set when the read engine released the record (and so audited it). */
  recordRead?: boolean;
}

/**
 * The record changes one subscriber hears: bus notices (keys only, from appendChanges) narrowed by
 * the filter and by the policy's decision for the subscriber (the same `decide` that scopes every
 * read of the type), and audited as a read of that record. The record itself, when selected, is
 * re-read through the read engine under the subscriber's principal, so masks apply and the engine
 * writes its audit row; otherwise the event's keys are tallied in the event's audit trail.
 */
export class RecordChangeService {
  subscribe(ctx: HubContext, filter: RecordChangedFilter | undefined): AsyncIterableIterator<RecordChange> {
    const f = filter ?? {};
    if (f.recordType !== undefined && !DOSSIER_TYPES.includes(f.recordType)) {
      throw badInput('filter.recordType', `must be a dossier record type (${DOSSIER_TYPES.join(', ')}), got ${f.recordType}`);
    }
    const districts = f.jurisdiction ? districtsCoveredBy(f.jurisdiction) : null;
    if (districts && districts.length === 0) throw badInput('filter.jurisdiction', `must be a district, a province or ZONE, got ${f.jurisdiction}`);
    return liveEvents(ctx, RECORDS_CHANNEL, (notice, c) => this.accept(c, notice, f, districts));
  }

  /** The event for this subscriber, or null when the filter or the policy keeps it from them. */
  accept(ctx: LiveContext, n: Record<string, unknown>, f: RecordChangedFilter, districts: readonly string[] | null): RecordChange | null {
    const { recordType, key, ownerJurisdiction: owner, uscc } = n;
    if (typeof recordType !== 'string' || typeof key !== 'string' || typeof owner !== 'string' || !BY_RECORD_TYPE.has(recordType)) return null;
    if (f.recordType && f.recordType !== recordType) return null;
    if (districts && !districts.includes(owner)) return null;
    if (f.uscc && f.uscc !== uscc) return null;
    if (!isDistrict(owner)) return null;
    const d = decide(ctx, recordType as RecordType, owner);
    // A row rule (the public's publicised penalties) depends on the row: the event is not sent (fail closed).
    if (!d.allowed || d.rowRule) return null;
    const change = Object.assign(new RecordChange(), {
      seq: String(n.seq), at: new Date(String(n.at)), recordType: recordType as RecordType, key, op: String(n.op),
      ownerJurisdiction: owner as unknown as Jurisdiction, uscc: typeof uscc === 'string' ? uscc : null,
    });
    ctx.live.afterEvent(() => {
      if (!change.recordRead) ctx.audit.returned(recordType, [{ ownerJurisdiction: owner, key }]);
    });
    return change;
  }

  /** The changed record as the subscriber reads it now by key (a withdrawn one with its withdrawal); null if gone or hidden. */
  async record(ctx: HubContext, change: RecordChange, info: GraphQLResolveInfo): Promise<Record<string, unknown> | null> {
    const r = BY_RECORD_TYPE.get(change.recordType);
    if (!r) return null;
    const found = await ctx.read.byKey(r.model, change.key, info);
    if (!found || !found.visible) return null;
    change.recordRead = true;
    return { ...found.node, __typename: r.typeName };
  }
}

const service = new RecordChangeService();

@Resolver(() => RecordChange)
export class RecordChangedResolver {
  @Subscription(() => RecordChange, {
    description: 'Committed changes of shared records, from every hub instance, that the subscriber may read; each event is audited as a read. Over WebSocket (graphql-ws) at /graphql.',
    subscribe: ({ args, context }) => service.subscribe(context as HubContext, (args as { filter?: RecordChangedFilter }).filter),
  })
  recordChanged(
    @Root() change: RecordChange,
    @Arg('filter', () => RecordChangedFilter, { nullable: true }) _filter?: RecordChangedFilter,
  ): RecordChange {
    return change;
  }

  @FieldResolver(() => DossierRecordUnion, { nullable: true, description: 'The record as the subscriber may read it now by its key (masks applied; a withdrawn record with withdrawnAt and withdrawalReason).' })
  record(@Root() change: RecordChange, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo): Promise<Record<string, unknown> | null> {
    return service.record(ctx, change, info);
  }
}
