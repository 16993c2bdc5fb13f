import { WIDTH_MAX, WIDTH_MIN } from '../state/urlState.ts';

/** Where a width sits between the narrowest and the widest, 0..1 on a log scale (the curve's color). */
export function widthTone(m: number): number {
  return Math.min(1, Math.max(0, Math.log(m / WIDTH_MIN) / Math.log(WIDTH_MAX / WIDTH_MIN)));
}
