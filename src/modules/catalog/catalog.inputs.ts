import { Field, InputType } from 'type-graphql';
import { Jurisdiction } from '../../domain/jurisdictions';
import { CatalogSharingType } from './catalog.codes';

/**
 * Narrows the catalog; all given conditions must hold. Dimension codes are strings, not GraphQL
 * enums, because the code tables are data in catalog/dimensions/ and change without a release.
 */
@InputType({ description: 'Narrows the resource catalog; all given conditions must hold.' })
export class CatalogFilter {
  @Field(() => String, { nullable: true, description: '职能 code from catalog/dimensions/functions.yaml, e.g. MONITORING.' })
  function?: string;

  @Field(() => String, { nullable: true, description: '业务 code from business-lines.yaml, e.g. SURFACE_WATER.' })
  businessLine?: string;

  @Field(() => String, { nullable: true, description: '环境要素 code from elements.yaml, e.g. AIR; a resource matches when it lists the element.' })
  element?: string;

  @Field(() => CatalogSharingType, { nullable: true })
  sharingType?: CatalogSharingType;

  @Field(() => String, { nullable: true, description: 'Provider agency code from providers.yaml, e.g. WUJIANG-EEB.' })
  provider?: string;

  @Field(() => Jurisdiction, { nullable: true, description: 'Owner district, or a province / ZONE for the districts it covers: resources holding data of any of them.' })
  jurisdiction?: Jurisdiction;

  @Field(() => Boolean, { nullable: true, description: 'Only resources open (true) or not open (false) to the public.' })
  openToPublic?: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Chinese or English text (1 to 100 characters) found anywhere in the name, keywords, abstract or data item names; results come by relevance instead of by code.',
  })
  search?: string;
}
