import { unitOutputGradients } from './backward.ts';
import { cnnTangentKernel } from './cnnNtk.ts';
import { forward } from './forward.ts';
import type { Model } from './model.ts';
import { isConv } from './network.ts';
import { rowGram, symmetrize } from './products.ts';
import { alloc, type Vec } from './tensor.ts';
import { symmetricEigenvalues } from './eigen.ts';
import { rnnTangentKernel } from './rnnNtk.ts';

/**
 * The empirical neural tangent kernel at the model's current weights, over all n samples:
 * K[(i,a),(j,b)] = <d out_{i,a} / dW, d out_{j,b} / dW> summed over the trained tensors, an
 * (n dOut) x (n dOut) matrix, index i*dOut + a (the residual's layout). Per layer it is
 * (G_l G_l^T) .* (H_{l-1} H_{l-1}^T), with G_l the backpropagated pre-activation gradients of a unit
 * output (row i: D_{i,l} Back_{i,l+1}^T e_a): no per-sample gradient is ever materialized.
 * Then ||grad F||^2 = r^T K r.
 */
export function tangentKernel(model: Model): Float64Array {
  if (isConv(model.spec)) return cnnTangentKernel(model);
  if (model.spec.arch === 'rnn') return rnnTangentKernel(model); // over all (i, t >= 2) outputs
  const { spec, params, kernels, cache, scratch, precision } = model;
  const { m, L, dOut } = spec;
  const n = model.loadRows(null);
  forward(spec, params, kernels, cache, n);
  const N = n * dOut;
  const K = new Float64Array(N * N);

  // G[a][layer] (n x m), with the layer's branch scale folded in at accumulation
  const { G, branchScale } = unitOutputGradients(spec, params, kernels, cache, scratch, precision, n, n);

  const inputGram = alloc(precision, n * n);
  const gradGram = alloc(precision, n * n);
  const firstLayer = spec.trainA ? 0 : 1;
  for (let layer = firstLayer; layer <= L; layer++) {
    const input = layer === 0 ? cache.X : cache.H[layer - 1];
    const width = layer === 0 ? spec.d : m;
    // (H_{l-1} H_{l-1}^T)_ij = <h_{i,l-1}, h_{j,l-1}>
    rowGram(kernels, inputGram, input, input, n, width);
    const s2 = branchScale[layer] * branchScale[layer];
    for (let a = 0; a < dOut; a++) {
      for (let b = a; b < dOut; b++) {
        // (G_{l,a} G_{l,b}^T)_ij, scaled by the branch scale squared
        rowGram(kernels, gradGram, G[a][layer], G[b][layer], n, m, s2);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            const v = gradGram[i * n + j] * inputGram[i * n + j];
            K[(i * dOut + a) * N + j * dOut + b] += v;
            if (a !== b) K[(j * dOut + b) * N + i * dOut + a] += v;
          }
        }
      }
    }
  }
  if (spec.trainB) {
    // d out_{i,a} / dB_b = delta_ab h_{i,L}
    rowGram(kernels, inputGram, cache.H[L], cache.H[L], n, m);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        for (let a = 0; a < dOut; a++) K[(i * dOut + a) * N + j * dOut + a] += inputGram[i * n + j];
  }
  symmetrize(K, N);
  return K;
}

export interface KernelSpectrum {
  eigenvalues: Float64Array; // ascending
  lambdaMin: number;
  lambdaMax: number;
}

export function kernelSpectrum(K: Float64Array, N: number): KernelSpectrum {
  const eigenvalues = symmetricEigenvalues(K, N);
  return { eigenvalues, lambdaMin: eigenvalues[0], lambdaMax: eigenvalues[N - 1] };
}
