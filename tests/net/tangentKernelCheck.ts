import { expect } from 'vitest';
import { backward } from '../../src/net/backward.ts';
import { forward } from '../../src/net/forward.ts';
import type { Model } from '../../src/net/model.ts';
import { Rng } from '../../src/net/rng.ts';
import { rnnBackward, rnnForward } from '../../src/net/rnn.ts';
import { alloc } from '../../src/net/tensor.ts';
import { quadraticForm } from './helpers.ts';

/** Relative tolerances of the kernel identities per precision: float64 rounding, float32 accumulation. */
export const kernelTolerances = [
  ['f64', 1e-12],
  ['f32', 2e-5],
] as const;

/**
 * ||J^T v||^2 for an output-space vector v (J = d outputs / d trained weights; for the RNN the outputs
 * are all (i, t >= 2)), by one backward pass from v. gradNorm sums the trained tensors, the ones K covers
 * (the RNN trains only W, and its backward pass writes only grads.W[0]).
 */
export function pulledBackNormSq(model: Model, v: ArrayLike<number>): number {
  const { spec, params, kernels, cache, scratch, precision } = model;
  const n = model.loadRows(null);
  const rnn = spec.arch === 'rnn';
  if (rnn) rnnForward(spec, params, kernels, cache, n);
  else forward(spec, params, kernels, cache, n);
  const dv = alloc(precision, n * model.outSize);
  dv.set(v);
  const grads = model.allocGrads();
  if (rnn) rnnBackward(spec, params, kernels, cache, dv, scratch, grads);
  else backward(spec, params, kernels, cache, dv, scratch, grads);
  return model.gradNorm(grads) ** 2;
}

/**
 * The tangent kernel K (N x N, N = n x outputs per example) as the quadratic form it is: ||grad F||^2 = r^T K r
 * at the residual r, and ||J^T v||^2 = v^T K v on `vectors` Gaussian output vectors from Rng(seed, 'landscape').
 * Each relative to the left side, within tol.
 */
export function expectTangentKernelIdentity(model: Model, K: Float64Array, tol: number, seed: number, vectors: number): void {
  const N = model.loadRows(null) * model.outSize;
  expect(K.length).toBe(N * N);
  const grads = model.allocGrads();
  model.lossAndGrad(grads);
  const g2 = model.gradNorm(grads) ** 2;
  expect(g2).toBeGreaterThan(0);
  expect(Math.abs(g2 - quadraticForm(K, model.residual))).toBeLessThanOrEqual(tol * g2);
  // a quadratic form fixes a symmetric matrix: check it on random output vectors too
  const rng = new Rng(seed, 'landscape');
  for (let t = 0; t < vectors; t++) {
    const v = Float64Array.from({ length: N }, () => rng.normal());
    const lhs = pulledBackNormSq(model, v);
    expect(Math.abs(lhs - quadraticForm(K, v))).toBeLessThanOrEqual(tol * lhs);
  }
}
