import { fitPowerLaw, linearFit } from '../../train/fit.ts';

/** A fitted slope with its 95% interval. */
export interface Slope {
  slope: number;
  lo: number;
  hi: number;
}

/** The power-law fit of y against m (fit.ts) with its line over the widths, for drawing. */
export function fitLine(points: readonly { m: number; y: number }[]): (Slope & { xs: number[]; ys: number[] }) | null {
  const ok = points.filter((p) => p.y > 0 && Number.isFinite(p.y));
  const fit = fitPowerLaw(ok.map((p) => ({ ...p, seed: 0 })));
  if (!fit || ok.length < 3) return null;
  const { slope, intercept } = linearFit(
    ok.map((p) => Math.log(p.m)),
    ok.map((p) => Math.log(p.y)),
  );
  const ms = ok.map((p) => p.m);
  const xs = [Math.min(...ms), Math.max(...ms)];
  return { slope, lo: fit.lo, hi: fit.hi, xs, ys: xs.map((m) => Math.exp(intercept + slope * Math.log(m))) };
}

/** A line of the given slope on log-log axes through the points' geometric middle, over their widths. */
export function referenceLine(points: readonly { m: number; y: number }[], slope: number): { xs: number[]; ys: number[] } | null {
  const ok = points.filter((p) => p.y > 0 && Number.isFinite(p.y));
  if (ok.length < 2) return null;
  const lm = ok.reduce((a, p) => a + Math.log(p.m), 0) / ok.length;
  const ly = ok.reduce((a, p) => a + Math.log(p.y), 0) / ok.length;
  const ms = ok.map((p) => p.m);
  const xs = [Math.min(...ms), Math.max(...ms)];
  return { xs, ys: xs.map((m) => Math.exp(ly + slope * (Math.log(m) - lm))) };
}

/** "−0.52 (95% interval −0.61 to −0.43)". */
export function slopeText(f: Slope | null): string {
  if (!f) return 'not yet measured';
  const s = (v: number) => (v < 0 ? `\u2212${Math.abs(v).toFixed(2)}` : v.toFixed(2));
  return Number.isFinite(f.lo) ? `${s(f.slope)} (95% interval ${s(f.lo)} to ${s(f.hi)})` : s(f.slope);
}

/** How a fitted slope compares with an expected one: "consistent with", "steeper than", "shallower than". */
export function compareSlope(f: Slope, expected: number): 'consistent with' | 'steeper than' | 'shallower than' {
  if (f.lo <= expected && expected <= f.hi) return 'consistent with';
  return Math.abs(f.slope) > Math.abs(expected) ? 'steeper than' : 'shallower than';
}
