import { describe, expect, it } from 'vitest';
import { heroView, stepsToEps } from '../../src/essay/figures/heroFigure.ts';
import { heroConfig } from '../../src/essay/figures/heroConfig.ts';
import type { Run } from '../../src/essay/figures/runSet.ts';
import type { RecordedCurve } from '../../src/essay/recorded/recorded.ts';

/** A curve that falls by `rate` per step from 10 until it is under 1e-3 of that. */
function curve(m: number, rate: number): RecordedCurve {
  const steps: number[] = [];
  const loss: number[] = [];
  for (let t = 0, f = 10; ; t++, f *= rate) {
    steps.push(t);
    loss.push(f);
    if (f <= 10 * 1e-3) break;
  }
  return { m, steps, loss, end: 'converged' };
}

function run(c: RecordedCurve, upTo: number, ended: boolean): Run {
  const n = Math.min(upTo, c.steps.length);
  return {
    key: `m${c.m}`,
    spec: { key: `m${c.m}`, config: heroConfig(c.m) },
    cols: new Map([
      ['step', c.steps.slice(0, n)],
      ['loss', c.loss.slice(0, n)],
    ]),
    end: ended ? { reason: 'converged', message: 'converged', step: n } : null,
    error: null,
  } as unknown as Run;
}

describe('the hero view', () => {
  const recorded = [curve(16, 0.9), curve(64, 0.7), curve(256, 0.5)];

  it('answers at once from the recording: the chosen width bold, its steps to eps, the range across widths', () => {
    const v = heroView(64, recorded, []);
    expect(v.curves.map((c) => [c.m, c.source, c.emphasis])).toEqual([
      [16, 'recorded', 'other'],
      [64, 'recorded', 'chosen'],
      [256, 'recorded', 'other'],
    ]);
    const s64 = stepsToEps(v.curves[1], v.eps)!;
    expect(v.readout).toContain(`after ${s64} steps (recorded run)`);
    expect(v.readout).toMatch(/from \d+ steps \(m = 16\) to \d+ \(m = 256\)/);
    expect(v.status).toMatch(/recorded when this page was built/);
  });

  it('a growing live run is drawn over its recorded curve, which the sentence still quotes; once ended, the live run replaces it', () => {
    const growing = heroView(64, recorded, [run(recorded[1], 5, false)]);
    expect(growing.curves.filter((c) => c.m === 64).map((c) => [c.source, c.emphasis])).toEqual([
      ['recorded', 'underlay'],
      ['live', 'chosen'],
    ]);
    expect(growing.readout).toContain('(recorded run)');
    expect(growing.status).toMatch(/^Training m = 64 live/);
    const ended = heroView(64, recorded, [run(recorded[1], Infinity, true)]);
    expect(ended.curves.filter((c) => c.m === 64).map((c) => [c.source, c.emphasis])).toEqual([['live', 'chosen']]);
    expect(ended.readout).toContain('(live run)');
  });

  it('says where a run stands when it has not reached eps, and names no range with fewer than two runs that did', () => {
    const short: RecordedCurve = { m: 64, steps: [0, 1, 2], loss: [10, 5, 2], end: 'steps' };
    const v = heroView(64, [short], []);
    expect(v.readout).toBe('m = 64: after 2 steps the loss is at 0.20 of where it started (recorded run).');
  });
});
