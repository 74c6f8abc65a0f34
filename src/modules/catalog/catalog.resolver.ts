import { Arg, Args, Ctx, Query, Resolver } from 'type-graphql';
import type { HubContext } from '../../graphql/context';
import { Page, PageArgs } from '../../graphql/pagination';
import { CatalogFilter } from './catalog.inputs';
import { CatalogFacets, CatalogResource, CatalogResourceConnection } from './catalog.type';

/** The catalog's root fields; visibility, search and facets live in CatalogService. */
@Resolver(() => CatalogResource)
export class CatalogResolver {
  @Query(() => CatalogResourceConnection, {
    description: 'Catalog resources the caller may see (the public: those open to the public), by code, or by relevance when filter.search is given.',
  })
  catalogResources(@Arg('filter', () => CatalogFilter, { nullable: true }) filter: CatalogFilter | undefined, @Args() page: PageArgs, @Ctx() ctx: HubContext): Promise<Page<CatalogResource>> {
    return ctx.services.catalog.list(ctx, filter ?? {}, page);
  }

  @Query(() => CatalogResource, { nullable: true, description: 'One catalog resource by code (e.g. 211002/0001); null when there is none, FORBIDDEN when it is not open to the public and no token was sent.' })
  catalogResource(@Arg('code', () => String) code: string, @Ctx() ctx: HubContext): Promise<CatalogResource | null> {
    return ctx.services.catalog.get(ctx, code);
  }

  @Query(() => CatalogFacets, { description: 'Counts per function, business line, element and sharing type under the filter, for narrowing step by step.' })
  catalogFacets(@Arg('filter', () => CatalogFilter, { nullable: true }) filter: CatalogFilter | undefined, @Ctx() ctx: HubContext): Promise<CatalogFacets> {
    return ctx.services.catalog.facets(ctx, filter ?? {});
  }
}
