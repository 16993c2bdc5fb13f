import { interpolate as d3Interpolate, interpolateNumber as d3Number, interpolateRound as d3Round, piecewise as d3Piecewise } from 'd3';
import { describe, expect, it } from 'vitest';
import { interpolate, interpolateNumber, interpolateRound, piecewise } from '../../src/viz/numberInterpolate.ts';

/** The interpolators d3-scale gets in the page's builds (scripts/vitePluginSlimD3.ts), against d3-interpolate's own. */
describe('numberInterpolate (d3-scale without d3-color)', () => {
  const pairs: [number, number][] = [
    [0, 1],
    [-3.5, 7.25],
    [640, 12],
    [1e-9, 3e4],
    [5, 5],
  ];
  const ts = [-0.5, 0, 0.1, 1 / 3, 0.5, 0.9999, 1, 1.5];

  it('gives d3-interpolate’s numbers for number ranges, rounded or not, and its constants for null and booleans', () => {
    for (const [a, b] of pairs)
      for (const t of ts) {
        expect(interpolateNumber(a, b)(t)).toBe(d3Number(a, b)(t));
        expect(interpolateRound(a, b)(t)).toBe(d3Round(a, b)(t));
        expect(interpolate(a, b)(t)).toBe(d3Interpolate(a, b)(t));
      }
    for (const b of [null, undefined, true, false]) expect(interpolate(1, b)(0.5)).toBe(d3Interpolate(1, b as never)(0.5));
  });

  it('gives d3’s piecewise interpolation over several numbers, with a given pairwise interpolator or without', () => {
    const values = [0, 10, -4, 100];
    for (const t of ts) {
      expect(piecewise(values)(t)).toBe(d3Piecewise(values)(t));
      expect(piecewise(interpolateRound as never, values)(t)).toBe(d3Piecewise(d3Round, values)(t));
    }
  });

  it('refuses a range of colors or strings with a message, instead of drawing NaN', () => {
    expect(() => interpolate('red', 'blue')).toThrow(/numbers only/);
    expect(() => interpolate('0px', '10px')).toThrow(/numbers only/);
  });
});
