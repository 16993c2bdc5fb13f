import { describe, expect, it } from 'vitest';
import { readoutPace } from '../../src/viz/readoutPace.ts';

describe('readoutPace', () => {
  it('writes a live readout at most every interval, and at once when its key changes or it stops being live', () => {
    let t = 0;
    const pace = readoutPace(250, () => t);
    const frames: boolean[] = [];
    for (; t <= 1000; t += 80) frames.push(pace(true, 'a'));
    // frames at 0, 80, ..., 960 ms: written at 0, 320, 640, 960
    expect(frames.map((w, i) => (w ? i * 80 : -1)).filter((x) => x >= 0)).toEqual([0, 320, 640, 960]);
    t = 1000;
    expect(pace(true, 'a')).toBe(false);
    expect(pace(true, 'b')).toBe(true); // another width, a curve added
    expect(pace(true, 'b')).toBe(false);
    expect(pace(false, 'b')).toBe(true); // the run ended or paused: its final numbers at once
    expect(pace(false, 'b')).toBe(true);
  });
});
