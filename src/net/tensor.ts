/**
 * Storage types of the core. Float32 is what the product runs; float64 exists so tests can check
 * the hand-written gradient against finite differences without rounding noise.
 */
export type Precision = 'f32' | 'f64';
export type Vec = Float32Array | Float64Array;

export function alloc(precision: Precision, length: number): Vec {
  return precision === 'f64' ? new Float64Array(length) : new Float32Array(length);
}

export function precisionOf(v: Vec): Precision {
  return v instanceof Float64Array ? 'f64' : 'f32';
}

/** Sum of squares, accumulated in double precision. */
export function sumSquares(v: Vec): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return s;
}

export function dot(a: Vec, b: Vec): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** y += alpha * x */
export function axpy(alpha: number, x: Vec, y: Vec): void {
  for (let i = 0; i < x.length; i++) y[i] += alpha * x[i];
}

/** Row-major matrix as nested arrays (for JSON dumps). */
export function toNested(v: Vec, rows: number, cols: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < rows; i++) out.push(Array.from(v.subarray(i * cols, (i + 1) * cols)));
  return out;
}
