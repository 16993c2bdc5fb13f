import { describe, expect, test } from 'vitest';
import { HessianOps } from '../../src/net/hessian.ts';
import { tangentKernel } from '../../src/net/ntk.ts';
import { Rng } from '../../src/net/rng.ts';
import { fastestKernels } from '../../src/net/wasmKernels.ts';
import { maxAbs, maxAbsDiff } from './helpers.ts';
import { buildRnn, rnnLabel, type RnnCase } from './rnnHelpers.ts';
import { expectTangentKernelIdentity, kernelTolerances } from './tangentKernelCheck.ts';

const cases: RnnCase[] = [];
for (const T of [2, 3, 5])
  for (const dOut of [1, 2]) cases.push({ T, dOut, d: 4, m: 20, n: 5, seed: 60 + T * 2 + dOut });

describe.each(kernelTolerances)('RNN tangent kernel over all (i, t >= 2) outputs: ||grad F||^2 = r^T K r (%s)', (precision, tol) => {
  test.each(cases.map((c) => [rnnLabel(c), c] as const))('%s', (_name, c) => {
    const { model } = buildRnn(c, precision);
    const N = c.n * (c.T - 1) * c.dOut;
    const K = tangentKernel(model);
    expect(K.length).toBe(N * N);
    expectTangentKernelIdentity(model, K, tol, c.seed, 3);
  });
});

describe('RNN products on the wasm kernels', () => {
  test('loss and gradient in a wasm workspace agree with the TypeScript kernels (float32)', async () => {
    const kernels = await fastestKernels();
    const c: RnnCase = { T: 6, dOut: 2, d: 5, m: 40, n: 7, seed: 5 };
    const ref = buildRnn(c, 'f32');
    const fast = buildRnn(c, 'f32', kernels);
    const g1 = ref.model.allocGrads();
    const g2 = fast.model.allocGrads();
    const f1 = ref.model.lossAndGrad(g1);
    const f2 = fast.model.lossAndGrad(g2);
    expect(Math.abs(f1 - f2)).toBeLessThanOrEqual(1e-5 * f1);
    expect(maxAbsDiff(g1.W[0], g2.W[0])).toBeLessThanOrEqual(1e-4 * maxAbs(g1.W[0]));
    // a mini-batch (rows in a different order) too
    const rows = Int32Array.from([3, 0, 6]);
    const f3 = ref.model.lossAndGrad(g1, rows);
    const f4 = fast.model.lossAndGrad(g2, rows);
    expect(Math.abs(f3 - f4)).toBeLessThanOrEqual(1e-5 * f3);
    expect(maxAbsDiff(g1.W[0], g2.W[0])).toBeLessThanOrEqual(1e-4 * maxAbs(g1.W[0]));
  });

  test('J V by the R-operator matches a finite difference of the outputs (float64)', () => {
    const c: RnnCase = { T: 5, dOut: 2, d: 4, m: 12, n: 4, seed: 8 };
    const { model } = buildRnn(c, 'f64');
    const ops = new HessianOps(model);
    ops.prepare();
    const V = model.allocGrads();
    new Rng(3, 'landscape').fillNormal(V.W[0], 1);
    const Jv = Float64Array.from(ops.jvp(V));
    const h = 1e-7;
    const w = model.params.W[0];
    const w0 = Float64Array.from(w);
    const outAt = (s: number) => {
      for (let i = 0; i < w.length; i++) w[i] = w0[i] + s * V.W[0][i];
      model.loss();
      return Float64Array.from(model.cache.out.subarray(0, c.n * model.outSize));
    };
    const up = outAt(h);
    const down = outAt(-h);
    w.set(w0);
    const fd = up.map((u, i) => (u - down[i]) / (2 * h));
    expect(maxAbsDiff(Jv, fd)).toBeLessThanOrEqual(1e-6 * maxAbs(fd));
  });
});
