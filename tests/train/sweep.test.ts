import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/train/config.ts';
import { fitPowerLaw, linearFit } from '../../src/train/fit.ts';
import { fastestKernels } from '../../src/net/wasmKernels.ts';
import { NO_MEASURES } from '../../src/train/instruments.ts';
import { fitSweep, runSweepJob, sweepJobs, type SweepRunResult } from '../../src/train/sweep.ts';

describe('power-law fits', () => {
  it('recover a known exponent exactly and bracket it with the seed interval', () => {
    const pts = [];
    for (const m of [32, 64, 128, 256]) for (const seed of [1, 2, 3]) pts.push({ m, seed, y: 3 * m ** -0.5 * (1 + 0.05 * (seed - 2)) });
    const fit = fitPowerLaw(pts)!;
    expect(fit.slope).toBeCloseTo(-0.5, 10);
    expect(fit.lo).toBeLessThanOrEqual(-0.5);
    expect(fit.hi).toBeGreaterThanOrEqual(-0.5);
  });

  it('least squares on a line', () => {
    const f = linearFit([0, 1, 2, 3], [1, 3, 5, 7]);
    expect(f.slope).toBeCloseTo(2, 12);
    expect(f.intercept).toBeCloseTo(1, 12);
  });

  it('needs two widths and positive values', () => {
    expect(fitPowerLaw([{ m: 8, seed: 1, y: 1 }, { m: 8, seed: 2, y: 2 }])).toBeNull();
    expect(fitPowerLaw([{ m: 8, seed: 1, y: -1 }, { m: 16, seed: 1, y: 2 }])).toBeNull();
  });
});

describe('width sweep physics (n=16, d=8, L=2, m=64..1024, eta = c / lambda_max(K_0))', () => {
  it(
    'distance from init ~ m^-1/2, flips ~ m^-1/2, lambda_min(K_0) ~ m',
    async () => {
      const kernels = await fastestKernels();
      const base = { ...DEFAULT_CONFIG, n: 16, d: 8, L: 2, lrScale: 0.5, eps: 1e-3, steps: 2000, every: 1000 };
      const results: SweepRunResult[] = [];
      for (const job of sweepJobs([64, 128, 256, 512, 1024], 3, 1)) {
        results.push(
          runSweepJob(base, job, {
            kernels,
            perRecord: NO_MEASURES,
            atEnd: { ...NO_MEASURES, dist: true, flips: true },
          }),
        );
      }
      expect(results.every((r) => r.converged)).toBe(true);
      const fits = Object.fromEntries(fitSweep(results).map((f) => [f.quantity, f]));
      const slope = (q: string, from: number, to: number) =>
        fitSweep(results.filter((r) => r.m >= from && r.m <= to)).find((f) => f.quantity === q)!.slope;
      const lambdaFrom128 = slope('lambdaMin0PerM', 128, 1024);
      const report = `distFro ${fits.distFro.slope.toFixed(3)}, flipFrac ${fits.flipFrac.slope.toFixed(3)}, lambdaMin0/m ${fits.lambdaMin0PerM.slope.toFixed(3)} (m >= 128: ${lambdaFrom128.toFixed(3)})`;
      expect(fits.distFro.slope, report).toBeGreaterThanOrEqual(-0.65);
      expect(fits.distFro.slope, report).toBeLessThanOrEqual(-0.35);
      expect(fits.flipFrac.slope, report).toBeGreaterThanOrEqual(-0.7);
      expect(fits.flipFrac.slope, report).toBeLessThanOrEqual(-0.3);
      // lambda_min(K_0)/m tends to a constant, but finite-width fluctuations bias the smallest
      // eigenvalue low at small m (about 0.18 m at m = 64 against 0.30 m from m = 512 on, seeds 1..6),
      // so over 64..1024 the fit reads about +0.17. The flat range holds from m = 128, and the
      // curve flattens: its slope over the upper widths is below that over the lower ones.
      expect(lambdaFrom128, report).toBeGreaterThanOrEqual(-0.15);
      expect(lambdaFrom128, report).toBeLessThanOrEqual(0.15);
      expect(slope('lambdaMin0PerM', 256, 1024), report).toBeLessThan(slope('lambdaMin0PerM', 64, 256));
    },
    120_000,
  );
});
