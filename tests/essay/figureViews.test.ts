import { describe, expect, it } from 'vitest';
import { gbConfig, gbVerdict, gbVerdictText, gbWidth, gradientBoundView, inRegime, PL_RULE } from '../../src/essay/figures/gradientBoundFigure.ts';
import { RunSet, type RunSetOptions } from '../../src/essay/figures/runSet.ts';
import type { RecordField } from '../../src/train/recordLayout.ts';
import type { MeasuredRecord } from '../../src/train/instruments.ts';
import { FakePool, recs } from './fakePool.ts';
import { lazyBallView, lbConfig, lbFinals, LB_WIDTHS } from '../../src/essay/figures/lazyBallFigure.ts';
import { compareSlope, referenceLine } from '../../src/essay/figures/fits.ts';
import { semiSmoothnessView, ssConfig, ssTrack, ssTrend, toSlice } from '../../src/essay/figures/semiSmoothnessFigure.ts';
import { bvrConfig, bvrTried, bvrView, BVR_EPS } from '../../src/essay/figures/boundsVsRealityFigure.ts';
import { fittedRate, separationConfig, separationView } from '../../src/essay/figures/separationFigure.ts';
import { duConfig, duCurve, duView, type Neurons } from '../../src/essay/figures/duReplotFigure.ts';
import { endRatio, kernelDriftF, ntkView, takeKernel, type Kernels } from '../../src/essay/figures/ntkFigure.ts';
import { gridRows, landscapeConfig, landscapeStatus, landscapeView } from '../../src/essay/figures/landscapeFigure.ts';
import type { ProbeResult } from '../../src/train/probes.ts';

/** A run set on a fake pool, on screen, and a way to play each run's worker. */
function runs<T = undefined>(o: Partial<RunSetOptions<T>> & { fields?: readonly RecordField[] } = {}) {
  const pool = new FakePool();
  const set = new RunSet<T>({ pool, onChange: () => {}, ...o });
  set.resume();
  return { pool, set };
}

