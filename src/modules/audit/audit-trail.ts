import { DOSSIER_TYPES, RecordType } from '../../auth/policy';

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

  /** Dossier rows returned to the caller; `maskedRows` says which of them had a field masked. */
  returned(recordType: RecordType, rows: ReadonlyArray<{ ownerJurisdiction: string }>, maskedRows: ReadonlySet<object> = new Set()): void {
    // The audit log is of dossier reads; monitoring data is shared network-wide and not audited.
    if (!DOSSIER_TYPES.includes(recordType)) return;
    for (const r of rows) {
      const t = this.tally(recordType, r.ownerJurisdiction);
      t.count++;
      if (maskedRows.has(r)) t.masked = true;
    }
  }

  /** A record asked for by key that the policy hid. */
  denied(recordType: RecordType, owner: string): void {
    if (!DOSSIER_TYPES.includes(recordType)) return;
    this.tally(recordType, owner).denied = true;
  }

  get entries(): Tally[] {
    return [...this.tallies.values()];
  }
}
