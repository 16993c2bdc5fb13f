import type { MatrixKernels } from './kernels.ts';
import { allocCnnForward, cnnForward, isCnnCache } from './cnn.ts';
import { isConv, type NetSpec, type Params } from './network.ts';
import { linear, type LayerShape } from './products.ts';
import type { Allocator, Vec } from './tensor.ts';

/**
 * Activations of a batch of `rows` samples (one per row), kept for the backward pass. With the
 * paper's notation per sample i, h_{i,0} = ReLU(A x_i), h_{i,l} = ReLU(W_l h_{i,l-1}) (FC) or
 * ReLU(h_{i,l-1} + tau W_l h_{i,l-1}) (ResNet), out_i = B h_{i,L}; on the batch's rows:
 * H[0] = ReLU(X A^T), H[l] = ReLU(H[l-1] W_l^T) (or ReLU(H[l-1] + tau H[l-1] W_l^T)), out = H[L] B^T.
 * activeMasks[l] holds the ReLU pattern 1[pre-activation > 0] of layer l: row i is the diagonal of
 * the paper's D_{i,l}. (The CNN keeps one row per sample and position: src/net/cnn.ts.)
 */
export interface ForwardCache {
  readonly capacity: number;
  rows: number;
  readonly X: Vec; // capacity x d (the batch's inputs)
  readonly H: Vec[]; // L+1 arrays of capacity x m
  readonly activeMasks: Uint8Array[]; // L+1 arrays of capacity x m: D_0 .. D_L
  readonly out: Vec; // capacity x dOut
  readonly outStep?: Vec; // RNN only: one time step's outputs (see rnn.ts for its layout of the fields above)
}

export function allocForward(spec: NetSpec, capacity: number, allocator: Allocator): ForwardCache {
  if (isConv(spec)) return allocCnnForward(spec, capacity, allocator);
  const { d, m, L, dOut } = spec;
  return {
    capacity,
    rows: 0,
    X: allocator.vec(capacity * d),
    H: Array.from({ length: L + 1 }, () => allocator.vec(capacity * m)),
    activeMasks: Array.from({ length: L + 1 }, () => allocator.mask(capacity * m)),
    out: allocator.vec(capacity * dOut),
  };
}

/** The shapes of the network's three kinds of product on a batch of `rows`: A (m x d), W_l (m x m), B (dOut x m). */
export function layerShapes(spec: NetSpec, rows: number): { input: LayerShape; hidden: LayerShape; output: LayerShape } {
  const { d, m, dOut } = spec;
  return { input: { rows, in: d, out: m }, hidden: { rows, in: m, out: m }, output: { rows, in: m, out: dOut } };
}

/** Runs the network on cache.X[0 .. rows). */
export function forward(spec: NetSpec, p: Params, k: MatrixKernels, cache: ForwardCache, rows: number): void {
  if (isCnnCache(cache)) return cnnForward(spec, p, k, cache, rows);
  const { m, L, arch, tau } = spec;
  if (rows > cache.capacity) throw new Error(`batch of ${rows} exceeds cache capacity ${cache.capacity}`);
  cache.rows = rows;
  const { H, activeMasks: D } = cache;
  const shape = layerShapes(spec, rows);
  // H_0 (rows x m) = ReLU(X A^T): h_{i,0} = ReLU(A x_i), D_0 its pattern
  linear(k, H[0], cache.X, p.A, shape.input, { activeMask: D[0] });
  for (let l = 1; l <= L; l++) {
    if (arch === 'fc') {
      // H_l (rows x m) = ReLU(H_{l-1} W_l^T): h_{i,l} = D_{i,l} W_l h_{i,l-1}
      linear(k, H[l], H[l - 1], p.W[l - 1], shape.hidden, { activeMask: D[l] });
    } else {
      // H_l (rows x m) = ReLU(H_{l-1} + tau H_{l-1} W_l^T): h_{i,l} = D_{i,l} (h_{i,l-1} + tau W_l h_{i,l-1})
      H[l].set(H[l - 1].subarray(0, rows * m));
      linear(k, H[l], H[l - 1], p.W[l - 1], shape.hidden, { scale: tau, accumulate: true, activeMask: D[l] });
    }
  }
  // out (rows x dOut) = H_L B^T: out_i = B h_{i,L}
  linear(k, cache.out, H[L], p.B, shape.output);
}

/**
 * F = 1/2 sum_i ||out_i - y_i||^2 over the cached rows; writes loss_i = out_i - y_i (the residual) into
 * `residual`. outSize: floats per example (exampleOutputSize: dOut, or (T-1) dOut for the RNN).
 */
export function residualAndLoss(cache: ForwardCache, Y: Vec | Float64Array, outSize: number, residual: Vec): number {
  const count = cache.rows * outSize;
  let s = 0;
  for (let i = 0; i < count; i++) {
    const r = cache.out[i] - Y[i];
    residual[i] = r;
    s += r * r;
  }
  return 0.5 * s;
}
