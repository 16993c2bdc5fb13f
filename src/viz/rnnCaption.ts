import type { RunConfig } from '../train/config.ts';
import { formatInt, formatSci, formatTolerance } from './format.ts';

/**
 * The RNN figure's caption, written from its settings and runs (as the width figure's is), so it
 * cannot disagree with what is drawn. `eta` is the current run's step size once known.
 */
export function describeRnnConvergence(c: RunConfig, widths: readonly number[], current: number, eta: number | null): string {
  const others = widths.filter((m) => m !== current).sort((a, b) => a - b);
  const tried =
    others.length === 0
      ? `the current width, m = ${current}`
      : `the current width, m = ${current} (thick), and the earlier ones, m = ${others.join(', ')} (fading with age)`;
  const labels = { gaussian: 'Gaussian', sign: 'random \u00b11', teacher: 'teacher-network' }[c.labels];
  const step = `\u03b7 = ${c.lrScale}/\u03bb\u2098\u2090\u2093(K\u2080)` + (eta !== null ? ` (${formatSci(eta)} at m = ${current})` : '');
  return (
    `Training loss over its initial value, F(W\u209c)/F\u2080, on a log scale against the step t, for ${tried}. ` +
    `Each run: the ReLU recurrent network h\u209c = ReLU(W h\u209c\u208b\u2081 + A x\u209c), \u0177\u209c = B h\u209c, h\u2080 = 0, over sequences of length T = ${c.T}, ` +
    `with only W (one m \u00d7 m matrix shared by every step) trained; fit to n = ${c.n} sequences of unit vectors in d = ${c.d} dimensions ` +
    `with ${labels} labels at every step, the loss summed over steps 2 to ${c.T} (data seed ${c.dataSeed}, initialization seed ${c.initSeed}), ` +
    `by full-batch gradient descent with step size ${step}, K\u2080 the tangent kernel over all n(T \u2212 1) outputs. ` +
    `A run stops when F/F\u2080 \u2264 ${formatTolerance(c.eps)} (the line marked stop) or after ${formatInt(c.steps)} steps. ` +
    `Below: for each width, the norm of the gradient with respect to each step\u2019s hidden state h\u209c (of the whole loss, or of the last step\u2019s loss alone), ` +
    `dashed at initialization and solid at the run\u2019s latest measurement, on a log scale where exponential growth or decay would be a straight line.`
  );
}
