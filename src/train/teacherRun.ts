import { makeDataset, type Dataset } from '../net/data.ts';
import type { Model } from '../net/model.ts';
import { centredTargets, effectiveAlpha } from '../net/outputScale.ts';
import { Rng } from '../net/rng.ts';
import { makeTeacherData } from '../net/teacher.ts';
import type { RunConfig } from './config.ts';

/** A run's training data, and with a teacher (config.teacher > 0) its held-out test set. */
export function runData(c: RunConfig): { train: Dataset; test: Dataset | null } {
  const closePairDelta = c.closePairDelta ?? undefined;
  if (c.teacher > 0) {
    const { train, test } = makeTeacherData({ n: c.n, d: c.d, dOut: c.dOut, k: c.teacher, noise: c.noise, testN: c.testN, closePairDelta }, c.dataSeed);
    return { train, test };
  }
  return { train: makeDataset({ n: c.n, d: c.d, dOut: c.dOut, labels: c.labels, closePairDelta }, new Rng(c.dataSeed, 'data')), test: null };
}

/** The output scale of a run: alpha (after the mean-field option) and f(x_i; W_0) on the training points. */
export interface OutputScale {
  alpha: number;
  out0: Float64Array; // n x dOut
}

/**
 * With config.alpha set, makes the model fit F_alpha (src/net/outputScale.ts) by giving it the
 * targets f(x_i; W_0) + y_i / alpha. Call before the first update; the model must own a copy of the
 * data (its labels are replaced).
 */
export function applyOutputScale(model: Model, c: RunConfig): OutputScale | null {
  if (c.alpha === null) return null;
  const alpha = effectiveAlpha(c.alpha, c.alphaScaling, c.m);
  model.loss(null);
  const out0 = Float64Array.from(model.cache.out.subarray(0, model.data.n * c.dOut));
  model.setTargets(centredTargets(out0, model.data.Y, alpha));
  return { alpha, out0 };
}
