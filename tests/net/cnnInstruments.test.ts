import { describe, expect, it } from 'vitest';
import { referenceKernels } from '../../src/net/kernels.ts';
import { flipFraction, snapshotActiveMasks } from '../../src/net/measures.ts';
import { exampleUnits } from '../../src/net/network.ts';
import { tangentKernel } from '../../src/net/ntk.ts';
import { createWasmKernels } from '../../src/net/wasmKernels.ts';
import { DEFAULT_CONFIG, type RunConfig } from '../../src/train/config.ts';
import { ALL_MEASURES, Instruments } from '../../src/train/instruments.ts';
import { Run } from '../../src/train/run.ts';
import { buildModel, label, type Case } from './helpers.ts';
import { expectProductsMatchDifferences } from './productsCheck.ts';
import { expectTangentKernelIdentity, kernelTolerances } from './tangentKernelCheck.ts';

/** The instruments on the CNN (src/net/cnn.ts, cnnNtk.ts, cnnHessian.ts): the same identities as for the FC net. */
const cases: Case[] = [];
for (const arch of ['cnn', 'cnn-resnet'] as const)
  for (const [window, d, dOut, train] of [
    [3, 2, 1, false],
    [1, 3, 2, true],
    [3, 1, 2, true],
  ] as const)
    cases.push({ arch, L: 2, window, d, q: 5, m: 12, n: 5, dOut, trainA: train, trainB: train, seed: 60 + window + d });

describe.each(kernelTolerances)('CNN tangent kernel: ||grad F||^2 = r^T K r (%s)', (precision, tol) => {
  it.each(cases.map((c) => [label(c), c] as const))('%s', (_name, c) => {
    const { model } = buildModel(c, precision);
    // and ||J^T v||^2 = v^T K v on 2 random output vectors v, J^T v by one backward pass
    expectTangentKernelIdentity(model, tangentKernel(model), tol, c.seed, 2);
  });
});

describe('CNN Jacobian- and Hessian-vector products (float64) vs finite differences', () => {
  it.each(cases.map((c) => [label(c), c] as const))('%s', (_name, c) => {
    expectProductsMatchDifferences(buildModel(c, 'f64').model, c.seed);
  });
});

const cnnConfig = (over: Partial<RunConfig> = {}): RunConfig => ({ ...DEFAULT_CONFIG, arch: 'cnn', d: 2, q: 8, window: 3, m: 64, L: 2, n: 12, steps: 60, ...over });

describe('CNN runs', () => {
  it('wasm and TypeScript kernels give the same loss curve to float32 tolerance', async () => {
    const wasm = await createWasmKernels();
    expect(wasm).not.toBeNull();
    for (const arch of ['cnn', 'cnn-resnet'] as const) {
      const config = cnnConfig({ arch, m: 96 });
      const a = new Run(config, referenceKernels);
      const b = new Run(config, wasm!);
      expect(b.model.kernels.name).toMatch(/^wasm/);
      expect(Math.abs(a.lr - b.lr)).toBeLessThanOrEqual(1e-5 * a.lr);
      const f0 = a.evaluate().loss;
      for (let t = 0; t < 60; t++) {
        const fa = a.evaluate().loss;
        const fb = b.evaluate().loss;
        // float32 rounding differences compound along the run: relative to F_0, small
        expect(Math.abs(fa - fb)).toBeLessThanOrEqual(1e-4 * f0 + 1e-3 * fa);
        a.update();
        b.update();
      }
      expect(a.evaluate().loss).toBeLessThan(0.05 * f0);
    }
  });

  it('instruments: PL ratio above 2 lambda_min(K_t), flips counted over every (sample, position, channel) ReLU', () => {
    const run = new Run(cnnConfig({ arch: 'cnn-resnet', trainA: true }));
    const inst = new Instruments(run, ALL_MEASURES);
    const masks0 = snapshotActiveMasks(run.model);
    expect(masks0[0].length).toBe(run.config.n * exampleUnits(run.spec));
    for (let t = 0; t <= 30; t++) {
      const rec = inst.measure();
      expect(rec.plRatio!).toBeGreaterThanOrEqual(rec.twoLambdaMin! * (1 - 1e-4));
      expect(rec.plRatio!).toBeLessThanOrEqual(2 * rec.lambdaMax! * (1 + 1e-4));
      // rho splits into its linear and ReLU parts
      expect(Math.abs(rec.rho! - rec.rhoLinear! - rec.rhoRelu!)).toBeLessThan(1e-6);
      run.update();
    }
    const rec = inst.measure();
    expect(rec.ntkDrift!).toBeGreaterThan(0);
    expect(rec.distFro!).toBeGreaterThan(0);
    expect(rec.distSpec!).toBeGreaterThan(0);
    // a flip anywhere in the last position of the last sample is seen
    run.model.loss(null);
    const flips = flipFraction(run.model, masks0);
    const last = run.model.cache.activeMasks[2];
    const count = run.config.n * exampleUnits(run.spec);
    last[count - 1] ^= 1;
    expect(flipFraction(run.model, masks0).flipFracPerLayer[2]).not.toBe(flips.flipFracPerLayer[2]);
  });
});
