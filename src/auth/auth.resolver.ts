import { Ctx, Field, ObjectType, Query, Resolver } from 'type-graphql';
import { Jurisdiction } from '../domain/jurisdictions';
import type { HubContext } from '../graphql/context';
import { explainAccess, RECORD_TYPES, RecordType } from './policy';
import { Role } from './principal';

@ObjectType({ description: 'A record type\'s sharing terms, from its catalog resource.' })
export class SharingRuleView {
  @Field(() => RecordType) recordType: RecordType;
  @Field() catalogCode: string;
  @Field({ description: 'UNCONDITIONAL, CONDITIONAL or NOT_SHARED.' }) sharingType: string;
  @Field(() => [String], { description: 'Purposes a conditional resource may be read for (X-Purpose).' }) purposes: string[];
  @Field(() => String, { nullable: true, description: 'Legal basis of the conditions, or of not sharing.' }) legalBasis: string | null;
}

@ObjectType({ description: 'A purpose that would open a conditional resource, and the roles it needs (one of them).' })
export class PurposeOption {
  @Field() purpose: string;
  @Field(() => [Role]) roles: Role[];
}

@ObjectType({ description: 'What you can read of one catalog resource\'s data owned by one district, and what would give you more.' })
export class AccessLineView {
  @Field(() => RecordType) recordType: RecordType;
  @Field(() => String, { nullable: true, description: 'The catalog resource whose terms decide (for monitoring data, one line per resource).' }) catalogCode: string | null;
  @Field(() => Jurisdiction) ownerJurisdiction: Jurisdiction;
  @Field() canRead: boolean;
  @Field({ description: 'The rule that decided.' }) rule: string;
  @Field(() => [PurposeOption]) purposesThatWouldAllow: PurposeOption[];
  @Field(() => [Role], { description: 'Roles of which you need one to read at all.' }) rolesNeeded: Role[];
  @Field(() => [String], { description: 'Fields you would see masked (including data items your grant leaves out).' }) maskedFields: string[];
  @Field(() => String, { nullable: true, description: 'The sharing grant you read through (or hold but may not use with your roles).' }) grantId: string | null;
  @Field(() => String, { nullable: true, description: 'Where you cannot read conditional data: the catalog resource to apply for (applyForSharing).' }) applyFor: string | null;
}

@ObjectType('Principal', { description: 'Who the hub takes the caller to be, and the purpose it declared.' })
export class PrincipalView {
  @Field() kind: string;
  @Field() sub: string;
  @Field(() => String, { nullable: true }) org: string | null;
  @Field(() => Jurisdiction, { nullable: true }) jurisdiction: Jurisdiction | null;
  @Field(() => [Role]) roles: Role[];
  @Field(() => String, { nullable: true, description: 'The X-Purpose the hub recognised; null when none or unknown.' }) purpose: string | null;
}

@Resolver()
export class AuthResolver {
  @Query(() => [SharingRuleView], { description: 'The sharing terms of each dossier record type, as the catalog states them.' })
  sharingRules(@Ctx() ctx: HubContext): SharingRuleView[] {
    const rules = ctx.terms?.rules ?? new Map();
    return RECORD_TYPES.filter((t) => rules.has(t)).map((t) => {
      const r = rules.get(t)!;
      return { recordType: t, catalogCode: r.catalogCode, sharingType: r.sharingType, purposes: [...r.purposes], legalBasis: r.legalBasis };
    });
  }

  @Query(() => [AccessLineView], { description: 'For you, per catalog resource (each dossier record type, each part of the monitoring data) and owner district: what you can read now, and what purpose or role would give you more.' })
  myAccess(@Ctx() ctx: HubContext): AccessLineView[] {
    return explainAccess(ctx).map((l) => ({ ...l, purposesThatWouldAllow: l.purposesThatWouldAllow.map((o) => ({ purpose: o.purpose, roles: [...o.roles] })), rolesNeeded: [...l.rolesNeeded] }));
  }

  @Query(() => PrincipalView, { description: 'Who the hub thinks you are.' })
  me(@Ctx() ctx: HubContext): PrincipalView {
    const p = ctx.principal;
    return { kind: p.kind, sub: p.sub, org: p.org, jurisdiction: p.jurisdiction, roles: [...p.roles], purpose: ctx.purpose };
  }
}
