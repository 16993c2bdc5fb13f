import type { RunConfig } from './config.ts';

/**
 * What a run will cost, known before anything is allocated: the memory its tensors take and
 * roughly how long set-up and one update last. A page refuses settings over its memory budget
 * (with this estimate in the notice) and the CLI over --max-memory, so a wide, deep network never
 * crashes a tab or a worker half-way through allocating.
 *
 * Memory is counted from the tensors a run keeps (float32 everywhere but the kernels):
 * - weights: A (m x d), W_1..W_L (m x m), B (d_out x m), each held four times over: the weights,
 *   their copy at initialization W_0, the gradient, and the scratch of the products;
 * - activations: H_0..H_L (n x m) with their ReLU masks D (one byte an entry), the backward
 *   pass's two n x m buffers, and the masks at initialization that the flip count compares with;
 * - the tangent kernel: K_0 and K_t (N x N in float64, N = n d_out) and the backpropagated G_l
 *   (N x m per layer) they are built from.
 * Checked against the process's array-buffer memory for m from 256 to 2048 (within 25%).
 *
 * Time is an order of magnitude only: an update's products are memory-bound at small n and
 * compute-bound at large n, so it takes the larger of the two rates below (one thread of wasm
 * SIMD on a laptop-class core); set-up draws m^2 L normal numbers and builds K_0.
 */
export interface RunEstimate {
  bytes: { weights: number; activations: number; kernel: number; total: number };
  /** Floating-point operations of one full-batch update (forward and backward products). */
  flopsPerStep: number;
  stepMs: number;
  setupMs: number;
  /** setupMs by phase: data and weights, the tangent kernel K_0, the first record and step. */
  phasesMs: { init: number; kernel: number; firstStep: number };
}

const FLOAT32 = 4;
const FLOAT64 = 8;
const WEIGHT_COPIES = 4;
/** Sustained rates assumed for one thread of wasm SIMD (measured on this project's canonical step). */
const FLOPS_PER_SECOND = 25e9;
const WEIGHT_BYTES_PER_SECOND = 1.5e9;
const NORMALS_PER_SECOND = 30e6;

export function estimateRun(c: RunConfig): RunEstimate {
  if (c.arch === 'cnn' || c.arch === 'cnn-resnet') return estimateCnnRun(c);
  if (c.arch === 'rnn') return estimateRnn(c);
  const { m, L, n, d, dOut } = c;
  const rows = c.batch > 0 ? Math.min(c.batch, n) : n;
  const params = m * d + L * m * m + dOut * m;
  const weights = WEIGHT_COPIES * FLOAT32 * params;
  const layerEntries = (L + 1) * n * m;
  const activations = layerEntries * (FLOAT32 + 1 + 1) + 2 * n * m * FLOAT32;
  const N = n * dOut;
  const kernel = 2 * N * N * FLOAT64 + L * N * m * FLOAT32;
  // forward: 2 rows m (d + L m) + 2 rows dOut m; backward: twice the hidden products
  const forwardFlops = 2 * rows * (m * d + L * m * m + dOut * m);
  const flopsPerStep = 3 * forwardFlops;
  const weightPasses = 3 * FLOAT32 * L * m * m;
  const stepMs = 1000 * Math.max(flopsPerStep / FLOPS_PER_SECOND, weightPasses / WEIGHT_BYTES_PER_SECOND);
  // set-up: the weights' normal draws, then K_0 (N backward passes' worth of products) and its spectrum
  const kernelFlops = 2 * N * (L * m * m) + L * N * N * m * 2;
  const phasesMs = { init: (1000 * params) / NORMALS_PER_SECOND, kernel: (1000 * kernelFlops) / FLOPS_PER_SECOND, firstStep: stepMs };
  const setupMs = phasesMs.init + phasesMs.kernel + phasesMs.firstStep;
  return { bytes: { weights, activations, kernel, total: weights + activations + kernel }, flopsPerStep, stepMs, setupMs, phasesMs };
}

