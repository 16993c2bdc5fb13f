import type { Model } from './model.ts';
import { rowGram, symmetrize } from './products.ts';
import { rnnBackward, rnnForward, seqLength } from './rnn.ts';
import { alloc, type Vec } from './tensor.ts';

/**
 * The RNN's empirical tangent kernel over all outputs (i, s, a), s = 2..T, a < dOut, indexed as the
 * residual: i (T-1) dOut + (s-2) dOut + a. The Jacobian row of yhat_{i,s,a} with respect to the one
 * shared W is sum_{t=2..s} g^{(s,a)}_{i,t} h_{i,t-1}^T, with g^{(s,a)}_{i,t} the pre-activation gradient at
 * step t of one backpropagation through time from the unit output e_a at step s (h_0 = 0 drops t = 1). So
 *   K[(i,s,a),(j,s',b)] = sum_{t,t'} <g^{(s,a)}_{i,t}, g^{(s',b)}_{j,t'}> <h_{i,t-1}, h_{j,t'-1}>,
 * computed from stacked Gram matrices (rows (t, i)) without materializing any m x m Jacobian row.
 * Then ||grad F||^2 = r^T K r. One backward pass per (s, a); a pair of them costs ((T-1) n)^2 m.
 */
export function rnnTangentKernel(model: Model): Float64Array {
  const { spec, params, kernels, cache, scratch, precision } = model;
  const { m, dOut } = spec;
  const T = seqLength(spec);
  const n = model.loadRows(null);
  rnnForward(spec, params, kernels, cache, n);
  const per = Math.max(0, T - 1) * dOut; // outputs per example
  const N = n * per;
  const K = new Float64Array(N * N);
  if (N === 0) return K;
  const rows = (T - 1) * n; // stacked rows (t, i), t = 2..T
  // Hs: row (t-2) n + i is h_{i,t-1}
  const Hs = alloc(precision, rows * m);
  for (let t = 2; t <= T; t++) Hs.set(cache.H[t - 2].subarray(0, n * m), (t - 2) * n * m);
  const HH = alloc(precision, rows * rows);
  rowGram(kernels, HH, Hs, Hs, rows, m);

  // G[(s-2) dOut + a]: row (t-2) n + i is g^{(s,a)}_{i,t} (zero for t > s)
  const G: Vec[] = [];
  const unit = alloc(precision, n * per);
  for (let s = 2; s <= T; s++) {
    for (let a = 0; a < dOut; a++) {
      unit.fill(0);
      for (let i = 0; i < n; i++) unit[i * per + (s - 2) * dOut + a] = 1;
      const g = alloc(precision, rows * m);
      rnnBackward(spec, params, kernels, cache, unit, scratch, null, 1, (t, _dH, dP) => {
        if (t >= 2) g.set(dP.subarray(0, n * m), (t - 2) * n * m);
      });
      G.push(g);
    }
  }
  const GG = alloc(precision, rows * rows);
  for (let p = 0; p < per; p++) {
    for (let q = p; q < per; q++) {
      rowGram(kernels, GG, G[p], G[q], rows, m);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let v = 0;
          for (let t = 0; t < T - 1; t++) {
            const r = (t * n + i) * rows;
            for (let u = 0; u < T - 1; u++) {
              const c = u * n + j;
              v += GG[r + c] * HH[r + c];
            }
          }
          K[(i * per + p) * N + j * per + q] = v;
          K[(j * per + q) * N + i * per + p] = v;
        }
      }
    }
  }
  symmetrize(K, N); // the (p, p) blocks are computed in full: take away float32 rounding
  return K;
}
