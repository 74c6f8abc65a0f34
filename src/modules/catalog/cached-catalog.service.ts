import type { DataSource } from 'typeorm';
import { catalogVisibility } from '../../auth/catalog-visibility';
import { CATALOG_CACHE_TAG, HubCache } from '../../cache/cache';
import type { Page, PageArgs } from '../../graphql/pagination';
import type { CatalogFilter } from './catalog.inputs';
import { CatalogExportView, CatalogLoadResult, CatalogReadContext, CatalogService } from './catalog.service';
import type { CatalogFacets, CatalogResource } from './catalog.type';

/** True when a catalog load wrote anything, so answers computed before it are out of date. */
export function catalogLoadChanged(r: CatalogLoadResult): boolean {
  return r.inserted + r.updated + r.deleted + r.codes.inserted + r.codes.updated + r.codes.deleted > 0;
}

/**
 * The catalog service with its public reads cached. A catalog answer depends only on the arguments
 * and the caller's catalog visibility (`ALL` or `PUBLIC_ONLY`), never on who the caller is, so the
 * visibility is the scope part of every key; entries carry the catalog tag, which a catalog load
 * retires (see `follow`). Errors (bad filters, FORBIDDEN lookups) are never cached.
 */
export class CachedCatalogService extends CatalogService {
  private seenVersion: number | undefined;

  constructor(ds: DataSource, private readonly cache: HubCache) {
    super(ds);
  }

  /**
   * Retires the catalog's entries when the catalog changed under this process: every load
   * (`loadIntoDatabase`) and refresh moves `rulesVersion()`, so the first read after one bumps the
   * tag's generation, in Redis for every instance. A load in another process is announced by that
   * process (main.ts at start, the catalog:load command).
   */
  private async follow(): Promise<void> {
    let version: number;
    try {
      version = this.rulesVersion();
    } catch {
      return; // not loaded yet: nothing was cached from it either
    }
    if (this.seenVersion === undefined) this.seenVersion = version;
    else if (version !== this.seenVersion) {
      this.seenVersion = version;
      await this.cache.invalidate(CATALOG_CACHE_TAG);
    }
  }

  /**
   * The page is cached without `totalCount`; the count has an entry of its own (it does not depend
   * on the cursor) and is read or computed only when the query asks for it, as uncached.
   */
  override async list(ctx: CatalogReadContext, filter: CatalogFilter, args: PageArgs): Promise<Page<CatalogResource>> {
    await this.follow();
    const scope = catalogVisibility(ctx.principal);
    const fresh = (a: PageArgs): Promise<Page<CatalogResource>> => super.list(ctx, filter, a);
    let live: Page<CatalogResource> | undefined;
    const page = await this.cache.wrap(CATALOG_CACHE_TAG, 'catalog.list', { scope, filter, first: args.first ?? null, after: args.after ?? null }, async () => {
      live = await fresh(args);
      return { edges: live.edges, pageInfo: live.pageInfo };
    });
    const cache = this.cache;
    let total: Promise<number> | undefined;
    return {
      ...page,
      get totalCount() {
        return (total ??= cache.wrap(CATALOG_CACHE_TAG, 'catalog.count', { scope, filter }, async () => (live ?? (await fresh({ first: 0 }))).totalCount));
      },
    };
  }

  override async get(ctx: CatalogReadContext, code: string): Promise<CatalogResource | null> {
    await this.follow();
    return this.cache.wrap(CATALOG_CACHE_TAG, 'catalog.get', { scope: catalogVisibility(ctx.principal), code }, () => super.get(ctx, code));
  }

  override async facets(ctx: CatalogReadContext, filter: CatalogFilter): Promise<CatalogFacets> {
    await this.follow();
    return this.cache.wrap(CATALOG_CACHE_TAG, 'catalog.facets', { scope: catalogVisibility(ctx.principal), filter }, () => super.facets(ctx, filter));
  }

  /** The DCAT export's view: one entry per visibility. */
  override async exportView(ctx: CatalogReadContext): Promise<CatalogExportView> {
    await this.follow();
    return this.cache.wrap(CATALOG_CACHE_TAG, 'catalog.export', { scope: catalogVisibility(ctx.principal) }, () => super.exportView(ctx));
  }
}
