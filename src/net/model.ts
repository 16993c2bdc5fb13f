import { allocBackward, backward, type BackwardScratch } from './backward.ts';
import type { Dataset } from './data.ts';
import { allocForward, forward, residualAndLoss, type ForwardCache } from './forward.ts';
import type { MatrixKernels } from './kernels.ts';
import { allocParams, trainedTensors, type NetSpec, type Params } from './network.ts';
import { alloc, sumSquares, type Precision, type Vec } from './tensor.ts';

/**
 * A network with its weights, kernels and the buffers one batch needs, allocated once.
 * Computes F(W) = 1/2 sum_i ||B h_{i,L} - y_i||^2 and its gradient over any subset of the data.
 */
export class Model {
  readonly cache: ForwardCache;
  readonly scratch: BackwardScratch;
  readonly residual: Vec; // capacity x dOut: r_i = B h_{i,L} - y_i of the last forward pass
  readonly Y: Vec; // capacity x dOut: labels of the loaded rows
  private loadedRows: Int32Array | null = null; // which dataset rows sit in cache.X; null = unknown

  constructor(
    readonly spec: NetSpec,
    readonly params: Params,
    public kernels: MatrixKernels,
    readonly data: Dataset,
    readonly precision: Precision,
  ) {
    const capacity = data.n;
    this.cache = allocForward(spec, capacity, precision);
    this.scratch = allocBackward(spec, capacity, precision);
    this.residual = alloc(precision, capacity * spec.dOut);
    this.Y = alloc(precision, capacity * spec.dOut);
  }

  /** Copies the given dataset rows (all when null) into the batch buffers, skipping the copy if unchanged. */
  loadRows(rows: Int32Array | null): number {
    const { d, dOut } = this.spec;
    const { X, Y, n } = this.data;
    const count = rows ? rows.length : n;
    const same =
      this.loadedRows !== null &&
      this.loadedRows.length === count &&
      (rows === null ? this.loadedRows.every((r, i) => r === i) : this.loadedRows.every((r, i) => r === rows[i]));
    if (same) return count;
    for (let b = 0; b < count; b++) {
      const i = rows ? rows[b] : b;
      for (let k = 0; k < d; k++) this.cache.X[b * d + k] = X[i * d + k];
      for (let k = 0; k < dOut; k++) this.Y[b * dOut + k] = Y[i * dOut + k];
    }
    this.loadedRows = rows ? rows.slice() : Int32Array.from({ length: n }, (_, i) => i);
    return count;
  }

  /** F over the given rows (all when null), leaving activations and residual cached. */
  loss(rows: Int32Array | null = null): number {
    const count = this.loadRows(rows);
    forward(this.spec, this.params, this.kernels, this.cache, count);
    return residualAndLoss(this.cache, this.Y, this.spec.dOut, this.residual);
  }

  /** F and scale * grad F over the given rows; gradients of trained tensors go into `grads`. */
  lossAndGrad(grads: Params, rows: Int32Array | null = null, scale = 1): number {
    const f = this.loss(rows);
    backward(this.spec, this.params, this.kernels, this.cache, this.residual, this.scratch, grads, scale);
    return f;
  }

  allocGrads(): Params {
    return allocParams(this.spec, this.precision);
  }

  /** ||grad||_F over the trained tensors. */
  gradNorm(grads: Params): number {
    let s = 0;
    for (const g of trainedTensors(this.spec, grads)) s += sumSquares(g);
    return Math.sqrt(s);
  }
}
