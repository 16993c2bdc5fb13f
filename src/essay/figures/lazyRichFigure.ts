import { LR_ALPHAS } from '../../state/panelChoices.ts';
import { DEFAULT_CONFIG, type RunConfig } from '../../train/config.ts';
import { formatSci, formatTolerance } from '../../viz/format.ts';
import { createLazyRich, type LrPoint, type LrView } from '../../viz/lazyRich.ts';
import type { MountedPanel, PanelOptions } from '../panelTypes.ts';
import { calmSetParts } from './calm.ts';
import { bindAll, type Binds } from './essayNumbers.ts';
import { compareSlope, fitLine, slopeText } from './fits.ts';
import { mountFigure } from './mountFigure.ts';
import { runNote, setStatus } from './runNote.ts';
import { col, last, runRows, type Run } from './runSet.ts';

/**
 * Wires the "lazy-rich" panel: the same network, data and seeds trained at every output scale alpha
 * of LR_ALPHAS, the model alpha (f(W) - f(W_0)) fit with the loss (1/alpha^2) sum 1/2 ||alpha (f - f_0) - y||^2
 * (src/net/outputScale.ts) and one step size eta = c / lambda_max(K_0) for all (the 1/alpha^2 keeps the
 * outputs' time scale the same). Records carry the distance from initialization, the kernel drift,
 * the flips and the test losses; the panel shows each run's last record.
 */
export const LR_WIDTH = 256;
export const LR_TEACHER = 4;
export const LR_TEST_N = 256;

export function lrConfig(alpha: number): RunConfig {
  return { ...DEFAULT_CONFIG, m: LR_WIDTH, n: 32, d: 8, L: 2, teacher: LR_TEACHER, testN: LR_TEST_N, alpha, lrScale: 0.5, steps: 3000, every: 50, eps: 1e-4 };
}

export const LR_MEASURES = { dist: true, ntk: true, flips: true, test: true, kernel: true } as const;
export const LR_FIELDS = ['distRel', 'ntkDrift', 'flipFrac', 'testLoss', 'trainLossMean', 'kernelTestLoss'] as const;

export function mountLazyRich(root: HTMLElement, options: PanelOptions): MountedPanel {
  return mountFigure(root, 'lazy-rich', options, (figure) => {
    let alpha = Number(figure.choice('alpha'));
    const set = figure.runs({ measures: LR_MEASURES, fields: LR_FIELDS });
    const panel = createLazyRich(
      root,
      LR_ALPHAS,
      (a) => {
        figure.choose('alpha', a);
        alpha = a;
        figure.redraw();
      },
      {
        csv: () => ({
          columns: ['alpha', 'step', 'train_loss_mean', 'dist_rel', 'ntk_drift', 'flip_frac', 'test_loss', 'kernel_test_loss'],
          rows: runRows(set.runs, (t, i) => [t.spec.config.alpha, col(t, 'step')[i], col(t, 'trainLossMean')[i], col(t, 'distRel')[i], col(t, 'ntkDrift')[i], col(t, 'flipFrac')[i], col(t, 'testLoss')[i], col(t, 'kernelTestLoss')[i]]),
        }),
        basename: () => `lazy-rich_alpha${LR_ALPHAS.join('-')}_m${LR_WIDTH}_L2_n32_d8_teacher${LR_TEACHER}_seed1`,
      },
    );
    return calmSetParts(
      figure,
      set,
      // the slider's alpha first, then the rest from lazy to rich
      () => set.startAll([...LR_ALPHAS].sort((a, b) => Number(b === alpha) - Number(a === alpha) || b - a).map((a) => ({ key: `a${a}`, config: lrConfig(a) }))),
      () => {
        const { binds, ...view } = lazyRichView(set.runs, alpha, setStatus(set, { noun: 'run', active: figure.active }));
        bindAll(binds);
        panel.update(view);
      },
    );
  });
}

export function lrPoint(t: Run): LrPoint {
  const ended = t.end !== null;
  const get = (f: (typeof LR_FIELDS)[number]) => (ended ? last(t, f) : NaN);
  return { alpha: t.spec.config.alpha ?? NaN, distRel: get('distRel'), drift: get('ntkDrift'), flips: get('flipFrac'), test: get('testLoss'), kernel: get('kernelTestLoss'), train: get('trainLossMean') };
}

const sci = (v: number) => formatSci(v, 2);

/** Where the mean-field output scale 1/m falls on the slider: alpha = 1/sqrt(m) at the figure's width. */
export function meanFieldText(): string {
  const a = 1 / Math.sqrt(LR_WIDTH);
  const below = [...LR_ALPHAS].reverse().find((x) => x <= a);
  const above = LR_ALPHAS.find((x) => x >= a);
  const at = `1/\u221a${LR_WIDTH} \u2248 ${formatSci(a, 2)}`;
  if (below === a) return `${at}, one of the slider\u2019s stops`;
  return below !== undefined && above !== undefined ? `${at}, between the slider\u2019s ${below} and ${above}` : `${at}, outside the slider\u2019s range`;
}

