import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/net/rng.ts';
import { sumSquares } from '../../src/net/tensor.ts';

/** The plain loop sumSquares must agree with bit for bit (its float32 path is unrolled). */
function plainSumSquares(v: Float32Array | Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return s;
}

describe('sumSquares', () => {
  it('adds the squares in double precision, in order: the same bits as a plain loop, at every length', () => {
    const rng = new Rng(7);
    // lengths around the unrolled loop's multiples of 8, and one long enough for the tail to matter little
    for (const n of [0, 1, 2, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1003, 65537]) {
      const x32 = new Float32Array(n);
      // magnitudes over six decades, so the order of the additions changes the rounding
      for (let i = 0; i < n; i++) x32[i] = (rng.uniform() * 2 - 1) * 10 ** (3 * rng.uniform() - 3);
      const x64 = Float64Array.from(x32, (x, i) => x * (1 + 1e-9 * i));
      expect(sumSquares(x32), `float32, n = ${n}`).toBe(plainSumSquares(x32));
      expect(sumSquares(x64), `float64, n = ${n}`).toBe(plainSumSquares(x64));
    }
  });

  it('sums a subarray view over its own elements only', () => {
    const x = new Float32Array([3, 1, 2, 2, 4, 100]);
    expect(sumSquares(x.subarray(1, 5))).toBe(1 + 4 + 4 + 16);
  });
});
