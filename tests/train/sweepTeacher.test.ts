import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG, type RunConfig } from '../../src/train/config.ts';
import { fitSweep, runSweepJob, sweepJobs } from '../../src/train/sweep.ts';

describe('a sweep over width and n with a teacher', () => {
  test('each run reports its test loss and its kernel predictor\'s; fits come against m per n and against n per m', () => {
    const base: RunConfig = { ...DEFAULT_CONFIG, teacher: 3, testN: 100, d: 4, steps: 400, eps: 1e-3 };
    const jobs = sweepJobs([16, 32], 1, 1, [8, 16]);
    expect(jobs.map((j) => `${j.m}:${j.n}`)).toEqual(['32:8', '32:16', '16:8', '16:16']);
    const results = jobs.map((job) => runSweepJob(base, job, { kernelPredictor: true }));
    for (const r of results) {
      expect(r.testLoss).toBeGreaterThan(0);
      expect(r.kernelTestLoss).toBeGreaterThan(0);
      expect(r.trainLossMean).toBeLessThan(r.testLoss);
    }
    expect(results.map((r) => r.n)).toEqual([8, 16, 8, 16]);
    const fits = fitSweep(results);
    expect(fits.filter((f) => f.quantity === 'testLoss' && f.against === undefined).map((f) => f.n)).toEqual([8, 16]);
    expect(fits.filter((f) => f.quantity === 'testLoss' && f.against === 'n').map((f) => f.m)).toEqual([16, 32]);
    // a fit against n uses the two n values of its width
    const at16 = fits.find((f) => f.quantity === 'testLoss' && f.against === 'n' && f.m === 16)!;
    const [a, b] = results.filter((r) => r.m === 16);
    expect(at16.slope).toBeCloseTo(Math.log(b.testLoss / a.testLoss) / Math.log(16 / 8), 10);
  }, 120_000);
});