/** The panel's view and the sentences the essay quotes, from the runs' last records. */
export function lazyRichView(runs: readonly Run[], alpha: number, status: string): LrView & { binds: Binds } {
  const points = runs.map(lrPoint).sort((a, b) => a.alpha - b.alpha);
  const ended = points.filter((p) => p.test > 0);
  const fitDist = fitLine(ended.filter((p) => p.alpha >= 1).map((p) => ({ m: p.alpha, y: p.distRel })));
  const here = points.find((p) => p.alpha === alpha);
  const run = runs.find((t) => t.spec.config.alpha === alpha);
  const parts = [
    here && here.test > 0
      ? `\u03b1 = ${alpha}: distance ${sci(here.distRel)} of \u2016W\u2080\u2016, kernel drift ${sci(here.drift)}, flips ${sci(here.flips)}, test ${sci(here.test)} (kernel ${sci(here.kernel)}), training ${sci(here.train)}`
      : `\u03b1 = ${alpha}: ${runNote(run)}`,
  ];
  if (fitDist) parts.push(`slope of the distance over \u03b1 \u2265 1: ${slopeText(fitDist)}`);
  const c = lrConfig(1);
  const caption =
    `Look first at the left end of each chart and move right: small \u03b1 is the rich regime, large \u03b1 the lazy one. Each dot is one network trained to the end at that \u03b1; ` +
    `the ring is the slider\u2019s. In the last chart the dashed line is kernel regression with the network\u2019s tangent kernel at initialization, K\u2080: what gradient descent on the network linearized at W\u2080 converges to, the same for every \u03b1. ` +
    `Settings: the model \u03b1(f(W) \u2212 f(W\u2080)) with loss (1/\u03b1\u00b2) \u2211\u1d62 \u00bd(\u03b1(f(x\u1d62; W) \u2212 f(x\u1d62; W\u2080)) \u2212 y\u1d62)\u00b2, width m = ${LR_WIDTH}, depth L = ${c.L}, n = ${c.n} points in d = ${c.d}, labels from a k = ${LR_TEACHER} tanh teacher, ` +
    `${LR_TEST_N} test points, \u03b1 = ${LR_ALPHAS.join(', ')}; gradient descent with \u03b7 = ${c.lrScale}/\u03bb\u2098\u2090\u2093(K\u2080) at every \u03b1 until F \u2264 ${formatTolerance(c.eps)} F\u2080 (at most ${c.steps} steps); seed 1.`;
  return { points, alpha, fitDist, numbers: parts.join(' \u00b7 '), status, caption, binds: lazyRichBinds(ended, fitDist) };
}

export function lazyRichBinds(ended: readonly LrPoint[], fitDist: ReturnType<typeof fitLine>): Binds {
  const binds: Binds = { 'lazy-rich.alphas': LR_ALPHAS.join(', '), 'lazy-rich.count': String(LR_ALPHAS.length), 'lazy-rich.meanField': meanFieldText() };
  if (ended.length !== LR_ALPHAS.length) return binds;
  const rich = ended[0];
  const lazy = ended[ended.length - 1];
  const best = ended.reduce((a, b) => (b.test < a.test ? b : a));
  const one = ended.find((p) => p.alpha === 1);
  Object.assign(binds, {
    'lazy-rich.distSlope': fitDist ? `${slopeText(fitDist)}, ${compareSlope(fitDist, -1)} the \u22121 of lazy training` : null,
    'lazy-rich.distLazy': sci(lazy.distRel),
    'lazy-rich.distRich': sci(rich.distRel),
    'lazy-rich.driftLazy': sci(lazy.drift),
    'lazy-rich.driftRich': sci(rich.drift),
    'lazy-rich.driftOne': one ? `${formatSci(100 * one.drift, 2)}%` : null,
    'lazy-rich.flipsLazy': sci(lazy.flips),
    'lazy-rich.flipsRich': sci(rich.flips),
    'lazy-rich.testLazy': sci(lazy.test),
    'lazy-rich.testRich': sci(rich.test),
    'lazy-rich.kernel': sci(lazy.kernel),
    'lazy-rich.best': `\u03b1 = ${best.alpha} (${sci(best.test)})`,
    'lazy-rich.verdict':
      rich.test < lazy.kernel
        ? `below the kernel\u2019s ${sci(lazy.kernel)}: the network that moved its features generalized better than its initial kernel`
        : `not below the kernel\u2019s ${sci(lazy.kernel)}: here moving the features did not beat the initial kernel`,
    'lazy-rich.lazyVsKernel': `${sci(lazy.test)} against the kernel\u2019s ${sci(lazy.kernel)} (a ${formatSci((100 * Math.abs(lazy.test - lazy.kernel)) / lazy.kernel, 2)}% difference)`,
  });
  return binds;
}
