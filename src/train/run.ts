import { makeDataset, type Dataset } from '../net/data.ts';
import { inputSeparation, makeSequenceDataset } from '../net/rnnData.ts';
import type { MatrixKernels } from '../net/kernels.ts';
import { referenceKernels } from '../net/kernels.ts';
import { Model } from '../net/model.ts';
import { cloneParams, countParams, exampleInputSize, initParams, isConv, type NetSpec, type Params } from '../net/network.ts';
import { kernelSpectrum, tangentKernel, type KernelSpectrum } from '../net/ntk.ts';
import { Rng } from '../net/rng.ts';
import { Trainer, type Evaluation } from '../net/sgd.ts';
import type { Precision } from '../net/tensor.ts';
import type { RunConfig } from './config.ts';
import { applyOutputScale, runData, type OutputScale } from './teacherRun.ts';
import { netSpecOf } from './netSpec.ts';

export { netSpecOf };

/** The data of a run: sequences for the RNN, points otherwise, from the data stream. */
export function datasetOf(config: RunConfig): Dataset {
  // the CNN's point is its whole signal, q x c numbers on the unit sphere of R^{qc}
  const d = config.arch === 'cnn' || config.arch === 'cnn-resnet' ? config.q * config.d : config.d;
  const spec = { n: config.n, d, dOut: config.dOut, labels: config.labels, closePairDelta: config.closePairDelta ?? undefined };
  const rng = new Rng(config.dataSeed, 'data');
  return config.arch === 'rnn' ? makeSequenceDataset({ ...spec, T: config.T }, rng) : makeDataset(spec, rng);
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
  /** The teacher's held-out test set (src/net/teacher.ts), when the labels come from one. */
  readonly testSet: Dataset | null;
  /** With config.alpha: the model is alpha (f(W) - f(W_0)) and the loss F_alpha (src/net/outputScale.ts). */
  readonly outputScale: OutputScale | null;
  readonly initial: Params;
  readonly model: Model;
  readonly trainer: Trainer;
  readonly lr: number;
  private kernel0: { K: Float64Array; spectrum: KernelSpectrum } | null = null;
  readonly delta: number;
  readonly paramCount: { total: number; trained: number };

  /** `onPhase` hears when set-up moves on to the tangent kernel K_0 (a worker tells the page). */
  constructor(
    readonly config: RunConfig,
    readonly kernels: MatrixKernels = referenceKernels,
    precision: Precision = 'f32',
    onPhase?: (phase: 'kernel') => void,
  ) {
    this.spec = netSpecOf(config);
    // sequences for the RNN, signals for the CNN; points (with a teacher, and its test set) otherwise
    ({ train: this.data, test: this.testSet } = config.arch === 'rnn' || isConv(this.spec) ? { train: datasetOf(config), test: null } : runData(config));
    this.delta = config.n >= 2 ? inputSeparation(this.data).delta : NaN;
    const params = initParams(this.spec, new Rng(config.initSeed, 'init'), precision);
    this.initial = cloneParams(params);
    // the output-scaled model fits shifted targets: it gets its own copy of the labels
    const modelData = config.alpha === null ? this.data : { ...this.data, Y: this.data.Y.slice() };
    this.model = new Model(this.spec, params, kernels, modelData, precision);
    this.outputScale = applyOutputScale(this.model, config);
    onPhase?.('kernel');
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
      this.kernel0 = { K, spectrum: kernelSpectrum(K, this.config.n * this.model.outSize) };
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
