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
  lr: number;
  seconds: number;
}

export interface SweepJob {
  m: number;
  seed: number;
}

export function sweepJobs(widths: readonly number[], seeds: number, firstSeed: number): SweepJob[] {
  const jobs: SweepJob[] = [];
  // widest first, so the longest runs start early and the pool drains evenly
  for (const m of [...widths].sort((a, b) => b - a)) for (let s = 0; s < seeds; s++) jobs.push({ m, seed: firstSeed + s });
  return jobs;
}

export function jobConfig(base: RunConfig, job: SweepJob): RunConfig {
  return { ...base, m: job.m, dataSeed: job.seed, initSeed: job.seed, batchSeed: job.seed };
}

export interface SweepJobOptions {
  kernels?: MatrixKernels;
  perRecord?: MeasureSwitches; // default: PL ratio and semi-smoothness
  atEnd?: MeasureSwitches; // default: distances, flips, NTK drift
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
  instruments.switches = options.atEnd ?? { ...ALL_MEASURES, rho: false, pl: false };
  const end = instruments.measure();
  const k0 = run.initialKernel().spectrum;
  return {
    type: 'run',
    m: job.m,
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
    lr: run.lr,
    seconds: (performance.now() - t0) / 1000,
  };
}

export interface SweepFit extends PowerFit {
  type: 'fit';
  quantity: string;
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
};

export function fitSweep(results: readonly SweepRunResult[]): SweepFit[] {
  const fits: SweepFit[] = [];
  for (const [quantity, get] of Object.entries(FIT_QUANTITIES)) {
    const fit = fitPowerLaw(results.map((r) => ({ m: r.m, seed: r.seed, y: get(r) })));
    if (fit) fits.push({ type: 'fit', quantity, ...fit });
  }
  return fits;
}
