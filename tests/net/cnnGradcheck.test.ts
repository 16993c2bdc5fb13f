import { beforeAll, describe, expect, test } from 'vitest';
import { cnnBackward, isCnnCache, type CnnBackwardScratch } from '../../src/net/cnn.ts';
import type { Model } from '../../src/net/model.ts';
import { trainedTensors, type Params } from '../../src/net/network.ts';
import { Rng } from '../../src/net/rng.ts';
import { Trainer } from '../../src/net/sgd.ts';
import { readyCnnOracle, tfjsCnnLossAndGrad } from '../cnnTfjsOracle.ts';
import { buildModel, centralDifferences, label, maxAbs, maxAbsDiff, type Case } from './helpers.ts';

/**
 * The CNN's hand-written backward pass (src/net/cnn.ts) against float64 central differences and
 * against tfjs autograd of an independent conv1d formulation. Coordinates whose +-h step flips a ReLU
 * are skipped (a kink), and must stay few.
 */
beforeAll(async () => {
  await readyCnnOracle();
}, 120_000);

const H = 1e-6;
const FD_TOL = 1e-6;
const TFJS_TOL = 1e-4;

const cases: Case[] = [];
for (const arch of ['cnn', 'cnn-resnet'] as const)
  for (const L of [1, 2, 3])
    for (const window of [1, 3])
      for (const c of [1, 3]) {
        const k = cases.length;
        cases.push({
          arch,
          L,
          window,
          d: c,
          q: k % 2 === 0 ? 3 : 5,
          m: 3 + (k % 3),
          n: 3 + (k % 2),
          dOut: 1 + ((L + window + c) % 2),
          trainA: k % 3 === 0,
          trainB: k % 4 === 1,
          seed: 40 + k,
        });
      }

type GradFn = (model: Model, grads: Params) => void;
const coreGrad: GradFn = (model, grads) => void model.lossAndGrad(grads);

function gradCheck(c: Case, gradFn: GradFn = coreGrad): { relErr: number; checked: number; skipped: number } {
  const { model, spec } = buildModel(c, 'f64');
  const grads = model.allocGrads();
  gradFn(model, grads);
  const ws = trainedTensors(spec, model.params);
  const gs = trainedTensors(spec, grads);
  const scale = Math.max(...gs.map(maxAbs));
  expect(scale).toBeGreaterThan(0);
  const { maxErr, checked, skipped } = centralDifferences(model, ws, gs, H);
  return { relErr: maxErr / scale, checked, skipped };
}

describe('CNN gradient vs central finite differences (float64)', () => {
  test.each(cases.map((c) => [label(c), c] as const))('%s', (_name, c) => {
    const r = gradCheck(c);
    expect(r.relErr).toBeLessThan(FD_TOL);
    expect(r.checked).toBeGreaterThan(0);
    expect(r.skipped).toBeLessThanOrEqual(0.05 * (r.checked + r.skipped));
  });

  test('the check catches a wrong gradient (CNN-ResNet backward with tau off by 3%)', () => {
    const c: Case = { arch: 'cnn-resnet', L: 2, window: 3, q: 5, d: 2, m: 4, n: 3, dOut: 1, trainA: false, trainB: false, seed: 9 };
    const wrong: GradFn = (model, grads) => {
      model.loss();
      if (!isCnnCache(model.cache)) throw new Error('not a CNN');
      const spec = { ...model.spec, tau: model.spec.tau * 1.03 };
      cnnBackward(spec, model.params, model.kernels, model.cache, model.residual, model.scratch as CnnBackwardScratch, grads);
    };
    expect(gradCheck(c).relErr).toBeLessThan(FD_TOL);
    expect(gradCheck(c, wrong).relErr).toBeGreaterThan(100 * FD_TOL);
  });
});

describe('CNN gradient (float32) vs tfjs autograd of tf.conv1d on the circularly padded signal', () => {
  const tfCases: Case[] = [];
  for (const arch of ['cnn', 'cnn-resnet'] as const)
    for (const L of [1, 2, 3])
      for (const [window, d, dOut, train] of [
        [3, 1, 1, false],
        [1, 3, 2, true],
        [5, 2, 2, true],
      ] as const)
        tfCases.push({ arch, L, window, d, dOut, q: 7, m: 16, n: 6, trainA: train, trainB: train, seed: 200 + L * 5 + window });

  test.each(tfCases.map((c) => [label(c), c] as const))('%s', (_name, c) => {
    const { model, data, spec } = buildModel(c, 'f32');
    // a few steps first, so the weights are not the symmetric init alone
    const trainer = new Trainer(model, { lr: 0.01, batch: data.n }, new Rng(c.seed, 'batch'));
    for (let s = 0; s < 3; s++) trainer.update();
    const grads = model.allocGrads();
    const loss = model.lossAndGrad(grads);
    const oracle = tfjsCnnLossAndGrad(spec, model.params, data.X, data.Y, data.n);
    expect(Math.abs(oracle.loss - loss)).toBeLessThanOrEqual(1e-5 * loss);
    const core = trainedTensors(spec, grads);
    const tfg = [...(oracle.A ? [oracle.A] : []), ...oracle.W, ...(oracle.B ? [oracle.B] : [])];
    expect(tfg.map((g) => g.length)).toEqual(core.map((g) => g.length));
    const scale = Math.max(...core.map(maxAbs));
    for (let t = 0; t < core.length; t++) expect(maxAbsDiff(core[t], tfg[t]) / scale).toBeLessThan(TFJS_TOL);
  });

  test('the oracle tells the positions apart: a patch read with the wrong offset order disagrees', () => {
    const c: Case = { arch: 'cnn', L: 1, window: 3, d: 2, dOut: 1, q: 7, m: 8, n: 5, trainA: false, trainB: false, seed: 3 };
    const { model, data, spec } = buildModel(c, 'f32');
    const grads = model.allocGrads();
    model.lossAndGrad(grads);
    // mirror the window offsets in W_1 (k -> s-1-k): a network with the offsets read backwards
    const W = model.params.W[0];
    const m = spec.m;
    const mirrored = W.slice();
    for (let o = 0; o < m; o++)
      for (let k = 0; k < 3; k++) for (let j = 0; j < m; j++) mirrored[o * 3 * m + k * m + j] = W[o * 3 * m + (2 - k) * m + j];
    const oracle = tfjsCnnLossAndGrad(spec, { ...model.params, W: [mirrored] }, data.X, data.Y, data.n);
    const lossNow = model.loss();
    expect(Math.abs(oracle.loss - lossNow)).toBeGreaterThan(1e-3 * lossNow);
  });
});
