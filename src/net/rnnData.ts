import { DataError, placeClosePair, separation, spherePoints, validateDataset, type Dataset, type DataSpec } from './data.ts';
import { Rng } from './rng.ts';

/**
 * Sequence data for the RNN (Allen-Zhu, Li, Song, NeurIPS 2019): example i is x_{i,1..T}, every
 * x_{i,t} of unit norm, the first inputs x_{i,1} delta-separated (the paper's assumption, checked and,
 * with closePairDelta, set as for the feed-forward data), and labels y_{i,t} at every step.
 * X is n x T x d and Y is n x T x dOut, row-major (example, step, entry); y_{i,1} is drawn but the loss
 * starts at t = 2.
 */
export interface SequenceSpec extends DataSpec {
  T: number;
}

/** x_{i,1} for every i (n x d): the inputs the separation delta is measured on. */
export function firstInputs(ds: Dataset): Float64Array {
  const T = ds.T ?? 1;
  if (T === 1) return ds.X;
  const { n, d } = ds;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) out.set(ds.X.subarray(i * T * d, i * T * d + d), i * d);
  return out;
}

/** Labels of a random teacher ReLU RNN g_t = ReLU(U g_{t-1} + V x_t), y_t = C g_t, scaled to unit mean square. */
function teacherSequenceLabels(X: Float64Array, s: SequenceSpec, width: number, rng: Rng): Float64Array {
  const { n, d, dOut, T } = s;
  const U = new Float64Array(width * width);
  const V = new Float64Array(width * d);
  const C = new Float64Array(dOut * width);
  rng.fillNormal(U, 2 / width);
  rng.fillNormal(V, 2 / width);
  rng.fillNormal(C, 1 / width);
  const Y = new Float64Array(n * T * dOut);
  let g = new Float64Array(width);
  let next = new Float64Array(width);
  for (let i = 0; i < n; i++) {
    g.fill(0);
    for (let t = 0; t < T; t++) {
      const x = (i * T + t) * d;
      for (let r = 0; r < width; r++) {
        let v = 0;
        for (let k = 0; k < width; k++) v += U[r * width + k] * g[k];
        for (let k = 0; k < d; k++) v += V[r * d + k] * X[x + k];
        next[r] = v > 0 ? v : 0;
      }
      [g, next] = [next, g];
      for (let a = 0; a < dOut; a++) {
        let v = 0;
        for (let r = 0; r < width; r++) v += C[a * width + r] * g[r];
        Y[(i * T + t) * dOut + a] = v;
      }
    }
  }
  let ms = 0;
  for (const y of Y) ms += y * y;
  ms /= Y.length;
  const inv = ms > 0 ? 1 / Math.sqrt(ms) : 1;
  for (let i = 0; i < Y.length; i++) Y[i] *= inv;
  return Y;
}

/**
 * The data of an RNN run, from the data stream only, in the order: first inputs (and the close pair),
 * the later inputs, the labels. Throws DataError when two first inputs coincide.
 */
export function makeSequenceDataset(spec: SequenceSpec, rng: Rng): Dataset {
  const { n, d, dOut, T } = spec;
  if (!(Number.isInteger(T) && T >= 1)) throw new DataError(`sequence length T must be an integer >= 1, got ${T}`);
  const first = spherePoints(n, d, rng);
  if (spec.closePairDelta !== undefined) {
    if (n < 2) throw new DataError('a close pair needs n >= 2');
    placeClosePair(first, d, spec.closePairDelta, rng);
  }
  const later = spherePoints(n * (T - 1), d, rng);
  const X = new Float64Array(n * T * d);
  for (let i = 0; i < n; i++) {
    X.set(first.subarray(i * d, (i + 1) * d), i * T * d);
    X.set(later.subarray(i * (T - 1) * d, (i + 1) * (T - 1) * d), i * T * d + d);
  }
  let Y: Float64Array;
  if (spec.labels === 'teacher') Y = teacherSequenceLabels(X, spec, spec.teacherWidth ?? 16, rng);
  else {
    Y = new Float64Array(n * T * dOut);
    for (let i = 0; i < Y.length; i++) Y[i] = spec.labels === 'sign' ? (rng.uniform() < 0.5 ? -1 : 1) : rng.normal();
  }
  // the shape and finiteness checks of the feed-forward data, on the first inputs (delta > 0)
  validateDataset({ n, d, dOut: T * dOut, X: firstInputs({ n, d, dOut, X, Y, T }), Y });
  for (let i = 0; i < X.length; i++) {
    if (!Number.isFinite(X[i])) throw new DataError(`x has a non-finite entry (${X[i]})`);
  }
  return { n, d, dOut, X, Y, T };
}

/** The separation delta of the first inputs x_{i,1} (sequence data) or of the points (otherwise). */
export function inputSeparation(ds: Dataset): { delta: number; i: number; j: number } {
  return separation(firstInputs(ds), ds.n, ds.d);
}
