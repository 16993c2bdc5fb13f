import { line } from 'd3';
import { describe, expect, it } from 'vitest';
import { polyline } from '../../src/viz/hero.ts';

describe('the hero’s curve path (without d3-shape)', () => {
  it('is the path d3-shape’s line() draws through the same points', () => {
    let s = 7;
    const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647) * 900 - 50;
    const sets: [number, number][][] = [[], [[3.14159, 2.71828]], Array.from({ length: 700 }, () => [rand(), rand()]), [[0.0005, -0.0005], [1e-7, 123.4565], [-0.0015, 99.9995]]];
    for (const pts of sets) expect(polyline(pts)).toBe(line()(pts) ?? '');
  });
});
