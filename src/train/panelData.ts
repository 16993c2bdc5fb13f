import type { Model } from '../net/model.ts';
import { exampleUnits, type NetSpec, type Params } from '../net/network.ts';
import { pFlatten } from '../net/paramVec.ts';

/**
 * Worker-side helpers that turn a run's state into what the essay's panels draw. They compute
 * from the core; panels only draw.
 */

/**
 * The residual the tangent kernel predicts for gradient descent: r_{t+1} = (I - eta K_0) r_t,
 * i.e. r_t = (I - eta K_0)^t r_0, advanced one step at a time (O(N^2) per step).
 */
export class KernelResidualPredictor {
  private r: Float64Array;
  private next: Float64Array;
  step = 0;

  constructor(
    private readonly K0: Float64Array,
    private readonly N: number,
    private readonly eta: number,
    r0: ArrayLike<number>,
  ) {
    this.r = Float64Array.from(r0);
    this.next = new Float64Array(N);
  }

  /** The predicted residual at `step` (>= the current one). */
  advanceTo(step: number): Float64Array {
    const { K0, N, eta } = this;
    while (this.step < step) {
      for (let i = 0; i < N; i++) {
        let kr = 0;
        for (let j = 0; j < N; j++) kr += K0[i * N + j] * this.r[j];
        this.next[i] = this.r[i] - eta * kr;
      }
      [this.r, this.next] = [this.next, this.r];
      this.step++;
    }
    return this.r;
  }

  /** 1/2 ||r_pred||^2: the loss the kernel predicts. */
  loss(): number {
    let s = 0;
    for (const v of this.r) s += v * v;
    return 0.5 * s;
  }
}

/** Which (sample, unit) ReLUs of one layer differ from initialization: an n x m 0/1 raster. */
export function flipRaster(model: Model, initMasks: Uint8Array[], layer: number): Uint8Array {
  const count = model.cache.rows * exampleUnits(model.spec);
  const now = model.cache.activeMasks[layer];
  const init = initMasks[layer];
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = now[i] ^ init[i];
  return out;
}

/** max_r ||w_r(t) - w_r(0)|| over the neuron rows of a weight matrix (Du et al.'s Figure 1, right). */
export function maxNeuronDistance(now: Float32Array | Float64Array, init: Float32Array | Float64Array, cols: number): number {
  let best = 0;
  for (let r = 0; r < now.length / cols; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += (now[r * cols + c] - init[r * cols + c]) ** 2;
    best = Math.max(best, s);
  }
  return Math.sqrt(best);
}

/**
 * Snapshots of the trained weights along a run, for the landscape scrubber and the PCA plane.
 * Bounded: when full, every other snapshot is dropped and the stride doubles, so the kept ones
 * stay evenly spread over the whole run.
 */
export class TrajectoryRecorder {
  readonly steps: number[] = [];
  readonly snapshots: Float64Array[] = [];
  private stride = 1;

  constructor(
    private readonly spec: NetSpec,
    readonly capacity = 64,
  ) {}

  /** Offers the weights at `step`; keeps them when the step is on the current stride. */
  offer(step: number, params: Params): void {
    if (step % this.stride !== 0) return;
    if (this.snapshots.length >= this.capacity) {
      for (let i = this.snapshots.length - 1; i >= 0; i--) {
        if ((this.steps[i] / this.stride) % 2 === 1) {
          this.steps.splice(i, 1);
          this.snapshots.splice(i, 1);
        }
      }
      this.stride *= 2;
      if (step % this.stride !== 0) return;
    }
    this.steps.push(step);
    this.snapshots.push(pFlatten(this.spec, params));
  }

  /** The snapshot nearest to `step`. */
  nearest(step: number): { step: number; weights: Float64Array } | null {
    if (this.steps.length === 0) return null;
    let best = 0;
    for (let i = 1; i < this.steps.length; i++)
      if (Math.abs(this.steps[i] - step) < Math.abs(this.steps[best] - step)) best = i;
    return { step: this.steps[best], weights: this.snapshots[best] };
  }
}

/**
 * The separation the theorem's width is computed with: the paper assumes delta <= O(1/L), so a
 * data set whose points are farther apart than 1/L is treated as if they were 1/L apart.
 */
export function theoremDelta(delta: number, L: number): number {
  return Math.min(delta, 1 / Math.max(L, 1));
}

/**
 * log10 of the width the theorem asks for, with every constant set to 1:
 * m >= n^24 L^12 / delta^8 (the order of the width in Theorem 1 of Allen-Zhu, Li and Song 2019, arXiv 1811.03962),
 * with delta = min(delta, 1/L) (theoremDelta), since the theorem assumes delta <= O(1/L).
 */
export function log10TheoremWidth(n: number, L: number, delta: number): number {
  return 24 * Math.log10(n) + 12 * Math.log10(Math.max(L, 1)) - 8 * Math.log10(theoremDelta(delta, L));
}
