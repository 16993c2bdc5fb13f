import { fitPowerLaw, type PowerFit } from '../../train/fit.ts';
import { CNN_SWEEP_COMMAND, CNN_SWEEP_WIDTHS } from '../../train/cnnSweep.ts';
import type { SweepRunResult } from '../../train/sweep.ts';
import { formatSlope } from '../../viz/format.ts';
import type { Binds } from './essayNumbers.ts';

/**
 * What the essay says about the CNN sweep (src/train/cnnSweep.ts), from its results: the fitted
 * exponents of the distance from initialization and of the flip fraction against the channel count,
 * with their 95% intervals over seeds, and a verdict on the distance against the theory's 1/sqrt(m)
 * that can come out either way. Recorded at build time (src/essay/recorded/recipes.ts).
 */
function fitOf(results: readonly SweepRunResult[], get: (r: SweepRunResult) => number): PowerFit | null {
  return fitPowerLaw(results.map((r) => ({ m: r.m, seed: r.seed, y: get(r) })));
}

const interval = (f: PowerFit | null): string | null => (f && Number.isFinite(f.lo) ? `${formatSlope(f.lo)} to ${formatSlope(f.hi)}` : null);

/** Where the theory's exponent -1/2 sits against the fitted interval. */
export function distanceVerdict(f: PowerFit | null): string | null {
  if (!f || !Number.isFinite(f.lo)) return null;
  if (f.lo <= -0.5 && -0.5 <= f.hi) return 'which contains the \u22121/2 of the theory\u2019s 1/\u221am';
  return f.hi < -0.5 ? 'steeper than the theory\u2019s 1/\u221am (\u22121/2)' : 'shallower than the theory\u2019s 1/\u221am (\u22121/2)';
}

/** Which of the two flip rates of the lazy-ball section (the typical -1/2, the bound's -1/3) the fitted interval holds. */
export function flipVerdict(f: PowerFit | null): string | null {
  if (!f || !Number.isFinite(f.lo)) return null;
  const holds = (x: number) => f.lo <= x && x <= f.hi;
  if (holds(-0.5) && holds(-1 / 3)) return 'an interval that holds both the typical \u22121/2 and the bound\u2019s \u22121/3, so these runs cannot tell the two apart';
  if (holds(-0.5)) return 'an interval that holds the typical \u22121/2 and not the bound\u2019s \u22121/3';
  if (holds(-1 / 3)) return 'an interval that holds the bound\u2019s \u22121/3 and not the typical \u22121/2';
  return f.hi < -0.5 ? 'steeper than both the typical \u22121/2 and the bound\u2019s \u22121/3' : f.lo > -1 / 3 ? 'shallower than both the typical \u22121/2 and the bound\u2019s \u22121/3' : 'between the two rates, holding neither';
}

export function cnnSweepBinds(results: readonly SweepRunResult[]): Binds {
  const dist = fitOf(results, (r) => r.distFro);
  const flips = fitOf(results, (r) => r.flipFrac);
  const converged = results.filter((r) => r.converged).length;
  const seeds = new Set(results.map((r) => r.seed)).size;
  return {
    'cnn.sweepWidths': `${Math.min(...CNN_SWEEP_WIDTHS)} to ${Math.max(...CNN_SWEEP_WIDTHS)}`,
    'cnn.sweepSeeds': String(seeds),
    'cnn.sweepConverged': `${converged} of ${results.length}`,
    'cnn.distSlope': dist ? formatSlope(dist.slope) : null,
    'cnn.distInterval': interval(dist),
    'cnn.distVerdict': distanceVerdict(dist),
    'cnn.flipSlope': flips ? formatSlope(flips.slope) : null,
    'cnn.flipInterval': interval(flips),
    'cnn.flipVerdict': flipVerdict(flips),
    'cnn.sweepCommand': CNN_SWEEP_COMMAND,
  };
}
