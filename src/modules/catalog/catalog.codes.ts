/*
 * Code lists of the catalog module that are fixed in code rather than in catalog/dimensions/: kept
 * free of decorators, so the DCAT export and scripts can use them without the GraphQL types.
 */

/** 共享类型, as a GraphQL enum (registered in src/graphql/enums.ts as SharingType). */
export enum CatalogSharingType {
  UNCONDITIONAL = 'UNCONDITIONAL',
  CONDITIONAL = 'CONDITIONAL',
  NOT_SHARED = 'NOT_SHARED',
}

/** Names of the sharing types, for facets and the DCAT export (they have no code table file). */
export const SHARING_TYPE_NAMES: Readonly<Record<CatalogSharingType, { name: string; nameEn: string }>> = {
  [CatalogSharingType.UNCONDITIONAL]: { name: '无条件共享', nameEn: 'Shared unconditionally' },
  [CatalogSharingType.CONDITIONAL]: { name: '有条件共享', nameEn: 'Shared on conditions' },
  [CatalogSharingType.NOT_SHARED]: { name: '不予共享', nameEn: 'Not shared' },
};

/** Whether the hub serves a resource yet (registered as CatalogResourceStatus). */
export enum CatalogResourceStatus {
  SERVED = 'SERVED',
  PLANNED = 'PLANNED',
}
