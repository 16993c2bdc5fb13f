import { ConfigError, quoteInput } from '../train/config.ts';
import { parseValue, parseValueList } from '../train/fieldValue.ts';

/** Flag values the two bench commands share, read by the parser of every flag (src/train/fieldValue.ts). */

export function intFlag(flag: string, raw: string): number {
  const parsed = parseValue({ kind: 'int', min: 0 }, raw);
  if (!parsed.ok) throw new ConfigError(flag, `${flag}: got ${quoteInput(raw)}, expected a non-negative integer`);
  return parsed.value as number;
}

export function widthList(flag: string, raw: string): number[] {
  const widths = parseValueList({ kind: 'int', min: 1, max: 16384 }, raw);
  if (!widths) throw new ConfigError(flag, `${flag}: got ${quoteInput(raw)}, expected comma-separated widths in [1, 16384]`);
  return widths as number[];
}
