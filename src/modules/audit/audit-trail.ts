
interface Tally {
  resourceType: string;
  owner: string;
  count: number;
  masked: boolean;
  denied: boolean;
  /** Natural keys of the records read (or refused). */
  keys: Set<string>;
}

/**
 * What one request read, by record type and owner district: filled by the record store as rows
 * leave it, written as audit events before the response leaves the hub.
 */
export class AuditTrail {
  private readonly tallies = new Map<string, Tally>();

  private tally(resourceType: string, owner: string): Tally {
    const key = `${resourceType}|${owner}`;
    let t = this.tallies.get(key);
    if (!t) {
      t = { resourceType, owner, count: 0, masked: false, denied: false, keys: new Set() };
      this.tallies.set(key, t);
    }
    return t;
  }

  /**
   * Rows of shared data returned to the caller (dossier records the read engine does not serve,
   * monitoring stations, observations, credit-feed entries); `maskedRows` says which had a field masked.
   */
  returned(resourceType: string, rows: ReadonlyArray<{ ownerJurisdiction: string; key?: string }>, maskedRows: ReadonlySet<object> = new Set()): void {
    for (const r of rows) {
      const t = this.tally(resourceType, r.ownerJurisdiction);
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
