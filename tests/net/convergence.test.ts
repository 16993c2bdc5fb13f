import { beforeAll, describe, expect, test } from 'vitest';
import { referenceKernels, type MatrixKernels } from '../../src/net/kernels.ts';
import { fastestKernels } from '../../src/net/wasmKernels.ts';
import { DEFAULT_CONFIG, type RunConfig } from '../../src/train/config.ts';
import { driveRun } from '../../src/train/drive.ts';
import { Run, type RunRecord } from '../../src/train/run.ts';

/**
 * The paper's claim at a size a test can afford: a wide ReLU net (m = 1024, n = 16, d = 8, L = 2)
 * trained by full-batch GD from random init reaches F <= 1e-3 F_0, the loss falling at every step.
 * The run uses the product's fastest kernels (WebAssembly SIMD when the engine has it: about
 * 70 ms a step here, against 250-350 ms for the TypeScript reference); a short run on the reference
 * kernels checks that both follow the same trajectory.
 */
const CONFIG: RunConfig = { ...DEFAULT_CONFIG, m: 1024, n: 16, d: 8, L: 2, lr: null, lrScale: 1, batch: 0, steps: 60, every: 1, eps: 1e-3 };

describe('convergence', () => {
  let kernels: MatrixKernels;
  beforeAll(async () => {
    kernels = await fastestKernels();
  });

  test('full-batch GD, eta = 1 / lambda_max(K_0): F <= 1e-3 F_0 within 60 steps, decreasing every step', () => {
    const t0 = performance.now();
    const run = new Run(CONFIG, kernels);
    const records: RunRecord[] = [];
    const result = driveRun(run, (r) => records.push(r));
    const seconds = (performance.now() - t0) / 1000;
    expect(run.lambdaMax0).toBeGreaterThan(0);
    expect(run.lr).toBeCloseTo(1 / run.lambdaMax0!, 15);
    expect(result.verdict.reason).toBe('converged');
    expect(result.stepsToEps).not.toBeNull();
    expect(result.last.loss).toBeLessThanOrEqual(1e-3 * result.first.loss);
    expect(records.map((r) => r.step)).toEqual(Array.from({ length: records.length }, (_, i) => i));
    for (let t = 1; t < records.length; t++) expect(records[t].loss).toBeLessThan(records[t - 1].loss);
    // a linear rate without a stall: the second half's log-rate is at least a quarter of the first half's
    const half = Math.floor(records.length / 2);
    const last = records.length - 1;
    const rate1 = Math.log(records[half].loss / records[0].loss) / half;
    const rate2 = Math.log(records[last].loss / records[half].loss) / (last - half);
    expect(rate2).toBeLessThan(0.25 * rate1);
    console.log(
      `GD m=1024 (${kernels.name}): F_0 = ${result.first.loss.toFixed(3)}, F <= 1e-3 F_0 at step ${result.stepsToEps} ` +
        `(lr = ${run.lr.toExponential(3)}, lambda_max(K_0) = ${run.lambdaMax0!.toFixed(1)}), ${seconds.toFixed(1)} s`,
    );
  });

  test('the reference kernels follow the same trajectory (first 4 steps)', () => {
    const losses = (k: MatrixKernels) => {
      const run = new Run(CONFIG, k);
      const out = [run.evaluate().loss];
      for (let s = 0; s < 4; s++) {
        run.update();
        out.push(run.evaluate().loss);
      }
      return out;
    };
    const ref = losses(referenceKernels);
    const fast = kernels === referenceKernels ? ref : losses(kernels);
    expect(ref[4]).toBeLessThan(0.5 * ref[0]);
    for (let s = 0; s <= 4; s++) expect(Math.abs(fast[s] - ref[s])).toBeLessThanOrEqual(1e-4 * ref[s]);
  });

  test('mini-batch SGD (batch 4) decreases the loss', () => {
    const config: RunConfig = { ...DEFAULT_CONFIG, m: 256, n: 16, d: 8, L: 2, lr: null, lrScale: 0.25, batch: 4, steps: 40, every: 20, eps: 0 };
    const run = new Run(config);
    const records: RunRecord[] = [];
    const result = driveRun(run, (r) => records.push(r));
    expect(result.verdict.reason).toBe('steps');
    expect(result.steps).toBe(40);
    expect(records.map((r) => r.step)).toEqual([0, 20, 40]);
    expect(records[1].loss).toBeLessThan(0.5 * records[0].loss);
    expect(records[2].loss).toBeLessThan(records[1].loss);
    console.log(`SGD batch 4, m=256: F_0 = ${records[0].loss.toFixed(3)}, F_20 = ${records[1].loss.toFixed(4)}, F_40 = ${records[2].loss.toFixed(4)}`);
  });
});
