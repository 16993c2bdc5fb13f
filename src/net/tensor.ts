/**
 * Storage types of the core. Float32 is what the product runs; float64 exists so tests can check
 * the hand-written gradient against finite differences without rounding noise.
 */
export type Precision = 'f32' | 'f64';
export type Vec = Float32Array | Float64Array;

export function alloc(precision: Precision, length: number): Vec {
  return precision === 'f64' ? new Float64Array(length) : new Float32Array(length);
}

/** Where a model's arrays come from: the JS heap, or a kernel workspace (see MatrixKernels.workspace). */
export interface Allocator {
  vec(length: number): Vec;
  mask(length: number): Uint8Array;
}

export function heapAllocator(precision: Precision): Allocator {
  return { vec: (length) => alloc(precision, length), mask: (length) => new Uint8Array(length) };
}

/** Sum of squares, accumulated in double precision. */
export function sumSquares(v: Vec): number {
  if (v instanceof Float32Array) return sumSquares32(v);
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return s;
}

/**
 * Unrolled by eight with one accumulator: the same additions in the same order as a plain loop, so
 * the same bits. The unrolling is for Chromium: its mid-tier compiler (Maglev) inlines functions of
 * under 100 bytes of bytecode into a hot caller (Model.gradNorm, once per record), and the loop
 * then ran in Maglev's code, about 5x slower than in its own optimized code, for as long as the run
 * lasted; a training step in the page cost 1.4-1.9x the same step in Node. At 238 bytes it is
 * called, not inlined, and runs optimized.
 */
function sumSquares32(v: Float32Array): number {
  const n = v.length;
  const n8 = n - (n % 8);
  let s = 0;
  let i = 0;
  for (; i < n8; i += 8) {
    const a0 = v[i], a1 = v[i + 1], a2 = v[i + 2], a3 = v[i + 3];
    const a4 = v[i + 4], a5 = v[i + 5], a6 = v[i + 6], a7 = v[i + 7];
    s += a0 * a0;
    s += a1 * a1;
    s += a2 * a2;
    s += a3 * a3;
    s += a4 * a4;
    s += a5 * a5;
    s += a6 * a6;
    s += a7 * a7;
  }
  for (; i < n; i++) s += v[i] * v[i];
  return s;
}

/**
 * y += alpha * x. The loops below come in one copy per array type so each stays monomorphic
 * (V8 optimizes a loop over one typed-array kind much better than over a mix of two).
 */
export function axpy(alpha: number, x: Vec, y: Vec): void {
  if (x instanceof Float32Array && y instanceof Float32Array) axpy32(alpha, x, y);
  else for (let i = 0; i < x.length; i++) y[i] += alpha * x[i];
}

function axpy32(alpha: number, x: Float32Array, y: Float32Array): void {
  for (let i = 0; i < x.length; i++) y[i] += alpha * x[i];
}

/** dst[i] = mask[i] ? src[i] : 0 for i < count: D times a gradient, the ReLU's derivative applied to it. */
export function applyMask(src: Vec, mask: Uint8Array, dst: Vec, count: number): void {
  if (src instanceof Float32Array && dst instanceof Float32Array) applyMask32(src, mask, dst, count);
  else for (let i = 0; i < count; i++) dst[i] = mask[i] ? src[i] : 0;
}

function applyMask32(src: Float32Array, mask: Uint8Array, dst: Float32Array, count: number): void {
  for (let i = 0; i < count; i++) dst[i] = mask[i] ? src[i] : 0;
}

/** In place: h = max(h, 0), mask = 1[h > 0] (the diagonal of the paper's D). */
export function reluInPlace(h: Vec, mask: Uint8Array, count: number): void {
  if (h instanceof Float32Array) relu32(h, mask, count);
  else
    for (let i = 0; i < count; i++) {
      const on = h[i] > 0;
      mask[i] = on ? 1 : 0;
      if (!on) h[i] = 0;
    }
}

function relu32(h: Float32Array, mask: Uint8Array, count: number): void {
  for (let i = 0; i < count; i++) {
    const on = h[i] > 0;
    mask[i] = on ? 1 : 0;
    if (!on) h[i] = 0;
  }
}

/** Row-major matrix as nested arrays (for JSON dumps). */
export function toNested(v: Vec, rows: number, cols: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < rows; i++) out.push(Array.from(v.subarray(i * cols, (i + 1) * cols)));
  return out;
}

/** Row-major a x b x c array as nested arrays (for JSON dumps of sequence data). */
export function toNested3(v: Vec | Float64Array, a: number, b: number, c: number): number[][][] {
  return Array.from({ length: a }, (_, i) => toNested(v.subarray(i * b * c, (i + 1) * b * c), b, c));
}