describe('gradient-bound view', () => {
  it('finds each ended run’s smallest PL ratio over m and its share of 2 lambda_min(K_0), and fits the widths in the regime', () => {
    const { pool, set } = runs({ measures: { pl: true, ntk: true }, fields: ['gradNorm', 'plRatio', 'twoLambdaMin'] });
    const ms = [32, 64, 128, 256, 512];
    set.startAll(ms.map((m) => ({ key: `m${m}`, config: gbConfig(m, 2, 1) })));
    set.runs.forEach((r, k) => {
      const m = ms[k];
      pool.started(r.handle);
      // PL ratio m * (2, 1.5, 1) over the records; the prediction 2 lambda_min(K_0) = 1.2 m, except m = 32 (4 m: out of the regime)
      const pred = m === 32 ? 4 * m : 1.2 * m;
      pool.records(r.handle, recs([0, 1, 2], (s): Partial<MeasuredRecord> => ({ plRatio: m * [2, 1.5, 1][s], twoLambdaMin: s ? 0.9 * m : pred })));
      if (k < 4) pool.done(r.handle, 'converged', 2);
    });
    const w = gbWidth(set.runs[1]);
    expect(w.plMinPerM).toBe(1);
    expect(w.floor0).toBeCloseTo(1.2 * 64, 3);
    expect(w.share).toBeCloseTo(1 / 1.2, 5);
    expect(w.note).toBe('converged in 2 steps');
    expect(gbWidth(set.runs[0]).share).toBeCloseTo(0.25, 5);
    expect(gbWidth(set.runs[4]).plMinPerM).toBeNaN(); // still training
    expect(gbWidth(set.runs[0]).tone).toBe(0);
    expect(gbWidth(set.runs[4]).tone).toBe(1);
    let v = gradientBoundView(set.runs, 2, 1, 'status');
    expect(v.fit?.slope).toBeCloseTo(0, 6); // PL / m is level over m = 64, 128, 256
    expect(v.binds['gradient-bound.inRegime']).toBe('3 of 4');
    expect(v.binds['gradient-bound.shareRange']).toBe('25% to 83%');
    expect(v.binds['gradient-bound.mNarrow']).toBe('32');
    expect(v.binds['gradient-bound.mWide']).toBe('256');
    expect(v.binds['gradient-bound.verdict']).toBeUndefined(); // every run must have ended
    expect(v.binds['gradient-bound.above']).toBeUndefined(); // the identity is gone
    expect(v.numbers).toMatch(/^m = 32: min PL\/m = 1, 25% of 2λ/);
    pool.done(set.runs[4].handle, 'converged', 2);
    v = gradientBoundView(set.runs, 2, 1, 'status');
    expect(v.binds['gradient-bound.verdict']).toMatch(/^over the 4 widths in the regime \(m = 64, 128, 256, 512\) the slope of PL\/m is .*flat within ±0.25/);
  });

  it('gives each verdict: flat, not flat, inconclusive, too few', () => {
    expect(gbVerdict({ slope: 0.02, lo: -0.1, hi: 0.14 })).toBe('flat');
    expect(gbVerdict({ slope: 0.66, lo: 0.56, hi: 0.76 })).toBe('not flat');
    expect(gbVerdict({ slope: -0.5, lo: -0.7, hi: -0.3 })).toBe('not flat');
    expect(gbVerdict({ slope: 0.66, lo: -0.4, hi: 1.7 })).toBe('inconclusive');
    expect(gbVerdict(null)).toBe('too few');
    expect(gbVerdictText('not flat', { slope: 0.66, lo: 0.56, hi: 0.76 }, [64, 128, 256])).toMatch(/not flat: the smallest PL ratio grows faster than m/);
    expect(gbVerdictText('not flat', { slope: -0.5, lo: -0.7, hi: -0.3 }, [64, 128, 256])).toMatch(/more slowly than m/);
    expect(gbVerdictText('inconclusive', { slope: 0.66, lo: -0.4, hi: 1.7 }, [64, 128, 256])).toMatch(/too wide to call/);
    expect(gbVerdictText('too few', null, [512])).toMatch(/too few points to fit/);
  });

  it('counts a width in the regime from its share of the prediction, and fits a growing PL/m as not flat', () => {
    const w = (m: number, share: number, perM: number) => ({ m, tone: 0, loss: [], grad2: [], floor0: m, plMinPerM: perM, floor0PerM: 1, share, note: '' });
    expect(inRegime([w(32, 0.3, 1), w(64, 0.5, 1), w(128, 0.9, 1)]).map((x) => x.m)).toEqual([64, 128]);
    expect(PL_RULE).toBe(0.5);
  });
});

describe('lazy-ball view', () => {
  it('takes the ended runs’ last values, fits them and quotes the narrowest and widest', () => {
    const { pool, set } = runs({ measures: { dist: true, flips: true }, fields: ['distFro', 'distRel', 'flipFrac'] });
    set.startAll(LB_WIDTHS.slice(0, 4).map((m) => ({ key: `m${m}`, config: lbConfig(m) })));
    set.runs.forEach((r, k) => {
      const m = LB_WIDTHS[k];
      pool.started(r.handle);
      // the distance falls like m^(-1/2), the flipped fraction like 1/m
      pool.records(r.handle, recs([0, 2], (s) => ({ distFro: s ? 8 / Math.sqrt(m) : 0, distRel: 0, flipFrac: s ? 1 / m : 0 })));
      if (k < 3) pool.done(r.handle, 'converged', 2);
    });
    expect(lbFinals(set.runs, 'dist').map((p) => p.m)).toEqual([32, 64, 128]);
    const v = lazyBallView(set.runs, 'dist', 'st');
    expect(v.fit?.slope).toBeCloseTo(-0.5, 4);
    expect(v.tracks.map((t) => t.note)).toEqual(['converged in 2 steps', 'converged in 2 steps', 'converged in 2 steps', 'step 2']);
    expect(v.tracks[3].final).toBeNaN();
    expect(v.binds['lazy-ball.distVerdict']).toBe('the fit is consistent with');
    expect(v.binds['lazy-ball.mWide']).toBe('128');
    expect(v.binds['lazy-ball.flipNarrow']).toBe('3.1%');
    expect(v.numbers).toContain('flipped-fraction slope \u22121.00');
    expect(v.references.map((r) => r.key)).toEqual(['ref-half']);
    expect(v.references[0].xs).toEqual([32, 128]);
    expect(v.caption).toContain('the rate of the theory’s distance bound');
    const f = lazyBallView(set.runs, 'flips', 'st');
    expect(f.fit?.slope).toBeCloseTo(-1, 4);
    expect(f.references.map((r) => [r.key, r.label])).toEqual([
      ['ref-third', 'slope −1/3: the bound (ω²ᐟ³)'],
      ['ref-half', 'slope −1/2: the typical rate in runs'],
    ]);
    expect(f.binds['lazy-ball.flipVsBound']).toMatch(/^steeper than the bound’s −1\/3 and (steeper than|consistent with) the typical −1\/2$/);
    expect(f.caption).not.toContain('the rate the theory suggests');
  });
});

