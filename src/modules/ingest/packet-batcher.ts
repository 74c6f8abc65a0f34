import type { Hj212Ingest, PacketOutcome, PreparedPackets } from './hj212-ingest.service';

interface Waiting {
  prepared: PreparedPackets;
  resolve: (o: PacketOutcome[]) => void;
  reject: (err: unknown) => void;
}

/**
 * Gathers the TCP listener's packets into batches (group commit): packets checked (`prepare`, per
 * connection, so one sender's slow password checks hold up only its own connection) that arrive
 * while a batch is being written — from one logger's burst or from many connections at once — wait
 * and form the next batch, written by one INSERT (`commit`). A packet arriving when the hub is idle
 * waits for nothing but the end of its I/O turn; under load the batches grow by themselves, up to
 * `maxBatch` packets.
 *
 * Writes are strictly one after another, in arrival order, so a connection's packets are stored in
 * the order it sent them (a later re-sent value still replaces an earlier one). The warning rules
 * of a written batch run while the next batch is written; a packet's outcome is given once the
 * rules have heard of its batch, so its reply follows its evaluation as over HTTP. A batch that
 * cannot be written fails all its packets (nothing of it is stored); their loggers get no reply and
 * send again.
 */
export class PacketBatcher {
  private waiting: Waiting[] = [];
  private scheduled = false;
  private running: Promise<void> = Promise.resolve();
  private readonly evaluating = new Set<Promise<void>>();
  /** Batches written and the packets in them, and batches the database refused (nothing of them stored), for the tests and the bench. */
  readonly stats = { batches: 0, packets: 0, largest: 0, failed: 0, failedPackets: 0 };

  constructor(private readonly ingest: Hj212Ingest, private readonly maxBatch = 1000) {}

  /** The packets' outcomes, once their batch is written and the rules have heard of it. */
  submit(prepared: PreparedPackets): Promise<PacketOutcome[]> {
    return new Promise<PacketOutcome[]>((resolve, reject) => {
      this.waiting.push({ prepared, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // The rest of this I/O turn's lines join the batch; then it goes after the batch being written.
        setImmediate(() => {
          this.running = this.running.then(() => this.drain());
        });
      }
    });
  }

  /** Resolves once everything submitted so far is written and evaluated. */
  async idle(): Promise<void> {
    do {
      await new Promise((r) => setImmediate(r));
      await this.running;
    } while (this.scheduled || this.waiting.length);
    await Promise.all([...this.evaluating]);
  }

  private async drain(): Promise<void> {
    this.scheduled = false;
    while (this.waiting.length) {
      let n = 0;
      let take = 0;
      while (take < this.waiting.length && (take === 0 || n + this.waiting[take].prepared.items.length <= this.maxBatch)) n += this.waiting[take++].prepared.items.length;
      const batch = this.waiting.splice(0, take);
      let result: Awaited<ReturnType<Hj212Ingest['commit']>>;
      try {
        result = await this.ingest.commit(batch.map((w) => w.prepared));
      } catch (err) {
        this.stats.failed++;
        this.stats.failedPackets += n;
        for (const w of batch) w.reject(err);
        continue;
      }
      this.stats.batches++;
      this.stats.packets += n;
      this.stats.largest = Math.max(this.stats.largest, n);
      const { outcomes, stored } = result;
      const told: Promise<void> = this.ingest.evaluate(stored).then(() => {
        let at = 0;
        for (const w of batch) {
          w.resolve(outcomes.slice(at, at + w.prepared.items.length));
          at += w.prepared.items.length;
        }
      });
      this.evaluating.add(told);
      void told.finally(() => this.evaluating.delete(told));
    }
  }
}
