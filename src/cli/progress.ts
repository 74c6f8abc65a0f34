/**
 * A progress line for long commands, written to a stream (stderr): on a terminal a bar redrawn in
 * place at most ten times a second; elsewhere (a log, a CI job) a plain line every few seconds, so
 * logs stay readable. Rate and ETA come from bytes read, which needs no first pass over the file.
 */
export interface ProgressState {
  rows: number;
  bytes: number;
  totalBytes: number;
  /** Extra counters shown after the rate (inserted, rejected…). */
  counts?: Record<string, number>;
}

export interface ProgressOptions {
  stream?: NodeJS.WriteStream;
  /** Override of the stream's TTY detection (tests). */
  tty?: boolean;
  /** Least time between two lines when not on a terminal. */
  lineEveryMs?: number;
  now?: () => number;
}

const TTY_REDRAW_MS = 100;
const BAR_WIDTH = 24;

function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** A progress reporter for one command run (see the file's comment). */
export class ProgressBar {
  private readonly stream: NodeJS.WriteStream;
  private readonly tty: boolean;
  private readonly lineEveryMs: number;
  private readonly now: () => number;
  private readonly started: number;
  private last: number;

  constructor(private readonly label: string, o: ProgressOptions = {}) {
    this.stream = o.stream ?? process.stderr;
    this.tty = o.tty ?? !!this.stream.isTTY;
    this.lineEveryMs = o.lineEveryMs ?? 5000;
    this.now = o.now ?? Date.now;
    this.started = this.now();
    // The first report comes one interval in: a short run prints only its final line.
    this.last = this.started;
  }

  /** The text of one report: percentage, rows, rate, ETA and counters. */
  render(s: ProgressState): string {
    const elapsed = (this.now() - this.started) / 1000;
    const fraction = s.totalBytes > 0 ? Math.min(1, s.bytes / s.totalBytes) : 0;
    const rate = elapsed > 0 ? s.rows / elapsed : 0;
    const eta = fraction > 0 ? (elapsed * (1 - fraction)) / fraction : NaN;
    const counts = Object.entries(s.counts ?? {}).map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(', ');
    const pct = `${(fraction * 100).toFixed(0).padStart(3)}%`;
    const body = `${s.rows.toLocaleString('en-US')} rows, ${Math.round(rate).toLocaleString('en-US')} rows/s, ETA ${duration(eta)}${counts ? `, ${counts}` : ''}`;
    if (!this.tty) return `${this.label}: ${pct.trim()} ${body}`;
    const filled = Math.round(fraction * BAR_WIDTH);
    return `${this.label} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${pct} ${body}`;
  }

  /** Reports progress, if enough time has passed since the last report. */
  update(s: ProgressState): void {
    const t = this.now();
    if (t - this.last < (this.tty ? TTY_REDRAW_MS : this.lineEveryMs)) return;
    this.last = t;
    this.write(s);
  }

  /** The final report, always written, ending the line. */
  done(s: ProgressState): void {
    this.write(s);
    if (this.tty) this.stream.write('\n');
  }

  private write(s: ProgressState): void {
    this.stream.write(this.tty ? `\r${this.render(s)}\x1b[K` : `${this.render(s)}\n`);
  }
}
