import DataLoader from 'dataloader';
import type { ReadContext, KeyLookup } from '../dossier/record-store';
import type { Page, PageRequest } from '../../graphql/pagination';
import type { MonitoringService, ObservationQuery } from './monitoring.service';
import type { Observation } from './observation.entity';
import type { MonitoringStation } from './station.entity';

/**
 * The monitoring DataLoaders of one request, for one principal: sibling stations asking for the
 * same observation page share one statement, and nothing here outlives the request.
 */
export class MonitoringLoaders {
  private readonly pages = new Map<string, DataLoader<string, Page<Observation>>>();
  private readonly counts = new Map<string, DataLoader<string, number>>();

  constructor(private readonly service: MonitoringService, private readonly ctx: ReadContext) {}

  /** Stations by code, hidden ones marked (the visibility comes from the scope condition in SQL). */
  readonly stationByCode = new DataLoader<string, KeyLookup<MonitoringStation> | undefined>(async (codes) => {
    const found = await this.service.stationsByCode(this.ctx, codes);
    return codes.map((c) => found.get(c));
  }, { maxBatchSize: 1000 });

  /** One observation page per station, for one filter and page request. */
  observationsOf(query: ObservationQuery, page: PageRequest): DataLoader<string, Page<Observation>> {
    const key = `${queryKey(query)}|${page.first}|${page.afterRaw ?? ''}`;
    let l = this.pages.get(key);
    if (!l) {
      l = new DataLoader(async (ids) => {
        const pages = await this.service.observationPages(this.ctx, ids, query, page);
        return ids.map((id) => pages.get(id)!);
      }, { maxBatchSize: 1000 });
      this.pages.set(key, l);
    }
    return l;
  }

  /** Observation counts per station under one filter; asked for only when a client selects totalCount. */
  observationCount(query: ObservationQuery): DataLoader<string, number> {
    const key = queryKey(query);
    let l = this.counts.get(key);
    if (!l) {
      l = new DataLoader(async (ids) => {
        const counts = await this.service.observationCounts(this.ctx, ids, query);
        return ids.map((id) => counts.get(id) ?? 0);
      }, { maxBatchSize: 1000 });
      this.counts.set(key, l);
    }
    return l;
  }
}

function queryKey(q: ObservationQuery): string {
  return JSON.stringify([q.parameter, q.from?.toISOString() ?? null, q.to?.toISOString() ?? null]);
}
