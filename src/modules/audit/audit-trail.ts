
interface Tally {
  resourceType: string;
  owner: string;
  count: number;
  masked: boolean;
  denied: boolean;
  /** Natural keys of the records read (or refused). */
  keys: Set<string>;
  /** The sharing grant the rows were read through, if any. */
  grantId: string | null;
}

/**
 * What one request read, by record type and owner district: filled by the record store as rows
 * leave it, written as audit events before the response leaves the hub.
 */
export class AuditTrail {
  private readonly tallies = new Map<string, Tally>();

  private tally(resourceType: string, owner: string, grantId: string | null = null): Tally {
    const key = `${resourceType}|${owner}|${grantId ?? ''}`;
    let t = this.tallies.get(key);
    if (!t) {
      t = { resourceType, owner, count: 0, masked: false, denied: false, keys: new Set(), grantId };
      this.tallies.set(key, t);
    }
    return t;
  }

  /**
   * Rows of shared data returned to the caller (dossier records the read engine does not serve,
   * monitoring stations, observations, credit-feed entries); `maskedRows` says which had a field masked.
   */
  returned(resourceType: string, rows: ReadonlyArray<{ ownerJurisdiction: string; key?: string; grantId?: string | null }>, maskedRows: ReadonlySet<object> = new Set()): void {
    for (const r of rows) {
      const t = this.tally(resourceType, r.ownerJurisdiction, r.grantId ?? null);
      t.count++;
      if (r.key !== undefined) t.keys.add(r.key);
      if (maskedRows.has(r)) t.masked = true;
    }
  }

  /** A record asked for by key that the policy hid. */
  denied(resourceType: string, owner: string, key?: string): void {
    const t = this.tally(resourceType, owner);
    t.denied = true;
    if (key !== undefined) t.keys.add(key);
  }

  get entries(): Tally[] {
    return [...this.tallies.values()];
  }
}
