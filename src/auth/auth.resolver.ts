import { Ctx, Field, ObjectType, Query, Resolver } from 'type-graphql';
import { Jurisdiction } from '../domain/jurisdictions';
import type { HubContext } from '../graphql/context';
import { Role } from './principal';

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
  @Query(() => PrincipalView, { description: 'Who the hub thinks you are.' })
  me(@Ctx() ctx: HubContext): PrincipalView {
    const p = ctx.principal;
    return { kind: p.kind, sub: p.sub, org: p.org, jurisdiction: p.jurisdiction, roles: [...p.roles], purpose: ctx.purpose };
  }
}
