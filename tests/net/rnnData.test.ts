import { describe, expect, test } from 'vitest';
import { DataError } from '../../src/net/data.ts';
import { Rng } from '../../src/net/rng.ts';
import { firstInputs, inputSeparation, makeSequenceDataset } from '../../src/net/rnnData.ts';

describe('sequence data for the RNN', () => {
  test('X is n x T x d with unit-norm x_{i,t}, Y is n x T x dOut, same seed same data', () => {
    for (const labels of ['gaussian', 'sign', 'teacher'] as const) {
      const spec = { n: 6, d: 5, dOut: 2, T: 4, labels };
      const ds = makeSequenceDataset(spec, new Rng(4, 'data'));
      expect(ds.X.length).toBe(6 * 4 * 5);
      expect(ds.Y.length).toBe(6 * 4 * 2);
      expect(ds.T).toBe(4);
      for (let r = 0; r < 6 * 4; r++) {
        const norm = Math.hypot(...ds.X.subarray(r * 5, r * 5 + 5));
        expect(Math.abs(norm - 1)).toBeLessThan(1e-12);
      }
      if (labels === 'sign') expect(ds.Y.every((y) => y === 1 || y === -1)).toBe(true);
      if (labels === 'teacher') {
        const ms = ds.Y.reduce((s, y) => s + y * y, 0) / ds.Y.length;
        expect(Math.abs(ms - 1)).toBeLessThan(1e-9);
      }
      expect(makeSequenceDataset(spec, new Rng(4, 'data')).X).toEqual(ds.X);
    }
  });

  test('the first inputs are delta-separated: a close pair is placed at exactly delta, duplicates refused', () => {
    const ds = makeSequenceDataset({ n: 5, d: 4, dOut: 1, T: 3, labels: 'gaussian', closePairDelta: 0.05 }, new Rng(2, 'data'));
    const first = firstInputs(ds);
    expect(first.length).toBe(5 * 4);
    const dist = Math.hypot(...first.subarray(0, 4).map((v, k) => v - first[4 + k]));
    expect(Math.abs(dist - 0.05)).toBeLessThan(1e-12);
    expect(inputSeparation(ds).delta).toBeLessThanOrEqual(0.05 + 1e-12);
    expect(() => makeSequenceDataset({ n: 5, d: 4, dOut: 1, T: 3, labels: 'gaussian', closePairDelta: 0 }, new Rng(2, 'data'))).toThrow(DataError);
  });
});
