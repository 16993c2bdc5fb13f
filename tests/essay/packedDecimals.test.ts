import { describe, expect, it } from 'vitest';
import { packDecimals, unpackDecimals } from '../../src/essay/recorded/packedDecimals.ts';

describe('packed decimals (the recorded losses in the page copy)', () => {
  it('writes a run of one exponent as its first value, then differences of the 4-digit mantissa', () => {
    expect(packDecimals([8.186, 7.481, 7.043])).toBe('8186e-3 -705 -438');
    expect(unpackDecimals('8186e-3 -705 -438')).toEqual([8.186, 7.481, 7.043]);
  });

  it('reads back exactly across decades, short and long decimals, tiny and huge values', () => {
    const values = [27.5, 13.01, 9.999, 10.01, 1, 0.9708, 0.1, 0.0099, 0.008258, 1.2e-7, 3.4567e-12, 6.02e23, Math.PI, 0.1 + 0.2, 1 / 3, 5e-324, 1.5e308];
    const packed = packDecimals(values);
    expect(packed).not.toBeNull();
    expect(unpackDecimals(packed!)).toEqual(values);
    // a new exponent starts a new run
    expect(packDecimals([9.999, 10.01])).toBe('9999e-3 1001e-2');
  });

  it('refuses what it cannot write (zero, negatives, NaN, infinities, 17 digits), and an empty list is empty', () => {
    // Number.MAX_VALUE is 1.7976931348623157e308: its 17 digits make a mantissa past 2^53 that would not read back
    for (const bad of [[0], [1, -2], [NaN], [Infinity], [1, Number.MAX_VALUE]]) expect(packDecimals(bad), String(bad)).toBeNull();
    expect(packDecimals([])).toBe('');
    expect(unpackDecimals('')).toEqual([]);
  });

  it('packs a falling loss curve in fewer gzip bytes than its decimals', async () => {
    const { gzipSync } = await import('node:zlib');
    const curve = Array.from({ length: 600 }, (_, t) => Number((16.6 * Math.exp(-t / 40) * (1 + 0.01 * Math.sin(t))).toPrecision(4)));
    const packed = packDecimals(curve)!;
    expect(unpackDecimals(packed)).toEqual(curve);
    expect(gzipSync(packed).length).toBeLessThan(0.9 * gzipSync(JSON.stringify(curve)).length);
  });
});
