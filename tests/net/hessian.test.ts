import { describe, expect, it } from 'vitest';
import { forward } from '../../src/net/forward.ts';
import { HessianOps } from '../../src/net/hessian.ts';
import { cloneParams, trainedTensors, type Params } from '../../src/net/network.ts';
import { pAxpy, pCopy, pFillNormal, pFlatten } from '../../src/net/paramVec.ts';
import { Rng } from '../../src/net/rng.ts';
import { buildModel, label, maxAbs, maxAbsDiff, type Case } from './helpers.ts';

const cases: Case[] = [];
for (const arch of ['fc', 'resnet'] as const)
  for (const L of [1, 2, 3])
    for (const [trainA, trainB, dOut] of [
      [false, false, 1],
      [true, true, 2],
    ] as const)
      cases.push({ arch, L, d: 4, m: 6, n: 4, dOut, trainA, trainB, seed: 10 + L });

describe('Hessian-vector and Jacobian-vector products (R-operator) in float64', () => {
  it.each(cases.map((c) => [label(c), c] as const))('match finite differences where no ReLU flips: %s', (_, c) => {
    const { model, spec } = buildModel(c, 'f64');
    const ops = new HessianOps(model);
    const V = model.allocGrads();
    pFillNormal(spec, new Rng(c.seed, 'landscape'), V);
    const W = cloneParams(model.params);
    const h = 1e-5;
    const gradAt = (sign: number): { g: Float64Array; out: Float64Array; masks: string } => {
      pCopy(spec, W, model.params);
      pAxpy(spec, sign * h, V, model.params);
      const grads = model.allocGrads();
      model.lossAndGrad(grads, null);
      return {
        g: pFlatten(spec, grads),
        out: Float64Array.from(model.cache.out.subarray(0, c.n * c.dOut)),
        masks: model.cache.activeMasks.map((m) => m.join('')).join('|'),
      };
    };
    const plus = gradAt(1);
    const minus = gradAt(-1);
    pCopy(spec, W, model.params);
    ops.prepare();
    const center = model.cache.activeMasks.map((m) => m.join('')).join('|');
    // The R-operator differentiates with the ReLU pattern fixed: compare only where it is.
    expect(plus.masks).toBe(center);
    expect(minus.masks).toBe(center);

    const fdH = plus.g.map((x, i) => (x - minus.g[i]) / (2 * h));
    const Hv = model.allocGrads();
    ops.hvp(V, Hv);
    const hv = pFlatten(spec, Hv);
    expect(maxAbsDiff(hv, fdH)).toBeLessThan(1e-6 * Math.max(1, maxAbs(fdH)));

    const fdJ = plus.out.map((x, i) => (x - minus.out[i]) / (2 * h));
    const jv = ops.jvp(V);
    expect(maxAbsDiff(jv, fdJ)).toBeLessThan(1e-7 * Math.max(1, maxAbs(fdJ)));
  });

  it('H is symmetric: <u, H v> = <v, H u>', () => {
    const c: Case = { arch: 'fc', L: 2, d: 4, m: 8, n: 5, dOut: 2, trainA: true, trainB: true, seed: 3 };
    const { model, spec } = buildModel(c, 'f64');
    const ops = new HessianOps(model);
    ops.prepare();
    const rng = new Rng(5, 'landscape');
    const u = model.allocGrads();
    const v = model.allocGrads();
    pFillNormal(spec, rng, u);
    pFillNormal(spec, rng, v);
    const Hu = model.allocGrads();
    const Hv = model.allocGrads();
    ops.hvp(u, Hu);
    ops.hvp(v, Hv);
    const dot = (a: Params, b: Params) => {
      const fa = pFlatten(spec, a);
      const fb = pFlatten(spec, b);
      return fa.reduce((s, x, i) => s + x * fb[i], 0);
    };
    expect(dot(u, Hv)).toBeCloseTo(dot(v, Hu), 9);
  });

  it('only trained tensors are read from the direction', () => {
    const c: Case = { arch: 'fc', L: 1, d: 3, m: 5, n: 3, dOut: 1, trainA: false, trainB: false, seed: 4 };
    const { model, spec } = buildModel(c, 'f64');
    const ops = new HessianOps(model);
    ops.prepare();
    const V = model.allocGrads();
    pFillNormal(spec, new Rng(1, 'landscape'), V);
    const before = Float64Array.from(ops.jvp(V));
    V.A.fill(1e3);
    V.B.fill(1e3);
    expect(Array.from(ops.jvp(V))).toEqual(Array.from(before));
    expect(trainedTensors(spec, V).length).toBe(1);
    forward(spec, model.params, model.kernels, model.cache, c.n);
  });
});
