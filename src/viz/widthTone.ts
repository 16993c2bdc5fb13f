import { WIDTH_MAX, WIDTH_MIN } from '../state/urlState.ts';

/**
 * The curves' colors by width, in a module of their own: the hero and the theory panels color their
 * curves so too, and need none of the width figure's panel.
 */

/** Where a width sits between the narrowest and the widest, 0..1 on a log scale (the curve's color). */
export function widthTone(m: number): number {
  return Math.min(1, Math.max(0, Math.log(m / WIDTH_MIN) / Math.log(WIDTH_MAX / WIDTH_MIN)));
}

/**
 * A width's place among a figure's own widths, 0 (narrowest) to 1 (widest), by rank: a figure of
 * five widths spreads them over the whole palette, so neighbours stay apart.
 */
export function rankTone(m: number, widths: readonly number[]): number {
  const sorted = [...new Set(widths)].sort((a, b) => a - b);
  const i = sorted.indexOf(m);
  if (i < 0 || sorted.length < 2) return widthTone(m);
  return i / (sorted.length - 1);
}
