import { describe, expect, it } from 'vitest';
import { SeriesBuffer } from '../../src/viz/seriesBuffer.ts';

describe('SeriesBuffer', () => {
  it('keeps every point until full', () => {
    const s = new SeriesBuffer(8);
    for (let i = 0; i < 8; i++) s.push(i, 10 - i);
    expect(s.count).toBe(8);
    expect([s.x(0), s.lastX, s.lastY]).toEqual([0, 7, 3]);
  });

  it('halves when full, stays bounded, keeps the first and the newest point, and stays sorted', () => {
    const s = new SeriesBuffer(8);
    for (let i = 0; i <= 1000; i++) {
      s.push(i, 1 / (i + 1));
      expect(s.count).toBeLessThanOrEqual(9);
      expect(s.lastX).toBe(i);
    }
    expect(s.x(0)).toBe(0);
    for (let i = 1; i < s.count; i++) expect(s.x(i)).toBeGreaterThan(s.x(i - 1));
  });

  it('counts changes in its version and clears', () => {
    const s = new SeriesBuffer(8);
    const v = s.version;
    s.push(0, 1);
    expect(s.version).toBeGreaterThan(v);
    s.clear();
    expect(s.count).toBe(0);
  });
});
