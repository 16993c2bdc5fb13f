import { unitOutputGradients } from './backward.ts';
import { convDims, isCnnCache } from './cnn.ts';
import { forward } from './forward.ts';
import type { Model } from './model.ts';
import { rowGram, symmetrize } from './products.ts';
import { alloc, type Vec } from './tensor.ts';

/**
 * The empirical tangent kernel of the CNN (src/net/cnn.ts), K[(i,a),(j,b)] = <d out_{i,a}/dW, d out_{j,b}/dW>,
 * index i*dOut + a. Weight sharing changes one thing from the FC form (ntk.ts): the gradient of
 * out_{i,a} w.r.t. W_l is a sum over positions, sum_p g_{i,l,a}[p] patch_p(h_{i,l-1})^T, so
 *   K_l[(i,a),(j,b)] = sum_{p,p'} <g_{i,l,a}[p], g_{j,l,b}[p']> <patch_p(h_{i,l-1}), patch_{p'}(h_{j,l-1})>,
 * the FC kernel's product of two Gram matrices taken over (sample, position) rows, then summed over
 * all pairs of positions of the two samples. No per-sample gradient is materialized.
 */
export function cnnTangentKernel(model: Model): Float64Array {
  const { spec, params, kernels, cache, scratch, precision } = model;
  if (!isCnnCache(cache)) throw new Error('cnnTangentKernel needs a CNN model');
  const { m, L, dOut } = spec;
  const { q, s, c } = convDims(spec);
  const n = model.loadRows(null);
  forward(spec, params, kernels, cache, n);
  const R = n * q;
  const N = n * dOut;
  const K = new Float64Array(N * N);

  // G[a][layer] ((n q) x m): backpropagated pre-activation gradients of sum_i out_{i,a}
  const { G, branchScale } = unitOutputGradients(spec, params, kernels, cache, scratch, precision, n, R);

  const patchGram = alloc(precision, R * R);
  const gradGram = alloc(precision, R * R);
  for (let layer = spec.trainA ? 0 : 1; layer <= L; layer++) {
    // <patch_p(h_{i,l-1}), patch_p'(h_{j,l-1})> over all (sample, position) rows
    rowGram(kernels, patchGram, cache.patches[layer], cache.patches[layer], R, s * (layer === 0 ? c : m));
    const s2 = branchScale[layer] * branchScale[layer];
    for (let a = 0; a < dOut; a++) {
      for (let b = a; b < dOut; b++) {
        rowGram(kernels, gradGram, G[a][layer], G[b][layer], R, m, s2);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            // the sum over the q x q position pairs of samples i and j
            let v = 0;
            for (let p = 0; p < q; p++) {
              const row = (i * q + p) * R + j * q;
              for (let pp = 0; pp < q; pp++) v += gradGram[row + pp] * patchGram[row + pp];
            }
            K[(i * dOut + a) * N + j * dOut + b] += v;
            if (a !== b) K[(j * dOut + b) * N + i * dOut + a] += v;
          }
        }
      }
    }
  }
  if (spec.trainB) {
    // d out_{i,a} / dB_b = delta_ab vec(h_{i,L})
    const hGram = alloc(precision, n * n);
    rowGram(kernels, hGram, cache.H[L], cache.H[L], n, q * m);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) for (let a = 0; a < dOut; a++) K[(i * dOut + a) * N + j * dOut + a] += hGram[i * n + j];
  }
  symmetrize(K, N);
  return K;
}
