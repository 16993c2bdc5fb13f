import { describe, expect, test } from 'vitest';
import {
  DataError,
  makeDataset,
  placeClosePair,
  separation,
  spherePoints,
  validateDataset,
  type Dataset,
} from '../../src/net/data.ts';
import { Rng } from '../../src/net/rng.ts';

function rowNorm(X: Float64Array, i: number, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) s += X[i * d + k] ** 2;
  return Math.sqrt(s);
}

function dist(X: Float64Array, i: number, j: number, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) s += (X[i * d + k] - X[j * d + k]) ** 2;
  return Math.sqrt(s);
}

describe('sphere points', () => {
  test('have unit norm and are distinct', () => {
    for (const [n, d] of [
      [50, 2],
      [40, 8],
      [10, 300],
    ]) {
      const X = spherePoints(n, d, new Rng(n + d, 'data'));
      expect(X.length).toBe(n * d);
      for (let i = 0; i < n; i++) expect(Math.abs(rowNorm(X, i, d) - 1)).toBeLessThan(1e-14);
      expect(separation(X, n, d).delta).toBeGreaterThan(1e-3);
    }
  });

  test('are spread over the sphere (coordinate means near 0, second moments near 1/d)', () => {
    const n = 4000;
    const d = 3;
    const X = spherePoints(n, d, new Rng(1, 'data'));
    for (let k = 0; k < d; k++) {
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        s += X[i * d + k];
        s2 += X[i * d + k] ** 2;
      }
      // a uniform coordinate on S^2 is uniform on [-1, 1]: variance 1/3, and x^2 has variance 4/45
      expect(Math.abs(s / n)).toBeLessThan(5 * Math.sqrt(1 / 3 / n));
      expect(Math.abs(s2 / n - 1 / 3)).toBeLessThan(5 * Math.sqrt(4 / 45 / n));
    }
  });
});

describe('separation', () => {
  test('finds the closest pair of a hand-built set', () => {
    // (1,0), (0,1), (-1,0), (0.6,0.8): closest pair is x_1, x_3 at sqrt(0.36 + 0.04) = sqrt(0.4)
    const X = [1, 0, 0, 1, -1, 0, 0.6, 0.8];
    const s = separation(X, 4, 2);
    expect(s.i).toBe(1);
    expect(s.j).toBe(3);
    expect(s.delta).toBeCloseTo(Math.sqrt(0.4), 14);
  });

  test('matches brute force on random points in 3 dimensions', () => {
    const n = 30;
    const d = 3;
    const X = spherePoints(n, d, new Rng(8, 'data'));
    let best = Infinity;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) best = Math.min(best, dist(X, i, j, d));
    const s = separation(X, n, d);
    expect(s.delta).toBeCloseTo(best, 14);
    expect(dist(X, s.i, s.j, d)).toBeCloseTo(best, 14);
  });
});

describe('close pair', () => {
  test.each([0.5, 0.05, 1e-3, 2])('closePairDelta %s puts x_1 on the sphere at exactly that distance from x_0', (delta) => {
    const d = 6;
    const ds = makeDataset({ n: 10, d, dOut: 1, labels: 'gaussian', closePairDelta: delta }, new Rng(4, 'data'));
    expect(Math.abs(dist(ds.X, 0, 1, d) - delta)).toBeLessThan(1e-13);
    expect(Math.abs(rowNorm(ds.X, 1, d) - 1)).toBeLessThan(1e-14);
    if (delta <= 0.05) {
      const s = separation(ds.X, ds.n, d);
      expect([s.i, s.j]).toEqual([0, 1]);
      expect(Math.abs(s.delta - delta)).toBeLessThan(1e-13);
    }
  });

  test('placeClosePair works in d = 2 and rejects delta outside [0, 2]', () => {
    const X = spherePoints(3, 2, new Rng(1, 'data'));
    placeClosePair(X, 2, 0.3, new Rng(2, 'data'));
    expect(Math.abs(dist(X, 0, 1, 2) - 0.3)).toBeLessThan(1e-14);
    expect(() => placeClosePair(X, 2, 2.5, new Rng(2, 'data'))).toThrow(DataError);
    expect(() => placeClosePair(X, 2, -0.1, new Rng(2, 'data'))).toThrow(DataError);
  });

  test('duplicates (closePairDelta 0) raise DataError naming the pair', () => {
    const make = () => makeDataset({ n: 6, d: 4, dOut: 1, labels: 'gaussian', closePairDelta: 0 }, new Rng(1, 'data'));
    expect(make).toThrow(DataError);
    expect(make).toThrow(/x_0 and x_1 are duplicates/);
    expect(make).toThrow(/delta > 0/);
  });

  test('a close pair needs n >= 2', () => {
    expect(() => makeDataset({ n: 1, d: 4, dOut: 1, labels: 'gaussian', closePairDelta: 0.1 }, new Rng(1, 'data'))).toThrow(DataError);
  });
});

