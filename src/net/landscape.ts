import { Model } from './model.ts';
import { allocParams, cloneParams, type NetSpec, type Params } from './network.ts';
import { pAxpy, pCopy, pNorm, pScale } from './paramVec.ts';

/**
 * The loss surface around a point W of the trajectory, probed on a private copy of the model so
 * training can go on meanwhile. Directions live in the space of the trained tensors.
 */
export class Probe {
  readonly model: Model;
  readonly center: Params;

  constructor(source: Model, center: Params = source.params) {
    this.center = cloneParams(center);
    this.model = new Model(source.spec, cloneParams(center), source.kernels, source.data, source.precision);
  }

  get spec(): NetSpec {
    return this.model.spec;
  }

  /** F(W + a u + b v). a = b = 0 gives F(W) exactly (the weights are copied, not perturbed). */
  lossAt(a: number, u: Params | null, b = 0, v: Params | null = null): number {
    const { spec } = this;
    const p = this.model.params;
    pCopy(spec, this.center, p);
    if (u && a !== 0) pAxpy(spec, a, u, p);
    if (v && b !== 0) pAxpy(spec, b, v, p);
    return this.model.loss(null);
  }

  /** F and grad F at the center. */
  gradientAtCenter(): { loss: number; grads: Params } {
    pCopy(this.spec, this.center, this.model.params);
    const grads = this.model.allocGrads();
    const loss = this.model.lossAndGrad(grads, null);
    return { loss, grads };
  }
}

export interface Slice1D {
  s: Float64Array; // step lengths along -g/||g||
  loss: Float64Array; // F(W - s g/||g||)
  firstOrder: Float64Array; // F(W) - s ||g||
  /** Smallest b with F(W - s g/||g||) <= F(W) - s||g|| + b s^2 on the sampled s: the measured semi-smoothness curvature. */
  curvatureBound: number;
  bound: Float64Array; // F(W) - s ||g|| + b s^2
  loss0: number;
  gradNorm: number;
}

/** F along the negative gradient next to the first-order line and the quadratic upper bound's shape. */
export function slice1d(probe: Probe, sValues: readonly number[]): Slice1D {
  const { loss: loss0, grads } = probe.gradientAtCenter();
  const gradNorm = pNorm(probe.spec, grads);
  const dir = grads;
  pScale(probe.spec, -1 / gradNorm, dir);
  const s = Float64Array.from(sValues);
  const loss = s.map((x) => probe.lossAt(x, dir));
  const firstOrder = s.map((x) => loss0 - x * gradNorm);
  let b = 0;
  s.forEach((x, i) => {
    if (x !== 0) b = Math.max(b, (loss[i] - firstOrder[i]) / (x * x));
  });
  const bound = s.map((x) => loss0 - x * gradNorm + b * x * x);
  return { s, loss, firstOrder, curvatureBound: b, bound, loss0, gradNorm };
}

/** F((1 - a) W_0 + a W_T) for each a: the straight path from initialization to the end. */
export function interpolation(probe: Probe, W0: Params, WT: Params, alphas: readonly number[]): Float64Array {
  const { spec } = probe;
  const dir = allocParams(spec, probe.model.precision);
  pCopy(spec, WT, dir);
  pAxpy(spec, -1, W0, dir);
  const start = new Probe(probe.model, W0);
  return Float64Array.from(alphas, (a) => start.lossAt(a, dir));
}

/**
 * How far a landscape plot reaches. 'ball': the distance training actually moved, ||W_T - W_0||,
 * the small ball the theorems live in; 'unit': 1, the usual choice for filter-normalized
 * directions, where a unit step perturbs each neuron as much as its own weights.
 */
export type LandscapeScale = 'ball' | 'unit';

export function landscapeExtent(scale: LandscapeScale, distanceMoved: number): number {
  return scale === 'unit' ? 1 : Math.max(distanceMoved, 1e-6);
}
