import { describe, expect, it } from 'vitest';
import { RunSet } from '../../src/essay/figures/runSet.ts';
import { FakePool, recs } from './fakePool.ts';
import { ballVsDistanceView, bvdConfig, BVD_WIDTHS, distanceTrend, scaleVerdict, type Distances } from '../../src/essay/figures/ballVsDistanceFigure.ts';
import { contraction, keepShare, lcConfig, lcVerdict, lcVerdictText, linearConvergenceView, LC_WIDTHS, TOL } from '../../src/essay/figures/linearConvergenceFigure.ts';

function onScreen() {
  const pool = new FakePool();
  const set = new RunSet({ pool, onChange: () => {} });
  set.resume();
  return { pool, set };
}

describe('ball-vs-distance view', () => {
  it('fits the distance of the ended, measured runs, against the fixed scale ||W_0||_2, and quotes both', () => {
    const { pool, set } = onScreen();
    set.startAll(BVD_WIDTHS.map((m) => ({ key: `m${m}`, config: bvdConfig(m) })));
    const measured = new Map<number, Distances>();
    set.runs.forEach((r, k) => {
      const m = BVD_WIDTHS[k];
      pool.started(r.handle);
      pool.records(r.handle, recs([0, 10]));
      pool.done(r.handle, 'converged', 10);
      // the distance falls like m^(-1/2); the scale stays at 2.8
      if (k < 5) measured.set(m, { fro: 4 / Math.sqrt(m), spec: [1 / Math.sqrt(m), 2 / Math.sqrt(m)], initSpec: [2.8, 2.8] });
    });
    const v = ballVsDistanceView(set.runs, measured, 'st');
    expect(v.fitFro?.slope).toBeCloseTo(-0.5, 6);
    expect(v.fitRel?.slope).toBeCloseTo(-0.5, 6);
    expect(v.widths[0].relative).toBeCloseTo(2 / Math.sqrt(32) / 2.8, 9);
    expect(v.widths[5].note).toBe('measuring the distance…'); // ended, not yet probed
    expect(v.binds['ball-vs-distance.trend']).toBe('shrinks as the width grows');
    expect(v.binds['ball-vs-distance.vsHalf']).toBe('consistent with the −1/2 of the theory');
    expect(v.binds['ball-vs-distance.mWide']).toBe('512');
    expect(v.binds['ball-vs-distance.scaleVerdict']).toBe('stays within a factor of 1.00 across the widths: a fixed scale');
    expect(v.binds['ball-vs-distance.relNarrow']).toBe('13%'); // 2/sqrt(32)/2.8, the larger layer's
    expect(v.caption).toContain('not drawn as a number');
  });

  it('calls the scale fixed or not, and the distance shrinking, growing or neither', () => {
    expect(scaleVerdict([2.7, 2.8, 2.83]).verdict).toBe('fixed');
    expect(scaleVerdict([1, 2, 4]).verdict).toBe('varies');
    expect(distanceTrend({ slope: -0.5, lo: -0.6, hi: -0.4 })).toBe('shrinks as the width grows');
    expect(distanceTrend({ slope: 0.5, lo: 0.4, hi: 0.6 })).toBe('grows with the width');
    expect(distanceTrend({ slope: -0.1, lo: -0.6, hi: 0.4 })).toBe('shows no clear trend with the width');
    const m = new Map<number, Distances>([[32, { fro: 1, spec: [1], initSpec: [1] }], [64, { fro: 1, spec: [1], initSpec: [3] }]]);
    const { pool, set } = onScreen();
    set.startAll([32, 64].map((w) => ({ key: `m${w}`, config: bvdConfig(w) })));
    for (const r of set.runs) pool.started(r.handle), pool.done(r.handle, 'converged', 1);
    expect(ballVsDistanceView(set.runs, m, '').binds['ball-vs-distance.scaleVerdict']).toBe('changes by a factor of 3.00 across the widths: not a fixed scale at these widths');
  });
});

