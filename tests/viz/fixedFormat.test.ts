import { format as d3Format, precisionFixed as d3PrecisionFixed, scaleLinear, tickStep } from 'd3';
import { describe, expect, it } from 'vitest';
import { format, formatSpecifier, precisionFixed } from '../../src/viz/fixedFormat.ts';

/** The tick formats d3-scale gets in the page's builds (scripts/vitePluginSlimD3.ts), against d3-format's own. */
describe('fixedFormat (d3-scale without d3-format)', () => {
  let seed = 11;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const values = [0, -0, 1, -1, 0.5, -0.04, -0.05, 999.5, 1000, -1234567.891, 1e21, 2.5e-7, NaN, Infinity, -Infinity, 0.125, 1.005];
  for (let i = 0; i < 300; i++) values.push((rand() - 0.5) * 10 ** Math.floor(rand() * 16 - 6));

  it('formats as d3-format does for ",.Nf" and ".Nf", N = 0..20 and none', () => {
    for (const spec of [',f', 'f', ...Array.from({ length: 21 }, (_, n) => [`,.${n}f`, `.${n}f`]).flat()]) {
      const ours = format(spec);
      const theirs = d3Format(spec);
      for (const v of values) expect(ours(v), `${spec} of ${v}`).toBe(theirs(v));
    }
  });

  it('gives d3’s precision for a tick step, and d3-scale’s linear tick labels end to end', () => {
    for (const step of [1, 2, 5, 10, 0.1, 0.2, 0.05, 2e-6, 5e5, 1e21, 0, NaN]) expect(precisionFixed(step)).toEqual(d3PrecisionFixed(step));
    // d3-scale's linear tickFormat: ",f" at precisionFixed(tickStep(start, stop, count))
    for (let i = 0; i < 200; i++) {
      const a = (rand() - 0.5) * 10 ** Math.floor(rand() * 10 - 4);
      const b = a + rand() * 10 ** Math.floor(rand() * 10 - 4);
      const count = 2 + Math.floor(rand() * 10);
      const scale = scaleLinear().domain([a, b]);
      const spec = formatSpecifier(',f');
      spec.precision = precisionFixed(tickStep(a, b, count));
      const ours = format(spec);
      const theirs = scale.tickFormat(count);
      for (const t of scale.ticks(count)) expect(ours(t), `[${a}, ${b}] ${count}: ${t}`).toBe(theirs(t));
    }
  });

  it('refuses other specifiers with a message', () => {
    expect(() => format('.2s')).toThrow(/fixed-point/);
    expect(() => format('$,.2f')).toThrow(/fixed-point/);
  });
});
