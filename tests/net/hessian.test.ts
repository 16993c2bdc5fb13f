import { describe, expect, it } from 'vitest';
import { forward } from '../../src/net/forward.ts';
import { HessianOps } from '../../src/net/hessian.ts';
import { trainedTensors, type Params } from '../../src/net/network.ts';
import { pFillNormal, pFlatten } from '../../src/net/paramVec.ts';
import { Rng } from '../../src/net/rng.ts';
import { buildModel, label, type Case } from './helpers.ts';
import { expectProductsMatchDifferences } from './productsCheck.ts';

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
    // the R-operator differentiates with the ReLU pattern fixed: the helper compares only where it is
    expectProductsMatchDifferences(buildModel(c, 'f64').model, c.seed);
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
