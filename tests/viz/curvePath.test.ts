import { describe, expect, it } from 'vitest';
import { ChunkedPath, pathThrough } from '../../src/viz/curvePath.ts';
import { SeriesBuffer } from '../../src/viz/seriesBuffer.ts';

/** The line segments a path draws, as "x,y-x,y" strings (an M starts a new run of segments). */
function segments(ds: readonly string[]): string[] {
  const out: string[] = [];
  for (const d of ds) {
    let last: string | null = null;
    for (const [, cmd, pt] of d.matchAll(/([ML])([^ML]+)/g)) {
      if (cmd === 'L' && last !== null) out.push(`${last}-${pt}`);
      last = pt;
    }
  }
  return out;
}

// a loss curve on a log axis, with points off the scale (0, NaN) that break the line
const loss = (i: number): number => (i % 97 === 13 ? 0 : i % 211 === 7 ? NaN : Math.exp(-i / 150) * (1 + 0.1 * Math.sin(i)));
const xOf = (scale: number) => (v: number) => v * scale;
const yLog = (v: number) => -40 * Math.log10(v);

describe('ChunkedPath', () => {
  it('extended a record at a time (through halvings and replaced newest points) draws the paths a full rebuild draws', () => {
    const s = new SeriesBuffer(64);
    const live = new ChunkedPath();
    let scale = 1;
    for (let i = 0; i < 700; i++) {
      s.push(i, loss(i));
      // a frame draws after a few records, or (a tab in the background) after many, past a halving
      if ((i % 3 || (i > 240 && i < 500)) && i !== 699) continue;
      if (i === 300) scale = 0.5; // the step axis grows: new scales
      const stamp = `${s.epoch}|${scale}`;
      live.update(s, xOf(scale), yLog, stamp, 5);
      const fresh = new ChunkedPath();
      fresh.update(s, xOf(scale), yLog, null, 5);
      expect(live.ds).toEqual(fresh.ds);
    }
  });

  it('rewrites only the paths from the one holding the newest point drawn before', () => {
    const s = new SeriesBuffer(1024);
    const c = new ChunkedPath();
    for (let i = 0; i < 20; i++) s.push(i, loss(i));
    expect(c.update(s, xOf(1), yLog, 'a', 5)).toBe(0);
    for (let i = 20; i < 23; i++) s.push(i, loss(i));
    // points 0..19 were drawn; point 19 may have been replaced: it ends path 3 (points 15..20)
    expect(c.update(s, xOf(1), yLog, 'a', 5)).toBe(3);
    expect(c.update(s, xOf(1), yLog, 'b', 5)).toBe(0); // new scales: all of it
  });

  it('joins into the line one path through every point draws, each path starting where the last ended', () => {
    const s = new SeriesBuffer(2048);
    for (let i = 0; i < 1000; i++) s.push(i, loss(i));
    const c = new ChunkedPath();
    c.update(s, xOf(1), yLog, 'a');
    expect(c.ds.length).toBe(Math.ceil(999 / 128));
    const whole = pathThrough(s, xOf(1), yLog, 0, s.count - 1);
    expect(segments(c.ds).sort()).toEqual(segments([whole]).sort());
    // on a line without breaks, each path starts at the point the one before ended on
    const smooth = new SeriesBuffer(2048);
    for (let i = 0; i < 1000; i++) smooth.push(i, Math.exp(-i / 150));
    c.update(smooth, xOf(1), yLog, 'b');
    for (let k = 1; k < c.ds.length; k++) expect(c.ds[k].startsWith(`M${c.ds[k - 1].split(/[ML]/).at(-1)}L`)).toBe(true);
  });

  it('draws a dashed line as one path (its dashes run on across it)', () => {
    const s = new SeriesBuffer(2048);
    for (let i = 0; i < 300; i++) s.push(i, Math.exp(-i / 150));
    const c = new ChunkedPath();
    c.update(s, xOf(1), yLog, null, Infinity);
    expect(c.ds).toEqual([pathThrough(s, xOf(1), yLog, 0, 299)]);
    expect(c.ds[0]).toMatch(/^M0\.0,-?[\d.]+L/);
  });
});
