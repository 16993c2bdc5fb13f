import { describe, expect, it } from 'vitest';
import { flipFraction, snapshotActiveMasks } from '../../src/net/measures.ts';
import { fastestKernels } from '../../src/net/wasmKernels.ts';
import { DEFAULT_CONFIG } from '../../src/train/config.ts';
import {
  flipRaster,
  KernelResidualPredictor,
  log10TheoremWidth,
  theoremDelta,
  maxNeuronDistance,
  TrajectoryRecorder,
} from '../../src/train/panelData.ts';
import { Run } from '../../src/train/run.ts';

describe('kernel residual prediction', () => {
  it('equals (I - eta K)^t r_0 computed by repeated matrix products', () => {
    const K = Float64Array.from([2, 1, 1, 3]);
    const r0 = [1, -1];
    const p = new KernelResidualPredictor(K, 2, 0.1, r0);
    let r = [...r0];
    for (let t = 0; t < 7; t++) r = [r[0] - 0.1 * (2 * r[0] + r[1]), r[1] - 0.1 * (r[0] + 3 * r[1])];
    const got = p.advanceTo(7);
    expect(got[0]).toBeCloseTo(r[0], 14);
    expect(got[1]).toBeCloseTo(r[1], 14);
    expect(p.loss()).toBeCloseTo(0.5 * (r[0] ** 2 + r[1] ** 2), 14);
  });

  it('tracks the real residual better as the network widens (the lazy regime)', async () => {
    const kernels = await fastestKernels();
    // ||r_pred - r_t|| / ||r_0|| after 30 steps of eta = 0.5 / lambda_max(K_0)
    const deviation = (m: number) => {
      const run = new Run({ ...DEFAULT_CONFIG, m, n: 16, d: 8, L: 2 }, kernels);
      const { K } = run.initialKernel();
      run.evaluate();
      const r0 = Float64Array.from(run.model.residual.subarray(0, 16));
      const pred = new KernelResidualPredictor(K, 16, run.lr, r0);
      for (let t = 0; t < 30; t++) run.update();
      run.evaluate();
      const r = pred.advanceTo(30);
      let diff = 0;
      let base = 0;
      for (let i = 0; i < 16; i++) {
        diff += (r[i] - run.model.residual[i]) ** 2;
        base += r0[i] ** 2;
      }
      return Math.sqrt(diff / base);
    };
    const narrow = deviation(64);
    const wide = deviation(1024);
    expect(wide, `m=64: ${narrow}, m=1024: ${wide}`).toBeLessThan(0.05);
    expect(wide, `m=64: ${narrow}, m=1024: ${wide}`).toBeLessThan(narrow / 2);
  });
});

describe('flip raster and neuron distance', () => {
  it('the raster counts the same flips as flipFraction', () => {
    const run = new Run({ ...DEFAULT_CONFIG, m: 32, n: 8, d: 4 });
    run.model.loss(null);
    const masks0 = snapshotActiveMasks(run.model);
    for (let t = 0; t < 40; t++) run.update();
    run.model.loss(null);
    const raster = flipRaster(run.model, masks0, 2);
    const ones = raster.reduce((a, b) => a + b, 0);
    expect(ones / raster.length).toBe(flipFraction(run.model, masks0).flipFracPerLayer[2]);
  });

  it('max neuron distance', () => {
    const now = Float64Array.from([1, 1, 0, 0, 3, 4]);
    const init = new Float64Array(6);
    expect(maxNeuronDistance(now, init, 2)).toBeCloseTo(5, 12);
  });
});

describe('trajectory recorder', () => {
  it('stays within capacity with evenly spread snapshots', () => {
    const run = new Run({ ...DEFAULT_CONFIG, m: 8, n: 4, d: 3 });
    const rec = new TrajectoryRecorder(run.spec, 8);
    for (let s = 0; s <= 100; s++) rec.offer(s, run.model.params);
    expect(rec.snapshots.length).toBeLessThanOrEqual(8);
    expect(rec.steps[0]).toBe(0);
    const gaps = rec.steps.slice(1).map((s, i) => s - rec.steps[i]);
    expect(new Set(gaps).size).toBe(1);
    expect(rec.nearest(33)!.step % gaps[0]).toBe(0);
  });
});

it('theorem width order', () => {
  expect(log10TheoremWidth(10, 1, 1)).toBe(24);
  expect(log10TheoremWidth(16, 2, 0.5)).toBeCloseTo(24 * Math.log10(16) + 12 * Math.log10(2) + 8 * Math.log10(2), 12);
});

it('theorem width uses min(delta, 1/L): the paper assumes delta <= O(1/L)', () => {
  // 1/L = 0.25 < delta = 0.5: the formula uses 0.25, so the width is 2^8 larger than with 0.5.
  expect(theoremDelta(0.5, 4)).toBe(0.25);
  expect(log10TheoremWidth(16, 4, 0.5)).toBeCloseTo(24 * Math.log10(16) + 12 * Math.log10(4) - 8 * Math.log10(0.25), 12);
  expect(log10TheoremWidth(16, 4, 0.5) - (24 * Math.log10(16) + 12 * Math.log10(4) - 8 * Math.log10(0.5))).toBeCloseTo(8 * Math.log10(2), 12);
  // delta = 0.1 <= 1/L = 0.5: unchanged.
  expect(theoremDelta(0.1, 2)).toBe(0.1);
  expect(log10TheoremWidth(16, 2, 0.1)).toBeCloseTo(24 * Math.log10(16) + 12 * Math.log10(2) + 8, 12);
});
