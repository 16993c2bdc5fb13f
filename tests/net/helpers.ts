import { makeDataset, type Dataset, type LabelKind } from '../../src/net/data.ts';
import { referenceKernels } from '../../src/net/kernels.ts';
import { Model } from '../../src/net/model.ts';
import { exampleInputSize, initParams, type Arch, type NetSpec } from '../../src/net/network.ts';
import { Rng } from '../../src/net/rng.ts';
import type { Precision } from '../../src/net/tensor.ts';
import { DEFAULT_CONFIG, type RunConfig } from '../../src/train/config.ts';

export interface Case {
  arch: Arch;
  d: number;
  m: number;
  n: number;
  L: number;
  dOut: number;
  trainA: boolean;
  trainB: boolean;
  seed: number;
  tau?: number;
  labels?: LabelKind;
  q?: number; // CNN positions
  window?: number; // CNN window s
}

export function specOf(c: Case): NetSpec {
  const spec: NetSpec = { arch: c.arch, d: c.d, m: c.m, L: c.L, dOut: c.dOut, tau: c.tau ?? 0.3, trainA: c.trainA, trainB: c.trainB };
  return c.q === undefined ? spec : { ...spec, q: c.q, window: c.window };
}

/** A model on fresh data, weights from the init stream. */
export function buildModel(c: Case, precision: Precision): { model: Model; data: Dataset; spec: NetSpec } {
  const spec = specOf(c);
  const data = makeDataset({ n: c.n, d: exampleInputSize(spec), dOut: c.dOut, labels: c.labels ?? 'gaussian' }, new Rng(c.seed, 'data'));
  const params = initParams(spec, new Rng(c.seed, 'init'), precision);
  return { model: new Model(spec, params, referenceKernels, data, precision), data, spec };
}

export function label(c: Case): string {
  const conv = c.q === undefined ? '' : ` q=${c.q} s=${c.window}`;
  return `${c.arch}${conv} L=${c.L} d=${c.d} m=${c.m} n=${c.n} dOut=${c.dOut} trainA=${c.trainA} trainB=${c.trainB} seed=${c.seed}`;
}

/** A small config for runs in tests. */
export function smallConfig(over: Partial<RunConfig> = {}): RunConfig {
  return { ...DEFAULT_CONFIG, d: 5, m: 32, L: 2, n: 8, steps: 30, every: 1, ...over };
}

export function maxAbs(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s = Math.max(s, Math.abs(v[i]));
  return s;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s = Math.max(s, Math.abs(a[i] - b[i]));
  return s;
}

/** Central differences of a model's loss against its hand-written gradient, tensor by tensor. */
export interface CentralDifferenceResult {
  maxErr: number; // max |(F(w + h e_i) - F(w - h e_i)) / 2h - g_i| over the checked entries
  checked: number;
  skipped: number; // entries whose +-h step flips a ReLU: F has a kink there, so no derivative to compare
}

/**
 * Steps each entry of each tensor in `ws` by +-h (in place, restored after) and compares the central
 * difference of `model.loss()` with the matching entry of `gs`.
 */
export function centralDifferences(
  model: { loss(): number; cache: { activeMasks: Uint8Array[] } },
  ws: readonly (Float64Array | Float32Array)[],
  gs: readonly ArrayLike<number>[],
  h: number,
): CentralDifferenceResult {
  const masks0 = model.cache.activeMasks.map((mk) => mk.slice());
  const unchanged = (): boolean => model.cache.activeMasks.every((mk, l) => mk.every((v, i) => v === masks0[l][i]));
  let maxErr = 0;
  let checked = 0;
  let skipped = 0;
  for (let t = 0; t < ws.length; t++) {
    const w = ws[t];
    for (let i = 0; i < w.length; i++) {
      const w0 = w[i];
      w[i] = w0 + h;
      const fp = model.loss();
      const okP = unchanged();
      w[i] = w0 - h;
      const fm = model.loss();
      const okM = unchanged();
      w[i] = w0;
      if (!okP || !okM) {
        skipped++;
        continue;
      }
      checked++;
      maxErr = Math.max(maxErr, Math.abs((fp - fm) / (2 * h) - gs[t][i]));
    }
  }
  return { maxErr, checked, skipped };
}

/** v^T K v for a square matrix K stored row-major (N x N, N = v.length). */
export function quadraticForm(K: Float64Array, v: ArrayLike<number>): number {
  const N = v.length;
  let s = 0;
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) s += v[i] * K[i * N + j] * v[j];
  return s;
}
