import { jacobiEigen, lanczosSmallest } from './eigen.ts';
import { HessianOps } from './hessian.ts';
import type { Probe } from './landscape.ts';
import { allocParams, trainedTensors, weightShapes, type NetSpec, type Params } from './network.ts';
import { pAxpy, pDot, pFillNormal, pNorm, pScale, pUnflatten } from './paramVec.ts';
import type { Rng } from './rng.ts';

/**
 * The planes a landscape plot is drawn on, F(W + a u + b v) over (a, b): two directions u, v in the
 * space of the trained tensors around a probe's center W.
 */
export interface Plane {
  kind: 'gradient-curvature' | 'random' | 'pca';
  u: Params; // unit norm
  v: Params; // unit norm, orthogonal to u
  /** gradient-curvature: v^T H v of the plotted (orthonormalized) v (negative when a descent-curving direction exists). */
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
  // the curvature of the plotted v: v^T H v after v was made orthogonal to u (the Ritz value
  // `value` is that of the direction before, which the plot does not show)
  const hv = probe.model.allocGrads();
  ops.hvp(vector, hv);
  void value;
  return { kind: 'gradient-curvature', u, v: vector, curvature: pDot(spec, vector, hv) };
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
      const shapes = weightShapes(spec);
      const cols = w === probe.center.A ? shapes.A[1] : w === probe.center.B ? shapes.B[1] : shapes.W[1];
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
