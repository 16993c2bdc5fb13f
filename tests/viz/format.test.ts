import { describe, expect, it } from 'vitest';
import { formatSci, formatTolerance, powerOfTen } from '../../src/viz/format.ts';
import { logTick } from '../../src/viz/logTick.ts';

describe('number formats of the panels', () => {
  it('formatSci: plain between 0.01 and 1000, else a mantissa times a power of ten', () => {
    expect(formatSci(12.34)).toBe('12.3');
    expect(formatSci(0.0456)).toBe('0.0456');
    expect(formatSci(0.00321)).toBe('3.21×10⁻³');
    expect(formatSci(123456)).toBe('1.23×10⁵');
    expect(formatSci(0)).toBe('0');
    expect(formatSci(NaN)).toBe('–');
    expect(formatSci(-Infinity)).toBe('−∞');
    // a true minus, as the rest of the page writes it (not a hyphen)
    expect(formatSci(-40.3)).toBe('\u221240.3');
    expect(formatSci(-0.00321)).toBe('\u22123.21×10⁻³');
  });

  it('a stop tolerance reads as a power of ten when it is one', () => {
    expect(formatTolerance(1e-4)).toBe('10⁻⁴');
    expect(formatTolerance(1e-6)).toBe('10⁻⁶');
    expect(formatTolerance(0.0005)).toBe('0.0005');
    expect(powerOfTen(1000)).toBe('10³');
  });

  it('log-axis ticks: 0.1 to 100 plain, other powers of ten as 10^k, anything else in two digits', () => {
    expect([0.1, 1, 10, 100].map(logTick)).toEqual(['0.1', '1', '10', '100']);
    expect([1e-3, 1e3, 1e4].map(logTick)).toEqual(['10⁻³', '10³', '10⁴']);
    expect(logTick(2e-3)).toBe('2×10⁻³');
    expect(logTick(0.5)).toBe('0.5');
  });
});
