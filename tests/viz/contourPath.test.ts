import { contours, geoPath, geoTransform } from 'd3';
import { describe, expect, it } from 'vitest';
import { contourPath } from '../../src/viz/contourPath.ts';

describe('the landscape’s contour paths (without d3-geo)', () => {
  it('are the paths d3-geo’s geoPath draws for d3-contour’s rings through the same point mapping', () => {
    let s = 5;
    const rand = () => (s = (s * 16807) % 2147483647) / 2147483647;
    for (const P of [4, 11, 27]) {
      // a bowl with noise, and noise alone: nested rings, holes and rings along the border
      for (const noise of [0.1, 3]) {
        const grid = Array.from({ length: P * P }, (_, k) => ((k % P) - P / 2) ** 2 + (Math.floor(k / P) - P / 3) ** 2 + noise * P * rand());
        const cell = 317.3 / P;
        const point = (x: number, y: number): [number, number] => [(x - 1.5) * cell + cell / 2, 317.3 - ((y - 1.5) * cell + cell / 2)];
        const d3Path = geoPath(
          geoTransform({
            point(x, y) {
              this.stream.point(...point(x, y));
            },
          }),
        );
        const shapes = contours().size([P, P]).thresholds(9)(grid);
        expect(shapes.some((c) => c.coordinates.length > 0)).toBe(true);
        for (const c of shapes) expect(contourPath(c, point), `P = ${P}, level ${c.value}`).toBe(d3Path(c) ?? '');
      }
    }
  });
});
