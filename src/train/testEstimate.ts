import type { RunConfig } from './config.ts';

/**
 * Memory of a run's held-out side (src/train/generalization.ts), beside estimateRun's: a model over
 * the testN points (its own weights and gradient buffer, activations and masks of every layer) and,
 * for the kernel predictor, a second model over the n + testN points together with their joint
 * tangent kernel, (n + testN) d_out squared in float64, and its per-layer factors.
 */
export function testSetBytes(c: RunConfig, kernelPredictor: boolean): number {
  if (c.teacher === 0) return 0;
  const { m, L, d, dOut } = c;
  const params = m * d + L * m * m + dOut * m;
  const model = (rows: number) => 2 * 4 * params + rows * ((L + 1) * m * (4 + 1) + 2 * m * 4 + d * 4 + 2 * dOut * 4);
  let bytes = model(c.testN);
  if (kernelPredictor) {
    const rows = c.n + c.testN;
    const N = rows * dOut;
    bytes += model(rows) + N * N * 8 + (L + 1) * N * m * 4;
  }
  return bytes;
}
