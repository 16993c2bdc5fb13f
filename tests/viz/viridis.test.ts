import { interpolateViridis as d3Viridis } from 'd3';
import { describe, expect, it } from 'vitest';
import { interpolateViridis } from '../../src/viz/viridis.ts';

describe('viridis (the panels’ color map, without d3-scale-chromatic)', () => {
  it('gives d3’s colors everywhere on [0, 1] and clamps outside it as d3 does', () => {
    const ts = Array.from({ length: 2049 }, (_, i) => i / 2048).concat([-1, -1e-9, 1 + 1e-9, 2, 0.5 - 1e-12]);
    for (const t of ts) expect(interpolateViridis(t), `t = ${t}`).toBe(d3Viridis(t));
  });
});
