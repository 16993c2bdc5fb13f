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
