import type { NetSpec, Params } from './network.ts';
import { pAxpy, pCopy, pDot, pFillNormal, pNorm, pScale } from './paramVec.ts';
import type { Rng } from './rng.ts';

/**
 * Eigenvalues of a symmetric matrix (row-major, float64): Householder reduction to tridiagonal
 * form, then the implicit QL algorithm (EISPACK tred2/tql1). O(N^3); fine for the tangent
 * kernels here (N = n * dOut, a few hundred at most).
 */
export function symmetricEigenvalues(matrix: ArrayLike<number>, N: number): Float64Array {
  const a = Float64Array.from(matrix as ArrayLike<number>);
  const diag = new Float64Array(N);
  const off = new Float64Array(N);
  tridiagonalize(a, N, diag, off);
  tridiagonalQL(diag, off, N);
  return diag.sort();
}

/** Householder reduction (values only). */
function tridiagonalize(a: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  for (let i = n - 1; i > 0; i--) {
    const l = i - 1;
    let h = 0;
    if (l > 0) {
      let scale = 0;
      for (let k = 0; k <= l; k++) scale += Math.abs(a[i * n + k]);
      if (scale === 0) {
        e[i] = a[i * n + l];
      } else {
        for (let k = 0; k <= l; k++) {
          a[i * n + k] /= scale;
          h += a[i * n + k] * a[i * n + k];
        }
        let f = a[i * n + l];
        const g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
        e[i] = scale * g;
        h -= f * g;
        a[i * n + l] = f - g;
        f = 0;
        for (let j = 0; j <= l; j++) {
          let gg = 0;
          for (let k = 0; k <= j; k++) gg += a[j * n + k] * a[i * n + k];
          for (let k = j + 1; k <= l; k++) gg += a[k * n + j] * a[i * n + k];
          e[j] = gg / h;
          f += e[j] * a[i * n + j];
        }
        const hh = f / (h + h);
        for (let j = 0; j <= l; j++) {
          const fj = a[i * n + j];
          const gj = e[j] - hh * fj;
          e[j] = gj;
          for (let k = 0; k <= j; k++) a[j * n + k] -= fj * e[k] + gj * a[i * n + k];
        }
      }
    } else {
      e[i] = a[i * n + l];
    }
    d[i] = h;
  }
  e[0] = 0;
  for (let i = 0; i < n; i++) d[i] = a[i * n + i];
}

/** Implicit QL with Wilkinson shifts on the tridiagonal (d, e); eigenvalues left in d. */
function tridiagonalQL(d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  if (n > 0) e[n - 1] = 0;
  for (let l = 0; l < n; l++) {
    let iter = 0;
    let m: number;
    do {
      for (m = l; m < n - 1; m++) {
        const dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
        if (Math.abs(e[m]) <= Number.EPSILON * dd) break;
      }
      if (m !== l) {
        if (iter++ === 60) throw new Error('symmetricEigenvalues: no convergence');
        let g = (d[l + 1] - d[l]) / (2 * e[l]);
        let r = Math.hypot(g, 1);
        g = d[m] - d[l] + e[l] / (g + (g >= 0 ? Math.abs(r) : -Math.abs(r)));
        let s = 1;
        let c = 1;
        let p = 0;
        let i: number;
        for (i = m - 1; i >= l; i--) {
          let f = s * e[i];
          const b = c * e[i];
          r = Math.hypot(f, g);
          e[i + 1] = r;
          if (r === 0) {
            d[i + 1] -= p;
            e[m] = 0;
            break;
          }
          s = f / r;
          c = g / r;
          g = d[i + 1] - p;
          r = (d[i] - g) * s + 2 * c * b;
          p = s * r;
          d[i + 1] = g + p;
          g = c * r - b;
          f = 0;
        }
        if (r === 0 && i >= l) continue;
        d[l] -= p;
        e[l] = g;
        e[m] = 0;
      }
    } while (m !== l);
  }
}

/**
 * Eigenvalues and eigenvectors of a small symmetric matrix by cyclic Jacobi rotations (float64).
 * Returns values ascending and vectors as columns of the N x N row-major `vectors`.
 */
export function jacobiEigen(matrix: ArrayLike<number>, N: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix as ArrayLike<number>);
  const V = new Float64Array(N * N);
  for (let i = 0; i < N; i++) V[i * N + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < N; p++) for (let q = p + 1; q < N; q++) off += a[p * N + q] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < N; p++) {
      for (let q = p + 1; q < N; q++) {
        const apq = a[p * N + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * N + q] - a[p * N + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < N; k++) {
          const akp = a[k * N + p];
          const akq = a[k * N + q];
          a[k * N + p] = c * akp - s * akq;
          a[k * N + q] = s * akp + c * akq;
        }
        for (let k = 0; k < N; k++) {
          const apk = a[p * N + k];
          const aqk = a[q * N + k];
          a[p * N + k] = c * apk - s * aqk;
          a[q * N + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < N; k++) {
          const vkp = V[k * N + p];
          const vkq = V[k * N + q];
          V[k * N + p] = c * vkp - s * vkq;
          V[k * N + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: N }, (_, i) => i).sort((i, j) => a[i * N + i] - a[j * N + j]);
  const values = Float64Array.from(order, (i) => a[i * N + i]);
  const vectors = new Float64Array(N * N);
  order.forEach((col, k) => {
    for (let r = 0; r < N; r++) vectors[r * N + k] = V[r * N + col];
  });
  return { values, vectors };
}

/** Smallest eigenpair of a symmetric operator on Params by Lanczos with full reorthogonalization. */
export function lanczosSmallest(
  spec: NetSpec,
  apply: (x: Params, out: Params) => void,
  alloc: () => Params,
  rng: Rng,
  steps: number,
): { vector: Params; value: number } {
  const Q: Params[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  let q = alloc();
  pFillNormal(spec, rng, q);
  pScale(spec, 1 / pNorm(spec, q), q);
  const w = alloc();
  for (let j = 0; j < steps; j++) {
    Q.push(q);
    apply(q, w);
    const a = pDot(spec, q, w);
    alpha.push(a);
    // full reorthogonalization (twice is enough) against all previous vectors
    for (let pass = 0; pass < 2; pass++) for (const qi of Q) pAxpy(spec, -pDot(spec, qi, w), qi, w);
    const b = pNorm(spec, w);
    if (j === steps - 1 || b < 1e-10 * Math.abs(a || 1)) break;
    beta.push(b);
    const next = alloc();
    pCopy(spec, w, next);
    pScale(spec, 1 / b, next);
    q = next;
  }
  const k = alpha.length;
  const T = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    T[i * k + i] = alpha[i];
    if (i + 1 < k) T[i * k + i + 1] = T[(i + 1) * k + i] = beta[i];
  }
  const { values, vectors } = jacobiEigen(T, k);
  const vector = alloc();
  for (let i = 0; i < k; i++) pAxpy(spec, vectors[i * k + 0], Q[i], vector);
  return { vector, value: values[0] };
}
