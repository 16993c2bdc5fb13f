import type { RunConfig } from '../train/config.ts';
import { formatInt, formatSci, formatTolerance } from './format.ts';

/**
 * The figure's caption, written from the state and the runs, so it cannot disagree with what is
 * drawn. `eta` is the step size of the current run once its worker has computed lambda_max(K_0).
 */
export function describeWidthConvergence(c: RunConfig, widths: readonly number[], current: number, eta: number | null): string {
  const others = widths.filter((m) => m !== current).sort((a, b) => a - b);
  const tried =
    others.length === 0
      ? `the current width, m = ${current}`
      : `the current width, m = ${current} (thick), and the earlier ones, m = ${others.join(', ')} (fading with age)`;
  const layers = c.L === 1 ? 'W\u2081 is' : c.L === 2 ? 'W\u2081 and W\u2082 are' : `W\u2081 \u2026 W${subscript(c.L)} are`;
  const labels = { gaussian: 'Gaussian', sign: 'random \u00b11', teacher: 'teacher-network' }[c.labels];
  const method = c.batch === 0 || c.batch >= c.n ? 'full-batch gradient descent' : `SGD on mini-batches of ${c.batch}`;
  const step = `\u03b7 = ${c.lrScale}/\u03bb\u2098\u2090\u2093(K\u2080)` + (eta !== null ? ` (${formatSci(eta)} at m = ${current})` : '');
  return (
    `Training loss over its initial value, F(W\u209c)/F\u2080, on a log scale against the step t, for ${tried}: each run starts at 1, so runs from different F\u2080 share one stop line. ` +
    `Each run: ${network(c)} with depth L = ${c.L} (only ${layers} trained), fit to n = ${c.n} random points ` +
    `of the unit sphere in d = ${c.d} dimensions with ${labels} labels (data seed ${c.dataSeed}, initialization seed ${c.initSeed}), ` +
    `by ${method} with step size ${step}. ` +
    `A run stops when F/F\u2080 \u2264 ${formatTolerance(c.eps)} (the line marked stop) or after ${formatInt(c.steps)} steps.`
  );
}

/** The text's network, or its residual variant hₗ = ReLU(hₗ₋₁ + τ Wₗ hₗ₋₁). */
function network(c: RunConfig): string {
  if (c.arch === 'fc') return 'the network of the text';
  return `the residual network h\u2097 = ReLU(h\u2097\u208b\u2081 + \u03c4 W\u2097 h\u2097\u208b\u2081), \u03c4 = ${c.tau},`;
}

function subscript(k: number): string {
  return String(k).replace(/\d/g, (d) => String.fromCharCode(0x2080 + Number(d)));
}
