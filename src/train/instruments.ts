import { HessianOps } from '../net/hessian.ts';
import {
  distanceFromInit,
  flipFraction,
  kernelDrift,
  plRatio,
  semiSmoothness,
  snapshotActiveMasks,
} from '../net/measures.ts';
import { allocParams, type Params } from '../net/network.ts';
import { kernelSpectrum, tangentKernel } from '../net/ntk.ts';
import { TestBench } from './generalization.ts';
import { MEASURE_NAMES, type MeasuredRecord, type MeasureSwitches } from './measureSwitches.ts';
import type { Run, RunRecord } from './run.ts';

export { ALL_MEASURES, MEASURE_NAMES, NO_MEASURES, type MeasuredRecord, type MeasureSwitches } from './measureSwitches.ts';

/** Milliseconds spent per call, to report each measurement's cost relative to a step. */
export type MeasureTimings = Record<keyof MeasureSwitches | 'evaluate', { calls: number; ms: number }>;

/**
 * Measures a run along its trajectory. Build it before the first update: it keeps the initial
 * ReLU pattern and K_0. Measurement never changes the trajectory (weights are restored bitwise).
 */
export class Instruments {
  private readonly initMasks: Uint8Array[];
  private readonly ops: HessianOps;
  private readonly weightCopy: Params;
  readonly timings: MeasureTimings;
  private lastMeasuredStep = -1;
  private testBench: TestBench | null = null;

  constructor(
    readonly run: Run,
    public switches: MeasureSwitches,
  ) {
    if (run.step !== 0) throw new Error('Instruments must be attached before the first update');
    const model = run.model;
    model.loss(null);
    this.initMasks = snapshotActiveMasks(model);
    this.ops = new HessianOps(model);
    this.weightCopy = allocParams(run.spec, model.precision);
    this.timings = Object.fromEntries(
      [...MEASURE_NAMES, 'evaluate'].map((k) => [k, { calls: 0, ms: 0 }]),
    ) as MeasureTimings;
  }

  private timed<T>(name: keyof MeasureTimings, f: () => T): T {
    const t0 = performance.now();
    const v = f();
    const t = this.timings[name];
    t.ms += performance.now() - t0;
    t.calls++;
    return v;
  }

  /** The run's test bench (built on first use; null without a teacher). */
  bench(): TestBench | null {
    if (!this.run.testSet) return null;
    this.testBench ??= new TestBench(this.run);
    return this.testBench;
  }

  /** A record at the current weights with the switched-on measurements. */
  measure(): MeasuredRecord {
    const { run, switches: on } = this;
    const model = run.model;
    const rec: MeasuredRecord = this.timed('evaluate', () => run.evaluate());
    // evaluate() leaves a full-batch forward pass at W in the cache, except when it was cached
    // from an earlier call at this step; later measures rely on that pass.
    if (this.lastMeasuredStep === run.step) model.loss(null);
    this.lastMeasuredStep = run.step;
    if (on.pl) rec.plRatio = this.timed('pl', () => plRatio(rec.loss, rec.gradNorm));
    if (on.flips) {
      Object.assign(rec, this.timed('flips', () => flipFraction(model, this.initMasks)));
    }
    if (on.dist) Object.assign(rec, this.timed('dist', () => distanceFromInit(model, run.initial, false)));
    if (on.spec) {
      const d = this.timed('spec', () => distanceFromInit(model, run.initial, true));
      rec.distSpec = d.distSpec;
      rec.distSpecPerLayer = d.distSpecPerLayer;
    }
    if (on.ntk) {
      this.timed('ntk', () => {
        const k0 = run.initialKernel();
        const N = run.config.n * run.model.outSize;
        const K = run.step === 0 ? k0.K : tangentKernel(model);
        const spectrum = run.step === 0 ? k0.spectrum : kernelSpectrum(K, N);
        rec.lambdaMin = spectrum.lambdaMin;
        rec.lambdaMax = spectrum.lambdaMax;
        rec.twoLambdaMin = 2 * spectrum.lambdaMin;
        rec.ntkDrift = run.step === 0 ? 0 : kernelDrift(K, k0.K, N, k0.spectrum.lambdaMax);
      });
    }
    const bench = on.test ? this.bench() : null;
    if (bench) {
      rec.testLoss = this.timed('test', () => bench.testLoss());
      rec.trainLossMean = bench.trainLossMean(rec.loss);
    }
    const kernelBench = on.kernel ? this.bench() : null;
    if (kernelBench) rec.kernelTestLoss = this.timed('kernel', () => kernelBench.kernelPredictor().testLoss);
    if (on.rho && rec.loss > 0 && rec.gradNorm > 0) {
      this.timed('rho', () => {
        // the cache is still at W here (the kernel's own forward pass is at W too)
        const s = semiSmoothness(model, this.ops, run.trainer.grads, rec.loss, run.lr, this.weightCopy);
        rec.rho = s.rho;
        rec.rhoLinear = s.rhoLinear;
        rec.rhoRelu = s.rhoRelu;
      });
    }
    return rec;
  }
}
