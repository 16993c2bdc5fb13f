import type { RunConfig } from '../train/config.ts';
import { formatInt, formatSci, formatTolerance } from './format.ts';

/**
 * The cnn figure's caption, written from its settings and runs (as widthConvergenceCaption.ts does
 * for the FC network), so it cannot disagree with what is drawn. `eta` is the current run's step
 * size once its worker has computed lambda_max(K_0).
 */
export function describeCnn(c: RunConfig, widths: readonly number[], current: number, eta: number | null): string {
  const others = widths.filter((m) => m !== current).sort((a, b) => a - b);
  const tried = others.length === 0 ? `m = ${current} channels` : `m = ${current} channels (thick) and the earlier ones, m = ${others.join(', ')} (fading with age)`;
  const r = (c.window - 1) / 2;
  const layer =
    c.arch === 'cnn'
      ? 'h\u2097[p] = ReLU(W\u2097 patch\u209a(h\u2097\u208b\u2081))'
      : `h\u2097[p] = ReLU(h\u2097\u208b\u2081[p] + \u03c4 W\u2097 patch\u209a(h\u2097\u208b\u2081)), \u03c4 = ${c.tau}`;
  const labels = { gaussian: 'Gaussian', sign: 'random \u00b11', teacher: 'teacher-network' }[c.labels];
  const method = c.batch === 0 || c.batch >= c.n ? 'full-batch gradient descent' : `SGD on mini-batches of ${c.batch}`;
  const step = `\u03b7 = ${c.lrScale}/\u03bb\u2098\u2090\u2093(K\u2080)` + (eta !== null ? ` (${formatSci(eta)} at m = ${current})` : '');
  return (
    `Training loss over its initial value, F(W\u209c)/F\u2080, on a log scale against the step t, for ${tried}. ` +
    `Each run: the convolutional network ${layer}, where patch\u209a(h) joins the ${c.window} positions p \u2212 ${r} \u2026 p + ${r} (wrapping around), ` +
    `with the same W\u2097 at every position, L = ${c.L} trained layers of m channels, on n = ${c.n} random signals of q = ${c.q} positions ` +
    `and c = ${c.d} channels with \u2016x\u2016 = 1 and ${labels} labels (data seed ${c.dataSeed}, initialization seed ${c.initSeed}), ` +
    `by ${method} with step size ${step}. ` +
    `A run stops when F/F\u2080 \u2264 ${formatTolerance(c.eps)} (the line marked stop) or after ${formatInt(c.steps)} steps. ` +
    `The readouts are the shown run's, at its last record: the PL ratio \u2016\u2207F\u2016\u00b2/F, the relative distance \u2016W\u209c \u2212 W\u2080\u2016/\u2016W\u2080\u2016 and the fraction of ReLUs (over samples, positions and channels) whose sign differs from initialization.`
  );
}
