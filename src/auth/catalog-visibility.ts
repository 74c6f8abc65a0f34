import { Principal } from './principal';

/**
 * How much of the resource catalog a principal sees. The catalog says what exists and how to ask
 * for it; the data itself stays under the read policy (policy.ts). So every authenticated
 * principal of the zone's jurisdictions, the Credit Yangtze Delta platform included, sees the
 * whole catalog whatever its roles, and the public sees the entries open to the public (rule 5).
 */
export type CatalogVisibility = 'ALL' | 'PUBLIC_ONLY';

/** The catalog visibility of a principal: `ALL` for the system and any verified token, `PUBLIC_ONLY` otherwise. */
export function catalogVisibility(principal: Principal): CatalogVisibility {
  if (principal.kind === 'system') return 'ALL';
  if (principal.kind === 'user' && principal.jurisdiction !== null) return 'ALL';
  return 'PUBLIC_ONLY';
}

/**
 * The SQL form of the visibility over catalog_resource rows at `alias`, so lists, counts and
 * facets leave out in the WHERE clause what the principal may not see.
 */
export function catalogVisibilityCondition(principal: Principal, alias: string): string {
  return catalogVisibility(principal) === 'ALL' ? 'true' : `${alias}.open_to_public`;
}
