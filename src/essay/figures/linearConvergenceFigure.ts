import { DEFAULT_CONFIG, type RunConfig } from '../../train/config.ts';
import { formatInt, formatSci, formatTolerance } from '../../viz/format.ts';
import { createLinearConvergence, type LcView, type LcWidth } from '../../viz/linearConvergence.ts';
import { rankTone } from '../../viz/widthTone.ts';
import type { MountedPanel, PanelOptions } from '../panelTypes.ts';
import { bindAll, type Binds } from './essayNumbers.ts';
import { calmSetParts } from './calm.ts';
import { mountFigure } from './mountFigure.ts';
import { runNote, setStatus } from './runNote.ts';
import { col, runRows, type Run } from './runSet.ts';

/**
 * Wires the "linear-convergence" panel: one full-batch GD run per width with the loss and the
 * tangent kernel's smallest eigenvalue recorded at every step.
 *
 * The prediction. Linearize the network around W_t: r_{t+1} = r_t - eta K_t r_t = (I - eta K_t) r_t.
 * With K_t = sum_i lambda_i u_i u_i^T, ||r_{t+1}||^2 = sum_i (1 - eta lambda_i)^2 (u_i^T r_t)^2,
 * and while 0 <= eta lambda_i <= 2 - eta lambda_min for every i (here eta lambda_max(K_0) = c = 0.5)
 * each factor (1 - eta lambda_i)^2 is at most (1 - eta lambda_min)^2. So for F = 1/2 ||r||^2:
 *   F_{t+1} <= (1 - eta lambda_min(K_t))^2 F_t,
 * the residual's norm contracts by 1 - eta lambda_min, the loss by its square, about
 * 1 - 2 eta lambda_min for small steps (the same 2 lambda_min as the PL ratio's, ||g||^2 >= 2 lambda_min F).
 * The bound is tight when the residual lies along the kernel's slowest direction, as it comes to
 * late in a run. What the linearization leaves out (flips, curvature) can push the measured
 * ratio above it: that is what a narrow network would show.
 */
export const LC_WIDTHS: readonly number[] = [32, 128, 512];
/** A step keeps to the prediction when F_{t+1}/F_t <= (1 + TOL) (1 - eta lambda_min(K_t))^2 (float32 records). */
export const TOL = 1e-4;
/** The prediction holds at a width when at least this share of its steps keep to it. */
export const HOLDS_SHARE = 0.99;
/**
 * The theorem claims the rate only up to a constant, F_{t+1} <= (1 - Omega(eta lambda)) F_t: a step
 * keeps to it "up to a constant" when it removes at least this share of the predicted decrease,
 * 1 - F_{t+1}/F_t >= HALF (1 - (1 - eta lambda_min)^2).
 */
export const HALF = 0.5;

export function lcConfig(m: number): RunConfig {
  return { ...DEFAULT_CONFIG, m, L: 2, n: 16, d: 8, labels: 'gaussian', lrScale: 0.5, steps: 4000, every: 1, eps: 1e-4 };
}

export function mountLinearConvergence(root: HTMLElement, options: PanelOptions): MountedPanel {
  return mountFigure(root, 'linear-convergence', options, (figure) => {
    const set = figure.runs({ measures: { ntk: true }, fields: ['lambdaMin'] });
    const panel = createLinearConvergence(root, {
      csv: () => ({
        columns: ['width', 'step', 'loss', 'lambda_min_Kt', 'eta'],
        rows: runRows(set.runs, (t, i) => [t.spec.config.m, col(t, 'step')[i], col(t, 'loss')[i], col(t, 'lambdaMin')[i], t.info?.lr ?? NaN]),
      }),
      basename: () => `linear-convergence_m${LC_WIDTHS.join('-')}_L2_n16_d8_seed1`,
    });
    return {
      ...calmSetParts(figure, set, () => set.startAll(LC_WIDTHS.map((m) => ({ key: `m${m}`, config: lcConfig(m) }))),
        () => {
          const { binds, ...view } = linearConvergenceView(set.runs, setStatus(set, { active: figure.active }));
          bindAll(binds);
          panel.update(view);
        },
        () => '',
      ),
    };
  });
}

/** The measured and predicted per-step factors of one run, from consecutive records. */
export function contraction(steps: readonly number[], loss: readonly number[], lambdaMin: readonly number[], eta: number): Omit<LcWidth, 'm' | 'tone' | 'note'> {
  const out: Omit<LcWidth, 'm' | 'tone' | 'note'> = { steps: [], ratio: [], predicted: [], lossSteps: [], relLoss: [], predictedLoss: [] };
  const f0 = loss[0];
  let product = 1;
  for (let i = 0; i < loss.length; i++) {
    out.lossSteps.push(steps[i]);
    out.relLoss.push(loss[i] / f0);
    out.predictedLoss.push(product);
    if (i + 1 < loss.length && steps[i + 1] === steps[i] + 1 && loss[i] > 0 && Number.isFinite(lambdaMin[i])) {
      const p = (1 - eta * lambdaMin[i]) ** 2;
      out.steps.push(steps[i]);
      out.ratio.push(loss[i + 1] / loss[i]);
      out.predicted.push(p);
      product *= p;
    }
  }
  return out;
}

export function lcWidth(t: Run): LcWidth {
  const m = t.spec.config.m;
  const eta = t.info?.lr ?? NaN;
  return { m, tone: rankTone(m, LC_WIDTHS), ...contraction(col(t, 'step'), col(t, 'loss'), col(t, 'lambdaMin'), eta), note: runNote(t) };
}

/**
 * The share of steps that contract at least as much as predicted, the share that remove at least
 * HALF of the predicted decrease, and the late-run tightness.
 */
