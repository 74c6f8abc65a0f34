import DataLoader from 'dataloader';
import { readScope, RecordType } from '../auth/policy';
import { CreditRecord } from '../modules/credit/credit-record.entity';
import { creditStatusOf, CreditStatus } from '../modules/credit/credit-status';
import { KeyLookup, ReadContext, RecordSpec, RecordStore } from '../modules/dossier/record-store';
import { SpecName, SPECS } from '../modules/dossier/specs';
import { Enterprise } from '../modules/enterprise/enterprise.entity';
import { Page, PageArgs, pageRequest } from './pagination';

/**
 * The DataLoaders of one request. They are built per request for one principal, so every batch
 * is scoped to that principal and nothing cached here reaches another caller. Loaders do not
 * cache across requests.
 */
export class Loaders {
  private readonly byKey = new Map<SpecName, DataLoader<string, KeyLookup<unknown> | undefined>>();
  private readonly pages = new Map<string, DataLoader<string, Page<unknown>>>();

  constructor(private readonly store: RecordStore, private readonly ctx: ReadContext, private readonly today: () => string) {}

  /** Records by natural key (USCC for enterprises), with hidden ones marked. */
  recordByKey(name: SpecName): DataLoader<string, KeyLookup<unknown> | undefined> {
    let l = this.byKey.get(name);
    if (!l) {
      l = new DataLoader(async (keys) => {
        const found = await this.store.byKeys<unknown>(this.ctx, SPECS[name] as RecordSpec<unknown>, keys);
        return keys.map((k) => found.get(k));
      }, { maxBatchSize: 1000 });
      this.byKey.set(name, l);
    }
    return l;
  }

  /** Enterprises by id, for `record.enterprise`: null when the caller may not see the enterprise. */
  readonly enterpriseById = new DataLoader<string, Enterprise | null>(async (ids) => {
    const found = await this.store.byKeys(this.ctx, SPECS.enterprise, ids, 'id');
    return ids.map((id) => {
      const f = found.get(id);
      return f?.visible ? f.row : null;
    });
  }, { maxBatchSize: 1000 });

  /** One page of a record type for each enterprise; siblings with the same page arguments share one statement. */
  recordsOf<T>(name: SpecName, args: PageArgs, path: string): DataLoader<string, Page<T>> {
    const spec = SPECS[name] as RecordSpec<unknown>;
    const page = pageRequest(args, spec.recordType, this.store.cursorKinds(spec), path);
    const key = `${name}:${page.first}:${page.afterRaw ?? ''}`;
    let l = this.pages.get(key);
    if (!l) {
      l = new DataLoader(async (ids) => {
        const pages = await this.store.byEnterprises(this.ctx, spec, ids, page);
        return ids.map((id) => pages.get(id)!);
      }, { maxBatchSize: 1000 });
      this.pages.set(key, l);
    }
    return l as unknown as DataLoader<string, Page<T>>;
  }

  /** The credit status of many enterprises in one statement, from the credit records the caller may see. */
  readonly creditStatus = new DataLoader<string, CreditStatus | null>(async (ids) => {
    if (readScope(this.ctx, RecordType.CREDIT_RECORD).districts.length === 0) return ids.map(() => null);
    const rows = await this.store.allOfEnterprises(this.ctx, SPECS.credit, ids);
    const byEnterprise = new Map<string, CreditRecord[]>();
    for (const r of rows) byEnterprise.set(r.enterpriseId, [...(byEnterprise.get(r.enterpriseId) ?? []), r]);
    const today = this.today();
    return ids.map((id) => creditStatusOf(byEnterprise.get(id) ?? [], today));
  }, { maxBatchSize: 1000 });
}
