import { jacobiEigen, lanczosSmallest } from './eigen.ts';
import { HessianOps } from './hessian.ts';
import { Model } from './model.ts';
import { allocParams, cloneParams, trainedTensors, type NetSpec, type Params } from './network.ts';
import { pAxpy, pCopy, pDot, pFillNormal, pNorm, pScale, pUnflatten } from './paramVec.ts';
import type { Rng } from './rng.ts';

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

export interface Plane {
  kind: 'gradient-curvature' | 'random' | 'pca';
  u: Params; // unit norm
  v: Params; // unit norm, orthogonal to u
  /** gradient-curvature: the Rayleigh quotient v^T H v (negative when a descent-curving direction exists). */
  curvature?: number;
}

/** Gram-Schmidt v against u, then normalize both. */
function orthonormalize(spec: NetSpec, u: Params, v: Params): void {
  pScale(spec, 1 / pNorm(spec, u), u);
  pAxpy(spec, -pDot(spec, u, v), u, v);
  pScale(spec, 1 / pNorm(spec, v), v);
}

/**
 * u = normalized gradient, v = the most negatively curved Hessian direction (smallest Ritz vector
 * of a Lanczos run on Hessian-vector products, full reorthogonalization), made orthogonal to u.
 */
export function gradientCurvaturePlane(probe: Probe, rng: Rng, lanczosSteps = 20): Plane {
  const { spec } = probe;
  const { grads } = probe.gradientAtCenter();
  const ops = new HessianOps(probe.model);
  ops.prepare();
  const { vector, value } = lanczosSmallest(spec, (x, out) => ops.hvp(x, out), () => probe.model.allocGrads(), rng, lanczosSteps);
  const u = grads;
  orthonormalize(spec, u, vector);
  return { kind: 'gradient-curvature', u, v: vector, curvature: value };
}

/**
 * Filter-normalized random directions (Li et al. 2018): Gaussian, then each neuron's row rescaled to
 * the norm of the same row of W, so a unit step perturbs each neuron as much as its own weights.
 * Not orthonormalized (that would undo the row scaling); random directions are nearly orthogonal.
 */
export function filterNormalizedPlane(probe: Probe, rng: Rng): Plane {
  const { spec } = probe;
  const make = () => {
    const d = allocParams(spec, probe.model.precision);
    pFillNormal(spec, rng, d);
    const ws = trainedTensors(spec, probe.center);
    const ds = trainedTensors(spec, d);
    ws.forEach((w, t) => {
      const cols = w === probe.center.A ? spec.d : spec.m;
      const dir = ds[t];
      for (let r = 0; r < w.length / cols; r++) {
        let wn = 0;
        let dn = 0;
        for (let c = 0; c < cols; c++) {
          wn += w[r * cols + c] ** 2;
          dn += dir[r * cols + c] ** 2;
        }
        const scale = dn > 0 ? Math.sqrt(wn / dn) : 0;
        for (let c = 0; c < cols; c++) dir[r * cols + c] *= scale;
      }
    });
    return d;
  };
  return { kind: 'random', u: make(), v: make() };
}

export interface PcaPlane extends Plane {
  coords: Float64Array; // 2 per snapshot: the trajectory projected on (u, v), relative to the center
  explained: [number, number]; // fraction of the trajectory's variance along u and v
}

/**
 * The plane of the two top principal directions of the trajectory's offsets W_t - W_center
 * (snapshots flattened over the trained tensors), via the T x T Gram matrix.
 */
