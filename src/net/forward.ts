import type { MatrixKernels } from './kernels.ts';
import type { NetSpec, Params } from './network.ts';
import type { Allocator, Vec } from './tensor.ts';

/**
 * Activations of a batch of `rows` samples, kept for the backward pass:
 * H[0] = ReLU(X A^T), H[l] = ReLU(H[l-1] W_l^T) (FC) or ReLU(H[l-1] + tau H[l-1] W_l^T) (ResNet),
 * out = H[L] B^T. masks[l] holds the ReLU pattern 1[pre-activation > 0] of layer l.
 */
export interface ForwardCache {
  readonly capacity: number;
  rows: number;
  readonly X: Vec; // capacity x d (the batch's inputs)
  readonly H: Vec[]; // L+1 arrays of capacity x m
  readonly masks: Uint8Array[]; // L+1 arrays of capacity x m
  readonly out: Vec; // capacity x dOut
}

export function allocForward(spec: NetSpec, capacity: number, allocator: Allocator): ForwardCache {
  const { d, m, L, dOut } = spec;
  return {
    capacity,
    rows: 0,
    X: allocator.vec(capacity * d),
    H: Array.from({ length: L + 1 }, () => allocator.vec(capacity * m)),
    masks: Array.from({ length: L + 1 }, () => allocator.mask(capacity * m)),
    out: allocator.vec(capacity * dOut),
  };
}

/** Runs the network on cache.X[0 .. rows). */
export function forward(spec: NetSpec, p: Params, k: MatrixKernels, cache: ForwardCache, rows: number): void {
  const { d, m, L, dOut, arch, tau } = spec;
  if (rows > cache.capacity) throw new Error(`batch of ${rows} exceeds cache capacity ${cache.capacity}`);
  cache.rows = rows;
  const count = rows * m;
  // h_0 = ReLU(A x)
  k.gemmRelu(false, true, rows, m, d, 1, cache.X, p.A, 0, cache.H[0], cache.masks[0]);
  for (let l = 1; l <= L; l++) {
    const prev = cache.H[l - 1];
    const h = cache.H[l];
    if (arch === 'fc') {
      // h_l = ReLU(W_l h_{l-1})
      k.gemmRelu(false, true, rows, m, m, 1, prev, p.W[l - 1], 0, h, cache.masks[l]);
    } else {
      // h_l = ReLU(h_{l-1} + tau W_l h_{l-1})
      h.set(prev.subarray(0, count));
      k.gemmRelu(false, true, rows, m, m, tau, prev, p.W[l - 1], 1, h, cache.masks[l]);
    }
  }
  // output B h_L
  k.gemm(false, true, rows, dOut, m, 1, cache.H[L], p.B, 0, cache.out);
}

/** F = 1/2 sum_i ||out_i - y_i||^2 over the cached rows; writes r = out - y into `residual`. */
export function residualAndLoss(cache: ForwardCache, Y: Vec | Float64Array, dOut: number, residual: Vec): number {
  const count = cache.rows * dOut;
  let s = 0;
  for (let i = 0; i < count; i++) {
    const r = cache.out[i] - Y[i];
    residual[i] = r;
    s += r * r;
  }
  return 0.5 * s;
}
