/**
 * One value from text, against its spec: the single parser behind CLI flags, URL parameters and
 * embed attributes, so that all of them accept exactly the same text. It never throws and never
 * repairs; it says what is wrong and, where there is one, the nearest allowed value. The CLI turns
 * a problem into an error naming the flag (src/train/config.ts parseField); the page uses the
 * nearest value or its fallback and shows a notice (src/state/urlState.ts readField).
 */

export type ValueKind = 'int' | 'float' | 'nullableFloat' | 'enum' | 'bool' | 'names';

export interface ValueSpec {
  kind: ValueKind;
  /** int, float, nullableFloat: the inclusive range. */
  min?: number;
  max?: number;
  /** enum: the allowed values; names: the allowed names of a comma-separated subset. */
  values?: readonly string[];
}

/** What a spec can yield: a number, null ("auto" of a nullableFloat), an enum value, a flag, a list of names. */
export type Value = number | string | boolean | null | readonly string[];

export type ValueProblem =
  /** Not a number, not on the list, not true or false. */
  | { reason: 'unreadable' }
  | { reason: 'below-min'; number: number; nearest: number }
  | { reason: 'above-max'; number: number; nearest: number }
  | { reason: 'not-integer'; number: number; nearest: number }
  /** names: some are not on the list; nearest is the ones that are. */
  | { reason: 'unknown-names'; unknown: string[]; nearest: string[] };

export type ParsedValue = { ok: true; value: Value } | ({ ok: false } & ValueProblem);

/**
 * Decimal notation only: no hex, no "NaN" or "Infinity", ASCII digits only (\d without the u flag).
 * The dot is tied to its digits so that a long run of digits cannot backtrack quadratically.
 */
const DECIMAL = /^[-+]?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?$/i;

/** Parses `raw` (surrounding white space ignored) against `spec`. */
export function parseValue(spec: ValueSpec, raw: string): ParsedValue {
  const text = raw.trim();
  switch (spec.kind) {
    case 'enum':
      return spec.values!.includes(text) ? { ok: true, value: text } : { ok: false, reason: 'unreadable' };
    case 'bool':
      // '' is a bare CLI flag (--train-a) or an HTML boolean attribute (<... autoplay>)
      if (text === '' || text === 'true' || text === '1') return { ok: true, value: true };
      if (text === 'false' || text === '0') return { ok: true, value: false };
      return { ok: false, reason: 'unreadable' };
    case 'names': {
      const names = [...new Set(text.split(',').map((s) => s.trim()).filter(Boolean))];
      const known = names.filter((s) => spec.values!.includes(s));
      if (known.length === names.length) return { ok: true, value: known };
      return { ok: false, reason: 'unknown-names', unknown: names.filter((s) => !known.includes(s)), nearest: known };
    }
    case 'int':
    case 'float':
    case 'nullableFloat':
      if (spec.kind === 'nullableFloat' && (text === 'auto' || text === 'none')) return { ok: true, value: null };
      return parseNumber(spec, text);
  }
}

function parseNumber(spec: ValueSpec, text: string): ParsedValue {
  if (!DECIMAL.test(text)) return { ok: false, reason: 'unreadable' };
  const parsed = Number(text);
  if (!Number.isFinite(parsed)) return { ok: false, reason: 'unreadable' }; // 1e999
  const number = parsed === 0 ? 0 : parsed; // -0 is 0: it would print as "0" but compare apart from it
  const min = spec.min ?? -Infinity;
  const max = spec.max ?? Infinity;
  if (number < min) return { ok: false, reason: 'below-min', number, nearest: min };
  if (number > max) return { ok: false, reason: 'above-max', number, nearest: max };
  if (spec.kind === 'int' && !Number.isInteger(number)) {
    return { ok: false, reason: 'not-integer', number, nearest: Math.min(max, Math.max(min, Math.round(number))) };
  }
  return { ok: true, value: number };
}

/** A comma-separated list (CLI lists such as --widths), each item read by parseValue: the values, or null if any is refused. */
export function parseValueList(spec: ValueSpec, raw: string): Value[] | null {
  const values: Value[] = [];
  for (const item of raw.split(',')) {
    const parsed = parseValue(spec, item);
    if (!parsed.ok) return null;
    values.push(parsed.value);
  }
  return values;
}
