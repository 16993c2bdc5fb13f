import type { HessianOps } from './hessian.ts';
import type { Model } from './model.ts';
import { exampleUnits, trainedTensors, weightShapes, type Params } from './network.ts';
import { pDot } from './paramVec.ts';
import { symmetricEigenvalues } from './eigen.ts';
import type { Vec } from './tensor.ts';

/**
 * Along-the-run measurements of what the paper's two key theorems claim (Allen-Zhu, Li, Song 2019,
 * arXiv 1811.03962), with d_out the output dimension (the paper's d):
 * - the gradient bound, Theorem 3: ||grad F(W)||_F^2 >= Omega(F(W) delta m / (d_out n^2)) near
 *   initialization;
 * - semi-smoothness, Theorem 4: F(W + W') <= F(W) + <grad F(W), W'> + a first-order term that is
 *   small inside the ball + O(n L^2 m / d_out) ||W'||_2^2.
 * Each reads the model's current state; callers decide which to pay for.
 */

/** PL ratio ||grad F||^2 / F; Theorem 3 bounds it below by Omega(delta m / (d_out n^2)), and ||grad F||^2 = r^T K r >= 2 lambda_min(K) F. */
export function plRatio(loss: number, gradNorm: number): number {
  return (gradNorm * gradNorm) / loss;
}

/** The semi-smoothness (Theorem 4) of one gradient step, measured. */
export interface SemiSmoothness {
  rho: number; // [F(W - eta g) - F(W) + eta ||g||^2] / (eta ||g||^2); the step decreases F iff rho < 1
  rhoLinear: number; // the part the NTK linearization predicts: eta ||K r||^2 / (2 ||g||^2)
  rhoRelu: number; // the rest: [F(W - eta g) - F_lin] / (eta ||g||^2), ReLU flips and curvature
  lossAfter: number; // F(W - eta g)
  lossLinear: number; // F_lin = 1/2 ||r - eta K r||^2
}

/**
 * Semi-smoothness residual of a gradient step of size eta at the model's weights, whose full-batch
 * loss and gradient `grads` were just computed (so model.residual and the cache are at W).
 * Leaves the weights exactly as they were (restored from a copy) but the cache at W - eta g.
 */
export function semiSmoothness(
  model: Model,
  ops: HessianOps,
  grads: Params,
  loss: number,
  eta: number,
  weightCopy: Params,
): SemiSmoothness {
  const { spec } = model;
  const g2 = pDot(spec, grads, grads);
  // K r = J J^T r = J g
  const Kr = ops.jvp(grads);
  const r = model.residual;
  let lin = 0;
  let kr2 = 0;
  for (let i = 0; i < Kr.length && i < model.cache.rows * model.outSize; i++) {
    const v = r[i] - eta * Kr[i];
    lin += v * v;
    kr2 += Kr[i] * Kr[i];
  }
  const lossLinear = 0.5 * lin;
  const ws = trainedTensors(spec, model.params);
  const cs = trainedTensors(spec, weightCopy);
  const gs = trainedTensors(spec, grads);
  for (let t = 0; t < ws.length; t++) {
    cs[t].set(ws[t]);
    const w = ws[t];
    const g = gs[t];
    for (let i = 0; i < w.length; i++) w[i] -= eta * g[i];
  }
  const lossAfter = model.loss(null);
  for (let t = 0; t < ws.length; t++) ws[t].set(cs[t]);
  const denom = eta * g2;
  return {
    rho: (lossAfter - loss + eta * g2) / denom,
    rhoLinear: (eta * kr2) / (2 * g2),
    rhoRelu: (lossAfter - lossLinear) / denom,
    lossAfter,
    lossLinear,
  };
}

export interface DistanceFromInit {
  distFro: number; // ||W_t - W_0||_F over the trained tensors
  distRel: number; // distFro / ||W_0||_F
  distSpec: number; // max over layers of ||W_l,t - W_l,0||_2
  distSpecPerLayer: number[]; // ||W_l,t - W_l,0||_2, l = 1..L
}

