import './theoryPanels.css';
import type { DownloadSource } from './download.ts';
import { formatSlope } from './format.ts';
import { fitSeries, LOG_Y, titledLineChart, type LineChartOptions, type LineSeries } from './lineChart.ts';
import { createLogSlider } from './logSlider.ts';
import { el, setText, startProbePanel, theoryFooter, type LegendEntry } from './panelParts.ts';

/**
 * The "lazy-rich" panel: one run per output scale alpha (Chizat, Oyallon, Bach), each measured at its
 * end: how far the weights moved relative to their initial size, how far the tangent kernel drifted
 * (||K_T - K_0||_2 / ||K_0||_2), the fraction of ReLUs that flipped, and the test loss beside the
 * test loss of kernel regression with K_0, each against alpha on a log axis. The slider picks the
 * alpha whose numbers the panel reads out and marks it on every chart. Draws a view; starts nothing
 * (src/essay/figures/lazyRichFigure.ts does).
 */
export const LAZY_RICH_ID = 'lazy-rich';

export interface LrPoint {
  alpha: number;
  distRel: number; // ||W_T - W_0||_F / ||W_0||_F
  drift: number; // ||K_T - K_0||_2 / ||K_0||_2
  flips: number; // fraction of (point, unit) ReLU signs changed since initialization
  test: number; // the network's test loss
  kernel: number; // the K_0 kernel predictor's test loss
  train: number; // training loss per point at the end
}

export interface LrView {
  points: LrPoint[]; // ascending alpha, NaN until a run ends
  alpha: number; // the slider's
  fitDist: { xs: number[]; ys: number[]; slope: number } | null; // distance against alpha over the lazy end (alpha >= 1)
  numbers: string;
  status: string;
  caption: string;
}

const ALPHA_X: Pick<LineChartOptions, 'xLabel' | 'xLog'> = { xLabel: '\u03b1 (output scale, log)', xLog: true };

function series(v: LrView, key: string, label: string, get: (p: LrPoint) => number, extra: Partial<LineSeries> = {}): LineSeries[] {
  const ps = v.points.filter((p) => get(p) > 0);
  const here = ps.find((p) => p.alpha === v.alpha);
  const out: LineSeries[] = [{ key, label, tone: 0, xs: ps.map((p) => p.alpha), ys: ps.map(get), dots: true, ...extra }];
  if (here && key !== 'kernel') out.push({ key: 'now', label: `\u03b1 = ${here.alpha}`, tone: 0, xs: [here.alpha], ys: [get(here)], lineless: true });
  return out;
}

export function createLazyRich(figure: HTMLElement, alphas: readonly number[], onAlpha: (a: number) => void, download: Omit<DownloadSource, 'svg' | 'canvases'>): { update(v: LrView): void } {
  const controls = startProbePanel(figure, LAZY_RICH_ID, 'theory-panel');
  const slider = createLogSlider(controls, {
    id: 'lazy-rich-alpha',
    label: 'output scale \u03b1',
    notches: alphas,
    pageNotches: 2,
    ticks: [alphas[0], 1, alphas[alphas.length - 1]],
    valueText: (a) => `\u03b1 = ${a}${a < 1 ? ', toward feature learning' : a > 1 ? ', toward the lazy regime' : ''}`,
    onInput: (a, final) => {
      if (final) onAlpha(a);
    },
  });
  const body = el('div', 'probe-body theory-charts four', figure);
  const size = { aspect: 0.7, maxHeight: 300 };
  const chart = (title: string, aria: string, yLabel: string) => titledLineChart(body, title, { ariaLabel: aria, ...ALPHA_X, yLabel, ...LOG_Y, ...size }).chart;
  const dist = chart('Distance from initialization', 'Distance of the weights from initialization relative to their initial norm, at the end of training, against alpha, log-log, with a fit over alpha at least 1', '\u2016W_T \u2212 W\u2080\u2016_F / \u2016W\u2080\u2016_F (log)');
  const drift = chart('Kernel drift', 'Relative change of the tangent kernel between initialization and the end of training against alpha, log-log', '\u2016K_T \u2212 K\u2080\u2016\u2082 / \u2016K\u2080\u2016\u2082 (log)');
  const flips = chart('ReLU flips', 'Fraction of ReLU activation patterns that changed since initialization, at the end of training, against alpha, log-log', 'flipped fraction (log)');
  const test = chart('Test loss: network and kernel', 'Test loss of the trained network and of kernel regression with its initial tangent kernel, against alpha, log-log', 'test loss (log)');
  const { legend, numbers, status, caption } = theoryFooter(figure, body, 'Measures and marks', download);
  return {
    update(v) {
      slider.update(v.alpha);
      const d = series(v, 'dist', 'relative distance', (p) => p.distRel);
      if (v.fitDist) d.push(fitSeries(v.fitDist));
      dist.update(d);
      drift.update(series(v, 'drift', 'kernel drift', (p) => p.drift));
      flips.update(series(v, 'flips', 'flipped fraction', (p) => p.flips));
      test.update([...series(v, 'test', 'network', (p) => p.test), ...series(v, 'kernel', 'kernel K\u2080', (p) => p.kernel, { tone: 1, dashed: true })]);
      const items: LegendEntry[] = [
        { tone: 0, label: 'measured at the end of each run, one per \u03b1 (solid, dots)', dot: true },
        { tone: 1, label: 'kernel regression with K\u2080: the lazy limit\u2019s prediction (dashed)', dashed: true },
        { tone: 0, label: 'ring: the slider\u2019s \u03b1', dot: true },
      ];
      if (v.fitDist) items.push({ color: 'var(--threshold)', label: `fit of the distance over \u03b1 \u2265 1: slope ${formatSlope(v.fitDist.slope)}` });
      legend.update(items);
      setText(numbers, v.numbers);
      setText(status, v.status);
      setText(caption, v.caption);
      figure.dataset.done = String(v.points.filter((p) => p.test > 0).length);
      figure.dataset.alpha = String(v.alpha);
    },
  };
}
