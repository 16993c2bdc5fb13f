import { describe, expect, it } from 'vitest';
import { jacobiEigen, lanczosSmallest } from '../../src/net/eigen.ts';
import { interpolation, Probe, slice1d } from '../../src/net/landscape.ts';
import { coarseToFineOrder, LandscapeGrid } from '../../src/net/landscapeGrid.ts';
import { filterNormalizedPlane, pcaPlane } from '../../src/net/landscapePlanes.ts';
import { cloneParams, trainedTensors } from '../../src/net/network.ts';
import { kernelSpectrum, tangentKernel } from '../../src/net/ntk.ts';
import { pDot, pFlatten, pUnflatten } from '../../src/net/paramVec.ts';
import { Rng } from '../../src/net/rng.ts';
import { Trainer } from '../../src/net/sgd.ts';
import { buildModel, type Case } from './helpers.ts';
import { expectGradientCurvaturePlane } from './planeCheck.ts';

const base: Case = { arch: 'fc', L: 2, d: 5, m: 16, n: 6, dOut: 1, trainA: false, trainB: false, seed: 7 };

function trained(steps: number, precision: 'f32' | 'f64' = 'f32') {
  const built = buildModel(base, precision);
  const W0 = cloneParams(built.model.params);
  const lambdaMax = kernelSpectrum(tangentKernel(built.model), base.n).lambdaMax;
  const trainer = new Trainer(built.model, { lr: 0.5 / lambdaMax, batch: base.n }, new Rng(1, 'batch'));
  const snapshots: Float64Array[] = [];
  for (let t = 0; t < steps; t++) {
    snapshots.push(pFlatten(built.spec, built.model.params));
    trainer.update();
  }
  return { ...built, W0, trainer, snapshots };
}

describe('jacobiEigen and Lanczos', () => {
  it('jacobiEigen returns A v = lambda v for a random symmetric matrix', () => {
    const N = 9;
    const rng = new Rng(3);
    const A = new Float64Array(N * N);
    for (let i = 0; i < N; i++) for (let j = i; j < N; j++) A[i * N + j] = A[j * N + i] = rng.normal();
    const { values, vectors } = jacobiEigen(A, N);
    for (let k = 0; k < N; k++) {
      for (let i = 0; i < N; i++) {
        let av = 0;
        for (let j = 0; j < N; j++) av += A[i * N + j] * vectors[j * N + k];
        expect(av).toBeCloseTo(values[k] * vectors[i * N + k], 9);
      }
      if (k > 0) expect(values[k]).toBeGreaterThanOrEqual(values[k - 1]);
    }
  });

  it('Lanczos finds the smallest eigenpair of a known diagonal operator on weight space', () => {
    const { model, spec } = buildModel({ ...base, m: 8 }, 'f64');
    // operator: multiply coordinate i by lambda_i = 1 + i, except one coordinate at -3
    const P = pFlatten(spec, model.params).length;
    const lambdas = Float64Array.from({ length: P }, (_, i) => 1 + (i % 50) / 10);
    lambdas[37] = -3;
    const apply = (x: typeof model.params, out: typeof model.params) => {
      const fx = pFlatten(spec, x);
      pUnflatten(spec, fx.map((v, i) => v * lambdas[i]), out);
    };
    const { vector, value } = lanczosSmallest(spec, apply, () => model.allocGrads(), new Rng(2), 30);
    expect(value).toBeCloseTo(-3, 6);
    const flat = pFlatten(spec, vector);
    expect(Math.abs(flat[37])).toBeCloseTo(1, 4);
  });
});

describe('landscape around a point of the trajectory', () => {
  it("the 2-D grid's center equals F(W_t) exactly, and cells fill coarse to fine", () => {
    const { model, spec } = trained(20);
    const lossAtWt = model.loss(null);
    const probe = new Probe(model);
    const plane = filterNormalizedPlane(probe, new Rng(1, 'landscape'));
    const R = 9;
    const grid = new LandscapeGrid(probe, plane, 0.5, R);
    const order = coarseToFineOrder(R);
    expect(new Set(order).size).toBe(R * R);
    expect(order[0]).toBe(4 * R + 4); // the coarsest lattice starts at the center
    expect(grid.fill(5)).toBe(5);
    expect(grid.values.filter((v) => !Number.isNaN(v)).length).toBe(5);
    while (!grid.done) grid.fill(10);
    expect(grid.values[4 * R + 4]).toBe(lossAtWt);
    expect(grid.values.every((v) => Number.isFinite(v))).toBe(true);
    // the corners are really off-center
    expect(grid.values[0]).not.toBe(lossAtWt);
    expect(spec.L).toBe(2);
  });

  it('filter-normalized directions match each neuron row norm', () => {
    const { model, spec } = trained(3);
    const probe = new Probe(model);
    const { u } = filterNormalizedPlane(probe, new Rng(5, 'landscape'));
    const W = trainedTensors(spec, probe.center)[0];
    const D = trainedTensors(spec, u)[0];
    for (const r of [0, 3, 15]) {
      const row = (x: ArrayLike<number>) => Math.hypot(...Array.from({ length: spec.m }, (_, c) => x[r * spec.m + c]));
      expect(row(D)).toBeCloseTo(row(W), 5);
    }
  });

  it('gradient / negative-curvature plane: orthonormal, u along the gradient, v^T H v is the reported curvature', () => {
    expectGradientCurvaturePlane(trained(10, 'f64').model);
  });

  it('1-D slice: starts at F(W), its first-order line has slope -||g||, and the fitted bound is above every sample', () => {
    const { model } = trained(5);
    const slice = slice1d(new Probe(model), [0, 0.01, 0.02, 0.05, 0.1, 0.2]);
    expect(slice.loss[0]).toBe(slice.loss0);
    expect(slice.firstOrder[1] - slice.firstOrder[0]).toBeCloseTo(-0.01 * slice.gradNorm, 6);
    slice.loss.forEach((f, i) => expect(slice.bound[i]).toBeGreaterThanOrEqual(f - 1e-9 * Math.abs(f)));
    // a small step against the gradient decreases F (the semi-smoothness claim, at this width)
    expect(slice.loss[1]).toBeLessThan(slice.loss0);
  });

  it('PCA plane of a trajectory: explains it and projects it', () => {
    const { model, spec, snapshots } = trained(30, 'f64');
    const probe = new Probe(model);
    const center = pFlatten(spec, model.params);
    const plane = pcaPlane(probe, snapshots, center);
    expect(plane.explained[0]).toBeGreaterThan(0.5);
    expect(plane.explained[0] + plane.explained[1]).toBeLessThanOrEqual(1 + 1e-12);
    expect(Math.abs(pDot(spec, plane.u, plane.v))).toBeLessThan(1e-8);
    // the first snapshot's offset, projected, has the length the plane says
    const off = snapshots[0].map((x, i) => x - center[i]);
    const proj = Math.hypot(plane.coords[0], plane.coords[1]);
    expect(proj).toBeLessThanOrEqual(Math.hypot(...off) * (1 + 1e-9));
    expect(proj).toBeGreaterThan(0.9 * Math.hypot(...off));
  });

  it('linear interpolation runs from F(W_0) to F(W_T)', () => {
    const { model, W0 } = trained(20);
    const WT = cloneParams(model.params);
    const path = interpolation(new Probe(model), W0, WT, [0, 0.5, 1]);
    const f0 = new Probe(model, W0).lossAt(0, null);
    expect(path[0]).toBe(f0);
    expect(path[2]).toBeCloseTo(model.loss(null), 5);
    expect(path[2]).toBeLessThan(path[0]);
  });
});
