import { expect } from 'vitest';
import { HessianOps } from '../../src/net/hessian.ts';
import { Probe } from '../../src/net/landscape.ts';
import { gradientCurvaturePlane } from '../../src/net/landscapePlanes.ts';
import type { Model } from '../../src/net/model.ts';
import { pDot, pNorm } from '../../src/net/paramVec.ts';
import { Rng } from '../../src/net/rng.ts';

/**
 * The gradient / curvature plane at the model's weights (Lanczos from Rng(1, 'landscape'), 25 steps): u and v
 * orthonormal, u along grad F, and the reported curvature v^T H v of the plotted v (after it was made
 * orthogonal to u), H V by the R-operator. Needs a float64 model for its 1e-10 tolerances.
 */
export function expectGradientCurvaturePlane(model: Model): void {
  const probe = new Probe(model);
  const plane = gradientCurvaturePlane(probe, new Rng(1, 'landscape'), 25);
  const { spec } = probe;
  expect(pNorm(spec, plane.u)).toBeCloseTo(1, 10);
  expect(pNorm(spec, plane.v)).toBeCloseTo(1, 10);
  expect(Math.abs(pDot(spec, plane.u, plane.v))).toBeLessThan(1e-10);
  const { grads } = probe.gradientAtCenter();
  expect(pDot(spec, plane.u, grads) / pNorm(spec, grads)).toBeCloseTo(1, 10);
  const ops = new HessianOps(probe.model);
  ops.prepare();
  const Hv = probe.model.allocGrads();
  ops.hvp(plane.v, Hv);
  expect(plane.curvature!).toBeCloseTo(pDot(spec, plane.v, Hv), 9);
}
