/**
 * What d3-scale gets for `d3-format` in the page's builds (scripts/vitePluginSlimD3.ts). d3-scale
 * formats tick labels itself only for an axis given no tickFormat, and ours are all linear then
 * (fit's y axis, the step chart's linear x axis): d3's ",f" at the step's precision, e.g. "1,000",
 * "0.25", "−3" (a real minus). This is d3-format 3's fixed-point path with the default locale, and
 * nothing else: any other specifier is refused loudly rather than formatted differently.
 */

interface Spec {
  comma: boolean;
  precision: number | undefined;
  type: string;
}

export function formatSpecifier(specifier: string | Spec): Spec {
  const m = /^(,?)(?:\.(\d+))?f$/.exec(String(specifier));
  if (!m) unsupported(String(specifier));
  return { comma: m[1] === ',', precision: m[2] === undefined ? undefined : +m[2], type: 'f' };
}

/** The decimal exponent of x, as d3-format's exponent() (NaN for 0, NaN and infinities). */
function exponent(x: number): number {
  const a = Math.abs(x);
  if (!Number.isFinite(a) || a === 0) return NaN;
  const e = a.toExponential();
  return +e.slice(e.indexOf('e') + 1);
}

export function precisionFixed(step: number): number {
  return Math.max(0, -exponent(Math.abs(step)));
}

/** Thousands of the integer digits, 3 at a time. */
function group(digits: string): string {
  const parts: string[] = [];
  for (let i = digits.length; i > 0; i -= 3) parts.push(digits.slice(Math.max(0, i - 3), i));
  return parts.reverse().join(',');
}

/** d3-scale passes what formatSpecifier gave it, its precision set. */
export function format(specifier: string | Spec): (value: number) => string {
  const s = typeof specifier === 'string' ? formatSpecifier(specifier) : specifier;
  const precision = s.precision === undefined ? 6 : Math.max(0, Math.min(20, Math.floor(s.precision)));
  return (input) => {
    const value = +input;
    let negative = value < 0 || 1 / value < 0;
    const text = Number.isNaN(value) ? 'NaN' : Math.abs(value).toFixed(precision);
    if (negative && +text === 0) negative = false;
    // the integer digits (grouped) and the rest, as d3-format splits them
    const cut = text.search(/[^0-9]/);
    const int = cut < 0 ? text : text.slice(0, cut);
    const rest = cut < 0 ? '' : text.slice(cut);
    return (negative ? '\u2212' : '') + (s.comma ? group(int) : int) + rest;
  };
}

function unsupported(what: string): never {
  throw new Error(`tick format ${what}: this build formats fixed-point ticks only (scripts/vitePluginSlimD3.ts)`);
}

export const formatPrefix = (): never => unsupported('with an SI prefix');
export const precisionPrefix = formatPrefix;
export const precisionRound = (): never => unsupported('in significant digits');