describe('validateDataset', () => {
  const good = (): Dataset => ({ n: 3, d: 2, dOut: 1, X: Float64Array.from([1, 0, 0, 1, -1, 0]), Y: Float64Array.from([1, 2, 3]) });

  test('accepts a good set', () => {
    expect(() => validateDataset(good())).not.toThrow();
  });

  test('non-finite inputs or labels raise DataError naming the sample', () => {
    const a = good();
    a.X[3] = NaN;
    expect(() => validateDataset(a)).toThrow(DataError);
    expect(() => validateDataset(a)).toThrow(/x_1 has a non-finite entry/);
    const b = good();
    b.Y[2] = Infinity;
    expect(() => validateDataset(b)).toThrow(/y_2 has a non-finite entry/);
  });

  test('hand-built duplicates raise DataError', () => {
    const a = good();
    a.X.set([1, 0], 4); // x_2 = x_0
    expect(() => validateDataset(a)).toThrow(/x_0 and x_2 are duplicates/);
  });

  test('wrong sizes raise DataError', () => {
    expect(() => validateDataset({ ...good(), n: 4 })).toThrow(DataError);
  });
});

describe('labels', () => {
  test('sign labels are +-1, both signs present', () => {
    const ds = makeDataset({ n: 200, d: 4, dOut: 2, labels: 'sign' }, new Rng(3, 'data'));
    expect(ds.Y.every((y) => y === 1 || y === -1)).toBe(true);
    const pos = ds.Y.filter((y) => y === 1).length;
    expect(Math.abs(pos / ds.Y.length - 0.5)).toBeLessThan(5 * Math.sqrt(0.25 / ds.Y.length));
  });

  test('teacher labels have unit mean square and depend on the inputs', () => {
    for (const dOut of [1, 3]) {
      const ds = makeDataset({ n: 64, d: 5, dOut, labels: 'teacher' }, new Rng(dOut, 'data'));
      const ms = ds.Y.reduce((s, y) => s + y * y, 0) / ds.Y.length;
      expect(Math.abs(ms - 1)).toBeLessThan(1e-12);
      expect(new Set(ds.Y).size).toBeGreaterThan(ds.Y.length / 2);
    }
  });

  test('teacher labels are a continuous function of x: close inputs get close labels', () => {
    const ds = makeDataset({ n: 32, d: 5, dOut: 1, labels: 'teacher', closePairDelta: 1e-4 }, new Rng(6, 'data'));
    const spread = Math.max(...ds.Y) - Math.min(...ds.Y);
    expect(Math.abs(ds.Y[0] - ds.Y[1])).toBeLessThan(1e-2 * spread);
  });

  test('gaussian labels have mean 0 and variance 1', () => {
    const ds = makeDataset({ n: 500, d: 3, dOut: 4, labels: 'gaussian' }, new Rng(2, 'data'));
    const N = ds.Y.length;
    const mean = ds.Y.reduce((s, y) => s + y, 0) / N;
    const variance = ds.Y.reduce((s, y) => s + (y - mean) ** 2, 0) / (N - 1);
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(N));
    expect(Math.abs(variance - 1)).toBeLessThan(5 * Math.sqrt(2 / N));
  });

  test('the dataset is a function of the data seed', () => {
    const spec = { n: 12, d: 4, dOut: 2, labels: 'teacher' as const };
    const a = makeDataset(spec, new Rng(10, 'data'));
    const b = makeDataset(spec, new Rng(10, 'data'));
    const c = makeDataset(spec, new Rng(11, 'data'));
    expect(Array.from(a.X)).toEqual(Array.from(b.X));
    expect(Array.from(a.Y)).toEqual(Array.from(b.Y));
    expect(Array.from(a.X)).not.toEqual(Array.from(c.X));
  });
});
