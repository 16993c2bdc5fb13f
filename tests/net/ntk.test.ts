import { describe, expect, test } from 'vitest';
import { symmetricEigenvalues } from '../../src/net/eigen.ts';
import { kernelSpectrum, tangentKernel } from '../../src/net/ntk.ts';
import { Rng } from '../../src/net/rng.ts';
import { buildModel, label, type Case } from './helpers.ts';
import { expectTangentKernelIdentity, kernelTolerances, pulledBackNormSq } from './tangentKernelCheck.ts';

const cases: Case[] = [];
for (const arch of ['fc', 'resnet'] as const)
  for (const train of [false, true])
    for (const dOut of [1, 2])
      cases.push({ arch, L: 2, m: 24, d: 5, n: 7, dOut, trainA: train, trainB: train, seed: 40 + dOut + (train ? 2 : 0) });
cases.push({ arch: 'fc', L: 3, m: 16, d: 4, n: 6, dOut: 2, trainA: true, trainB: false, seed: 51 });
cases.push({ arch: 'resnet', L: 1, m: 16, d: 4, n: 6, dOut: 3, trainA: false, trainB: true, seed: 52 });

describe.each(kernelTolerances)('tangent kernel: ||grad F||^2 = r^T K r (%s)', (precision, tol) => {
  test.each(cases.map((c) => [label(c), c] as const))('%s', (_name, c) => {
    const { model } = buildModel(c, precision);
    const N = c.n * c.dOut;
    const K = tangentKernel(model);
    expect(K.length).toBe(N * N);
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) expect(K[i * N + j]).toBe(K[j * N + i]);
    expectTangentKernelIdentity(model, K, tol, c.seed, 3);
    // and on unit vectors: the diagonal is each output's squared gradient norm
    const e = new Float64Array(N);
    e[N - 1] = 1;
    const kk = pulledBackNormSq(model, e);
    expect(Math.abs(K[N * N - 1] - kk)).toBeLessThanOrEqual(tol * kk);
    const spec = kernelSpectrum(K, N);
    expect(spec.lambdaMin).toBeGreaterThan(-tol * spec.lambdaMax); // positive semi-definite
    expect(spec.lambdaMax).toBeCloseTo(spec.eigenvalues[N - 1], 12);
  });
});

/** A random orthogonal matrix: Gram-Schmidt (twice, for float64 orthogonality) on Gaussian columns. */
function randomOrthogonal(N: number, rng: Rng): Float64Array {
  const Q = new Float64Array(N * N); // column c is Q[k * N + c]
  for (let c = 0; c < N; c++) {
    for (let k = 0; k < N; k++) Q[k * N + c] = rng.normal();
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < c; p++) {
        let s = 0;
        for (let k = 0; k < N; k++) s += Q[k * N + c] * Q[k * N + p];
        for (let k = 0; k < N; k++) Q[k * N + c] -= s * Q[k * N + p];
      }
    }
    let norm = 0;
    for (let k = 0; k < N; k++) norm += Q[k * N + c] ** 2;
    norm = Math.sqrt(norm);
    for (let k = 0; k < N; k++) Q[k * N + c] /= norm;
  }
  return Q;
}

/** Q diag(lambda) Q^T */
function withSpectrum(lambda: number[], rng: Rng): Float64Array {
  const N = lambda.length;
  const Q = randomOrthogonal(N, rng);
  const M = new Float64Array(N * N);
  for (let i = 0; i < N; i++)
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < N; k++) s += Q[i * N + k] * lambda[k] * Q[j * N + k];
      M[i * N + j] = s;
    }
  // exact symmetry
  for (let i = 0; i < N; i++) for (let j = 0; j < i; j++) M[i * N + j] = M[j * N + i];
  return M;
}

function expectSpectrum(M: Float64Array, lambda: number[], tol = 1e-11): void {
  const N = lambda.length;
  const got = symmetricEigenvalues(M, N);
  const want = [...lambda].sort((a, b) => a - b);
  const scale = Math.max(1, ...want.map(Math.abs));
  expect(got.length).toBe(N);
  for (let i = 0; i < N; i++) expect(Math.abs(got[i] - want[i]), `eigenvalue ${i}: ${got[i]} vs ${want[i]}`).toBeLessThanOrEqual(tol * scale);
}

describe('symmetricEigenvalues', () => {
  const rng = new Rng(77, 'landscape');

  test('diagonal matrices, returned ascending', () => {
    for (const lambda of [[3], [2, -1], [5, 1, 4, 1, -2, 0, 9]]) {
      const N = lambda.length;
      const M = new Float64Array(N * N);
      lambda.forEach((v, i) => (M[i * N + i] = v));
      expectSpectrum(M, lambda, 0);
    }
  });

  test('does not modify its input', () => {
    const M = withSpectrum([1, 2, 3], rng);
    const copy = M.slice();
    symmetricEigenvalues(M, 3);
    expect(Array.from(M)).toEqual(Array.from(copy));
  });

  test.each([
    ['1x1', [-4.5]],
    ['2x2', [0.3, 7]],
    ['2x2 repeated', [2, 2]],
    ['7x7 mixed signs', [-3, -1, 0, 0.5, 2, 2.5, 10]],
    ['7x7 repeated', [1, 1, 1, 4, 4, 9, 9]],
    ['50x50 spread', Array.from({ length: 50 }, (_, i) => Math.exp(-i / 5))],
    ['50x50 repeated clusters', Array.from({ length: 50 }, (_, i) => [0, 1, 1e-3, 5][i % 4])],
    ['50x50 indefinite', Array.from({ length: 50 }, (_, i) => i - 24.5)],
  ])('Q diag Q^T: %s', (_name, lambda) => {
    expectSpectrum(withSpectrum(lambda, rng), lambda, 1e-12 * lambda.length);
  });

  test('zero matrix and a rank-one matrix', () => {
    expectSpectrum(new Float64Array(16), [0, 0, 0, 0], 0);
    const u = [1, 2, 3, 4];
    const M = Float64Array.from({ length: 16 }, (_, k) => u[Math.floor(k / 4)] * u[k % 4]);
    expectSpectrum(M, [0, 0, 0, 30]);
  });

  test('a wrong spectrum is detected (the check can fail)', () => {
    const M = withSpectrum([1, 2, 3, 4], rng);
    expect(() => expectSpectrum(M, [1, 2, 3, 4.001])).toThrow();
  });
});
