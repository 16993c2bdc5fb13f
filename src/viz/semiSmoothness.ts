import './theoryPanels.css';
import type { DownloadSource } from './download.ts';
import { formatInt, formatSlope } from './format.ts';
import { fitSeries, stepChart, titledLineChart, widthLogChart, type LineSeries } from './lineChart.ts';
import { button, el, numberToggle, setText, startProbePanel, theoryFooter, type LegendEntry } from './panelParts.ts';

/**
 * The "semi-smoothness" panel (the paper's semi-smoothness, Theorem 4, measured): at the current point W_t of a run, the loss
 * along the negative gradient next to the first-order line F - s||g|| and the measured bound
 * F - s||g|| + b s^2; the semi-smoothness residual rho and its ReLU part over training; and the
 * mean |rho_relu| of each run against the width with a fitted slope. Draws; starts nothing.
 */
export const SEMI_SMOOTHNESS_ID = 'semi-smoothness';

export interface SsSlice {
  step: number;
  s: number[];
  loss: number[];
  firstOrder: number[];
  bound: number[];
  b: number; // measured curvature constant of the bound
  stepS: number; // s = eta ||g||: where gradient descent's step lands
  stepLoss: number; // F there
  loss0: number;
  gradNorm: number;
}

export interface SsTrack {
  m: number;
  tone: number;
  steps: number[];
  rho: number[];
  rhoRelu: number[]; // |rho_relu|
  meanAbsRelu: number; // mean over the run, once it ended
  note: string;
}

export interface SsView {
  width: number; // the slice run's width
  widths: readonly number[]; // its choices
  slice: SsSlice | null;
  sliceNote: string;
  canAdvance: boolean;
  tracks: SsTrack[];
  fit: { xs: number[]; ys: number[]; slope: number } | null;
  reference: { xs: number[]; ys: number[] } | null; // slope -1/6 through the widths' middle
  numbers: string;
  status: string;
  caption: string;
}

export interface SsIntents {
  width(m: number): void;
  advance(): void;
  rewind(): void;
}

export function createSemiSmoothness(figure: HTMLElement, sliceWidths: readonly number[], intents: SsIntents, download: Omit<DownloadSource, 'svg' | 'canvases'>): { update(v: SsView): void } {
  const controls = startProbePanel(figure, SEMI_SMOOTHNESS_ID, 'theory-panel');
  const width = numberToggle(controls, 'width m', sliceWidths, (v) => intents.width(v));
  const advance = button(controls, 'advance', 'Take 10 steps', () => intents.advance());
  advance.title = 'Make ten gradient steps, then slice the loss again at the new point';
  const rewind = button(controls, 'rewind', 'Back to step 0', () => intents.rewind());
  rewind.title = 'Start again from the random initialization';

  const body = el('div', 'probe-body theory-charts three', figure);
  const size = { aspect: 0.75, maxHeight: 320 }; // the charts side by side, one height rule
  const { chart: slice, title: t1 } = titledLineChart(body, '', {
    ariaLabel: 'The loss along the negative gradient from the current point, with the first-order line and the measured quadratic bound',
    xLabel: 's (distance along \u2212\u2207F/\u2016\u2207F\u2016)',
    yLabel: 'F (loss at W\u209c \u2212 s\u00b7\u2207F/\u2016\u2207F\u2016)',
    ...size,
  });
  const { chart: rho } = titledLineChart(body, 'Residual \u03c1 of each step over training', stepChart('The semi-smoothness residual rho and the absolute value of its ReLU part against the step, log scale', '\u03c1 (solid) and |\u03c1_ReLU| (dotted), log', size));
  const { chart: perM } = titledLineChart(body, 'The ReLU part against width', widthLogChart('Mean absolute ReLU part of rho over each run against the width, log-log, with the fitted slope', 'mean |\u03c1_ReLU| (over the run, log)', size));
  const { legend, numbers, status, caption } = theoryFooter(figure, body, 'Curves', download);

  return {
    update(v) {
      width.set(v.width);
      advance.disabled = !v.canAdvance;
      setText(t1, v.slice ? `Along \u2212\u2207F at step ${formatInt(v.slice.step)} (m = ${v.width})` : `Along \u2212\u2207F (m = ${v.width})`);
      const sel = v.tracks.find((t) => t.m === v.width);
      const tone = sel?.tone ?? 0.5;
      const sl: LineSeries[] = [];
      if (v.slice) {
        const s = v.slice;
        sl.push({ key: 'loss', label: 'F', tone, xs: s.s, ys: s.loss });
        sl.push({ key: 'ref-first', label: 'first order', tone: 0, xs: s.s, ys: s.firstOrder, dashed: true });
        sl.push({ key: 'fit-bound', label: 'bound', tone: 0, xs: s.s, ys: s.bound, dashed: true });
        sl.push({ key: 'gd', label: 'gradient step', tone, xs: [s.stepS], ys: [s.stepLoss], dots: true });
      }
      slice.update(sl);
      const rs: LineSeries[] = [];
      if (sel) {
        rs.push({ key: 'rho', label: `\u03c1, m = ${sel.m}`, tone: sel.tone, xs: sel.steps, ys: sel.rho });
        rs.push({ key: 'alt-relu', label: `|\u03c1_ReLU|, m = ${sel.m}`, tone: sel.tone, xs: sel.steps, ys: sel.rhoRelu, dotted: true });
      }
      rho.update(rs);
      const pts = v.tracks.filter((t) => t.meanAbsRelu > 0);
      const ps: LineSeries[] = [{ key: 'mean', label: 'mean |\u03c1_ReLU|', tone: 0.55, xs: pts.map((t) => t.m), ys: pts.map((t) => t.meanAbsRelu), dots: true, lineless: true }];
      if (v.reference) ps.push({ key: 'ref-sixth', label: 'slope \u22121/6 (the bound)', tone: 0, xs: v.reference.xs, ys: v.reference.ys, dashed: true });
      if (v.fit) ps.push(fitSeries(v.fit, false));
      perM.update(ps);
      const items: LegendEntry[] = [
        { tone, label: 'F along \u2212\u2207F (first chart); \u03c1 (second chart, solid)' },
        { color: 'var(--muted)', label: 'first-order line', dashed: true },
        { color: 'var(--threshold)', label: 'measured bound F \u2212 s\u2016\u2207F\u2016 + b s\u00b2', dashed: true },
        { tone, label: 'where the step \u03b7\u2207F lands', dot: true },
        { color: 'var(--alt)', label: '|\u03c1_ReLU|: the part beyond the tangent-kernel linearization (second chart, dotted)', dotted: true },
        { tone: 0.55, label: 'mean |\u03c1_ReLU| per width (third chart)', dot: true },
        { color: 'var(--muted)', label: 'slope \u22121/6: the bound\u2019s \u03c9\u00b9\u141f\u00b3 rate (third chart)', dashed: true },
      ];
      if (v.fit) items.push({ color: 'var(--threshold)', label: `fitted slope ${formatSlope(v.fit.slope)} (third chart)` });
      legend.update(items);
      setText(numbers, v.numbers);
      setText(status, v.status);
      setText(caption, v.caption);
      figure.dataset.width = String(v.width);
      figure.dataset.sliceStep = v.slice ? String(v.slice.step) : '';
      figure.dataset.slicePoints = v.slice ? String(v.slice.s.length) : '0';
      figure.dataset.rhoPoints = String(sel?.steps.length ?? 0);
      figure.dataset.tracks = v.tracks.map((t) => `${t.m}: ${t.note}`).join('; ');
    },
  };
}
