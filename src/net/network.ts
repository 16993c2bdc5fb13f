import { Rng } from './rng.ts';
import { heapAllocator, type Allocator, type Precision, type Vec } from './tensor.ts';

export type Arch = 'fc' | 'resnet' | 'cnn' | 'cnn-resnet' | 'rnn';

/** The paper's network (Allen-Zhu, Li, Song 2019, section 2; the CNN of its section on convolutional networks). */
export interface NetSpec {
  arch: Arch;
  d: number; // input dimension (CNN: input channels c)
  m: number; // width
  L: number; // number of trained m x m layers
  dOut: number; // output dimension
  tau: number; // ResNet branch scale: h_l = ReLU(h_{l-1} + tau W_l h_{l-1})
  trainA: boolean;
  trainB: boolean;
  q?: number; // CNN: positions of the 1-D signal
  window?: number; // CNN: odd window s = 2r + 1 (circular padding)
  /**
   * RNN (Allen-Zhu, Li, Song, NeurIPS 2019): sequence length. h_0 = 0, h_t = ReLU(W h_{t-1} + A x_t),
   * yhat_t = B h_t; one W (L = 1) shared over time; d is the input dimension per step.
   */
  T?: number;
}

/** The convolutional architectures (src/net/cnn.ts). */
export function isConv(spec: Pick<NetSpec, 'arch'>): boolean {
  return spec.arch === 'cnn' || spec.arch === 'cnn-resnet';
}

/** Floats of X per example: d (FC, ResNet), q x c (CNN), T x d (RNN). */
export function exampleInputSize(spec: NetSpec): number {
  switch (spec.arch) {
    case 'cnn':
    case 'cnn-resnet':
      return spec.q! * spec.d;
    case 'rnn':
      return (spec.T ?? 1) * spec.d;
    default:
      return spec.d;
  }
}

/** Floats of Y and of the residual per example: dOut, or (T-1) dOut for the RNN. */
export function exampleOutputSize(spec: NetSpec): number {
  switch (spec.arch) {
    case 'rnn': // its loss starts at t = 2
      return ((spec.T ?? 1) - 1) * spec.dOut;
    default:
      return spec.dOut;
  }
}

/** Hidden units (ReLUs) per example and layer: m (FC, ResNet), q m (CNN: m channels at each position). */
export function exampleUnits(spec: NetSpec): number {
  switch (spec.arch) {
    case 'cnn':
    case 'cnn-resnet':
      return spec.q! * spec.m;
    default:
      return spec.m;
  }
}

/** [rows, cols] of A, of each W_l and of B. CNN: m x (s c), m x (s m), dOut x (q m). */
export function weightShapes(spec: NetSpec): { A: [number, number]; W: [number, number]; B: [number, number] } {
  const { d, m, dOut } = spec;
  switch (spec.arch) {
    case 'cnn':
    case 'cnn-resnet': {
      const s = spec.window!;
      return { A: [m, s * d], W: [m, s * m], B: [dOut, spec.q! * m] };
    }
    default:
      return { A: [m, d], W: [m, m], B: [dOut, m] };
  }
}

/** Fan-in variance of A and W_l at init: 2/m (FC, ResNet), 2/(s m) (CNN: keeps ||h_l|| near ||x||). */
function initVariance(spec: NetSpec): number {
  return isConv(spec) ? 2 / (spec.window! * spec.m) : 2 / spec.m;
}

/** Weights, row-major: A is m x d, W[l-1] is W_l (m x m), B is dOut x m (CNN: see weightShapes). */
export interface Params {
  A: Vec;
  W: Vec[];
  B: Vec;
}

export function allocParams(spec: NetSpec, precision: Precision | Allocator): Params {
  const { A, W, B } = weightShapes(spec);
  const allocator = typeof precision === 'string' ? heapAllocator(precision) : precision;
  return {
    A: allocator.vec(A[0] * A[1]),
    W: Array.from({ length: spec.L }, () => allocator.vec(W[0] * W[1])),
    B: allocator.vec(B[0] * B[1]),
  };
}

/** Float entries and arrays of one Params (for workspace plans). */
export function paramsSize(spec: NetSpec): { floats: number; arrays: number } {
  return { floats: countParams(spec).total, arrays: spec.L + 2 };
}

/** A, W_l ~ N(0, 2/m) (CNN: 2/(s m)); B ~ N(0, 1/dOut). Drawn in the order A, W_1..W_L, B from the init stream. */
export function initParams(spec: NetSpec, rng: Rng, precision: Precision = 'f32'): Params {
  const p = allocParams(spec, precision);
  const variance = initVariance(spec);
  rng.fillNormal(p.A, variance);
  for (const w of p.W) rng.fillNormal(w, variance);
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
  const { A, W, B } = weightShapes(spec);
  const a = A[0] * A[1];
  const w = spec.L * W[0] * W[1];
  const b = B[0] * B[1];
  const total = a + w + b;
  const trained = w + (spec.trainA ? a : 0) + (spec.trainB ? b : 0);
  return { total, trained };
}
