
interface Tally {
  resourceType: string;
  owner: string;
  count: number;
  masked: boolean;
  denied: boolean;
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
      t = { resourceType, owner, count: 0, masked: false, denied: false };
      this.tallies.set(key, t);
    }
    return t;
  }

  /**
   * Rows of shared data returned to the caller (dossier records the read engine does not serve,
   * monitoring stations, observations, credit-feed entries); `maskedRows` says which had a field masked.
   */
  returned(resourceType: string, rows: ReadonlyArray<{ ownerJurisdiction: string }>, maskedRows: ReadonlySet<object> = new Set()): void {
    for (const r of rows) {
      const t = this.tally(resourceType, r.ownerJurisdiction);
      t.count++;
      if (maskedRows.has(r)) t.masked = true;
    }
  }

  /** A record asked for by key that the policy hid. */
  denied(resourceType: string, owner: string): void {
    this.tally(resourceType, owner).denied = true;
  }

  get entries(): Tally[] {
    return [...this.tallies.values()];
  }
}
