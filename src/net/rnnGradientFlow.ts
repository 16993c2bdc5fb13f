import type { Model } from './model.ts';
import { rnnBackward, seqLength } from './rnn.ts';
import { alloc, sumSquares, type Vec } from './tensor.ts';

/**
 * How the gradient travels back through time in the RNN, over all n sequences (sums over i):
 * - total[t-1] = ||dF/dh_t|| = sqrt(sum_i ||dF/dh_{i,t}||^2), t = 1..T: the loss of every step t' >= max(t, 2)
 *   reaches h_t, through W^T D_{t'} ... W^T D_{t+1} B^T r_{t'};
 * - fromLast[t-1] = ||dF_T/dh_t|| with F_T = sum_i 1/2 ||yhat_{i,T} - y_{i,T}||^2: the last step's loss
 *   alone, so each step back multiplies by one W^T D. Exploding or vanishing gradients mean this
 *   grows or shrinks exponentially in T - t; the companion paper (Allen-Zhu, Li, Song, NeurIPS 2019)
 *   proves that near a random initialization of large width it does neither (only polynomial factors).
 * Uses the model's cache and scratch (a full-batch forward pass is run first).
 */
export function hiddenGradientNorms(model: Model): { total: Float64Array; fromLast: Float64Array } {
  const { spec, params, kernels, cache, scratch, precision } = model;
  const T = seqLength(spec);
  const total = new Float64Array(T);
  const fromLast = new Float64Array(T);
  if (T < 2) return { total, fromLast };
  model.loss(null);
  const n = cache.rows;
  const count = n * spec.m;
  const norms = (into: Float64Array) => (t: number, dH: Vec) => {
    into[t - 1] = Math.sqrt(sumSquares(dH.subarray(0, count)));
  };
  rnnBackward(spec, params, kernels, cache, model.residual, scratch, null, 1, norms(total));
  // the residual of step T alone
  const per = model.outSize;
  const last = alloc(precision, n * per);
  for (let i = 0; i < n; i++)
    for (let a = per - spec.dOut; a < per; a++) last[i * per + a] = model.residual[i * per + a];
  rnnBackward(spec, params, kernels, cache, last, scratch, null, 1, norms(fromLast));
  return { total, fromLast };
}
