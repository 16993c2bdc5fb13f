import { describe, expect, it } from 'vitest';
import { fitConfig, fitPoints, fitSize, fitView } from '../../src/essay/figures/fitFigure.ts';
import { DEFAULT_CONFIG } from '../../src/train/config.ts';
import type { ProbeResult } from '../../src/train/probes.ts';
import { formatSci } from '../../src/viz/format.ts';

type OutputsResult = Extract<ProbeResult, { kind: 'outputs' }>;
const result = (step: number, outputs: number[]): OutputsResult => ({
  kind: 'outputs',
  step,
  N: 3,
  targets: Float64Array.from([0.5, -1, 2]),
  outputs: Float64Array.from(outputs),
  outputs0: Float64Array.from([0, 0, 0]),
});

describe('fit view', () => {
  it('is the essay\u2019s default network', () => {
    const c = fitConfig();
    expect({ n: c.n, d: c.d, m: c.m, L: c.L, labels: c.labels, batch: c.batch, lrScale: c.lrScale, dOut: c.dOut }).toEqual({
      n: 16,
      d: 8,
      m: 256,
      L: 2,
      labels: 'gaussian',
      batch: 0,
      lrScale: 0.5,
      dOut: 1,
    });
    expect(c).toEqual({ ...DEFAULT_CONFIG, ...c });
    expect(fitSize(c)).toContain('131,072 weights trained (W\u2081, W\u2082, 2 \u00d7 256 \u00d7 256)');
    expect(fitSize(c)).toContain('n = 16 training points in d = 8 dimensions, m = 256 ReLU units in each of L = 2 hidden layers');
  });

  it('sorts the points by target and keeps each point\u2019s own outputs', () => {
    const pts = fitPoints(result(5, [0.4, -0.9, 1.5]))!;
    expect(pts.map((p) => p.i)).toEqual([1, 0, 2]);
    expect(pts.map((p) => p.target)).toEqual([-1, 0.5, 2]);
    expect(pts.map((p) => p.out)).toEqual([-0.9, 0.4, 1.5]);
    expect(fitPoints(null)).toBeNull();
  });

  it('measures the residual now and at init, and quotes it only once the run has ended', () => {
    const empty = fitView(null, NaN, 'Setting up', false);
    expect(empty.points).toBeNull();
    expect(empty.numbers).toBe('');
    expect(empty.caption).toContain('hollow circle');
    expect(empty.caption).toContain('filled dot');
    expect(Object.values(empty.binds).every((v) => v === null)).toBe(true);
    // residual now (0.1, -0.1, 0.5): norm sqrt(0.27); at init (0.5, -1, 2): norm sqrt(5.25)
    const running = fitView(result(40, [0.6, -1.1, 2.5]), 0.02, 'Training', false);
    expect(running.numbers).toContain('step t = 40');
    expect(running.numbers).toContain(`\u2016\u0177 \u2212 y\u2016 = ${formatSci(Math.sqrt(0.27), 3)}`);
    expect(running.numbers).toContain(`(at initialization ${formatSci(Math.sqrt(5.25), 3)}`);
    expect(running.numbers).toContain('largest |\u0177\u1d62 \u2212 y\u1d62| = 0.5');
    expect(running.caption).toContain('At step 40 the outputs are');
    expect(running.binds['fit.now']).toBeNull();
    const done = fitView(result(120, [0.6, -1.1, 2.5]), 0.02, 'Done', true);
    expect(done.binds['fit.steps']).toBe('120');
    expect(done.binds['fit.init']).toBe(formatSci(Math.sqrt(5.25), 3));
    expect(done.binds['fit.now']).toBe('0.52');
  });
});
