import { beforeAll, describe, expect, test } from 'vitest';
import type { Model } from '../../src/net/model.ts';
import type { Params } from '../../src/net/network.ts';
import { rnnBackward } from '../../src/net/rnn.ts';
import { readyTfjsOracle } from '../tfjsOracle.ts';
import { tfjsRnnLossAndGrad } from '../tfjsRnnOracle.ts';
import { centralDifferences, maxAbs, maxAbsDiff } from './helpers.ts';
import { buildRnn, rnnLabel, type RnnCase } from './rnnHelpers.ts';

/**
 * The RNN's hand-written backpropagation through time against float64 central differences and against
 * tfjs autograd. A coordinate whose +-h perturbation flips any ReLU (at any step) is skipped: F has a kink there.
 */
const H = 1e-6;
const TOL = 1e-6; // max |fd - g| / max |g|, float64
const TFJS_TOL = 1e-4; // max |g_core - g_tfjs| / max |g|, float32

const cases: RnnCase[] = [];
for (const T of [1, 2, 5])
  for (const dOut of [1, 2])
    for (const seed of [1, 2, 3]) cases.push({ T, dOut, seed: seed + 10 * T + 100 * dOut, d: 3 + (seed % 2), m: 5 + seed, n: 3 + (seed % 2) });

type GradFn = (model: Model, grads: Params) => number;
const coreGrad: GradFn = (model, grads) => model.lossAndGrad(grads);

function gradCheck(c: RnnCase, gradFn: GradFn = coreGrad): { maxErr: number; scale: number; checked: number; skipped: number; loss: number } {
  const { model } = buildRnn(c, 'f64');
  const grads = model.allocGrads();
  grads.W[0].fill(NaN); // T = 1 must still write it (zeros), never leave it unset
  const loss = gradFn(model, grads);
  const g = grads.W[0];
  const { maxErr, checked, skipped } = centralDifferences(model, [model.params.W[0]], [g], H);
  return { maxErr, scale: maxAbs(g), checked, skipped, loss };
}

describe('RNN gradient vs central finite differences (float64)', () => {
  test.each(cases.filter((c) => c.T >= 2).map((c) => [rnnLabel(c), c] as const))('%s', (_name, c) => {
    const r = gradCheck(c);
    expect(r.scale).toBeGreaterThan(0);
    expect(r.maxErr / r.scale).toBeLessThan(TOL);
    expect(r.skipped).toBeLessThanOrEqual(0.05 * (r.checked + r.skipped));
  });

  test.each(cases.filter((c) => c.T === 1).map((c) => [rnnLabel(c), c] as const))(
    'T = 1 has no W-dependent output: F = 0 and grad F = 0, and finite differences agree (%s)',
    (_name, c) => {
      const r = gradCheck(c);
      expect(r.loss).toBe(0);
      expect(r.scale).toBe(0); // every entry written, all zero (no NaN left)
      expect(r.maxErr).toBe(0);
    },
  );

  test('the check catches a wrong gradient (the carry through time dropped)', () => {
    const c: RnnCase = { T: 5, dOut: 1, seed: 77, d: 4, m: 7, n: 4 };
    const truncated: GradFn = (model, grads) => {
      const f = model.loss();
      // W^T D_{t+1} dF/dh_{t+1} left out: only the direct term B^T r_t at each step
      const zeroW = { ...model.params, W: [new Float64Array(model.params.W[0].length)] };
      rnnBackward(model.spec, zeroW, model.kernels, model.cache, model.residual, model.scratch, grads);
      return f;
    };
    const good = gradCheck(c);
    const bad = gradCheck(c, truncated);
    expect(good.maxErr / good.scale).toBeLessThan(TOL);
    expect(bad.maxErr / bad.scale).toBeGreaterThan(100 * TOL);
  });
});

describe('RNN gradient vs tfjs autograd (float32)', () => {
  beforeAll(async () => {
    await readyTfjsOracle();
  });
  const tfCases: RnnCase[] = [];
  for (const T of [2, 5, 10])
    for (const dOut of [1, 2]) tfCases.push({ T, dOut, d: 6, m: 48, n: 8, seed: 300 + T * 3 + dOut });

  function compare(c: RnnCase, tweak?: (W: Float32Array) => void): number {
    const { model, data, spec } = buildRnn(c, 'f32');
    const grads = model.allocGrads();
    const loss = model.lossAndGrad(grads);
    const params = { ...model.params, W: [Float32Array.from(model.params.W[0])] };
    tweak?.(params.W[0] as Float32Array);
    const oracle = tfjsRnnLossAndGrad(spec, params, data.X, data.Y, data.n);
    if (!tweak) expect(Math.abs(oracle.loss - loss)).toBeLessThanOrEqual(1e-5 * loss);
    return maxAbsDiff(grads.W[0], oracle.W) / maxAbs(grads.W[0]);
  }

  test.each(tfCases.map((c) => [rnnLabel(c), c] as const))('%s', (_name, c) => {
    expect(compare(c)).toBeLessThanOrEqual(TFJS_TOL);
  });

  test('the oracle disagrees with a slightly different W (the comparison can fail)', () => {
    const c: RnnCase = { T: 5, dOut: 1, d: 6, m: 32, n: 8, seed: 9 };
    expect(compare(c, (W) => W.forEach((v, i) => (W[i] = v * 1.01)))).toBeGreaterThan(10 * TFJS_TOL);
  });
});