export function pcaPlane(probe: Probe, snapshots: readonly Float64Array[], center: Float64Array): PcaPlane {
  const { spec } = probe;
  const T = snapshots.length;
  if (T < 3) throw new Error('the PCA plane needs at least 3 trajectory snapshots');
  const P = center.length;
  const D = snapshots.map((s) => {
    const d = new Float64Array(P);
    for (let i = 0; i < P; i++) d[i] = s[i] - center[i];
    return d;
  });
  const G = new Float64Array(T * T);
  for (let i = 0; i < T; i++)
    for (let j = i; j < T; j++) {
      let s = 0;
      for (let k = 0; k < P; k++) s += D[i][k] * D[j][k];
      G[i * T + j] = G[j * T + i] = s;
    }
  const { values, vectors } = jacobiEigen(G, T);
  const total = values.reduce((a, b) => a + Math.max(b, 0), 0) || 1;
  const dirs = [T - 1, T - 2].map((col) => {
    const flat = new Float64Array(P);
    for (let i = 0; i < T; i++) {
      const c = vectors[i * T + col];
      for (let k = 0; k < P; k++) flat[k] += c * D[i][k];
    }
    let n = 0;
    for (const x of flat) n += x * x;
    n = Math.sqrt(n) || 1;
    for (let k = 0; k < P; k++) flat[k] /= n;
    return flat;
  });
  const coords = new Float64Array(2 * T);
  for (let i = 0; i < T; i++)
    for (let a = 0; a < 2; a++) {
      let s = 0;
      for (let k = 0; k < P; k++) s += D[i][k] * dirs[a][k];
      coords[2 * i + a] = s;
    }
  const u = allocParams(spec, probe.model.precision);
  const v = allocParams(spec, probe.model.precision);
  pUnflatten(spec, dirs[0], u);
  pUnflatten(spec, dirs[1], v);
  return {
    kind: 'pca',
    u,
    v,
    coords,
    explained: [Math.max(values[T - 1], 0) / total, Math.max(values[T - 2], 0) / total],
  };
}

/** Order of grid cells from coarse to fine: stride 2^k lattices first, each cell once. */
export function coarseToFineOrder(resolution: number): Int32Array {
  const order: number[] = [];
  const seen = new Uint8Array(resolution * resolution);
  let stride = 1;
  while (stride * 2 < resolution) stride *= 2;
  const mid = (resolution - 1) >> 1;
  for (; stride >= 1; stride >>= 1) {
    for (let i = mid % stride; i < resolution; i += stride)
      for (let j = mid % stride; j < resolution; j += stride) {
        const k = i * resolution + j;
        if (!seen[k]) {
          seen[k] = 1;
          order.push(k);
        }
      }
  }
  for (let k = 0; k < seen.length; k++) if (!seen[k]) order.push(k);
  return Int32Array.from(order);
}

/**
 * F(W + a u + b v) on a resolution x resolution grid over [-extent, extent]^2, filled coarse to
 * fine so a page can draw it as it fills. values[i * resolution + j] is at (a_j, b_i); NaN = not yet.
 * An odd resolution puts the exact center W on the grid.
 */
export class LandscapeGrid {
  readonly values: Float64Array;
  readonly axis: Float64Array;
  private readonly order: Int32Array;
  private cursor = 0;

  constructor(
    private readonly probe: Probe,
    readonly plane: Plane,
    readonly extent: number,
    readonly resolution: number,
  ) {
    this.values = new Float64Array(resolution * resolution).fill(NaN);
    this.axis = Float64Array.from({ length: resolution }, (_, j) =>
      resolution === 1 ? 0 : -extent + (2 * extent * j) / (resolution - 1),
    );
    const mid = (resolution - 1) / 2;
    if (Number.isInteger(mid)) this.axis[mid] = 0;
    this.order = coarseToFineOrder(resolution);
  }

  get done(): boolean {
    return this.cursor >= this.order.length;
  }

  get filled(): number {
    return this.cursor;
  }

  /** Computes up to `maxPoints` more cells (or until `deadline`, a performance.now() time); returns how many. */
  fill(maxPoints: number, deadline = Infinity): number {
    let count = 0;
    while (!this.done && count < maxPoints && (count === 0 || performance.now() < deadline)) {
      const k = this.order[this.cursor++];
      const i = Math.floor(k / this.resolution);
      const j = k % this.resolution;
      this.values[k] = this.probe.lossAt(this.axis[j], this.plane.u, this.axis[i], this.plane.v);
      count++;
    }
    return count;
  }
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
