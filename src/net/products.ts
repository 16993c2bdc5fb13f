import type { MatrixKernels } from './kernels.ts';
import type { Vec } from './tensor.ts';

/**
 * The matrix products of the network's passes, named by what they compute. A batch is stored one
 * sample per row, so the paper's h = W x (one sample, column vectors) becomes H W^T on the
 * batch's rows X (rows x in), with W stored out x in, row-major, as everywhere in src/net.
 * Each is one call of the kernels' gemm (or its fused-ReLU form): no copies, in place in a
 * workspace when the operands live there.
 */

/** How many rows a product runs over and the two dimensions of its weight matrix (out x in). */
export interface LayerShape {
  readonly rows: number;
  readonly in: number;
  readonly out: number;
}

export interface ProductOptions {
  /** Multiplies the product (default 1). */
  readonly scale?: number;
  /** Adds the product to what the destination holds instead of overwriting it. */
  readonly accumulate?: boolean;
}

export interface LinearOptions extends ProductOptions {
  /**
   * Fuses the ReLU: after the product, Y = max(Y, 0) and activeMask = 1[Y > 0] (rows x out bytes),
   * row i the diagonal of the paper's D_{i,l}.
   */
  readonly activeMask?: Uint8Array;
}

const DEFAULTS: LinearOptions = {};

/** Y (rows x out) = scale X W^T [+ Y], then ReLU with its pattern D when activeMask is given: per row, y = [ReLU](W x). */
export function linear(k: MatrixKernels, Y: Vec, X: Vec, W: Vec, s: LayerShape, o: LinearOptions = DEFAULTS): void {
  const scale = o.scale ?? 1;
  const beta = o.accumulate ? 1 : 0;
  if (o.activeMask) k.gemmRelu(false, true, s.rows, s.out, s.in, scale, X, W, beta, Y, o.activeMask);
  else k.gemm(false, true, s.rows, s.out, s.in, scale, X, W, beta, Y);
}

/** dX (rows x in) = scale dY W [+ dX]: a gradient taken back through y = W x, per row dx = W^T dy. */
export function linearBackward(k: MatrixKernels, dX: Vec, dY: Vec, W: Vec, s: LayerShape, o: ProductOptions = DEFAULTS): void {
  k.gemm(false, false, s.rows, s.in, s.out, o.scale ?? 1, dY, W, o.accumulate ? 1 : 0, dX);
}

/** dW (out x in) = scale dY^T X [+ dW] = scale sum_i dy_i x_i^T: the gradient of y = W x w.r.t. W, summed over rows. */
export function weightGradient(k: MatrixKernels, dW: Vec, dY: Vec, X: Vec, s: LayerShape, o: ProductOptions = DEFAULTS): void {
  k.gemm(true, false, s.out, s.in, s.rows, o.scale ?? 1, dY, X, o.accumulate ? 1 : 0, dW);
}

/** G (rows x rows) = scale X Z^T, G_ij = scale <x_i, z_j>: the Gram matrix of two sets of rows of `width` entries. */
export function rowGram(k: MatrixKernels, G: Vec, X: Vec, Z: Vec, rows: number, width: number, scale = 1): void {
  k.gemm(false, true, rows, rows, width, scale, X, Z, 0, G);
}

/** The gemm dimensions [M, N, K] of each product on a shape, for a workspace plan (MatrixKernels.workspace). */
export const productDims = {
  linear: (s: LayerShape): [number, number, number] => [s.rows, s.out, s.in],
  linearBackward: (s: LayerShape): [number, number, number] => [s.rows, s.in, s.out],
  weightGradient: (s: LayerShape): [number, number, number] => [s.out, s.in, s.rows],
};

/** Symmetrizes K (N x N) in place: the mean of K and K^T, which takes away float32 rounding. */
export function symmetrize(K: Float64Array, N: number): void {
  for (let i = 0; i < N; i++)
    for (let j = i + 1; j < N; j++) {
      const v = 0.5 * (K[i * N + j] + K[j * N + i]);
      K[i * N + j] = v;
      K[j * N + i] = v;
    }
}
