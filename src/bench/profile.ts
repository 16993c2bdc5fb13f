/**
 * Where the canonical step's time goes: each kernel call of a core step timed and sorted into the
 * step's parts (forward H W_l^T with its fused ReLU, the gradients dP_l^T H_{l-1}, the backward
 * dP_l W_l, the update, the rest), each with its share of the engine's f32x4 peak on the
 * multiply-adds it really does (ReLU zeros skipped, as in roofline.ts). `bench --profile` prints it.
 */
import type { MatrixKernels } from '../net/kernels.ts';
import type { Model } from '../net/model.ts';
import { CANONICAL, makeCoreStepper, median, type BenchShape } from './steps.ts';

export interface ProfilePart {
  part: string;
  /** Median time of the part per step (ms, by `clock`). */
  ms: number;
  /** GFLOP the part does per step after skipping ReLU zeros (0 where not counted). */
  activeGflop: number;
}

const PARTS = ['forward H W^T + ReLU', 'gradient dP^T H', 'backward dP W', 'input and output layers', 'ReLU derivative D dH', 'update W -= eta grad'] as const;

/** The part of the step a kernel call belongs to, from its shape on the FC net of `shape`. */
function partOf(kernel: string, args: unknown[], m: number): (typeof PARTS)[number] {
  if (kernel === 'axpy') return PARTS[5];
  if (kernel === 'applyMask') return PARTS[4];
  const [transA, transB, M, N, K] = args as [boolean, boolean, number, number, number];
  if (N !== m || (K !== m && M !== m)) return PARTS[3];
  if (transA) return PARTS[1];
  return transB ? PARTS[0] : PARTS[2];
}

/** 2 x the multiply-adds of each W_l product of the model's last step, counted from its ReLU patterns. */
function activeFlops(model: Model): Record<string, number> {
  const { m, L } = model.spec;
  const n = model.cache.rows;
  const active = model.cache.activeMasks.map((mask) => {
    let on = 0;
    for (let i = 0; i < n * m; i++) on += mask[i];
    return on;
  });
  const sum = (from: number, to: number) => active.slice(from, to).reduce((a, b) => a + b, 0);
  return { [PARTS[0]]: 2 * sum(0, L) * m, [PARTS[1]]: 2 * sum(1, L + 1) * m, [PARTS[2]]: 2 * sum(2, L + 1) * m };
}

/**
 * `kernels` with every call timed by `clock` into `record(part, ms)`, and so are the kernels of any
 * workspace they make (a model runs its products on those). The kernels given are left untouched.
 */
function timedKernels(kernels: MatrixKernels, m: number, clock: () => number, record: (part: string, ms: number) => void): MatrixKernels {
  const timed = <A extends unknown[]>(name: string, f: (...args: A) => void) => (...args: A) => {
    const t = clock();
    f(...args);
    record(partOf(name, args, m), clock() - t);
  };
  const k: MatrixKernels = {
    name: kernels.name,
    gemm: timed('gemm', (...args) => kernels.gemm(...args)),
    gemmRelu: timed('gemmRelu', (...args) => kernels.gemmRelu(...args)),
    applyMask: timed('applyMask', (...args) => kernels.applyMask(...args)),
    axpy: timed('axpy', (...args) => kernels.axpy(...args)),
  };
  if (kernels.workspace) {
    k.workspace = (plan) => {
      const ws = kernels.workspace!(plan);
      return ws && { kernels: timedKernels(ws.kernels, m, clock, record), f32: ws.f32, mask: ws.mask };
    };
  }
  return k;
}

/**
 * Times `steps` steps of the core on `kernels` (after a warm-up), every kernel call by `clock` (ms;
 * process CPU time in Node), and returns each part's median per step and the whole step's.
 */
export function profileStep(
  kernels: MatrixKernels,
  lr: number,
  clock: () => number,
  steps = 30,
  shape: BenchShape = CANONICAL,
): { parts: ProfilePart[]; stepMs: number } {
  const current = new Map<string, number>();
  const record = (part: string, ms: number) => current.set(part, (current.get(part) ?? 0) + ms);
  const stepper = makeCoreStepper(shape, timedKernels(kernels, shape.m, clock, record), lr);
  for (let i = 0; i < 10; i++) stepper.step();
  const samples = new Map<string, number[]>(PARTS.map((p) => [p, []]));
  const whole: number[] = [];
  for (let s = 0; s < steps; s++) {
    current.clear();
    const t = clock();
    stepper.step();
    whole.push(clock() - t);
    for (const p of PARTS) samples.get(p)!.push(current.get(p) ?? 0);
  }
  const flops = activeFlops(stepper.model);
  stepper.dispose();
  return {
    parts: PARTS.map((part) => ({ part, ms: median(samples.get(part)!), activeGflop: (flops[part] ?? 0) / 1e9 })),
    stepMs: median(whole),
  };
}

/** Lines for the report: each part's time, share of the step, and share of peak where its flops are counted. */
export function formatProfile(p: { parts: ProfilePart[]; stepMs: number }, peakGflops: number, clockName: string): string[] {
  const lines = [`where the canonical step's time goes (core+wasm, ${clockName}, median of the parts per step):`];
  for (const { part, ms, activeGflop } of p.parts) {
    const peak = activeGflop > 0 && ms > 0 ? `, ${((100 * activeGflop * 1e3) / ms / peakGflops).toFixed(0)}% of peak` : '';
    lines.push(`  ${part.padEnd(24)} ${ms.toFixed(2).padStart(6)} ms (${((100 * ms) / p.stepMs).toFixed(0).padStart(2)}% of the step${peak})`);
  }
  lines.push(`  ${'whole step'.padEnd(24)} ${p.stepMs.toFixed(2).padStart(6)} ms`);
  return lines;
}
