import { Query, Resolver } from 'type-graphql';
import { JURISDICTIONS } from '../../domain/jurisdictions';
import { JurisdictionEntity } from './jurisdiction.entity';

export { JurisdictionEntity };

@Resolver()
export class JurisdictionResolver {
  @Query(() => [JurisdictionEntity], { description: 'The jurisdictions of the zone and around it, with admin division codes (public reference data).' })
  jurisdictions(): JurisdictionEntity[] {
    return JURISDICTIONS.map((j) => ({ code: j.code, name: j.name, nameZh: j.nameZh, level: j.level, divisionCode: j.divisionCode, parent: j.parent }));
  }
}
