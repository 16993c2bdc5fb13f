import { allocBackward, backward, type BackwardScratch } from './backward.ts';
import type { Dataset } from './data.ts';
import { allocForward, forward, layerShapes, residualAndLoss, type ForwardCache } from './forward.ts';
import type { MatrixKernels, WorkspacePlan } from './kernels.ts';
import { cnnWorkspacePlan } from './cnn.ts';
import {
  allocParams,
  copyParams,
  exampleInputSize,
  exampleOutputSize,
  isConv,
  paramsSize,
  trainedTensors,
  type NetSpec,
  type Params,
} from './network.ts';
import { productDims } from './products.ts';
import { rnnAllocForward, rnnBackward, rnnForward, rnnWorkspacePlan, seqLength } from './rnn.ts';
import { heapAllocator, sumSquares, type Precision, type Vec } from './tensor.ts';

/** Everything a Model allocates, for a kernel workspace: weights, one gradient, activations, scratch. */
function workspacePlan(spec: NetSpec, capacity: number): WorkspacePlan {
  if (isConv(spec)) return cnnWorkspacePlan(spec, capacity);
  if (spec.arch === 'rnn') return rnnWorkspacePlan(spec, capacity);
  const { d, m, L, dOut } = spec;
  const p = paramsSize(spec);
  const rows = capacity;
  const shape = layerShapes(spec, rows);
  return {
    // params + gradBuffer; X, H_0..H_L, out; dH, dP; residual, Y
    floats: 2 * p.floats + rows * (d + (L + 1) * m + dOut) + 2 * rows * m + 2 * rows * dOut,
    maskBytes: (L + 1) * rows * m,
    arrays: 2 * p.arrays + (L + 3) + (L + 1) + 4,
    gemms: [
      productDims.linear(shape.input), // X A^T
      productDims.linear(shape.hidden), // H W^T
      productDims.linear(shape.output), // H B^T
      productDims.linearBackward(shape.hidden), // dP W
      productDims.linearBackward(shape.output), // r B
      productDims.weightGradient(shape.hidden), // dP^T H
      productDims.weightGradient(shape.output), // r^T H
      productDims.weightGradient(shape.input), // dP^T X
    ],
  };
}

/**
 * A network with its weights, kernels and the buffers one batch needs, allocated once.
 * Computes F(W) = 1/2 sum_i ||B h_{i,L} - y_i||^2 and its gradient over any subset of the data.
 *
 * When the kernels offer a workspace (the wasm kernels do), the weights given are copied into it
 * together with every buffer here, and `kernels` become the workspace's, which work on them in
 * place: read and write the weights through `model.params`, not the object passed in.
 */
export class Model {
  readonly params: Params;
  readonly kernels: MatrixKernels;
  /** Gradient storage beside the weights, for the trainer (in the workspace when there is one). */
  readonly gradBuffer: Params;
  readonly cache: ForwardCache;
  readonly scratch: BackwardScratch;
  readonly residual: Vec; // capacity x outSize: r_i = B h_{i,L} - y_i of the last forward pass
  readonly Y: Vec; // capacity x outSize: labels of the loaded rows
  /** Floats of the residual per example (exampleOutputSize: dOut, or (T-1) dOut for the RNN). */
  readonly outSize: number;
  private loadedRows: Int32Array | null = null; // which dataset rows sit in cache.X; null = unknown

  constructor(
    readonly spec: NetSpec,
    params: Params,
    kernels: MatrixKernels,
    readonly data: Dataset,
    readonly precision: Precision,
  ) {
    const capacity = data.n;
    const workspace = precision === 'f32' ? (kernels.workspace?.(workspacePlan(spec, capacity)) ?? null) : null;
    const allocator = workspace ? { vec: workspace.f32, mask: workspace.mask } : heapAllocator(precision);
    this.kernels = workspace ? workspace.kernels : kernels;
    if (workspace) {
      this.params = allocParams(spec, allocator);
      copyParams(params, this.params);
    } else this.params = params;
    this.gradBuffer = allocParams(spec, allocator);
    this.cache = spec.arch === 'rnn' ? rnnAllocForward(spec, capacity, allocator) : allocForward(spec, capacity, allocator);
    this.scratch = allocBackward(spec, capacity, allocator);
    this.outSize = exampleOutputSize(spec);
    this.residual = allocator.vec(capacity * this.outSize);
    this.Y = allocator.vec(capacity * this.outSize);
  }

  /** Copies the given dataset rows (all when null) into the batch buffers, skipping the copy if unchanged. */
  loadRows(rows: Int32Array | null): number {
    const d = exampleInputSize(this.spec);
    const dOut = exampleOutputSize(this.spec);
    const { X, Y, n } = this.data;
    const count = rows ? rows.length : n;
    const same =
      this.loadedRows !== null &&
      this.loadedRows.length === count &&
      (rows === null ? this.loadedRows.every((r, i) => r === i) : this.loadedRows.every((r, i) => r === rows[i]));
    if (same) return count;
    if (this.spec.arch === 'rnn') this.loadSequences(rows, count);
    else {
      for (let b = 0; b < count; b++) {
        const i = rows ? rows[b] : b;
        for (let k = 0; k < d; k++) this.cache.X[b * d + k] = X[i * d + k];
        for (let k = 0; k < dOut; k++) this.Y[b * dOut + k] = Y[i * dOut + k];
      }
    }
    this.loadedRows = rows ? rows.slice() : Int32Array.from({ length: n }, (_, i) => i);
    return count;
  }

  /**
   * RNN rows: x_{i,1..T} into the time-major cache X (rnn.ts), and the labels y_{i,2..T} (the dataset
   * holds y_{i,1..T}; the loss starts at t = 2).
   */
  private loadSequences(rows: Int32Array | null, count: number): void {
    const { d, dOut } = this.spec;
    const T = seqLength(this.spec);
    const { X, Y } = this.data;
    const block = this.cache.capacity * d;
    const out = this.outSize;
    for (let b = 0; b < count; b++) {
      const i = rows ? rows[b] : b;
      for (let t = 0; t < T; t++)
        for (let k = 0; k < d; k++) this.cache.X[t * block + b * d + k] = X[(i * T + t) * d + k];
      for (let k = 0; k < out; k++) this.Y[b * out + k] = Y[i * T * dOut + dOut + k];
    }
  }

  /** Replaces the labels the loss fits (the output-scaled model of src/net/outputScale.ts fits shifted targets). */
  setTargets(Y: ArrayLike<number>): void {
    (this.data.Y as Float64Array).set(Y);
    this.loadedRows = null;
  }

  /** F over the given rows (all when null), leaving activations and residual cached. */
  loss(rows: Int32Array | null = null): number {
    const count = this.loadRows(rows);
    if (this.spec.arch === 'rnn') rnnForward(this.spec, this.params, this.kernels, this.cache, count);
    else forward(this.spec, this.params, this.kernels, this.cache, count);
    return residualAndLoss(this.cache, this.Y, this.outSize, this.residual);
  }

  /** F and scale * grad F over the given rows; gradients of trained tensors go into `grads`. */
  lossAndGrad(grads: Params, rows: Int32Array | null = null, scale = 1): number {
    const f = this.loss(rows);
    if (this.spec.arch === 'rnn') rnnBackward(this.spec, this.params, this.kernels, this.cache, this.residual, this.scratch, grads, scale);
    else backward(this.spec, this.params, this.kernels, this.cache, this.residual, this.scratch, grads, scale);
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
