import { makeDataset, separation, type Dataset } from '../net/data.ts';
import type { MatrixKernels } from '../net/kernels.ts';
import { referenceKernels } from '../net/kernels.ts';
import { Model } from '../net/model.ts';
import { cloneParams, countParams, exampleInputSize, initParams, isConv, type NetSpec, type Params } from '../net/network.ts';
import { kernelSpectrum, tangentKernel, type KernelSpectrum } from '../net/ntk.ts';
import { Rng } from '../net/rng.ts';
import { Trainer, type Evaluation } from '../net/sgd.ts';
import type { Precision } from '../net/tensor.ts';
import type { RunConfig } from './config.ts';

export function netSpecOf(c: RunConfig): NetSpec {
  const spec: NetSpec = { arch: c.arch, d: c.d, m: c.m, L: c.L, dOut: c.dOut, tau: c.tau, trainA: c.trainA, trainB: c.trainB };
  return isConv(spec) ? { ...spec, q: c.q, window: c.window } : spec;
}

export interface RunRecord extends Evaluation {
  step: number;
}

/**
 * converged: F <= eps F_0; diverged: the loss became non-finite or exploded; dead: the gradient is
 * exactly zero while the loss is not (see stopRules.ts); stalled: no progress over a window of
 * steps; steps: the step limit.
 */
export type StopReason = 'converged' | 'diverged' | 'dead' | 'stalled' | 'steps';

/**
 * A run = (config, seeds): data from the data stream, weights from the init stream, batches from
 * the batch stream. The same config always gives the same numbers.
 */
export class Run {
  readonly spec: NetSpec;
  readonly data: Dataset;
  readonly initial: Params;
  readonly model: Model;
  readonly trainer: Trainer;
  readonly lr: number;
  private kernel0: { K: Float64Array; spectrum: KernelSpectrum } | null = null;
  readonly delta: number;
  readonly paramCount: { total: number; trained: number };

  constructor(
    readonly config: RunConfig,
    kernels: MatrixKernels = referenceKernels,
    precision: Precision = 'f32',
  ) {
    this.spec = netSpecOf(config);
    this.data = makeDataset(
      { n: config.n, d: exampleInputSize(this.spec), dOut: config.dOut, labels: config.labels, closePairDelta: config.closePairDelta ?? undefined },
      new Rng(config.dataSeed, 'data'),
    );
    this.delta = config.n >= 2 ? separation(this.data.X, config.n, this.data.d).delta : NaN;
    const params = initParams(this.spec, new Rng(config.initSeed, 'init'), precision);
    this.initial = cloneParams(params);
    this.model = new Model(this.spec, params, kernels, this.data, precision);
    // eta = c / lambda_max(K_0) makes runs of different widths comparable
    this.lr = config.lr ?? config.lrScale / this.initialKernel().spectrum.lambdaMax;
    const batch = config.batch === 0 ? config.n : config.batch;
    this.trainer = new Trainer(this.model, { lr: this.lr, batch }, new Rng(config.batchSeed, 'batch'));
    this.paramCount = countParams(this.spec);
  }

  /** K_0, the tangent kernel at initialization, and its spectrum (computed once, on first use). */
  initialKernel(): { K: Float64Array; spectrum: KernelSpectrum } {
    if (!this.kernel0) {
      if (this.trainer && this.trainer.step > 0) throw new Error('K_0 must be computed before the first update');
      const K = tangentKernel(this.model);
      this.kernel0 = { K, spectrum: kernelSpectrum(K, this.config.n * this.config.dOut) };
    }
    return this.kernel0;
  }

  get lambdaMax0(): number | null {
    return this.kernel0 ? this.kernel0.spectrum.lambdaMax : null;
  }

  get step(): number {
    return this.trainer.step;
  }

  /** F and ||grad F|| at the current weights. */
  evaluate(): RunRecord {
    return { step: this.trainer.step, ...this.trainer.evaluate() };
  }

  update(): void {
    this.trainer.update();
  }
}
