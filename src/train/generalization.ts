import type { Dataset } from '../net/data.ts';
import { jointTangentKernel, KernelSolveError, kernelRegression } from '../net/kernelRegression.ts';
import { Model } from '../net/model.ts';
import { cloneParams, copyParams } from '../net/network.ts';
import { meanHalfSquaredError } from '../net/teacher.ts';
import type { Run } from './run.ts';

/**
 * Test loss convention: the mean over the held-out points of 1/2 ||prediction - f*(x)||^2 (a mean,
 * so runs with different n compare; the 1/2 matches F). The training loss F stays a sum; its
 * per-point counterpart trainLossMean is the same mean over the training points (for an
 * output-scaled run, of the scaled model: alpha^2 F / n).
 */
export interface KernelPredictorResult {
  testLoss: number; // of f_0 + K_0(x, X) K_0^{-1} (y - f_0(X)) (or K_0(x, X) K_0^{-1} y for the centred model)
  trainLossMean: number; // ~0: kernel regression interpolates the training labels
  message: string | null; // why the numbers are NaN (a singular K_0), else null
}

/** The held-out side of a run with a teacher: its test loss now, and its initial kernel's. */
export class TestBench {
  private readonly test: Dataset;
  private readonly model: Model;
  private readonly out0: Float64Array; // f(x; W_0) on the test points
  private kernelResult: KernelPredictorResult | null = null;

  constructor(readonly run: Run) {
    if (!run.testSet) throw new Error('a test bench needs a run with a teacher (config.teacher > 0)');
    this.test = run.testSet;
    this.model = new Model(run.spec, cloneParams(run.initial), run.kernels, this.test, run.model.precision);
    this.out0 = this.outputs();
  }

  /** The network's outputs on the test points at the model's current weights copied in. */
  private outputs(): Float64Array {
    this.model.loss(null);
    return Float64Array.from(this.model.cache.out.subarray(0, this.test.n * this.test.dOut));
  }

  /** Predictions on the test points at the run's current weights: f(x; W), or alpha (f(x; W) - f(x; W_0)). */
  predictions(): Float64Array {
    copyParams(this.run.model.params, this.model.params);
    const out = this.outputs();
    const scale = this.run.outputScale;
    if (scale) for (let i = 0; i < out.length; i++) out[i] = scale.alpha * (out[i] - this.out0[i]);
    return out;
  }

  testLoss(): number {
    return meanHalfSquaredError(this.predictions(), this.test.Y, this.test.n);
  }

  /** The per-point training loss of the (scaled) model, from F. */
  trainLossMean(loss: number): number {
    const a = this.run.outputScale?.alpha ?? 1;
    return (a * a * loss) / this.run.config.n;
  }

  /**
   * Kernel regression with K_0, the limit of gradient descent on the network linearized at W_0
   * (src/net/kernelRegression.ts). The same for every alpha: alpha (f_lin - f_0) has targets y.
   * Computed once (a kernel over n + nTest points).
   */
  kernelPredictor(): KernelPredictorResult {
    if (this.kernelResult) return this.kernelResult;
    const { run, test } = this;
    const joint = jointTangentKernel(run.spec, run.initial, run.kernels, run.data, test, run.model.precision);
    const centred = run.outputScale !== null;
    const N = joint.N;
    const r = Float64Array.from(run.data.Y, (y, i) => (centred ? y : y - joint.out0[i]));
    try {
      const inc = kernelRegression(joint, r);
      const pred = Float64Array.from(inc, (v, t) => (centred ? v : joint.out0[N + t] + v));
      this.kernelResult = { testLoss: meanHalfSquaredError(pred, test.Y, test.n), trainLossMean: 0, message: null };
    } catch (e) {
      if (!(e instanceof KernelSolveError)) throw e;
      this.kernelResult = { testLoss: NaN, trainLossMean: NaN, message: e.message };
    }
    return this.kernelResult;
  }
}