describe('semi-smoothness view', () => {
  const sliceResult: Extract<ProbeResult, { kind: 'slice' }> = {
    kind: 'slice',
    step: 10,
    s: Float64Array.from({ length: 25 }, (_, i) => i / 24),
    loss: Float64Array.from({ length: 25 }, (_, i) => 1 - 0.03 * i),
    firstOrder: new Float64Array(25),
    bound: new Float64Array(25),
    curvatureBound: 0.5,
    loss0: 1,
    gradNorm: 2,
  };

  it('reads the slice at the gradient step and the mean |rho_ReLU| of ended runs', () => {
    const slice = toSlice(sliceResult, 0.25);
    expect(slice.stepLoss).toBeCloseTo(1 - 0.03 * 6, 12); // index (25 - 1) / 4
    const { pool, set } = runs({ measures: { rho: true }, fields: ['rho', 'rhoRelu'] });
    set.startAll([32, 64].map((m) => ({ key: `m${m}`, config: ssConfig(m) })));
    for (const r of set.runs) {
      pool.started(r.handle);
      pool.records(r.handle, recs([0, 1], (s) => ({ rho: 0.5 + s, rhoRelu: s ? -0.25 : 0.75 })));
    }
    pool.done(set.runs[0].handle, 'converged', 1);
    expect(ssTrack(set.runs[0]).meanAbsRelu).toBeCloseTo(0.5, 6);
    expect(ssTrack(set.runs[1]).meanAbsRelu).toBeNaN();
    const v = semiSmoothnessView(set.runs, 32, slice, 'st');
    // drop 0.18 of the first-order 0.25 * 2 = 0.5
    expect(v.binds['semi-smoothness.fraction']).toBe('36.0%');
    expect(v.binds['semi-smoothness.sliceStep']).toBe('10');
    expect(v.caption).toContain('its largest value so far is 1.5,');
    expect(v.numbers).toContain('b = 0.5. m = 32: mean |\u03c1_ReLU| = 0.5');
    expect(semiSmoothnessView(set.runs, 32, null, 'st').binds['semi-smoothness.fraction']).toBeNull();
    expect(v.caption).toContain('everything the tangent-kernel linearization misses');
  });

  it('calls the trend of |rho_ReLU| each way, and compares its slope with the bound’s −1/6 each way', () => {
    expect(ssTrend({ slope: -0.6, lo: -0.8, hi: -0.4 })).toBe('shrinks as the width grows');
    expect(ssTrend({ slope: 0.3, lo: 0.1, hi: 0.5 })).toBe('grows with the width');
    expect(ssTrend({ slope: -0.2, lo: -0.5, hi: 0.1 })).toBe('shows no clear trend with the width here');
    expect(compareSlope({ slope: -0.6, lo: -0.8, hi: -0.4 }, -1 / 6)).toBe('steeper than');
    expect(compareSlope({ slope: -0.2, lo: -0.3, hi: -0.1 }, -1 / 6)).toBe('consistent with');
    expect(compareSlope({ slope: -0.05, lo: -0.1, hi: 0 }, -1 / 6)).toBe('shallower than');
    expect(referenceLine([{ m: 32, y: 1 }, { m: 512, y: 1 }], -0.5)?.ys[1]).toBeCloseTo(0.5, 9); // through the middle (m = 128): a factor 4 in m halves it
    expect(referenceLine([{ m: 32, y: 1 }], -0.5)).toBeNull();
  });
});

