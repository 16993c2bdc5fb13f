import { DataError, placeClosePair, spherePoints, validateDataset, type Dataset } from './data.ts';
import { Rng } from './rng.ts';

/**
 * A target that is itself a small network with a smooth activation, the concept class of Allen-Zhu,
 * Li and Liang (NeurIPS 2019): f*(x)_o = sum_{r<=k} a_{o,r} tanh(<w_r, x>). With ||x|| = 1 and
 * w_r ~ N(0, I_d), each <w_r, x> ~ N(0, 1), where tanh is neither linear nor saturated.
 */
export interface Teacher {
  readonly d: number;
  readonly k: number;
  readonly dOut: number;
  readonly w: Float64Array; // k x d
  readonly a: Float64Array; // dOut x k
}

/** Reference points that fix the teacher's scale: E f*^2 = 1 over the sphere, to Monte Carlo accuracy. */
const SCALE_POINTS = 4096;

/** f*(x_i) for the n rows of X, as an n x dOut array. */
export function teacherOutputs(t: Teacher, X: Float64Array, n: number): Float64Array {
  const { d, k, dOut, w, a } = t;
  const Y = new Float64Array(n * dOut);
  const h = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < k; r++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += w[r * d + j] * X[i * d + j];
      h[r] = Math.tanh(s);
    }
    for (let o = 0; o < dOut; o++) {
      let s = 0;
      for (let r = 0; r < k; r++) s += a[o * k + r] * h[r];
      Y[i * dOut + o] = s;
    }
  }
  return Y;
}

/**
 * Draws the teacher from the teacher stream: w_r ~ N(0, I_d), a_{o,r} = +-1 with random signs, then
 * a scaled so the mean square of f* over reference sphere points (from the same stream) is 1, like
 * the essay's Gaussian labels. The scale never depends on the training or test points.
 */
export function drawTeacher(d: number, k: number, dOut: number, rng: Rng): Teacher {
  if (!(Number.isInteger(k) && k >= 1)) throw new DataError(`a teacher needs k >= 1 units, got ${k}`);
  const w = new Float64Array(k * d);
  rng.fillNormal(w, 1);
  const a = Float64Array.from({ length: dOut * k }, () => (rng.uniform() < 0.5 ? -1 : 1));
  const t: Teacher = { d, k, dOut, w, a };
  const ref = teacherOutputs(t, spherePoints(SCALE_POINTS, d, rng), SCALE_POINTS);
  let ms = 0;
  for (const y of ref) ms += y * y;
  ms /= ref.length;
  const inv = ms > 0 ? 1 / Math.sqrt(ms) : 1;
  for (let i = 0; i < a.length; i++) a[i] *= inv;
  return t;
}

export interface TeacherDataSpec {
  n: number;
  d: number;
  dOut: number;
  k: number; // teacher units
  noise: number; // standard deviation of the Gaussian noise on training labels
  testN: number; // held-out points
  closePairDelta?: number;
}

export interface TeacherData {
  teacher: Teacher;
  train: Dataset; // y_i = f*(x_i) + noise
  test: Dataset; // fresh x from the same distribution, y = f*(x) without noise
}

/**
 * Training and test data of a teacher, each from its own stream of one seed: the teacher's weights
 * ('teacher'), the training inputs ('data', the same points the other label kinds get), the label
 * noise ('noise') and the test inputs ('test'). So the test set never shares draws with the
 * training stream, and changing noise or testN leaves the training inputs alone.
 * Test labels are noiseless: the test loss measures how far the predictor is from f* itself.
 */
export function makeTeacherData(spec: TeacherDataSpec, seed: number): TeacherData {
  const { n, d, dOut, k, noise, testN } = spec;
  if (!(noise >= 0 && Number.isFinite(noise))) throw new DataError(`label noise must be a finite number >= 0, got ${noise}`);
  const teacher = drawTeacher(d, k, dOut, new Rng(seed, 'teacher'));
  const dataRng = new Rng(seed, 'data');
  const X = spherePoints(n, d, dataRng);
  if (spec.closePairDelta !== undefined) {
    if (n < 2) throw new DataError('a close pair needs n >= 2');
    placeClosePair(X, d, spec.closePairDelta, dataRng);
  }
  const Y = teacherOutputs(teacher, X, n);
  if (noise > 0) {
    const noiseRng = new Rng(seed, 'noise');
    for (let i = 0; i < Y.length; i++) Y[i] += noise * noiseRng.normal();
  }
  const train: Dataset = { n, d, dOut, X, Y };
  validateDataset(train);
  const Xt = spherePoints(testN, d, new Rng(seed, 'test'));
  const test: Dataset = { n: testN, d, dOut, X: Xt, Y: teacherOutputs(teacher, Xt, testN) };
  return { teacher, train, test };
}

/** Mean over the rows of 1/2 ||pred_i - y_i||^2 (the test loss's convention: a mean, with the 1/2 of F). */
export function meanHalfSquaredError(pred: ArrayLike<number>, Y: ArrayLike<number>, rows: number): number {
  let s = 0;
  for (let i = 0; i < Y.length; i++) s += (pred[i] - Y[i]) ** 2;
  return rows > 0 ? (0.5 * s) / rows : NaN;
}
