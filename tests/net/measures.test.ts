import { describe, expect, it } from 'vitest';
import { HessianOps } from '../../src/net/hessian.ts';
import { distanceFromInit, flipFraction, semiSmoothness, snapshotActiveMasks, spectralNormOfDifference } from '../../src/net/measures.ts';
import { cloneParams } from '../../src/net/network.ts';
import { kernelSpectrum, tangentKernel } from '../../src/net/ntk.ts';
import { Rng } from '../../src/net/rng.ts';
import { Trainer } from '../../src/net/sgd.ts';
import { ALL_MEASURES, Instruments, NO_MEASURES } from '../../src/train/instruments.ts';
import { Run } from '../../src/train/run.ts';
import { buildModel, smallConfig, type Case } from './helpers.ts';

describe('semi-smoothness residual', () => {
  it('F(W - eta g) is the loss the next GD step actually reaches, and rho = rhoLinear + rhoRelu', () => {
    const c: Case = { arch: 'fc', L: 2, d: 5, m: 24, n: 6, dOut: 1, trainA: false, trainB: false, seed: 2 };
    const { model } = buildModel(c, 'f64');
    const lambdaMax = kernelSpectrum(tangentKernel(model), c.n).lambdaMax;
    const eta = 0.5 / lambdaMax;
    const trainer = new Trainer(model, { lr: eta, batch: c.n }, new Rng(1, 'batch'));
    const ops = new HessianOps(model);
    const copy = model.allocGrads();
    for (let t = 0; t < 5; t++) {
      const { loss } = trainer.evaluate();
      model.loss(null);
      const s = semiSmoothness(model, ops, trainer.grads, loss, eta, copy);
      trainer.update();
      expect(s.lossAfter).toBe(model.loss(null));
      expect(s.rho).toBeCloseTo(s.rhoLinear + s.rhoRelu, 12);
      // a step of eta = 0.5 / lambda_max at init decreases F: rho < 1
      expect(s.rho).toBeLessThan(1);
      expect(s.rhoLinear).toBeGreaterThan(0);
    }
  });

  it('the linear part matches 1/2 ||r - eta K r||^2 with K built explicitly', () => {
    const c: Case = { arch: 'resnet', L: 2, d: 4, m: 16, n: 5, dOut: 2, trainA: true, trainB: true, seed: 9 };
    const { model, spec } = buildModel(c, 'f64');
    const N = c.n * c.dOut;
    const K = tangentKernel(model);
    const grads = model.allocGrads();
    const loss = model.lossAndGrad(grads, null);
    const r = Float64Array.from(model.residual.subarray(0, N));
    const eta = 1e-3;
    let lin = 0;
    for (let i = 0; i < N; i++) {
      let kr = 0;
      for (let j = 0; j < N; j++) kr += K[i * N + j] * r[j];
      lin += (r[i] - eta * kr) ** 2;
    }
    const s = semiSmoothness(model, new HessianOps(model), grads, loss, eta, model.allocGrads());
    expect(s.lossLinear).toBeCloseTo(lin / 2, 10);
    expect(spec.trainA).toBe(true);
  });
});

describe('distance from init and flips', () => {
  it('spectral norm of a known difference', () => {
    // P - Q = diag(3, -5, 1) padded into 3 x 4
    const P = new Float64Array(12);
    const Q = new Float64Array(12);
    P[0] = 3;
    P[5] = -5;
    P[10] = 1;
    expect(spectralNormOfDifference(P, Q, 3, 4)).toBeCloseTo(5, 6);
  });

  it('Frobenius distance, relative distance and flips are zero at init and grow with training', () => {
    const c: Case = { arch: 'fc', L: 2, d: 5, m: 16, n: 6, dOut: 1, trainA: false, trainB: false, seed: 4 };
    const { model, spec } = buildModel(c, 'f64');
    const W0 = cloneParams(model.params);
    model.loss(null);
    const masks0 = snapshotActiveMasks(model);
    const d0 = distanceFromInit(model, W0, true);
    expect(d0.distFro).toBe(0);
    expect(d0.distSpec).toBe(0);
    expect(flipFraction(model, masks0).flipFrac).toBe(0);
    const lambdaMax = kernelSpectrum(tangentKernel(model), c.n).lambdaMax;
    const trainer = new Trainer(model, { lr: 1 / lambdaMax, batch: c.n }, new Rng(1, 'batch'));
    for (let t = 0; t < 50; t++) trainer.update();
    const d = distanceFromInit(model, W0, true);
    let diff2 = 0;
    let init2 = 0;
    W0.W.forEach((w, l) => w.forEach((x, i) => ((diff2 += (model.params.W[l][i] - x) ** 2), (init2 += x * x))));
    expect(d.distFro).toBeCloseTo(Math.sqrt(diff2), 12);
    expect(d.distRel).toBeCloseTo(Math.sqrt(diff2 / init2), 12);
    // ||D||_2 <= ||D||_F and max_l ||D_l||_2 >= ||D||_F / sqrt(L * rank)
    expect(d.distSpec).toBeLessThanOrEqual(d.distFro + 1e-12);
    expect(d.distSpec).toBeGreaterThan(d.distFro / Math.sqrt(c.L * c.m));
    model.loss(null);
    const f = flipFraction(model, masks0);
    expect(f.flipFracPerLayer[0]).toBe(0); // A is not trained: layer 0 cannot flip
    let flips = 0;
    for (let l = 1; l <= c.L; l++) for (let i = 0; i < c.n * c.m; i++) flips += model.cache.activeMasks[l][i] !== masks0[l][i] ? 1 : 0;
    expect(f.flipFrac).toBeCloseTo(flips / (c.L * c.n * c.m), 12);
    expect(spec.L).toBe(2);
  });
});

describe('Instruments', () => {
  it('measuring never changes the trajectory', () => {
    const config = smallConfig({ m: 48, steps: 25, every: 1 });
    const plain = new Run(config);
    const measured = new Run(config);
    const inst = new Instruments(measured, ALL_MEASURES);
    const quiet = new Instruments(plain, NO_MEASURES);
    for (let t = 0; t < 25; t++) {
      const a = quiet.measure();
      const b = inst.measure();
      expect(b.loss).toBe(a.loss);
      expect(b.gradNorm).toBe(a.gradNorm);
      plain.update();
      measured.update();
    }
  });

  it('PL ratio sits above its kernel floor 2 lambda_min(K_t), and NTK drift starts at 0', () => {
    const run = new Run(smallConfig({ m: 64, steps: 40 }));
    const inst = new Instruments(run, ALL_MEASURES);
    for (let t = 0; t <= 40; t++) {
      const rec = inst.measure();
      if (t === 0) expect(rec.ntkDrift).toBe(0);
      // ||g||^2 = r^T K r >= lambda_min ||r||^2 = 2 lambda_min F
      expect(rec.plRatio!).toBeGreaterThanOrEqual(rec.twoLambdaMin! * (1 - 1e-4));
      expect(rec.plRatio!).toBeLessThanOrEqual(2 * rec.lambdaMax! * (1 + 1e-4));
      run.update();
    }
    expect(inst.measure().ntkDrift!).toBeGreaterThan(0);
  });
});