describe('bounds-vs-reality view', () => {
  it('marks each width trained, not, or going, and compares the theorem’s width with the one that works', () => {
    const { pool, set } = runs<{ loss0: number; ratio: number }>({ own: () => ({ loss0: 1, ratio: NaN }) });
    const [a, b, c] = [2, 4, 8].map((m) => set.start({ key: `m${m}`, config: bvrConfig(m, 4, 1) }));
    a.own.ratio = 0.5;
    pool.done(a.handle, 'steps', 2000);
    pool.done(b.handle, 'converged', 120);
    expect(bvrTried(a)).toEqual({ m: 2, ok: false, note: 'F/F\u2080 = 0.5 after 2,000 steps' });
    expect(bvrTried(b)).toEqual({ m: 4, ok: true, note: `reached F \u2264 10\u207b\u00b3 F\u2080 in 120 steps` });
    expect(bvrTried(c).ok).toBeNull();
    expect(bvrTried(c).note).toBe('setting up');
    pool.started(c.handle);
    expect(bvrTried(c).note).toBe('training\u2026');
    c.own.ratio = 0.01;
    expect(bvrTried(c).note).toBe('training: F/F\u2080 = 0.01');
    expect(BVR_EPS).toBe(1e-3);
    const v = bvrView({ n: 4, L: 1, tried: [], practical: 4, delta: 0.5, history: [{ n: 8, L: 1, practical: 16, log10: 30 }], status: 's' });
    expect(v.log10Theorem).toBeCloseTo(24 * Math.log10(4) - 8 * Math.log10(0.5), 10);
    expect(v.binds['bounds-vs-reality.practical']).toBe('4');
    expect(v.binds['bounds-vs-reality.delta']).toBe('0.500');
    expect(v.numbers).toContain('in practice m = 4');
    expect(v.history).toEqual(['n = 8, L = 1: trained at m = 16; the theorem asks for 10\u00b3\u2070']);
    expect(v.numbers).toContain('used as is');
    const capped = bvrView({ n: 4, L: 4, tried: [], practical: null, delta: 0.5, history: [], status: '' });
    expect(capped.log10Theorem).toBeCloseTo(24 * Math.log10(4) + 12 * Math.log10(4) - 8 * Math.log10(0.25), 10);
    expect(capped.numbers).toContain('\u03b4 used = min(\u03b4, 1/L) = 0.250');
    expect(capped.binds['bounds-vs-reality.delta']).toBe('0.500');
    expect(capped.binds['bounds-vs-reality.deltaUsed']).toBe('0.250');
    expect(capped.caption).toContain('min(\u03b4, 1/L)');
  });
});

describe('separation view', () => {
  it('fits the rate, orders deltas, and writes the summary once two deltas have both labels', () => {
    expect(fittedRate([0, 10], [1, Math.exp(-2)])).toBeCloseTo(0.2, 12);
    expect(fittedRate([0], [1])).toBeNaN();
    const { pool, set } = runs<{ lambdaMin0: number }>({ measures: { ntk: true }, own: () => ({ lambdaMin0: NaN }) });
    for (const d of [0.1, 1]) for (const labels of ['sign', 'teacher'] as const) {
      const r = set.start({ key: `${d}:${labels}`, config: separationConfig(d, labels) });
      r.own.lambdaMin0 = d / 10;
      pool.started(r.handle);
      pool.records(r.handle, [{ step: 0, loss: 1 }, { step: 10, loss: Math.exp(-10 * d) }]);
      pool.done(r.handle, 'steps', 10);
    }
    const v = separationView(set.runs, 0.1, 'st');
    expect(v.lambda.deltas).toEqual([1, 0.1]);
    expect(v.rates.sign.values[0]).toBeCloseTo(1, 5);
    expect(v.rates.teacher.values[1]).toBeCloseTo(0.1, 5);
    expect(v.curves.sign.steps).toEqual([0, 10]);
    expect(v.caption).toContain('At \u03b4 = 0.1: \u03bb_min(K\u2080) = 0.01, rate 0.1 per step with sign labels and 0.1 with teacher labels.');
    expect(v.binds['separation.summary']).toMatch(/^In the runs so far, moving \u03b4 from 1 to 0.1 took/);
  });
});

