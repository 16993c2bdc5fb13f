import { describe, expect, it } from 'vitest';
import { activeStepFlops, formatRoofline, measureRoofline, wasmPeakGflops } from '../../src/bench/roofline.ts';
import { makeCoreStepper, stepFlops, type BenchShape } from '../../src/bench/steps.ts';
import { referenceKernels, type MatrixKernels } from '../../src/net/kernels.ts';
import type { Vec } from '../../src/net/tensor.ts';
import { createWasmKernels } from '../../src/net/wasmKernels.ts';

const shape: BenchShape = { d: 6, m: 40, L: 3, n: 12, dOut: 1 };

/** The reference kernels, counting the multiply-adds a zero-skipping product does: nnz(op(A)) x N. */
function countingKernels(): { kernels: MatrixKernels; macs: () => number; reset: () => void } {
  let macs = 0;
  const kernels: MatrixKernels = {
    ...referenceKernels,
    gemm(transA, transB, M, N, K, alpha, a: Vec, b: Vec, beta, c: Vec) {
      let nnz = 0;
      for (let i = 0; i < M * K; i++) if (a[i] !== 0) nnz++; // op(A) has the same entries as A
      macs += nnz * N;
      referenceKernels.gemm(transA, transB, M, N, K, alpha, a, b, beta, c);
    },
  };
  return { kernels, macs: () => macs, reset: () => (macs = 0) };
}

describe('roofline', () => {
  it("counts the step's multiply-adds after zero skipping exactly as the products see them", () => {
    const counter = countingKernels();
    const stepper = makeCoreStepper(shape, counter.kernels, 0.01);
    stepper.step();
    counter.reset();
    stepper.step(); // one step: forward, backward, update
    const { flops, activeFraction } = activeStepFlops(stepper.model);
    expect(flops).toBe(2 * counter.macs());
    expect(flops).toBeLessThan(0.8 * stepFlops(shape)); // about half the ReLUs are off
    expect(activeFraction).toBeGreaterThan(0.3);
    expect(activeFraction).toBeLessThan(0.7);
  });

  it('times the engine peak with the clock it is given, and turns it into a floor', async () => {
    const wasm = (await createWasmKernels())!;
    let t = 0;
    const fakeClock = () => (t += 1); // every timed call of 1e6 x 96 flops "takes" 1 ms
    expect(wasmPeakGflops(wasm, 10, fakeClock)).toBeCloseTo(96, 6);
    const real = wasmPeakGflops(wasm, 50);
    // a real measurement: a positive, finite rate (how fast is the bench's business, not a test's)
    expect(Number.isFinite(real) && real > 0).toBe(true);
    const r = measureRoofline('test', wasm, 0.01, 12.5, shape);
    expect(r.floorMs).toBeCloseTo((r.activeGflop / r.peakGflops) * 1e3, 9);
    expect(r.nominalGflop).toBeCloseTo(stepFlops(shape) / 1e9, 12);
    const text = formatRoofline(r, 10).join('\n');
    expect(text).toContain('numpy 1 thread: 10.0 ms');
    expect(text).toContain('core+wasm: 12.5 ms/step');
    expect(text).not.toContain('CPU time'); // none given
    expect(measureRoofline('test', wasm, 0.01, 12.5, shape, 7).coreWasmCpuMs).toBe(7);
    const cpu = formatRoofline({ ...r, coreWasmCpuMs: 2 * r.floorMs }, 10).join('\n');
    expect(cpu).toContain(`core+wasm in process CPU time (less disturbed by other load): ${(2 * r.floorMs).toFixed(1)} ms/step, 50% of peak`);
  });
});
