import { describe, expect, test } from 'vitest';
import { hiddenGradientNorms } from '../../src/net/rnnGradientFlow.ts';
import { buildRnn, type RnnCase } from './rnnHelpers.ts';

/**
 * ||dF/dh_t|| and ||dF_T/dh_t|| from the hand-written backpropagation against central differences of
 * an independent float64 loop implementation, perturbing h_{i,t} after its ReLU.
 */
function reference(c: RnnCase): { total: number[]; fromLast: number[] } {
  const { model, data } = buildRnn(c, 'f64');
  const { A, B } = model.params;
  const W = model.params.W[0];
  const { n, d, m, dOut, T } = { ...c };
  const lossWith = (bumpT: number, bumpI: number, bumpK: number, eps: number, lastOnly: boolean): number => {
    let F = 0;
    for (let i = 0; i < n; i++) {
      let h = new Float64Array(m);
      for (let t = 1; t <= T; t++) {
        const next = new Float64Array(m);
        for (let r = 0; r < m; r++) {
          let v = 0;
          for (let k = 0; k < m; k++) v += W[r * m + k] * h[k];
          for (let k = 0; k < d; k++) v += A[r * d + k] * data.X[(i * T + t - 1) * d + k];
          next[r] = Math.max(0, v);
        }
        if (t === bumpT && i === bumpI) next[bumpK] += eps;
        h = next;
        if (t < 2 || (lastOnly && t < T)) continue;
        for (let a = 0; a < dOut; a++) {
          let o = 0;
          for (let k = 0; k < m; k++) o += B[a * m + k] * h[k];
          F += 0.5 * (o - data.Y[(i * T + t - 1) * dOut + a]) ** 2;
        }
      }
    }
    return F;
  };
  const norms = (lastOnly: boolean) =>
    Array.from({ length: T }, (_, t) => {
      let s = 0;
      for (let i = 0; i < n; i++)
        for (let k = 0; k < m; k++) {
          const g = (lossWith(t + 1, i, k, 1e-6, lastOnly) - lossWith(t + 1, i, k, -1e-6, lastOnly)) / 2e-6;
          s += g * g;
        }
      return Math.sqrt(s);
    });
  return { total: norms(false), fromLast: norms(true) };
}

describe('gradient over time in the RNN', () => {
  test.each([
    { T: 4, d: 3, m: 6, n: 3, dOut: 1, seed: 21 },
    { T: 6, d: 4, m: 5, n: 2, dOut: 2, seed: 22 },
  ])('||dF/dh_t|| and ||dF_T/dh_t|| match finite differences (T=$T, dOut=$dOut)', (c) => {
    const { model } = buildRnn(c, 'f64');
    const got = hiddenGradientNorms(model);
    const ref = reference(c);
    for (let t = 0; t < c.T; t++) {
      expect(Math.abs(got.total[t] - ref.total[t])).toBeLessThanOrEqual(1e-6 * Math.max(...ref.total));
      expect(Math.abs(got.fromLast[t] - ref.fromLast[t])).toBeLessThanOrEqual(1e-6 * Math.max(...ref.fromLast));
    }
    // the last step's loss reaches h_T directly, and with T > 2 total and fromLast differ before T
    expect(got.fromLast[c.T - 1]).toBeGreaterThan(0);
    expect(got.total[0]).not.toBeCloseTo(got.fromLast[0], 6);
  });
});
