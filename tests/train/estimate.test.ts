import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type RunConfig } from '../../src/train/config.ts';
import { estimateRun, formatBytes, PAGE_MEMORY_BUDGET } from '../../src/train/estimate.ts';
import { Run } from '../../src/train/run.ts';

describe('a run estimates its cost before it allocates', () => {
  it('counts the tensors the run really holds: at least what its arrays take, at most a few times that', () => {
    for (const [m, L, n, d] of [
      [256, 2, 16, 8],
      [512, 3, 32, 16],
      [1024, 2, 16, 8],
    ]) {
      const config: RunConfig = { ...DEFAULT_CONFIG, m, L, n, d };
      const before = process.memoryUsage().arrayBuffers;
      const run = new Run(config);
      run.update();
      const held = process.memoryUsage().arrayBuffers - before;
      const e = estimateRun(config);
      // the weights alone: params W_l of m x m in float32, at least once
      expect(e.bytes.weights).toBeGreaterThanOrEqual(4 * L * m * m);
      expect(e.bytes.total, `m=${m} L=${L}: held ${formatBytes(held)}, estimated ${formatBytes(e.bytes.total)}`).toBeGreaterThanOrEqual(held);
      expect(e.bytes.total).toBeLessThan(5 * held);
      expect(run.step).toBe(1);
    }
  });

  it('grows like m^2 L in memory and time, and like n in the kernel', () => {
    const base = estimateRun({ ...DEFAULT_CONFIG, m: 1024 });
    const wide = estimateRun({ ...DEFAULT_CONFIG, m: 2048 });
    const deep = estimateRun({ ...DEFAULT_CONFIG, m: 1024, L: 4 });
    expect(wide.bytes.weights / base.bytes.weights).toBeCloseTo(4, 1);
    expect(deep.bytes.weights / base.bytes.weights).toBeCloseTo(2, 1);
    expect(wide.flopsPerStep / base.flopsPerStep).toBeCloseTo(4, 1);
    expect(estimateRun({ ...DEFAULT_CONFIG, n: 64 }).bytes.kernel).toBeGreaterThan(4 * estimateRun({ ...DEFAULT_CONFIG, n: 16 }).bytes.kernel);
  });

  it("the page's defaults fit its budget; the largest settings the page accepts do not", () => {
    expect(estimateRun({ ...DEFAULT_CONFIG, m: 4096, L: 2 }).bytes.total).toBeLessThan(PAGE_MEMORY_BUDGET);
    const largest = estimateRun({ ...DEFAULT_CONFIG, m: 4096, L: 8, n: 128, d: 256 });
    expect(largest.bytes.total).toBeGreaterThan(2 * PAGE_MEMORY_BUDGET);
    expect(formatBytes(largest.bytes.total)).toMatch(/^2\.\d GB$/);
  });
});
