import { linearFit, tQuantile975 } from './fit.ts';

/**
 * Exploding or vanishing gradients, measured: how ||dF/dh_t|| (or ||dF_T/dh_t||) changes per step back
 * in time in the RNN. A least-squares fit of log g_t = a + (T - t) log gamma over t = 1..T gives gamma,
 * the factor per step back, with the regression's 95% interval; gamma^(T-1) is the change over the
 * whole sequence. The companion paper (Allen-Zhu, Li, Song, NeurIPS 2019) proves that near a random
 * initialization of large width the backward pass grows at most polynomially in T, not exponentially.
 */
export interface GrowthFit {
  factor: number; // gamma
  lo: number;
  hi: number;
  span: number; // T - 1 steps back
}

export function perStepGrowth(norms: ArrayLike<number>): GrowthFit | null {
  const T = norms.length;
  const x: number[] = [];
  const y: number[] = [];
  for (let t = 1; t <= T; t++) {
    const g = norms[t - 1];
    if (g > 0 && Number.isFinite(g)) {
      x.push(T - t);
      y.push(Math.log(g));
    }
  }
  if (x.length < 3) return null;
  const fit = linearFit(x, y);
  const half = tQuantile975(x.length - 2) * Math.sqrt(fit.residualVar / fit.sxx);
  return { factor: Math.exp(fit.slope), lo: Math.exp(fit.slope - half), hi: Math.exp(fit.slope + half), span: T - 1 };
}

export type GrowthKind = 'explodes' | 'vanishes' | 'neither' | 'unclear';

/**
 * The verdict, either way: over the sequence the fitted change gamma^(T-1) (with its interval) is
 * more than `factor` up (explodes), more than `factor` down (vanishes), within a factor of `factor`
 * both ways (neither), or its interval straddles those lines (unclear).
 */
export function growthKind(fit: GrowthFit, factor = 2): GrowthKind {
  const lo = fit.lo ** fit.span;
  const hi = fit.hi ** fit.span;
  if (lo > factor) return 'explodes';
  if (hi < 1 / factor) return 'vanishes';
  if (lo >= 1 / factor && hi <= factor) return 'neither';
  return 'unclear';
}
