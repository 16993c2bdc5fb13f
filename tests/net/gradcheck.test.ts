import { describe, expect, test } from 'vitest';
import { backward } from '../../src/net/backward.ts';
import type { Model } from '../../src/net/model.ts';
import { trainedTensors, type Params } from '../../src/net/network.ts';
import { buildModel, centralDifferences, label, maxAbs, type Case } from './helpers.ts';

/**
 * The hand-written backward pass against central finite differences, in float64 so rounding does
 * not hide a wrong term. A coordinate whose +-h perturbation flips any ReLU is skipped (F has a kink
 * there and the difference quotient is not a derivative); the skipped fraction must stay small.
 */
const H = 1e-6;
const TOL = 1e-6; // on max |fd - g| / max |g|

const cases: Case[] = [];
for (const arch of ['fc', 'resnet'] as const)
  for (const L of [1, 2, 3])
    for (const train of [false, true])
      for (const seed of [1, 2, 3])
        cases.push({
          arch,
          L,
          seed: seed + 10 * L,
          d: 3 + ((seed + L) % 3),
          m: 4 + ((seed * 3 + L) % 4),
          n: 3 + (seed % 3),
          dOut: 1 + (seed % 2),
          trainA: train,
          trainB: train,
        });
// one-sided choices too
cases.push({ arch: 'fc', L: 2, seed: 7, d: 4, m: 6, n: 4, dOut: 2, trainA: true, trainB: false });
cases.push({ arch: 'resnet', L: 2, seed: 8, d: 4, m: 6, n: 4, dOut: 1, trainA: false, trainB: true });

interface CheckResult {
  relErr: number;
  checked: number;
  skipped: number;
}

type GradFn = (model: Model, grads: Params) => void;
const coreGrad: GradFn = (model, grads) => void model.lossAndGrad(grads);

function gradCheck(c: Case, gradFn: GradFn = coreGrad, prepare?: (model: Model) => void): CheckResult {
  const { model, spec } = buildModel(c, 'f64');
  prepare?.(model);
  const grads = model.allocGrads();
  // poison untrained tensors' slots: backward must not rely on them, and must not write them
  grads.A.fill(NaN);
  grads.B.fill(NaN);
  gradFn(model, grads);
  if (!spec.trainA) expect(grads.A.every((v) => Number.isNaN(v))).toBe(true);
  if (!spec.trainB) expect(grads.B.every((v) => Number.isNaN(v))).toBe(true);
  const ws = trainedTensors(spec, model.params);
  const gs = trainedTensors(spec, grads);
  expect(ws.length).toBe(spec.L + (spec.trainA ? 1 : 0) + (spec.trainB ? 1 : 0));
  const scale = Math.max(...gs.map(maxAbs));
  expect(scale).toBeGreaterThan(0);
  const { maxErr, checked, skipped } = centralDifferences(model, ws, gs, H);
  return { relErr: maxErr / scale, checked, skipped };
}

describe('gradient vs central finite differences (float64)', () => {
  test.each(cases.map((c) => [label(c), c] as const))('%s', (_name, c) => {
    const r = gradCheck(c);
    expect(r.relErr).toBeLessThan(TOL);
    expect(r.skipped).toBeLessThanOrEqual(0.05 * (r.checked + r.skipped));
  });

  test('over all cases: enough coordinates checked, few skipped at kinks', () => {
    const results = cases.map((c) => gradCheck(c));
    const checked = results.reduce((s, r) => s + r.checked, 0);
    const skipped = results.reduce((s, r) => s + r.skipped, 0);
    const worst = Math.max(...results.map((r) => r.relErr));
    expect(checked).toBeGreaterThan(1000);
    expect(skipped).toBeLessThanOrEqual(0.01 * (checked + skipped));
    expect(worst).toBeLessThan(TOL);
    console.log(`gradient check: ${checked} coordinates, ${skipped} skipped at kinks, worst relative error ${worst.toExponential(2)}`);
  });

  test('a coordinate whose perturbation crosses a ReLU kink is skipped, not failed', () => {
    const c: Case = { arch: 'fc', L: 1, seed: 6, d: 3, m: 5, n: 3, dOut: 1, trainA: true, trainB: false };
    // put unit 0 of layer 0 at pre-activation 1e-8 on sample 0: moving A_00 by +-1e-6 flips it
    const atKink = (model: Model) => {
      const { A } = model.params;
      const x = model.data.X;
      let rest = 0;
      for (let k = 1; k < 3; k++) rest += A[k] * x[k];
      A[0] = (1e-8 - rest) / x[0];
    };
    const r = gradCheck(c, coreGrad, atKink);
    expect(r.skipped).toBeGreaterThanOrEqual(1);
    expect(r.relErr).toBeLessThan(TOL);
  });

  test('the check catches a wrong gradient (ResNet backward with tau off by 3%)', () => {
    const c: Case = { arch: 'resnet', L: 2, seed: 5, d: 4, m: 6, n: 4, dOut: 1, trainA: false, trainB: false };
    const wrong: GradFn = (model, grads) => {
      model.loss();
      const spec = { ...model.spec, tau: model.spec.tau * 1.03 };
      backward(spec, model.params, model.kernels, model.cache, model.residual, model.scratch, grads);
    };
    expect(gradCheck(c).relErr).toBeLessThan(TOL);
    expect(gradCheck(c, wrong).relErr).toBeGreaterThan(100 * TOL);
  });
});
