import { Rng } from './rng.ts';

/** Training data: n points x_i in R^d (rows of X) with labels y_i in R^dOut (rows of Y). */
export interface Dataset {
  readonly n: number;
  readonly d: number;
  readonly dOut: number;
  readonly X: Float64Array; // n x d, row-major
  readonly Y: Float64Array; // n x dOut
  /** Sequence data (the RNN): length T; X is then n x T x d and Y n x T x dOut (see rnnData.ts). */
  readonly T?: number;
}

export type LabelKind = 'gaussian' | 'sign' | 'teacher';

export interface DataSpec {
  n: number;
  d: number;
  dOut: number;
  labels: LabelKind;
  /** If set, x_1 is moved to distance exactly closePairDelta from x_0 (needs n >= 2). */
  closePairDelta?: number;
  /** Width of the two-layer teacher network for `labels: 'teacher'`. */
  teacherWidth?: number;
}

export class DataError extends Error {
  override name = 'DataError';
}

/** Points closer than this (in float32 terms) count as duplicates: the paper assumes ||x_i - x_j|| >= delta > 0. */
const DUPLICATE_TOLERANCE = 1e-6;

/** The paper's separation delta = min_{i != j} ||x_i - x_j||, and the pair that attains it. */
export function separation(X: ArrayLike<number>, n: number, d: number): { delta: number; i: number; j: number } {
  let best = Infinity;
  let bi = -1;
  let bj = -1;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const t = X[i * d + k] - X[j * d + k];
        s += t * t;
      }
      if (s < best) {
        best = s;
        bi = i;
        bj = j;
      }
    }
  }
  return { delta: Math.sqrt(best), i: bi, j: bj };
}

/** Rejects non-finite entries and duplicated points with a message that names them. */
export function validateDataset(ds: Dataset): void {
  const { n, d, dOut, X, Y } = ds;
  if (X.length !== n * d) throw new DataError(`X has ${X.length} entries, expected n*d = ${n * d}`);
  if (Y.length !== n * dOut) throw new DataError(`Y has ${Y.length} entries, expected n*dOut = ${n * dOut}`);
  for (let i = 0; i < X.length; i++) {
    if (!Number.isFinite(X[i])) throw new DataError(`x_${Math.floor(i / d)} has a non-finite entry (${X[i]})`);
  }
  for (let i = 0; i < Y.length; i++) {
    if (!Number.isFinite(Y[i])) throw new DataError(`y_${Math.floor(i / dOut)} has a non-finite entry (${Y[i]})`);
  }
  if (n >= 2) {
    const sep = separation(X, n, d);
    if (sep.delta <= DUPLICATE_TOLERANCE) {
      throw new DataError(
        `points x_${sep.i} and x_${sep.j} are duplicates (distance ${sep.delta.toExponential(2)}); ` +
          `the theory needs distinct inputs (delta > 0)`,
      );
    }
  }
}

function normalizeRow(X: Float64Array, i: number, d: number): void {
  let s = 0;
  for (let k = 0; k < d; k++) s += X[i * d + k] ** 2;
  const inv = 1 / Math.sqrt(s);
  for (let k = 0; k < d; k++) X[i * d + k] *= inv;
}

/** Uniform points on the unit sphere (the paper's inputs have ||x_i|| = 1): normalized Gaussian vectors. */
export function spherePoints(n: number, d: number, rng: Rng): Float64Array {
  const X = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let s = 0;
    do {
      s = 0;
      for (let k = 0; k < d; k++) {
        const v = rng.normal();
        X[i * d + k] = v;
        s += v * v;
      }
    } while (s === 0);
    normalizeRow(X, i, d);
  }
  return X;
}

/** Moves x_1 onto the sphere at chord distance delta from x_0: x_1 = cos(t) x_0 + sin(t) u, 2 sin(t/2) = delta. */
export function placeClosePair(X: Float64Array, d: number, delta: number, rng: Rng): void {
  if (!(delta >= 0 && delta <= 2)) throw new DataError(`close-pair delta must be in [0, 2], got ${delta}`);
  if (d < 2) throw new DataError('a close pair needs d >= 2');
  const u = new Float64Array(d);
  let norm = 0;
  do {
    let proj = 0;
    for (let k = 0; k < d; k++) {
      u[k] = rng.normal();
      proj += u[k] * X[k];
    }
    for (let k = 0; k < d; k++) u[k] -= proj * X[k];
    norm = Math.hypot(...u);
  } while (norm < 1e-8);
  const theta = 2 * Math.asin(delta / 2);
  for (let k = 0; k < d; k++) X[d + k] = Math.cos(theta) * X[k] + Math.sin(theta) * (u[k] / norm);
}

/** Labels of a random two-layer ReLU teacher f(x) = V ReLU(U x), scaled to unit mean square. */
function teacherLabels(X: Float64Array, n: number, d: number, dOut: number, width: number, rng: Rng): Float64Array {
  const U = new Float64Array(width * d);
  const V = new Float64Array(dOut * width);
  rng.fillNormal(U, 2 / d);
  rng.fillNormal(V, 1 / width);
  const Y = new Float64Array(n * dOut);
  const h = new Float64Array(width);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < width; r++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += U[r * d + k] * X[i * d + k];
      h[r] = s > 0 ? s : 0;
    }
    for (let a = 0; a < dOut; a++) {
      let s = 0;
      for (let r = 0; r < width; r++) s += V[a * width + r] * h[r];
      Y[i * dOut + a] = s;
    }
  }
  let ms = 0;
  for (const y of Y) ms += y * y;
  ms /= Y.length;
  const inv = ms > 0 ? 1 / Math.sqrt(ms) : 1;
  for (let i = 0; i < Y.length; i++) Y[i] *= inv;
  return Y;
}

/** The data of a run, drawn from the data stream only. Throws DataError on duplicates. */
export function makeDataset(spec: DataSpec, rng: Rng): Dataset {
  const { n, d, dOut } = spec;
  const X = spherePoints(n, d, rng);
  if (spec.closePairDelta !== undefined) {
    if (n < 2) throw new DataError('a close pair needs n >= 2');
    placeClosePair(X, d, spec.closePairDelta, rng);
  }
  let Y: Float64Array;
  if (spec.labels === 'teacher') {
    Y = teacherLabels(X, n, d, dOut, spec.teacherWidth ?? 16, rng);
  } else {
    Y = new Float64Array(n * dOut);
    for (let i = 0; i < Y.length; i++) {
      Y[i] = spec.labels === 'sign' ? (rng.uniform() < 0.5 ? -1 : 1) : rng.normal();
    }
  }
  const ds: Dataset = { n, d, dOut, X, Y };
  validateDataset(ds);
  return ds;
}
