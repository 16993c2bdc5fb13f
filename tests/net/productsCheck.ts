import { expect } from 'vitest';
import { HessianOps } from '../../src/net/hessian.ts';
import type { Model } from '../../src/net/model.ts';
import { cloneParams } from '../../src/net/network.ts';
import { pAxpy, pCopy, pFillNormal, pFlatten } from '../../src/net/paramVec.ts';
import { Rng } from '../../src/net/rng.ts';
import { maxAbs, maxAbsDiff } from './helpers.ts';

/**
 * HessianOps' H V and J V (R-operator, float64 model) against central differences of grad F and of the
 * outputs at W +- h V, V Gaussian from Rng(seed, 'landscape'). The R-operator differentiates with the ReLU
 * pattern fixed, so the pattern must be the same at W + h V, W - h V and W for the comparison to hold.
 */
export function expectProductsMatchDifferences(model: Model, seed: number): void {
  const { spec } = model;
  const ops = new HessianOps(model);
  const V = model.allocGrads();
  pFillNormal(spec, new Rng(seed, 'landscape'), V);
  const W = cloneParams(model.params);
  const h = 1e-5;
  const outputs = model.data.n * model.outSize;
  const masksNow = () => model.cache.activeMasks.map((m) => m.join('')).join('|');
  const at = (sign: number): { g: Float64Array; out: Float64Array; masks: string } => {
    pCopy(spec, W, model.params);
    pAxpy(spec, sign * h, V, model.params);
    const grads = model.allocGrads();
    model.lossAndGrad(grads, null);
    return { g: pFlatten(spec, grads), out: Float64Array.from(model.cache.out.subarray(0, outputs)), masks: masksNow() };
  };
  const plus = at(1);
  const minus = at(-1);
  pCopy(spec, W, model.params);
  ops.prepare();
  const center = masksNow();
  expect(plus.masks).toBe(center);
  expect(minus.masks).toBe(center);

  const fdH = plus.g.map((x, i) => (x - minus.g[i]) / (2 * h));
  const Hv = model.allocGrads();
  ops.hvp(V, Hv);
  expect(maxAbsDiff(pFlatten(spec, Hv), fdH)).toBeLessThan(1e-6 * Math.max(1, maxAbs(fdH)));

  const fdJ = plus.out.map((x, i) => (x - minus.out[i]) / (2 * h));
  expect(maxAbsDiff(ops.jvp(V), fdJ)).toBeLessThan(1e-7 * Math.max(1, maxAbs(fdJ)));
}
