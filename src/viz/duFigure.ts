import type { DownloadSource } from './download.ts';
import { formatSci } from './format.ts';
import { createLineChart, WHOLE_X, type LineSeries } from './lineChart.ts';
import { button, compositeSvg, el, probeFooter, setText, startProbePanel, staticLegend } from './panelParts.ts';

/**
 * The "du-figure" panel: Du et al.'s Figure 1 at a reduced size, one curve per width in three
 * charts against the iteration: training loss, fraction of ReLU activation patterns changed since
 * initialization, and the largest distance any one neuron's weights moved. Draws a view; starts
 * nothing (see src/essay/figures/duReplotFigure.ts).
 */
export const DU_PANEL_ID = 'du-figure';

export interface DuCurve {
  m: number;
  tone: number;
  steps: number[];
  loss: number[];
  flipSteps: number[];
  flips: number[]; // percent
  neuronSteps: number[];
  neuron: number[];
  note: string;
}

export interface DuView {
  curves: DuCurve[];
  status: string;
  caption: string;
}

export function createDuPanel(figure: HTMLElement, intents: { restart(): void }, download: Omit<DownloadSource, 'svg' | 'canvases'>): { update(v: DuView): void } {
  const controls = startProbePanel(figure, DU_PANEL_ID, 'du-panel');
  const again = button(controls, 'restart', 'Train again', () => intents.restart());
  again.title = 'Train all widths again from the same initialization';
  const body = el('div', 'probe-body du-charts', figure);
  const loss = createLineChart(el('div', 'chart-cell', body), {
    ariaLabel: 'Training loss against iteration, one curve per width, log scale',
    xLabel: 'iteration t',
    yLabel: 'training loss F(W\u209c) (log)',
    yLog: true,
    ...WHOLE_X,
  });
  const flips = createLineChart(el('div', 'chart-cell', body), {
    ariaLabel: 'Percentage of activation patterns changed since initialization, one curve per width',
    xLabel: 'iteration t',
    yLabel: 'pattern changes (% of units \u00d7 samples)',
    ...WHOLE_X,
    formatY: (v) => formatSci(v, 2),
  });
  const dist = createLineChart(el('div', 'chart-cell', body), {
    ariaLabel: 'Largest distance of one neuron from its initial weights against iteration, one curve per width',
    xLabel: 'iteration t',
    yLabel: 'max\u1d63 \u2016w\u1d63(t) \u2212 w\u1d63(0)\u2016 (distance)',
    ...WHOLE_X,
  });
  const legend = staticLegend(figure, 'Widths');
  const { status, caption } = probeFooter(figure, { ...download, svg: () => compositeSvg(body) });

  return {
    update(v) {
      // dots alone where the samples are sparse (the distance is probed while the run goes on): a line would invent the path between them
      const series = (pick: (c: DuCurve) => [number[], number[]], dots = false): LineSeries[] =>
        v.curves.map((c) => {
          const [xs, ys] = pick(c);
          return { key: `m${c.m}`, label: `m = ${c.m}`, tone: c.tone, xs, ys, dots, lineless: dots };
        });
      loss.update(series((c) => [c.steps, c.loss]));
      flips.update(series((c) => [c.flipSteps, c.flips]));
      dist.update(series((c) => [c.neuronSteps, c.neuron], true));
      legend.update(v.curves.map((c) => ({ tone: c.tone, label: `m = ${c.m}: ${c.note}` })));
      setText(status, v.status);
      setText(caption, v.caption);
      figure.dataset.curves = String(v.curves.filter((c) => c.steps.length > 1).length);
      figure.dataset.neuronPoints = String(v.curves.reduce((a, c) => a + c.neuron.length, 0));
    },
  };
}