/**
 * The RNN: one W, T steps of activations h_1..h_T (n x m each, with masks), and the tangent kernel over
 * N = n (T-1) d_out outputs built from (T-1) d_out stacked G's of (T-1) n x m and Gram matrices of (T-1) n squared.
 */
function estimateRnn(c: RunConfig): RunEstimate {
  const { m, n, d, dOut, T } = c;
  const rows = c.batch > 0 ? Math.min(c.batch, n) : n;
  const params = m * d + m * m + dOut * m;
  const weights = WEIGHT_COPIES * FLOAT32 * params;
  const activations = T * n * m * (FLOAT32 + 1 + 1) + T * n * d * FLOAT32 + 2 * n * m * FLOAT32;
  const outs = Math.max(1, T - 1) * dOut;
  const N = n * outs;
  const stacked = Math.max(1, T - 1) * n;
  const kernel = 2 * N * N * FLOAT64 + outs * stacked * m * FLOAT32 + 3 * stacked * stacked * FLOAT32;
  const forwardFlops = 2 * rows * T * (m * d + m * m + dOut * m);
  const flopsPerStep = 3 * forwardFlops;
  const stepMs = 1000 * Math.max(flopsPerStep / FLOPS_PER_SECOND, (3 * FLOAT32 * m * m) / WEIGHT_BYTES_PER_SECOND);
  const kernelFlops = outs * flopsPerStep + ((outs * (outs + 1)) / 2) * stacked * stacked * m * 2;
  const phasesMs = { init: (1000 * params) / NORMALS_PER_SECOND, kernel: (1000 * kernelFlops) / FLOPS_PER_SECOND, firstStep: stepMs };
  const setupMs = phasesMs.init + phasesMs.kernel + phasesMs.firstStep;
  return { bytes: { weights, activations, kernel, total: weights + activations + kernel }, flopsPerStep, stepMs, setupMs, phasesMs };
}

/** "2.2 GB", "340 MB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${Math.round(bytes / 1e6)} MB`;
  return `${Math.max(1, Math.round(bytes / 1e3))} kB`;
}

/** The most one run on a page may take: it fits beside the page in a phone's browser tab. */
export const PAGE_MEMORY_BUDGET = 1e9;

/**
 * The CNN's counterpart (src/net/cnn.ts): weights A (m x s c), W_l (m x s m), B (d_out x q m); every
 * activation, mask and backward buffer has q rows per sample, plus the im2col matrices (s times a
 * layer's activations) and the tangent kernel's (n q)^2 Gram matrices.
 */
function estimateCnnRun(c: RunConfig): RunEstimate {
  const { m, L, n, d, dOut, q, window: s } = c;
  const rows = (c.batch > 0 ? Math.min(c.batch, n) : n) * q;
  const params = m * s * d + L * m * s * m + dOut * q * m;
  const weights = WEIGHT_COPIES * FLOAT32 * params;
  const R = n * q;
  const activations = (L + 1) * R * m * (FLOAT32 + 1 + 1) + R * s * (d + L * m) * FLOAT32 + R * (2 + s) * m * FLOAT32;
  const N = n * dOut;
  const kernel = 2 * N * N * FLOAT64 + L * N * R * m * FLOAT32 + 2 * R * R * FLOAT32;
  const forwardFlops = 2 * rows * (m * s * d + L * m * s * m) + 2 * (rows / q) * dOut * q * m;
  const flopsPerStep = 3 * forwardFlops;
  const weightPasses = 3 * FLOAT32 * L * m * s * m;
  const stepMs = 1000 * Math.max(flopsPerStep / FLOPS_PER_SECOND, weightPasses / WEIGHT_BYTES_PER_SECOND);
  const kernelFlops = dOut * flopsPerStep + L * dOut * R * R * (s + 1) * m * 2;
  const phasesMs = { init: (1000 * params) / NORMALS_PER_SECOND, kernel: (1000 * kernelFlops) / FLOPS_PER_SECOND, firstStep: stepMs };
  const setupMs = phasesMs.init + phasesMs.kernel + phasesMs.firstStep;
  return { bytes: { weights, activations, kernel, total: weights + activations + kernel }, flopsPerStep, stepMs, setupMs, phasesMs };
}