describe('linear-convergence view', () => {
  it('pairs consecutive records into F_{t+1}/F_t and (1 - eta lambda_min(K_t))^2, and multiplies the predictions', () => {
    const c = contraction([0, 1, 2, 4], [1, 0.5, 0.2, 0.1], [1, 2, 3, 4], 0.1);
    expect(c.steps).toEqual([0, 1]); // 2 -> 4 is not one step
    expect(c.ratio).toEqual([0.5, 0.4]);
    expect(c.predicted[0]).toBeCloseTo(0.81, 12);
    expect(c.predicted[1]).toBeCloseTo(0.64, 12);
    expect(c.predictedLoss[2]).toBeCloseTo(0.81 * 0.64, 12);
    expect(c.relLoss).toEqual([1, 0.5, 0.2, 0.1]);
  });

  it('counts the steps that keep to the prediction, and its tightness late in the run', () => {
    const w = { ratio: [0.5, 0.9, 0.95, 0.95, 0.95], predicted: [0.9, 0.9 * (1 + TOL / 2), 0.9, 0.95, 0.95] };
    const k = keepShare(w);
    expect(k.share).toBeCloseTo(4 / 5, 12); // 0.95 > 0.9: the third step does worse than predicted
    expect(k.halfShare).toBeCloseTo(1, 12); // ... but removes 0.05 >= half of the predicted 0.1
    expect(k.tightness).toBeCloseTo(1, 12); // the last fifth: measured = predicted
  });

  it('says the prediction holds, or fails and where', () => {
    expect(lcVerdict({ share: 1, halfShare: 1 })).toBe('holds');
    expect(lcVerdict({ share: 0.995, halfShare: 1 })).toBe('holds');
    expect(lcVerdict({ share: 0.9, halfShare: 1 })).toBe('holds up to a constant');
    expect(lcVerdict({ share: 0.3, halfShare: 0.8 })).toBe('fails');
    expect(lcVerdictText([{ m: 32, share: 1, halfShare: 1 }, { m: 512, share: 0.996, halfShare: 1 }])).toBe(
      'at m = 32, 512 the linearized prediction holds: 100% (100%) at m = 32, 99.6% (100%) at m = 512 of steps contract at least as much as (1 − ηλₘᵢₙ(Kₜ))² predicts (in brackets: by at least half as much; a verdict needs 99% of steps)',
    );
    expect(lcVerdictText([{ m: 32, share: 0.3, halfShare: 0.6 }, { m: 128, share: 0.9, halfShare: 1 }, { m: 512, share: 1, halfShare: 1 }])).toMatch(
      /^at m = 512 the linearized prediction holds; at m = 128 it holds only up to a constant .*; at m = 32 it fails, even up to a factor of two: 30% \(60%\) at m = 32/,
    );
  });

  it('writes the verdict once every run has ended', () => {
    const { pool, set } = onScreen();
    const s2 = new RunSet({ pool, measures: { ntk: true }, fields: ['lambdaMin'], onChange: () => {} });
    s2.resume();
    s2.startAll(LC_WIDTHS.map((m) => ({ key: `m${m}`, config: lcConfig(m) })));
    void set;
    s2.runs.forEach((r, k) => {
      pool.started(r.handle, 0.1);
      // F_t = 0.5^t; lambda_min = 3 predicts 0.49 < 0.5: every step falls short; at the widest lambda_min = 1 predicts 0.81: every step keeps to it
      pool.records(r.handle, [0, 1, 2, 3].map((step) => ({ step, loss: 0.5 ** step, gradNorm: 1, lambdaMin: k === 2 ? 1 : 3 })));
      if (k < 2) pool.done(r.handle, 'converged', 3);
    });
    let v = linearConvergenceView(s2.runs, 'st');
    expect(v.binds['linear-convergence.verdict']).toBeUndefined();
    pool.done(s2.runs[2].handle, 'converged', 3);
    v = linearConvergenceView(s2.runs, 'st');
    expect(v.binds['linear-convergence.verdict']).toMatch(/^at m = 512 the linearized prediction holds; at m = 32, 128 it holds only up to a constant .*: 0% \(100%\) at m = 32/);
    expect(v.widths[0].ratio).toEqual([0.5, 0.5, 0.5]);
    expect(v.binds['linear-convergence.steps']).toBe('3 at m = 32, 3 at m = 128, 3 at m = 512');
  });
});
