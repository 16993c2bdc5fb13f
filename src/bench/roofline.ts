/**
 * The benchmark's roofline: what one thread of WebAssembly SIMD can do at best on this engine, and
 * how close the core's step comes. It answers "what limits it now" with measurements: the engine's
 * f32x4 multiply-add peak (register-only, timed here), the multiply-adds the canonical step really
 * needs once the kernels skip ReLU zeros, and the step time those two imply at 100% of peak.
 */
import type { Model } from '../net/model.ts';
import type { WasmKernels } from '../net/wasmKernels.ts';
import { CANONICAL, makeCoreStepper, stepFlops, type BenchShape } from './steps.ts';

export interface Roofline {
  env: string;
  /** f32x4 multiply-add GFLOP/s of one thread, no memory traffic (best of repeated timings). */
  peakGflops: number;
  /** GFLOP of the step as dense products (stepFlops). */
  nominalGflop: number;
  /** GFLOP the core's kernels actually do: each product skips the zero rows of its op(A). */
  activeGflop: number;
  /** Fraction of ReLUs on, over the step's layers. */
  activeFraction: number;
  /** activeGflop at peakGflops: no single-thread wasm SIMD step on this engine can be faster. */
  floorMs: number;
  /** The core+wasm step time it is compared with (from the same run), or null. */
  coreWasmMs: number | null;
  /** The same step's process CPU time, where the environment measures it (Node). */
  coreWasmCpuMs?: number;
}

/**
 * 2 x the multiply-adds of the core's last full-batch step on the bench net (FC, A and B fixed),
 * counted from its cached ReLU patterns: every product skips op(A)'s zeros, so H_{l-1} W_l^T costs
 * (active entries of H_{l-1}) x m, dP_l^T H_{l-1} and dP_l W_l cost (active entries of layer l) x m.
 */
export function activeStepFlops(model: Model): { flops: number; activeFraction: number } {
  const { d, m, L, dOut } = model.spec;
  const n = model.cache.rows;
  const active = model.cache.activeMasks.map((mask) => {
    let on = 0;
    for (let i = 0; i < n * m; i++) on += mask[i];
    return on;
  });
  let macs = n * m * d; // X A^T (inputs have no zeros)
  for (let l = 1; l <= L; l++) macs += active[l - 1] * m; // H_{l-1} W_l^T
  macs += active[L] * dOut; // H_L B^T
  macs += n * dOut * m; // r B
  for (let l = L; l >= 1; l--) macs += active[l] * m; // dP_l^T H_{l-1}
  for (let l = L; l >= 2; l--) macs += active[l] * m; // dP_l W_l
  const total = active.reduce((a, b) => a + b, 0);
  return { flops: 2 * macs, activeFraction: total / ((L + 1) * n * m) };
}

/** The engine's single-thread f32x4 multiply-add peak in GFLOP/s: the best of repeated timings over about `ms`. */
export function wasmPeakGflops(kernels: WasmKernels, ms = 400, now: () => number = () => performance.now()): number {
  kernels.fmaLoop(200_000); // tier up to the optimizing compiler
  const rounds = 1_000_000;
  let best = 0;
  const t0 = now();
  do {
    const t = now();
    kernels.fmaLoop(rounds);
    best = Math.max(best, (rounds * 96) / (now() - t) / 1e6);
  } while (now() - t0 < ms);
  return best;
}

/** Measures the roofline of the canonical step (a few real steps for the ReLU patterns). */
export function measureRoofline(
  env: string,
  kernels: WasmKernels,
  lr: number,
  coreWasmMs: number | null,
  shape: BenchShape = CANONICAL,
  coreWasmCpuMs?: number,
): Roofline {
  const stepper = makeCoreStepper(shape, kernels, lr);
  for (let i = 0; i < 5; i++) stepper.step();
  const { flops, activeFraction } = activeStepFlops(stepper.model);
  const peakGflops = wasmPeakGflops(kernels);
  return {
    env,
    peakGflops,
    nominalGflop: stepFlops(shape) / 1e9,
    activeGflop: flops / 1e9,
    activeFraction,
    floorMs: flops / peakGflops / 1e6,
    coreWasmMs,
    ...(coreWasmCpuMs !== undefined ? { coreWasmCpuMs } : {}),
  };
}

/** Lines for the report, with numpy's time from the same run when there is one. */
export function formatRoofline(r: Roofline, numpyMs: number | null): string[] {
  const lines = [
    `roofline, ${r.env}, one thread of wasm SIMD (canonical step):`,
    `  f32x4 multiply-add peak of this engine: ${r.peakGflops.toFixed(1)} GFLOP/s (register-only loop, best timing)`,
    `  the step: ${r.nominalGflop.toFixed(2)} GFLOP as dense products; ${r.activeGflop.toFixed(2)} GFLOP after skipping ReLU zeros (${(100 * r.activeFraction).toFixed(0)}% of ReLUs on)`,
    `  floor at 100% of peak: ${r.floorMs.toFixed(1)} ms/step` + (numpyMs !== null ? ` (numpy 1 thread: ${numpyMs.toFixed(1)} ms, ${(r.floorMs / numpyMs).toFixed(2)}x)` : ''),
  ];
  if (r.coreWasmMs !== null) {
    lines.push(
      `  core+wasm: ${r.coreWasmMs.toFixed(1)} ms/step = ${(r.activeGflop / r.coreWasmMs * 1e3).toFixed(1)} GFLOP/s of real work, ${((100 * r.floorMs) / r.coreWasmMs).toFixed(0)}% of peak`,
    );
  }
  if (r.coreWasmCpuMs !== undefined) {
    lines.push(`  core+wasm in process CPU time (less disturbed by other load): ${r.coreWasmCpuMs.toFixed(1)} ms/step, ${((100 * r.floorMs) / r.coreWasmCpuMs).toFixed(0)}% of peak`);
  }
  return lines;
}
