import { describe, expect, it } from 'vitest';
import { Probe, slice1d } from '../../src/net/landscape.ts';
import { filterNormalizedPlane } from '../../src/net/landscapePlanes.ts';
import { allocParams, trainedTensors } from '../../src/net/network.ts';
import { kernelSpectrum, tangentKernel } from '../../src/net/ntk.ts';
import { pFillNormal } from '../../src/net/paramVec.ts';
import { Rng } from '../../src/net/rng.ts';
import { Trainer } from '../../src/net/sgd.ts';
import { buildModel, type Case } from './helpers.ts';
import { expectGradientCurvaturePlane } from './planeCheck.ts';

/** The landscape's planes and slices on the CNN: its W_l rows are s m long, its B row q m. */
const base: Case = { arch: 'cnn', L: 2, q: 5, window: 3, d: 2, m: 12, n: 6, dOut: 1, trainA: false, trainB: true, seed: 8 };

function trained(steps: number, precision: 'f32' | 'f64' = 'f32') {
  const built = buildModel(base, precision);
  const lambdaMax = kernelSpectrum(tangentKernel(built.model), base.n).lambdaMax;
  const trainer = new Trainer(built.model, { lr: 0.5 / lambdaMax, batch: base.n }, new Rng(1, 'batch'));
  for (let t = 0; t < steps; t++) trainer.update();
  return built;
}

describe('landscape on the CNN', () => {
  it('filter-normalized directions match each row norm of W_l (m x s m) and of B (dOut x q m)', () => {
    const { model, spec } = trained(3);
    const probe = new Probe(model);
    const { u } = filterNormalizedPlane(probe, new Rng(5, 'landscape'));
    const ws = trainedTensors(spec, probe.center);
    const ds = trainedTensors(spec, u);
    const row = (x: ArrayLike<number>, r: number, cols: number) => Math.hypot(...Array.from({ length: cols }, (_, c) => x[r * cols + c]));
    for (const r of [0, 5, 11]) expect(row(ds[0], r, 3 * 12)).toBeCloseTo(row(ws[0], r, 3 * 12), 5);
    expect(row(ds[2], 0, 5 * 12)).toBeCloseTo(row(ws[2], 0, 5 * 12), 5);
    // one scale per whole row: u is the same Gaussian draw, each row of it multiplied by one number
    const raw = allocParams(spec, 'f32');
    pFillNormal(spec, new Rng(5, 'landscape'), raw);
    const gs = trainedTensors(spec, raw);
    for (const [t, cols] of [
      [0, 36],
      [2, 60],
    ] as const) {
      const ratios = Array.from({ length: cols }, (_, c) => ds[t][c] / gs[t][c]);
      for (const x of ratios) expect(x).toBeCloseTo(ratios[0], 4);
    }
  });

  it('gradient / curvature plane: orthonormal, u along the gradient, curvature = v^T H v', () => {
    expectGradientCurvaturePlane(trained(10, 'f64').model);
  });

  it('1-D slice starts at F(W) and descends along -g', () => {
    const slice = slice1d(new Probe(trained(5).model), [0, 0.01, 0.02, 0.05]);
    expect(slice.loss[0]).toBe(slice.loss0);
    expect(slice.loss[1]).toBeLessThan(slice.loss0);
  });
});
