import { describe, expect, it } from 'vitest';
import { formatProfile, profileStep } from '../../src/bench/profile.ts';
import { activeStepFlops } from '../../src/bench/roofline.ts';
import { makeCoreStepper, type BenchShape } from '../../src/bench/steps.ts';
import { referenceKernels } from '../../src/net/kernels.ts';

const shape: BenchShape = { d: 6, m: 40, L: 3, n: 12, dOut: 1 };

describe('step profile', () => {
  it('sorts every kernel call of a step into its part, and counts the W products after zero skipping', () => {
    // a clock that advances 1 ms per reading: each timed kernel call then lasts exactly 1 ms
    let t = 0;
    const clock = () => ++t;
    const steps = 4;
    const gemm = referenceKernels.gemm;
    const p = profileStep(referenceKernels, 0.01, clock, steps, shape);
    expect(referenceKernels.gemm).toBe(gemm); // the shared kernels are wrapped, not patched
    const ms = Object.fromEntries(p.parts.map((x) => [x.part, x.ms]));
    const { L } = shape;
    // per step: L forward products, L gradients, L - 1 backward products (dH_0 is not needed: A is fixed),
    // L ReLU derivatives, L updates (W_1..W_L), and X A^T, H_L B^T, r B
    expect(ms).toEqual({
      'forward H W^T + ReLU': L,
      'gradient dP^T H': L,
      'backward dP W': L - 1,
      'input and output layers': 3,
      'ReLU derivative D dH': L,
      'update W -= eta grad': L,
    });
    expect(p.stepMs).toBe(2 * (5 * L + 2) + 1); // two readings per call (the 5 L + 2 above), one for the step

    // the same steps again: the W products' flops are the step's zero-skipping flops less the input and output layers'
    const stepper = makeCoreStepper(shape, referenceKernels, 0.01);
    for (let i = 0; i < 10 + steps; i++) stepper.step();
    const { n, d, m, dOut } = { ...shape, n: stepper.model.cache.rows };
    const activeLast = stepper.model.cache.activeMasks[L].reduce((a, b) => a + b, 0);
    const io = 2 * (n * m * d + activeLast * dOut + n * dOut * m);
    const w = p.parts.filter((x) => x.activeGflop > 0);
    expect(w.map((x) => x.part)).toEqual(['forward H W^T + ReLU', 'gradient dP^T H', 'backward dP W']);
    expect(w.reduce((a, x) => a + x.activeGflop, 0) * 1e9).toBeCloseTo(activeStepFlops(stepper.model).flops - io, 3);

    const text = formatProfile(p, 100, 'a test clock').join('\n');
    expect(text).toContain('a test clock');
    expect(text).toMatch(/forward H W\^T \+ ReLU +3\.00 ms \( ?\d+% of the step, \d+% of peak\)/);
    expect(text).toMatch(/update W -= eta grad +3\.00 ms \( ?\d+% of the step\)\n/);
  });
});
