import './theoryPanels.css';
import type { DownloadSource } from './download.ts';
import { stepChart, titledLineChart, type LineSeries } from './lineChart.ts';
import { el, setText, startProbePanel, theoryFooter, type LegendEntry } from './panelParts.ts';

/**
 * The "linear-convergence" panel: the per-step contraction of the loss along real runs, against
 * the contraction the tangent kernel predicts at that step. First chart: F_{t+1}/F_t (solid) and
 * (1 - eta lambda_min(K_t))^2 (dashed) per width. Second chart: F_t/F_0 (solid) and the product
 * of the predicted factors up to t (dashed), on a log axis, where linear convergence is a
 * straight line. Draws a view; starts nothing (src/essay/figures/linearConvergenceFigure.ts does).
 */
export const LINEAR_CONVERGENCE_ID = 'linear-convergence';

export interface LcWidth {
  m: number;
  tone: number;
  steps: number[]; // t, for the ratio at t (F_{t+1}/F_t)
  ratio: number[]; // F_{t+1}/F_t
  predicted: number[]; // (1 - eta lambda_min(K_t))^2
  lossSteps: number[]; // t for F_t/F_0
  relLoss: number[]; // F_t/F_0
  predictedLoss: number[]; // prod_{s<t} (1 - eta lambda_min(K_s))^2
  note: string;
}

export interface LcView {
  widths: LcWidth[];
  numbers: string;
  status: string;
  caption: string;
}

export function createLinearConvergence(figure: HTMLElement, download: Omit<DownloadSource, 'svg' | 'canvases'>): { update(v: LcView): void } {
  startProbePanel(figure, LINEAR_CONVERGENCE_ID, 'theory-panel');
  const body = el('div', 'probe-body theory-charts', figure);
  const size = { aspect: 0.75, maxHeight: 340 };
  const { chart: ratio } = titledLineChart(body, 'Contraction of each step, measured and predicted', stepChart('The ratio of the loss after a step to the loss before it, against the step, for several widths, with the ratio the tangent kernel predicts, one minus eta lambda-min of K_t, squared', 'F\u209c\u208a\u2081 / F\u209c (solid), (1 \u2212 \u03b7\u03bb\u2098\u1d62\u2099(K\u209c))\u00b2 (dashed)', size, false));
  const { chart: loss } = titledLineChart(body, 'The loss, and the product of the predicted factors', stepChart('The loss relative to its initial value against the step, log scale, for several widths, with the product of the predicted per-step factors', 'F\u209c / F\u2080 (log)', size));
  const { legend, numbers, status, caption } = theoryFooter(figure, body, 'Widths and predictions', download);
  return {
    update(v) {
      const sorted = [...v.widths].sort((a, b) => a.m - b.m);
      const rs: LineSeries[] = [];
      const ls: LineSeries[] = [];
      for (const w of sorted) {
        rs.push({ key: `pred${w.m}`, label: `(1 \u2212 \u03b7\u03bb\u2098\u1d62\u2099)\u00b2, m = ${w.m}`, tone: w.tone, xs: w.steps, ys: w.predicted, dashed: true });
        rs.push({ key: `m${w.m}`, label: `F\u209c\u208a\u2081/F\u209c, m = ${w.m}`, tone: w.tone, xs: w.steps, ys: w.ratio });
        ls.push({ key: `pred${w.m}`, label: `\u220f(1 \u2212 \u03b7\u03bb\u2098\u1d62\u2099)\u00b2, m = ${w.m}`, tone: w.tone, xs: w.lossSteps, ys: w.predictedLoss, dashed: true });
        ls.push({ key: `m${w.m}`, label: `F\u209c/F\u2080, m = ${w.m}`, tone: w.tone, xs: w.lossSteps, ys: w.relLoss });
      }
      ratio.update(rs);
      loss.update(ls);
      const items: LegendEntry[] = sorted.map((w) => ({ tone: w.tone, label: `m = ${w.m}: ${w.note}` }));
      items.push({ tone: 0.5, label: 'solid: measured (F\u209c\u208a\u2081/F\u209c; F\u209c/F\u2080)' });
      items.push({ tone: 0.5, label: 'dashed, same colour: the kernel\u2019s prediction ((1 \u2212 \u03b7\u03bb\u2098\u1d62\u2099(K\u209c))\u00b2; its product)', dashed: true });
      legend.update(items);
      setText(numbers, v.numbers);
      setText(status, v.status);
      setText(caption, v.caption);
      figure.dataset.points = String(v.widths.reduce((a, w) => a + w.ratio.length, 0));
      figure.dataset.done = String(v.widths.filter((w) => /converged|steps/.test(w.note)).length);
    },
  };
}
