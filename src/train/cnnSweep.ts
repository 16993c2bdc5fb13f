import type { MatrixKernels } from '../net/kernels.ts';
import { DEFAULT_CONFIG, type RunConfig } from './config.ts';
import { runSweepJob, sweepJobs, type SweepRunResult } from './sweep.ts';

/**
 * The measured CNN width sweep the essay quotes: the sweep CLI's own jobs (src/train/sweep.ts) over
 * channel counts 16..512, 3 seeds, on the cnn figure's signal (q = 8, c = 2, s = 3), n = 16, L = 2, at
 * the sweep CLI's defaults (3000 steps, a record every 5, eps 1e-3). CNN_SWEEP_COMMAND reproduces it
 * from the command line.
 */
export const CNN_SWEEP_WIDTHS: readonly number[] = [16, 32, 64, 128, 256, 512];
export const CNN_SWEEP_SEEDS = 3;
export const CNN_SWEEP_CONFIG: RunConfig = { ...DEFAULT_CONFIG, steps: 3000, every: 5, arch: 'cnn', q: 8, d: 2, window: 3, n: 16, L: 2 };
export const CNN_SWEEP_COMMAND = `npm run -s sweep -- --arch cnn --q 8 --c 2 --window 3 --n 16 --L 2 --widths ${CNN_SWEEP_WIDTHS.join(',')} --seeds ${CNN_SWEEP_SEEDS} --steps 3000`;

/** Every (channel count, seed) of the sweep, in this thread. */
export function runCnnSweep(kernels: MatrixKernels): SweepRunResult[] {
  return sweepJobs(CNN_SWEEP_WIDTHS, CNN_SWEEP_SEEDS, CNN_SWEEP_CONFIG.dataSeed).map((job) => runSweepJob(CNN_SWEEP_CONFIG, job, { kernels }));
}
