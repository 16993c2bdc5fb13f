import { DEFAULT_CONFIG, type RunConfig } from '../../train/config.ts';

/**
 * The hero figure's runs (the width slider under the opening paragraph): the network of the text at
 * a handful of widths, full-batch gradient descent from the same seeds until F <= eps F_0. The
 * recording at build time (src/essay/recorded/recipes.ts) and the live runs use these settings.
 */
export const HERO_WIDTHS: readonly number[] = [16, 32, 64, 128, 256, 512, 1024];
export const HERO_DEFAULT_WIDTH = 64;

export function heroConfig(m: number): RunConfig {
  return { ...DEFAULT_CONFIG, m, L: 2, n: 16, d: 8, labels: 'gaussian', lrScale: 0.5, steps: 5000, every: 1, eps: 1e-3 };
}
