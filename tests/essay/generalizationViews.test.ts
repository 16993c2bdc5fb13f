import { describe, expect, it } from 'vitest';
import { RunSet } from '../../src/essay/figures/runSet.ts';
import { FakePool } from './fakePool.ts';
import { blowUpText, GEN_FIELDS, GEN_MEASURES, GEN_N, GEN_N_WIDTHS, GEN_NS, genSpecs, generalizationView, versusKernel } from '../../src/essay/figures/generalizationFigure.ts';
import { LR_FIELDS, LR_MEASURES, lazyRichView, lrConfig, meanFieldText } from '../../src/essay/figures/lazyRichFigure.ts';
import { GEN_WIDTHS, LR_ALPHAS } from '../../src/state/panelChoices.ts';

function onScreen(measures: object, fields: readonly string[]) {
  const pool = new FakePool();
  const set = new RunSet({ pool, onChange: () => {}, measures, fields: fields as never });
  set.resume();
  return { pool, set };
}

describe('generalization view', () => {
  it('shows each run\u2019s last test, training and kernel losses, fits the test loss against m, and says where the network beats its kernel', () => {
    const { pool, set } = onScreen(GEN_MEASURES, GEN_FIELDS);
    set.startAll(genSpecs());
    expect(set.runs.length).toBe(GEN_WIDTHS.length + GEN_N_WIDTHS.length * (GEN_NS.length - 1));
    for (const r of set.runs) {
      const { m, n } = r.spec.config;
      // test loss ~ m^0 n^-1; kernel 0.2 at every run; the narrow half beats it, the wide half ties
      const test = m <= 64 ? 0.1 * (32 / n) : 0.2 * (32 / n) * 1.01;
      pool.started(r.handle);
      pool.records(r.handle, [
        { step: 0, loss: 10, gradNorm: 1, testLoss: 1, trainLossMean: 0.3, kernelTestLoss: 0.2 * (32 / n) },
        { step: 50, loss: 1e-3, gradNorm: 1, testLoss: test, trainLossMean: 1e-5 * (m / 16), kernelTestLoss: 0.2 * (32 / n) },
      ]);
      pool.done(r.handle, 'converged', 50);
    }
    const v = generalizationView(set.runs, 64, '');
    expect(v.byWidth.map((p) => p.m)).toEqual([...GEN_WIDTHS]);
    expect(v.byWidth[0]).toMatchObject({ m: 16, n: GEN_N });
    expect(v.byWidth[0].train).toBeCloseTo(1e-5, 10);
    expect(v.byWidth[0].test).toBeCloseTo(0.1, 6);
    expect(v.byN[1].points.map((p) => p.n)).toEqual([...GEN_NS]);
    expect(v.byN[0].points[0].test).toBeCloseTo(0.4, 6); // m = 64, n = 8
    expect(v.curve?.steps).toEqual([0, 50]);
    expect(v.binds['generalization.beats']).toBe('below its kernel\u2019s at m = 16, 32, 64, and within 2% of its kernel\u2019s at m = 128, 256, 512, 1024');
    expect(v.binds['generalization.growth']).toMatch(/^rose from 0\.1 to 0\.2/);
    expect(v.binds['generalization.maxTrain']).toBe('6.4×10⁻⁴');
    expect(v.binds['generalization.fold']).toBe('64');
    expect(v.binds['generalization.nFallM64']).toBe('0.4 at n = 8 to 0.025 at n = 128');
    expect(v.fitTest!.slope).toBeGreaterThan(0);
  });

  it('leaves the sentences to come until every width has ended', () => {
    const { pool, set } = onScreen(GEN_MEASURES, GEN_FIELDS);
    set.startAll(genSpecs());
    pool.started(set.runs[0].handle);
    pool.records(set.runs[0].handle, [{ step: 0, loss: 1, gradNorm: 1, testLoss: 1, trainLossMean: 1, kernelTestLoss: 1 }]);
    const v = generalizationView(set.runs, 256, '');
    expect(v.binds['generalization.beats']).toBeUndefined();
    expect(v.binds['generalization.slope']).toBeNull();
    expect(Number.isNaN(v.byWidth[0].test)).toBe(true); // not ended: no end point yet
  });

  it('words the comparison with the kernel and the growth verdict either way', () => {
    const p = (m: number, test: number, kernel: number) => ({ m, n: 32, test, kernel, train: 0 });
    expect(versusKernel([p(16, 1, 2), p(32, 1, 2)])).toBe('below its kernel\u2019s at every width');
    expect(versusKernel([p(16, 3, 2), p(32, 2.01, 2)])).toBe('within 2% of its kernel\u2019s at m = 32, and above its kernel\u2019s at m = 16');
    expect(blowUpText({ slope: -0.04, hi: 0.11 })).toMatch(/^More parameters did not make it blow up/);
    expect(blowUpText({ slope: 0.5, hi: 0.7 })).toMatch(/^It grew with the width/);
    expect(blowUpText({ slope: -0.1, hi: 0.4 })).toMatch(/^The fit cannot rule out growth/);
  });
});