export function distanceFromInit(model: Model, initial: Params, withSpectral: boolean): DistanceFromInit {
  const { spec, params } = model;
  const now = trainedTensors(spec, params);
  const init = trainedTensors(spec, initial);
  let diff2 = 0;
  let init2 = 0;
  for (let t = 0; t < now.length; t++) {
    const a = now[t];
    const b = init[t];
    for (let i = 0; i < a.length; i++) {
      const v = a[i] - b[i];
      diff2 += v * v;
      init2 += b[i] * b[i];
    }
  }
  const distSpecPerLayer = withSpectral
    ? params.W.map((w, l) => spectralNormOfDifference(w, initial.W[l], ...weightShapes(spec).W))
    : [];
  return {
    distFro: Math.sqrt(diff2),
    distRel: Math.sqrt(diff2 / init2),
    distSpec: withSpectral ? Math.max(...distSpecPerLayer) : NaN,
    distSpecPerLayer,
  };
}

/** ||P - Q||_2 for rows x cols matrices, by power iteration on D^T D. */
export function spectralNormOfDifference(P: Vec, Q: Vec, rows: number, cols: number, iters = 60): number {
  const D = new Float64Array(rows * cols);
  for (let i = 0; i < D.length; i++) D[i] = P[i] - Q[i];
  let v = new Float64Array(cols);
  for (let j = 0; j < cols; j++) v[j] = 1 + ((j * 7919) % 13) / 13; // fixed, not aligned with anything special
  const u = new Float64Array(rows);
  let sigma = 0;
  for (let t = 0; t < iters; t++) {
    let vn = 0;
    for (const x of v) vn += x * x;
    vn = Math.sqrt(vn);
    if (vn === 0) return 0;
    for (let j = 0; j < cols; j++) v[j] /= vn;
    for (let i = 0; i < rows; i++) {
      let s = 0;
      const o = i * cols;
      for (let j = 0; j < cols; j++) s += D[o + j] * v[j];
      u[i] = s;
    }
    const w = new Float64Array(cols);
    for (let i = 0; i < rows; i++) {
      const ui = u[i];
      if (ui === 0) continue;
      const o = i * cols;
      for (let j = 0; j < cols; j++) w[j] += D[o + j] * ui;
    }
    let un = 0;
    for (const x of u) un += x * x;
    const next = Math.sqrt(un);
    const done = Math.abs(next - sigma) <= 1e-7 * next;
    sigma = next;
    v = w;
    if (done) break;
  }
  return sigma;
}

/** Copies of the ReLU patterns D_0 .. D_L over all samples (from a full-batch forward pass). */
export function snapshotActiveMasks(model: Model): Uint8Array[] {
  const count = model.cache.rows * exampleUnits(model.spec);
  return model.cache.activeMasks.map((mask) => mask.slice(0, count));
}

export interface Flips {
  flipFrac: number; // over (sample, unit) of the layers that can change (l >= 1, and 0 when A is trained)
  flipFracPerLayer: number[]; // layers 0..L
}

/** Fraction of ReLU units whose sign differs from initialization; the cache must hold a full-batch pass at W. */
export function flipFraction(model: Model, initMasks: Uint8Array[]): Flips {
  const count = model.cache.rows * exampleUnits(model.spec);
  const perLayer = model.cache.activeMasks.map((mask, l) => {
    const init = initMasks[l];
    let flips = 0;
    for (let i = 0; i < count; i++) flips += mask[i] ^ init[i];
    return flips;
  });
  const first = model.spec.trainA ? 0 : 1;
  let total = 0;
  for (let l = first; l < perLayer.length; l++) total += perLayer[l];
  return {
    flipFrac: total / (count * (perLayer.length - first)),
    flipFracPerLayer: perLayer.map((f) => f / count),
  };
}

/** Relative spectral drift ||K_t - K_0||_2 / ||K_0||_2 of symmetric N x N kernels. */
export function kernelDrift(Kt: Float64Array, K0: Float64Array, N: number, K0Norm: number): number {
  const D = new Float64Array(N * N);
  for (let i = 0; i < D.length; i++) D[i] = Kt[i] - K0[i];
  const ev = symmetricEigenvalues(D, N);
  return Math.max(Math.abs(ev[0]), Math.abs(ev[N - 1])) / K0Norm;
}
