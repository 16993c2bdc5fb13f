import type { ForwardCache } from './forward.ts';
import type { MatrixKernels, WorkspacePlan } from './kernels.ts';
import { paramsSize, type NetSpec, type Params } from './network.ts';
import { linear, linearBackward, productDims, weightGradient, type LayerShape } from './products.ts';
import type { Allocator, Vec } from './tensor.ts';

/**
 * The Elman ReLU RNN of Allen-Zhu, Li, Song, "On the Convergence Rate of Training Recurrent Neural
 * Networks" (NeurIPS 2019), per sequence i:
 *   h_{i,0} = 0,  h_{i,t} = ReLU(W h_{i,t-1} + A x_{i,t}) (t = 1..T),  yhat_{i,t} = B h_{i,t},
 *   F = sum_i sum_{t=2..T} 1/2 ||yhat_{i,t} - y_{i,t}||^2,
 * with one W (m x m) shared over time and the only tensor trained. yhat_{i,1} = B ReLU(A x_{i,1}) does
 * not depend on W, so the loss starts at t = 2; with T = 1 there is no W-dependent output at all and
 * F = 0, grad F = 0 (runs refuse T < 2 in the config; the core answers 0).
 *
 * The n sequences are batched per time step, so each step is the FC core's products on rows x m.
 * Cache layout (the shared ForwardCache, read per time step):
 * - X: capacity x T x d stored time-major: the rows of x_{., t} are block t-1 (capacity x d each);
 * - H[t-1] = h_{., t} and activeMasks[t-1] = D_t (capacity x m each), t = 1..T: masks per time step;
 * - out: capacity x (T-1) x dOut, example-major (yhat_{i,t} at (i (T-1) + t - 2) dOut), as the residual;
 * - outStep: capacity x dOut, one time step's outputs (and in the backward pass its residual).
 */

export function seqLength(spec: NetSpec): number {
  return spec.T ?? 1;
}

function shapes(spec: NetSpec, rows: number): { input: LayerShape; hidden: LayerShape; output: LayerShape } {
  const { d, m, dOut } = spec;
  return { input: { rows, in: d, out: m }, hidden: { rows, in: m, out: m }, output: { rows, in: m, out: dOut } };
}

export function rnnAllocForward(spec: NetSpec, capacity: number, allocator: Allocator): ForwardCache {
  const { d, m, dOut } = spec;
  const T = seqLength(spec);
  return {
    capacity,
    rows: 0,
    X: allocator.vec(capacity * T * d),
    H: Array.from({ length: T }, () => allocator.vec(capacity * m)),
    activeMasks: Array.from({ length: T }, () => allocator.mask(capacity * m)),
    out: allocator.vec(capacity * Math.max(0, T - 1) * dOut),
    outStep: allocator.vec(capacity * dOut),
  };
}

/** Everything a Model of this RNN allocates (weights, gradient, cache, backward scratch, residual, Y). */
export function rnnWorkspacePlan(spec: NetSpec, capacity: number): WorkspacePlan {
  const { d, m, dOut } = spec;
  const T = seqLength(spec);
  const p = paramsSize(spec);
  const s = shapes(spec, capacity);
  const outs = capacity * Math.max(0, T - 1) * dOut;
  return {
    // params + gradBuffer; X, H_1..H_T, out, outStep; dH, dP; residual, Y
    floats: 2 * p.floats + capacity * (T * d + T * m + dOut) + outs + 2 * capacity * m + 2 * outs,
    maskBytes: T * capacity * m,
    arrays: 2 * p.arrays + T + 3 + 2 + 2,
    gemms: [
      productDims.linear(s.input), // X_t A^T
      productDims.linear(s.hidden), // H_{t-1} W^T
      productDims.linear(s.output), // H_t B^T
      productDims.linearBackward(s.hidden), // dP_t W
      productDims.linearBackward(s.output), // r_t B
      productDims.weightGradient(s.hidden), // dP_t^T H_{t-1}
    ],
  };
}

/** x_{., t}'s rows (t = 1..T) in the time-major cache X. */
export function inputsAt(cache: ForwardCache, spec: NetSpec, t: number): Vec {
  const size = cache.capacity * spec.d;
  return cache.X.subarray((t - 1) * size, t * size);
}

/** Runs the RNN on the cached rows 0 .. rows). */
export function rnnForward(spec: NetSpec, p: Params, k: MatrixKernels, cache: ForwardCache, rows: number): void {
  const { dOut } = spec;
  const T = seqLength(spec);
  if (rows > cache.capacity) throw new Error(`batch of ${rows} exceeds cache capacity ${cache.capacity}`);
  cache.rows = rows;
  const { H, activeMasks: D, out } = cache;
  const step = cache.outStep!;
  const s = shapes(spec, rows);
  const perExample = (T - 1) * dOut;
  for (let t = 1; t <= T; t++) {
    const Ht = H[t - 1];
    if (t === 1) {
      // h_1 = ReLU(A x_1) (h_0 = 0)
      linear(k, Ht, inputsAt(cache, spec, 1), p.A, s.input, { activeMask: D[0] });
      continue;
    }
    // H_t (rows x m) = ReLU(X_t A^T + H_{t-1} W^T): h_{i,t} = D_{i,t} (A x_{i,t} + W h_{i,t-1})
    linear(k, Ht, inputsAt(cache, spec, t), p.A, s.input);
    linear(k, Ht, H[t - 2], p.W[0], s.hidden, { accumulate: true, activeMask: D[t - 1] });
    // yhat_{i,t} = B h_{i,t}, placed in example i's row of `out`
    linear(k, step, Ht, p.B, s.output);
    for (let i = 0; i < rows; i++) {
      const o = i * perExample + (t - 2) * dOut;
      for (let a = 0; a < dOut; a++) out[o + a] = step[i * dOut + a];
    }
  }
}