describe('du-figure view', () => {
  it('draws patterns changed in percent, counts iterations, and sums up finished runs', () => {
    const { pool, set } = runs<Neurons>({ measures: { flips: true }, fields: ['flipFrac'], own: () => ({ steps: [0], distance: [0], asking: false }) });
    set.startAll([32, 512].map((m) => ({ key: `m${m}`, config: duConfig(m) })));
    set.runs.forEach((r, k) => {
      pool.started(r.handle);
      pool.records(r.handle, recs([0, 5], (s) => ({ flipFrac: s ? 0.1 / (k + 1) : NaN })));
      r.own.steps.push(5);
      r.own.distance.push(0.2);
    });
    pool.done(set.runs[0].handle, 'converged', 5);
    const c = duCurve(set.runs[0]);
    expect(c.flipSteps).toEqual([5]);
    expect(c.flips[0]).toBeCloseTo(10, 5);
    expect(c.note).toBe('converged in 5 iterations');
    expect(duCurve(set.runs[1]).note).toBe('iteration 5');
    expect(duCurve(set.runs[1]).tone).toBe(1); // the widest of DU_WIDTHS
    const v = duView(set.runs, 'st');
    expect(v.caption).toMatch(/At the end: m = 32: 10% patterns changed, largest neuron move 0.2\.$/);
  });
});

describe('ntk view', () => {
  const kernel = (step: number, r: number[], p: number[]): Extract<ProbeResult, { kind: 'kernel' }> => ({
    kind: 'kernel',
    step,
    N: 2,
    K0: Float64Array.from([1, 0, 0, 1]),
    Kt: Float64Array.from([1.1, 0, 0, 1]),
    eigenvalues0: Float64Array.from([1, 1]),
    eigenvaluesT: Float64Array.from([1, 1.1]),
    residual: Float64Array.from(r),
    predicted: Float64Array.from(p),
  });

  it('keeps the residual curves going forward, and measures the drift and the frozen kernel’s gap', () => {
    const o: Kernels = { kernel: null, residual: { steps: [], actual: [], predicted: [] }, asking: false, finalAsked: false };
    takeKernel(o, kernel(0, [3, 4], [3, 4]));
    takeKernel(o, kernel(10, [0.6, 0.8], [0.6, 0.8 + 0.5]));
    takeKernel(o, kernel(5, [9, 9], [9, 9])); // late: the latest kernel, but no point back in time
    expect(o.residual.steps).toEqual([0, 10]);
    expect(o.residual.actual).toEqual([5, 1]);
    takeKernel(o, kernel(10, [0.6, 0.8], [0.6, 1.3]));
    expect(kernelDriftF(o.kernel!.K0, o.kernel!.Kt)).toBeCloseTo(0.1 / Math.SQRT2, 12);
    const v = ntkView(32, o, 0.05, 'st', true);
    expect(v.gap).toBeCloseTo(0.5 / 5, 12);
    expect(endRatio(o.residual)).toBeCloseTo(1 / Math.hypot(0.6, 1.3), 12); // what the end points show
    expect(v.binds['ntk.endRatio']).toBe('0.698 times');
    expect(v.caption).toContain('Solid lines are measured at step t');
    // the prediction at every step from K_0 = diag(1, 1) and r_0 = (3, 4): 5 (1 - 0.05)^t
    expect(v.residual.dense.steps.length).toBe(11);
    expect(v.residual.dense.values[10]).toBeCloseTo(5 * 0.95 ** 10, 9);
    expect(v.numbers.step).toBe('10');
    expect(v.binds['ntk.width']).toBe('32');
    expect(v.caption).toContain('= 0.05. At step 10 the kernel has moved 7.1% from K\u2080');
    expect(ntkView(32, o, NaN, 'st', false).binds['ntk.drift']).toBeNull(); // quoted once the run ended
  });
});