describe('lazy-rich view', () => {
  it('reads each alpha\u2019s last record, fits the distance over alpha >= 1, and compares the rich end with the kernel', () => {
    const { pool, set } = onScreen(LR_MEASURES, LR_FIELDS);
    set.startAll(LR_ALPHAS.map((a) => ({ key: `a${a}`, config: lrConfig(a) })));
    for (const r of set.runs) {
      const a = r.spec.config.alpha!;
      pool.started(r.handle);
      pool.records(r.handle, [
        { step: 0, loss: 1, gradNorm: 1, distRel: 0, ntkDrift: 0, flipFrac: 0, testLoss: 1, trainLossMean: 1, kernelTestLoss: 0.1 },
        { step: 100, loss: 1e-4, gradNorm: 1, distRel: 0.01 / a, ntkDrift: 0.1 / a, flipFrac: Math.min(0.5, 0.02 / a), testLoss: 0.1 - 0.06 / (1 + a), trainLossMean: 1e-5, kernelTestLoss: 0.1 },
      ]);
      pool.done(r.handle, 'converged', 100);
    }
    const v = lazyRichView(set.runs, 0.1, '');
    expect(v.points.map((p) => p.alpha)).toEqual([...LR_ALPHAS]);
    expect(v.fitDist!.slope).toBeCloseTo(-1, 6);
    expect(v.binds['lazy-rich.distSlope']).toMatch(/consistent with the −1 of lazy training$/);
    expect(v.binds['lazy-rich.verdict']).toMatch(/^below the kernel’s 0\.1: /);
    expect(v.binds['lazy-rich.best']).toMatch(/^α = 0\.01 /);
    expect(v.binds['lazy-rich.count']).toBe(String(LR_ALPHAS.length));
    expect(v.binds['lazy-rich.driftOne']).toBe('10%'); // the alpha = 1 run's 0.1
    expect(v.numbers).toMatch(/^α = 0\.1: distance 0\.1 of ‖W₀‖/);
  });

  it('says so when the rich end does not beat the kernel, and places the mean-field scale on the slider', () => {
    const { pool, set } = onScreen(LR_MEASURES, LR_FIELDS);
    set.startAll(LR_ALPHAS.map((a) => ({ key: `a${a}`, config: lrConfig(a) })));
    for (const r of set.runs) {
      pool.started(r.handle);
      pool.records(r.handle, [{ step: 10, loss: 1e-4, gradNorm: 1, distRel: 0.1, ntkDrift: 0.1, flipFrac: 0.1, testLoss: 0.2, trainLossMean: 1e-5, kernelTestLoss: 0.1 }]);
      pool.done(r.handle, 'converged', 10);
    }
    expect(lazyRichView(set.runs, 1, '').binds['lazy-rich.verdict']).toMatch(/^not below the kernel’s 0\.1/);
    expect(meanFieldText()).toBe('1/√256 ≈ 0.063, between the slider’s 0.03 and 0.1');
  });
});
