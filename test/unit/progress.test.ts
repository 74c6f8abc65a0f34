import { ProgressBar } from '../../src/cli/progress';

/** The import's progress line: a bar redrawn at most ten times a second on a terminal, a line every few seconds elsewhere. */
function sink() {
  const out: string[] = [];
  return { out, stream: { write: (s: string) => out.push(s), isTTY: false } as unknown as NodeJS.WriteStream };
}

describe('ProgressBar', () => {
  test('on a terminal: redrawn in place, at most every 100 ms, with percentage, rate and ETA', () => {
    let now = 0;
    const { out, stream } = sink();
    const bar = new ProgressBar('import penalties', { stream, tty: true, now: () => now });
    now = 50;
    bar.update({ rows: 10, bytes: 10, totalBytes: 100 });
    expect(out).toEqual([]);
    now = 2000;
    bar.update({ rows: 1000, bytes: 25, totalBytes: 100, counts: { inserted: 990, rejected: 10 } });
    expect(out).toEqual(['\rimport penalties [######..................]  25% 1,000 rows, 500 rows/s, ETA 00:06, inserted 990, rejected 10\x1b[K']);
    now = 2050;
    bar.update({ rows: 1100, bytes: 30, totalBytes: 100 });
    expect(out).toHaveLength(1);
    now = 8000;
    bar.done({ rows: 4000, bytes: 100, totalBytes: 100 });
    expect(out.slice(1)).toEqual(['\rimport penalties [########################] 100% 4,000 rows, 500 rows/s, ETA 00:00\x1b[K', '\n']);
  });

  test('elsewhere: a plain line every interval, and the final one', () => {
    let now = 0;
    const { out, stream } = sink();
    const bar = new ProgressBar('import', { stream, lineEveryMs: 5000, now: () => now });
    now = 1000;
    bar.update({ rows: 100, bytes: 1, totalBytes: 10 });
    now = 5000;
    bar.update({ rows: 500, bytes: 5, totalBytes: 10 });
    now = 6000;
    bar.update({ rows: 600, bytes: 6, totalBytes: 10 });
    now = 10_000;
    bar.done({ rows: 1000, bytes: 10, totalBytes: 10 });
    expect(out).toEqual(['import: 50% 500 rows, 100 rows/s, ETA 00:05\n', 'import: 100% 1,000 rows, 100 rows/s, ETA 00:00\n']);
  });
});