export function keepShare(w: Pick<LcWidth, 'ratio' | 'predicted'>): { share: number; halfShare: number; tightness: number } {
  const n = w.ratio.length;
  let kept = 0;
  let half = 0;
  for (let i = 0; i < n; i++) {
    if (w.ratio[i] <= (1 + TOL) * w.predicted[i]) kept++;
    if (1 - w.ratio[i] >= HALF * (1 - w.predicted[i])) half++;
  }
  // over the last fifth of the run: (1 - measured) / (1 - predicted), 1 when the bound is tight
  const late: number[] = [];
  for (let i = Math.floor(0.8 * n); i < n; i++) if (w.predicted[i] < 1) late.push((1 - w.ratio[i]) / (1 - w.predicted[i]));
  late.sort((a, b) => a - b);
  return { share: n ? kept / n : NaN, halfShare: n ? half / n : NaN, tightness: late.length ? late[Math.floor(late.length / 2)] : NaN };
}

export type LcVerdict = 'holds' | 'holds up to a constant' | 'fails';

/**
 * At one width: the linearized prediction holds when at least HOLDS_SHARE of the steps keep to it;
 * else it holds up to a constant when that share of the steps remove at least HALF of the
 * predicted decrease; else it fails.
 */
export function lcVerdict(w: { share: number; halfShare: number }): LcVerdict {
  if (w.share >= HOLDS_SHARE) return 'holds';
  return w.halfShare >= HOLDS_SHARE ? 'holds up to a constant' : 'fails';
}

const pct = (s: number): string => `${(100 * s).toFixed(s < 1 && s > 0.995 ? 1 : 0)}%`;

/** The sentence for the finished widths: each width's verdict with its shares. */
export function lcVerdictText(done: readonly { m: number; share: number; halfShare: number }[]): string {
  const byVerdict = (v: LcVerdict) => done.filter((w) => lcVerdict(w) === v).map((w) => w.m);
  const parts: string[] = [];
  const holds = byVerdict('holds');
  const constant = byVerdict('holds up to a constant');
  const fails = byVerdict('fails');
  if (holds.length) parts.push(`at m = ${holds.join(', ')} the linearized prediction holds`);
  if (constant.length) parts.push(`at m = ${constant.join(', ')} it holds only up to a constant (steps remove at least half the predicted decrease, not all of it)`);
  if (fails.length) parts.push(`at m = ${fails.join(', ')} it fails, even up to a factor of two`);
  const shares = done.map((w) => `${pct(w.share)} (${pct(w.halfShare)}) at m = ${w.m}`).join(', ');
  return `${parts.join('; ')}: ${shares} of steps contract at least as much as (1 \u2212 \u03b7\u03bb\u2098\u1d62\u2099(K\u209c))\u00b2 predicts (in brackets: by at least half as much; a verdict needs ${pct(HOLDS_SHARE)} of steps)`;
}

/** The panel's view and the sentences the essay quotes. */
export function linearConvergenceView(runs: readonly Run[], status: string): LcView & { binds: Binds } {
  const widths = runs.map(lcWidth);
  const ended = runs.filter((t) => t.end && (t.end.reason === 'converged' || t.end.reason === 'steps')).map((t) => t.spec.config.m);
  const done = widths.filter((w) => ended.includes(w.m) && w.ratio.length).map((w) => ({ m: w.m, steps: w.ratio.length, ...keepShare(w) }));
  const c = lcConfig(LC_WIDTHS[0]);
  const numbers = done
    .map((w) => `m = ${w.m}: ${formatInt(w.steps)} steps, ${(100 * w.share).toFixed(1)}% within the prediction, ${(100 * w.halfShare).toFixed(1)}% within half of it, late contraction ${formatSci(w.tightness, 3)}\u00d7 the predicted`)
    .join(' \u00b7 ');
  const caption =
    `Look first at the first chart: each solid curve is the factor F\u209c\u208a\u2081/F\u209c by which one step shrank the loss; the dashed curve of the same colour is (1 \u2212 \u03b7\u03bb\u2098\u1d62\u2099(K\u209c))\u00b2, ` +
    `the factor the tangent kernel at that step guarantees under the linearization r\u209c\u208a\u2081 = (I \u2212 \u03b7K\u209c)r\u209c (the residual\u2019s norm shrinks by 1 \u2212 \u03b7\u03bb\u2098\u1d62\u2099, the loss \u00bd\u2016r\u2016\u00b2 by its square). ` +
    `A solid curve below its dashed one is a step that did at least as well as predicted; late in a run the residual lines up with the kernel\u2019s slowest direction and the two meet. ` +
    `Second chart: F\u209c/F\u2080 on a log axis, a straight line for linear convergence, with the product of the predicted factors. ` +
    `Settings: widths m = ${LC_WIDTHS.join(', ')}, depth L = ${c.L}, n = ${c.n} points in d = ${c.d}, Gaussian labels, seed 1; full-batch gradient descent with \u03b7 = ${c.lrScale}/\u03bb\u2098\u2090\u2093(K\u2080) until F \u2264 ${formatTolerance(c.eps)} F\u2080; every step recorded.`;
  const binds: Binds = { 'linear-convergence.widths': LC_WIDTHS.join(', ') };
  if (done.length === runs.length && done.length > 0) {
    binds['linear-convergence.verdict'] = lcVerdictText(done);
    const t = done.map((w) => w.tightness).filter(Number.isFinite);
    if (t.length) binds['linear-convergence.tightness'] = `${formatSci(Math.min(...t), 3)} to ${formatSci(Math.max(...t), 3)}`;
    binds['linear-convergence.steps'] = done.map((w) => `${formatInt(w.steps)} at m = ${w.m}`).join(', ');
  }
  return { widths, numbers, status, caption, binds };
}
