import { describe, expect, test } from 'vitest';
import { initParams, type NetSpec } from '../../src/net/network.ts';
import { Rng } from '../../src/net/rng.ts';
import type { Vec } from '../../src/net/tensor.ts';

/**
 * Initialization A, W_l ~ N(0, 2/m), B ~ N(0, 1/dOut). Tolerances are 5 standard errors of the
 * sample statistic: sd(mean) = sigma / sqrt(N), sd(sample variance) = sigma^2 sqrt(2 / (N - 1)).
 */
const Z = 5;

function moments(v: Vec): { N: number; mean: number; variance: number; kurtosis: number; within1sd: number } {
  const N = v.length;
  let s = 0;
  for (let i = 0; i < N; i++) s += v[i];
  const mean = s / N;
  let s2 = 0;
  let s4 = 0;
  for (let i = 0; i < N; i++) {
    const t = (v[i] - mean) ** 2;
    s2 += t;
    s4 += t * t;
  }
  const variance = s2 / (N - 1);
  const kurtosis = s4 / N / (s2 / N) ** 2;
  const sd = Math.sqrt(variance);
  let inside = 0;
  for (let i = 0; i < N; i++) if (Math.abs(v[i] - mean) < sd) inside++;
  return { N, mean, variance, kurtosis, within1sd: inside / N };
}

function expectGaussian(name: string, v: Vec, variance: number): { relErr: number; bound: number } {
  const mo = moments(v);
  const seMean = Math.sqrt(variance / mo.N);
  const seVar = variance * Math.sqrt(2 / (mo.N - 1));
  expect(Math.abs(mo.mean), `${name} mean`).toBeLessThan(Z * seMean);
  expect(Math.abs(mo.variance - variance), `${name} variance ${mo.variance} vs ${variance}`).toBeLessThan(Z * seVar);
  // shape: normal kurtosis 3 (sd sqrt(24/N)) and 68.27% within one sd
  expect(Math.abs(mo.kurtosis - 3), `${name} kurtosis`).toBeLessThan(Z * Math.sqrt(24 / mo.N));
  const p = 0.682689492;
  expect(Math.abs(mo.within1sd - p), `${name} within 1 sd`).toBeLessThan(Z * Math.sqrt((p * (1 - p)) / mo.N) + 1 / Math.sqrt(mo.N));
  return { relErr: Math.abs(mo.variance / variance - 1), bound: (Z * seVar) / variance };
}

describe('initial weight distribution (m = 1024)', () => {
  const spec: NetSpec = { arch: 'fc', d: 64, m: 1024, L: 2, dOut: 4, tau: 0.1, trainA: false, trainB: false };
  const p = initParams(spec, new Rng(2024, 'init'));

  test('shapes', () => {
    expect(p.A.length).toBe(1024 * 64);
    expect(p.W.map((w) => w.length)).toEqual([1024 * 1024, 1024 * 1024]);
    expect(p.B.length).toBe(4 * 1024);
  });

  test('A and W_l entries ~ N(0, 2/m)', () => {
    const a = expectGaussian('A', p.A, 2 / 1024);
    expect(a.relErr).toBeLessThan(0.03); // 65536 entries: 5 sigma is 2.8%
    p.W.forEach((w, l) => {
      const r = expectGaussian(`W_${l + 1}`, w, 2 / 1024);
      expect(r.relErr).toBeLessThan(0.01);
    });
  });

  test('B entries ~ N(0, 1/dOut)', () => {
    const b = expectGaussian('B', p.B, 1 / 4);
    expect(b.relErr).toBeLessThan(b.bound); // 4096 entries: 5 sigma is 11%
  });

  test('layers are uncorrelated', () => {
    const [w1, w2] = p.W;
    let s = 0;
    for (let i = 0; i < w1.length; i++) s += w1[i] * w2[i];
    const corr = s / w1.length / (2 / 1024);
    expect(Math.abs(corr)).toBeLessThan(Z / Math.sqrt(w1.length));
  });

  test('the variance follows m and dOut (not fixed constants)', () => {
    const q = initParams({ ...spec, m: 256, L: 1, dOut: 16 }, new Rng(5, 'init'));
    expectGaussian('W (m=256)', q.W[0], 2 / 256);
    expectGaussian('B (dOut=16)', q.B, 1 / 16);
  });

  test('float64 and float32 initializations draw the same numbers', () => {
    const small: NetSpec = { ...spec, d: 5, m: 7, L: 2, dOut: 2 };
    const p64 = initParams(small, new Rng(9, 'init'), 'f64');
    const p32 = initParams(small, new Rng(9, 'init'), 'f32');
    expect(p64.A).toBeInstanceOf(Float64Array);
    expect(p32.A).toBeInstanceOf(Float32Array);
    expect(Array.from(p32.W[1])).toEqual(Array.from(p64.W[1], Math.fround));
    expect(Array.from(p32.B)).toEqual(Array.from(p64.B, Math.fround));
  });
});
