import { describe, expect, test } from 'vitest';
import { makeDataset } from '../../src/net/data.ts';
import { Rng } from '../../src/net/rng.ts';
import { makeTeacherData, meanHalfSquaredError, teacherOutputs } from '../../src/net/teacher.ts';
import { DEFAULT_CONFIG, type RunConfig } from '../../src/train/config.ts';
import { Run } from '../../src/train/run.ts';
import { TestBench } from '../../src/train/generalization.ts';

const SPEC = { n: 24, d: 5, dOut: 2, k: 4, noise: 0, testN: 300 };

describe('smooth teacher and its held-out test set', () => {
  test('a predictor that outputs the teacher exactly has test loss 0, even when the training labels are noisy', () => {
    const { teacher, train, test } = makeTeacherData({ ...SPEC, n: 4000, noise: 0.5 }, 3);
    expect(meanHalfSquaredError(teacherOutputs(teacher, test.X, test.n), test.Y, test.n)).toBe(0);
    // the same predictor on the training points sees the noise: E 1/2 ||eps||^2 = dOut sigma^2 / 2 = 0.25
    const trainLoss = meanHalfSquaredError(teacherOutputs(teacher, train.X, train.n), train.Y, train.n);
    expect(trainLoss).toBeGreaterThan(0.25 * 0.9);
    expect(trainLoss).toBeLessThan(0.25 * 1.1);
    // and the teacher is scaled to unit mean square over the sphere (checked on the fresh test points)
    const ms = test.Y.reduce((s, y) => s + y * y, 0) / test.Y.length;
    expect(ms).toBeGreaterThan(0.8);
    expect(ms).toBeLessThan(1.2);
  });

  test('the test set comes from its own stream: training data are the same whatever the test set, and vice versa', () => {
    const a = makeTeacherData(SPEC, 7);
    const b = makeTeacherData({ ...SPEC, testN: 50 }, 7);
    const c = makeTeacherData({ ...SPEC, n: 40 }, 7);
    expect(b.train.X).toEqual(a.train.X);
    expect(b.train.Y).toEqual(a.train.Y);
    expect(b.test.X).toEqual(a.test.X.subarray(0, 50 * SPEC.d)); // fewer test points: a prefix of the same stream
    expect(c.test.X).toEqual(a.test.X); // more training points do not move the test set
    // the training inputs are the data stream's, the same points the other label kinds get
    expect(a.train.X).toEqual(makeDataset({ n: SPEC.n, d: SPEC.d, dOut: SPEC.dOut, labels: 'gaussian' }, new Rng(7, 'data')).X);
    // no test point is a training point
    for (let t = 0; t < a.test.n; t++) {
      for (let i = 0; i < a.train.n; i++) {
        let dist = 0;
        for (let k = 0; k < SPEC.d; k++) dist += (a.test.X[t * SPEC.d + k] - a.train.X[i * SPEC.d + k]) ** 2;
        expect(dist).toBeGreaterThan(1e-8);
      }
    }
    // another seed: another teacher and another test set
    const other = makeTeacherData(SPEC, 8);
    expect(other.test.X).not.toEqual(a.test.X);
    expect(other.test.Y).not.toEqual(a.test.Y);
  });

  test('a run with a teacher: the init and batch seeds leave its test set alone; noise changes only the training labels', () => {
    const base: RunConfig = { ...DEFAULT_CONFIG, m: 16, n: 12, d: 4, teacher: 3, testN: 40, batch: 4 };
    const r1 = new Run(base);
    const r2 = new Run({ ...base, initSeed: 9, batchSeed: 9 });
    const r3 = new Run({ ...base, noise: 0.3 });
    expect(r2.testSet!.X).toEqual(r1.testSet!.X);
    expect(r2.testSet!.Y).toEqual(r1.testSet!.Y);
    expect(r3.testSet!.Y).toEqual(r1.testSet!.Y);
    expect(r3.data.X).toEqual(r1.data.X);
    expect(r3.data.Y).not.toEqual(r1.data.Y);
    expect(new Run(DEFAULT_CONFIG).testSet).toBeNull();
  });

  test('the test bench measures the network against f* on the test points (its own forward pass, float64)', () => {
    const run = new Run({ ...DEFAULT_CONFIG, m: 16, n: 8, d: 4, teacher: 2, testN: 30 }, undefined, 'f64');
    const bench = new TestBench(run);
    for (let s = 0; s < 5; s++) run.update();
    // the same loss from a model of the same weights on the test data, by hand
    const probe = new Run({ ...run.config, n: 30, teacher: 0 }, undefined, 'f64');
    probe.model.params.W.forEach((w, l) => w.set(run.model.params.W[l]));
    probe.model.params.A.set(run.model.params.A);
    probe.model.params.B.set(run.model.params.B);
    probe.model.setTargets(run.testSet!.Y);
    (probe.model.data as { X: Float64Array }).X.set(run.testSet!.X);
    expect(bench.testLoss()).toBeCloseTo(probe.model.loss(null) / 30, 12);
  });
});
