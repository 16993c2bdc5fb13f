import './theoryPanels.css';
import type { DownloadSource } from './download.ts';
import { formatSlope } from './format.ts';
import { fitSeries, titledLineChart, widthLogChart, type LineSeries } from './lineChart.ts';
import { el, setText, startProbePanel, theoryFooter, type LegendEntry } from './panelParts.ts';

/**
 * The "ball-vs-distance" panel: how far training moves the weights, against the width, next to a
 * scale that does not change with the width. First chart: the distance ||W_T - W_0|| (Frobenius,
 * all trained layers; spectral, per layer) at the end of each run, with its fitted slope, and the
 * weights' own spectral norm ||W_0||_2 per layer, the fixed scale. Second chart: the spectral
 * distance as a fraction of that scale. Draws a view; starts nothing
 * (src/essay/figures/ballVsDistanceFigure.ts does).
 */
export const BALL_VS_DISTANCE_ID = 'ball-vs-distance';

export interface BvdWidth {
  m: number;
  tone: number;
  fro: number; // ||W_T - W_0||_F over every trained layer, NaN until measured
  spec: number[]; // ||W_T,l - W_0,l||_2 per layer
  initSpec: number[]; // ||W_0,l||_2 per layer
  relative: number; // max_l ||W_T,l - W_0,l||_2 / ||W_0,l||_2
  note: string;
}

export interface BvdView {
  widths: BvdWidth[];
  layers: number;
  fitFro: { xs: number[]; ys: number[]; slope: number } | null;
  fitRel: { xs: number[]; ys: number[]; slope: number } | null;
  numbers: string;
  status: string;
  caption: string;
}

/** The first chart's series: distances (dots, with the Frobenius fit) and the fixed scale per layer. */
export function bvdDistanceSeries(v: BvdView): LineSeries[] {
  const done = v.widths.filter((w) => w.fro > 0).sort((a, b) => a.m - b.m);
  const ms = done.map((w) => w.m);
  const out: LineSeries[] = [];
  for (let l = 0; l < v.layers; l++) {
    out.push({ key: `ref-scale${l + 1}`, label: `\u2016W\u2080\u2016\u2082, layer ${l + 1}`, tone: 0, xs: ms, ys: done.map((w) => w.initSpec[l]), dashed: true, dots: true });
  }
  out.push({ key: 'fro', label: '\u2016W_T \u2212 W\u2080\u2016_F', tone: 1, xs: ms, ys: done.map((w) => w.fro), lineless: true });
  for (let l = 0; l < v.layers; l++) {
    out.push({ key: `alt-spec${l + 1}`, label: `\u2016W_T \u2212 W\u2080\u2016\u2082, layer ${l + 1}`, tone: 0.5, xs: ms, ys: done.map((w) => w.spec[l]), lineless: true });
  }
  if (v.fitFro) out.push(fitSeries(v.fitFro, false));
  return out;
}

export function createBallVsDistance(figure: HTMLElement, download: Omit<DownloadSource, 'svg' | 'canvases'>): { update(v: BvdView): void } {
  startProbePanel(figure, BALL_VS_DISTANCE_ID, 'theory-panel');
  const body = el('div', 'probe-body theory-charts', figure);
  const size = { aspect: 0.75, maxHeight: 340 };
  const { chart: abs } = titledLineChart(body, 'Distance travelled, and the fixed scale', widthLogChart('Distance of the trained weights from their initial values at the end of training against the width, log-log: Frobenius norm and spectral norm per layer, with the fitted slope, and the spectral norm of the initial weights per layer', 'norm (log)', size));
  const { chart: rel } = titledLineChart(body, 'Distance as a fraction of the scale', widthLogChart('Largest spectral distance of a layer divided by that layer\u2019s initial spectral norm, against the width, log-log, with the fitted slope', 'max\u2097 \u2016W_T \u2212 W\u2080\u2016\u2082 / \u2016W\u2080\u2016\u2082 (log)', size));
  const { legend, numbers, status, caption } = theoryFooter(figure, body, 'Widths, distances and the fixed scale', download);
  return {
    update(v) {
      abs.update(bvdDistanceSeries(v));
      const done = v.widths.filter((w) => w.relative > 0).sort((a, b) => a.m - b.m);
      const rs: LineSeries[] = [{ key: 'alt-rel', label: 'relative spectral distance', tone: 0.5, xs: done.map((w) => w.m), ys: done.map((w) => w.relative), lineless: true }];
      if (v.fitRel) rs.push(fitSeries(v.fitRel, false));
      rel.update(rs);
      // the marks are per quantity, not per width (each width's run note is in the numbers line)
      const items: LegendEntry[] = [];
      items.push({ color: 'var(--muted)', label: '\u2016W\u2080\u2016\u2082 per layer: the fixed scale (grey, dashed)', dashed: true });
      items.push({ tone: 1, label: '\u2016W_T \u2212 W\u2080\u2016_F, all trained layers', dot: true });
      items.push({ color: 'var(--alt)', label: '\u2016W_T \u2212 W\u2080\u2016\u2082 per layer (first chart); its largest share of \u2016W\u2080\u2016\u2082 (second chart)', dot: true });
      if (v.fitFro) items.push({ color: 'var(--threshold)', label: `fit of \u2016W_T \u2212 W\u2080\u2016_F: slope ${formatSlope(v.fitFro.slope)}` });
      if (v.fitRel) items.push({ color: 'var(--threshold)', label: `fit of the relative distance: slope ${formatSlope(v.fitRel.slope)}` });
      legend.update(items);
      setText(numbers, v.numbers);
      setText(status, v.status);
      setText(caption, v.caption);
      figure.dataset.done = String(v.widths.filter((w) => w.fro > 0).length);
    },
  };
}
