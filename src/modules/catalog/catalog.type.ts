import { DateResolver } from 'graphql-scalars';
import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { Jurisdiction } from '../../domain/jurisdictions';
import { connectionType } from '../../graphql/pagination';
import { CatalogResourceStatus, CatalogSharingType } from './catalog.codes';

/*
 * The GraphQL shape of the catalog. It differs from the tables (names of codes are joined in,
 * sharing conditions and basis meet in one object), so it has its own classes; the service
 * builds them from rows.
 */

@ObjectType('CatalogCode', { description: 'An entry of a catalog code table: a stable code with its Chinese and English names.' })
export class CatalogCodeType {
  @Field() code: string;
  @Field({ description: 'Chinese name.' }) name: string;
  @Field() nameEn: string;
}

@ObjectType('CatalogProvider', { description: '信息资源提供方: the agency that provides a resource.' })
export class CatalogProviderType {
  @Field({ description: 'Agency code, the `org` claim of its tokens.' }) code: string;
  @Field() name: string;
  @Field() nameEn: string;
  @Field({ description: '提供方代码: the agency\'s Unified Social Credit Code.' }) uscc: string;
  @Field(() => Jurisdiction) jurisdiction: Jurisdiction;
}

@ObjectType('CatalogDataItem', { description: '信息项: one data item of a resource.' })
export class CatalogDataItemType {
  @Field() name: string;
  @Field(() => String, { nullable: true, description: 'The camelCase field that carries the item in the API, when there is one.' })
  field: string | null;

  @Field({ description: 'Data type code of the 2017 guide: C char, N numeric, Y currency, D date, T datetime, L logical, M memo, G general, B double, I integer, F float.' })
  type: string;

  @Field(() => Int) length: number;
  @Field(() => Int, { nullable: true, description: 'Digits after the decimal point, for numbers.' })
  scale: number | null;
}

@ObjectType('CatalogSharingConditions', {
  description: '共享条件: for a CONDITIONAL resource, the purposes it may be read for and the legal basis; for a NOT_SHARED one, the basis that rules sharing out (不予共享依据) and no purposes.',
})
export class CatalogSharingConditionsType {
  @Field(() => [String], { description: 'Purpose codes (catalog/dimensions/purposes.yaml) a reader must declare in X-Purpose.' })
  purposes: string[];

  @Field(() => String, { nullable: true }) legalBasis: string | null;
}

@ObjectType('CatalogFormat', { description: '信息资源格式: format class and type.' })
export class CatalogFormatType {
  @Field(() => CatalogCodeType) class: CatalogCodeType;
  @Field(() => CatalogCodeType) type: CatalogCodeType;
}

/** Not a GraphQL field: the update cycle's EU frequency, which the DCAT export needs. */
export interface UpdateCycleView extends CatalogCodeType {
  euFrequencyUri: string | null;
}

@Directive('@key(fields: "code")')
@ObjectType('CatalogResource', { description: 'A data resource of the monitoring data resource catalog: what it is, who provides it, and how to ask for it.' })
export class CatalogResource {
  @Field({ description: '信息资源代码: classification code / sequence, e.g. 211002/0001.' }) code: string;
  @Field({ description: '信息资源名称.' }) name: string;
  @Field() nameEn: string;
  @Field({ description: '信息资源摘要.' }) abstract: string;
  @Field(() => [String]) keywords: string[];
  @Field(() => CatalogProviderType) provider: CatalogProviderType;
  @Field(() => CatalogCodeType, { description: '职能.' }) function: CatalogCodeType;
  @Field(() => CatalogCodeType, { description: '业务.' }) businessLine: CatalogCodeType;
  @Field(() => [CatalogCodeType], { description: '环境要素.' }) elements: CatalogCodeType[];
  @Field(() => [Jurisdiction], { description: 'Owner districts of the data.' }) jurisdictions: Jurisdiction[];
  @Field(() => CatalogSharingType) sharingType: CatalogSharingType;
  @Field(() => CatalogSharingConditionsType, { nullable: true, description: 'Null for UNCONDITIONAL resources.' })
  sharingConditions: CatalogSharingConditionsType | null;

  @Field({ description: '是否向社会开放.' }) openToPublic: boolean;
  @Field(() => String, { nullable: true, description: '开放条件.' }) openConditions: string | null;
  @Field(() => CatalogCodeType, { description: '更新周期.' }) updateCycle: UpdateCycleView;
  @Field(() => CatalogFormatType) format: CatalogFormatType;
  @Field(() => [CatalogDataItemType], { description: 'Empty when the resource lists no data items (documents, images).' })
  dataItems: CatalogDataItemType[];

  @Field(() => [String], { description: '关联资源代码.' }) related: string[];
  @Field(() => CatalogResourceStatus, { description: 'SERVED: the hub answers the resource at entryPoint; PLANNED: catalogued, not yet served by the hub.' }) status: CatalogResourceStatus;
  @Field(() => String, { nullable: true, description: 'The root GraphQL field that serves the resource; null while it is PLANNED.' }) entryPoint: string | null;
  @Field(() => String, { nullable: true, description: 'A query that shows how to ask for the resource (it validates against this schema and answers); null while PLANNED.' }) exampleQuery: string | null;
  @Field(() => DateResolver, { description: '发布日期.' }) publishedAt: string;
}

export const CatalogResourceConnection = connectionType(CatalogResource, 'CatalogResource');

@ObjectType('CatalogFacetValue', { description: 'One value of a facet and how many resources it would select.' })
export class CatalogFacetValue {
  @Field() code: string;
  @Field() name: string;
  @Field() nameEn: string;
  @Field(() => Int) count: number;
  @Field({ description: 'Whether the filter selects this value now.' }) selected: boolean;
}

@ObjectType('CatalogFacets', {
  description:
    'Counts per dimension value for a browsing UI. Each dimension is counted under every condition of the filter except its own, '
    + 'so the list of a chosen dimension still shows the values one could switch to; values counting 0 are left out unless selected.',
})
export class CatalogFacets {
  @Field(() => Int, { description: 'Resources matching the whole filter.' }) total: number;
  @Field(() => [CatalogFacetValue]) functions: CatalogFacetValue[];
  @Field(() => [CatalogFacetValue]) businessLines: CatalogFacetValue[];
  @Field(() => [CatalogFacetValue]) elements: CatalogFacetValue[];
  @Field(() => [CatalogFacetValue]) sharingTypes: CatalogFacetValue[];
}