/**
 * Sees, during backpropagation through time, step t's gradient with respect to h_t (dH, the total
 * derivative through every later step), its pre-activation gradient dP = D_t dH, and h_{t-1}
 * (null for t = 1, where h_0 = 0). Arrays are rows x m and reused: copy what you keep.
 */
export type StepGradientObserver = (t: number, dH: Vec, dP: Vec, hPrev: Vec | null) => void;

/**
 * Hand-written backpropagation through time of sum_i sum_{t>=2} <dY_{i,t}, yhat_{i,t}> for the cached
 * batch, scaled by `scale`; with dY the residual r_{i,t} = yhat_{i,t} - y_{i,t} this is grad F:
 *   dF/dh_t = B^T r_t [t >= 2] + W^T D_{t+1} dF/dh_{t+1} [t < T],
 *   grad_W F = sum_{t=2..T} sum_i (D_{i,t} dF/dh_{i,t}) h_{i,t-1}^T   (the t = 1 term has h_0 = 0).
 * dY is rows x (T-1) dOut, example-major. Writes grads.W[0] (A and B are not trained).
 */
export function rnnBackward(
  spec: NetSpec,
  p: Params,
  k: MatrixKernels,
  cache: ForwardCache,
  dY: Vec,
  scratch: { dH: Vec; dP: Vec },
  grads: Params | null,
  scale = 1,
  onStep?: StepGradientObserver,
): void {
  const { m, dOut } = spec;
  const T = seqLength(spec);
  const rows = cache.rows;
  const count = rows * m;
  const { dH, dP } = scratch;
  const { H, activeMasks: D } = cache;
  const step = cache.outStep!;
  const s = shapes(spec, rows);
  const perExample = (T - 1) * dOut;
  if (grads && T < 2) grads.W[0].fill(0); // no output depends on W
  for (let t = T; t >= 1; t--) {
    // the carry from step t+1: dH = dP_{t+1} W, i.e. W^T D_{t+1} dF/dh_{t+1}
    if (t < T) linearBackward(k, dH, dP, p.W[0], s.hidden);
    else if (t < 2) dH.fill(0, 0, count);
    if (t >= 2) {
      // the direct term B^T r_t, with r_t gathered from the example-major dY
      for (let i = 0; i < rows; i++) {
        const o = i * perExample + (t - 2) * dOut;
        for (let a = 0; a < dOut; a++) step[i * dOut + a] = dY[o + a];
      }
      linearBackward(k, dH, step, p.B, s.output, { accumulate: t < T });
    }
    k.applyMask(dH, D[t - 1], dP, count);
    if (onStep) onStep(t, dH, dP, t >= 2 ? H[t - 2] : null);
    if (t >= 2 && grads) {
      weightGradient(k, grads.W[0], dP, H[t - 2], s.hidden, { scale, accumulate: t < T });
    }
    if (t === 2 && !onStep) break; // dF/dh_1 only feeds the t = 1 term, which is zero
  }
}

/**
 * R out = J V for the RNN (Pearlmutter's R-operator, ReLU patterns held fixed): R h_1 = 0 (A is not
 * trained), R h_t = D_t (V h_{t-1} + W R h_{t-1}), R yhat_t = B R h_t. RH holds T arrays of capacity x m;
 * Rout is rows x (T-1) dOut, example-major.
 */
export function rnnJvp(spec: NetSpec, p: Params, k: MatrixKernels, cache: ForwardCache, V: Params, RH: Vec[], Rout: Vec): void {
  const { m, dOut } = spec;
  const T = seqLength(spec);
  const rows = cache.rows;
  const count = rows * m;
  const step = cache.outStep!;
  const s = shapes(spec, rows);
  const perExample = (T - 1) * dOut;
  RH[0].fill(0, 0, count);
  for (let t = 2; t <= T; t++) {
    linear(k, RH[t - 1], cache.H[t - 2], V.W[0], s.hidden);
    linear(k, RH[t - 1], RH[t - 2], p.W[0], s.hidden, { accumulate: true });
    k.applyMask(RH[t - 1], cache.activeMasks[t - 1], RH[t - 1], count);
    linear(k, step, RH[t - 1], p.B, s.output);
    for (let i = 0; i < rows; i++) {
      const o = i * perExample + (t - 2) * dOut;
      for (let a = 0; a < dOut; a++) Rout[o + a] = step[i * dOut + a];
    }
  }
}
