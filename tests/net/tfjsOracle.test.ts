import { beforeAll, describe, expect, test } from 'vitest';
import { trainedTensors } from '../../src/net/network.ts';
import { Rng } from '../../src/net/rng.ts';
import { Trainer } from '../../src/net/sgd.ts';
import { readyTfjsOracle, tfjsLossAndGrad, type OracleResult } from '../tfjsOracle.ts';
import { buildModel, label, maxAbs, maxAbsDiff, type Case } from './helpers.ts';

/** The float32 core's hand-written gradient against tfjs autograd on the same weights (cpu backend). */
beforeAll(async () => {
  await readyTfjsOracle();
});

const TOL = 1e-4; // max |g_core - g_tfjs| <= TOL * max |g|

const cases: Case[] = [];
for (const arch of ['fc', 'resnet'] as const)
  for (const L of [1, 2, 3])
    for (const [m, dOut, train] of [
      [16, 1, false],
      [64, 2, true],
    ] as const)
      cases.push({ arch, L, m, dOut, d: 6, n: 8, trainA: train, trainB: train, seed: 100 + L * 7 + m });
cases.push({ arch: 'fc', L: 2, m: 24, dOut: 3, d: 5, n: 7, trainA: true, trainB: false, seed: 3 });
cases.push({ arch: 'resnet', L: 3, m: 24, dOut: 1, d: 5, n: 7, trainA: false, trainB: true, seed: 4, tau: 0.7 });

function oracleTensors(r: OracleResult): Float32Array[] {
  return [...(r.A ? [r.A] : []), ...r.W, ...(r.B ? [r.B] : [])];
}

let worst = 0;

function compare(c: Case, trainSteps: number): void {
  const { model, data, spec } = buildModel(c, 'f32');
  if (trainSteps > 0) {
    const trainer = new Trainer(model, { lr: 0.02, batch: data.n }, new Rng(c.seed, 'batch'));
    for (let s = 0; s < trainSteps; s++) trainer.update();
  }
  const grads = model.allocGrads();
  const loss = model.lossAndGrad(grads);
  const oracle = tfjsLossAndGrad(spec, model.params, data.X, data.Y, data.n);
  expect(oracle.A === null).toBe(!spec.trainA);
  expect(oracle.B === null).toBe(!spec.trainB);
  expect(Math.abs(oracle.loss - loss)).toBeLessThanOrEqual(1e-5 * loss);
  const core = trainedTensors(spec, grads);
  const tfg = oracleTensors(oracle);
  expect(tfg.map((g) => g.length)).toEqual(core.map((g) => g.length));
  const scale = Math.max(...core.map(maxAbs));
  expect(scale).toBeGreaterThan(0);
  for (let t = 0; t < core.length; t++) {
    const rel = maxAbsDiff(core[t], tfg[t]) / scale;
    worst = Math.max(worst, rel);
    expect(rel, `tensor ${t}`).toBeLessThanOrEqual(TOL);
  }
}

describe('core gradient vs tfjs autograd (float32)', () => {
  test.each(cases.map((c) => [label(c), c] as const))('at init: %s', (_name, c) => compare(c, 0));
  test('after 5 GD steps: fc L=2 and resnet L=3, all tensors trained', () => {
    compare({ arch: 'fc', L: 2, m: 48, dOut: 2, d: 6, n: 8, trainA: true, trainB: true, seed: 11 }, 5);
    compare({ arch: 'resnet', L: 3, m: 48, dOut: 1, d: 6, n: 8, trainA: true, trainB: true, seed: 12 }, 5);
  });
  test('oracle disagrees with a wrong network (the comparison can fail)', () => {
    const c: Case = { arch: 'resnet', L: 2, m: 16, dOut: 1, d: 6, n: 8, trainA: false, trainB: false, seed: 9 };
    const { model, data, spec } = buildModel(c, 'f32');
    const grads = model.allocGrads();
    model.lossAndGrad(grads);
    const oracle = tfjsLossAndGrad({ ...spec, tau: spec.tau * 1.01 }, model.params, data.X, data.Y, data.n);
    const scale = Math.max(...trainedTensors(spec, grads).map(maxAbs));
    expect(maxAbsDiff(grads.W[0], oracle.W[0]) / scale).toBeGreaterThan(10 * TOL);
    console.log(`tfjs oracle: worst max|g_core - g_tfjs| / max|g| = ${worst.toExponential(2)}`);
  });
});
