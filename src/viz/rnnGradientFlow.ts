import { LOG_Y, titledLineChart, WHOLE_X, type LineSeries } from './lineChart.ts';
import { el, numberToggle, setText, staticLegend, toggleGroup, type LegendEntry } from './panelParts.ts';

/**
 * The RNN figure's second view: the gradient with respect to each step's hidden state, ||dF/dh_t||
 * against t on a log scale, for every width tried, at initialization (dashed) and at the run's latest
 * step (solid), with a sequence-length choice, a choice of which gradient (every step's loss, or the
 * last step's alone) and the verdict on exponential growth, as computed by the figure. It draws a view
 * and reports intents (src/essay/figures/rnnFigure.ts holds the runs).
 */
export type GradientQuantity = 'all' | 'last';

export interface RnnGradientView {
  T: number;
  quantity: GradientQuantity;
  series: readonly LineSeries[];
  legend: readonly LegendEntry[];
  verdict: string;
  kind: string; // the verdict at the current width, for data-growth (tests read it)
}

export interface RnnGradientIntents {
  length(T: number): void;
  quantity(q: GradientQuantity): void;
}

export const QUANTITY_TITLES: Record<GradientQuantity, string> = {
  all: '\u2016\u2202F/\u2202h\u209c\u2016 against the step t (log scale)',
  last: 'The gradient of the last step\u2019s loss alone with respect to h\u209c, its norm against t (log scale)',
};

export function createRnnGradientFlow(
  figure: HTMLElement,
  lengths: readonly number[],
  intents: RnnGradientIntents,
): { update(v: RnnGradientView): void } {
  const root = el('div', 'rnn-gradient');
  // a figure's caption is its first or last child: this view goes above it
  figure.insertBefore(root, figure.querySelector(':scope > figcaption'));
  const controls = el('div', 'probe-controls', root);
  const lengthPick = numberToggle(controls, 'sequence length T', lengths, (T) => intents.length(T), (T) => `Train on sequences of ${T} steps`);
  const quantityPick = toggleGroup(
    controls,
    'gradient',
    [
      { value: 'all', text: 'every loss', title: 'The gradient of the whole loss F with respect to h_t' },
      { value: 'last', text: 'last step', title: 'The gradient of the last step\u2019s loss alone: each step back is one multiplication by W\u1d40D' },
    ],
    (q) => intents.quantity(q),
  );
  const { chart, title } = titledLineChart(root, QUANTITY_TITLES.all, {
    ariaLabel: 'Norm of the gradient with respect to each step\u2019s hidden state, against the step, log scale, per width, at initialization and now',
    xLabel: 't (step of the sequence)',
    yLabel: 'gradient norm (log)',
    ...WHOLE_X,
    ...LOG_Y,
    aspect: 0.5,
    maxHeight: 280,
  });
  const legend = staticLegend(root, 'Gradient curves');
  const verdict = el('p', 'rnn-verdict', root);
  verdict.setAttribute('aria-live', 'polite');
  return {
    update(v) {
      lengthPick.set(v.T);
      quantityPick.set(v.quantity);
      setText(title, QUANTITY_TITLES[v.quantity]);
      chart.update(v.series, { x: [1, v.T] });
      legend.update(v.legend);
      setText(verdict, v.verdict);
      root.dataset.growth = v.kind;
      root.dataset.curves = String(v.series.length);
    },
  };
}
