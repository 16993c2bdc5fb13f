import { describe, expect, test } from 'vitest';
import { linearFit } from '../../src/train/fit.ts';
import { DEFAULT_CONFIG, type RunConfig } from '../../src/train/config.ts';
import { driveRun } from '../../src/train/drive.ts';
import { Instruments, NO_MEASURES } from '../../src/train/instruments.ts';
import { Run } from '../../src/train/run.ts';
import { Model } from '../../src/net/model.ts';
import { cloneParams } from '../../src/net/network.ts';

const BASE: RunConfig = { ...DEFAULT_CONFIG, m: 64, n: 12, d: 5, teacher: 3, testN: 50, steps: 200, every: 50, eps: 0 };

/** F_alpha = (1/alpha^2) sum_i 1/2 (alpha (f(x_i; W) - f(x_i; W_0)) - y_i)^2, from two plain forward passes. */
function chizatLoss(run: Run, alpha: number): number {
  const plain = (params: typeof run.initial) => {
    const m = new Model(run.spec, cloneParams(params), run.kernels, run.data, run.model.precision);
    m.loss(null);
    return Float64Array.from(m.cache.out.subarray(0, run.data.n));
  };
  const f = plain(run.model.params);
  const f0 = plain(run.initial);
  let s = 0;
  for (let i = 0; i < run.data.n; i++) s += (alpha * (f[i] - f0[i]) - run.data.Y[i]) ** 2;
  return (0.5 * s) / (alpha * alpha);
}

describe('the output scale alpha (Chizat, Oyallon, Bach)', () => {
  test('the run trains F_alpha = (1/alpha^2) sum 1/2 ||alpha (f(W) - f(W_0)) - y||^2, starting from f = f_0 (float64)', () => {
    for (const alpha of [0.3, 4]) {
      const run = new Run({ ...BASE, alpha }, undefined, 'f64');
      const y2 = run.data.Y.reduce((s, y) => s + y * y, 0);
      expect(run.evaluate().loss).toBeCloseTo((0.5 * y2) / alpha ** 2, 10); // alpha (f_0 - f_0) = 0
      for (let s = 0; s < 20; s++) run.update();
      expect(run.evaluate().loss).toBeCloseTo(chizatLoss(run, alpha), 10);
      expect(run.data.Y).toEqual(new Run(BASE).data.Y); // the run keeps the true labels; only the model's are shifted
    }
  });

  test('at large alpha the distance from initialization scales like 1/alpha (log-log slope within 0.15 of -1)', () => {
    const alphas = [10, 30, 100, 300];
    const dist = alphas.map((alpha) => {
      const run = new Run({ ...BASE, alpha });
      const inst = new Instruments(run, { ...NO_MEASURES, dist: true });
      return driveRun(run, () => {}, { measure: () => inst.measure() }).last.distFro!;
    });
    const { slope } = linearFit(alphas.map(Math.log), dist.map(Math.log));
    expect(Math.abs(slope + 1)).toBeLessThan(0.15);
    // and the fit is not empty: the weights did move
    expect(dist.every((x) => x > 0)).toBe(true);
  }, 120_000);

  test('the scaled model predicts alpha (f - f_0) on the test points too: 0 at initialization, so its test loss is the mean of y^2 / 2', () => {
    const run = new Run({ ...BASE, alpha: 3 }, undefined, 'f64');
    const bench = new Instruments(run, NO_MEASURES).bench()!;
    const y = run.testSet!.Y;
    expect(bench.testLoss()).toBeCloseTo((0.5 * y.reduce((s, v) => s + v * v, 0)) / y.length, 12);
    run.update();
    expect(bench.testLoss()).not.toBeCloseTo((0.5 * y.reduce((s, v) => s + v * v, 0)) / y.length, 6);
  });

  test('mean-field scaling divides alpha by sqrt(m)', () => {
    const run = new Run({ ...BASE, alpha: 2, alphaScaling: 'mean-field' });
    expect(run.outputScale!.alpha).toBeCloseTo(2 / Math.sqrt(BASE.m), 12);
  });

  test('the kernel predictor is the same for every alpha (alpha (f_lin - f_0) has targets y), on the same test set', () => {
    const lazy = new Instruments(new Run({ ...BASE, alpha: 100 }), NO_MEASURES).bench()!.kernelPredictor();
    const rich = new Instruments(new Run({ ...BASE, alpha: 0.1 }), NO_MEASURES).bench()!.kernelPredictor();
    expect(lazy.message).toBeNull();
    expect(rich.testLoss).toBeCloseTo(lazy.testLoss, 6);
    expect(lazy.testLoss).toBeGreaterThan(0);
  });
});
