import type { RunConfig } from './config.ts';
import { driveRun } from './drive.ts';
import { fitPowerLaw, type PowerFit } from './fit.ts';
import { ALL_MEASURES, Instruments, NO_MEASURES, type MeasureSwitches } from './instruments.ts';
import { Run } from './run.ts';
import type { MatrixKernels } from '../net/kernels.ts';

/** One finished run of a width sweep: the numbers the scaling plots need. */
export interface SweepRunResult {
  type: 'run';
  m: number;
  n: number;
  seed: number;
  status: string;
  steps: number; // steps to F <= eps F_0, or the steps run when it never got there
  converged: boolean;
  loss0: number;
  lossT: number;
  distFro: number;
  distRel: number;
  distSpec: number;
  flipFrac: number;
  lambdaMin0: number;
  lambdaMax0: number;
  plMin: number; // min over records of ||grad F||^2 / F
  rhoRelu: number; // mean over records of |rho_relu|
  ntkDrift: number; // ||K_T - K_0||_2 / ||K_0||_2
  testLoss: number; // mean 1/2 ||f(x) - f*(x)||^2 over the teacher's test points at the end (NaN without a teacher)
  trainLossMean: number; // the same mean over the training points
  kernelTestLoss: number; // the K_0 kernel predictor's test loss (NaN unless asked for)
  lr: number;
  seconds: number;
}

export interface SweepJob {
  m: number;
  seed: number;
  n?: number; // training points, when the sweep also varies n (else the base config's)
}

export function sweepJobs(widths: readonly number[], seeds: number, firstSeed: number, ns: readonly (number | undefined)[] = [undefined]): SweepJob[] {
  const jobs: SweepJob[] = [];
  // widest first, so the longest runs start early and the pool drains evenly
  for (const m of [...widths].sort((a, b) => b - a))
    for (const n of ns) for (let s = 0; s < seeds; s++) jobs.push(n === undefined ? { m, seed: firstSeed + s } : { m, n, seed: firstSeed + s });
  return jobs;
}

export function jobConfig(base: RunConfig, job: SweepJob): RunConfig {
  return { ...base, m: job.m, n: job.n ?? base.n, dataSeed: job.seed, initSeed: job.seed, batchSeed: job.seed };
}

export interface SweepJobOptions {
  kernels?: MatrixKernels;
  perRecord?: MeasureSwitches; // default: PL ratio and semi-smoothness
  atEnd?: MeasureSwitches; // default: distances, flips, NTK drift, test loss
  kernelPredictor?: boolean; // also the K_0 kernel predictor's test loss (runs with a teacher)
}

/**
 * Runs one (width, seed) until F <= eps F_0 or the step limit; records carry the cheap per-step
 * measures (PL ratio, semi-smoothness), the end state the rest (distances, flips, NTK drift).
 * Quantities not measured come out as NaN.
 */
export function runSweepJob(base: RunConfig, job: SweepJob, options: SweepJobOptions = {}): SweepRunResult {
  const t0 = performance.now();
  const run = new Run(jobConfig(base, job), options.kernels);
  const instruments = new Instruments(run, options.perRecord ?? { ...NO_MEASURES, pl: true, rho: true });
  let plMin = Infinity;
  let rhoSum = 0;
  let rhoCount = 0;
  const result = driveRun(
    run,
    (rec) => {
      if (rec.plRatio !== undefined) plMin = Math.min(plMin, rec.plRatio);
      if (rec.rhoRelu !== undefined && Number.isFinite(rec.rhoRelu)) {
        rhoSum += Math.abs(rec.rhoRelu);
        rhoCount++;
      }
    },
    { measure: () => instruments.measure() },
  );
  instruments.switches = options.atEnd ?? { ...ALL_MEASURES, rho: false, pl: false, kernel: false };
  const end = instruments.measure();
  const k0 = run.initialKernel().spectrum;
  const bench = instruments.bench();
  return {
    type: 'run',
    m: job.m,
    n: run.config.n,
    seed: job.seed,
    status: result.verdict.reason,
    steps: result.stepsToEps ?? result.steps,
    converged: result.stepsToEps !== null,
    loss0: result.first.loss,
    lossT: end.loss,
    distFro: end.distFro ?? NaN,
    distRel: end.distRel ?? NaN,
    distSpec: end.distSpec ?? NaN,
    flipFrac: end.flipFrac ?? NaN,
    lambdaMin0: k0.lambdaMin,
    lambdaMax0: k0.lambdaMax,
    plMin: Number.isFinite(plMin) ? plMin : NaN,
    rhoRelu: rhoCount > 0 ? rhoSum / rhoCount : NaN,
    ntkDrift: end.ntkDrift ?? NaN,
    testLoss: end.testLoss ?? NaN,
    trainLossMean: end.trainLossMean ?? NaN,
    kernelTestLoss: options.kernelPredictor && bench ? bench.kernelPredictor().testLoss : NaN,
    lr: run.lr,
    seconds: (performance.now() - t0) / 1000,
  };
}

export interface SweepFit extends PowerFit {
  type: 'fit';
  quantity: string;
  against?: 'n'; // a fit against the number of training points n at one width m (default: against m)
  n?: number; // the fit against m is at this n (sweeps over several n)
  m?: number; // the fit against n is at this width
}

/** The quantities whose width scaling a sweep reports, with derived per-width ones. */
export const FIT_QUANTITIES: Record<string, (r: SweepRunResult) => number> = {
  distFro: (r) => r.distFro,
  distRel: (r) => r.distRel,
  distSpec: (r) => r.distSpec,
  flipFrac: (r) => r.flipFrac,
  lambdaMin0: (r) => r.lambdaMin0,
  lambdaMin0PerM: (r) => r.lambdaMin0 / r.m,
  lambdaMax0: (r) => r.lambdaMax0,
  plMin: (r) => r.plMin,
  plMinPerM: (r) => r.plMin / r.m,
  rhoRelu: (r) => r.rhoRelu,
  ntkDrift: (r) => r.ntkDrift,
  steps: (r) => r.steps,
  testLoss: (r) => r.testLoss,
  kernelTestLoss: (r) => r.kernelTestLoss,
};

/** The quantities also fit against n when a sweep varies n. */
const FIT_AGAINST_N = ['testLoss', 'kernelTestLoss'] as const;

/**
 * Power-law fits against m (per n when the sweep varied n), and, when it varied n, the test
 * losses against n at each width (the fit's `m` field then holds n: fitPowerLaw's x).
 */
export function fitSweep(results: readonly SweepRunResult[]): SweepFit[] {
  const fits: SweepFit[] = [];
  const ns = [...new Set(results.map((r) => r.n))].sort((a, b) => a - b);
  for (const n of ns) {
    const atN = results.filter((r) => r.n === n);
    for (const [quantity, get] of Object.entries(FIT_QUANTITIES)) {
      const fit = fitPowerLaw(atN.map((r) => ({ m: r.m, seed: r.seed, y: get(r) })));
      if (fit) fits.push({ type: 'fit', quantity, ...fit, ...(ns.length > 1 && { n }) });
    }
  }
  if (ns.length < 2) return fits;
  for (const m of [...new Set(results.map((r) => r.m))].sort((a, b) => a - b)) {
    for (const quantity of FIT_AGAINST_N) {
      const get = FIT_QUANTITIES[quantity];
      const fit = fitPowerLaw(results.filter((r) => r.m === m).map((r) => ({ m: r.n, seed: r.seed, y: get(r) })));
      if (fit) fits.push({ type: 'fit', quantity, against: 'n', m, ...fit });
    }
  }
  return fits;
}
