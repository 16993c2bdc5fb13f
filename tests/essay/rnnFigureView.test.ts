import { describe, expect, test } from 'vitest';
import { gradientVerdict, gradientView, rnnBinds, type GradientRun, type HiddenGradients } from '../../src/essay/figures/rnnFigureView.ts';

/** The RNN figure's gradient view model on hand-made probe answers: its verdict follows the numbers, either way. */
function answer(T: number, gamma: number, gammaNow: number, step: number): HiddenGradients {
  // ||dF_T/dh_t|| = gamma^(T - t), with a small wobble so the fit has residuals
  const seq = (g: number) => Float64Array.from({ length: T }, (_, i) => g ** (T - 1 - i) * (1 + 0.01 * Math.sin(3 * i)));
  return { kind: 'hiddenGradients', step, T, total: seq(gammaNow).map((v) => 3 * v), fromLast: seq(gammaNow), total0: seq(gamma).map((v) => 3 * v), fromLast0: seq(gamma) };
}

describe('rnn figure: gradient over time', () => {
  test('dashed curves at initialization, solid ones once trained, one pair per width with an answer', () => {
    const runs: GradientRun[] = [
      { width: 32, current: false, probed: answer(10, 1.3, 1.2, 500) },
      { width: 128, current: true, probed: answer(10, 1.0, 1.0, 0) },
      { width: 512, current: false, probed: null },
    ];
    const v = gradientView(runs, 10, 'all');
    expect(v.series.map((s) => `${s.key}:${s.dashed ? 'dashed' : 'solid'}`)).toEqual(['m128-init:dashed', 'm32-init:dashed', 'm32-now:solid']);
    expect(Array.from(v.series[1].ys)).toEqual(Array.from(runs[0].probed!.total0));
    expect(Array.from(gradientView(runs, 10, 'last').series[1].ys)).toEqual(Array.from(runs[0].probed!.fromLast0));
    // answers for another length are not shown
    expect(gradientView(runs, 20, 'all').series).toEqual([]);
  });

  test('the verdict comes from the numbers: explodes, vanishes or neither', () => {
    const verdict = (g: number) => gradientVerdict([{ width: 64, current: true, probed: answer(20, g, g, 0) }]);
    expect(verdict(1.25).kind).toBe('explodes');
    expect(verdict(1.25).text).toMatch(/m = 64 at initialization: \u03b3 = 1\.25\d .*grows exponentially/);
    expect(verdict(0.8).kind).toBe('vanishes');
    expect(verdict(1.0).kind).toBe('neither');
    expect(verdict(1.0).text).toMatch(/neither explodes nor vanishes/);
    expect(gradientVerdict([]).text).not.toMatch(/explodes|vanishes/); // nothing measured, nothing claimed
  });

  test('the essay binds: steps only once converged, the factor and its verdict from the answer', () => {
    const b = rnnBinds({ width: 128, T: 10, convergedAt: null, probed: answer(10, 1.0, 1.0, 0) });
    expect(b['rnn.steps']).toBeNull();
    expect(b['rnn.gamma']).toMatch(/^1\.0\d\d \(95% interval /);
    expect(b['rnn.verdict']).toMatch(/neither/);
    expect(rnnBinds({ width: 32, T: 20, convergedAt: 1234, probed: null })).toMatchObject({ 'rnn.steps': '1,234', 'rnn.gamma': null, 'rnn.width': '32', 'rnn.length': '20' });
  });
});