describe('landscape view', () => {
  const grid = (step: number, over: Partial<Extract<ProbeResult, { kind: 'grid' }>> = {}): Extract<ProbeResult, { kind: 'grid' }> => ({
    kind: 'grid',
    step,
    plane: 'gradient-curvature',
    scale: 'ball',
    extent: 0.5,
    axis: Float64Array.from([-1, 1]),
    values: Float64Array.from([1, 2, 3, 4]),
    filled: 4,
    total: 4,
    curvature: -0.25,
    path: null,
    pathSteps: null,
    explained: null,
    ...over,
  });

  it('says what the run and the grids are doing, from first training to done, lent and let go', () => {
    const { pool, set } = runs<{ inFlight: boolean }>({ probes: true, releaseEnded: true, own: () => ({ inFlight: false }) });
    const s = { failed: '', gc: null, t: 0, finalStep: 0 };
    expect(landscapeStatus(undefined, s)).toBe('Starts when the figure comes into view.');
    const run = set.start({ key: 'landscape', config: landscapeConfig() });
    expect(landscapeStatus(run, s)).toBe('Setting up the run\u2026');
    pool.started(run.handle);
    pool.records(run.handle, [{ step: 0, loss: 0.5 }, { step: 5, loss: 0.25 }]);
    expect(landscapeStatus(run, s)).toBe('Training the run first: step 5, F = 0.25.');
    pool.done(run.handle, 'converged', 40);
    run.own.inFlight = true;
    expect(landscapeStatus(run, { ...s, t: 20 })).toBe('Computing the surface around step 20\u2026');
    run.own.inFlight = false;
    expect(landscapeStatus(run, { ...s, finalStep: 40 })).toBe('Done: drag the slider along the run (0 to 40) or switch the scale.');
    set.release(); // lent: it keeps its worker, and its status, until a run that waits takes the worker
    expect(landscapeStatus(run, { ...s, finalStep: 40 })).toBe('Done: drag the slider along the run (0 to 40) or switch the scale.');
    run.handle.evict();
    expect(landscapeStatus(run, s)).toBe('Let go while out of view; it trains again when you come back.');
    set.resume();
    pool.started(run.handle);
    expect(landscapeStatus(run, { ...s, gc: grid(20) })).toMatch(/^Training the run again \(it was let go while off screen\): step 0/);
    expect(landscapeStatus(run, { ...s, failed: 'boom' })).toBe('The probe failed: boom');
  });

  it('finds the path point nearest the grid’s center, and writes grids as rows', () => {
    const pca = grid(40, { plane: 'pca', path: Float64Array.from([0, 0, 1, 1, 2, 2]), pathSteps: Float64Array.from([0, 20, 40]), explained: [0.9, 0.05] });
    const v = landscapeView({ config: landscapeConfig(), t: 18, scale: 'ball', gc: grid(18), pca, finalStep: 40, ended: true, status: 's' });
    expect(v.path).toEqual({ xs: [0, 1, 2], ys: [0, 1, 2], steps: [0, 20, 40], highlight: 1 });
    expect(v.binds['landscape.pc1']).toBe('90.0%');
    expect(v.binds['landscape.ratio']).toBe('2');
    expect(v.numbers.progress).toBe('4 of 4');
    expect(v.scrub).toEqual({ max: 40, step: 1, value: 18, enabled: true });
    // End reaches the last step even when it is not a multiple of the record interval
    expect(landscapeView({ config: landscapeConfig(), t: 18, scale: 'ball', gc: grid(18), pca, finalStep: 37, ended: true, status: 's' }).scrub).toMatchObject({ max: 37, step: 1 });
    expect(gridRows({ pca: null, gc: grid(3) })).toEqual([
      ['gc', 3, 'ball', -1, -1, 1],
      ['gc', 3, 'ball', 1, -1, 2],
      ['gc', 3, 'ball', -1, 1, 3],
      ['gc', 3, 'ball', 1, 1, 4],
    ]);
  });
});
