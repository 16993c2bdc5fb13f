import type { Dataset } from './data.ts';
import type { MatrixKernels } from './kernels.ts';
import { Model } from './model.ts';
import type { NetSpec, Params } from './network.ts';
import { tangentKernel } from './ntk.ts';
import type { Precision } from './tensor.ts';

/**
 * The network's own tangent-kernel predictor. Linearize the network at its initial weights W_0,
 * f_lin(x; W) = f(x; W_0) + <grad f(x; W_0), W - W_0>, and run gradient descent on
 * 1/2 sum_i ||f_lin(x_i; W) - y_i||^2 from W_0: the weights move only in the span of the training
 * gradients, and once the loss is zero (K_0 invertible) the predictor is kernel regression with K_0,
 *   f_lin,inf(x) = f(x; W_0) + K_0(x, X) K_0(X, X)^{-1} (y - f(X; W_0)).
 */

/** Rows of `a` followed by rows of `b` (d columns each). */
export function stackRows(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** K_0 over the training rows then the test rows, and f(.; W_0) on both, from one pass over train and test together. */
export interface JointKernel {
  K: Float64Array; // (N + Nt) x (N + Nt), N = n dOut, Nt = nTest dOut, index i*dOut + a
  out0: Float64Array; // f(x; W_0) on the n + nTest rows, (n + nTest) x dOut
  N: number;
  Nt: number;
}

/**
 * The tangent kernel of the weights `params` on train and test together. A model over the joint
 * rows gives the train-train block and the test-train block from the same per-layer factors as
 * src/net/ntk.ts (the test-test block comes along; it is not used).
 */
export function jointTangentKernel(
  spec: NetSpec,
  params: Params,
  kernels: MatrixKernels,
  train: Dataset,
  test: Dataset,
  precision: Precision = 'f32',
): JointKernel {
  const rows = train.n + test.n;
  const joint: Dataset = { n: rows, d: spec.d, dOut: spec.dOut, X: stackRows(train.X, test.X), Y: new Float64Array(rows * spec.dOut) };
  const model = new Model(spec, params, kernels, joint, precision);
  const K = tangentKernel(model); // leaves the forward pass at W_0 in the cache
  const out0 = Float64Array.from(model.cache.out.subarray(0, rows * spec.dOut));
  return { K, out0, N: train.n * spec.dOut, Nt: test.n * spec.dOut };
}

export class KernelSolveError extends Error {
  override name = 'KernelSolveError';
}

/** Solves K z = b for a symmetric positive definite N x N matrix by Cholesky (float64). */
export function choleskySolve(K: ArrayLike<number>, N: number, b: ArrayLike<number>, stride = N): Float64Array {
  const Lc = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j <= i; j++) {
      let s = K[i * stride + j];
      for (let k = 0; k < j; k++) s -= Lc[i * N + k] * Lc[j * N + k];
      if (i === j) {
        if (!(s > 0)) throw new KernelSolveError(`the kernel is not positive definite (pivot ${s.toExponential(2)} at row ${i})`);
        Lc[i * N + i] = Math.sqrt(s);
      } else Lc[i * N + j] = s / Lc[j * N + j];
    }
  }
  const z = Float64Array.from({ length: N }, (_, i) => b[i]);
  for (let i = 0; i < N; i++) {
    let s = z[i];
    for (let k = 0; k < i; k++) s -= Lc[i * N + k] * z[k];
    z[i] = s / Lc[i * N + i];
  }
  for (let i = N - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < N; k++) s -= Lc[k * N + i] * z[k];
    z[i] = s / Lc[i * N + i];
  }
  return z;
}

/**
 * Kernel regression increments on the test rows, K_0(x, X) K_0(X, X)^{-1} r, for training
 * residual targets r = y - base(X); the predictor is base(x) plus this.
 */
export function kernelRegression(joint: JointKernel, r: ArrayLike<number>): Float64Array {
  const { K, N, Nt } = joint;
  const total = N + Nt;
  const z = choleskySolve(K, N, r, total);
  const out = new Float64Array(Nt);
  for (let t = 0; t < Nt; t++) {
    const row = (N + t) * total;
    let s = 0;
    for (let j = 0; j < N; j++) s += K[row + j] * z[j];
    out[t] = s;
  }
  return out;
}
