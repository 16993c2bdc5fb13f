import { describe, expect, test } from 'vitest';
import { backward } from '../../src/net/backward.ts';
import { forward } from '../../src/net/forward.ts';
import { jointTangentKernel, kernelRegression, stackRows } from '../../src/net/kernelRegression.ts';
import { referenceKernels } from '../../src/net/kernels.ts';
import { Model } from '../../src/net/model.ts';
import { initParams, trainedTensors, type NetSpec } from '../../src/net/network.ts';
import { Rng } from '../../src/net/rng.ts';
import { makeTeacherData } from '../../src/net/teacher.ts';

/** The Jacobian of the outputs on `rows` points w.r.t. the trained weights, one row per (point, output), by backward passes of unit outputs. */
function jacobian(model: Model): Float64Array[] {
  const { spec, params, kernels, cache, scratch } = model;
  const n = model.loadRows(null);
  const rows: Float64Array[] = [];
  const grads = model.allocGrads();
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < spec.dOut; a++) {
      forward(spec, params, kernels, cache, n);
      const dY = new Float64Array(n * spec.dOut);
      dY[i * spec.dOut + a] = 1;
      backward(spec, params, kernels, cache, dY, scratch, grads, 1);
      const flat: number[] = [];
      for (const g of trainedTensors(spec, grads)) flat.push(...g);
      rows.push(Float64Array.from(flat));
    }
  }
  return rows;
}

const dot = (u: Float64Array, v: Float64Array) => u.reduce((s, x, i) => s + x * v[i], 0);

describe('the tangent-kernel predictor', () => {
  for (const [label, spec] of [
    ['fc, one output', { arch: 'fc', d: 4, m: 12, L: 2, dOut: 1, tau: 0.3, trainA: false, trainB: false }],
    ['resnet, two outputs, A and B trained', { arch: 'resnet', d: 3, m: 10, L: 1, dOut: 2, tau: 0.5, trainA: true, trainB: true }],
  ] as [string, NetSpec][]) {
    test(`equals gradient descent on the network linearized at W_0, run to convergence (${label}, float64)`, () => {
      const { train, test: held } = makeTeacherData({ n: 6, d: spec.d, dOut: spec.dOut, k: 3, noise: 0.1, testN: 5 }, 4);
      const params = initParams(spec, new Rng(4, 'init'), 'f64');
      const joint = jointTangentKernel(spec, params, referenceKernels, train, held, 'f64');
      const N = joint.N;
      const r = Float64Array.from(train.Y, (y, i) => y - joint.out0[i]);
      const kernelPred = Float64Array.from(kernelRegression(joint, r), (v, t) => joint.out0[N + t] + v);

      // Independently: the explicit Jacobian J of every output at W_0, and GD on
      // 1/2 ||f_0(X) + J_train v - y||^2 over the weight change v, from v = 0.
      const all = { n: train.n + held.n, d: spec.d, dOut: spec.dOut, X: stackRows(train.X, held.X), Y: new Float64Array((train.n + held.n) * spec.dOut) };
      const J = jacobian(new Model(spec, params, referenceKernels, all, 'f64'));
      const P = J[0].length;
      const Jtr = J.slice(0, N);
      // step 1 / lambda_max(J J^T), by power iteration on the train Gram matrix
      let u = new Float64Array(N).fill(1);
      let lmax = 0;
      for (let it = 0; it < 200; it++) {
        const w = Float64Array.from(Jtr, (ji) => Jtr.reduce((s, jj, j) => s + dot(ji, jj) * u[j], 0));
        lmax = Math.hypot(...w) / Math.hypot(...u);
        u = w.map((x) => x / lmax);
      }
      const eta = 1 / lmax;
      const v = new Float64Array(P);
      let residualNorm = Infinity;
      for (let it = 0; it < 200_000 && residualNorm > 1e-13; it++) {
        const res = Jtr.map((ji, i) => joint.out0[i] + dot(ji, v) - train.Y[i]);
        residualNorm = Math.hypot(...res);
        for (let i = 0; i < N; i++) for (let p = 0; p < P; p++) v[p] -= eta * res[i] * Jtr[i][p];
      }
      expect(residualNorm).toBeLessThan(1e-12);
      const gdPred = J.slice(N).map((jt, t) => joint.out0[N + t] + dot(jt, v));
      const scale = Math.hypot(...gdPred);
      const err = Math.hypot(...gdPred.map((p, t) => p - kernelPred[t]));
      expect(err / scale).toBeLessThan(1e-6);
      // and it is not a trivial predictor: it moved the outputs away from f_0 at the test points
      expect(Math.hypot(...gdPred.map((p, t) => p - joint.out0[N + t])) / scale).toBeGreaterThan(1e-2);
    }, 120_000);
  }
});
