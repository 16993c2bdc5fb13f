/**
 * The benchmark's step: one full-batch gradient-descent step (forward, backward, update) of the FC
 * net, written once for each implementation. Shared by the Node CLI (src/cli/bench.ts) and the
 * browser bench page (bench.html, src/bench/worker.ts). No DOM, no Node APIs.
 */
import type * as TF from '@tensorflow/tfjs-core';
// tfjs-core registers no gradients; tf.train.sgd needs those of the kernels the loss uses.
import { batchMatMulGradConfig } from '@tensorflow/tfjs-core/dist/gradients/BatchMatMul_grad';
import { multiplyGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Multiply_grad';
import { reluGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Relu_grad';
import { squareGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Square_grad';
import { subGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Sub_grad';
import { sumGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Sum_grad';
import { makeDataset } from '../net/data.ts';
import type { MatrixKernels } from '../net/kernels.ts';
import { Model } from '../net/model.ts';
import { initParams, type NetSpec } from '../net/network.ts';
import { kernelSpectrum, tangentKernel } from '../net/ntk.ts';
import { Rng } from '../net/rng.ts';
import { Trainer } from '../net/sgd.ts';
import { DEFAULT_CONFIG, type RunConfig } from '../train/config.ts';
import { Run } from '../train/run.ts';
import { RunStepper } from '../train/stepper.ts';

export interface BenchShape {
  d: number;
  m: number;
  L: number;
  n: number;
  dOut: number;
}

/** The canonical step: the shape every implementation is timed on and compared at (one full-batch gradient step). */
export const CANONICAL: BenchShape = { d: 32, m: 1024, L: 3, n: 128, dOut: 1 };
export const WIDTHS = [64, 256, 1024, 4096];

export function shapeName(s: BenchShape): string {
  return `d${s.d}-m${s.m}-L${s.L}-n${s.n}-o${s.dOut}`;
}

/**
 * Nominal flops of one step, 2 per multiply-add, counting the products a GD step on W_1..W_L needs:
 * forward X A^T, H W_l^T (L), H B^T; backward r B, dP^T H (L), dP W_l for l >= 2 (L-1).
 * The same count divides every implementation's time (the core's sparse kernels do fewer).
 */
export function stepFlops(s: BenchShape): number {
  const { d, m, L, n, dOut } = s;
  const forward = n * (d * m + L * m * m + m * dOut);
  const backward = n * m * dOut + L * n * m * m + (L - 1) * n * m * m;
  return 2 * (forward + backward);
}

export interface BenchCase {
  env: string;
  impl: string;
  shape: string;
  m: number;
  msPerStep: number | null;
  gflops: number | null;
  /** Median CPU time of the process per step (Node and numpy only): robust when other work shares the cores. */
  cpuMsPerStep?: number;
  reps: number;
  note?: string;
}

export interface Stepper {
  /** One GD step; resolves when its results are computed. */
  step(): void;
  /** Loss after the last step (to check it stayed finite). */
  loss(): number;
  dispose(): void;
}

// ---------------------------------------------------------------------------------------------
// the core (src/net): Model + Trainer, full batch, fixed step size

function coreModel(s: BenchShape, kernels: MatrixKernels): Model {
  const spec: NetSpec = { arch: 'fc', d: s.d, m: s.m, L: s.L, dOut: s.dOut, tau: 0, trainA: false, trainB: false };
  const data = makeDataset({ n: s.n, d: s.d, dOut: s.dOut, labels: 'gaussian' }, new Rng(1, 'data'));
  return new Model(spec, initParams(spec, new Rng(1, 'init'), 'f32'), kernels, data, 'f32');
}

/**
 * The essay's step size, 0.5 / lambda_max(K_0), so every implementation trains stably and the
 * ReLU patterns stay those of real training (about half the units active). A fixed step that
 * diverges would kill units and flatter kernels that skip zeros.
 */
export function benchLearningRate(s: BenchShape, kernels: MatrixKernels): number {
  return 0.5 / kernelSpectrum(tangentKernel(coreModel(s, kernels)), s.n * s.dOut).lambdaMax;
}

export function makeCoreStepper(s: BenchShape, kernels: MatrixKernels, lr: number): Stepper & { model: Model } {
  const model = coreModel(s, kernels);
  const trainer = new Trainer(model, { lr, batch: s.n }, new Rng(1, 'batch'));
  let last = NaN;
  return {
    model,
    step() {
      trainer.update();
    },
    loss() {
      last = trainer.evaluate().loss;
      return last;
    },
    dispose() {},
  };
}

// ---------------------------------------------------------------------------------------------
// TensorFlow.js: the same step through tf.train.sgd (autograd) or with hand-written gradients

function randomNormal(rng: Rng, n: number, sd: number): Float32Array {
  const v = new Float32Array(n);
  rng.fillNormal(v, sd * sd);
  return v;
}

/**
 * mode 'optimizer': what a tfjs user writes -- the loss as a function of variables, minimized by
 * tf.train.sgd (matMul with transposeB, autograd for the backward pass).
 * mode 'hand': forward and backward written out with explicit transposes (tfjs-wasm's matMul is far
 * slower with transpose flags than on transposed copies), the update by assign.
 */
export function makeTfjsStepper(tf: typeof TF, s: BenchShape, mode: 'optimizer' | 'hand', lr: number): Stepper {
  const { d, m, L, n, dOut } = s;
  const rng = new Rng(1, 'init');
  const X = tf.tensor2d(randomNormal(rng, n * d, 1 / Math.sqrt(d)), [n, d]);
  const Y = tf.tensor2d(randomNormal(rng, n * dOut, 1), [n, dOut]);
  const A = tf.tensor2d(randomNormal(rng, m * d, Math.sqrt(2 / m)), [m, d]);
  const B = tf.tensor2d(randomNormal(rng, dOut * m, Math.sqrt(1 / dOut)), [dOut, m]);
  const W = Array.from({ length: L }, () => tf.variable(tf.tensor2d(randomNormal(rng, m * m, Math.sqrt(2 / m)), [m, m])));
  let lastLoss = NaN;

  if (mode === 'optimizer') {
    for (const g of [batchMatMulGradConfig, multiplyGradConfig, reluGradConfig, squareGradConfig, subGradConfig, sumGradConfig]) {
      if (!tf.getGradient(g.kernelName)) tf.registerGradient(g);
    }
    const opt = tf.train.sgd(lr);
    const lossFn = (): TF.Scalar => {
      let h = tf.relu(tf.matMul(X, A, false, true));
      for (const w of W) h = tf.relu(tf.matMul(h, w, false, true));
      const r = tf.sub(tf.matMul(h, B, false, true), Y);
      return tf.mul(0.5, tf.sum(tf.square(r)));
    };
    return {
      step() {
        const cost = opt.minimize(lossFn, true, W);
        if (cost) {
          lastLoss = cost.dataSync()[0];
          cost.dispose();
        }
      },
      loss: () => lastLoss,
      dispose() {
        opt.dispose();
        tf.dispose([X, Y, A, B, ...W]);
      },
    };
  }

  const At = tf.transpose(A) as TF.Tensor2D;
  const Bt = tf.transpose(B) as TF.Tensor2D;
  const lrT = tf.scalar(lr);
  return {
    step() {
      const loss = tf.tidy(() => {
        const Hs: TF.Tensor2D[] = [tf.relu(tf.matMul(X, At))];
        const Zs: TF.Tensor2D[] = [];
        for (const w of W) {
          const z = tf.matMul(Hs[Hs.length - 1], tf.transpose(w) as TF.Tensor2D) as TF.Tensor2D;
          Zs.push(z);
          Hs.push(tf.relu(z));
        }
        const r = tf.sub(tf.matMul(Hs[L], Bt), Y) as TF.Tensor2D;
        let dH = tf.matMul(r, B);
        const updates: TF.Tensor2D[] = [];
        for (let l = L; l >= 1; l--) {
          const dZ = tf.mul(dH, tf.step(Zs[l - 1]));
          updates[l - 1] = tf.matMul(tf.transpose(dZ), Hs[l - 1]);
          if (l > 1) dH = tf.matMul(dZ, W[l - 1]);
        }
        for (let l = 0; l < L; l++) W[l].assign(tf.sub(W[l], tf.mul(lrT, updates[l])));
        return tf.mul(0.5, tf.sum(tf.square(r)));
      });
      lastLoss = loss.dataSync()[0];
      loss.dispose();
    },
    loss: () => lastLoss,
    dispose() {
      tf.dispose([X, Y, A, B, At, Bt, lrT, ...W]);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// timing

export interface MeasureOptions {
  warmup: number;
  reps: number;
  /** Stop adding repetitions once this much time has been spent (at least minReps are taken). */
  budgetMs: number;
  minReps: number;
  now?: () => number;
  /** Process CPU time in ms, where the environment has it (Node). */
  cpuNow?: () => number;
}

export interface Measurement {
  median: number;
  samples: number[];
  cpuMedian?: number;
}

/** Minimum warm-up time per case (see measure). */
export const WARMUP_MS = 400;

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length % 2 ? s[k] : 0.5 * (s[k - 1] + s[k]);
}

export function measure(stepper: Stepper, o: MeasureOptions): Measurement {
  const now = o.now ?? (() => performance.now());
  // Warm-up: at least `warmup` steps and WARMUP_MS (JIT tiers: V8 optimizes the JS loops and moves
  // wasm from Liftoff to TurboFan only after enough work), at most 200 steps.
  const w0 = now();
  for (let i = 0; i < 200 && (i < o.warmup || now() - w0 < WARMUP_MS); i++) stepper.step();
  const samples: number[] = [];
  const cpu: number[] = [];
  const t0 = now();
  while (samples.length < o.reps) {
    const c = o.cpuNow?.() ?? 0;
    const t = now();
    stepper.step();
    samples.push(now() - t);
    if (o.cpuNow) cpu.push(o.cpuNow() - c);
    if (samples.length >= o.minReps && now() - t0 > o.budgetMs) break;
  }
  return { median: median(samples), samples, ...(o.cpuNow ? { cpuMedian: median(cpu) } : {}) };
}

/**
 * Steps per second of the measurement-enabled training loop (RunStepper: a record every `every`
 * steps, stop rules every step) at the essay's default settings, over about `ms` milliseconds.
 */
export function loopStepsPerSecond(kernels: MatrixKernels, ms: number, overrides: Partial<RunConfig> = {}): number {
  const config: RunConfig = { ...DEFAULT_CONFIG, steps: 10_000_000, eps: 0, ...overrides };
  const run = new Run(config, kernels);
  const stepper = new RunStepper(run);
  stepper.advance(Math.min(200, ms / 4)); // warm-up
  const s0 = run.step;
  const t0 = performance.now();
  while (performance.now() - t0 < ms && !stepper.done) stepper.advance(30);
  return ((run.step - s0) * 1000) / (performance.now() - t0);
}

// ---------------------------------------------------------------------------------------------
// report

export function formatTable(cases: BenchCase[], baselineImpl = 'numpy'): string {
  const base = new Map<string, number>();
  for (const c of cases) if (c.impl === baselineImpl && c.msPerStep !== null) base.set(`${c.env}|${c.shape}`, c.msPerStep);
  const baseAny = new Map<string, number>();
  for (const c of cases) if (c.impl === baselineImpl && c.msPerStep !== null) baseAny.set(c.shape, c.msPerStep);
  const hasCpu = cases.some((c) => c.cpuMsPerStep !== undefined);
  const rows = [['env', 'impl', 'm', 'ms/step', 'GFLOP/s', `x ${baselineImpl} time`, hasCpu ? 'cpu ms' : '', 'reps', 'note']];
  for (const c of cases) {
    const b = base.get(`${c.env}|${c.shape}`) ?? baseAny.get(c.shape);
    rows.push([
      c.env,
      c.impl,
      String(c.m),
      c.msPerStep === null ? '-' : c.msPerStep.toFixed(c.msPerStep < 10 ? 2 : 1),
      c.gflops === null ? '-' : c.gflops.toFixed(1),
      c.msPerStep === null || b === undefined ? '-' : (c.msPerStep / b).toFixed(2),
      c.cpuMsPerStep === undefined ? '' : c.cpuMsPerStep.toFixed(c.cpuMsPerStep < 10 ? 2 : 1),
      String(c.reps),
      c.note ?? '',
    ]);
  }
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  return rows.map((r) => r.map((x, j) => (j >= 2 && j <= 7 ? x.padStart(widths[j]) : x.padEnd(widths[j]))).join('  ').trimEnd()).join('\n');
}

export function makeCase(env: string, impl: string, s: BenchShape, m: Measurement | null, note?: string): BenchCase {
  const ms = m ? m.median : null;
  return {
    env,
    impl,
    shape: shapeName(s),
    m: s.m,
    msPerStep: ms,
    gflops: ms ? stepFlops(s) / ms / 1e6 : null,
    ...(m?.cpuMedian !== undefined ? { cpuMsPerStep: m.cpuMedian } : {}),
    reps: m ? m.samples.length : 0,
    ...(note ? { note } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// running cases (shared by the Node CLI and the browser worker)

/** A case whose step is estimated over this (from smaller widths) is skipped, except the canonical one. */
export const MAX_STEP_MS = 8000;
/** Repetitions stop once a case has spent this long (at least 5 are taken). */
export const CASE_BUDGET_MS = 12_000;

export class BenchRunner {
  readonly cases: BenchCase[] = [];

  constructor(
    readonly env: string,
    readonly reps: number,
    readonly log: (line: string) => void,
    readonly cpuNow?: () => number,
  ) {}

  /** Scales a time measured at a smaller width to width m (the step is ~ m^2). */
  estimate(impl: string, m: number): number | null {
    let best: BenchCase | null = null;
    for (const c of this.cases) if (c.impl === impl && c.msPerStep !== null && c.m < m && (!best || c.m > best.m)) best = c;
    return best ? best.msPerStep! * (m / best.m) ** 2 : null;
  }

  run(impl: string, s: BenchShape, make: () => Stepper): BenchCase {
    const est = this.estimate(impl, s.m);
    if (est !== null && est > MAX_STEP_MS && s.m !== CANONICAL.m) {
      const c = makeCase(this.env, impl, s, null, `skipped: about ${(est / 1000).toFixed(0)} s/step estimated from smaller m`);
      this.cases.push(c);
      this.log(`  ${impl} m=${s.m}: skipped (est. ${(est / 1000).toFixed(1)} s/step)`);
      return c;
    }
    const stepper = make();
    try {
      const t = performance.now();
      stepper.step(); // first step: compilation, allocation
      const first = performance.now() - t;
      const meas = measure(stepper, {
        warmup: first > 1000 ? 1 : 2,
        reps: this.reps,
        minReps: 5,
        budgetMs: CASE_BUDGET_MS,
        ...(this.cpuNow ? { cpuNow: this.cpuNow } : {}),
      });
      const loss = stepper.loss();
      const c = makeCase(this.env, impl, s, meas, Number.isFinite(loss) ? undefined : `loss not finite (${loss})`);
      this.cases.push(c);
      this.log(`  ${impl} m=${s.m}: ${meas.median.toFixed(2)} ms/step (${meas.samples.length} reps, loss ${loss.toPrecision(4)})`);
      return c;
    } finally {
      stepper.dispose();
    }
  }

  add(c: BenchCase): void {
    this.cases.push(c);
  }
}
