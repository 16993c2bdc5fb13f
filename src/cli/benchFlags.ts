/** Flag parsing the two bench commands share: a bad flag is reported on stderr with exit code 2. */
export class FlagError extends Error {}

export function intFlag(flag: string, raw: string): number {
  if (!/^\d+$/.test(raw)) throw new FlagError(`${flag}: got ${JSON.stringify(raw)}, expected a non-negative integer`);
  return Number(raw);
}

export function widthList(flag: string, raw: string): number[] {
  const parts = raw.split(',');
  if (parts.some((p) => !/^\d+$/.test(p) || Number(p) < 1 || Number(p) > 16384))
    throw new FlagError(`${flag}: got ${JSON.stringify(raw)}, expected comma-separated widths in [1, 16384]`);
  return parts.map(Number);
}

/** Runs `parse`; a FlagError ends the process with its message and exit code 2. */
export function parseOrExit<T>(command: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (!(e instanceof FlagError)) throw e;
    process.stderr.write(`${command}: ${e.message}\n`);
    process.exit(2);
  }
}
