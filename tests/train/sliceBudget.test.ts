import { describe, expect, it } from 'vitest';
import { runProgress } from '../../src/train/progress.ts';
import { SliceBudget } from '../../src/train/sliceBudget.ts';

describe('SliceBudget', () => {
  it('measures one update first, then leaves room for the last update in the target', () => {
    const b = new SliceBudget(12);
    expect(b.advanceBudget()).toBe(0);
    b.observe(1, 2); // 2 ms an update
    expect(b.advanceBudget()).toBe(10);
    b.observe(5, 10);
    expect(b.advanceBudget()).toBeCloseTo(10);
  });

  it('asks for a single update when one update is longer than the target', () => {
    const b = new SliceBudget(12);
    b.observe(1, 600); // m = 4096
    expect(b.advanceBudget()).toBe(0);
  });

  it('reports steps per second of training time over its window', () => {
    const b = new SliceBudget(12, 1000);
    expect(b.stepsPerSecond).toBe(0);
    b.observe(10, 10);
    expect(b.stepsPerSecond).toBe(1000);
    for (let i = 0; i < 300; i++) b.observe(i < 150 ? 10 : 5, 10); // the rate halves
    expect(b.stepsPerSecond).toBeCloseTo(500, -1);
  });
});

describe('runProgress', () => {
  it('is the larger of the step share and the log-loss share, within [0, 1]', () => {
    expect(runProgress(0, 100, 10, 10, 1e-4)).toBe(0);
    expect(runProgress(50, 100, 10, 10, 1e-4)).toBe(0.5);
    expect(runProgress(5, 100, 10, 1e-1, 1e-4)).toBeCloseTo(0.5);
    expect(runProgress(5, 100, 10, 1e-9, 1e-4)).toBe(1);
    expect(runProgress(5, 100, 10, NaN, 1e-4)).toBe(0.05);
  });
});
