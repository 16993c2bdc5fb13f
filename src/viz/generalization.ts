import './theoryPanels.css';
import type { DownloadSource } from './download.ts';
import { formatSlope } from './format.ts';
import { fitSeries, stepChart, titledLineChart, widthLogChart, type LineSeries } from './lineChart.ts';
import { createLogSlider } from './logSlider.ts';
import { el, setText, startProbePanel, theoryFooter, type LegendEntry } from './panelParts.ts';

/**
 * The "generalization" panel: test loss on a held-out set against the width m at fixed n (log-log),
 * beside the per-point training loss each run reached and the test loss of the network's own
 * tangent-kernel predictor (kernel regression with K_0); test loss against n for a few widths; and,
 * for the width the slider picks, training and test loss along its steps. Draws a view; starts
 * nothing (src/essay/figures/generalizationFigure.ts does).
 */
export const GENERALIZATION_ID = 'generalization';

/** One run's end: NaN where not measured yet. */
export interface GenPoint {
  m: number;
  n: number;
  test: number; // mean 1/2 (f(x) - f*(x))^2 over the test points, at the run's last record
  train: number; // the same mean over the training points
  kernel: number; // the K_0 kernel predictor's test loss
}

export interface GenView {
  byWidth: GenPoint[]; // at the fixed n, ascending m
  byN: { m: number; tone: number; points: GenPoint[] }[]; // per width, ascending n
  fitTest: { xs: number[]; ys: number[]; slope: number } | null; // test loss against m
  width: number; // the slider's width
  widths: readonly number[];
  ended: number; // runs that have ended
  curve: { steps: number[]; train: number[]; test: number[]; kernel: number } | null; // the slider's width along its steps
  numbers: string;
  status: string;
  caption: string;
}

export interface GenIntents {
  width(m: number): void;
}

const done = (ps: readonly GenPoint[], f: (p: GenPoint) => number) => ps.filter((p) => f(p) > 0);

/** Test loss, kernel test loss and training loss against m, with the fit of the test loss and the slider's width marked. */
export function genWidthSeries(v: GenView): LineSeries[] {
  const test = done(v.byWidth, (p) => p.test);
  const kernel = done(v.byWidth, (p) => p.kernel);
  const train = done(v.byWidth, (p) => p.train);
  const out: LineSeries[] = [
    { key: 'test', label: 'network, test', tone: 0, xs: test.map((p) => p.m), ys: test.map((p) => p.test), dots: true },
    { key: 'kernel', label: 'kernel K\u2080, test', tone: 1, xs: kernel.map((p) => p.m), ys: kernel.map((p) => p.kernel), dots: true, dashed: true },
    { key: 'alt-train', label: 'network, training', tone: 0.5, xs: train.map((p) => p.m), ys: train.map((p) => p.train), dots: true, dotted: true },
  ];
  if (v.fitTest) out.push(fitSeries(v.fitTest));
  const here = test.find((p) => p.m === v.width);
  if (here) out.push({ key: 'current', label: `m = ${here.m}`, tone: 0, xs: [here.m], ys: [here.test], lineless: true });
  return out;
}

/** Test loss against n: the network (solid) and its kernel (dashed) for each width. */
export function genNSeries(v: GenView): LineSeries[] {
  return v.byN.flatMap((w) => {
    const net = done(w.points, (p) => p.test);
    const ker = done(w.points, (p) => p.kernel);
    return [
      { key: `net-m${w.m}`, label: `network, m = ${w.m}`, tone: w.tone, xs: net.map((p) => p.n), ys: net.map((p) => p.test), dots: true },
      { key: `ker-m${w.m}`, label: `kernel K\u2080, m = ${w.m}`, tone: w.tone, xs: ker.map((p) => p.n), ys: ker.map((p) => p.kernel), dots: true, dashed: true },
    ];
  });
}

function legendItems(v: GenView): LegendEntry[] {
  const items: LegendEntry[] = [
    { tone: 0, label: 'the network\u2019s test loss (solid)', dot: true },
    { tone: 1, label: 'its tangent kernel at initialization, K\u2080: kernel regression\u2019s test loss (dashed)', dashed: true },
    { color: 'var(--alt)', label: 'the network\u2019s training loss per point at the end (dotted)', dotted: true },
  ];
  if (v.fitTest) items.push({ color: 'var(--threshold)', label: `fit of the test loss against m: slope ${formatSlope(v.fitTest.slope)}` });
  for (const w of v.byN) items.push({ tone: w.tone, label: `second chart: m = ${w.m}` });
  return items;
}

export function createGeneralization(figure: HTMLElement, intents: GenIntents, widths: readonly number[], download: Omit<DownloadSource, 'svg' | 'canvases'>): { update(v: GenView): void } {
  const controls = startProbePanel(figure, GENERALIZATION_ID, 'theory-panel');
  const slider = createLogSlider(controls, {
    id: 'generalization-width',
    label: 'width m (third chart)',
    notches: widths,
    pageNotches: 2,
    ticks: [widths[0], widths[Math.floor(widths.length / 2)], widths[widths.length - 1]],
    valueText: (m) => `${m} neurons per layer`,
    onInput: (m, final) => {
      if (final) intents.width(m);
    },
  });
  const body = el('div', 'probe-body theory-charts', figure);
  const size = { aspect: 0.75, maxHeight: 320 };
  const { chart: byM } = titledLineChart(body, 'Test loss against the width', widthLogChart('Test loss of the network and of its initial tangent kernel, and the network\u2019s final training loss per point, against the width, log-log', 'mean loss per point (log)', size));
  const { chart: byN } = titledLineChart(body, 'Test loss against the number of training points', { ...widthLogChart('Test loss of the network and of its initial kernel against the number of training points n, log-log, for two widths', 'test loss (log)', size), xLabel: 'n (training points, log)' });
  const { chart: steps, title: stepsTitle } = titledLineChart(body, 'Along training', stepChart('Training loss per point and test loss along the steps of the run at the chosen width, log scale, with the kernel predictor\u2019s test loss as a level', 'mean loss per point (log)', size));
  const { legend, numbers, status, caption } = theoryFooter(figure, body, 'Network, kernel and fit', download);
  return {
    update(v) {
      slider.update(v.width);
      byM.update(genWidthSeries(v));
      byN.update(genNSeries(v));
      const c = v.curve;
      setText(stepsTitle, `Along training, m = ${v.width}`);
      steps.update(
        c
          ? [
              { key: 'test', label: 'test', tone: 0, xs: c.steps, ys: c.test },
              { key: 'alt-train', label: 'training', tone: 0.5, xs: c.steps, ys: c.train, dotted: true },
              ...(c.kernel > 0 && c.steps.length ? [{ key: 'kernel', label: 'kernel K\u2080, test', tone: 1, xs: [c.steps[0], c.steps[c.steps.length - 1]], ys: [c.kernel, c.kernel], dashed: true }] : []),
            ]
          : [],
      );
      legend.update(legendItems(v));
      setText(numbers, v.numbers);
      setText(status, v.status);
      setText(caption, v.caption);
      figure.dataset.done = String(v.ended);
      figure.dataset.width = String(v.width);
    },
  };
}
