/** Number formats shared by the panels: scientific with real superscripts, grouped integers. */

const SUPERSCRIPT: Record<string, string> = {
  '-': '\u207b', '0': '\u2070', '1': '\u00b9', '2': '\u00b2', '3': '\u00b3', '4': '\u2074',
  '5': '\u2075', '6': '\u2076', '7': '\u2077', '8': '\u2078', '9': '\u2079',
};

function superscript(k: number): string {
  return String(k).replace(/./g, (c) => SUPERSCRIPT[c] ?? c);
}

/** 1e-3 -> "10⁻³". */
export function powerOfTen(v: number): string {
  return `10${superscript(Math.round(Math.log10(v)))}`;
}

/** A stop rule's tolerance: 10⁻⁴ when it is a power of ten, else the number as written (0.0005). */
export function formatTolerance(eps: number): string {
  return Number.isInteger(Math.log10(eps)) ? powerOfTen(eps) : String(eps);
}

/** 0.00321 -> "3.21×10⁻³"; numbers between 0.01 and 1000 stay plain: 12.3, 0.456; a true minus: −40.3. */
export function formatSci(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return v > 0 ? '\u221e' : Number.isNaN(v) ? '\u2013' : '\u2212\u221e';
  if (v === 0) return '0';
  const sign = v < 0 ? '\u2212' : '';
  const a = Math.abs(v);
  if (a >= 0.01 && a < 1000) return sign + String(Number(a.toPrecision(digits)));
  const [mant, exp] = a.toExponential(digits - 1).split('e');
  const k = Number(exp);
  return `${sign}${Number(mant)}\u00d710${superscript(k)}`;
}

/** 131072 -> "131,072". (Not toLocaleString: its first call loads locale data, a long task.) */
export function formatInt(v: number): string {
  if (!Number.isFinite(v)) return '\u2013'; // never "NaN" or "Infinity" on the page
  const s = String(Math.abs(Math.round(v)));
  const grouped = s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return v < 0 ? `\u2212${grouped}` : grouped;
}

/** A fitted slope to two decimals with a true minus: -0.48 -> "−0.48". */
export function formatSlope(slope: number): string {
  return slope.toFixed(2).replace('-', '\u2212');
}

/** Steps per second, with sensible precision: 0.62, 7.4, 312, 25,400. */
export function formatRate(v: number): string {
  if (!(v > 0)) return '\u2013';
  if (v < 10) return v.toFixed(v < 1 ? 2 : 1);
  return formatInt(v < 1000 ? v : Math.round(v / 100) * 100);
}
