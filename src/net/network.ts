import { Rng } from './rng.ts';
import { heapAllocator, type Allocator, type Precision, type Vec } from './tensor.ts';

export type Arch = 'fc' | 'resnet' | 'cnn' | 'cnn-resnet' | 'rnn';

/** The paper's network (Allen-Zhu, Li, Song 2019, section 2). */
export interface NetSpec {
  arch: Arch;
  d: number; // input dimension
  m: number; // width
  L: number; // number of trained m x m layers
  dOut: number; // output dimension
  tau: number; // ResNet branch scale: h_l = ReLU(h_{l-1} + tau W_l h_{l-1})
  trainA: boolean;
  trainB: boolean;
  q?: number; // CNN: positions
  window?: number; // CNN: window s
  /**
   * RNN (Allen-Zhu, Li, Song, NeurIPS 2019): sequence length. h_0 = 0, h_t = ReLU(W h_{t-1} + A x_t),
   * yhat_t = B h_t; one W (L = 1) shared over time; d is the input dimension per step.
   */
  T?: number;
}

/** Floats of X per example: d for fc/resnet, q*d for cnn, T*d for rnn. */
export function exampleInputSize(spec: NetSpec): number {
  switch (spec.arch) {
    case 'cnn':
    case 'cnn-resnet':
      return (spec.q ?? 1) * spec.d;
    case 'rnn':
      return (spec.T ?? 1) * spec.d;
    default:
      return spec.d;
  }
}

/** Floats of Y and of the residual per example: dOut, or (T-1)*dOut for rnn (its loss starts at t = 2). */
export function exampleOutputSize(spec: NetSpec): number {
  switch (spec.arch) {
    case 'rnn':
      return ((spec.T ?? 1) - 1) * spec.dOut;
    default:
      return spec.dOut;
  }
}

/** Weights, row-major: A is m x d, W[l-1] is W_l (m x m), B is dOut x m. */
export interface Params {
  A: Vec;
  W: Vec[];
  B: Vec;
}

export function allocParams(spec: NetSpec, precision: Precision | Allocator): Params {
  const { d, m, L, dOut } = spec;
  const allocator = typeof precision === 'string' ? heapAllocator(precision) : precision;
  return {
    A: allocator.vec(m * d),
    W: Array.from({ length: L }, () => allocator.vec(m * m)),
    B: allocator.vec(dOut * m),
  };
}

/** Float entries and arrays of one Params (for workspace plans). */
export function paramsSize(spec: NetSpec): { floats: number; arrays: number } {
  return { floats: countParams(spec).total, arrays: spec.L + 2 };
}

/** A, W_l ~ N(0, 2/m); B ~ N(0, 1/dOut). Drawn in the order A, W_1..W_L, B from the init stream. */
export function initParams(spec: NetSpec, rng: Rng, precision: Precision = 'f32'): Params {
  const p = allocParams(spec, precision);
  rng.fillNormal(p.A, 2 / spec.m);
  for (const w of p.W) rng.fillNormal(w, 2 / spec.m);
  rng.fillNormal(p.B, 1 / spec.dOut);
  return p;
}

export function cloneParams(p: Params): Params {
  return { A: p.A.slice(), W: p.W.map((w) => w.slice()), B: p.B.slice() };
}

export function copyParams(from: Params, to: Params): void {
  to.A.set(from.A);
  from.W.forEach((w, l) => to.W[l].set(w));
  to.B.set(from.B);
}

/** The tensors gradient descent moves, in a fixed order: [A?], W_1..W_L, [B?]. */
export function trainedTensors(spec: NetSpec, p: Params): Vec[] {
  const out: Vec[] = [];
  if (spec.trainA) out.push(p.A);
  out.push(...p.W);
  if (spec.trainB) out.push(p.B);
  return out;
}

export function countParams(spec: NetSpec): { total: number; trained: number } {
  const { d, m, L, dOut } = spec;
  const total = m * d + L * m * m + dOut * m;
  const trained = L * m * m + (spec.trainA ? m * d : 0) + (spec.trainB ? dOut * m : 0);
  return { total, trained };
}
