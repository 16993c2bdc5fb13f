import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BenchRunner,
  CANONICAL,
  benchLearningRate,
  formatTable,
  makeCase,
  makeCoreStepper,
  makeTfjsStepper,
  measure,
  median,
  shapeName,
  stepFlops,
  type BenchShape,
} from '../../src/bench/steps.ts';
import { referenceKernels } from '../../src/net/kernels.ts';
import { createWasmKernels } from '../../src/net/wasmKernels.ts';

const tiny: BenchShape = { d: 5, m: 24, L: 2, n: 10, dOut: 1 };

describe('bench steps', () => {
  beforeAll(async () => {
    tf.env().set('PROD', true);
    await tf.setBackend('cpu');
  });

  it('counts the canonical step at 2.16 GFLOP', () => {
    const { d, m, L, n, dOut } = CANONICAL;
    expect(stepFlops(CANONICAL)).toBe(2 * n * (d * m + L * m * m + m * dOut + m * dOut + L * m * m + (L - 1) * m * m));
    expect(stepFlops(CANONICAL) / 1e9).toBeCloseTo(2.156, 3);
    expect(shapeName(CANONICAL)).toBe('d32-m1024-L3-n128-o1');
  });

  it('the core step trains: wasm and TypeScript kernels give the same losses', async () => {
    const wasm = await createWasmKernels();
    expect(wasm).not.toBeNull();
    const lr = benchLearningRate(tiny, referenceKernels);
    const a = makeCoreStepper(tiny, referenceKernels, lr);
    const b = makeCoreStepper(tiny, wasm!, lr);
    const l0 = a.loss();
    for (let i = 0; i < 20; i++) {
      a.step();
      b.step();
    }
    expect(a.loss()).toBeLessThan(l0);
    expect(Math.abs(b.loss() - a.loss())).toBeLessThan(1e-4 * a.loss());
  });

  it('tfjs: the hand-written step and tf.train.sgd take the same step', () => {
    const lr = 0.01;
    const hand = makeTfjsStepper(tf, tiny, 'hand', lr);
    const opt = makeTfjsStepper(tf, tiny, 'optimizer', lr);
    const losses: [number, number][] = [];
    for (let i = 0; i < 5; i++) {
      hand.step();
      opt.step();
      losses.push([hand.loss(), opt.loss()]);
    }
    for (const [h, o] of losses) expect(Math.abs(h - o)).toBeLessThan(1e-4 * o);
    expect(losses[4][0]).toBeLessThan(losses[0][0]);
    hand.dispose();
    opt.dispose();
  });

  it('measure takes the median after warm-up; the runner skips big slow cases but not the canonical one', () => {
    let t = 0;
    let calls = 0;
    const fake = { step: () => ((t += 10), calls++), loss: () => 1, dispose: () => {} };
    const m = measure(fake, { warmup: 2, reps: 7, minReps: 5, budgetMs: 1e9, now: () => t });
    expect(m.samples).toHaveLength(7);
    expect(m.median).toBe(10);
    expect(calls).toBeGreaterThanOrEqual(9);
    expect(median([3, 1, 2, 10])).toBe(2.5);

    const runner = new BenchRunner('test', 5, () => {});
    runner.add(makeCase('test', 'slow', { ...CANONICAL, m: 256 }, { median: 2000, samples: [2000] }));
    const skipped = runner.run('slow', { ...CANONICAL, m: 4096 }, () => {
      throw new Error('should not be built');
    });
    expect(skipped.msPerStep).toBeNull();
    expect(skipped.note).toMatch(/skipped/);
    expect(runner.estimate('slow', CANONICAL.m)).toBe(2000 * 16);
  });

  it('formats a table with ratios to numpy', () => {
    const s = { ...CANONICAL };
    const cases = [
      makeCase('node', 'numpy', s, { median: 20, samples: [20] }),
      makeCase('node', 'core+wasm', s, { median: 30, samples: [30] }),
    ];
    expect(cases[1].gflops).toBeCloseTo(stepFlops(s) / 30 / 1e6, 6);
    const table = formatTable(cases);
    expect(table).toMatch(/core\+wasm\s+1024\s+30\.0\s+71\.9\s+1\.50/);
  });
});
