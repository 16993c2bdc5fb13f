/**
 * What d3-scale gets for `d3-interpolate` in the page's builds (scripts/vitePluginSlimD3.ts):
 * every scale of ours maps numbers to pixel numbers, and d3-interpolate's generic `interpolate` would
 * bring all of d3-color's parsing with it (a third of an embed's d3) for ranges of colors or strings we
 * never have. The same functions as d3-interpolate's for numbers (d3-interpolate 3, number.js, round.js,
 * value.js, piecewise.js); any other range is refused loudly rather than drawn wrong.
 */
export function interpolateNumber(a: number, b: number): (t: number) => number {
  const a0 = +a;
  const b0 = +b;
  return (t) => a0 * (1 - t) + b0 * t;
}

export function interpolateRound(a: number, b: number): (t: number) => number {
  const a0 = +a;
  const b0 = +b;
  return (t) => Math.round(a0 * (1 - t) + b0 * t);
}

/** d3's value.js restricted to its number and constant cases. */
export function interpolate(a: unknown, b: unknown): (t: number) => unknown {
  if (b == null || typeof b === 'boolean') return () => b;
  if (typeof b === 'number') return interpolateNumber(a as number, b);
  throw new Error(`a d3 scale's range of ${typeof b}s: this build interpolates numbers only (scripts/vitePluginSlimD3.ts)`);
}

type Interpolate = (a: unknown, b: unknown) => (t: number) => unknown;

export function piecewise(how: Interpolate | unknown[], given?: unknown[]): (t: number) => unknown {
  const values = given === undefined ? (how as unknown[]) : given;
  const pair = given === undefined ? interpolate : (how as Interpolate);
  const n = values.length - 1;
  const parts: ((t: number) => unknown)[] = [];
  for (let i = 0; i < n; i++) parts.push(pair(values[i], values[i + 1]));
  return (t) => {
    const s = t * n;
    const i = Math.max(0, Math.min(n - 1, Math.floor(s)));
    return parts[i](s - i);
  };
}
