/** Minimal `--name value` / `--flag` parser for the hub's commands. */
export function parseArgs(argv: string[], known: Record<string, 'string' | 'number' | 'boolean'>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const m = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/.exec(a);
    if (!m || !(m[1] in known)) throw new Error(`unknown argument "${a}"; expected ${Object.keys(known).map((k) => '--' + k).join(', ')}`);
    const kind = known[m[1]];
    if (kind === 'boolean') {
      out[m[1]] = true;
      continue;
    }
    const v = m[2] ?? argv[++i];
    if (v === undefined) throw new Error(`--${m[1]} needs a value`);
    if (kind === 'number') {
      if (!/^\d+$/.test(v)) throw new Error(`--${m[1]} must be a whole number, got "${v}"`);
      out[m[1]] = Number(v);
    } else out[m[1]] = v;
  }
  return out;
}

/**
 * Runs a command's main, printing a one-line error and exiting non-zero on failure: 1, or the
 * error's own `exitCode` (75 when another process holds the embedded data folder).
 */
export function runCli(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err) => {
      process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
      const code = (err as { exitCode?: unknown } | null)?.exitCode;
      process.exit(typeof code === 'number' && Number.isInteger(code) && code > 0 ? code : 1);
    },
  );
}
