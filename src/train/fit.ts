/** Log-log least squares: the exponent of a power law y ~ m^slope, with an interval over seeds. */

export interface PowerFit {
  slope: number;
  lo: number;
  hi: number;
  points: number;
}

/** Two-sided 95% Student t quantiles for 1..30 degrees of freedom. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12,
  2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export function tQuantile975(df: number): number {
  return df <= 0 ? Infinity : df <= 30 ? T975[df - 1] : 1.96;
}

/** Least-squares slope and intercept of y on x. */
export function linearFit(x: readonly number[], y: readonly number[]): { slope: number; intercept: number; residualVar: number; sxx: number } {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - mx) ** 2;
    sxy += (x[i] - mx) * (y[i] - my);
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (y[i] - intercept - slope * x[i]) ** 2;
  return { slope, intercept, residualVar: n > 2 ? rss / (n - 2) : NaN, sxx };
}

/**
 * Fits log y = a + slope log m over all (m, seed, y) points with y > 0. The interval: with two or
 * more seeds, mean +- t * sd / sqrt(k) of the per-seed slopes (seeds are the independent
 * replicates); with one seed, the regression's own 95% interval.
 */
export function fitPowerLaw(points: readonly { m: number; seed: number; y: number }[]): PowerFit | null {
  const ok = points.filter((p) => p.y > 0 && Number.isFinite(p.y));
  const widths = new Set(ok.map((p) => p.m));
  if (widths.size < 2) return null;
  const all = linearFit(
    ok.map((p) => Math.log(p.m)),
    ok.map((p) => Math.log(p.y)),
  );
  const seeds = [...new Set(ok.map((p) => p.seed))];
  const perSeed = seeds
    .map((s) => ok.filter((p) => p.seed === s))
    .filter((ps) => new Set(ps.map((p) => p.m)).size >= 2)
    .map((ps) => linearFit(ps.map((p) => Math.log(p.m)), ps.map((p) => Math.log(p.y))).slope);
  let half: number;
  if (perSeed.length >= 2) {
    const mean = perSeed.reduce((a, b) => a + b, 0) / perSeed.length;
    const sd = Math.sqrt(perSeed.reduce((a, b) => a + (b - mean) ** 2, 0) / (perSeed.length - 1));
    half = (tQuantile975(perSeed.length - 1) * sd) / Math.sqrt(perSeed.length);
  } else {
    half = ok.length > 2 ? tQuantile975(ok.length - 2) * Math.sqrt(all.residualVar / all.sxx) : Infinity;
  }
  return { slope: all.slope, lo: all.slope - half, hi: all.slope + half, points: ok.length };
}
