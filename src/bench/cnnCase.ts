/**
 * The CNN's bench case: one full-batch GD step of the paper's convolutional network (src/net/cnn.ts)
 * at q = 8 positions, c = 2 input channels, window s = 3, m = 256 channels, L = 2, n = 16, dOut = 1,
 * on each kernel build, timed as the FC cases are (steps.ts: measure) and reported in the same table.
 * Shared by the Node CLI and the browser bench worker through runCoreCases (cases.ts).
 */
import { referenceKernels, type MatrixKernels } from '../net/kernels.ts';
import { DEFAULT_CONFIG, type RunConfig } from '../train/config.ts';
import { Run } from '../train/run.ts';
import { CASE_BUDGET_MS, measure, type BenchCase, type BenchRunner, type Stepper } from './steps.ts';

export const CNN_BENCH_CONFIG: RunConfig = { ...DEFAULT_CONFIG, arch: 'cnn', q: 8, d: 2, window: 3, m: 256, L: 2, n: 16, dOut: 1 };
export const CNN_SHAPE_NAME = 'cnn-q8-c2-s3-m256-L2-n16-o1';
/** The CNN cases' implementation names (picked by --impls / ?impls= like the others). */
export const CNN_IMPLS = ['core+wasm-cnn', 'core+ts-cnn'] as const;

/**
 * Nominal flops of one step, 2 per multiply-add, on R = n q im2col rows: forward P_0 A^T, P_l W_l^T (L),
 * H_L B^T; backward r B, dP_l^T P_l (L), dP_l W_l for l >= 2 (L - 1).
 */
export function cnnStepFlops(c: RunConfig = CNN_BENCH_CONFIG): number {
  const { q, d, window: s, m, L, n, dOut } = c;
  const R = n * q;
  const forward = R * s * d * m + L * R * s * m * m + n * q * m * dOut;
  const backward = n * q * m * dOut + L * R * s * m * m + (L - 1) * R * s * m * m;
  return 2 * (forward + backward);
}

/** The step at the essay's step size 0.5 / lambda_max(K_0) (Run computes it), so the ReLU patterns are those of real training. */
export function makeCnnStepper(kernels: MatrixKernels): Stepper {
  const run = new Run(CNN_BENCH_CONFIG, kernels);
  return { step: () => run.update(), loss: () => run.evaluate().loss, dispose() {} };
}

/** The CNN step on core+wasm and core+ts, added to the runner's cases. */
export function runCnnCases(runner: BenchRunner, wasm: MatrixKernels | null, want: (impl: string) => boolean): void {
  const kernels: [string, MatrixKernels | null][] = [
    [CNN_IMPLS[0], wasm],
    [CNN_IMPLS[1], referenceKernels],
  ];
  for (const [impl, k] of kernels) {
    if (!k || !want(impl)) continue;
    const stepper = makeCnnStepper(k);
    stepper.step(); // first step: compilation, allocation
    const meas = measure(stepper, { warmup: 2, reps: runner.reps, minReps: 5, budgetMs: CASE_BUDGET_MS, ...(runner.cpuNow ? { cpuNow: runner.cpuNow } : {}) });
    const loss = stepper.loss();
    const c: BenchCase = {
      env: runner.env,
      impl,
      shape: CNN_SHAPE_NAME,
      m: CNN_BENCH_CONFIG.m,
      msPerStep: meas.median,
      gflops: cnnStepFlops() / meas.median / 1e6,
      ...(meas.cpuMedian !== undefined ? { cpuMsPerStep: meas.cpuMedian } : {}),
      reps: meas.samples.length,
      ...(Number.isFinite(loss) ? {} : { note: `loss not finite (${loss})` }),
    };
    runner.cases.push(c);
    runner.log(`  ${impl} ${CNN_SHAPE_NAME}: ${meas.median.toFixed(2)} ms/step (${meas.samples.length} reps, loss ${loss.toPrecision(4)})`);
  }
  const [w, t] = CNN_IMPLS.map((impl) => runner.cases.find((c) => c.impl === impl && c.env === runner.env)?.msPerStep ?? null);
  if (w && t) runner.log(`  cnn step: core+ts / core+wasm time ${(t / w).toFixed(2)}`);
}
