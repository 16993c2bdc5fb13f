import { describe, expect, test } from 'vitest';
import { hiddenGradientNorms } from '../../src/net/rnnGradientFlow.ts';
import { DEFAULT_CONFIG, type RunConfig } from '../../src/train/config.ts';
import { ALL_MEASURES, Instruments } from '../../src/train/instruments.ts';
import { ProbeHost, type ProbeResult } from '../../src/train/probes.ts';
import { growthKind, perStepGrowth } from '../../src/train/rnnGrowth.ts';
import { Run } from '../../src/train/run.ts';

const rnnConfig = (over: Partial<RunConfig> = {}): RunConfig => ({ ...DEFAULT_CONFIG, arch: 'rnn', T: 5, m: 64, n: 6, d: 4, ...over });

describe('instruments on the RNN', () => {
  test('PL ratio >= 2 lambda_min(K), the rho split adds up, flips per time step, distance and drift grow from 0', () => {
    const run = new Run(rnnConfig());
    const inst = new Instruments(run, ALL_MEASURES);
    const r0 = inst.measure();
    expect(r0.distFro).toBe(0);
    expect(r0.flipFrac).toBe(0);
    expect(r0.ntkDrift).toBe(0);
    for (let s = 0; s < 40; s++) run.update();
    const r = inst.measure();
    for (const rec of [r0, r]) {
      // ||grad F||^2 = r^T K r >= 2 lambda_min(K) F
      expect(rec.plRatio!).toBeGreaterThanOrEqual(rec.twoLambdaMin! * (1 - 1e-4));
      expect(Math.abs(rec.rho! - rec.rhoLinear! - rec.rhoRelu!)).toBeLessThan(1e-6 + 1e-3 * Math.abs(rec.rho!));
    }
    expect(r.loss).toBeLessThan(r0.loss);
    expect(r.rho!).toBeLessThan(1); // the step decreased F
    expect(r.flipFracPerLayer!.length).toBe(5); // one per time step
    expect(r.flipFracPerLayer![0]).toBe(0); // h_1 = ReLU(A x_1) does not depend on W
    expect(r.distFro!).toBeGreaterThan(0);
    expect(r.distSpecPerLayer!.length).toBe(1); // the one shared W
    expect(r.ntkDrift!).toBeGreaterThan(0);
    expect(r.lambdaMin!).toBeGreaterThan(0);
  });

  test('the hidden-gradient probe: T norms now and at initialization, the latter fixed as training goes on', () => {
    const run = new Run(rnnConfig({ T: 7 }));
    const fresh = hiddenGradientNorms(new Run(rnnConfig({ T: 7 })).model);
    const host = new ProbeHost(run);
    const ask = (): Extract<ProbeResult, { kind: 'hiddenGradients' }> => {
      const res = host.start({ kind: 'hiddenGradients' }).advance(Infinity);
      if (res.kind !== 'hiddenGradients') throw new Error(res.kind);
      return res;
    };
    const a = ask();
    expect(a.T).toBe(7);
    expect(Array.from(a.total0)).toEqual(Array.from(fresh.total));
    expect(Array.from(a.total)).toEqual(Array.from(fresh.total));
    for (let s = 0; s < 30; s++) run.update();
    const b = ask();
    expect(b.step).toBe(30);
    expect(Array.from(b.total0)).toEqual(Array.from(fresh.total));
    expect(Array.from(b.total)).not.toEqual(Array.from(fresh.total));
    // the probe works on a copy: the run's loss is where it was
    expect(run.evaluate().loss).toBe(run.evaluate().loss);
  });
});

describe('per-step growth of the gradient over time', () => {
  test('recovers the factor of a geometric sequence, with an interval that holds it', () => {
    for (const gamma of [0.7, 1, 1.3]) {
      const T = 12;
      const wobble = [1, 1.05, 0.97, 1.02, 0.99, 1.04, 0.96, 1.01, 1.0, 0.98, 1.03, 1.0];
      const g = Array.from({ length: T }, (_, i) => 5 * gamma ** (T - 1 - i) * wobble[i]);
      const fit = perStepGrowth(g)!;
      expect(Math.abs(fit.factor - gamma)).toBeLessThan(0.02);
      expect(fit.lo).toBeLessThanOrEqual(fit.factor);
      expect(fit.hi).toBeGreaterThanOrEqual(fit.factor);
      expect(growthKind(fit)).toBe(gamma > 1 ? 'explodes' : gamma < 1 ? 'vanishes' : 'neither');
    }
    expect(perStepGrowth([1, 2])).toBeNull();
    // a noisy short sequence whose interval straddles the line says so
    expect(growthKind({ factor: 1.05, lo: 0.9, hi: 1.2, span: 9 })).toBe('unclear');
  });
});

describe('the outputs probe on the RNN', () => {
  test('targets are y_{i,t} for t = 2..T in the residual layout, and outputs at init are yhat_{i,t}', () => {
    const run = new Run(rnnConfig({ T: 4, dOut: 2, n: 3 }));
    const host = new ProbeHost(run);
    const res = host.start({ kind: 'outputs' }).advance(Infinity);
    if (res.kind !== 'outputs') throw new Error(res.kind);
    expect(res.N).toBe(3 * 3 * 2);
    const { Y } = run.data;
    // example 1, step t = 3 (index 1 among t = 2..4), output 1
    expect(res.targets[1 * 6 + 1 * 2 + 1]).toBe(Y[(1 * 4 + 2) * 2 + 1]);
    run.model.loss(null);
    for (let i = 0; i < res.N; i++) expect(res.outputs0[i]).toBeCloseTo(run.model.cache.out[i], 4);
  });
});
