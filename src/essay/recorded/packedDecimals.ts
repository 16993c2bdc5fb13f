/**
 * Positive decimals (the recorded losses, 4 significant digits: recipes.ts) packed for the page's
 * copy, losslessly: each value is m·10^e with m a whole number of 4 digits (more where the value
 * has more); a run of values with the same e is written as its first "me", then the differences
 * of m. "8186e-3 -705 -438" reads 8.186, 7.481, 7.043. A falling loss curve then costs gzip about
 * three quarters of its bytes as decimals.
 */

/** `values` packed, or null when one of them is not a positive finite number or would not read back exactly. */
export function packDecimals(values: readonly number[]): string | null {
  const tokens: string[] = [];
  let last: { m: number; e: number } | null = null;
  for (const x of values) {
    if (!(Number.isFinite(x) && x > 0)) return null;
    const d = decimalOf(x);
    tokens.push(last && last.e === d.e ? String(d.m - last.m) : `${d.m}e${d.e}`);
    last = d;
  }
  const packed = tokens.join(' ');
  const back = unpackDecimals(packed);
  return back.length === values.length && back.every((v, i) => v === values[i]) ? packed : null;
}

/** The values packDecimals packed. */
export function unpackDecimals(packed: string): number[] {
  if (packed === '') return [];
  let m = 0;
  let e = 0;
  return packed.split(' ').map((token) => {
    const at = token.indexOf('e');
    if (at >= 0) {
      m = Number(token.slice(0, at));
      e = Number(token.slice(at + 1));
    } else m += Number(token);
    // the same decimal literal as the value's own shortest form: the same double
    return Number(`${m}e${e}`);
  });
}

/** x = m·10^e, from the shortest decimal that reads back as x, with m of at least 4 digits. */
function decimalOf(x: number): { m: number; e: number } {
  const [coefficient, power = '0'] = String(x).split('e');
  const [whole, fraction = ''] = coefficient.split('.');
  let m = Number(whole + fraction);
  let e = Number(power) - fraction.length;
  while (m % 10 === 0 && m >= 10_000) {
    m /= 10;
    e += 1;
  }
  while (m < 1000) {
    m *= 10;
    e -= 1;
  }
  return { m, e };
}
